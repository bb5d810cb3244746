"""The one degree table (``data/degrees.yaml`` ``degrees``): a row per degree word, a column per use.

Each use reads its column, word -> value, with the words where the column is ``~`` left out:
``pose`` and ``comparative`` (the lexicon: levels on facs.yaml's scale), ``diminish`` and ``intensify`` (the emotion
reader's factors), ``cycle`` (manner.py: a cycle's amplitude factor), ``say`` (the describer's degree words, weakest
first, ``""`` = an unqualified action). Built per vocabulary directory through ``vocab.table``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import facs, vocab
from .vocab import DataError

__all__ = ["COLUMNS", "COMPARATIVE", "CYCLE", "DIMINISH", "FILE", "INTENSIFY", "POSE", "SAY", "DataError", "column",
           "said", "table"]

FILE = "degrees.yaml"
_K = vocab.keys(FILE)
HEADER, ROWS = _K.columns, _K.degrees  # the file's keys: the column names, the table
COLUMNS = ("pose", "comparative", "diminish", "intensify", "cycle", "say")  # the file's header must name these
POSE, COMPARATIVE, DIMINISH, INTENSIFY, CYCLE, SAY = COLUMNS


def _level(value: Any) -> float | None:
    """A FACS letter A-E or a number in (0, 1] -> its value; None when it is neither."""
    if isinstance(value, str) and value in facs.LEVEL_LETTERS:
        return facs.level_value(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0.0 < value <= 1.0:
        return float(value)
    return None


def _factor(value: Any) -> float | None:
    """A factor in (0, 1]."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0.0 < value <= 1.0
    return float(value) if ok else None


def _amplitude(value: Any) -> float | None:
    """A number > 0."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0.0
    return float(value) if ok else None


def _yes(value: Any) -> bool | None:
    return True if value is True else None


_LEVEL = "a FACS letter A-E or a number in (0, 1]"
# column -> (parser of one cell, what a cell must be), in the order of COLUMNS
_CELLS = dict(zip(COLUMNS, ((_level, _LEVEL), (_level, _LEVEL), (_factor, "a factor in (0, 1]"),
                            (_factor, "a share in (0, 1]"), (_amplitude, "a factor > 0"), (_yes, "`yes`"))))


def _build(active: Path, directory: Path | None) -> Mapping[str, Mapping[str, Any]]:
    """degrees.yaml's table -> {column: {word: value}}, validated (errors name the file and the word)."""
    doc = vocab.shaped(FILE, (directory or active) / FILE)  # (vocab.read refuses the sections that moved here)
    if list(doc.columns) != list(COLUMNS):
        raise DataError(FILE, HEADER, f"{list(doc.columns)!r}: the columns must be {list(COLUMNS)}")
    rows = doc.degrees
    if not rows:
        raise DataError(FILE, ROWS, "expected a mapping: word -> [one value per column]")
    out: dict[str, dict[str, Any]] = {c: {} for c in COLUMNS}
    for word, row in rows.items():
        key = f"{ROWS}.{word}"
        if not (isinstance(word, str) and re.fullmatch(r"[a-z]+(?:_[a-z]+)*", word)):
            raise DataError(FILE, key, "expected lower-case letters, '_' between words")
        if not (isinstance(row, list) and len(row) == len(COLUMNS)) or all(v is None for v in row):
            raise DataError(FILE, key, f"{row!r}: expected one value per column of {list(COLUMNS)}, ~ where a use "
                                       "does not apply")
        for col, cell in zip(COLUMNS, row):
            if cell is None:
                continue
            parse, wanted = _CELLS[col]
            value = parse(cell)
            if value is None:
                raise DataError(FILE, key, f"{col} {cell!r}: expected {wanted} or ~")
            out[col][word] = value
        if word in out[DIMINISH] and word in out[INTENSIFY]:
            raise DataError(FILE, key, "a word diminishes or intensifies an emotion, not both")
    for col in (POSE, COMPARATIVE):  # the lexicon's levels: words, as the pose reader reads one token at a time
        for word in out[col]:
            if "_" in word:
                raise DataError(FILE, f"{ROWS}.{word}", f"{col}: the pose reader's columns take single words only")
    said = [("", facs.level_value(facs.table().default_level))]  # "" = no degree word: the plain level
    for word in out.pop(SAY):
        if word not in out[POSE]:
            raise DataError(FILE, f"{ROWS}.{word}", "a word the describer says needs a pose level to say it at")
        said.append((word, out[POSE][word]))
    built: dict[str, Any] = {c: MappingProxyType(v) for c, v in out.items()}
    built[SAY] = tuple(w for w, _ in sorted(said, key=lambda s: s[1]))  # weakest first; on a tie, plain first
    return MappingProxyType(built)


def table(directory: Path | None = None) -> Mapping[str, Any]:
    """The degree table of ``directory`` (the active vocabulary by default): column -> its words' values."""
    chosen = None if directory is None else Path(directory).resolve()
    return vocab.table(_build, None if chosen == vocab.active() else chosen)


def column(use: str, directory: Path | None = None) -> Mapping[str, float]:
    """One use's column: word -> value (``pose``/``comparative``: a level; ``diminish``/``intensify``/``cycle``:
    a factor), only the words where it applies."""
    return table(directory)[use]  # type: ignore[no-any-return]


def said(directory: Path | None = None) -> tuple[str, ...]:
    """The describer's degree words, weakest first by their pose level; ``""`` (an unqualified action) at C."""
    return table(directory)[SAY]  # type: ignore[no-any-return]
