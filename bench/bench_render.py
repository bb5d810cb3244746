"""Render speed: raw frames/s at 256x256 on one core, a 10 s animation at 30 fps to MP4, and the previews
`animate` writes for a 10 s script (goals: >= 120 frames/s; MP4 <= 5 s; animate with previews <= 6 s).

Frames are drawn from the real captured take in tests/fixtures (varied faces), or from smooth random
curves when it is absent. The process is pinned to one CPU core for the raw-frame number
(ffmpeg runs as a child process and may use the other cores for the MP4 number).

Run: .venv/bin/python bench/bench_render.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from keyframeface.channels import N_CHANNELS
from keyframeface.render import render_frames, write_previews, write_video
from keyframeface.render.rig import SUPERSAMPLE

TAKE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "livelink_csv" / "rom_take_a.csv"
FPS = 30.0


def ten_seconds() -> np.ndarray:
    """(300, 61) values: 10 s of the real take, or smooth random curves without it."""
    if TAKE.is_file():
        from keyframeface.formats.livelink_csv import read_livelink_csv

        return read_livelink_csv(TAKE).values[1200:1500]
    rng = np.random.default_rng(0)
    t = np.linspace(0, 10, 300)[:, None]
    v = 0.5 + 0.5 * np.sin(rng.uniform(0.3, 2, N_CHANNELS) * t + rng.uniform(0, 6, N_CHANNELS))
    v[:, 52:] = (v[:, 52:] - 0.5) * 0.6
    return v


def raw_fps(values: np.ndarray, size: int, repeats: int = 3) -> float:
    """Best-of-N frames per second of render_frames (arrays out, nothing written)."""
    best = 0.0
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _frame in render_frames(values, size):
            pass
        best = max(best, len(values) / (time.perf_counter() - t0))
    return best


def main() -> None:
    values = ten_seconds()
    print(f"supersampling {SUPERSAMPLE}x, frames from {'the real take' if TAKE.is_file() else 'random curves'}")
    with tempfile.TemporaryDirectory() as tmp:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            write_video(Path(tmp) / "a.mp4", values, FPS, progress=False)
            times.append(time.perf_counter() - t0)
        size_kb = (Path(tmp) / "a.mp4").stat().st_size / 1024
        print(f"10 s at 30 fps (300 frames, 256 px) to MP4: median {statistics.median(times):.2f} s, "
              f"{size_kb:.0f} KiB   goal <= 5 s")
        t0 = time.perf_counter()
        write_video(Path(tmp) / "a.gif", values, FPS, progress=False)
        print(f"same to GIF: {time.perf_counter() - t0:.2f} s")
        import keyframeface

        animation = keyframeface.animate("A student waits outside an interview room.",
                                         "Anxiety concealed by a restrained smile.",
                                         ["The gaze is lowered and the inner brows lift slightly.",
                                          "The lips press together with visible tension.",
                                          "Both mouth corners form a small restrained smile.",
                                          "The brows relax and a polite smile settles on the face."])
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            write_previews(animation, Path(tmp) / "out")
            times.append(time.perf_counter() - t0)
        print(f"write_previews (preview.mp4 + keyframes.png + curves.png) for a {animation.timeline.duration:.1f} s "
              f"animation: median {statistics.median(times):.2f} s; scaled to 10 s: "
              f"{statistics.median(times) * 10 / animation.timeline.duration:.2f} s "
              "(+ ~0.5 s CLI start and posing = the animate-with-previews estimate, goal <= 6 s)")
    if hasattr(os, "sched_setaffinity"):  # last: pinning is not undone for child processes' sake
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    for size in (256, 512):
        print(f"raw frames at {size}x{size}, one core: {raw_fps(values, size):.0f} frames/s"
              + ("   goal >= 120" if size == 256 else ""))


if __name__ == "__main__":
    main()
