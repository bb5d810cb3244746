"""Speed of timeline + Live Link CSV export, and of reading the real take vs a csv.DictReader loop.

    python bench/bench_timeline.py [--frames 100000]

Prints frames per second (best of 3). The keyframes' words include cycles (a nod, a tremble) and a
text-ordered transition, so cycles and region lead/lag are measured too. Goals: timeline + CSV >= 100,000 frames/s;
reading the real 4,030-frame take >= 10x faster than a csv.DictReader loop.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

import numpy as np

from keyframeface.channels import HIGH, LOW
from keyframeface.data import Keyframe, KeyframeSpec
from keyframeface.formats.livelink_csv import read_livelink_csv, write_livelink_csv
from keyframeface.timeline import build_timeline

TAKE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "livelink_csv" / "rom_take_a.csv"
WORDS = ("calm", "suddenly gasps", "slowly smiles", "holds the stare", "looks away", "nods slightly",
         "the eyes widen first, then the mouth falls open", "her chin trembles")


def best_of(fn, repeat: int = 3) -> float:
    """Shortest wall time of ``repeat`` runs, seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def dict_reader(path: Path) -> list[dict]:
    """The naive baseline: one dict per row, numbers converted."""
    with path.open(newline="") as f:
        return [{k: (v if k == "Timecode" else float(v)) for k, v in row.items()} for row in csv.DictReader(f)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--frames", type=int, default=100_000, help="approximate timeline length in frames")
    args = ap.parse_args()

    rng = np.random.default_rng(0)
    count = max(2, args.frames // 40)  # ~40 frames per keyframe at 30 fps with default timing
    keyframes = [Keyframe(KeyframeSpec(WORDS[i % len(WORDS)]), rng.uniform(LOW, HIGH), "bench") for i in range(count)]
    timeline = build_timeline(keyframes, 30.0)
    n = timeline.frames
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "take.csv"
        t_timeline = best_of(lambda: build_timeline(keyframes, 30.0))
        t_nolife = best_of(lambda: build_timeline(keyframes, 30.0, life=False))
        t_csv = best_of(lambda: write_livelink_csv(out, timeline.values, 30.0))
        t_both = best_of(lambda: write_livelink_csv(out, build_timeline(keyframes, 30.0).values, 30.0))
        size = out.stat().st_size
        t_read_ours = best_of(lambda: read_livelink_csv(out))
    print(f"timeline: {n} frames, {count} keyframes")
    print(f"  build_timeline (life on)   {n / t_timeline:12,.0f} frames/s")
    print(f"  build_timeline (life off)  {n / t_nolife:12,.0f} frames/s")
    print(f"  write_livelink_csv         {n / t_csv:12,.0f} frames/s  ({size / t_csv / 1e6:.0f} MB/s)")
    print(f"  timeline + CSV together    {n / t_both:12,.0f} frames/s  (goal >= 100,000)")
    print(f"  read_livelink_csv (ours)   {n / t_read_ours:12,.0f} frames/s")

    if not TAKE.exists():
        print(f"real take not found at {TAKE}; skipping the reader comparison")
        return
    t_ours = best_of(lambda: read_livelink_csv(TAKE), 7)
    t_dict = best_of(lambda: dict_reader(TAKE), 7)
    print(f"real take {TAKE.name} (4,030 frames):")
    print(f"  read_livelink_csv          {t_ours * 1e3:8.2f} ms")
    print(f"  csv.DictReader loop        {t_dict * 1e3:8.2f} ms")
    print(f"  speed-up                   {t_dict / t_ours:8.1f}x  (goal >= 10x)")


if __name__ == "__main__":
    main()
