"""The one FACS model: action units -> ARKit channels, with the calibrated A-E intensity scale.

Loaded once from ``data/facs.yaml`` and validated there (every channel exists in ``keyframeface.channels``, gains
in [-1, 1], every level letter on the scale). The pose parser (typed "AU12", FACS and muscle names, rule labels),
the emotion reader (prototypes "6C+12D") and the planner all read this table, so they agree by construction.

A FACS code is ``[L|R]<number>[A-E]``: "1C", "R12B", "64A". No side = both sides (a ``unilateral`` or ``lateral``
AU uses the subject's left); no letter = the AU's default level (C, or E for blinks and eye closure).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from ...channels import CHANNEL_INDEX, CHANNELS, HIGH, LOW, N_CHANNELS
from . import vocab
from .vocab import DataError

__all__ = [
    "LEVEL_LETTERS",
    "ActionUnit",
    "DataError",
    "FacsTable",
    "au_channels",
    "au_name",
    "aus_of",
    "facs_vector",
    "level_value",
    "load_facs",
    "parse_code",
    "table",
]

DATA_DIR = vocab.DATA_DIR
LEVEL_LETTERS = ("A", "B", "C", "D", "E")
DEFAULT_SIDE = "Left"  # an unsided one-sided AU (wink, jaw sideways) uses the subject's left, as the pose engine does
_CODE_RE = re.compile(r"([LR]?)(\d+)([A-E]?)")
_GAZE = ("left", "right", "up", "down")


@dataclass(frozen=True)
class ActionUnit:
    """One action unit: number, FACS names, muscles, and ARKit channel gains at full (E) intensity."""

    number: int
    name: str  # the FACS name ("lip corner puller")
    also: tuple[str, ...]  # other spellings read as this AU ("lip pressor")
    plain: bool  # the name is everyday wording the parser reads word by word ("jaw drop"), not as the AU
    muscles: tuple[str, ...]
    channels: Mapping[str, float]  # "BrowDown*" (both sides) or an exact channel -> value at level E
    default_level: str = "C"
    unilateral: bool = False  # one side when no side is given (a wink)
    lateral: bool = False  # the side is the direction (jaw sideways)
    gaze: str = ""  # "left"/"right"/"up"/"down" for eye-movement AUs

    @property
    def label(self) -> str:
        """'AU12 lip corner puller', as explanations show it."""
        return f"AU{self.number} {self.name}"


@dataclass(frozen=True)
class FacsTable:
    """The loaded table: the scale and every action unit."""

    scale: Mapping[str, float]  # level letter -> fraction of full movement
    default_level: str
    units: Mapping[int, ActionUnit]

    def names(self) -> Mapping[str, int]:
        """FACS names and spellings read as an AU in descriptions (not plain wording) -> AU number."""
        return MappingProxyType({n: au.number for au in self.units.values()
                                 for n in ((() if au.plain else (au.name,)) + au.also)})

    def muscles(self) -> Mapping[str, tuple[int, ...]]:
        """Every muscle name -> the AUs it produces."""
        out: dict[str, tuple[int, ...]] = {}
        for au in self.units.values():
            for m in au.muscles:
                out[m] = out.get(m, ()) + (au.number,)
        return MappingProxyType(out)


_FILE = "facs.yaml"
_K = vocab.keys(_FILE)  # the file's keys, as schema.yaml names them
_AU = vocab.keys(_FILE, _K.aus)  # an AU entry's fields


def load_facs(path: Path | None = None) -> FacsTable:
    """Load and validate a FACS table file (shaped by facs.yaml's schema); errors name the file and the key."""
    doc = vocab.shaped(_FILE, path)
    where = doc._name

    def fail(key: str, msg: str) -> DataError:
        return DataError(where, key, msg)

    scale = doc.scale
    if sorted(scale) != list(LEVEL_LETTERS):
        raise fail(_K.scale, f"expected the letters {', '.join(LEVEL_LETTERS)}, got {dict(scale)!r}")
    values = [scale[k] for k in LEVEL_LETTERS]
    if not all(isinstance(v, (int, float)) and 0.0 < v <= 1.0 for v in values) or values != sorted(set(values)):
        raise fail(_K.scale, f"values must rise strictly within (0, 1], got {values}")
    default = doc.default_level or LEVEL_LETTERS[2]  # C unless the file says
    if default not in LEVEL_LETTERS:
        raise fail(_K.default_level, f"{default!r} is not one of {', '.join(LEVEL_LETTERS)}")
    if not doc.aus:
        raise fail(_K.aus, "expected a mapping of AU numbers")
    units = {}
    for number, entry in doc.aus.items():
        key = f"{_K.aus}.{number}"
        if not isinstance(number, int):
            raise fail(key, "expected an AU number with a mapping (name, muscles, channels)")
        channels = entry.channels
        if not channels:
            raise fail(f"{key}.{_AU.channels}", "expected channel -> gain")
        for channel, gain in channels.items():
            if not _channel_names(str(channel)):
                raise fail(f"{key}.{_AU.channels}.{channel}", "unknown ARKit channel (see keyframeface.channels)")
            if not isinstance(gain, (int, float)) or not -1.0 <= gain <= 1.0 or gain == 0:
                raise fail(f"{key}.{_AU.channels}.{channel}", f"gain {gain!r} not in [-1, 1] or zero")
        level = entry.default_level or default
        if level not in LEVEL_LETTERS:
            raise fail(f"{key}.{_AU.default_level}", f"{level!r} is not one of {', '.join(LEVEL_LETTERS)}")
        if entry.gaze and entry.gaze not in _GAZE:
            raise fail(f"{key}.{_AU.gaze}", f"{entry.gaze!r} is not one of {', '.join(_GAZE)}")
        units[number] = ActionUnit(number, entry.name, entry.also, entry.plain, entry.muscles, channels, level,
                                   entry.unilateral, entry.lateral, entry.gaze)
    seen: dict[str, int] = {}
    for au in units.values():
        for n in (au.name, *au.also):
            if n in seen:
                raise fail(f"{_K.aus}.{au.number}", f"the name {n!r} already names AU{seen[n]}")
            seen[n] = au.number
    return FacsTable(MappingProxyType({k: float(scale[k]) for k in LEVEL_LETTERS}), default,
                     MappingProxyType(dict(sorted(units.items()))))


NEGATION_USES = ("clause", "emotion")  # the columns of negations.yaml
CLAUSE, EMOTION = NEGATION_USES


def negation_table(directory: Path | None = None) -> dict[str, frozenset[str]]:
    """``negations.yaml``, the one negation table: use ("clause", "emotion") -> its words, validated."""
    f = "negations.yaml"
    key = vocab.keys(f).negations
    table = vocab.shaped(f, None if directory is None else Path(directory) / f).negations
    if not table:
        raise DataError(f, key, "expected a mapping: word -> list of uses")
    out: dict[str, set[str]] = {use: set() for use in NEGATION_USES}
    for word, uses in table.items():
        if not (isinstance(word, str) and re.fullmatch(r"[a-z_]+", word)):
            raise DataError(f, f"{key}.{word}", "expected lower-case letters, '_' between words")
        if not (isinstance(uses, list) and uses and all(u in NEGATION_USES for u in uses)):
            raise DataError(f, f"{key}.{word}",
                            f"expected a list of uses among {list(NEGATION_USES)}, got {uses!r}")
        for use in uses:
            out[use].add(word)
    return {use: frozenset(words) for use, words in out.items()}


def _load_table(directory: Path) -> FacsTable:
    return load_facs(directory / "facs.yaml")


def table() -> FacsTable:
    """The active vocabulary's FACS table (``data/facs.yaml`` unless ``lexicon.using`` says otherwise), loaded once."""
    return vocab.table(_load_table)


def level_value(letter: str) -> float:
    """A FACS intensity letter ('A'..'E') -> its calibrated value."""
    scale = table().scale
    if letter not in scale:
        raise ValueError(f"bad FACS level {letter!r}; expected one of {', '.join(LEVEL_LETTERS)}")
    return scale[letter]


def au_name(au: int) -> str:
    """The FACS name of an AU ("lip corner puller" for 12)."""
    unit = table().units.get(au)
    if unit is None:
        raise ValueError(f"unknown action unit AU{au}")
    return unit.name


def aus_of(name: str) -> tuple[int, ...]:
    """The AUs a FACS name, spelling or muscle stands for ("lip pressor" -> (24,), "frontalis" -> (1, 2)); () if none."""
    t = table()
    if name in t.names():
        return (t.names()[name],)
    return t.muscles().get(name, ())


def parse_code(code: str) -> tuple[str, int, str]:
    """'R12B' -> ('R', 12, 'B'); the level is the AU's default when the code gives none."""
    m = _CODE_RE.fullmatch(code.strip())
    if m is None or int(m.group(2)) not in table().units:
        raise ValueError(f"bad FACS code {code!r}: expected [L|R]<AU>[A-E] with an AU of data/facs.yaml")
    au = table().units[int(m.group(2))]
    return m.group(1), au.number, m.group(3) or au.default_level


def au_channels(au: int, level: str | float | None = None, side: str = "") -> dict[str, float]:
    """One AU at a level (letter, or a value in [0, 1]) on a side ('', 'L', 'R') -> {channel: value}."""
    unit = table().units.get(au)
    if unit is None:
        raise ValueError(f"unknown action unit AU{au}")
    if level is None or isinstance(level, str):
        amount = level_value(level or unit.default_level)
    else:
        amount = float(level)
    if not side and (unit.unilateral or unit.lateral):
        side = DEFAULT_SIDE[0]
    out: dict[str, float] = {}
    for name, gain in unit.channels.items():
        for channel in _channel_names(name, side):
            out[channel] = out.get(channel, 0.0) + gain * amount
    return out


def facs_vector(spec: str) -> np.ndarray:
    """FACS string ('1C+R12B+64A') -> (61,) ARKit values in channel order A, clipped to range."""
    out = np.zeros(N_CHANNELS)
    for code in filter(None, (c.strip() for c in spec.split("+"))):
        try:
            side, au, level = parse_code(code)
        except ValueError:
            raise ValueError(f"bad FACS code {code!r} in {spec!r}") from None
        for channel, value in au_channels(au, level, side).items():
            out[CHANNEL_INDEX[channel]] += value
    return np.clip(out, LOW, HIGH)


def _channel_names(name: str, side: str = "") -> tuple[str, ...]:
    """'BrowDown*' -> both sided channels (or one, for side 'L'/'R'); an exact channel -> itself; unknown -> ()."""
    if name.endswith("*"):
        sides = {"L": ("Left",), "R": ("Right",)}.get(side, ("Left", "Right"))
        names = tuple(name[:-1] + s for s in sides)
        return names if all(n in CHANNEL_INDEX for n in names) else ()
    return (name,) if name in CHANNELS else ()
