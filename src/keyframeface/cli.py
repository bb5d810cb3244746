"""The `keyframeface` command: a thin shell over the library.

Parses options, calls the library, prints results and maps errors to exit codes
(input errors 2, backend errors 1, missing extras 3). Heavy modules are imported
inside the commands so `keyframeface --help` and `animate` start fast.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from ._console import bounded as _bounded
from ._console import print_numbered, quiet_native_logs
from .errors import InputError, KeyframeFaceError

__all__ = ["main"]

_EPILOG = """\
examples:
  keyframeface demo
  keyframeface animate --background "A student waits outside an interview." \\
      --emotion "Anxiety concealed by a restrained smile." -o out/
  keyframeface animate script.yaml -o out/ --fps 60 --seed 3
  keyframeface pose "the inner brows lift and the lips press" --json --explain
  keyframeface plan --background "A surprise party" \\
      --emotion "shock turning into joy" --json
  keyframeface render out/ -o out/preview.gif
  keyframeface convert out/ -o out/face.glb
  keyframeface stream out/ --host 192.168.1.20

Sides are the subject's own: 'left' is the face's left, the viewer's right.
`keyframeface COMMAND --help` shows a command's options.
Docs: README.md and docs/ (the site: pip install '.[docs]'; mkdocs serve).
Exit status: 0 ok, 1 backend failure, 2 bad input, 3 missing extra, 4 serve cannot listen."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = _build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # said by the (sub)command's own parser, with its usage, not the top-level one
        owner = getattr(args, "parser", None) or parser
        owner.error(_unrecognized(owner, extra))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        _check_texts(args)
        _check_outputs(args)
        with quiet_native_logs(getattr(args, "native_logs", False) and not args.verbose):
            return int(args.func(args) or 0)
    except KeyframeFaceError as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except ModuleNotFoundError as exc:  # an optional package this command needs is not installed
        from .errors import missing_extra

        error = missing_extra(exc.name or "", command=getattr(args, "command_name", None) or _command(argv))
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return error.exit_code


def _check_texts(args: argparse.Namespace) -> None:
    """Text options must be text: bytes that are not UTF-8 (lone surrogates in argv) are an InputError."""
    from ._limits import check_text

    for name in ("background", "emotion", "description", "subject", "llm_url", "llm_model", "host"):
        value = getattr(args, name, None)
        if isinstance(value, str):
            check_text(value, name if name == "description" else "--" + name.replace("_", "-"))


_INPUTS = ("script", "scripts", "results", "video", "take", "input", "compare", "manifest", "dataset")
_INDEX = "manifest.jsonl"  # a dataset folder's index (dataset build writes it, dataset export reads it)


def _check_outputs(args: argparse.Namespace) -> None:
    """No command writes over one of its inputs: ``-o`` (or a file written inside it) must not be an input
    file, an input folder, or a file an input folder is read from. InputError (exit 2) before any work."""
    output = getattr(args, "output", None)
    if not isinstance(output, str):
        return
    from ._io import refuse_overwrite
    from .filenames import CORE_FILES, PREVIEW_FILES

    out = Path(output)
    written = [out]
    if out.name:  # dataset export --split also writes <stem>.val<suffix>
        written.append(out.with_name(out.stem + ".val" + out.suffix))
    written += [out / file for file in (*CORE_FILES, *PREVIEW_FILES, _INDEX, "report.json")]
    read: list[Path] = []
    for name in _INPUTS:
        value = getattr(args, name, None)
        if isinstance(value, str) and value:
            path = Path(value)
            read.append(path)
            if path.is_dir():
                read += [path / file for file in (*CORE_FILES, _INDEX)]
    refuse_overwrite(written, read)


def _command(argv: Sequence[str] | None) -> str:
    """The command word of ``argv`` (for messages)."""
    words = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")]
    return words[0] if words else "keyframeface"


