"""Descriptions before/after (issue 16 item 4): words per key, 'barely' share, repetition of the previous key,
and the describe -> pose round trip (activation F1, keys posed in sequence as a script poses them).

    PYTHONPATH=src python bench/bench_annotations.py [VIDEO ...]   # videos are captured first (needs [track])

Repetition: the share of a description's clauses (split at '.', ',', 'and', 'while'; degree and size words
removed) that the previous key's description also says. Keys: 24 per clip, extracted from the take as it is
("raw") and calibrated to its auto neutral ("calibrated").
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import numpy as np

from keyframeface.backends.engine.pose import pose_text
from keyframeface.describe import DEGREES, annotate, phrasings
from keyframeface.evaluate import score
from keyframeface.keyframes_extract import key_frames
from keyframeface.neutral import calibrate, estimate_neutral

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
_SIZED = r"\b(" + "|".join(w for w in [*DEGREES, *phrasings()["sizes"]] if w) + r"|a|an)\b"


def clauses(text: str) -> list[str]:
    text = re.sub(_SIZED, "", text.lower())
    return [re.sub(r"\s+", " ", c).strip() for c in re.split(r"[.,;]| and | while ", text) if c.strip()]


def stats(texts: list[str]) -> tuple[float, float, float]:
    words = float(np.mean([len(t.split()) for t in texts]))
    barely = float(np.mean(["barely" in t for t in texts]))
    repeats = []
    for before, now in zip(texts, texts[1:]):
        said, prior = clauses(now), set(clauses(before))
        repeats.append(sum(c in prior for c in said) / max(len(said), 1))
    return words, barely, float(np.mean(repeats))


def in_sequence(texts: list[str]) -> np.ndarray:
    posed, previous = [], None
    for text in texts:
        previous = pose_text(text, fallback=False, previous=previous).values
        posed.append(previous)
    return np.stack(posed)


def main(videos: list[str]) -> None:
    from keyframeface.formats.livelink_csv import read_livelink_csv

    takes = {}
    take = read_livelink_csv(FIXTURES / "livelink_csv" / "rom_take_a.csv")
    takes["rom_take_a"] = (take.values, take.fps)
    for video in videos:
        from keyframeface.capture import capture

        cap = capture(video)
        takes[Path(video).name] = (cap.values, cap.fps)
    print(f"{'clip':34s} {'perspective':11s} words barely repeat  F1seq  F1alone  ms/key")
    for name, (values, fps) in takes.items():
        for calibrated in (False, True):
            v = calibrate(values, estimate_neutral(values, fps)) if calibrated else values
            keys = list(key_frames(v, fps, keys=24).values)
            for perspective in ("channels", "animator"):
                start = time.perf_counter()
                texts = annotate(keys, perspective)
                ms = (time.perf_counter() - start) * 1000 / len(keys)
                words, barely, repeat = stats(texts)
                seq = score(in_sequence(texts), np.stack(keys)).f1
                alone = score(np.stack([pose_text(t, fallback=False).values for t in texts]), np.stack(keys)).f1
                label = f"{name} {'calibrated' if calibrated else 'raw'}"
                print(f"{label:34s} {perspective:11s} {words:5.1f} {barely:6.0%} {repeat:6.0%}  {seq:5.2f}  {alone:6.2f}"
                      f"  {ms:6.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
