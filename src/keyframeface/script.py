"""Read and validate a script (YAML or JSON) into a ``Script``.

    background: A student waits outside an interview room.   # required text
    emotion: Anxiety concealed by a restrained smile.        # required text
    fps: 30          # optional frames per second, default 30
    seed: 7          # optional int >= 0; same seed -> same output
    keyframes:       # optional; planned from background + emotion when absent
      - description: The gaze is lowered ...
        hold: 0.4      # optional seconds held at this pose
        duration: 1.2  # optional seconds of transition into the next keyframe
      - The gaze rises ...   # a bare string is a description too

Every error names the file, the line (YAML and JSON both) and the field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .data import DEFAULT_FPS, KeyframeSpec, Script
from .errors import InputError

__all__ = ["MAX_KEYFRAMES", "load_script", "script_from_dict", "script_to_dict"]

MAX_KEYFRAMES = 64
MAX_FPS = 240.0
_TOP_FIELDS = ("background", "emotion", "fps", "seed", "keyframes", "id")
_KEY_FIELDS = ("description", "hold", "duration")


def load_script(path: str | Path) -> Script:
    """Read a .yaml/.yml/.json script file; raise ``InputError`` naming file, line and field."""
    import yaml  # JSON is YAML too, so one parser gives line numbers for both

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", path=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=str(p)) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"not valid YAML/JSON: {problem}", path=str(p), line=line) from None
    if data is None:
        raise InputError("the file is empty; expected a mapping with 'background' and 'emotion'", path=str(p))
    return script_from_dict(data, source=str(p), lines=_line_map(node))


def script_from_dict(data: Any, *, source: str | None = None, line: int | None = None,
                     lines: Mapping[str, int] | None = None) -> Script:
    """Validate a parsed mapping into a ``Script``.

    ``line`` is the line of the whole record (JSONL); ``lines`` maps field paths
    ("keyframes[1].hold") to lines (YAML). Either makes errors point at a line.
    """
    lines = lines or {}

    def fail(field: str, message: str) -> InputError:
        return InputError(message, path=source, line=_nearest_line(lines, field, line), field=field)

    if not isinstance(data, Mapping):
        raise InputError(f"expected a mapping with 'background' and 'emotion', got {_kind(data)}",
                         path=source, line=line)
    for key in data:
        if key not in _TOP_FIELDS:
            raise fail(str(key), f"unknown field; expected one of {', '.join(_TOP_FIELDS)}")
    background = _text(data, "background", fail)
    emotion = _text(data, "emotion", fail)
    fps = _number(data.get("fps", DEFAULT_FPS), "fps", fail, low=1.0, high=MAX_FPS, open_low=False)
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise fail("seed", f"{seed!r} is not an integer >= 0")
    raw_keys = data.get("keyframes") or []
    if not isinstance(raw_keys, list):
        raise fail("keyframes", f"expected a list of keyframes, got {_kind(raw_keys)}")
    if len(raw_keys) > MAX_KEYFRAMES:
        raise fail("keyframes", f"{len(raw_keys)} keyframes; at most {MAX_KEYFRAMES} are supported")
    keys = tuple(_keyframe(item, f"keyframes[{i}]", fail) for i, item in enumerate(raw_keys))
    return Script(background=background, emotion=emotion, keyframes=keys, fps=float(fps), seed=seed,
                  source=source)


def script_to_dict(script: Script) -> dict[str, Any]:
    """The script as plain data (the inverse of ``script_from_dict``), for JSON/YAML."""
    out: dict[str, Any] = {"background": script.background, "emotion": script.emotion,
                           "fps": script.fps, "seed": script.seed}
    if script.keyframes:
        out["keyframes"] = [
            {k: v for k, v in (("description", s.description), ("hold", s.hold), ("duration", s.duration))
             if v is not None}
            for s in script.keyframes
        ]
    return out


def _keyframe(item: Any, where: str, fail) -> KeyframeSpec:
    if isinstance(item, str):
        item = {"description": item}
    if not isinstance(item, Mapping):
        raise fail(where, f"expected a description string or a mapping with 'description', got {_kind(item)}")
    for key in item:
        if key not in _KEY_FIELDS:
            raise fail(f"{where}.{key}", f"unknown field; expected one of {', '.join(_KEY_FIELDS)}")
    description = _text(item, "description", fail, prefix=where + ".")
    hold = _optional_seconds(item, "hold", where, fail)
    duration = _optional_seconds(item, "duration", where, fail)
    return KeyframeSpec(description=description, hold=hold, duration=duration)


def _optional_seconds(item: Mapping, key: str, where: str, fail) -> float | None:
    if item.get(key) is None:
        return None
    return float(_number(item[key], f"{where}.{key}", fail, low=0.0, high=600.0, open_low=False))


def _text(data: Mapping, key: str, fail, prefix: str = "") -> str:
    field = prefix + key
    if key not in data or data[key] is None:
        raise fail(field, "missing; expected a non-empty text")
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise fail(field, f"expected a non-empty text, got {value!r}")
    return " ".join(value.split())


def _number(value: Any, field: str, fail, *, low: float, high: float, open_low: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise fail(field, f"{value!r} is not a number")
    if value < low or value > high or (open_low and value == low):
        raise fail(field, f"{value} not in [{low:g}, {high:g}]")
    return float(value)


def _nearest_line(lines: Mapping[str, int], field: str, default: int | None) -> int | None:
    """Line of ``field``, else of its closest parent ("keyframes[0].description" -> "keyframes[0]")."""
    while field:
        if field in lines:
            return lines[field]
        field = field[: max(field.rfind("."), field.rfind("["), 0)]
    return default


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", str: "a text"}.get(type(value), type(value).__name__)


def _line_map(node: Any) -> dict[str, int]:
    """Field path -> 1-based line, from a composed YAML node tree (mappings and lists)."""
    import yaml

    out: dict[str, int] = {}

    def walk(n: Any, path: str) -> None:
        if path:
            out[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = f"{path}.{k.value}" if path else str(k.value)
                out[key] = k.start_mark.line + 1
                walk(v, key)
                out[key] = k.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                walk(v, f"{path}[{i}]")

    if node is not None:
        walk(node, "")
    return out
