"""The phrase tables: ``data/phrases.yaml`` (one row per facial action, shared by the describer and the planner)
and ``data/plan.yaml`` (the planner's own words and shapes: how it reads a pose, its arcs, parts and fillers).

Both load through ``vocab.table`` (per vocabulary directory, so ``lexicon.using(dir)`` swaps them) into frozen
structures, validated at load: every channel is an ARKit channel, every planner row has a known part and three
non-empty pools, a one-word pool entry names a column of its row, every feature the planner says has a formula
over known measures, every arc beat a known kind, level and FACS gaze codes. Errors are ``DataError`` naming the
file and the key (``phrases.yaml: actions.brows.brows_down.part: unknown part 'brow'``).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from ...channels import CHANNEL_INDEX
from . import vocab
from .vocab import DataError

__all__ = ["ArcBeat", "BeatKind", "Fillers", "Fit", "Part", "Phrase", "PhraseTable", "PlanTable", "Smile", "Steps",
           "load_phrases", "load_plan", "phrase_table", "plan_table"]

PHRASES, PLAN = "phrases.yaml", "plan.yaml"
_TIERS = ("slight", "plain", "strong")
_COLUMNS = ("both", "one", "release", "held")
_KEEP = (None, "positive", "size", "signed")
_READINGS = (None, "leak", "flash")
_OTHER = "other"  # the adverb of an arc beat for any other tempo


@dataclass(frozen=True)
class Phrase:
    """One row of phrases.yaml: a facial action, how the describer says it and (with a part) how the planner does."""

    name: str
    region: str  # the describer's region (the order said)
    left: str | None  # channel (the subject's left, or the lone channel); None: the planner's alone
    right: str | None
    sign: float
    both: str
    one: str
    release: str
    held: str
    part: str  # the planner's face part; "": the describer's alone
    tiers: tuple[tuple[str, ...], ...]  # slight, plain, strong pools (one-word entries resolved)
    bounds: tuple[float, float]  # where the plain and the strong tier begin
    remain: tuple[str, ...]
    fades: tuple[str, ...]


@dataclass(frozen=True)
class PhraseTable:
    """phrases.yaml, read-only: the rows by name (file order), the describer's regions, the gaze's words."""

    rows: Mapping[str, Phrase]
    regions: tuple[tuple[str, tuple[Phrase, ...]], ...]  # every region with its rows that have channels
    gaze: Mapping[str, Any]  # directions (-> channels), axes (pairs of opposite directions), turn, both, release, held
    sides: tuple[str, str]  # the words of {side}: the subject's left, right


@dataclass(frozen=True)
class Part:
    """A face part of the planner: where it goes in a description, and its release."""

    order: int
    release: tuple[str, ...]
    mouth: bool
    leak: bool


@dataclass(frozen=True)
class BeatKind:
    """A kind of beat: its stage in the arc, whether a holding part says its remain phrase, whether it covers."""

    stage: str
    holds: bool
    cover: bool | str  # True, False, or "masked" (only when the reading has a masked part)


@dataclass(frozen=True)
class ArcBeat:
    """One beat of an arc as the data gives it (see plan.yaml ``arcs``)."""

    beat: str
    reading: str | None
    level: float
    priority: int
    gaze: str
    inward: str
    adverb: Mapping[str, str]  # tempo -> adverb
    otherwise: str  # the adverb for any other tempo (a plain adverb: for every tempo)
    low: float  # from (peak >= low)
    high: float  # below (peak < high)
    ends: int


@dataclass(frozen=True)
class Steps:
    """The beats of a transition arc (plan.yaml ``transition``)."""

    apex: ArcBeat
    shift: ArcBeat
    settle: ArcBeat
    most: int


@dataclass(frozen=True)
class Fit:
    """The beats inserted to fit a keyframe count (plan.yaml ``fit``)."""

    rising: ArcBeat
    falling: ArcBeat
    alone: ArcBeat


@dataclass(frozen=True)
class Fillers:
    """Whole-face clauses (plan.yaml ``fillers``)."""

    neutral: tuple[str, ...]
    hold: tuple[str, ...]
    rest: tuple[str, ...]
    last: str


@dataclass(frozen=True)
class Smile:
    """How a covering smile is qualified (plan.yaml ``smile``)."""

    row: str
    noun: str
    labels: frozenset[str]
    broad: float
    otherwise: str
    words: frozenset[str]


@dataclass(frozen=True)
class PlanTable:
    """plan.yaml, read-only, with the phrase table it says its features from."""

    phrases: PhraseTable
    measures: np.ndarray  # (measures, 61): row-wise channel means
    feature_names: tuple[str, ...]
    weights: np.ndarray  # (features, measures)
    positive: tuple[int, ...]  # features kept positive
    size: tuple[int, ...]  # features kept as a size
    signed: tuple[int, ...]  # features only read for a side (not a quantity said)
    beats: Mapping[str, BeatKind]
    scene_stages: Mapping[str, tuple[str, ...]]
    inward: frozenset[str]
    arcs: Mapping[str, tuple[ArcBeat, ...]]
    transition: Steps
    fit: Fit
    parts: Mapping[str, Part]
    fillers: Fillers
    variation_part: str
    variations: tuple[str, ...]
    leak: str
    smile: Smile
    pace_adverbs: Mapping[str, str]
    poker_words: tuple[str, ...]


def phrase_table() -> PhraseTable:
    """The shared phrase table of the active vocabulary (data/phrases.yaml)."""
    return vocab.table(load_phrases)


def plan_table() -> PlanTable:
    """The planner's table of the active vocabulary (data/plan.yaml with data/phrases.yaml)."""
    return vocab.table(load_plan)


