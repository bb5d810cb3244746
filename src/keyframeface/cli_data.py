"""The data-side commands: capture, keyframes, describe, dataset build/export, eval (a thin shell).

``register(subparsers, command)`` adds them to the main parser; ``command(name, help, description)``
is cli.py's factory for a subcommand parser.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from .errors import InputError

__all__ = ["register"]


def register(sub: argparse._SubParsersAction, command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add capture, keyframes, describe, dataset and eval to ``sub``."""
    del sub
    p = command("capture", "a video of a face (or an image folder) -> Live Link Face CSV, keyframes.json or outputs",
                "MediaPipe FaceLandmarker reads every frame: 51 blendshapes, head and eye angles. -o OUT.csv writes "
                "the take; -o OUT.json its extracted, described keyframes; -o FOLDER the outputs `animate` writes "
                "(animation.csv is the take). Frames without a face hold the last one and are counted.")
    p.add_argument("video", metavar="VIDEO", help="a video file (anything ffmpeg reads) or a folder of images")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help=".csv, .json or an output folder")
    p.add_argument("--start", type=float, metavar="SECONDS", help="start here (seconds)")
    p.add_argument("--end", type=float, metavar="SECONDS", help="stop here (seconds)")
    p.add_argument("--fps", type=float, help="frame rate of an image folder (30) or to override the video's")
    p.add_argument("--smooth", action="store_true", help="One-Euro smoothing of the tracked curves")
    p.add_argument("--background", default="", metavar="TEXT", help="scene text for keyframes.json / outputs")
    p.add_argument("--emotion", default="", metavar="TEXT", help="emotion text for keyframes.json / outputs")
    p.add_argument("--no-preview", action="store_true", help="folder output without preview.mp4 and images")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_capture)

    p = command("keyframes", "a dense take -> the keyframes an animator would set (keyframes.json)",
                "Keys at every prominent expression peak and the returns between, placed so the timeline rebuilt "
                "from them (`convert keyframes.json -o rebuilt.csv --no-life`) is at least as close to the take as "
                "as many uniform keys with straight in-betweens. At most 64 keys.")
    p.add_argument("take", metavar="TAKE", help="Live Link Face CSV, or an output folder")
    p.add_argument("-o", "--output", required=True, metavar="keyframes.json", help="file to write")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--keys", type=int, metavar="N", help="exactly N keys")
    g.add_argument("--rate", type=float, metavar="PER_SECOND", help="keys per second of take")
    p.add_argument("--max-error", type=float, metavar="E", help="fewest keys with mean abs error <= E (0.02)")
    p.add_argument("--background", default="", metavar="TEXT", help="scene text to store")
    p.add_argument("--emotion", default="", metavar="TEXT", help="emotion text to store")
    p.set_defaults(func=_cmd_keyframes)

    p = command("describe", "keyframes -> one plain-English description per keyframe (the inverse of pose)")
    p.add_argument("input", metavar="INPUT", help="keyframes.json, a take (.csv: its keys are extracted first) "
                   "or an output folder")
    p.add_argument("--json", action="store_true", help="print a JSON list of strings")
    p.set_defaults(func=_cmd_describe)

    p = command("dataset", "build an SFT dataset from videos/takes, or export it as chat JSONL")
    dsub = p.add_subparsers(title="dataset commands", metavar="ACTION")
    b = dsub.add_parser("build", help="MANIFEST.jsonl -> DATASET/ (items/<id>/script.yaml, take.csv, keyframes.json)",
                        description="Each manifest line: {\"id\", \"video\" | \"take\", \"background\", "
                        "\"emotion\"}. Resumable; a bad item is reported in DATASET/report.json and skipped.")
    b.add_argument("manifest", metavar="MANIFEST.jsonl")
    b.add_argument("-o", "--output", required=True, metavar="DATASET", help="dataset folder")
    b.add_argument("--workers", type=int, metavar="N", help="worker processes (default: all cores)")
    b.add_argument("--max-keys", type=int, default=8, metavar="N", help="keyframes per script; longer takes split (8)")
    b.add_argument("--ray", action="store_true", help="run items as Ray tasks (the ray extra; RAY_ADDRESS)")
    b.add_argument("--no-resume", action="store_true", help="redo items that are already built")
    b.set_defaults(func=_cmd_dataset_build)
    e = dsub.add_parser("export", help="DATASET/ -> one chat line per keyframe in the release's request format")
    e.add_argument("dataset", metavar="DATASET")
    e.add_argument("-o", "--output", required=True, metavar="train.jsonl")
    e.add_argument("--format", choices=("swift", "openai"), default="swift",
                   help="both write {\"messages\": [system, user, assistant]} (ms-swift and OpenAI read it)")
    e.add_argument("--split", type=float, default=0.0, metavar="SHARE", help="hold out this share of items "
                   "into <stem>.val.jsonl (by source id)")
    e.set_defaults(func=_cmd_dataset_export)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    p = command("eval", "PRED vs GOLD: MAE, MAE on active channels, activation F1, per-region errors",
                "Each INPUT is an output folder, a keyframes.json or a Live Link CSV. Keyframes on both sides are "
                "compared key by key, otherwise frame by frame.")
    p.add_argument("pred", metavar="PRED")
    p.add_argument("gold", metavar="GOLD")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_cmd_eval)


