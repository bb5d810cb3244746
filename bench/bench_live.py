"""Live mode latency and packet timing on loopback: time from a line arriving to the first received packet
that moves toward its pose (goal <= 50 ms median), and the jitter of packet arrival times at the target rate.
Run: python bench/bench_live.py [--protocol livelink|vmc] [--fps 30]"""

from __future__ import annotations

import argparse
import queue
import random
import socket
import statistics
import threading
import time

import numpy as np

from keyframeface.channels import CHANNEL_INDEX
from keyframeface.formats.livelink_udp import decode_packet
from keyframeface.formats.vmc import decode_frame
from keyframeface.live import LiveFace, run_live
from keyframeface.senders import open_sender

LINES = ["the jaw drops wide open", "the mouth closes and the lips press together", "a broad smile",
         "the brows knit in anger", "the eyes go wide in surprise", "the face relaxes to neutral"]
JAW = CHANNEL_INDEX["JawOpen"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--protocol", choices=("livelink", "vmc"), default="livelink")
    ap.add_argument("--fps", type=float, default=30.0)
    ap.add_argument("--lines", type=int, default=30)
    args = ap.parse_args()
    names = list(CHANNEL_INDEX)

    def read(data: bytes) -> np.ndarray:
        if args.protocol == "vmc":
            blend = decode_frame(data).blendshapes
            return np.array([blend.get(n, 0.0) for n in names[:52]] + [0.0] * 9)
        return decode_packet(data).values

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(2)
    arrivals: queue.Queue[tuple[float, np.ndarray]] = queue.Queue()
    stop = threading.Event()

    def receive() -> None:
        while not stop.is_set():
            try:
                data = sock.recv(65536)
            except TimeoutError:
                continue
            arrivals.put((time.perf_counter(), read(data)))

    threading.Thread(target=receive, daemon=True).start()
    face = LiveFace(fps=args.fps, seed=0, life_on=False)  # no idle motion: any change is the line's
    face.say("warm up the engine")
    face.say("the face relaxes to neutral")
    lines: queue.Queue[str | None] = queue.Queue()
    sender = open_sender(args.protocol, "127.0.0.1", sock.getsockname()[1], fps=args.fps)
    runner = threading.Thread(target=run_live, args=(face, sender, iter(lines.get, None)),
                              kwargs={"stop": stop}, daemon=True)
    runner.start()
    time.sleep(1.0)
    latencies = []
    for i in range(args.lines):
        time.sleep(1.2 + random.uniform(0, 1 / args.fps))  # the previous move ends; a random phase
        while not arrivals.empty():
            _, last = arrivals.get()
        said = time.perf_counter()
        lines.put(LINES[i % len(LINES)])
        while True:
            at, values = arrivals.get(timeout=5)
            if np.abs(values - last).max() > 1e-6:
                latencies.append(at - said)
                break
    gaps = []
    while not arrivals.empty():
        arrivals.get()
    prev = None
    for _ in range(int(args.fps * 5)):
        at, _ = arrivals.get(timeout=5)
        if prev is not None:
            gaps.append(at - prev)
        prev = at
    stop.set()
    lines.put(None)
    s = sorted(latencies)
    print(f"{args.protocol} at {args.fps:g} fps, {len(s)} lines")
    print(f"line -> first moving packet: median {statistics.median(s) * 1000:.1f} ms, "
          f"p90 {s[int(len(s) * 0.9)] * 1000:.1f} ms, max {s[-1] * 1000:.1f} ms")
    print(f"packet interval: mean {statistics.mean(gaps) * 1000:.2f} ms (target {1000 / args.fps:.2f}), "
          f"jitter (sd) {statistics.pstdev(gaps) * 1000:.2f} ms, max {max(gaps) * 1000:.2f} ms; "
          f"rate {1 / statistics.mean(gaps):.2f} packets/s")


if __name__ == "__main__":
    main()
