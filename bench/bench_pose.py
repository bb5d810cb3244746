"""Benchmark the engine's pose_text: per-keyframe time (warm, one core) and paraphrase scores.

    python bench/bench_pose.py            # timings + paraphrase scores (dev suite and held-back set)
    python bench/bench_pose.py --fails    # also list the held-back phrases that miss

Score: a blendshape phrase passes when its channel is among the top 3 blendshapes and > 0.25;
a pose phrase passes when its channel has the expected sign (|value| > 0.05). The dev suite is
tests/data/paraphrases.yaml (asserted by tests); the sets in bench/paraphrases_heldback/ were written
apart from the engine to measure generalisation; each header gives its first, independent score.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import numpy as np
import yaml

from keyframeface.backends.engine.fallback import available as fallback_available
from keyframeface.backends.engine.pose import pose_text
from keyframeface.channels import BLENDSHAPES, CHANNEL_INDEX, N_BLENDSHAPES

ROOT = Path(__file__).resolve().parents[1]
SUITES = {"dev (tests/data/paraphrases.yaml)": ROOT / "tests" / "data" / "paraphrases.yaml"} | {
    f"held-back {p.stem.upper()} (bench/paraphrases_heldback/{p.name})": p
    for p in sorted((ROOT / "bench" / "paraphrases_heldback").glob("*.yaml"))}
KEYFRAMES = [
    ("The gaze is lowered, the inner brows lift slightly, and the lips press together with visible tension.",
     "A student waits outside an interview room.", "Anxiety concealed by a restrained smile."),
    ("The gaze rises and both mouth corners form a small restrained smile while the brows remain worried.",
     "A student waits outside an interview room.", "Anxiety concealed by a restrained smile."),
    ("She smirks, tilts her head to the left and raises one eyebrow.", "", "contempt"),
    ("Eyes squeezed shut, nose wrinkled, the upper lip curls up on the right.", "", "disgust"),
    ("The jaw drops open and the eyes go wide.", "A door slams.", "shock turning into relief"),
    ("", "A child opens a present.", "delight"),
]


def score(path: Path, show_fails: bool, fallback: bool = False) -> tuple[int, int]:
    """(passed, total) for one paraphrase file (``fallback``: with the sentence-encoder fallback)."""
    data = yaml.safe_load(path.read_text())
    passed = total = 0
    for channel, phrases in data["blendshapes"].items():
        for phrase in phrases:
            values = pose_text(phrase, fallback=fallback).values[:N_BLENDSHAPES]
            value = values[CHANNEL_INDEX[channel]]
            ok = value > 0.25 and int(np.sum(values > value + 1e-9)) < 3
            passed, total = passed + ok, total + 1
            if show_fails and not ok:
                top = sorted(zip(values, BLENDSHAPES), reverse=True)[:3]
                print(f"  miss {channel}: {phrase!r} -> {value:.2f}; top {[(n, round(x, 2)) for x, n in top]}")
    for channel, signs in data["pose"].items():
        for sign, phrases in signs.items():
            for phrase in phrases:
                value = pose_text(phrase, fallback=fallback).values[CHANNEL_INDEX[channel]]
                ok = value > 0.05 if sign == "positive" else value < -0.05
                passed, total = passed + ok, total + 1
                if show_fails and not ok:
                    print(f"  miss {channel} {sign}: {phrase!r} -> {value:+.2f}")
    return passed, total


def timings(repeats: int) -> list[float]:
    """Seconds per pose_text call over the sample keyframes (after a warm-up pass)."""
    for text, background, emotion in KEYFRAMES:
        pose_text(text, background, emotion, position=0.5, fallback=False)
    samples = []
    for _ in range(repeats):
        for text, background, emotion in KEYFRAMES:
            start = time.perf_counter()
            pose_text(text, background, emotion, position=0.5, fallback=False)
            samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--fails", action="store_true", help="list held-back misses")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    samples = sorted(timings(args.repeats))
    p95 = samples[int(0.95 * (len(samples) - 1))]
    print(f"pose_text per keyframe (warm, one core, with emotion prior, lexicon only): "
          f"median {statistics.median(samples) * 1e3:.3f} ms, p95 {p95 * 1e3:.3f} ms, n={len(samples)}")
    encoder = fallback_available()
    if encoder:
        pose_text("zzz unreadable words", fallback=True)  # load the encoder and its bank once
        misses = ["she ogles the ceiling", "his physiognomy contorts", "quartz xylophone"] * 20  # unread by the lexicon
        ms = sorted(_seconds(lambda t=t: pose_text(t, fallback=True)) for t in misses)
        print(f"pose_text through the encoder fallback (warm): median {statistics.median(ms) * 1e3:.2f} ms, "
              f"p95 {ms[int(0.95 * (len(ms) - 1))] * 1e3:.2f} ms")
    for name, path in SUITES.items():
        passed, total = score(path, args.fails and "held-back" in name)
        line = f"paraphrases {name}: {passed}/{total} = {passed / total:.1%}"
        if encoder:
            with_fb, _ = score(path, False, fallback=True)
            line += f"; with encoder fallback {with_fb}/{total} = {with_fb / total:.1%}"
        print(line)


def _seconds(call: object) -> float:
    start = time.perf_counter()
    call()  # type: ignore[operator]
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