# --- reading a mapping of a data file ---------------------------------------------------------------------

_MISSING: Any = object()


class _Node:
    """A mapping of a data file being read: every getter names its key in errors; ``done`` refuses keys not read."""

    def __init__(self, file: str, key: str, value: Any) -> None:
        if not isinstance(value, dict) or not value:
            raise DataError(file, key or "(top)", f"expected a mapping, got {value!r}")
        self.file, self.key, self.doc, self.seen = file, key, value, set()

    def at(self, name: Any) -> str:
        """The key of ``name`` here: ``actions.brows.brows_down``, ``arcs.masked[1]``."""
        if isinstance(name, int):
            return f"{self.key}[{name}]"
        return f"{self.key}.{name}" if self.key else str(name)

    def error(self, name: Any, message: str) -> DataError:
        return DataError(self.file, self.at(name), message)

    def __contains__(self, name: str) -> bool:
        return name in self.doc

    def keys(self) -> list[str]:
        self.seen.update(self.doc)
        return [str(k) for k in self.doc]

    def raw(self, name: str, default: Any = _MISSING) -> Any:
        self.seen.add(name)
        if name in self.doc:
            return self.doc[name]
        if default is _MISSING:
            raise self.error(name, "missing")
        return default

    def node(self, name: str) -> _Node:
        return _Node(self.file, self.at(name), self.raw(name))

    def text(self, name: str, fields: frozenset[str] = frozenset(), default: Any = _MISSING) -> str:
        """A phrase: a non-empty string whose placeholders are all in ``fields``."""
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value  # type: ignore[no-any-return]
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, f"expected a phrase, got {value!r}")
        names = {n for _, n, _, _ in string.Formatter().parse(value) if n is not None}
        if names - fields:
            raise self.error(name, f"unknown placeholder(s) {sorted(names - fields)} in {value!r}")
        return value

    def texts(self, name: str, fields: frozenset[str] = frozenset(), default: Any = _MISSING) -> tuple[str, ...]:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value  # type: ignore[no-any-return]
        if not isinstance(value, list) or not value:
            raise self.error(name, f"expected a list of phrases, got {value!r}")
        items = _Node(self.file, self.at(name), dict(enumerate(value)))
        return tuple(items.text(i, fields) for i in range(len(value)))  # type: ignore[arg-type]

    def number(self, name: str, low: float, high: float, default: Any = _MISSING) -> float:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise self.error(name, f"expected a number in [{low}, {high}], got {value!r}")
        return float(value)

    def whole(self, name: str, default: Any = _MISSING) -> int:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, f"expected a whole number, got {value!r}")
        return value

    def flag(self, name: str) -> bool:
        value = self.raw(name, False)
        if not isinstance(value, bool):
            raise self.error(name, f"expected true or false, got {value!r}")
        return value

    def channels(self, name: str, default: Any = _MISSING) -> tuple[str, ...]:
        """A channel or a list of channels, each an ARKit channel."""
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value  # type: ignore[no-any-return]
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item not in CHANNEL_INDEX:
                raise self.error(name, f"unknown ARKit channel {item!r}")
        if not items:
            raise self.error(name, "expected a channel or a list of channels")
        return tuple(items)

    def bounds(self, name: str) -> tuple[float, float]:
        value = self.raw(name)
        if not isinstance(value, list) or len(value) != 2:
            raise self.error(name, f"expected [low, high], got {value!r}")
        pair = _Node(self.file, self.at(name), dict(enumerate(value)))
        low, high = pair.number(0, 0.0, 1.0), pair.number(1, 0.0, 1.0)  # type: ignore[arg-type]
        if not low < high:
            raise self.error(name, f"expected low < high, got {value!r}")
        return low, high

    def done(self) -> None:
        """Refuse the keys nothing read (a misspelt column would otherwise be silently ignored)."""
        unknown = [k for k in self.doc if k not in self.seen]
        if unknown:
            raise self.error(unknown[0], f"unknown key; known here: {sorted(map(str, self.seen))}")


