"""The studio's speed on loopback, against a real uvicorn: page load (goal <= 1 s), warm POST /api/pose
median (goal <= 10 ms), editing one keyframe -> its new face image (goal <= 300 ms), and 48 concurrent
clients x 5 POST /api/animate (all must succeed; throughput printed). Run: python bench/bench_web.py

``python bench/bench_web.py faults`` prints the load and fault figures of issue 15 instead: pose of
10,000-character runs, a 504 that must stop its work (the next request's latency on one worker),
/values of a maximum-length animation (time, server memory), 300 half-sent requests (memory, all
closed by the timeouts), the caches filled far past their 256 MB (RSS levels off), and pose latency
while two previews render."""

from __future__ import annotations

import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from studio_server import StudioServer

SCRIPT = {"background": "A student waits outside an interview room.",
          "emotion": "Anxiety concealed by a restrained smile."}


def ms(seconds: list[float]) -> str:
    s = sorted(seconds)
    return f"median {statistics.median(s) * 1000:.1f} ms, p90 {s[int(len(s) * 0.9)] * 1000:.1f} ms (n={len(s)})"


def main() -> None:
    with StudioServer() as server, httpx.Client(base_url=server.url, timeout=120) as c:
        c.post("/api/pose", json={"description": "warm up"})
        loads = []
        for _ in range(20):
            t = time.perf_counter()
            for path in ("/", "/static/studio.js", "/static/studio.css"):
                c.get(path).raise_for_status()
            loads.append(time.perf_counter() - t)
        print(f"page load (html + js + css):          {ms(loads)}")

        poses = []
        for i in range(200):
            t = time.perf_counter()
            c.post("/api/pose", json={"description": f"the brows lift slightly and the lips press together {i}"}
                   ).raise_for_status()
            poses.append(time.perf_counter() - t)
        print(f"POST /api/pose, warm:                 {ms(poses)}")

        result = c.post("/api/animate", json={**SCRIPT, "seed": 1}).json()
        edits = []
        for i in range(20):
            t = time.perf_counter()
            new = c.post(f"/api/animations/{result['id']}/keyframes/1",
                         json={"description": f"a wide grin with the jaw open, take {i}"}).json()
            frame = new["keyframes"][1]["frame"]
            c.get(new["frame_url"].replace("{n}", str(frame)), params={"size": 128}).raise_for_status()
            c.get(new["values_url"]).raise_for_status()
            edits.append(time.perf_counter() - t)
        print(f"edit one keyframe -> new face + curves: {ms(edits)}")

        def client(k: int) -> list[int]:
            with httpx.Client(base_url=server.url, timeout=300) as cc:
                return [cc.post("/api/animate", json={**SCRIPT, "seed": 1000 + 5 * k + j}).status_code
                        for j in range(5)]

        t = time.perf_counter()
        with ThreadPoolExecutor(48) as pool:
            codes = [code for codes in pool.map(client, range(48)) for code in codes]
        wall = time.perf_counter() - t
        ok = sum(code == 200 for code in codes)
        print(f"48 clients x 5 animate: {ok}/{len(codes)} ok in {wall:.2f} s = {len(codes) / wall:.1f} animations/s")


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