class _Parser(argparse.ArgumentParser):
    """argparse with "did you mean" for a mistyped command or choice (the subcommands use this class too)."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = [str(c) for c in action.choices]
            raise argparse.ArgumentError(action, f"invalid choice: {value!r}{_did_you_mean(str(value), choices)}; "
                                                 f"choose from {', '.join(choices)}")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions wrapped to the terminal, paragraph by paragraph; indented lines (examples) kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(line if not line.strip() or line[0].isspace() else
                         textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent)
                         for line in text.splitlines())


def _did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """' (did you mean X?)' for the closest candidates (difflib), or '' when none is close."""
    close = difflib.get_close_matches(word, candidates, n=2, cutoff=0.6)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def _unrecognized(parser: argparse.ArgumentParser, extra: Sequence[str]) -> str:
    """The 'unrecognized arguments' message, each mistyped option followed by the closest real ones."""
    options = [s for action in parser._actions for s in action.option_strings]

    def hint(word: str) -> str:
        name = word.split("=", 1)[0]
        if not word.startswith("-"):
            return ""
        if name in options:  # a real option of this command, given before the command's name
            return f" (give it after the command: {parser.prog} ... {name})"
        return _did_you_mean(name, options)

    return "unrecognized arguments: " + " ".join(w + hint(w) for w in extra)


# ---------------------------------------------------------------- commands


def _cmd_plan(args: argparse.Namespace) -> int:
    backend = _planner(args)
    background, emotion = _required(args.background, "--background"), _required(args.emotion, "--emotion")
    if args.explain and backend.name == "engine":
        from .backends.engine.plan import explain_plan

        print(explain_plan(background, emotion, args.keyframes), file=sys.stderr if args.json else sys.stdout)
        if not args.json:
            return 0
    specs = backend.plan(background, emotion, args.keyframes)
    print_numbered([s.description for s in specs], as_json=args.json)
    return 0


def _cmd_pose(args: argparse.Namespace) -> int:
    from .data import KeyframeSpec, Script

    description = args.description.strip()
    if not description:
        raise InputError("expected a non-empty keyframe description", field="DESCRIPTION")
    script = Script(background=args.background or "", emotion=args.emotion or "",
                    keyframes=(KeyframeSpec(description),))
    keyframe = _backend(args).pose(script, 0)
    if args.intensity is not None:
        from .intensity import apply_intensity

        keyframe = apply_intensity(keyframe, args.intensity)
    if args.explain:
        print(_explanation(keyframe), file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps({k: round(v, 4) for k, v in keyframe.as_dict().items()}))
    elif not args.explain:
        for name, value in keyframe.as_dict().items():
            if abs(value) >= 0.005:
                print(f"{name:<20} {value:+.3f}")
    return 0


def _cmd_animate(args: argparse.Namespace) -> int:
    from .outputs import write_outputs
    from .pipeline import Pipeline

    script = _script_from_args(args)
    animation = Pipeline.from_choice(_choice(args), life=not args.no_life, keyframes=args.keyframes,
                                     intensity=1.0 if args.intensity is None else args.intensity).run(script)
    if args.explain:
        for i, kf in enumerate(animation.keyframes, 1):
            print(f"Keyframe {i}: {kf.spec.description}\n{_explanation(kf)}\n")
    _report(animation, write_outputs(animation, args.output, preview=not args.no_preview))
    return 0


def _report(animation, written: Sequence[Path]) -> None:
    """Say what was made and where it went."""
    frames = animation.timeline.frames
    planned = "written in the script" if animation.planned_by == "script" else f"{animation.planned_by} planned"
    print(f"{len(animation.keyframes)} keyframes ({planned}, "
          f"{animation.keyframes[0].backend} posed), {frames} frames at {animation.script.fps:g} fps "
          f"({frames / animation.script.fps:.1f} s)")
    for path in written:
        print(f"wrote {path}")


def _cmd_demo(args: argparse.Namespace) -> int:
    from importlib import resources

    from .outputs import write_outputs
    from .pipeline import Pipeline
    from .script import load_script

    example = resources.files("keyframeface") / "examples" / "interview.yaml"
    with resources.as_file(example) as path:
        print(f"script: {path}")
        print(path.read_text(encoding="utf-8"))
        animation = Pipeline().run(load_script(path))
    _report(animation, write_outputs(animation, args.output, preview=not args.no_preview))
    watch = f"open {Path(args.output) / 'preview.mp4'} to watch it" if not args.no_preview else \
        f"`keyframeface render {args.output} -o preview.mp4` draws it"
    print(f"\n{watch}; animation.csv imports into MetaHuman / Live Link Face tooling.")
    return 0


def _cmd_render(args: argparse.Namespace) -> int:
    from .render import render_input

    if args.three_d:
        from .web.render3d import render_3d

        if args.compare:
            raise InputError("--3d renders one animation; drop --compare")
        print(f"wrote {render_3d(Path(args.input), Path(args.output), size=args.size, fps=args.fps)}")
        return 0
    out = render_input(Path(args.input), Path(args.output), size=args.size,
                       compare=Path(args.compare) if args.compare else None, fps=args.fps,
                       progress=not args.quiet)
    print(f"wrote {out}")
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch

    report = run_batch(Path(args.scripts), Path(args.output), backend_options=_backend_options(args),
                       concurrency=args.concurrency, progress=not args.quiet, resume=not args.no_resume,
                       preview=args.preview, life=not args.no_life)
    print(report.summary())
    return 0 if report.ok else 1


def _cmd_export_requests(args: argparse.Namespace) -> int:
    from .formats.reference import write_requests
    from .script import load_script

    script = load_script(args.script)
    if not script.keyframes:
        script, _ = _pipeline_for_plan(args).plan(script)
    write_requests(script, Path(args.output))
    print(f"wrote {len(script.keyframes)} requests to {args.output}")
    return 0


def _cmd_import_results(args: argparse.Namespace) -> int:
    from .backends.replay import ReplayBackend
    from .formats.reference import read_results
    from .outputs import write_outputs
    from .pipeline import Pipeline
    from .script import load_script

    script = _apply_overrides(load_script(args.script), args)
    if not script.keyframes:
        raise InputError("the script needs its keyframes (the ones the requests were made from)",
                         path=script.source, field="keyframes")
    results = dict(enumerate(read_results(Path(args.results), script)))
    animation = Pipeline(ReplayBackend(results, name="reference-results"), life=not args.no_life).run(script)
    for path in write_outputs(animation, args.output, preview=not args.no_preview):
        print(f"wrote {path}")
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from .writers import SUFFIXES, read_file, write_file

    out = Path(args.output)
    if out.suffix.lower() not in SUFFIXES:
        raise InputError(f"unknown output type '{out.suffix}': expected one of {', '.join(SUFFIXES)}",
                         path=str(out))
    anim = read_file(args.input, life=not args.no_life)
    write_file(out, anim)
    print(f"wrote {out} ({len(anim.values)} frames at {anim.fps:g} fps)")
    return 0


def _cmd_stream(args: argparse.Namespace) -> int:
    from .formats.animation_file import load_animation
    from .formats.livelink_udp import stream_udp
    from .formats.vmc import stream_vmc
    from .senders import PROTOCOLS

    from .formats.udp import udp_destination

    anim = load_animation(args.input)
    port = args.port or PROTOCOLS[args.protocol]
    udp_destination(args.host, port, broadcast=args.broadcast).close()  # a bad host: exit 2 before "streaming"
    print(f"streaming {len(anim.values)} frames at {anim.fps:g} fps to {args.host}:{port} over {args.protocol}"
          f"{f' as subject {args.subject!r}' if args.protocol == 'livelink' else ''} (Ctrl-C stops)",
          file=sys.stderr)
    sent, start = 0, 0
    for _ in range(args.repeat):
        if args.protocol == "vmc":
            sent += stream_vmc(anim.values, anim.fps, args.host, port, realtime=not args.fast,
                               broadcast=args.broadcast)
        else:
            sent += stream_udp(anim.values, anim.fps, args.host, port, subject=args.subject,
                               start_frame=start, realtime=not args.fast, broadcast=args.broadcast)
        start += len(anim.values)
    print(f"sent {sent} packets")
    return 0


def _cmd_live(args: argparse.Namespace) -> int:
    from .live import LiveFace, read_lines, run_live
    from .senders import PROTOCOLS, open_sender

    port = args.port or PROTOCOLS[args.protocol]
    face = LiveFace(_backend(args), fps=args.fps, seed=args.seed or 0, background=args.background or "",
                    emotion=args.emotion or "", life_on=not args.no_life,
                    intensity=1.0 if args.intensity is None else args.intensity)
    sender = open_sender(args.protocol, args.host, port, fps=args.fps, subject=args.subject,
                         broadcast=args.broadcast)
    print(f"live at {args.fps:g} fps to {args.host}:{port} over {args.protocol}: type a keyframe description "
          "per line ('emotion: ...' changes the emotion); Ctrl-D or Ctrl-C ends", file=sys.stderr)
    try:
        stats = run_live(face, sender, read_lines(sys.stdin), linger=args.linger,
                         on_error=lambda exc: print(f"{type(exc).__name__}: {exc}", file=sys.stderr))
    finally:
        sender.close()
    print(f"sent {stats.packets} packets in {stats.seconds:.1f} s for {stats.lines} lines", file=sys.stderr)
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from .web import serve

    serve(args.host, args.port, time_limit=args.time_limit, allow_hosts=args.allow_host or (),
          on_listening=lambda url: print(f"keyframeface studio on {url}  (API docs: {url}docs; Ctrl-C stops)",
                                         file=sys.stderr, flush=True))
    return 0


def _cmd_channels(args: argparse.Namespace) -> int:
    from .channels import CHANNELS, HIGH, LOW, MIRROR, UDP_ORDER, region_of

    if args.json:
        print(json.dumps([{"name": n, "index_csv": i, "index_udp": UDP_ORDER.index(n), "region": region_of(n),
                           "min": float(LOW[i]), "max": float(HIGH[i]), "mirror": MIRROR[n]}
                          for i, n in enumerate(CHANNELS)], indent=1))
        return 0
    print(f"{'#':>2}  {'name':<20} {'udp#':>4}  {'region':<7} {'range':<8} mirror")
    for i, n in enumerate(CHANNELS):
        print(f"{i:>2}  {n:<20} {UDP_ORDER.index(n):>4}  {region_of(n):<7} "
              f"[{LOW[i]:g},{HIGH[i]:g}]   {MIRROR[n]}")
    return 0


# ---------------------------------------------------------------- helpers


def _required(value: str | None, option: str) -> str:
    if value is None or not value.strip():
        raise InputError(f"{option} is required and must be non-empty text")
    return value


def _script_from_args(args: argparse.Namespace):
    from .data import Script
    from .script import load_script

    if args.script:
        if args.background or args.emotion:
            raise InputError("give either a SCRIPT file or --background/--emotion, not both")
        script = load_script(args.script)
    else:
        if not args.background and not args.emotion:
            raise InputError("give a SCRIPT file, or --background TEXT and --emotion TEXT")
        script = Script(background=_required(args.background, "--background"),
                        emotion=_required(args.emotion, "--emotion"))
    return _apply_overrides(script, args)


def _apply_overrides(script, args: argparse.Namespace):
    changes: dict[str, Any] = {}
    if getattr(args, "fps", None) is not None:
        changes["fps"] = float(args.fps)
    if getattr(args, "seed", None) is not None:
        changes["seed"] = args.seed
    return dataclasses.replace(script, **changes) if changes else script


def _choice(args: argparse.Namespace):
    """The backend choice the options describe (backends.choose.BackendChoice)."""
    from .backends.choose import LLM_OPTIONS, BackendChoice

    flags = {"url": "llm_url", "model": "llm_model"}
    llm = {k: getattr(args, flags.get(k, k), None) for k in LLM_OPTIONS}
    return BackendChoice(backend=getattr(args, "backend", "engine"), planner=getattr(args, "planner", None),
                         llm=llm)


def _backend_options(args: argparse.Namespace) -> dict[str, Any]:
    """Options for batch.run_batch: {"backend": name, **LLM options}."""
    return _choice(args).options()


def _backend(args: argparse.Namespace):
    return _choice(args).make_backend()


def _planner(args: argparse.Namespace):
    return _choice(args).make_planner()


def _pipeline_for_plan(args: argparse.Namespace):
    from .pipeline import Pipeline

    return Pipeline(_planner(args), keyframes=getattr(args, "keyframes", None))


def _explanation(keyframe) -> str:
    """Which words set which channels, one line per contribution."""
    rows = [f"  {c.channel:<20} {c.value:+.2f}  <- \"{c.words}\"  ({c.rule})" for c in keyframe.explanation]
    if not rows:
        rows = ["  (neutral: nothing recognised)" if keyframe.warnings else
                "  (no explanation: this backend does not report one)"]
    return "\n".join(rows + [f"  warning: {w}" for w in keyframe.warnings])


_positive_int = _bounded(int, 1, 10**6)
_keyframe_count = _bounded(int, 1, 64)
_seed = _bounded(int, 0, 2**63 - 1)
_fps = _bounded(float, 1, 240)


def _add_backend_options(p: argparse.ArgumentParser, *, planner: bool = True) -> None:
    g = p.add_argument_group("backend (who turns words into numbers)")
    g.add_argument("--backend", choices=("engine", "llm"), default="engine",
                   help="engine: embedded, offline, CPU (default); llm: an OpenAI-compatible server")
    if planner:
        g.add_argument("--planner", choices=("engine", "llm"), default=None,
                       help="who writes keyframe descriptions when the script has none (default: --backend)")
    g.add_argument("--llm-url", metavar="URL", help="server base URL, e.g. http://127.0.0.1:8000/v1 "
                   "(env KEYFRAMEFACE_LLM_URL)")
    g.add_argument("--llm-model", metavar="NAME", help="model name as the server knows it, e.g. the LoRA name "
                   "(env KEYFRAMEFACE_LLM_MODEL); API key from env KEYFRAMEFACE_LLM_API_KEY or OPENAI_API_KEY")
    g.add_argument("--prompt-style", choices=("reference", "compact", "script"), default=None,
                   help="reference: the KeyframeFace release's exact prompt (default); compact: shorter answers; "
                        "script: one request for all keyframes of a script (general models)")
    g.add_argument("--structured", choices=("auto", "json_schema", "json_object", "none"), default=None,
                   metavar="MODE", help="how to ask for JSON: auto (default: a schema, falling back to what the "
                   "server accepts), json_schema, json_object or none")
    g.add_argument("--config", metavar="FILE", help="config file with llm url/model/options (TOML or YAML)")
    g.add_argument("--timeout", type=_bounded(float, 0.001, 86400), metavar="SECONDS",
                   help="per-request deadline, the whole exchange (default 120)")
    g.add_argument("--cache-dir", metavar="DIR", help="disk cache of LLM answers keyed by the full request")


def _add_intensity_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--intensity", type=_bounded(float, 0, 2), metavar="X",
                   help="expression scale about the neutral face: 0 neutral, 1 as written (default), up to 2; "
                        "head and gaze stay as written")


def _add_timeline_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("timing and output")
    g.add_argument("--fps", type=_fps, help="frames per second (overrides the script; default 30)")
    g.add_argument("--seed", type=_seed, help="random seed for blinks, gaze and sway (overrides the script)")
    g.add_argument("--no-life", action="store_true", help="no blinks, gaze shifts or head sway")
    g.add_argument("--no-preview", action="store_true", help="skip preview.mp4, keyframes.png, curves.png")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="keyframeface",
        description="Turn a short script (background + emotion, optionally keyframe descriptions) into "
                    "ARKit facial animation: 52 blendshapes + head/eye pose, exported as Live Link Face CSV "
                    "and JSON, with a preview video. Runs offline on a CPU by default.",
        epilog=_EPILOG, formatter_class=_Formatter)
    parser.add_argument("--version", action="version", version=f"keyframeface {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="keep the log lines of MediaPipe / absl / TFLite (capture, dataset build)")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, help_text: str, description: str | None = None) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=description or help_text,
                              formatter_class=_Formatter)

    p = command("animate", "script -> animation.csv, keyframes.json, keyframes.jsonl and previews",
                "Animate a script file (YAML/JSON), or a background + emotion given as options. Writes "
                "OUTDIR/animation.csv (Live Link Face), OUTDIR/keyframes.json, OUTDIR/keyframes.jsonl (the "
                "KeyframeFace release's result format) and preview.mp4, keyframes.png, curves.png.")
    p.add_argument("script", nargs="?", metavar="SCRIPT", help="script file (.yaml/.yml/.json)")
    p.add_argument("--background", metavar="TEXT", help="the situation, when no SCRIPT is given")
    p.add_argument("--emotion", metavar="TEXT", help="the emotion, when no SCRIPT is given")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder (created if needed)")
    p.add_argument("--keyframes", type=_keyframe_count, metavar="N", help="how many keyframes to plan when the "
                   "script has none (default: chosen from the emotion, 2-6)")
    p.add_argument("--explain", action="store_true", help="print which words set which channels")
    _add_intensity_option(p)
    _add_timeline_options(p)
    _add_backend_options(p)
    p.set_defaults(func=_cmd_animate)

    p = command("plan", "background + emotion -> keyframe descriptions")
    p.add_argument("--background", required=True, metavar="TEXT", help="the situation")
    p.add_argument("--emotion", required=True, metavar="TEXT", help="the emotion, simple or complex")
    p.add_argument("--keyframes", type=_keyframe_count, metavar="N", help="how many (default: chosen, 2-6)")
    p.add_argument("--json", action="store_true", help="print a JSON list of strings")
    p.add_argument("--explain", action="store_true",
                   help="show how the plan was read: the emotion's parts, scene cues, the arc, and which cue wrote "
                        "each clause (embedded engine)")
    _add_backend_options(p, planner=False)
    p.set_defaults(func=_cmd_plan, planner=None)

    p = command("pose", "one keyframe description -> 61 ARKit values")
    p.add_argument("description", metavar="DESCRIPTION", help="e.g. \"the inner brows lift slightly\"")
    p.add_argument("--background", metavar="TEXT", default="", help="context (a prior for what is unsaid)")
    p.add_argument("--emotion", metavar="TEXT", default="", help="emotion (a prior for what is unsaid)")
    p.add_argument("--json", action="store_true", help="print one JSON object: 61 names (CSV order) -> values")
    p.add_argument("--explain", action="store_true", help="print which words set which channels "
                   "(to stderr with --json)")
    _add_intensity_option(p)
    _add_backend_options(p, planner=False)
    p.set_defaults(func=_cmd_pose)

    p = command("demo", "animate a bundled example end to end and say what was written where")
    p.add_argument("-o", "--output", default="keyframeface-demo", metavar="OUTDIR",
                   help="output folder (default ./keyframeface-demo)")
    p.add_argument("--no-preview", action="store_true", help="skip the preview video and images")
    p.set_defaults(func=_cmd_demo)

    p = command("render", "draw an animation: preview video, frame grid, or keyframe sheet",
                "INPUT is an `animate` output folder, a Live Link Face CSV, or a keyframes.json. OUT ends in "
                ".mp4, .gif or .png.")
    p.add_argument("input", metavar="INPUT", help="output folder, .csv or keyframes.json")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write (.mp4, .gif, .png)")
    p.add_argument("--size", type=_bounded(int, 16, 4096), default=256, metavar="PX", help="face size in pixels (256)")
    p.add_argument("--compare", metavar="INPUT2", help="a second animation shown side by side, in sync")
    p.add_argument("--quiet", action="store_true", help="no progress bar (it shows on a terminal only, after 1 s)")
    p.add_argument("--fps", type=_fps, help="frame rate of the render, resampled, same duration (default: the input's)")
    p.add_argument("--3d", dest="three_d", action="store_true", help="the 3D ARKit head (Face Cap, three.js) "
                   "rendered by headless Chromium instead of the 2D rig (.mp4/.gif; needs Playwright and Debian's chromium)")
    p.set_defaults(func=_cmd_render)

    p = command("batch", "animate many scripts (JSONL, one per line) with bounded concurrency",
                "Resumable: re-running skips finished items. One failing item is recorded in OUTDIR/report.json "
                "and never stops the rest.")
    p.add_argument("scripts", metavar="SCRIPTS.jsonl", help="one JSON script per line (optional \"id\")")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="one subfolder per script")
    p.add_argument("--concurrency", type=_bounded(int, 1, 256), default=4, metavar="N", help="parallel items (4)")
    p.add_argument("--no-resume", action="store_true", help="redo items that are already finished")
    p.add_argument("--preview", action="store_true", help="also render previews per item (slower)")
    p.add_argument("--no-life", action="store_true", help="no blinks, gaze shifts or head sway")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_backend_options(p)
    p.set_defaults(func=_cmd_batch)

    p = command("export-requests", "script -> the KeyframeFace release's `swift infer` request JSONL")
    p.add_argument("script", metavar="SCRIPT", help="script file; keyframes are planned when absent")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="requests .jsonl to write")
    _add_backend_options(p)
    p.set_defaults(func=_cmd_export_requests, keyframes=None)

    p = command("import-results", "`swift infer` results JSONL -> the same outputs `animate` writes")
    p.add_argument("script", metavar="SCRIPT", help="the script the requests were made from")
    p.add_argument("results", metavar="RESULTS.jsonl", help="swift infer output ({\"response\": ...} per line)")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder")
    _add_timeline_options(p)
    p.set_defaults(func=_cmd_import_results)

    p = command("convert", "an animation -> glTF morph-target animation (.gltf/.glb) or Live Link Face CSV",
                "INPUT is an `animate` output folder, a Live Link Face CSV, or a keyframes.json. The glTF holds a "
                "small mesh with the 52 blendshapes as named morph targets (mesh.extras.targetNames) and a "
                "'weights' animation, for Blender / three.js / Babylon retargeting.")
    p.add_argument("input", metavar="INPUT", help="output folder, .csv or keyframes.json")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write (.gltf, .glb, .csv)")
    p.add_argument("--no-life", action="store_true", help="a keyframes.json without blinks, gaze shifts or sway")
    p.set_defaults(func=_cmd_convert)

    p = command("stream", "play an animation into Unreal over Live Link UDP (the iPhone app's protocol)",
                "Sends one Live Link Face datagram per frame in real time. In Unreal, add a Live Link "
                "'Apple ARKit Face' source (it listens on UDP 11111) and pick the subject.")
    p.add_argument("input", metavar="INPUT", help="output folder, .csv or keyframes.json")
    p.add_argument("--host", default="127.0.0.1", help="Unreal machine address (default 127.0.0.1)")
    p.add_argument("--port", type=_bounded(int, 1, 65535), default=None,
                   help="UDP port (default 11111 for livelink, 39539 for vmc)")
    p.add_argument("--protocol", choices=("livelink", "vmc"), default="livelink",
                   help="livelink: Live Link Face UDP (Unreal); vmc: VMC over OSC (VSeeFace, VNyan, Warudo ...)")
    p.add_argument("--broadcast", action="store_true", help="allow a broadcast address as --host")
    p.add_argument("--subject", default="keyframeface", help="Live Link subject name (default keyframeface)")
    p.add_argument("--repeat", type=_positive_int, default=1, metavar="N", help="play N times (default 1)")
    p.add_argument("--fast", action="store_true", help="send as fast as possible instead of in real time")
    p.set_defaults(func=_cmd_stream)

    p = command("live", "stream a face continuously; each line typed on stdin becomes a transition",
                "Streams an idle face (blinks, gaze, breathing-level sway) at --fps packets a second and reads "
                "keyframe descriptions from stdin, one a line; each moves the face from wherever it is now. "
                "A line 'emotion: TEXT' changes the emotion prior. Ends at end of input (after --linger) or Ctrl-C.")
    p.add_argument("--host", default="127.0.0.1", help="receiver address (default 127.0.0.1)")
    p.add_argument("--port", type=_bounded(int, 1, 65535), default=None,
                   help="UDP port (default 11111 for livelink, 39539 for vmc)")
    p.add_argument("--fps", type=_fps, default=30.0, help="packets per second (default 30)")
    p.add_argument("--protocol", choices=("livelink", "vmc"), default="livelink",
                   help="livelink: Live Link Face UDP (Unreal); vmc: VMC over OSC (VTuber apps)")
    p.add_argument("--broadcast", action="store_true", help="allow a broadcast address as --host")
    p.add_argument("--subject", default="keyframeface", help="Live Link subject name (default keyframeface)")
    p.add_argument("--background", metavar="TEXT", help="context: a prior for what the lines leave unsaid")
    p.add_argument("--emotion", metavar="TEXT", help="starting emotion prior")
    p.add_argument("--seed", type=_seed, help="seed of the idle blinks, gaze and sway (default 0)")
    p.add_argument("--no-life", action="store_true", help="no idle blinks, gaze shifts or sway")
    p.add_argument("--linger", type=_bounded(float, 0), default=1.0, metavar="SECONDS",
                   help="keep streaming this long after the input ends (default 1)")
    _add_intensity_option(p)
    _add_backend_options(p, planner=False)
    p.set_defaults(func=_cmd_live)

    p = command("serve", "the studio: a web page to write, watch, tweak and export, plus a REST API",
                "Serves the studio page at http://HOST:PORT/ and the REST API (OpenAPI docs at /docs).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_bounded(int, 1, 65535), default=8000, help="TCP port (default 8000)")
    p.add_argument("--time-limit", type=_bounded(float, 0.1), default=30.0, metavar="SECONDS",
                   help="per-request time limit (default 30)")
    p.add_argument("--allow-host", action="append", metavar="NAME",
                   help="also answer requests whose Host header is NAME (repeatable; '*' for any). By default only "
                        "localhost, loopback addresses and --host are answered: a guard against DNS rebinding")
    p.set_defaults(func=_cmd_serve)

    p = command("channels", "list the 61 channels: CSV and UDP order, region, range, mirror")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_channels)
    from .cli_data import register as register_data

    register_data(sub, command)  # capture, keyframes, describe, dataset, eval
    from .cli_train import register as register_train

    register_train(command)  # train, serve-model, eval-model
    _mark_owners(parser)
    return parser


def _mark_owners(parser: argparse.ArgumentParser) -> None:
    """Every (sub-)command records itself as ``args.parser``: an unrecognized option prints its usage."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                sub.set_defaults(parser=sub)
                _mark_owners(sub)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