# --- phrases.yaml ---------------------------------------------------------------------------------------

_SIDE = frozenset({"side"})


def _phrase(node: _Node, region: str, name: str, default: tuple[float, float]) -> Phrase:
    r = node.node(name)
    left, right = (r.channels(c, (None,)) for c in ("left", "right"))
    if len(left) > 1 or len(right) > 1:
        raise node.error(name, "left and right are one channel each")
    sign = r.raw("sign", 1)
    if sign not in (1, -1):
        raise r.error("sign", f"expected 1 or -1, got {sign!r}")
    cols = {c: r.text(c, _SIDE if c == "one" else frozenset(), "") for c in _COLUMNS}
    if left[0] is None and (right[0] is not None or "part" not in r):
        raise node.error(name, "a row needs its channel (left) or a planner part")
    if left[0] is not None and not cols["both"]:
        raise r.error("both", "a row with channels needs its phrase")
    if right[0] is not None and not cols["one"]:
        raise r.error("one", "a pair of channels needs its one-sided phrase")

    def pool(column: str, default: Any = _MISSING) -> tuple[str, ...]:
        out = []
        for i, text in enumerate(r.texts(column, _SIDE, default)):
            if " " not in text.strip():  # one word: a column of this row
                if not cols.get(text):
                    raise r.error(f"{column}[{i}]", f"{text!r} is not a phrase column of this row")
                text = cols[text]
            out.append(text)
        return tuple(out)

    part, tiers, bounds, remain, fades = "", (), default, (), ()
    if "part" in r:
        part = r.text("part")
        tiers = tuple(pool(t) for t in _TIERS)
        bounds = r.bounds("tiers") if "tiers" in r else default
        remain, fades = pool("remain", ()), pool("fades", ())
    r.done()
    return Phrase(name, region, left[0], right[0], float(sign), cols["both"], cols["one"], cols["release"],
                  cols["held"], part, tiers, bounds, remain, fades)


