"""Live Link Face CSV: the file the iPhone app records and MetaHuman tooling imports.

Layout (see docs/formats.md §2)::

    Timecode,BlendShapeCount,EyeBlinkLeft,...,RightEyeRoll      <- 61 names, order A
    00:00:00:00.000,61,0.0000000000,...,-0.0123456789           <- one row per frame, 10 decimals

Timecode choice. The app writes ``HH:MM:SS:FF.fff`` where FF counts frames of its timecode
clock (60 per second in the real take, whose rows come at 30 Hz, so FF steps by 2) and
``.fff`` is the sub-frame fraction. We write FF at the rate we write rows at
(``round(fps)`` per second: 0..29 at 30 fps, 0..23 at 24 fps) and ``.fff`` as the sub-frame
fraction, which is ``.000`` for integer rates and carries the drift for 29.97 / 59.94.
Row time is ``(start_frame + row) / fps``, so the timecode and the frame rate always agree.
Readers should trust row order and rate, not FF arithmetic (ours does). A timecode that is not
``HH:MM:SS:FF[.fff]`` in ASCII digits (minutes and seconds below 60, FF below 1000) is an InputError
naming its line; timecodes that go backwards or jump ahead by more than a second are warned about,
and the rows are still read in file order at the estimated rate (never reordered or gap-filled).

Both directions are vectorised: the writer formats digits with numpy lookup tables, the
reader parses the fixed-decimal layout the app (and we) write straight from the bytes, and
falls back to a per-line parser (which also produces the precise error messages) for
anything else.
"""

from __future__ import annotations

import difflib
import functools
import logging
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._io import atomic_open
from .._limits import MAX_CSV_BYTES, read_bytes_capped
from ..channels import CHANNEL_INDEX, CHANNELS, HIGH, LOW, N_CHANNELS, canonical_name
from ..errors import InputError

__all__ = ["HEADER", "LiveLinkTake", "read_livelink_csv", "write_livelink_csv"]

HEADER = "Timecode,BlendShapeCount," + ",".join(CHANNELS)
DECIMALS = 10  # as the app writes
DEFAULT_FPS = 30.0  # used when a take's timecodes cannot tell the rate
STANDARD_RATES = (23.976, 24.0, 25.0, 29.97, 30.0, 48.0, 50.0, 59.94, 60.0, 120.0)
_TIMECODE_RATES = (24, 25, 30, 48, 50, 60, 120)  # what FF may count at
# HH:MM:SS:FF[.fff] in ASCII digits, minutes and seconds below 60, FF (frames of the timecode clock) below 1000.
_TIMECODE = re.compile(r"^(\d{1,6}):([0-5]\d):([0-5]\d)[:;](\d{1,3}(?:\.\d{0,9})?)$", re.ASCII)
_TIMECODE_FORM = "HH:MM:SS:FF[.fff] (ASCII digits, minutes and seconds below 60, FF below 1000)"
GAP_SECONDS = 1.0  # a timecode step this much longer than one frame is reported as a gap
MAX_MAGNITUDE = 10.0  # a value further from 0 than this is junk, not a slightly-off channel
CHUNK_ROWS = 1024  # rows formatted at a time: writer memory does not grow with the take
CHUNK_BYTES = 4 << 20  # bytes of rows parsed at a time (a typical take fits in one): reader memory beyond the result does not grow either
STREAM_BYTES = 16 << 20  # files bigger than this are read block by block, never whole
log = logging.getLogger("keyframeface")


@dataclass(frozen=True)
class LiveLinkTake:
    """A Live Link Face CSV read back: values in order A, whatever the file's column order."""

    values: np.ndarray  # (frames, 61) order A; channels the file lacks are 0
    timecodes: tuple[str, ...]  # as written, one per row ("" when the file has no Timecode column)
    fps: float  # from the timecodes (snapped to a standard rate within 1%), else the given default
    missing: tuple[str, ...] = ()  # channels absent from the file (filled with 0)
    ignored: tuple[str, ...] = ()  # header columns that are not channels (kept out of ``values``)
    warnings: tuple[str, ...] = ()  # what was repaired or ignored (also logged to "keyframeface")
    path: str | None = field(default=None, repr=False)

    @property
    def frames(self) -> int:
        return int(self.values.shape[0])


