"""How faithfully a real face tracker (MediaPipe FaceLandmarker) reads our renders back.

1. Single-channel sweeps 0 -> 1 (11 levels) for all 52 blendshapes: Pearson r between the
   rig's input and the tracker's score for the same channel, the score's rise (score at 1
   minus score at 0), and for sided channels the rise of the mirror channel (should be smaller).
   For the channels MediaPipe's blendshape head does not score (tracker.LANDMARK_READS), also
   the landmark read-back: r between the input and a face-mesh measure (tracker.face_measures,
   signed to rise with the channel), its change in inter-ocular units, and the largest change of
   that measure caused by a channel of an unrelated region (the mesh's refit noise).
2. Whole expressions (EMFACS prototypes) swept 0 -> 1: r per channel involved.
3. The real captured take (tests/fixtures/livelink_csv/rom_take_a.csv), subsampled:
   r between the captured curves and the tracker's read-back of our renders of them.
   That is the honest measure of whether the drawn face carries a human performance.

Run: .venv/bin/python bench/bench_tracker.py [--step N]   (N: every Nth frame of the take, default 3)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from keyframeface.channels import (
    BLENDSHAPES,
    CHANNEL_INDEX,
    MIRROR,
    N_CHANNELS,
    region_of,
)
from keyframeface.render.rig import render_frames
from keyframeface.render.tracker import (
    LANDMARK_READS,
    face_measures,
    sweep,
    sweep_tracked,
    track,
)

TAKE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "livelink_csv" / "rom_take_a.csv"
LEVELS = np.linspace(0.0, 1.0, 11)
MIN_RISE = 0.05  # a score that rises less than this is not "read", whatever its r (r of near-constant noise)
# Regions whose channels legitimately move a landmark measure too (besides its own channel's region).
SHARED_GEOMETRY = {"lower_lid_left": ("eyes", "gaze"), "lower_lid_right": ("eyes", "gaze"), "jaw_shift": ("mouth",),
                   "chin_length": ("mouth", "tongue"), "lip_gap": ("jaw", "tongue")}
EXPRESSIONS = {
    "happiness (6+12)": {"CheekSquintLeft": 0.6, "CheekSquintRight": 0.6, "MouthSmileLeft": 1.0,
                         "MouthSmileRight": 1.0, "EyeSquintLeft": 0.4, "EyeSquintRight": 0.4},
    "sadness (1+4+15)": {"BrowInnerUp": 1.0, "BrowDownLeft": 0.4, "BrowDownRight": 0.4, "MouthFrownLeft": 1.0,
                         "MouthFrownRight": 1.0},
    "surprise (1+2+5+26)": {"BrowInnerUp": 1.0, "BrowOuterUpLeft": 1.0, "BrowOuterUpRight": 1.0,
                            "EyeWideLeft": 1.0, "EyeWideRight": 1.0, "JawOpen": 0.7},
    "anger (4+5+7+23)": {"BrowDownLeft": 1.0, "BrowDownRight": 1.0, "EyeWideLeft": 0.3, "EyeWideRight": 0.3,
                         "EyeSquintLeft": 0.6, "EyeSquintRight": 0.6, "MouthPressLeft": 0.8, "MouthPressRight": 0.8},
    "disgust (9+15+16)": {"NoseSneerLeft": 1.0, "NoseSneerRight": 1.0, "MouthFrownLeft": 0.6,
                          "MouthFrownRight": 0.6, "MouthLowerDownLeft": 0.6, "MouthLowerDownRight": 0.6,
                          "MouthUpperUpLeft": 0.5, "MouthUpperUpRight": 0.5},
    "contempt (R12+R14)": {"MouthSmileRight": 0.7, "MouthDimpleRight": 0.8},
}


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson r over the frames where both are finite; NaN when either is constant."""
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]
    if len(a) < 3 or a.std() < 1e-9 or b.std() < 1e-9:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def sweeps() -> None:
    print("1. single-channel sweeps 0 -> 1 (11 levels, 256 px); r = Pearson(input, tracker score); "
          "landmark r / change: the face-mesh read-back (inter-ocular units)")
    print(f"{'channel':22s} {'r':>6s} {'score@0':>8s} {'score@1':>8s} {'rise':>6s} {'mirror rise':>12s}  read"
          f"  {'landmark r':>10s} {'change':>7s}  measure")
    rs, read, measures = [], [], {}
    for name in BLENDSHAPES:
        if name == "TongueOut":
            print(f"{name:22s}    n/a  (MediaPipe has no tongueOut)")
            continue
        _, tracked = sweep_tracked({name: 1.0}, LEVELS)
        back = tracked.values
        measures[name] = face_measures(tracked.landmarks)
        y = back[:, CHANNEL_INDEX[name]]
        r = pearson(LEVELS, y)
        ok = r >= 0.8 and y[-1] - y[0] >= MIN_RISE
        rs.append(r)
        read.append(ok)
        mirror = MIRROR[name]
        m = " " * 12 if mirror == name else f"{back[-1, CHANNEL_INDEX[mirror]] - back[0, CHANNEL_INDEX[mirror]]:+12.2f}"
        print(f"{name:22s} {r:6.2f} {y[0]:8.2f} {y[-1]:8.2f} {y[-1] - y[0]:+6.2f} {m}  {'yes' if ok else '-  '}"
              + (_landmark_cell(name, measures[name], LEVELS) if name in LANDMARK_READS else ""))
    print(f"median r {np.nanmedian(rs):.2f}; read (r >= 0.8 and rise >= {MIN_RISE}) for {sum(read)}/{len(read)} "
          "tracked blendshapes")
    # MouthClose draws nothing on a shut jaw: its landmark read closes a jaw held at 0.5 (ARKit: close <= open).
    base = np.zeros(N_CHANNELS)
    base[CHANNEL_INDEX["JawOpen"]] = 0.5
    _, tracked = sweep_tracked({"MouthClose": 0.5}, LEVELS, base=base)
    closing = face_measures(tracked.landmarks)
    print(f"{'MouthClose @JawOpen 0.5':23s} {'':48s}" + _landmark_cell("MouthClose", closing, LEVELS))
    print("\n   landmark measures: change under their channel vs the largest change by a channel of an unrelated "
          "region (refit noise)")
    for name, (measure, sign) in LANDMARK_READS.items():
        own = closing if name == "MouthClose" else measures[name]
        regions = {region_of(name), *SHARED_GEOMETRY.get(measure, ())}
        noise = max((abs(v[measure][-1] - v[measure][0]), other) for other, v in measures.items()
                    if region_of(other) not in regions)
        change = sign * (own[measure][-1] - own[measure][0])
        print(f"   {name:18s} {measure:18s} {change:+.3f}   unrelated max {noise[0]:.3f} ({noise[1]})  "
              f"ratio {change / noise[0]:.1f}")