def load_phrases(directory: Path | None = None) -> PhraseTable:
    """Read and validate phrases.yaml of ``directory`` (the active vocabulary by default)."""
    doc = _Node(PHRASES, "", vocab.read(PHRASES, directory))
    default = doc.bounds("tiers")
    rows: dict[str, Phrase] = {}
    regions = []
    actions = doc.node("actions")
    for region in actions.keys():
        block = actions.node(region) if actions.raw(region) else None
        for name in block.keys() if block else ():
            if name in rows:
                raise block.error(name, f"row {name!r} is already in {rows[name].region}")  # type: ignore[union-attr]
            rows[name] = _phrase(block, region, name, default)  # type: ignore[arg-type]
        regions.append((region, tuple(r for r in rows.values() if r.region == region and r.left is not None)))
    gaze = doc.node("gaze")
    directions = gaze.node("directions")
    axes = gaze.raw("axes")
    known = set(directions.doc)
    if not (isinstance(axes, list) and axes and all(isinstance(p, list) and len(p) == 2 and set(p) <= known
                                                    for p in axes)):
        raise gaze.error("axes", f"expected pairs of opposite directions of gaze.directions, got {axes!r}")
    words = {"directions": MappingProxyType({d: directions.channels(d) for d in directions.keys()}),
             "axes": tuple(tuple(p) for p in axes),
             "turn": gaze.text("turn", frozenset({"direction"})),
             "both": gaze.text("both", frozenset({"first", "second", "degree"})),
             "release": gaze.text("release"),
             "held": gaze.text("held", frozenset({"direction"}))}
    gaze.done()
    sides = doc.texts("sides")
    if len(sides) != 2:
        raise doc.error("sides", f"expected [left, right], got {list(sides)}")
    doc.done()
    return PhraseTable(MappingProxyType(rows), tuple(regions), MappingProxyType(words), (sides[0], sides[1]))


# --- plan.yaml ------------------------------------------------------------------------------------------

def _features(doc: _Node) -> tuple[Any, ...]:
    measures = doc.node("measures")
    names = measures.keys()
    matrix = np.zeros((len(names), len(CHANNEL_INDEX)))
    for row, name in enumerate(names):
        channels = measures.channels(name)
        matrix[row, [CHANNEL_INDEX[c] for c in channels]] = 1.0 / len(channels)
    features = doc.node("features")
    weights = np.zeros((len(features.doc), len(names)))
    kept: dict[Any, list[int]] = {k: [] for k in _KEEP}
    for row, name in enumerate(features.keys()):
        if isinstance(features.raw(name), str):  # a lone measure name: that measure as it is
            features.doc[name] = {_SUM: {features.doc[name]: 1.0}}
        spec = features.node(name)
        terms = spec.node(_SUM)
        for measure in terms.keys():
            if measure not in names:
                raise terms.error(measure, f"unknown measure {measure!r}")
            weights[row, names.index(measure)] = terms.number(measure, -10.0, 10.0)
        keep = spec.raw("keep", None)
        if keep not in _KEEP:
            raise spec.error("keep", f"expected one of {_KEEP[1:]}, got {keep!r}")
        kept[keep].append(row)
        spec.done()
    matrix.setflags(write=False)
    weights.setflags(write=False)
    return (matrix, tuple(features.keys()), weights) + tuple(tuple(kept[k]) for k in _KEEP[1:])


def _arc_beat(node: _Node, name: Any, beats: Mapping[str, BeatKind]) -> ArcBeat:
    from .facs import facs_vector

    spec = node.node(name)
    kind = spec.raw("beat")
    if kind not in beats:
        raise spec.error("beat", f"unknown beat kind {kind!r}; known: {sorted(beats)}")
    reading = spec.raw("reading", None)
    if reading not in _READINGS:
        raise spec.error("reading", f"expected one of {_READINGS[1:]}, got {reading!r}")
    gaze = str(spec.raw("gaze", ""))
    inward = str(spec.raw("inward", gaze))
    for field, codes in (("gaze", gaze), ("inward", inward)):
        try:
            facs_vector(codes)
        except ValueError as exc:
            raise spec.error(field, str(exc)) from None
    adverb = spec.raw("adverb", {})
    adverb = {_OTHER: adverb} if isinstance(adverb, str) else adverb
    if not isinstance(adverb, dict) or not all(isinstance(w, str) and w for w in adverb.values()):
        raise spec.error("adverb", f"expected an adverb or one per tempo, got {adverb!r}")
    adverb = dict(adverb)
    otherwise = adverb.pop(_OTHER, "")
    priority = spec.whole("priority", 0)
    beat = ArcBeat(kind, reading, spec.number("level", 0.0, 2.0, 1.0), priority, gaze, inward,
                   MappingProxyType(adverb), otherwise, spec.number("from", 0.0, 2.0, 0.0),
                   spec.number("below", 0.0, 2.0, float("inf")) if "below" in spec else float("inf"),
                   spec.whole("ends", priority))
    spec.done()
    return beat


