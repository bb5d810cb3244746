"""Read real model answers: <think> blocks, code fences, prose, any key spelling, truncation.

    answer text -> JSON value (extract_json) -> 61 values + warnings (parse_keyframe)
                                            -> keyframe descriptions (parse_plan)
                                            -> all keyframes of a script (parse_script)

Repairs that keep the meaning unambiguous are made and recorded as warnings:
clamping into range, filling a few missing/unreadable channels with 0, closing a
truncated object after its last complete value. Anything else raises
``AnswerError`` (retryable: the caller asks again, bounded).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._limits import MAX_DEPTH, MAX_TEXT_CHARS, json_depth_ok
from .._limits import json_structure as _structure  # the project's one scanner of JSON structure
from ..channels import CHANNEL_INDEX, CHANNELS, HIGH, LOW, N_CHANNELS, canonical_name
from ..errors import BackendError, printable

__all__ = ["AnswerError", "Reading", "ScriptReading", "extract_json", "parse_keyframe", "parse_plan", "parse_script"]

MAX_FILLED = 6  # at most this many missing/unreadable channels are filled with 0; more -> AnswerError
MAX_CLAMPED = 6  # at most this many values out of range are clamped; more is junk, not a face -> AnswerError
MAX_PLAN = 6  # keyframes a plan may hold when no count is asked for

_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)(?:```|\Z)", re.DOTALL)
_WRAPPER = re.compile(r"^\s*key[\s_-]*frame", re.IGNORECASE)


class AnswerError(BackendError):
    """The model answered, but not with something we can read. Worth asking again."""

    def __init__(self, message: str, raw: str | None = None) -> None:
        super().__init__(message, raw=raw, retryable=True)


@dataclass(frozen=True)
class Reading:
    """61 values read from an answer, with what had to be repaired."""

    values: np.ndarray  # (61,) order A, within channel ranges
    warnings: tuple[str, ...] = ()
    wrapper: str | None = None  # the "Keyframe_x" key the answer was wrapped in, if any
    onset: float | None = None  # seconds of the transition into it, when the model gave them
    hold: float | None = None  # seconds it is held, when the model gave them


@dataclass(frozen=True)
class ScriptReading:
    """One keyframe of a whole-script answer: its values, and the timing the model gave (None: not given)."""

    reading: Reading
    onset: float | None = None  # seconds of the transition into it
    hold: float | None = None  # seconds it is held


def extract_json(text: str) -> tuple[Any, list[str]]:
    """The first JSON object or list in a model answer, and repair warnings.

    Skips <think> blocks, code fences and prose; closes a truncated object after
    its last complete value; tolerates trailing commas.
    """
    body = _strip_thinking(text)
    fenced = [m.group(1) for m in _FENCE.finditer(body) if re.search(r"[{\[]", m.group(1))]
    if fenced:
        body = fenced[0]
    start = _first_opener(body)
    if start is None:
        raise AnswerError("no JSON object in the answer", raw=text)
    if not json_depth_ok(body[start:]):  # json.loads would recurse (RecursionError) on very deep nesting
        raise AnswerError(f"answer nests deeper than {MAX_DEPTH} levels: not a keyframe", raw=text)
    end = _balanced_end(body, start)
    warnings: list[str] = []
    if end is None:
        value = _close_truncated(body[start:], text)
        warnings.append("answer was truncated (max_tokens?); kept its complete values and closed the JSON")
        return value, warnings
    return _loads(body[start:end], text), warnings


def parse_keyframe(text: str, *, expected: str | None = None, sparse: bool = False) -> Reading:
    """Read 61 channel values from an answer, and its "onset"/"hold" seconds when the model gave them.

    ``expected`` is the wrapper key asked for ("Keyframe_one"); a different one is
    a warning. ``sparse`` (compact style): absent channels mean 0, silently. Timing is
    read beside the channels or beside the wrapper (``{"Keyframe_one": {...}, "onset": 1.2}``).
    """
    obj, warnings = extract_json(text)
    outer = obj if isinstance(obj, dict) else {}
    obj, wrapper = _unwrap(obj, expected, warnings, text)
    timing = {k: obj[k] if k in obj else outer[k] for k in _TIMING if k in obj or k in outer}
    channels = {k: v for k, v in obj.items() if k not in _TIMING}
    reading = _channels(channels, warnings, text, sparse=sparse, wrapper=wrapper)
    notes = list(reading.warnings)
    onset, hold = _timing(timing, notes)
    return dataclasses.replace(reading, warnings=tuple(notes), onset=onset, hold=hold)


def parse_script(text: str, count: int) -> list[ScriptReading]:
    """Read one answer holding all ``count`` keyframes of a script: ``{"keyframes": [{"values": {...}, "onset": s,
    "hold": s}, ...]}`` (sparse channel objects; onset/hold optional). A wrong count or an unreadable keyframe is
    an AnswerError for the whole answer (asked again); a timing out of (0, 10] s is dropped with a warning."""
    obj, warnings = extract_json(text)
    items = obj.get("keyframes") if isinstance(obj, dict) else obj
    if not isinstance(items, list):
        raise AnswerError('expected {"keyframes": [...]} with one object per keyframe', raw=text)
    if len(items) != count:
        raise AnswerError(f"{len(items)} keyframes in the answer; expected {count}", raw=text)
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise AnswerError(f"keyframes[{i}]: expected an object, got {type(item).__name__}", raw=text)
        channels = item.get("values", item)
        if not isinstance(channels, dict):
            raise AnswerError(f"keyframes[{i}].values: expected an object of channel values", raw=text)
        item_warnings = list(warnings)
        try:
            reading = _channels(channels, item_warnings, text, sparse=True, wrapper=None)
        except AnswerError as exc:
            raise AnswerError(f"keyframes[{i}]: {exc}", raw=text) from None
        notes = list(reading.warnings)
        onset, hold = _timing(item, notes)
        out.append(ScriptReading(Reading(reading.values, tuple(notes)), onset, hold))
    return out


_TIMING = ("onset", "hold")


def _timing(item: dict, notes: list[str]) -> tuple[float | None, float | None]:
    """(onset, hold) seconds from an answer's object; a value out of (0, 10] s is dropped with a note."""
    timing: dict[str, float | None] = {}
    for key in _TIMING:
        seconds = _number(item.get(key)) if key in item else None
        if key in item and (seconds is None or not (0 < seconds <= 10 or (key == "hold" and seconds == 0))):
            notes.append(printable(f"ignored {key} {item[key]!r:.40}: expected seconds in (0, 10]"))
            seconds = None
        timing[key] = seconds
    return timing["onset"], timing["hold"]