def expressions() -> None:
    print("\n2. whole expressions swept 0 -> 1: r per channel (score@0 -> score@1)")
    for label, targets in EXPRESSIONS.items():
        _, back = sweep(targets, LEVELS)
        parts = []
        for name in targets:
            y = back[:, CHANNEL_INDEX[name]]
            parts.append(f"{name} {pearson(LEVELS, y):.2f} ({y[0]:.2f}->{y[-1]:.2f})")
        print(f"  {label}: " + "; ".join(parts))


def real_take(step: int) -> None:
    from keyframeface.formats.livelink_csv import read_livelink_csv

    print(f"\n3. real captured take {TAKE.name}, every {step}th frame: "
          "r(captured curve, tracker read-back of our render)")
    if not TAKE.is_file():
        print("   (fixture not present)")
        return
    take = read_livelink_csv(TAKE)
    values = take.values[::step]
    t0 = time.perf_counter()
    tracked = track(render_frames(values), fps=take.fps / step)
    back, found, lm = tracked.values, tracked.detected, face_measures(tracked.landmarks)
    print(f"   {len(values)} frames rendered + tracked in {time.perf_counter() - t0:.1f} s; "
          f"face found in {found.mean():.1%} of frames")
    rows = []
    for name in BLENDSHAPES:
        x = values[:, CHANNEL_INDEX[name]]
        if name == "TongueOut" or x.std() < 0.02:  # untracked, or the actor hardly used it
            continue
        rows.append((pearson(x, back[:, CHANNEL_INDEX[name]]), name, x.std()))
    rows.sort(reverse=True)
    for r, name, sd in rows:
        extra = ""
        if name in LANDMARK_READS:  # other channels the actor moved at the same time move these measures too
            measure, sign = LANDMARK_READS[name]
            extra = f"   landmark r={pearson(values[:, CHANNEL_INDEX[name]], sign * lm[measure]):5.2f} ({measure})"
        print(f"   {name:22s} r={r:5.2f}   (captured sd {sd:.2f}){extra}")
    rs = np.array([r for r, _, _ in rows])
    print(f"   median r {np.nanmedian(rs):.2f}; r >= 0.5 for {np.sum(rs >= 0.5)}/{len(rs)}; "
          f"r >= 0.8 for {np.sum(rs >= 0.8)}/{len(rs)} channels the actor moved (sd >= 0.02)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", type=int, default=3, help="use every Nth frame of the real take (3)")
    parser.add_argument("--only", choices=("sweeps", "expressions", "take"), help="run one part")
    args = parser.parse_args()
    if args.only in (None, "sweeps"):
        sweeps()
    if args.only in (None, "expressions"):
        expressions()
    if args.only in (None, "take"):
        real_take(args.step)


def _landmark_cell(name: str, measures: dict[str, np.ndarray], levels: np.ndarray) -> str:
    """The landmark columns for one channel: r, change (signed to rise with the channel), measure name."""
    measure, sign = LANDMARK_READS[name]
    y = sign * measures[measure]
    return f"  {pearson(levels, y):10.2f} {y[-1] - y[0]:+7.3f}  {measure}"


if __name__ == "__main__":
    main()