def load_plan(directory: Path | None = None) -> PlanTable:
    """Read and validate plan.yaml of ``directory`` (the active vocabulary by default), with its phrases.yaml."""
    phrases = load_phrases(directory)
    doc = _Node(PLAN, "", vocab.read(PLAN, directory))
    matrix, names, weights, positive, size, signed = _features(doc)
    kinds = doc.node("beats")
    beats = {}
    for kind in kinds.keys():
        spec = kinds.node(kind)
        cover = spec.raw("cover", False)
        if not (isinstance(cover, bool) or cover == _MASKED):
            raise spec.error("cover", f"expected true, false or {_MASKED}, got {cover!r}")
        beats[kind] = BeatKind(spec.text("stage"), spec.flag("holds"), cover)
        spec.done()
    stages = doc.node("scene_stages")
    scene_stages = {k: stages.texts(k) for k in stages.keys()}
    shapes = doc.node("arcs")
    arcs = {}
    for name in shapes.keys():
        rows = shapes.raw(name)
        if not isinstance(rows, list) or not rows:
            raise shapes.error(name, f"expected a list of beats, got {rows!r}")
        listed = _Node(PLAN, shapes.at(name), dict(enumerate(rows)))
        arcs[name] = tuple(_arc_beat(listed, i, beats) for i in range(len(rows)))
    transition = doc.node("transition")
    steps = Steps(*(_arc_beat(transition, k, beats) for k in _names(Steps)[:-1]),
                  int(transition.number("most", 2, 12, 6)))
    transition.done()
    fitting = doc.node("fit")
    fit = Fit(*(_arc_beat(fitting, k, beats) for k in _names(Fit)))
    fitting.done()
    listed = doc.node("parts")
    parts = {}
    for name in listed.keys():
        spec = listed.node(name)
        parts[name] = Part(spec.whole("order"), spec.texts("release", default=()), spec.flag("mouth"),
                           spec.flag("leak"))
        spec.done()
    for row in phrases.rows.values():
        if row.part and row.part not in parts:
            raise DataError(PHRASES, f"actions.{row.region}.{row.name}.part",
                            f"unknown part {row.part!r}; known: {sorted(parts)} ({PLAN})")
    fill = doc.node("fillers")
    fillers = Fillers(*(fill.texts(k) for k in _names(Fillers)[:-1]), fill.text(_names(Fillers)[-1]))
    fill.done()
    variations = doc.node("variations")
    part = variations.text("part")
    if part not in parts:
        raise variations.error("part", f"unknown part {part!r}")
    smile = doc.node("smile")
    row = smile.text("row")
    if row not in phrases.rows or not phrases.rows[row].part:
        raise smile.error("row", f"expected a planner row of {PHRASES}, got {row!r}")
    qualify = Smile(row, smile.text("noun"), frozenset(smile.texts("labels")), smile.number("broad", 0.0, 1.0),
                    smile.text("otherwise"), frozenset(smile.texts("words")))
    smile.done()
    paces = doc.node("pace_adverbs")
    table = PlanTable(
        phrases, matrix, names, weights, positive, size, signed, MappingProxyType(beats),
        MappingProxyType(scene_stages), frozenset(doc.texts("inward")), MappingProxyType(arcs), steps, fit,
        MappingProxyType(parts), fillers, part, variations.texts("say"), doc.text("leak", frozenset({"clause"})),
        qualify, MappingProxyType({k: paces.text(k) for k in paces.keys()}), doc.texts("poker_words"))
    variations.done()
    doc.done()
    return table


_SUM = "sum"
_MASKED = "masked"  # a beat that covers only when the reading has a masked part


def _names(cls: type) -> list[str]:
    """The fields of a table's dataclass: the keys of its mapping in the data file, in order."""
    return [f.name for f in fields(cls)]
