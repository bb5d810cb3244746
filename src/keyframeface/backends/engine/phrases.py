"""The phrase tables: ``data/phrases.yaml`` (one row per facial action, shared by the describer and the planner)
and ``data/plan.yaml`` (the planner's own words and shapes: how it reads a pose, its arcs, parts and fillers).

Their shapes (every key, a row's columns, an arc beat's fields, and each one's kind) are declared in ``schema.yaml``
and checked by ``vocab.read``; this module reads them as attributes (``vocab.Shaped``/``vocab.Record``), so it names
no key of them, and builds frozen structures per vocabulary directory (``vocab.table``, so ``lexicon.using(dir)``
swaps them), checking the entries: every channel is an ARKit channel, every planner row has a known part and three
non-empty pools, a one-word pool entry names a column of its row, every feature the planner says has a formula
over known measures, every arc beat a known kind, level and FACS gaze codes. Errors are ``DataError`` naming the
file and the key (``phrases.yaml: actions.brows.brows_down.part: unknown part 'brow'``).
"""

from __future__ import annotations

import math
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
    part: str  # the part a whole-face clause owns


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
    neutral_label: str  # the label of no feeling (with a poker word: a poker face)
    first_stage: str  # the stage of a plan's first keyframe


def phrase_table() -> PhraseTable:
    """The shared phrase table of the active vocabulary (data/phrases.yaml)."""
    return vocab.table(load_phrases)


def plan_table() -> PlanTable:
    """The planner's table of the active vocabulary (data/plan.yaml with data/phrases.yaml)."""
    return vocab.table(load_plan)


# --- checking the entries (the shapes are schema.yaml's: vocab checks them as it reads the file) --------------

_SIDE = frozenset({"side"})
_DIRECTION = frozenset({"direction"})
_COLUMNS = tuple(f.name for f in fields(Phrase))[5:9]  # both, one, release, held: a one-word pool entry names one


def _say(file: str, key: str, text: Any, names: frozenset[str] = frozenset()) -> str:
    """A phrase: a non-empty string whose placeholders are all in ``names``."""
    if not isinstance(text, str) or not text.strip():
        raise DataError(file, key, f"expected a phrase, got {text!r}")
    unknown = {n for _, n, _, _ in string.Formatter().parse(text) if n is not None} - names
    if unknown:
        raise DataError(file, key, f"unknown placeholder(s) {sorted(unknown)} in {text!r}")
    return text