class _PeakRSS:
    """Samples this process's RSS every 20 ms in a thread; ``.peak`` in MB."""

    def __enter__(self) -> _PeakRSS:  # noqa: PYI034
        import threading

        self.peak, self._stop = _rss_mb(), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def faults() -> None:
    import socket

    from keyframeface.web.studio import Studio

    with StudioServer(studio=Studio(), time_limit=5.0) as server, httpx.Client(base_url=server.url,
                                                                                timeout=300) as c:
        c.post("/api/pose", json={"description": "warm up"})
        print(f"server + client RSS at start: {_rss_mb():.0f} MB")
        for unit in ("1", "a", "a ", "1.", "smile "):
            text = (unit * 10_000)[:10_000]
            t = time.perf_counter()
            code = c.post("/api/pose", json={"description": text}).status_code
            print(f"POST /api/pose, 10,000 chars of {unit!r}: {code} in {(time.perf_counter() - t) * 1000:.0f} ms")

        big = {"background": "b", "emotion": "e", "fps": 60,
               "keyframes": [{"description": "the jaw drops open", "hold": 55.0, "duration": 1.0}] * 64}
        t = time.perf_counter()
        anim = c.post("/api/animate", json=big).json()
        print(f"animate, {anim['frames']:,} frames (the limit): {time.perf_counter() - t:.1f} s")
        rss = _rss_mb()
        with _PeakRSS() as peak:
            t = time.perf_counter()
            size = 0
            with c.stream("GET", anim["values_url"]) as r:
                for chunk in r.iter_bytes():
                    size += len(chunk)
            took = time.perf_counter() - t
        print(f"GET /values of it: {size / 2**20:.0f} MB streamed in {took:.1f} s, peak RSS +{peak.peak - rss:.0f} MB")

        lat: list[float] = []
        import threading

        def previews() -> list[int]:
            with httpx.Client(base_url=server.url, timeout=300) as cc:
                return [cc.get(anim["files"]["mp4"]).status_code]

        th = [threading.Thread(target=previews) for _ in range(2)]
        t0 = time.perf_counter()
        for x in th:
            x.start()
        while any(x.is_alive() for x in th):
            t = time.perf_counter()
            c.post("/api/pose", json={"description": "a quick smile"})
            lat.append(time.perf_counter() - t)
            time.sleep(0.05)
        print(f"2 previews of it (5 s limit) ended after {time.perf_counter() - t0:.1f} s; pose meanwhile: {ms(lat)}")

    with StudioServer(studio=Studio(), time_limit=2.0, workers=1) as server, httpx.Client(base_url=server.url,
                                                                                          timeout=300) as c:
        anim = c.post("/api/animate", json={"background": "b", "emotion": "e", "fps": 60, "keyframes": [
            {"description": "the jaw drops open", "hold": 60.0}] * 5}).json()
        t = time.perf_counter()
        code = c.get(anim["files"]["mp4"]).status_code
        t504 = time.perf_counter() - t
        t = time.perf_counter()
        c.post("/api/animate", json={**SCRIPT, "keyframes": ["a smile", "a frown"]}).raise_for_status()
        print(f"preview past a 2 s limit, one long-work worker: {code} after {t504:.1f} s; next animate "
              f"{(time.perf_counter() - t) * 1000:.0f} ms later (the render stopped)")

    with StudioServer(studio=Studio()) as server, httpx.Client(base_url=server.url, timeout=300) as c:
        rss = _rss_mb()
        socks = []
        for i in range(150):
            a = socket.create_connection(("127.0.0.1", server.port))
            a.sendall(b"POST /api/pose HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            b = socket.create_connection(("127.0.0.1", server.port))
            b.sendall(b"POST /api/pose HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n{")
            socks += [a, b]
        t = time.perf_counter()
        c.post("/api/pose", json={"description": "a smile"}).raise_for_status()
        during = (time.perf_counter() - t) * 1000
        held = _rss_mb() - rss
        closed = 0
        for sk in socks:
            sk.settimeout(30)
            try:
                while sk.recv(65536):
                    pass
                closed += 1
            except OSError:
                pass
            sk.close()
        print(f"300 half-sent requests: +{held:.0f} MB, a pose meanwhile {during:.0f} ms, {closed}/300 closed by "
              f"the server within {time.perf_counter() - t:.1f} s")

    _cache_rss()


def _cache_rss() -> None:
    """A real `keyframeface serve` process: its RSS while the caches fill far past their bound."""
    import subprocess

    import psutil
    from studio_server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "keyframeface", "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                httpx.get(url + "/api/info", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        server = psutil.Process(proc.pid)
        with httpx.Client(base_url=url, timeout=300) as c:
            c.post("/api/pose", json={"description": "warm up"})
            print(f"serve process RSS, warm: {server.memory_info().rss / 2**20:.0f} MB")
            peak = 0.0
            for i in range(40):  # 10-minute animations at 60 fps (17 MB of curves each), files, 512 px faces
                r = c.post("/api/animate", json={"background": "b", "emotion": "e", "fps": 60, "seed": i,
                                                 "keyframes": [{"description": "a smile", "hold": 600.0}]}).json()
                for kind in ("csv", "glb"):
                    c.get(r["files"][kind])
                with c.stream("GET", r["values_url"]) as v:
                    for _ in v.iter_bytes():
                        pass
                for n in range(30):
                    c.get(r["frame_url"].replace("{n}", str(n * 997 % r["frames"])), params={"size": 512})
                rss = server.memory_info().rss / 2**20
                peak = max(peak, rss)
                if i % 10 == 9:
                    print(f"after {i + 1} animations ({(i + 1) * 17} MB of curves made): RSS {rss:.0f} MB, "
                          f"peak {peak:.0f} MB")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    if sys.argv[1:] == ["faults"]:
        faults()
    else:
        main()