def _cmd_capture(args: argparse.Namespace) -> int:
    from .capture import capture

    out = Path(args.output)
    suffix = out.suffix.lower()
    cap = capture(args.video, start=args.start, end=args.end, fps=args.fps, smooth=args.smooth,
                  progress=not args.quiet)
    for warning in cap.warnings():
        print(f"warning: {warning}", file=sys.stderr)
    if suffix == ".csv":
        from .formats.livelink_csv import write_livelink_csv

        write_livelink_csv(out, cap.values, cap.fps)
        print(f"wrote {out} ({len(cap.values)} frames at {cap.fps:g} fps)")
        return 0
    if suffix == ".json":
        from .keyframes_extract import write_take_keyframes

        count = write_take_keyframes(str(out), cap.values, cap.fps, background=args.background,
                                     emotion=args.emotion, source=cap.source)
        print(f"wrote {out} ({count} keyframes from {len(cap.values)} frames)")
        return 0
    if suffix:
        raise InputError(f"unknown output type '{out.suffix}': expected .csv, .json or a folder", path=str(out))
    from .data import Timeline
    from .keyframes_extract import take_keyframes
    from .outputs import write_outputs
    from .pipeline import Animation

    script, keyframes, times, _, extra = take_keyframes(cap.values, cap.fps, background=args.background,
                                                        emotion=args.emotion, source=cap.source)
    timeline = Timeline(fps=cap.fps, values=cap.values, key_times=tuple(times), keyframes=tuple(keyframes))
    animation = Animation(script=script, keyframes=tuple(keyframes), timeline=timeline, planned_by="capture")
    for path in write_outputs(animation, out, preview=not args.no_preview, extra=extra):
        print(f"wrote {path}")
    return 0


def _dense(path: str):
    if path.lower().endswith(".csv"):
        from .keyframes_extract import read_take

        return read_take(path)
    from .formats.animation_file import load_animation

    anim = load_animation(path, life=False)
    return anim.values, anim.fps


def _cmd_keyframes(args: argparse.Namespace) -> int:
    from .keyframes_extract import write_take_keyframes

    if not args.output.lower().endswith(".json"):
        raise InputError("expected a .json output (keyframes.json)", path=args.output)
    values, fps = _dense(args.take)
    count = write_take_keyframes(args.output, values, fps, background=args.background, emotion=args.emotion,
                                 source=args.take, keys=args.keys, rate=args.rate, max_error=args.max_error)
    print(f"wrote {args.output} ({count} keyframes from {len(values)} frames)")
    return 0


def _cmd_describe(args: argparse.Namespace) -> int:
    from .describe import describe_sequence

    path = Path(args.input)
    if path.suffix.lower() == ".csv":
        from .keyframes_extract import key_frames

        values, fps = _dense(str(path))
        keys = list(key_frames(values, fps).values)
    else:
        from .formats.animation_file import load_animation

        anim = load_animation(path, life=False)
        if not anim.keyframes:
            raise InputError("no keyframes in it (give a keyframes.json, an output folder or a take .csv)",
                             path=str(path))
        keys = [k.values for k in anim.keyframes]
    from .cli import print_numbered

    print_numbered(describe_sequence(keys), as_json=args.json)
    return 0


def _cmd_dataset_build(args: argparse.Namespace) -> int:
    from .dataset import build_dataset

    if args.max_keys < 2:
        raise InputError(f"{args.max_keys} not >= 2", field="--max-keys")
    report = build_dataset(args.manifest, args.output, workers=args.workers, max_keys=args.max_keys,
                           resume=not args.no_resume, ray=args.ray,
                           progress=lambda ident, state: print(f"{state}: {ident}", file=sys.stderr))
    print(report.summary())
    return 0 if report.ok else 1


def _cmd_dataset_export(args: argparse.Namespace) -> int:
    from .dataset import export_dataset

    for path, count in export_dataset(args.dataset, args.output, fmt=args.format, split=args.split).items():
        print(f"wrote {path} ({count} lines)")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_files

    scores = evaluate_files(args.pred, args.gold)
    if args.json:
        print(json.dumps(scores.as_dict()))
        return 0
    print(f"{scores.rows} {scores.unit}s: MAE {scores.mae:.4f}, MAE active {scores.mae_active:.4f}, "
          f"precision {scores.precision:.3f}, recall {scores.recall:.3f}, F1 {scores.f1:.3f}")
    for region, err in scores.regions.items():
        print(f"  {region:<7} {err:.4f}")
    return 0