def _says(file: str, key: str, texts: Any, names: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """A non-empty list of phrases."""
    if not texts:
        raise DataError(file, key, f"missing: expected a list of phrases, got {texts!r}")
    return tuple(_say(file, f"{key}[{i}]", text, names) for i, text in enumerate(texts))


def _channels(file: str, key: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """One or more channels, each an ARKit channel."""
    for name in names:
        if name not in CHANNEL_INDEX:
            raise DataError(file, key, f"unknown ARKit channel {name!r}")
    if not names:
        raise DataError(file, key, "expected a channel or a list of channels")
    return names


def _between(file: str, key: str, value: float | None, low: float, high: float, default: float) -> float:
    """An optional number in [low, high]."""
    if value is None:
        return default
    if not low <= value <= high:
        raise DataError(file, key, f"expected a number in [{low}, {high}], got {value!r}")
    return float(value)


def _bounds(file: str, key: str, pair: tuple[float, ...]) -> tuple[float, float]:
    if len(pair) != 2 or not pair[0] < pair[1]:
        raise DataError(file, key, f"expected [low, high] with low < high, got {list(pair)}")
    return pair[0], pair[1]


# --- phrases.yaml ---------------------------------------------------------------------------------------


def _phrase(at: str, region: str, name: str, r: vocab.Record, default: tuple[float, float]) -> Phrase:
    """One row of ``actions`` (``at``: its key path), its phrases checked and its pools resolved."""
    left = None if r.left is None else _channels(PHRASES, f"{at}.left", (r.left,))[0]
    right = None if r.right is None else _channels(PHRASES, f"{at}.right", (r.right,))[0]
    sign = 1 if r.sign is None else r.sign
    if sign not in (1, -1):
        raise DataError(PHRASES, f"{at}.sign", f"expected 1 or -1, got {sign!r}")
    cols = dict(zip(_COLUMNS, (
        _say(PHRASES, f"{at}.both", r.both) if r.both is not None else "",
        _say(PHRASES, f"{at}.one", r.one, _SIDE) if r.one is not None else "",
        _say(PHRASES, f"{at}.release", r.release) if r.release is not None else "",
        _say(PHRASES, f"{at}.held", r.held) if r.held is not None else "")))
    both, one, release, held = cols.values()
    if left is None and (right is not None or r.part is None):
        raise DataError(PHRASES, at, "a row needs its channel (left) or a planner part")
    if left is not None and not both:
        raise DataError(PHRASES, f"{at}.both", "a row with channels needs its phrase")
    if right is not None and not one:
        raise DataError(PHRASES, f"{at}.one", "a pair of channels needs its one-sided phrase")

    def pool(key: str, texts: tuple[str, ...] | None) -> tuple[str, ...]:
        out = []
        for i, text in enumerate(_says(PHRASES, key, texts, _SIDE)):
            if " " not in text.strip():  # one word: a column of this row
                if not cols.get(text):
                    raise DataError(PHRASES, f"{key}[{i}]", f"{text!r} is not a phrase column of this row")
                text = cols[text]
            out.append(text)
        return tuple(out)

    part, tiers, bounds, remain, fades = "", (), default, (), ()
    if r.part is not None:
        part = _say(PHRASES, f"{at}.part", r.part)
        tiers = (pool(f"{at}.slight", r.slight), pool(f"{at}.plain", r.plain), pool(f"{at}.strong", r.strong))
        bounds = _bounds(PHRASES, f"{at}.tiers", r.tiers) if r.tiers is not None else default
        remain = pool(f"{at}.remain", r.remain) if r.remain is not None else ()
        fades = pool(f"{at}.fades", r.fades) if r.fades is not None else ()
    return Phrase(name, region, left, right, float(sign), both, one, release, held, part, tiers, bounds, remain,
                  fades)


def load_phrases(directory: Path | None = None) -> PhraseTable:
    """Read and validate phrases.yaml of ``directory`` (the active vocabulary by default)."""
    doc = vocab.Shaped(PHRASES, vocab.read(PHRASES, directory))
    default = _bounds(PHRASES, "tiers", doc.tiers)
    rows: dict[str, Phrase] = {}
    regions = []
    for region, block in doc.actions.items():
        for name, row in block.items():
            if name in rows:
                raise DataError(PHRASES, f"actions.{region}.{name}", f"row {name!r} is already in {rows[name].region}")
            rows[name] = _phrase(f"actions.{region}.{name}", region, name, row, default)
        regions.append((region, tuple(r for r in rows.values() if r.region == region and r.left is not None)))
    gaze = doc.gaze
    for direction, channels in gaze.directions.items():
        _channels(PHRASES, f"gaze.directions.{direction}", channels)
    if not (gaze.axes and all(len(p) == 2 and set(p) <= set(gaze.directions) for p in gaze.axes)):
        raise DataError(PHRASES, "gaze.axes",
                        f"expected pairs of opposite directions of gaze.directions, got {list(gaze.axes)!r}")
    _say(PHRASES, "gaze.turn", gaze.turn, _DIRECTION)
    _say(PHRASES, "gaze.both", gaze.both, frozenset({"first", "second", "degree"}))
    _say(PHRASES, "gaze.release", gaze.release)
    _say(PHRASES, "gaze.held", gaze.held, _DIRECTION)
    if len(doc.sides) != 2:
        raise DataError(PHRASES, "sides", f"expected [left, right], got {list(doc.sides)}")
    return PhraseTable(MappingProxyType(rows), tuple(regions), MappingProxyType(dict(vars(gaze))),
                       (doc.sides[0], doc.sides[1]))


# --- plan.yaml ------------------------------------------------------------------------------------------

def _features(doc: vocab.Shaped) -> tuple[Any, ...]:
    names = list(doc.measures)
    matrix = np.zeros((len(names), len(CHANNEL_INDEX)))
    for row, (name, channels) in enumerate(doc.measures.items()):
        _channels(PLAN, f"measures.{name}", channels)
        matrix[row, [CHANNEL_INDEX[c] for c in channels]] = 1.0 / len(channels)
    weights = np.zeros((len(doc.features), len(names)))
    kept: dict[Any, list[int]] = {k: [] for k in _KEEP}
    for row, (name, spec) in enumerate(doc.features.items()):
        terms, keep = ({spec: 1.0}, None) if isinstance(spec, str) else (spec.sum, spec.keep)  # a lone measure
        if not terms:
            raise DataError(PLAN, f"features.{name}.sum", "expected a mapping of measures")
        for measure, weight in terms.items():
            if measure not in names:
                raise DataError(PLAN, f"features.{name}.sum.{measure}", f"unknown measure {measure!r}")
            weights[row, names.index(measure)] = _between(PLAN, f"features.{name}.sum.{measure}", weight, -10.0,
                                                          10.0, 0.0)
        if keep not in _KEEP:
            raise DataError(PLAN, f"features.{name}.keep", f"expected one of {_KEEP[1:]}, got {keep!r}")
        kept[keep].append(row)
    matrix.setflags(write=False)
    weights.setflags(write=False)
    return (matrix, tuple(doc.features), weights) + tuple(tuple(kept[k]) for k in _KEEP[1:])


def _arc_beat(at: str, spec: vocab.Record, beats: Mapping[str, BeatKind]) -> ArcBeat:
    """One beat of an arc (``at``: its key path), checked."""
    from .facs import facs_vector

    if spec.beat not in beats:
        raise DataError(PLAN, f"{at}.beat", f"unknown beat kind {spec.beat!r}; known: {sorted(beats)}")
    if spec.reading not in _READINGS:
        raise DataError(PLAN, f"{at}.reading", f"expected one of {_READINGS[1:]}, got {spec.reading!r}")
    gaze = spec.gaze or ""
    inward = gaze if spec.inward is None else spec.inward
    for key, codes in ((f"{at}.gaze", gaze), (f"{at}.inward", inward)):
        try:
            facs_vector(codes)
        except ValueError as exc:
            raise DataError(PLAN, key, str(exc)) from None
    adverb = {_OTHER: spec.adverb} if isinstance(spec.adverb, str) else dict(spec.adverb or {})
    if not all(adverb.values()):
        raise DataError(PLAN, f"{at}.adverb", f"expected an adverb or one per tempo, got {spec.adverb!r}")
    otherwise = adverb.pop(_OTHER, "")
    priority = spec.priority or 0
    return ArcBeat(spec.beat, spec.reading, _between(PLAN, f"{at}.level", spec.level, 0.0, 2.0, 1.0), priority,
                   gaze, inward, MappingProxyType(adverb), otherwise,
                   _between(PLAN, f"{at}.from", spec.from_, 0.0, 2.0, 0.0),
                   _between(PLAN, f"{at}.below", spec.below, 0.0, 2.0, math.inf),
                   priority if spec.ends is None else spec.ends)


def load_plan(directory: Path | None = None) -> PlanTable:
    """Read and validate plan.yaml of ``directory`` (the active vocabulary by default), with its phrases.yaml."""
    phrases = load_phrases(directory)
    doc = vocab.Shaped(PLAN, vocab.read(PLAN, directory))
    matrix, names, weights, positive, size, signed = _features(doc)
    beats = {}
    for kind, spec in doc.beats.items():
        cover = bool(spec.cover) if spec.cover is None or isinstance(spec.cover, bool) else spec.cover
        if cover not in (True, False, _MASKED):
            raise DataError(PLAN, f"beats.{kind}.cover", f"expected true, false or {_MASKED}, got {cover!r}")
        beats[kind] = BeatKind(_say(PLAN, f"beats.{kind}.stage", spec.stage), bool(spec.holds), cover)
    scene_stages = {k: _says(PLAN, f"scene_stages.{k}", v) for k, v in doc.scene_stages.items()}
    arcs = {}
    for name, listed in doc.arcs.items():
        if not listed:
            raise DataError(PLAN, f"arcs.{name}", "expected a list of beats, got []")
        arcs[name] = tuple(_arc_beat(f"arcs.{name}[{i}]", spec, beats) for i, spec in enumerate(listed))
    shape = doc.transition
    most = shape.most if shape.most is not None else 6
    if not 2 <= most <= 12:
        raise DataError(PLAN, "transition.most", f"expected a number in [2, 12], got {most!r}")
    steps = Steps(_arc_beat("transition.apex", shape.apex, beats), _arc_beat("transition.shift", shape.shift, beats),
                  _arc_beat("transition.settle", shape.settle, beats), most)
    fit = Fit(_arc_beat("fit.rising", doc.fit.rising, beats), _arc_beat("fit.falling", doc.fit.falling, beats),
              _arc_beat("fit.alone", doc.fit.alone, beats))
    parts = {name: Part(spec.order, _says(PLAN, f"parts.{name}.release", spec.release) if spec.release else (),
                        bool(spec.mouth), bool(spec.leak)) for name, spec in doc.parts.items()}
    for row in phrases.rows.values():
        if row.part and row.part not in parts:
            raise DataError(PHRASES, f"actions.{row.region}.{row.name}.part",
                            f"unknown part {row.part!r}; known: {sorted(parts)} ({PLAN})")
    fill = doc.fillers
    fillers = Fillers(_says(PLAN, "fillers.neutral", fill.neutral), _says(PLAN, "fillers.hold", fill.hold),
                      _says(PLAN, "fillers.rest", fill.rest), _say(PLAN, "fillers.last", fill.last), fill.part)
    for key, part in (("fillers.part", fill.part), ("variations.part", doc.variations.part)):
        if part not in parts:
            raise DataError(PLAN, key, f"unknown part {part!r}")
    smile = doc.smile
    if smile.row not in phrases.rows or not phrases.rows[smile.row].part:
        raise DataError(PLAN, "smile.row", f"expected a planner row of {PHRASES}, got {smile.row!r}")
    qualify = Smile(smile.row, _say(PLAN, "smile.noun", smile.noun), smile.labels, smile.broad,
                    _say(PLAN, "smile.otherwise", smile.otherwise), smile.words)
    paces = {k: _say(PLAN, f"pace_adverbs.{k}", v) for k, v in doc.pace_adverbs.items()}
    return PlanTable(
        phrases, matrix, names, weights, positive, size, signed, MappingProxyType(beats),
        MappingProxyType(scene_stages), doc.inward, MappingProxyType(arcs), steps, fit, MappingProxyType(parts),
        fillers, doc.variations.part, _says(PLAN, "variations.say", doc.variations.say),
        _say(PLAN, "leak", doc.leak, frozenset({"clause"})), qualify, MappingProxyType(paces), doc.poker_words,
        doc.neutral_label, doc.first_stage)


_MASKED = "masked"  # a beat that covers only when the reading has a masked part
