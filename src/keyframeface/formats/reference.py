"""The KeyframeFace release's files: `swift infer` requests in, result JSONL out.

Byte-exact with the release's files in tests/fixtures/reference (docs/formats.md §4): one request per
keyframe, each carrying the whole sequence; keyframes are numbered with
capitalised English words ("Keyframe One"), the answer wraps the 61 values as
``{"Keyframe_one": {...}}`` (lower-case word), JSON with compact separators.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from .._io import atomic_write_text
from .._limits import MAX_JSON_BYTES, loads_json, read_text_capped, split_lines
from ..channels import CHANNELS
from ..data import Keyframe, Script
from ..errors import BackendError, InputError
from .answers import parse_keyframe

__all__ = [
    "SYSTEM_PROMPT",
    "answer_key",
    "format_results",
    "number_word",
    "read_results",
    "reference_messages",
    "user_message",
    "write_requests",
    "write_results",
]

# Fixed: the adapter was trained on exactly this text (copied from example.jsonl).
SYSTEM_PROMPT = (
    "You are a professional facial animator. Generate all 61 ARKit facial parameters for exactly one "
    "requested semantic keyframe. The first 52 blendshapes are in [0,1], and the final 9 head/eye pose "
    'parameters are in [-1,1]. Return strict JSON only in the form {"Keyframe_x":{...}}.'
)
DECIMALS = 4  # values written to result JSONL are rounded to this (ARKit precision is far coarser)

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_JSON = {"ensure_ascii": False, "separators": (",", ":")}


def number_word(n: int) -> str:
    """1 -> "One", 12 -> "Twelve", 21 -> "Twenty-One", 105 -> "One Hundred Five" (1..999)."""
    if not 1 <= n <= 999:
        raise ValueError(f"keyframe number {n} not in [1, 999]")
    hundreds, rest = divmod(n, 100)
    words = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        words.append(_TENS[rest // 10] + (f"-{_ONES[rest % 10]}" if rest % 10 else ""))
    elif rest:
        words.append(_ONES[rest])
    return " ".join(words).title()


def answer_key(index: int) -> str:
    """The wrapper key the model answers with for keyframe ``index`` (0-based): "Keyframe_one"."""
    return "Keyframe_" + number_word(index + 1).lower()


def user_message(script: Script, index: int) -> str:
    """The release's user message: the whole sequence, background, emotion, then the task."""
    _need_keyframes(script)
    if not 0 <= index < len(script.keyframes):
        raise InputError(f"keyframe index {index} not in [0, {len(script.keyframes) - 1}]", field="keyframes")
    sequence = "\n".join(f"- Keyframe {number_word(i + 1)}: {spec.description}"
                         for i, spec in enumerate(script.keyframes))
    return (f"Keyframe Description Sequence:\n{sequence}\n\n"
            f"Background: {script.background}\nEmotion: {script.emotion}\n\n"
            f"Task Instruction: Generate the facial expression parameters for Keyframe {number_word(index + 1)}.")


def reference_messages(script: Script, index: int) -> list[dict]:
    """[system, user] chat messages for keyframe ``index`` (0-based), exactly as the release sends them."""
    return [{"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user_message(script, index)}]


def write_requests(script: Script, path: str | os.PathLike) -> None:
    """Write the `swift infer` input JSONL: one ``{"messages": [...]}`` line per keyframe."""
    _need_keyframes(script)
    lines = [json.dumps({"messages": reference_messages(script, i)}, **_JSON)
             for i in range(len(script.keyframes))]
    # The release's file ends with an empty line after the last record; keep it byte-identical.
    atomic_write_text(path, "".join(line + "\n" for line in lines) + "\n")


def read_results(path: str | os.PathLike, script: Script) -> list[Keyframe]:
    """Read `swift infer` output (``{"response": "..."}`` per line) into one Keyframe per script keyframe.

    Answers are read as robustly as live ones (think blocks, fences, any key
    spelling); repairs become Keyframe.warnings. Unreadable lines raise InputError.
    """
    _need_keyframes(script)
    p = Path(path)
    text = read_text_capped(p, MAX_JSON_BYTES, "results JSONL")
    records: list[tuple[int, str]] = []
    for number, line in enumerate(split_lines(text), 1):
        if not line.strip():
            continue
        record = loads_json(line, path=str(p), line=number, what="not JSON")
        response = record.get("response") if isinstance(record, dict) else None
        if not isinstance(response, str):
            raise InputError('expected an object with a "response" string', path=str(p), line=number,
                             field="response")
        records.append((number, response))
        if len(records) > len(script.keyframes):
            break
    if len(records) != len(script.keyframes):
        count = f"{len(records)}" if len(records) <= len(script.keyframes) else f"more than {len(script.keyframes)}"
        raise InputError(f"{count} results for {len(script.keyframes)} keyframes in the script "
                         "(one result line per keyframe, in order)", path=str(p))
    keyframes = []
    for index, (number, response) in enumerate(records):
        try:
            reading = parse_keyframe(response, expected=answer_key(index))
        except BackendError as exc:
            raise InputError(str(exc), path=str(p), line=number, field="response") from None
        keyframes.append(Keyframe(spec=script.keyframes[index], values=reading.values,
                                  backend="reference-results", warnings=reading.warnings))
    return keyframes


def format_results(keyframes: Sequence[Keyframe]) -> str:
    """The release's result JSONL text: ``{"response": "{\\"Keyframe_one\\": {61 values}}"}`` per line."""
    lines = []
    for index, keyframe in enumerate(keyframes):
        # round() then +0.0: shortest repr ("0.2", never "0.20000000000000001"), and no "-0.0".
        values = {name: round(float(v), DECIMALS) + 0.0 for name, v in zip(CHANNELS, keyframe.values)}
        answer = json.dumps({answer_key(index): values}, **_JSON)
        lines.append(json.dumps({"response": answer}, **_JSON) + "\n")
    return "".join(lines)


def write_results(path: str | os.PathLike, keyframes: Sequence[Keyframe]) -> None:
    """Write keyframes as the release's result JSONL (what its converter reads), atomically."""
    atomic_write_text(path, format_results(keyframes))


def _need_keyframes(script: Script) -> None:
    if not script.keyframes:
        raise InputError("the script has no keyframes; the release's prompt poses given descriptions",
                         path=script.source, field="keyframes")
