"""Read and validate a script (YAML or JSON) into a ``Script``.

    background: A student waits outside an interview room.   # required text
    emotion: Anxiety concealed by a restrained smile.        # required text
    fps: 30          # optional frames per second, default 30
    seed: 7          # optional int >= 0; same seed -> same output
    keyframes:       # optional; planned from background + emotion when absent
      - description: The gaze is lowered ...
        hold: 0.4      # optional seconds held at this pose
        duration: 1.2  # optional seconds of transition into the next keyframe
        intensity: 0.5 # optional expression scale: 0 neutral, 1 as written (default), up to 2
      - The gaze rises ...   # a bare string is a description too

Every error names the file, the line (YAML and JSON both) and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._limits import (
    MAX_DEPTH,
    MAX_KEYFRAMES,
    MAX_SCRIPT_BYTES,
    as_finite,
    check_frames,
    check_text,
    check_yaml_node,
    read_text_capped,
)
from .data import DEFAULT_FPS, KeyframeSpec, Script
from .errors import InputError
from .intensity import MAX_INTENSITY

__all__ = ["MAX_KEYFRAMES", "load_script", "script_from_dict", "script_to_dict"]

MAX_FPS = 240.0
MAX_SEED = 2**63 - 1
MAX_SECONDS = 600.0  # one hold or one duration
_TOP_FIELDS = ("background", "emotion", "fps", "seed", "keyframes", "id")
_KEY_FIELDS = ("description", "hold", "duration", "intensity")


def load_script(path: str | Path) -> Script:
    """Read a .yaml/.yml/.json script file; raise ``InputError`` naming file, line and field."""
    import yaml  # JSON is YAML too, so one parser gives line numbers for both

    p = Path(path)
    text = read_text_capped(p, MAX_SCRIPT_BYTES, "script")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is not None and _too_deep(node):
            raise InputError(f"nested deeper than {MAX_DEPTH} levels", path=str(p))
        check_yaml_node(node, str(p))
        data = loader.construct_document(node) if node is not None else None
    except InputError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"not valid YAML/JSON: {problem}", path=str(p), line=line) from None
    except (RecursionError, ValueError, OverflowError) as exc:  # e.g. a date out of range
        raise InputError(f"not valid YAML/JSON: {str(exc)[:120]}", path=str(p)) from None
    finally:
        loader.dispose()
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
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise fail("seed", f"{_short(seed)} is not an integer in [0, 2**63 - 1]")
    raw_keys = data.get("keyframes") or []
    if not isinstance(raw_keys, list):
        raise fail("keyframes", f"expected a list of keyframes, got {_kind(raw_keys)}")
    if len(raw_keys) > MAX_KEYFRAMES:
        raise fail("keyframes", f"{len(raw_keys)} keyframes; at most {MAX_KEYFRAMES} are supported")
    keys = tuple(_keyframe(item, f"keyframes[{i}]", fail) for i, item in enumerate(raw_keys))
    given = sum((k.hold or 0.0) + (k.duration or 0.0) for k in keys)  # seconds the script itself asks for
    check_frames(given, fps, path=source, field="keyframes")
    return Script(background=background, emotion=emotion, keyframes=keys, fps=float(fps), seed=seed,
                  source=source)


def script_to_dict(script: Script) -> dict[str, Any]:
    """The script as plain data (the inverse of ``script_from_dict``), for JSON/YAML."""
    out: dict[str, Any] = {"background": script.background, "emotion": script.emotion,
                           "fps": script.fps, "seed": script.seed}
    if script.keyframes:
        out["keyframes"] = [
            {k: v for k, v in (("description", s.description), ("hold", s.hold), ("duration", s.duration),
                               ("intensity", s.intensity)) if v is not None}
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
    intensity = None
    if item.get("intensity") is not None:
        intensity = _number(item["intensity"], f"{where}.intensity", fail, low=0.0, high=MAX_INTENSITY,
                            open_low=False)
    return KeyframeSpec(description=description, hold=hold, duration=duration, intensity=intensity)


def _optional_seconds(item: Mapping, key: str, where: str, fail) -> float | None:
    if item.get(key) is None:
        return None
    return float(_number(item[key], f"{where}.{key}", fail, low=0.0, high=MAX_SECONDS, open_low=False))


def _text(data: Mapping, key: str, fail, prefix: str = "") -> str:
    field = prefix + key
    if key not in data or data[key] is None:
        raise fail(field, "missing; expected a non-empty text")
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise fail(field, f"expected a non-empty text, got {_short(value)}")
    try:
        check_text(value, field)
    except InputError as exc:
        raise fail(field, exc.detail) from None
    return " ".join(value.split())


def _number(value: Any, field: str, fail, *, low: float, high: float, open_low: bool) -> float:
    if as_finite(value) is None:
        raise fail(field, f"{_short(value)} is not a finite number")
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


def _short(value: Any, limit: int = 60) -> str:
    """repr of ``value`` cut to ``limit`` characters (a 5,000-digit integer must not flood the message)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return f"an integer of more than {limit} digits"
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _too_deep(node: Any) -> bool:
    """True when the YAML node tree nests deeper than MAX_DEPTH (checked without recursion)."""
    import yaml

    stack, seen = [(node, 0)], set()
    while stack:
        n, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if id(n) in seen:  # an alias: already walked
            continue
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            stack.extend((v, depth + 1) for _, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend((v, depth + 1) for v in n.value)
    return False


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", str: "a text"}.get(type(value), type(value).__name__)


def _line_map(node: Any) -> dict[str, int]:
    """Field path -> 1-based line, from a composed YAML node tree (mappings and lists)."""
    import yaml

    out: dict[str, int] = {}

    def walk(n: Any, path: str, depth: int) -> None:
        # Errors point at most three levels down (keyframes[2].hold), so deeper nodes and the
        # paths an alias bomb multiplies are never visited.
        if path:
            out[path] = n.start_mark.line + 1
        if depth >= 3:
            return
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value[:len(_TOP_FIELDS) + len(_KEY_FIELDS) + 1]:
                key = f"{path}.{k.value}" if path else str(k.value)
                walk(v, key, depth + 1)
                out[key] = k.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value[:MAX_KEYFRAMES + 1]):
                walk(v, f"{path}[{i}]", depth + 1)

    if node is not None:
        walk(node, "", 0)
    return out