def write_livelink_csv(path: str | os.PathLike, values: np.ndarray, fps: float, *, start_frame: int = 0) -> None:
    """Write (frames, 61) order-A ``values`` as a Live Link Face CSV, atomically.

    Values are written with 10 decimals; they must be finite and below 9.9 in magnitude
    (channel values are within [-1, 1]).
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape[1] != N_CHANNELS:
        raise InputError(f"expected (frames, {N_CHANNELS}) values, got shape {v.shape}", field="values")
    if not (math.isfinite(fps) and fps > 0):
        raise InputError(f"{fps!r} is not a positive frame rate", field="fps")
    for a in range(0, len(v), CHUNK_ROWS):  # in chunks: no (frames, 61) temporaries
        bad = np.argwhere(~(np.abs(v[a:a + CHUNK_ROWS]) < 9.9))  # also catches NaN; one digit before the point
        if len(bad):
            r, c = bad[0]
            raise InputError(f"frame {a + r}: {v[a + r, c]!r} is not a finite channel value", field=CHANNELS[c])
    with atomic_open(path, "wb") as f:
        f.write(HEADER.encode() + b"\n")
        for a in range(0, len(v), CHUNK_ROWS):  # bounded temporaries, whatever the length
            chunk = v[a:a + CHUNK_ROWS]
            f.write(_format_rows(_timecodes(len(chunk), fps, start_frame + a), chunk).data)


def read_livelink_csv(path: str | os.PathLike, *, fps: float | None = None) -> LiveLinkTake:
    """Read a Live Link Face CSV (any column order, any channel spelling) into order A.

    ``fps`` overrides the rate estimated from the timecodes. Raises InputError naming the
    file, line and field for an empty file, a missing header, a wrong column count or a
    value that is not a number.
    """
    name = os.fspath(path)
    if fps is not None and not (math.isfinite(fps) and fps > 0):
        raise InputError(f"{fps!r} is not a positive frame rate", field="fps")
    streamed = _read_streaming(path, name)  # a long take in the fixed layout, never whole in memory
    if streamed is not None:
        (values, timecodes, seconds), used, ignored = streamed
        return _take(values, timecodes, seconds, used, ignored, fps, name)
    data = read_bytes_capped(path, MAX_CSV_BYTES, "Live Link Face CSV")
    data = data.removeprefix(b"\xef\xbb\xbf")
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
    head_end = data.find(b"\n")
    head = data if head_end < 0 else data[:head_end]
    if not head.strip():
        raise InputError("empty file; expected a header line 'Timecode,BlendShapeCount,EyeBlinkLeft,...'",
                         path=name, line=1)
    columns = [c.strip() for c in head.decode("utf-8", errors="replace").split(",")]
    used, tc_col, ignored = _header(columns, name)
    if head_end < 0 or not _NON_SPACE.search(data, head_end):  # search, not strip(): no 2.6 MB copy
        raise InputError("no data rows after the header", path=name, line=2)
    if not data.endswith(b"\n"):
        data += b"\n"
    targets = np.array([CHANNEL_INDEX[ch] for ch in used.values()])  # order-A index of each used column
    extra = _trailing_newlines(data) - 1  # blank lines at the end
    if len(data) - head_end <= CHUNK_BYTES:  # a typical take: one pass, no row count, no block copies
        whole = _parse_fixed(data, head_end, len(columns), used, tc_col)
        parsed = None
        if whole is not None:
            found, texts, secs = whole
            values = np.zeros((len(found), N_CHANNELS))
            values[:, targets] = found
            parsed = values, texts, secs
    else:
        parsed = _parse_fixed_chunked(_blocks(data, head_end + 1, len(data) - extra),
                                      data.count(b"\n", head_end + 1, len(data) - extra), len(columns), used, tc_col,
                                      targets)
    if parsed is None:
        found, timecodes, seconds = _parse_lines(data[head_end + 1:].decode("utf-8", errors="replace"), columns,
                                                 used, tc_col, name)  # (frames, len(used)), [str], (frames,)|None
        values = np.zeros((len(found), N_CHANNELS))
        values[:, targets] = found
    else:
        values, timecodes, seconds = parsed
    return _take(values, timecodes, seconds, used, ignored, fps, name)


def _take(values: np.ndarray, timecodes: list[str], seconds: np.ndarray | None, used: dict[int, str],
          ignored: list[str], fps: float | None, name: str) -> LiveLinkTake:
    """The LiveLinkTake of parsed rows: the rate, and every repair said (logged) and recorded."""
    notes: list[str] = []
    if seconds is None:
        _check_timecode_texts(timecodes, name)
    rate = fps if fps is not None else _estimate_fps(seconds)
    if not 1 <= rate <= 240:
        notes.append(f"timecodes give {rate:.6g} fps, outside [1, 240]; read at {DEFAULT_FPS:g} fps")
        rate = DEFAULT_FPS
    notes += _timecode_jumps(seconds, rate)
    missing = tuple(ch for ch in CHANNELS if ch not in used.values())
    if ignored:
        hints = [f"{c[:40]!r}" + (f" (did you mean {m[0]}?)" if (m := _close_channel(c)) else "")
                 for c in ignored[:8]]
        notes.append(f"ignored {len(ignored)} column(s) that are not ARKit channels: {', '.join(hints)}")
    if missing and ignored:
        notes.append(f"{len(missing)} channel(s) absent, set to 0: {', '.join(missing[:8])}"
                     + (" ..." if len(missing) > 8 else ""))
    cols = np.flatnonzero((values.min(axis=0) < LOW) | (values.max(axis=0) > HIGH))  # only the columns out of range
    if len(cols):
        sub = values[:, cols]  # (frames, k)
        outside = (sub < LOW[cols]) | (sub > HIGH[cols])
        r, j = np.argwhere(outside)[0]
        c = cols[j]
        notes.append(f"{int(outside.sum())} value(s) outside their channel's range clamped into it "
                     f"(first: line {r + 2}, {CHANNELS[c]} {values[r, c]:g} not in [{LOW[c]:g}, {HIGH[c]:g}])")
        values[:, cols] = np.clip(sub, LOW[cols], HIGH[cols])
    for note in notes:
        log.warning("%s: %s", name, note)
    return LiveLinkTake(values, tuple(timecodes), float(rate), missing, tuple(ignored), warnings=tuple(notes),
                        path=name)


def _check_timecode_texts(timecodes: list[str], name: str) -> None:
    """InputError naming the first timecode that is not HH:MM:SS:FF[.fff] (a column of blanks is no timecodes)."""
    if not any(timecodes):
        return
    for row, text in enumerate(timecodes):
        if not _TIMECODE.match(text):
            raise InputError(f"{text[:40]!r} is not a timecode {_TIMECODE_FORM}", path=name, line=row + 2,
                             field="Timecode")


def _timecode_jumps(clock: np.ndarray | None, rate: float) -> list[str]:
    """Warnings for timecodes that go backwards or jump ahead by more than GAP_SECONDS. Rows are still read in
    file order at ``rate``: the timecodes only tell the rate, they never reorder rows or fill gaps."""
    if clock is None or len(clock) < 2:
        return []
    ff = clock[:, 1]
    clock_rate = next((r for r in _TIMECODE_RATES if r > ff.max()), math.ceil(ff.max()) + 1)
    step = np.diff(clock[:, 0] + ff / clock_rate)
    step[step < -43200] += 86400  # passed midnight
    notes = []
    for what, bad in (("go backwards", step < 0), (f"jump ahead by more than {GAP_SECONDS:g} s",
                                                    step > GAP_SECONDS + 1.0 / rate)):
        if bad.any():
            first = int(np.argmax(bad))
            notes.append(f"timecodes {what} {int(bad.sum())} time(s) (first: line {first + 3}, "
                         f"{step[first]:+.3f} s); rows are read in file order at {rate:g} fps")
    return notes


def _close_channel(column: str) -> list[str]:
    """The channel a short misspelt column most likely meant ([] when none is close)."""
    return difflib.get_close_matches(column, CHANNELS, 1, 0.75) if len(column) <= 40 else []


def _header(columns: list[str], name: str) -> tuple[dict[int, str], int | None, list[str]]:
    """Map header columns -> channels; find Timecode. Returns ({column: channel}, timecode column, ignored)."""
    used: dict[int, str] = {}
    tc_col, ignored = None, []
    for j, col in enumerate(columns):
        key = col.lower()
        if key == "timecode":
            tc_col = j
            continue
        if key == "blendshapecount" or not col:
            continue
        channel = canonical_name(col)
        if channel is None:
            ignored.append(col)
        elif channel in used.values():
            raise InputError(f"channel {channel} appears twice in the header", path=name, line=1, field=col)
        else:
            used[j] = channel
    if not used:
        raise InputError("no header: the first line names no ARKit channel "
                         "(expected 'Timecode,BlendShapeCount,EyeBlinkLeft,...')", path=name, line=1)
    return used, tc_col, ignored


_NON_SPACE = re.compile(rb"\S")


def _trailing_newlines(data: bytes) -> int:
    """How many b"\n" end ``data`` (counted from the end, without copying it)."""
    n = 0
    while n < len(data) and data[-1 - n] == 10:
        n += 1
    return n


def _parse_fixed_chunked(blocks: Iterator[bytes], rows: int, n_cols: int, used: dict[int, str], tc_col: int | None,
                         targets: np.ndarray) -> tuple[np.ndarray, list[str], np.ndarray | None] | None:
    """``_parse_fixed`` over ``blocks`` of whole rows (each ending with a newline), straight into
    (frames, 61) order A; ``rows`` is at least the number of rows (the result is cut to what was read).

    Memory beyond the result stays at a block's worth however long the take; None when any
    block is not in the fixed layout (the caller then uses the per-line parser).
    """
    values = np.zeros((rows, N_CHANNELS))
    timecodes: list[str] = []
    seconds: list[np.ndarray] = []
    row = 0  # rows filled so far
    for block in blocks:
        if not block.strip():  # blank lines only (the per-line parser skips them too)
            continue
        parsed = _parse_fixed(b"\n" + block, 0, n_cols, used, tc_col)
        if parsed is None or row + len(parsed[0]) > rows:
            return None
        found, texts, secs = parsed
        values[row:row + len(found), targets] = found
        timecodes += texts
        if secs is not None:
            seconds.append(secs)
        row += len(found)
    if not row:
        return None
    whole = np.concatenate(seconds) if seconds and sum(map(len, seconds)) == row else None  # (rows, 2) clock
    return values[:row], timecodes, whole


def _blocks(data: bytes, start: int, end: int) -> Iterator[bytes]:
    """``data[start:end]`` (whole rows) in pieces of about CHUNK_BYTES, each ending after a newline."""
    while start < end:
        stop = end if start + CHUNK_BYTES >= end else data.rfind(b"\n", start, start + CHUNK_BYTES) + 1
        if stop <= start:  # one row longer than a block: take it whole
            stop = data.index(b"\n", start) + 1
        yield data[start:stop]
        start = stop


def _read_streaming(path: str | os.PathLike, name: str
                    ) -> tuple[tuple[np.ndarray, list[str], np.ndarray | None], dict[int, str], list[str]] | None:
    """A file over STREAM_BYTES in the fixed layout, read block by block (two passes: count, parse).

    None for a smaller file, or one that is not in the fixed layout (the caller reads it whole).
    """
    try:
        if os.stat(path).st_size <= STREAM_BYTES:
            return None
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_CSV_BYTES:
                return None  # the whole-file reader says so
            head = f.readline(1 << 20).removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
            body = f.tell()
            columns = [c.strip() for c in head.decode("utf-8", errors="replace").split(",")]
            try:
                used, tc_col, ignored = _header(columns, name)
            except InputError:
                return None
            rows = sum(piece.count(b"\n") for piece in _file_pieces(f, body)) + 1
            targets = np.array([CHANNEL_INDEX[ch] for ch in used.values()])
            parsed = _parse_fixed_chunked(_file_blocks(f, body), rows, len(columns), used, tc_col, targets)
    except OSError:
        return None  # the whole-file reader names the problem
    return (parsed, used, ignored) if parsed is not None else None


def _file_pieces(f: BinaryIO, start: int) -> Iterator[bytes]:
    """The file from byte ``start`` in pieces of CHUNK_BYTES."""
    f.seek(start)
    while piece := f.read(CHUNK_BYTES):
        yield piece


def _file_blocks(f: BinaryIO, start: int) -> Iterator[bytes]:
    """The file from ``start`` as blocks of whole rows ('\\r\\n' made '\\n'; a last row without one gets it)."""
    carry = b""
    for piece in _file_pieces(f, start):
        piece = carry + piece
        cut = piece.rfind(b"\n") + 1
        carry = piece[cut:]
        if cut:
            yield piece[:cut].replace(b"\r\n", b"\n")
    if carry.strip():
        yield carry.replace(b"\r\n", b"\n").rstrip(b"\r") + b"\n"


def _parse_fixed(data: bytes, head_end: int, n_cols: int, used: dict[int, str], tc_col: int | None
                 ) -> tuple[np.ndarray, list[str], np.ndarray | None] | None:
    """Fast path for the app's layout: every used field is ``[-]d.ddd...`` with one fixed number
    of decimals and every row has ``n_cols`` fields. None when the body is laid out otherwise.

    ``data`` ends with a newline; ``data[head_end]`` is the newline closing the header.
    """
    buf = np.frombuffer(data, np.uint8)
    extra = _trailing_newlines(data) - 1  # blank lines at the end
    seps = head_end + np.flatnonzero(buf[head_end:len(buf) - extra] <= 44)  # ',' 44, '\n' 10; data bytes are above
    if (len(seps) - 1) % n_cols:
        return None
    ends = seps[1:].reshape(-1, n_cols)  # (rows, n_cols) separator after each field
    starts = seps[:-1].reshape(-1, n_cols) + 1  # (rows, n_cols) first byte of each field
    if (buf[ends[:, -1]] != 10).any() or (buf[ends[:, :-1]] != 44).any():
        return None
    cols = np.fromiter(used, int, len(used))
    if (np.diff(cols) == 1).all():  # the usual case: channels side by side; a slice is much faster
        cols = slice(cols[0], cols[-1] + 1)
    end, start = ends[:, cols], starts[:, cols]  # (rows, k)
    length = end - start
    decimals = int(length[0, 0]) - 2 - int(buf[start[0, 0]] == 45)
    if not 1 <= decimals <= 14:  # keeps the integer mantissa exact in float64
        return None
    negative = length == decimals + 3
    if not (negative | (length == decimals + 2)).all() or (buf[start[negative]] != 45).any():
        return None
    width = decimals + 2
    # Each field's last `width` bytes, gathered as one unaligned item per field (fast), then as digits.
    cells = np.ndarray((len(buf) - width + 1,), dtype=f"V{width}", buffer=data, strides=(1,))
    digits = cells[(end - width).ravel()].view(np.uint8).reshape(*end.shape, width)  # (rows, k, width) "d.ddd"
    if (digits[..., 1] != 46).any():  # the decimal point
        return None
    digits[..., 1] = 48  # in place from here on: large temporaries cost page faults
    digits -= np.uint8(48)
    if digits.max() > 9:  # uint8 wrap-around: any byte below '0' is large too
        return None
    # Integer mantissa (exact in float64), then one correctly rounded division = float(text).
    weights = np.concatenate([[10.0**decimals, 0.0], 10.0 ** np.arange(decimals - 1, -1, -1)])
    mantissa = digits @ weights
    values = np.where(negative, -mantissa, mantissa) / 10.0**decimals
    if tc_col is None:
        return values, [""] * len(ends), None
    return (values, *_timecode_column(buf, starts[:, tc_col], ends[:, tc_col]))


def _timecode_column(buf: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[list[str], np.ndarray | None]:
    """Timecode strings and their seconds (None when not ``HH:MM:SS:FF[.fff]``) from byte spans."""
    length = int(end[0] - start[0])
    if length > 0 and (end - start == length).all():  # one width: gather a (rows, length) byte matrix
        chars = sliding_window_view(buf, length)[start]
        if (chars > 127).any():  # not ASCII: decode row by row (with replacement) below
            data = buf.tobytes()
            return _timecode_texts([data[s:e].decode("utf-8", errors="replace") for s, e in zip(start, end)])
        return chars.copy().view(f"S{length}").ravel().astype(str).tolist(), _timecode_seconds(chars)
    data = buf.tobytes()
    return _timecode_texts([data[s:e].decode("utf-8", errors="replace") for s, e in zip(start, end)])


def _parse_lines(text: str, columns: list[str], used: dict[int, str], tc_col: int | None,
                 name: str) -> tuple[np.ndarray, list[str]]:
    """General per-line parser: any number format; InputError names the line and field."""
    rows, timecodes = [], []
    for lineno, line in enumerate(text.split("\n"), start=2):
        if not line.strip():
            continue
        fields = line.split(",")
        if len(fields) != len(columns):
            raise InputError(f"expected {len(columns)} fields as in the header, got {len(fields)}",
                             path=name, line=lineno)
        row = []
        for j in used:
            try:
                x = float(fields[j])
            except ValueError:
                raise InputError(f"{fields[j].strip()[:40]!r} is not a number", path=name, line=lineno,
                                 field=columns[j]) from None
            if not abs(x) <= MAX_MAGNITUDE:  # also NaN
                raise InputError(f"{fields[j].strip()[:40]!r} is not a finite number" + (
                    f" within +-{MAX_MAGNITUDE:g} (channels lie in [-1, 1])" if math.isfinite(x) else ""),
                    path=name, line=lineno, field=columns[j])
            row.append(x)
        rows.append(row)
        timecodes.append(fields[tc_col].strip() if tc_col is not None else "")
    values = np.array(rows, dtype=float).reshape(len(rows), len(used))
    return (values, *_timecode_texts(timecodes)) if tc_col is not None else (values, timecodes, None)


def _timecode_texts(texts: list[str]) -> tuple[list[str], np.ndarray | None]:
    """``texts`` and their seconds since midnight (None unless all are ``HH:MM:SS:FF[.fff]``)."""
    parts = [_TIMECODE.match(t) for t in texts]
    if not texts or not all(parts):
        return texts, None
    hms = np.array([[int(m[1]), int(m[2]), int(m[3])] for m in parts], dtype=float)
    return texts, _seconds(hms, np.array([float(m[4]) for m in parts]))


def _timecode_seconds(chars: np.ndarray) -> np.ndarray | None:
    """Seconds since midnight from (rows, width) ASCII ``HH:MM:SS:FF[.fff]``, else None."""
    if chars.shape[1] < 11:
        return None
    pairs = chars[:, [0, 1, 3, 4, 6, 7, 9, 10]] - np.uint8(48)  # HH MM SS FF digits
    frac = chars[:, 12:] - np.uint8(48)
    if not ((chars[:, [2, 5, 8]] == 58).all() and (pairs <= 9).all() and (pairs[:, [2, 4]] <= 5).all()
            and (chars.shape[1] == 11 or ((chars[:, 11] == 46).all() and (frac <= 9).all()))):
        return None
    d = pairs.astype(float)
    hms = d[:, 0:6:2] * 10 + d[:, 1:6:2]  # (rows, 3)
    ff = d[:, 6] * 10 + d[:, 7] + frac @ (10.0 ** -np.arange(1, frac.shape[1] + 1))
    return _seconds(hms, ff)


def _seconds(hms: np.ndarray, ff: np.ndarray) -> np.ndarray:
    """(rows, 2) clock readings: whole seconds from (rows, 3) hours/minutes/seconds, and FF (frames of the
    timecode clock, with fraction). FF's clock rate is guessed from the whole take in ``_estimate_fps``."""
    return np.column_stack([hms @ (3600.0, 60.0, 1.0), ff])