def _channels(obj: dict, warnings: list[str], text: str, *, sparse: bool, wrapper: str | None) -> Reading:
    """61 values from one object of channel -> value (see ``parse_keyframe``)."""
    values = np.zeros(N_CHANNELS)
    seen: dict[int, str] = {}
    unknown, unreadable, clamped = [], [], []
    for key, raw_value in obj.items():
        name = canonical_name(str(key))
        if name is None:
            unknown.append(str(key))
            continue
        i = CHANNEL_INDEX[name]
        number = _number(raw_value)
        if i in seen:
            if number is not None and number != values[i]:
                warnings.append(f"{name} given twice ({seen[i]!r}, {key!r}); kept the first")
            continue
        seen[i] = str(key)
        if number is None:
            unreadable.append(f"{name}={raw_value!r:.40}")
            continue
        if not LOW[i] <= number <= HIGH[i]:
            clamped.append(f"{name} {number:g}")
        values[i] = min(max(number, LOW[i]), HIGH[i])
    missing = [] if sparse else [n for i, n in enumerate(CHANNELS) if i not in seen]
    if not seen:
        raise AnswerError("no ARKit channel names in the answer", raw=text)
    if len(missing) + len(unreadable) > MAX_FILLED:
        raise AnswerError(f"only {N_CHANNELS - len(missing) - len(unreadable)} of 61 channels readable "
                          f"(missing: {_short(missing)}; unreadable: {_short(unreadable)})", raw=text)
    if len(clamped) > MAX_CLAMPED:
        raise AnswerError(f"{len(clamped)} of 61 values out of range ({_short(clamped)}): not a face to repair",
                          raw=text)
    if missing:
        warnings.append(f"missing channels set to 0: {', '.join(missing)}")
    if unreadable:
        warnings.append(f"unreadable values set to 0: {', '.join(unreadable)}")
    if clamped:
        warnings.append(f"clamped into range: {', '.join(clamped)}")
    if unknown:
        warnings.append(f"ignored unknown keys: {_short(unknown)}")
    # Warnings quote the answer; one with lone surrogate escapes ("\\ud800") must still be writable text.
    return Reading(values=values, warnings=tuple(printable(w) for w in warnings), wrapper=wrapper)


