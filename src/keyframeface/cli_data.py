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

from ._console import bounded as _bounded
from ._console import print_numbered, progress_bar
from .errors import InputError

__all__ = ["register"]

NEUTRAL_HELP = ("calibrate to the resting face: auto (estimated over the take), SECONDS (the take's first "
                "seconds are neutral) or FILE (a .neutral.json or a resting-face .csv); stored beside the result")


def register(sub: argparse._SubParsersAction, command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add capture, keyframes, describe, dataset and eval to ``sub``."""
    del sub
    # Numeric options are checked by argparse (exit 2 naming the option, before any work): finite and in range.
    _seconds = _bounded(float, 0, 10**7)  # not before the clip; 10^7 s (~4 months) is beyond any take
    _fps = _bounded(float, 1, 240)
    _rate = _bounded(float, 0.01, 60)  # keys per second of take
    p = command("capture", "a video of a face (or an image folder) -> Live Link Face CSV, keyframes.json or outputs",
                "MediaPipe FaceLandmarker reads every frame: 51 blendshapes, head and eye angles. -o OUT.csv writes "
                "the take; -o OUT.json its extracted, described keyframes; -o FOLDER the outputs `animate` writes "
                "(animation.csv is the take). Frames without a face hold the last one and are counted.")
    p.add_argument("video", metavar="VIDEO", help="a video file (anything ffmpeg reads) or a folder of images")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help=".csv, .json or an output folder")
    p.add_argument("--start", type=_seconds, metavar="SECONDS", help="start here (seconds)")
    p.add_argument("--end", type=_seconds, metavar="SECONDS", help="stop here (seconds)")
    p.add_argument("--fps", type=_fps, help="frame rate of an image folder (30) or to override the video's "
                   "(1-240)")
    p.add_argument("--smooth", action="store_true", help="One-Euro smoothing of the tracked curves")
    p.add_argument("--neutral", metavar="auto|SECONDS|FILE", help=NEUTRAL_HELP)
    p.add_argument("--background", default="", metavar="TEXT", help="scene text for keyframes.json / outputs")
    p.add_argument("--emotion", default="", metavar="TEXT", help="emotion text for keyframes.json / outputs")
    p.add_argument("--no-preview", action="store_true", help="folder output without preview.mp4 and images")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_verbose(p)
    p.set_defaults(func=_cmd_capture)

    p = command("keyframes", "a dense take -> the keyframes an animator would set (keyframes.json)",
                "Keys at every prominent expression peak and the returns between, placed so the timeline rebuilt "
                "from them (`convert keyframes.json -o rebuilt.csv --no-life`) is at least as close to the take as "
                "as many uniform keys with straight in-betweens. As many keys as the take needs (the 64-key limit "
                "is for hand-written scripts); --max-keys N -o FOLDER splits the take into scripts at its quiet keys.")
    p.add_argument("take", metavar="TAKE", help="Live Link Face CSV, or an output folder")
    p.add_argument("-o", "--output", required=True, metavar="keyframes.json",
                   help="file to write (a FOLDER with --max-keys)")
    p.add_argument("--max-keys", type=int, metavar="N", help="split into scripts of at most N keys: "
                   "FOLDER/<stem>-001/{script.yaml,keyframes.json,take.csv} ...")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--keys", type=_bounded(int, 2, 216000), metavar="N", help="exactly N keys (at least 2)")
    g.add_argument("--rate", type=_rate, metavar="PER_SECOND", help="keys per second of take (0.01-60)")
    p.add_argument("--max-error", type=_bounded(float, 0, 2), metavar="E",
                   help="fewest keys with mean abs error <= E (0.02)")
    p.add_argument("--neutral", metavar="auto|SECONDS|FILE", help=NEUTRAL_HELP)
    p.add_argument("--background", default="", metavar="TEXT", help="scene text to store")
    p.add_argument("--emotion", default="", metavar="TEXT", help="emotion text to store")
    p.set_defaults(func=_cmd_keyframes)

    p = command("describe", "keyframes -> one plain-English description per keyframe (the inverse of pose)",
                "Perspectives: animator (default: the expression first, the few salient parts, relative to the "
                "previous keyframe), channels (every active action, region by region), facs (action units), "
                "emotion (the emotion the face reads as, in the script's emotion). --llm-url/--llm-model annotate "
                "through any OpenAI-compatible LLM; --video attaches each keyframe's frame for a vision model.")
    p.add_argument("input", metavar="INPUT", help="keyframes.json, a take (.csv: its keys are extracted first) "
                   "or an output folder")
    p.add_argument("--json", action="store_true", help="print a JSON list of strings")
    p.add_argument("--perspective", choices=("animator", "channels", "facs", "emotion"), default="animator",
                   help="what to write (animator)")
    p.add_argument("--emotion", metavar="TEXT", help="the script's emotion (default: the one INPUT stores)")
    p.add_argument("--llm-url", metavar="URL", help="annotate with an OpenAI-compatible server instead")
    p.add_argument("--llm-model", metavar="NAME", help="its model name")
    p.add_argument("--video", metavar="VIDEO", help="with --llm-url: attach each keyframe's frame of this video "
                   "(the one the take was captured from) as an image")
    p.add_argument("--neutral", metavar="auto|SECONDS|FILE", help=NEUTRAL_HELP)
    p.set_defaults(func=_cmd_describe)

    p = command("dataset", "build an SFT dataset from videos/takes, or export it as chat JSONL")
    dsub = p.add_subparsers(title="dataset commands", metavar="ACTION")
    b = dsub.add_parser("build", help="MANIFEST.jsonl -> DATASET/ (items/<id>/script.yaml, take.csv, keyframes.json)",
                        description="Each manifest line: {\"id\", \"video\" | \"take\", \"background\", "
                        "\"emotion\"}. Resumable; a bad item is reported in DATASET/report.json and skipped.")
    b.add_argument("manifest", metavar="MANIFEST.jsonl", help="one JSON object per line: id, video or take, "
                   "background, emotion (optional start/end seconds)")
    b.add_argument("-o", "--output", required=True, metavar="DATASET", help="dataset folder")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_verbose(b)
    b.add_argument("--workers", type=_bounded(int, 1, 256), metavar="N",
                   help="worker processes, 1-256 (default: all cores)")
    b.add_argument("--max-keys", type=_bounded(int, 2, 64), default=8, metavar="N",
                   help="keyframes per script, 2-64; longer takes split (8)")
    b.add_argument("--ray", action="store_true", help="run items as Ray tasks (the ray extra; RAY_ADDRESS)")
    b.add_argument("--no-resume", action="store_true", help="redo items that are already built")
    b.add_argument("--neutral", metavar="auto|SECONDS|FILE", help="calibrate every item to its resting face "
                   "(auto: estimated per item; SECONDS: each item's first seconds; FILE: one neutral for all)")
    b.set_defaults(func=_cmd_dataset_build)
    e = dsub.add_parser("export", help="DATASET/ -> one chat line per keyframe in the release's request format")
    e.add_argument("dataset", metavar="DATASET", help="a folder `dataset build` wrote")
    e.add_argument("-o", "--output", required=True, metavar="train.jsonl", help="chat JSONL to write")
    e.add_argument("--format", choices=("swift", "openai"), default="swift",
                   help="both write {\"messages\": [system, user, assistant]} (ms-swift and OpenAI read it)")
    e.add_argument("--split", type=_bounded(float, 0, 0.99), default=0.0, metavar="SHARE",
                   help="hold out this share of items (0-0.99) into <stem>.val.jsonl (by source id)")
    e.add_argument("--perspective", choices=("script", "animator", "channels", "facs", "emotion", "llm"),
                   default="script", metavar="NAME", help="the descriptions in the requests: script (script.yaml's, "
                   "the default); animator, channels, facs or emotion (written from the keyframes' values); or llm "
                   "(annotated by --llm-url/--llm-model)")
    e.add_argument("--llm-url", metavar="URL", help="OpenAI-compatible server for --perspective llm")
    e.add_argument("--llm-model", metavar="NAME", help="its model name")
    e.set_defaults(func=_cmd_dataset_export)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    p = command("eval", "PRED vs GOLD: MAE, MAE on active channels, activation F1, per-region errors",
                "PRED and GOLD are each an output folder, a keyframes.json or a Live Link CSV. Keyframes on both "
                "sides are compared key by key, otherwise frame by frame.")
    p.add_argument("pred", metavar="PRED", help="the predicted animation (output folder, keyframes.json or .csv)")
    p.add_argument("gold", metavar="GOLD", help="the reference animation, same kinds")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_cmd_eval)


def _add_verbose(p: argparse.ArgumentParser) -> None:
    """A command that loads MediaPipe: its native log lines are silenced unless ``--verbose`` (given before or
    after the command; SUPPRESS: absent here leaves the top-level flag's value)."""
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                   help="keep MediaPipe / absl / TFLite log lines (silenced by default)")
    p.set_defaults(native_logs=True)


def _cmd_capture(args: argparse.Namespace) -> int:
    from .capture import capture

    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in ("", ".csv", ".json"):  # before the (long) tracking
        raise InputError(f"unknown output type '{out.suffix}': expected .csv, .json or a folder", path=str(out))
    cap = capture(args.video, start=args.start, end=args.end, fps=args.fps, smooth=args.smooth,
                  progress=not args.quiet)
    for warning in cap.warnings():
        print(f"warning: {warning}", file=sys.stderr)
    values, neutral = cap.values, None
    if args.neutral is not None:
        from .neutral import calibrate, resolve_neutral

        neutral = resolve_neutral(args.neutral, values, cap.fps)
        values = calibrate(values, neutral)
    if suffix == ".csv":
        from .formats.livelink_csv import write_livelink_csv

        write_livelink_csv(out, values, cap.fps)
        print(f"wrote {out} ({len(values)} frames at {cap.fps:g} fps)")
        _write_sidecar(out, neutral)
        return 0
    if suffix == ".json":
        from .keyframes_extract import write_take_keyframes

        count = write_take_keyframes(str(out), values, cap.fps, background=args.background,
                                     emotion=args.emotion, source=cap.source, neutral=neutral)
        print(f"wrote {out} ({count} keyframes from {len(cap.values)} frames)")
        return 0
    from .data import Timeline
    from .keyframes_extract import take_keyframes
    from .outputs import write_outputs
    from .pipeline import Animation

    script, keyframes, times, _, extra = take_keyframes(values, cap.fps, background=args.background,
                                                        emotion=args.emotion, source=cap.source, neutral=neutral)
    timeline = Timeline(fps=cap.fps, values=values, key_times=tuple(times), keyframes=tuple(keyframes))
    animation = Animation(script=script, keyframes=tuple(keyframes), timeline=timeline, planned_by="capture")
    for path in write_outputs(animation, out, preview=not args.no_preview, extra=extra):
        print(f"wrote {path}")
    _write_sidecar(out / "animation.csv", neutral)
    return 0


def _write_sidecar(take: Path, neutral) -> None:
    """Store a calibration beside the calibrated take (take.csv -> take.neutral.json), so it can be undone."""
    if neutral is None:
        return
    from .neutral import sidecar_path, write_neutral

    write_neutral(sidecar_path(take), neutral)
    print(f"wrote {sidecar_path(take)} (neutral: {neutral.method})")


def _take(path: str, spec: str | None):
    """(values, fps, Neutral or None) of a take: calibrated by ``spec``, or as its sidecar says it already is."""
    from .neutral import calibrate, read_neutral, resolve_neutral, sidecar_path

    values, fps = _dense(path)
    stored = sidecar_path(path) if path.lower().endswith(".csv") else None
    if stored is not None and stored.is_file():
        if spec is not None:
            raise InputError(f"the take is already calibrated ({stored.name} beside it); drop --neutral, or "
                             "remove that file to start from the values as they are", field="--neutral")
        return values, fps, read_neutral(stored)
    if spec is None:
        return values, fps, None
    neutral = resolve_neutral(spec, values, fps)
    return calibrate(values, neutral), fps, neutral


def _dense(path: str):
    if path.lower().endswith(".csv"):
        from .keyframes_extract import read_take

        return read_take(path)
    from .formats.animation_file import load_animation

    anim = load_animation(path, life=False)
    return anim.values, anim.fps


def _cmd_keyframes(args: argparse.Namespace) -> int:
    from .keyframes_extract import write_take_keyframes

    if args.max_keys is not None:
        if args.output.lower().endswith(".json"):
            raise InputError("--max-keys writes a folder of scripts: give a folder, not a .json", path=args.output)
        if args.keys is not None or args.rate is not None or args.max_error is not None:
            raise InputError("--max-keys places the keys of each script itself; drop --keys/--rate/--max-error",
                             field="--max-keys")
        from .dataset import split_take

        values, fps, neutral = _take(args.take, args.neutral)
        names = split_take(values, fps, args.output, max_keys=args.max_keys, ident=Path(args.take).stem,
                           background=args.background, emotion=args.emotion, source=args.take, neutral=neutral)
        print(f"wrote {len(names)} scripts to {args.output} ({names[0]} ... {names[-1]})")
        return 0
    if not args.output.lower().endswith(".json"):
        raise InputError("expected a .json output (keyframes.json), or a folder with --max-keys", path=args.output)
    values, fps, neutral = _take(args.take, args.neutral)
    count = write_take_keyframes(args.output, values, fps, background=args.background, emotion=args.emotion,
                                 source=args.take, keys=args.keys, rate=args.rate, max_error=args.max_error,
                                 neutral=neutral)
    print(f"wrote {args.output} ({count} keyframes from {len(values)} frames)")
    return 0


def _cmd_describe(args: argparse.Namespace) -> int:
    from .describe import annotate

    path = Path(args.input)
    emotion, background, frames = "", "", None
    if path.suffix.lower() == ".csv":
        from .keyframes_extract import key_frames

        values, fps, _ = _take(str(path), args.neutral)
        ex = key_frames(values, fps)
        keys, frames = list(ex.values), ex.frames.tolist()
    else:
        from .formats.animation_file import load_animation

        anim = load_animation(path, life=False)
        if not anim.keyframes:
            raise InputError("no keyframes in it (give a keyframes.json, an output folder or a take .csv)",
                             path=str(path))
        keys = [k.values for k in anim.keyframes]
        emotion, background = anim.script.emotion, anim.script.background
        frames = _stored_key_frames(path)
        if args.neutral is not None:  # relative to the resting face: estimated over the animation's frames
            import numpy as np

            from .neutral import calibrate, resolve_neutral

            keys = list(calibrate(np.stack(keys), resolve_neutral(args.neutral, anim.values, anim.fps)))
    emotion = args.emotion if args.emotion is not None else emotion
    if args.video and not args.llm_url:
        raise InputError("--video attaches frames for an LLM: give --llm-url (and --llm-model) too", field="--video")
    if args.llm_url or args.llm_model:
        from .annotate_llm import annotate_llm, video_frames
        from .backends.llm.config import resolve_settings

        settings = resolve_settings(args.llm_url, args.llm_model)
        images = None
        if args.video:
            if frames is None:
                raise InputError("--video needs the keys' frame numbers: give a take .csv or a keyframes.json "
                                 "written by capture/keyframes (extra.key_frames)", field="--video")
            images = video_frames(args.video, frames)
        texts = annotate_llm(keys, settings, background=background, emotion=emotion, images=images)
    else:
        texts = annotate(keys, args.perspective, emotion=emotion)
    print_numbered(texts, as_json=args.json)
    return 0


def _stored_key_frames(path: Path) -> list[int] | None:
    """extra.key_frames of a keyframes.json (or an output folder's) written from a take, else None."""
    import json as _json

    doc_path = path / "keyframes.json" if path.is_dir() else path
    try:
        doc = _json.loads(doc_path.read_text(encoding="utf-8"))
        frames = doc["extra"]["key_frames"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    ok = isinstance(frames, list) and all(isinstance(f, int) and not isinstance(f, bool) and f >= 0 for f in frames)
    return frames if ok else None


def _cmd_dataset_build(args: argparse.Namespace) -> int:
    from .dataset import build_dataset

    with progress_bar(None, "dataset", "item", enabled=not args.quiet, delay=0) as bar:
        def tick(ident: str, state: str) -> None:
            # On a terminal a bar (failures written above it); in a log one line per item; --quiet: failures only.
            if state == "failed" or (bar.disable and not args.quiet):
                bar.write(f"{state}: {ident}", file=sys.stderr)
            bar.update(1)

        report = build_dataset(args.manifest, args.output, workers=args.workers, max_keys=args.max_keys,
                               resume=not args.no_resume, ray=args.ray, neutral=args.neutral,
                               progress=tick)
    print(report.summary())
    return 0 if report.ok else 1


def _cmd_dataset_export(args: argparse.Namespace) -> int:
    from .dataset import export_dataset

    llm = None
    if args.perspective == "llm" or args.llm_url or args.llm_model:
        from .backends.llm.config import resolve_settings

        if args.perspective != "llm":
            raise InputError("--llm-url/--llm-model annotate only with --perspective llm", field="--perspective")
        llm = resolve_settings(args.llm_url, args.llm_model)
    for path, count in export_dataset(args.dataset, args.output, fmt=args.format, split=args.split,
                                      perspective=args.perspective, llm=llm).items():
        print(f"wrote {path} ({count} lines)")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_files

    scores = evaluate_files(args.pred, args.gold)
    for warning in scores.warnings():
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        print(json.dumps(scores.as_dict()))
        return 0
    print(f"{scores.rows} {scores.unit}s: MAE {scores.mae:.4f}, MAE active {scores.mae_active:.4f}, "
          f"precision {scores.precision:.3f}, recall {scores.recall:.3f}, F1 {scores.f1:.3f}")
    for region, err in scores.regions.items():
        print(f"  {region:<7} {err:.4f}")
    return 0
