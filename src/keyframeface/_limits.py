"""Hard limits on what keyframeface reads, and the checks every reader shares.

Every reader turns hostile input into ``InputError`` (never a foreign exception, a hang or
a huge allocation): files are size-capped before they are read, text must be UTF-8 without
lone surrogates, JSON nesting is bounded, and numbers are finite floats (an integer with
thousands of digits or beyond float range is an error, not an OverflowError).

Limits (all stated in the README):

    MAX_SCRIPT_BYTES     1 MiB    a script file (YAML/JSON) or one batch/results line
    MAX_JSON_BYTES      16 MiB    a keyframes.json or a results/batch JSONL file
    MAX_CSV_BYTES      512 MiB    a Live Link Face CSV (~4 h at 60 fps)
    MAX_FRAMES         216,000    frames of one animation (1 h at 60 fps, 15 min at 240 fps)
    MAX_TEXT_CHARS      10,000    one description, background or emotion
    MAX_KEYFRAMES           64    keyframes of one animation
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = [
    "MAX_CSV_BYTES",
    "MAX_DEPTH",
    "MAX_FRAMES",
    "MAX_JSON_BYTES",
    "MAX_KEYFRAMES",
    "MAX_SCRIPT_BYTES",
    "MAX_TEXT_CHARS",
    "MAX_TIMELINE_FRAMES",
    "as_finite",
    "check_frames",
    "check_text",
    "check_yaml_node",
    "json_depth_ok",
    "json_structure",
    "loads_json",
    "read_bytes_capped",
    "read_text_capped",
    "split_lines",
]

MAX_SCRIPT_BYTES = 1 << 20
MAX_JSON_BYTES = 16 << 20
MAX_CSV_BYTES = 512 << 20
MAX_FRAMES = 216_000  # 1 h at 60 fps: the memory benchmark's longest case (bench/bench_memory.py)
MAX_TIMELINE_FRAMES = MAX_FRAMES + 2_400  # the timeline's own guard: a script's limit + lead-in, entry, tail
MAX_TEXT_CHARS = 10_000
MAX_KEYFRAMES = 64  # keyframes of one animation
MAX_DEPTH = 64  # nesting of JSON/YAML containers; real files use 4


def read_bytes_capped(path: str | os.PathLike, limit: int, what: str) -> bytes:
    """The bytes of ``path``; InputError when it is missing, unreadable, not a file or over ``limit``."""
    name = os.fspath(path)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > limit:
                raise InputError(f"{size:,} bytes; a {what} may be at most {limit:,} bytes", path=name)
            data = f.read((size if size else limit) + 1)  # a regular file: no limit-sized buffer
    except FileNotFoundError:
        raise InputError("file not found", path=name) from None
    except IsADirectoryError:
        raise InputError(f"is a folder; expected a {what} file", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    if len(data) > limit:  # a pipe or a growing file
        raise InputError(f"more than {limit:,} bytes; a {what} may be at most that", path=name)
    return data


def read_text_capped(path: str | os.PathLike, limit: int, what: str) -> str:
    """UTF-8 text of ``path`` (a BOM is dropped); InputError names the line of a bad byte."""
    data = read_bytes_capped(path, limit, what)
    return decode_utf8(data, os.fspath(path))


def decode_utf8(data: bytes, name: str | None, line_offset: int = 0) -> str:
    """``data`` as UTF-8; InputError naming the line and byte of the first invalid byte."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1 + line_offset
        raise InputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                         path=name, line=line) from None


def split_lines(text: str) -> list[str]:
    """Lines split on '\\n' only (with '\\r\\n' ends trimmed): U+2028, U+0085 and \\f stay inside a line.

    ``str.splitlines`` would cut JSONL records at those characters, which JSON allows in strings.
    """
    return [line.removesuffix("\r") for line in text.split("\n")]


