"""The studio's speed on loopback, against a real uvicorn: page load (goal <= 1 s), warm POST /api/pose
median (goal <= 10 ms), editing one keyframe -> its new face image (goal <= 300 ms), and 48 concurrent
clients x 5 POST /api/animate (all must succeed; throughput printed). Run: python bench/bench_web.py"""

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


if __name__ == "__main__":
    main()
