"""Training examples: chat lines in the release's request format, turned into the prompt style to train.

A line is ``{"messages": [system, user, assistant]}`` as ``dataset export`` writes it (reference style:
the release's system prompt, the answer ``{"Keyframe_one": {61 values}}``). ``compact`` style keeps the
user message, swaps in the LLM backend's compact system prompt and answers with the non-zero channels
at two decimals, so a model trained on it serves ``--backend llm --prompt-style compact`` unchanged.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .._limits import loads_json, read_text_capped, split_lines
from ..channels import CHANNELS
from ..errors import InputError
from ..formats.answers import AnswerError, parse_keyframe

__all__ = ["ANSWER_FLOOR", "STYLES", "Example", "compact_answer", "load_examples", "split_paths"]

STYLES = ("compact", "reference")
_MAX_JSONL = 512 * 1024 * 1024


@dataclass(frozen=True)
class Example:
    """One chat example in the style to train: messages ending with the assistant's answer."""

    messages: list[dict]
    line: int


ANSWER_FLOOR = 0.05  # compact answers leave out |values| below this (tracker noise; a fifth of the tokens)


def compact_answer(values: object, floor: float = ANSWER_FLOOR) -> str:
    """The compact style's answer: the channels at or above ``floor`` at two decimals, one flat JSON object."""
    out = {}
    for name, value in zip(CHANNELS, values):  # type: ignore[call-overload]
        v = round(float(value), 2) + 0.0
        if v != 0.0 and abs(float(value)) >= floor:
            out[name] = v
    return json.dumps(out, separators=(",", ":"))


def split_paths(data: str | os.PathLike, *, split: float, workdir: str | os.PathLike) -> tuple[Path, Path | None]:
    """(train.jsonl, validation .jsonl or None) for a `dataset export` JSONL or a DATASET/ folder.

    A folder is exported first (into ``workdir``) with ``split`` held out; a JSONL's validation file is
    ``<stem>.val.jsonl`` beside it when that exists (what ``dataset export --split`` writes).
    """
    path = Path(data)
    if path.is_dir():
        from ..dataset import export_dataset

        out = Path(workdir) / "train.jsonl"
        export_dataset(path, out, split=split)
        val = out.with_name("train.val.jsonl")
        return out, (val if split > 0 and val.stat().st_size else None)
    if not path.is_file():
        raise InputError("not found (expected a `dataset export` .jsonl or a DATASET/ folder)", path=str(path))
    val = path.with_name(path.stem + ".val" + path.suffix)
    return path, (val if val.is_file() and val.stat().st_size else None)


def load_examples(path: str | os.PathLike, style: str) -> list[Example]:
    """Every line of a chat JSONL checked and turned into ``style`` (InputError naming line and field)."""
    if style not in STYLES:
        raise InputError(f"unknown prompt style {style!r}: expected {' or '.join(STYLES)}", field="--style")
    from ..backends.llm.prompts import COMPACT_SYSTEM_PROMPT

    p = Path(path)
    text = read_text_capped(p, _MAX_JSONL, "training data")
    examples = []
    for number, line in enumerate(split_lines(text), 1):
        if not line.strip():
            continue
        obj = loads_json(line, path=str(p), line=number, what="not JSON")
        messages = obj.get("messages") if isinstance(obj, dict) else None
        if (not isinstance(messages, list) or len(messages) < 2
                or not all(isinstance(m, dict) and isinstance(m.get("role"), str)
                           and isinstance(m.get("content"), str) for m in messages)):
            raise InputError('expected {"messages": [{"role": ..., "content": "..."}, ...]}', path=str(p),
                             line=number, field="messages")
        if messages[-1]["role"] != "assistant" or not messages[-1]["content"].strip():
            raise InputError("the last message must be the assistant's answer", path=str(p), line=number,
                             field="messages")
        if style == "compact":
            try:
                values = parse_keyframe(messages[-1]["content"]).values
            except AnswerError as exc:
                raise InputError(f"the assistant's answer is not 61 channel values: {exc}", path=str(p),
                                 line=number, field="messages") from None
            rest = [m for m in messages[:-1] if m["role"] != "system"]
            messages = ([{"role": "system", "content": COMPACT_SYSTEM_PROMPT}] + rest
                        + [{"role": "assistant", "content": compact_answer(values)}])
        examples.append(Example([{"role": m["role"], "content": m["content"]} for m in messages], number))
    if not examples:
        raise InputError("no training examples", path=str(p))
    return examples