def json_structure(text: str, start: int = 0) -> tuple[list[tuple[int, str]], bool]:
    """Brackets and commas outside string literals as (index, char), and whether a string is left open."""
    marks: list[tuple[int, str]] = []
    in_string, escaped = False, False
    for i in range(start, len(text)):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{}[],":
            marks.append((i, ch))
    return marks, in_string


def json_depth_ok(text: str, limit: int = MAX_DEPTH) -> bool:
    """True when no JSON container in ``text`` nests deeper than ``limit`` (strings are skipped)."""
    if text.count("[") + text.count("{") <= limit:
        return True
    depth = 0
    for _, ch in json_structure(text)[0]:
        if ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def loads_json(text: str, *, path: str | None = None, line: int | None = None, what: str = "not valid JSON") -> Any:
    """``json.loads`` that raises only InputError: bad syntax, deep nesting, huge integers, NaN/Infinity."""

    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number")

    if not json_depth_ok(text):
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", path=path, line=line)
    try:
        return json.loads(text, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        where = line if line is not None else exc.lineno
        raise InputError(f"{what}: {exc.msg} (column {exc.colno})", path=path, line=where) from None
    except (ValueError, RecursionError) as exc:  # 5,000-digit integers, NaN, very deep nesting
        raise InputError(f"{what}: {str(exc)[:120]}", path=path, line=line) from None


def as_finite(value: Any) -> float | None:
    """``value`` as a finite float when it is an int or float (not bool) that fits; else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int beyond float range
        return None
    return number if math.isfinite(number) else None


def check_text(value: str, field: str, *, path: str | None = None, line: int | None = None,
               limit: int = MAX_TEXT_CHARS) -> str:
    """``value`` when it is encodable UTF-8 (no lone surrogates) and at most ``limit`` characters."""
    if len(value) > limit:
        raise InputError(f"{len(value):,} characters; at most {limit:,}", path=path, line=line, field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"holds U+{ord(value[exc.start]):04X} at character {exc.start}: not UTF-8 text (a byte "
                         "that is not UTF-8, or a lone surrogate escape)", path=path, line=line, field=field) from None
    return value


def check_frames(seconds: float, fps: float, *, path: str | None = None, field: str = "keyframes") -> int:
    """Frame count of ``seconds`` at ``fps``; InputError before any work when over MAX_FRAMES."""
    frames = seconds * fps
    if not math.isfinite(frames) or frames > MAX_FRAMES:
        raise InputError(f"{seconds:,.1f} s at {fps:g} fps is {frames:,.0f} frames; at most {MAX_FRAMES:,} "
                         f"(1 h at 60 fps) are supported", path=path, field=field)
    return math.ceil(frames)


def path_text(path: Path) -> str:
    """A path as text that is safe to print (undecodable bytes escaped)."""
    return os.fspath(path).encode("utf-8", "backslashreplace").decode("utf-8")


def check_yaml_node(node: Any, path: str | None = None) -> None:
    """InputError for YAML that reads one way and means another: a key given twice in one mapping (YAML keeps
    the last silently) and a YAML 1.1 base-60 number (``fps: 1:30`` reads as 90). Walks without recursion."""
    import yaml

    stack, seen = [node], set()
    while stack:
        n = stack.pop()
        if n is None or id(n) in seen:  # an alias: already walked
            continue
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            keys: dict[Any, int] = {}
            for key, value in n.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    name = (key.tag, key.value)
                    if name in keys:
                        raise InputError(f"key {key.value[:40]!r} given twice in one mapping (first at line "
                                         f"{keys[name]}); YAML would keep only the last", path=path,
                                         line=key.start_mark.line + 1, field=key.value[:40])
                    keys[name] = key.start_mark.line + 1
                stack += [key, value]
        elif isinstance(n, yaml.SequenceNode):
            stack += n.value
        elif n.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in n.value:
            raise InputError(f"{n.value[:40]!r} is a YAML 1.1 base-60 number (read as 60 x ...); write the number "
                             "itself, or quote it if it is text", path=path, line=n.start_mark.line + 1)
