"""Print the numbers the FACS intensity scale (A-E, engine/data/facs.yaml) is calibrated on.

Two real sources, read from tests/fixtures (see its README for their licences):
  * the KeyframeFace release's own answers (reference/example_result.csv): what its model gives for
    "slightly", "small", "visible tension" - the graded values an animator expects for A/B/C;
  * the real iPhone take (livelink_csv/rom_take_a.csv): how far a real face moves each blendshape when it
    is moving at all (percentiles over frames where the channel is active, > 0.05), the D/E end.

Run: .venv/bin/python bench/calibrate_facs.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
ACTIVE = 0.05  # a blendshape below this is noise / rest in the real take
SKIP = ("Timecode", "BlendShapeCount", "BlendshapeCount")


def read_blendshapes(path: Path) -> dict[str, np.ndarray]:
    """The 52 blendshape columns of a Live Link CSV as arrays (pose columns dropped)."""
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    names = [n for n in rows[0] if n not in SKIP and not n.endswith(("Yaw", "Pitch", "Roll"))]
    return {n: np.array([float(r[n]) for r in rows]) for n in names}


def main() -> int:
    """Print the release's active answers and the real take's active-channel percentiles."""
    ref, take = FIXTURES / "reference" / "example_result.csv", FIXTURES / "livelink_csv" / "rom_take_a.csv"
    if not ref.exists() or not take.exists():
        print(f"fixtures not found under {FIXTURES}", file=sys.stderr)
        return 1

    answers = read_blendshapes(ref)
    active = np.concatenate([v[v > 0] for v in answers.values()])
    print(f"release answers ({ref.name}): {active.size} active blendshape values (2 keyframes:"
          " 'inner brows lift slightly', 'lips press together with visible tension', 'small restrained smile')")
    for i in range(len(next(iter(answers.values())))):
        row = {n: v[i] for n, v in answers.items() if v[i] > 0}
        print(f"  keyframe {i + 1}: " + ", ".join(f"{n} {x:.1f}" for n, x in row.items()))
    print("  values: " + ", ".join(f"{x:.1f}: {int((active == x).sum())}" for x in np.unique(active)))
    print(f"  median {np.median(active):.2f}, mean {active.mean():.2f}, max {active.max():.2f}")

    take_values = read_blendshapes(take)
    per_channel_p = []
    print(f"\nreal take ({take.name}, {len(next(iter(take_values.values())))} frames):"
          f" channels active (> {ACTIVE}) in >= 30 frames")
    print(f"  {'channel':22s} {'p25':>5s} {'p50':>5s} {'p75':>5s} {'p90':>5s} {'p99':>5s} {'max':>5s}")
    for name, v in take_values.items():
        a = v[v > ACTIVE]
        if a.size < 30:
            continue
        p = np.percentile(a, [25, 50, 75, 90, 99])
        per_channel_p.append(p)
        print(f"  {name:22s} " + " ".join(f"{x:5.2f}" for x in p) + f" {a.max():5.2f}")
    pooled = np.concatenate([v[v > ACTIVE] for v in take_values.values()])
    med = np.median(np.array(per_channel_p), axis=0)
    print("\n  median over channels of p25/p50/p75/p90/p99: " + " ".join(f"{x:.2f}" for x in med))
    print("  pooled active values p10/p25/p50/p75/p90/p99: "
          + " ".join(f"{x:.2f}" for x in np.percentile(pooled, [10, 25, 50, 75, 90, 99])))
    peaks = np.array([v.max() for v in take_values.values() if v.max() > ACTIVE])
    print(f"  per-channel peak (a channel's fullest move): median {np.median(peaks):.2f},"
          f" p75 {np.percentile(peaks, 75):.2f}")

    print("\nscale (FACS A trace, B slight, C marked, D severe, E maximum), as set in facs.yaml:")
    print("  A ~ the release's smallest answers (0.1) and the take's p10-p25 of active values")
    print("  B ~ the release's 'slightly' answers (0.2-0.4, median above)")
    print("  C ~ the take's median active value; D ~ its p75-p90; E ~ its typical per-channel peak")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