def parse_plan(text: str, count: int | None = None) -> list[str]:
    """Keyframe descriptions from an answer: a JSON list (or {"keyframes": [...]}) of strings or objects."""
    obj, _ = extract_json(text)
    if isinstance(obj, dict):
        lists = [v for v in obj.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise AnswerError('expected a JSON list of descriptions or {"keyframes": [...]}', raw=text)
        obj = lists[0]
    descriptions = []
    for item in obj:
        if isinstance(item, dict):
            item = next((item[k] for k in ("description", "text", "keyframe") if isinstance(item.get(k), str)),
                        None)
        if isinstance(item, str):
            # Models sometimes echo the reference numbering: "Keyframe One: The gaze ..."
            item = re.sub(r"^\s*(?:-\s*)?keyframe\s+[\w-]+\s*:\s*", "", item, flags=re.IGNORECASE).strip()
            if item:
                descriptions.append(" ".join(printable(item).split())[:MAX_TEXT_CHARS])
    wanted = count or MAX_PLAN
    if len(descriptions) < (count or 2):
        raise AnswerError(f"{len(descriptions)} keyframe descriptions; expected {count or 'at least 2'}", raw=text)
    return descriptions[:wanted]


# ---------------------------------------------------------------- private


def _strip_thinking(text: str) -> str:
    """The text after the last </think>; an unclosed <think> means no answer was written."""
    if "</think>" in text:
        return text.rsplit("</think>", 1)[1]
    if text.lstrip().startswith("<think>"):
        raise AnswerError("the answer is an unfinished <think> block (raise max_tokens?)", raw=text)
    return text


def _first_opener(text: str) -> int | None:
    match = re.search(r"[{\[]", text)
    return match.start() if match else None


def _balanced_end(text: str, start: int) -> int | None:
    """Index one past the bracket closing text[start], honouring strings; None if never closed."""
    depth = 0
    for i, ch in _structure(text, start)[0]:
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def _close_truncated(text: str, raw: str) -> Any:
    """Parse a JSON prefix cut off mid-way: cut after its last complete value, close open brackets."""
    stack: list[str] = []
    cuts: list[tuple[int, str]] = []  # (cut index, closing brackets needed there)
    marks, in_string = _structure(text)
    for i, ch in marks:
        if ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack:
            stack.pop()
        elif ch == ",":
            cuts.append((i, "".join(reversed(stack))))
    tail = text.rstrip()
    # The very end is a safe cut only after a closed value; "0.2" cut from "0.25" would read wrong.
    if not in_string and tail.endswith(("}", "]")):
        cuts.append((len(tail), "".join(reversed(stack))))
    for end, closing in reversed(cuts[-8:]):
        try:
            return json.loads(_relax(text[:end] + closing))
        except ValueError:
            continue
    raise AnswerError("truncated answer that cannot be closed into JSON (hit max_tokens?)", raw=raw)


def _loads(text: str, raw: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return json.loads(_relax(text))
    except ValueError as exc:
        raise AnswerError(f"answer is not valid JSON: {exc}", raw=raw) from None


def _relax(text: str) -> str:
    """Common near-JSON: trailing commas, single quotes when no double quotes are used."""
    text = re.sub(r",\s*([}\]])", r"\1", text)
    if '"' not in text:
        text = text.replace("'", '"')
    return text


def _unwrap(obj: Any, expected: str | None, warnings: list[str], raw: str) -> tuple[dict, str | None]:
    """The channel mapping inside ``{"Keyframe_x": {...}}`` (or the bare object itself)."""
    if not isinstance(obj, dict):
        raise AnswerError(f"expected a JSON object of channels, got a {type(obj).__name__}", raw=raw)
    nested = {k: v for k, v in obj.items() if isinstance(v, dict) and canonical_name(str(k)) is None}
    if not nested:
        return obj, None
    if expected is not None and expected in nested:
        key = expected
    else:
        matches = [k for k in nested if _norm(k) == _norm(expected)] if expected else []
        key = matches[0] if matches else next(iter(nested))
    if len(nested) > 1:
        warnings.append(f"answer held {len(nested)} keyframes ({', '.join(nested)}); used {key}")
    elif expected is not None and _norm(key) != _norm(expected):
        warnings.append(f"answer was labelled {key!r}, expected {expected!r}")
    if not _WRAPPER.match(str(key)) and len(nested) == 1 and len(obj) == 1:
        warnings.append(f"channels were wrapped in {key!r}")
    return nested[key], key


def _norm(key: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (key or "").lower())


def _number(value: Any) -> float | None:
    """A finite float from a number or numeric string; None otherwise (bool, NaN, text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, (int, float)):
        return None
    try:
        value = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return value if math.isfinite(value) else None


def _short(items: list[str], limit: int = 8) -> str:
    if not items:
        return "none"
    return ", ".join(items[:limit]) + (f" (+{len(items) - limit} more)" if len(items) > limit else "")
