"""The data side's speed and quality goals (issue 8), printed as numbers; none are timed assertions.

1. capture wall time vs a bare MediaPipe decode+detect loop over the same clip, timed side by side
   (goal: within 1.25x).
2. keyframes on the real 4,030-frame take (goal <= 1 s), and their rebuild error vs as many uniform keys.
3. describe per keyframe, warm (goal <= 1 ms).
4. eval of two 10,000-frame takes, CSV reading included (goal <= 0.5 s).
5. describe -> pose round trip (activation F1, MAE on active channels) on the real iPhone take's keys
   and on keys captured from a real video; the engine against the release's answers (eval).

Run: .venv/bin/python bench/bench_data.py [--clip PATH] [--no-capture]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def bare_loop(path: Path) -> int:
    """Decode with imageio-ffmpeg and run FaceLandmarker on every frame, nothing else."""
    import imageio_ffmpeg
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    from keyframeface.render.tracker import model_path

    options = vision.FaceLandmarkerOptions(base_options=BaseOptions(model_asset_path=str(model_path())),
                                           running_mode=vision.RunningMode.VIDEO, output_face_blendshapes=True,
                                           output_facial_transformation_matrixes=True)
    gen = imageio_ffmpeg.read_frames(str(path))
    meta = next(gen)
    w, h = meta["size"]
    n = 0
    with vision.FaceLandmarker.create_from_options(options) as tracker:
        for n, raw in enumerate(gen, 1):
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.frombuffer(raw, np.uint8).reshape(h, w, 3))
            tracker.detect_for_video(image, round((n - 1) * 1000.0 / meta["fps"]))
    return n


def bench_capture(clip: Path, repeats: int = 2) -> None:
    from keyframeface.capture import capture

    bare, ours = [], []
    for _ in range(repeats):  # interleaved, so both see the same machine load
        t = time.perf_counter()
        frames = bare_loop(clip)
        bare.append(time.perf_counter() - t)
        t = time.perf_counter()
        capture(clip)
        ours.append(time.perf_counter() - t)
    b, o = min(bare), min(ours)
    print(f"capture {clip.name} ({frames} frames): bare MediaPipe loop {b:.2f} s ({frames / b:.0f} fps), "
          f"keyframeface capture {o:.2f} s ({frames / o:.0f} fps): {o / b:.2f}x  (goal <= 1.25x)")


def bench_keyframes() -> np.ndarray:
    from keyframeface.formats.livelink_csv import read_livelink_csv
    from keyframeface.keyframes_extract import key_frames

    take = read_livelink_csv(FIXTURES / "livelink_csv" / "rom_take_a.csv")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        ex = key_frames(take.values, take.fps)
        times.append(time.perf_counter() - t)
    print(f"keyframes on the {len(take.values)}-frame take: {min(times) * 1000:.0f} ms (goal <= 1000 ms); "
          f"{len(ex.frames)} keys, {len(ex.peaks)} at expression peaks; rebuilt MAE {ex.mae:.4f} vs "
          f"{ex.uniform_mae:.4f} for as many uniform keys with straight in-betweens")
    for keys in (8, 16, 32):
        e = key_frames(take.values, take.fps, keys=keys)
        print(f"  {keys:>2} keys: rebuilt MAE {e.mae:.4f} vs uniform {e.uniform_mae:.4f}")
    return ex.values


def bench_describe(keys: np.ndarray) -> None:
    from keyframeface.describe import describe_sequence

    describe_sequence(list(keys))  # warm: each (phrase, degree) is posed once per process
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        describe_sequence(list(keys))
        runs.append((time.perf_counter() - t) / len(keys))
    print(f"describe: {statistics.median(runs) * 1000:.3f} ms per keyframe, warm (goal <= 1 ms)")


def bench_eval() -> None:
    from keyframeface.evaluate import evaluate_files
    from keyframeface.formats.livelink_csv import write_livelink_csv

    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a.csv", Path(tmp) / "b.csv"
        base = np.clip(rng.random((10_000, 61)) * 0.5, 0, 1)
        base[:, 52:] -= 0.25
        write_livelink_csv(a, base, 30.0)
        write_livelink_csv(b, np.clip(base + rng.normal(0, 0.05, base.shape), -1, 1) * (base != 0), 30.0)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            s = evaluate_files(a, b)
            times.append(time.perf_counter() - t)
    print(f"eval of two 10,000-frame takes: {min(times) * 1000:.0f} ms (goal <= 500 ms); MAE {s.mae:.4f}")


def round_trip(name: str, keys: np.ndarray) -> None:
    from keyframeface.backends.engine.pose import pose_text
    from keyframeface.describe import describe, describe_sequence
    from keyframeface.evaluate import score

    alone = np.stack([pose_text(describe(v), fallback=False).values for v in keys])
    seq, previous = [], None
    for text in describe_sequence(list(keys)):
        previous = pose_text(text, fallback=False, previous=previous).values
        seq.append(previous)
    for label, posed in (("each alone", alone), ("in sequence", np.stack(seq))):
        s = score(posed, keys)
        print(f"round trip {name}, {label}: F1 {s.f1:.3f} (P {s.precision:.3f}, R {s.recall:.3f}), "
              f"MAE active {s.mae_active:.4f}, MAE {s.mae:.4f} over {len(keys)} keys")


def engine_vs_release() -> None:
    import json

    from keyframeface.backends import get_backend
    from keyframeface.data import KeyframeSpec, Script
    from keyframeface.evaluate import score
    from keyframeface.formats.reference import read_results
    from keyframeface.pipeline import Pipeline

    ref = FIXTURES / "reference"
    user = json.loads((ref / "example.jsonl").read_text().splitlines()[0])["messages"][1]["content"]
    lines = user.splitlines()
    descriptions = [x.split(": ", 1)[1] for x in lines if x.startswith("- Keyframe ")]
    background = next(x for x in lines if x.startswith("Background: ")).split(": ", 1)[1]
    emotion = next(x for x in lines if x.startswith("Emotion: ")).split(": ", 1)[1]
    script = Script(background, emotion, tuple(KeyframeSpec(d) for d in descriptions))
    gold = np.stack([k.values for k in read_results(ref / "example_result.jsonl", script)])
    pred = np.stack([k.values for k in Pipeline(get_backend("engine")).pose(script)])
    s = score(pred, gold)
    print(f"engine vs the release's answers ({len(gold)} keys): MAE {s.mae:.4f}, MAE active {s.mae_active:.4f}, "
          f"F1 {s.f1:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clip", type=Path, default=FIXTURES / "video" / "pexels_emotions.mp4")
    ap.add_argument("--no-capture", action="store_true", help="skip the MediaPipe parts")
    a = ap.parse_args()
    keys = bench_keyframes()
    bench_describe(keys)
    bench_eval()
    round_trip("rom_take_a (iPhone)", keys)
    engine_vs_release()
    if not a.no_capture:
        from keyframeface.capture import capture
        from keyframeface.keyframes_extract import key_frames

        bench_capture(a.clip)
        cap = capture(FIXTURES / "video" / "pexels_emotions.mp4")
        round_trip("pexels_emotions (captured)", key_frames(cap.values, cap.fps, keys=24).values)


if __name__ == "__main__":
    main()