def _estimate_fps(clock: np.ndarray | None) -> float:
    """Row rate from (rows, 2) clock readings: 1 / median step (robust to dropped and repeated rows).

    Snapped to a standard rate within 1%; DEFAULT_FPS when the timecodes cannot tell.
    """
    if clock is None or len(clock) < 2:
        return DEFAULT_FPS
    ff = clock[:, 1]
    rate = next((r for r in _TIMECODE_RATES if r > ff.max()), math.ceil(ff.max()) + 1)  # FF's clock
    seconds = clock[:, 0] + ff / rate
    step = np.diff(seconds)
    step[step < -43200] += 86400  # passed midnight
    step = step[step > 0]
    if not len(step):
        return DEFAULT_FPS
    fps = 1.0 / float(np.median(step))
    nearest = min(STANDARD_RATES, key=lambda r: abs(r - fps))
    return nearest if abs(nearest - fps) <= 0.01 * nearest else fps


def _timecodes(n: int, fps: float, start_frame: int) -> np.ndarray:
    """(n, 15) uint8 ``HH:MM:SS:FF.fff`` for rows start_frame.. at ``fps`` (FF counts at round(fps))."""
    rate = max(int(round(fps)), 1)
    frame = start_frame + np.arange(n, dtype=np.int64)
    if fps == rate:  # integer rate: exact integer arithmetic
        whole, sub = frame, np.zeros(n, dtype=np.int64)
    else:  # e.g. 29.97: position on the round(fps) clock, sub-frame in thousandths
        units = np.floor(frame * (rate / fps) * 1000 + 0.5).astype(np.int64)
        whole, sub = units // 1000, units % 1000
    ff = whole % rate
    secs = whole // rate
    out = np.empty((n, 15), np.uint8)
    out[:, [2, 5, 8]] = ord(":")
    out[:, 11] = ord(".")
    out[:, 0:2] = _digits(2)[secs // 3600 % 24]
    out[:, 3:5] = _digits(2)[secs // 60 % 60]
    out[:, 6:8] = _digits(2)[secs % 60]
    out[:, 9:11] = _digits(2)[ff % 100]
    out[:, 12:15] = _digits(3)[sub]
    return out


def _format_rows(timecodes: np.ndarray, v: np.ndarray) -> np.ndarray:
    """CSV body as flat uint8: timecode, 61, then each value as [-]d.dddddddddd; rows end with '\\n'.

    Rows are laid out in a byte matrix with a '-' slot only in columns that hold a negative
    value; slots of the non-negative cells in those columns are then squeezed out.
    """
    n, c = v.shape
    q = np.rint(np.abs(v) * 10**DECIMALS).astype(np.int64)  # (n, 61) fixed-point magnitude
    negative = (v < 0) & (q > 0)  # no "-0.0000000000"
    signed = negative.any(axis=0)  # (61,) columns that need a '-' slot
    head, low5 = np.divmod(q, 10**5)  # low5: the last 5 decimals
    whole, high5 = np.divmod(head, 10**5)  # whole: the digit before the point; high5: decimals 1-5
    widths = 13 + signed.astype(int)  # ",[-]d.dddddddddd"
    offsets = 18 + np.concatenate([[0], np.cumsum(widths)[:-1]])  # after "HH:MM:SS:FF.fff,61"
    rows = np.empty((n, 18 + widths.sum() + 1), np.uint8)
    rows[:, :15] = timecodes
    rows[:, 15:18] = np.frombuffer(b",61", np.uint8)
    rows[:, -1] = ord("\n")
    five = _digits(5).view("V5").ravel()  # one 5-byte item per number: a fast gather
    bounds = [0, *(np.flatnonzero(np.diff(signed)) + 1), c]
    for a, b in zip(bounds, bounds[1:]):  # runs of columns with the same width (usually 2)
        s = int(signed[a])
        cells = rows[:, offsets[a]:offsets[a] + (b - a) * widths[a]].reshape(n, b - a, widths[a])
        cells[..., 0] = ord(",")
        if s:
            cells[..., 1] = ord("-")
        cells[..., 1 + s] = whole[:, a:b] + ord("0")
        cells[..., 2 + s] = ord(".")
        cells[..., 3 + s:8 + s] = five[high5[:, a:b]].view(np.uint8).reshape(n, b - a, 5)
        cells[..., 8 + s:13 + s] = five[low5[:, a:b]].view(np.uint8).reshape(n, b - a, 5)
    if negative[:, signed].all():
        return rows.ravel()
    keep = np.ones(rows.shape, bool)
    keep[:, offsets[signed] + 1] = negative[:, signed]  # drop the '-' slot of non-negative cells
    return rows[keep]


@functools.cache
def _digits(width: int) -> np.ndarray:
    """(10**width, width) uint8 ASCII digits of 0 .. 10**width - 1, zero-padded."""
    out = np.empty((10**width, width), np.uint8)  # built digit by digit: no int64 (10**width, width) temporaries
    place = np.arange(10**width, dtype=np.int32)
    for k in range(width - 1, -1, -1):
        out[:, k] = place % 10 + ord("0")
        place //= 10
    return out

