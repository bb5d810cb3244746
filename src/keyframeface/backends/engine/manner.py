"""What a keyframe's words say about motion in time -> ``data.Motion`` (numbers the timeline reads).

``read_manner(text) -> Motion``: onset pace, hold, cycles (nods, trembles, laughs) with rate, amplitude and count,
region order and lockstep, per-region pace. The words live in ``data/manner.yaml``; the numbers they stand for in
``keyframeface/motion.yaml``. Text goes through the engine's own normaliser (``normalise.py``), stemmer
(``text.stem`` over manner.yaml's words and ``lexicon.IRREGULAR``), negation table (negations.yaml ``clause``,
less this file's manner words) and degree table (degrees.yaml ``cycle``). Explicit times ("hold 1.5 s", "over 2
seconds") win over words.

A cycle verb is dropped when its clause negates it before ("without nodding", "stops trembling", "doesn't laugh")
or ends it after ("the trembling stops"); degree words next to it scale it ("nods slightly"), held-back words shrink
it ("stifles a laugh"), a tempo word next to it sets its rate ("nods slowly") instead of the transition, and
"once", "twice", "three times" count its periods. Posing (the engine, and the LLM route over the description)
stores the result on the keyframe; nothing downstream reads the words again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ...channels import REGIONS
from ...data import Cycle, Motion
from ...motion import tables
from . import degrees, vocab
from . import lexicon as lx
from .vocab import DataError
from .clauses import _SENTENCE_END
from .normalise import normalise
from .text import stem as text_stem

__all__ = ["MannerWords", "read_manner", "words"]

_PUNCT = frozenset(",;.:!?()")
NEAR = 3  # words either side of a cycle verb searched for its degree, negation, tempo and count
CONTEXT = 4  # words either side searched for a cycle's 'with' / 'without' words
TIME_REACH = 3  # words before a number of seconds searched for what it times (hold or onset)


@dataclass(frozen=True)
class CycleWords:
    """The words of one cycle of motion.yaml: verbs that name it, and context words it needs or refuses."""

    name: str
    words: frozenset[str]
    with_words: frozenset[str]
    without_words: frozenset[str]


@dataclass(frozen=True)
class MannerWords:
    """manner.yaml, every word in its base form, with the seconds of motion.yaml's tiers attached."""

    known: frozenset[str]  # every word of the file (the stemmer's vocabulary)
    pace: Mapping[str, float]  # word -> seconds
    hold: Mapping[str, float]  # word -> seconds
    clause: frozenset[str]
    time_hold: frozenset[str]
    time_pace: frozenset[str]
    units: Mapping[str, float]  # word -> seconds per unit
    unit_fillers: frozenset[str]  # words that may stand between a number and its unit ("two full seconds")
    numbers: Mapping[str, float]
    cycles: Mapping[str, tuple[CycleWords, ...]]  # verb -> the cycles it may name, in data order
    degree: Mapping[str, float]
    suppress: tuple[tuple[str, ...], ...]
    suppress_scale: float
    negation: frozenset[str]
    ending: frozenset[str]
    tempo: Mapping[str, float]
    count: Mapping[str, int]
    times_words: frozenset[str]
    sequence: tuple[tuple[str, ...], ...]
    after: frozenset[str]
    first: tuple[tuple[str, ...], ...]
    regions: Mapping[str, frozenset[str]]  # word -> regions it names
    lockstep: tuple[tuple[str, ...], ...]
    inflections: tuple[str, ...]  # a listed word with one of these endings may have its base listed too
    fractions: Mapping[str, float]  # "half" -> 0.5 ("half a second")
    fraction_of: frozenset[str]  # the words between a fraction and its unit ("a", "an")


FILE = "manner.yaml"
_NUMBERS = "word_numbers"  # the schema kind of a table of word -> number


def _positive(doc: vocab.Shaped, shape: Mapping[str, Any]) -> None:
    """Every table of numbers in the file (``{"*": number}`` in schema.yaml) holds numbers > 0."""
    for key, kind in shape.items():
        if kind == _NUMBERS and not all(v > 0 for v in getattr(doc, key).values()):
            raise DataError(FILE, key, "expected a mapping of word -> number > 0")


@vocab.cached
def words() -> MannerWords:
    """manner.yaml loaded once and validated against motion.yaml (tiers and cycles exist) and the regions."""
    doc = vocab.shaped(FILE)  # the schema checked every key and kind (cycles' rows, times, suppress)
    _positive(doc, vocab.schema()[FILE])
    t = tables()
    raw: set[str] = set()

    def tiers(key: str, table: Mapping[str, Sequence[str]], seconds: Mapping[str, float]) -> dict[str, float]:
        out: dict[str, float] = {}
        for tier, ws in table.items():
            if tier not in seconds:
                raise DataError(FILE, f"{key}.{tier}", f"not a tier of motion.yaml {key} ({sorted(seconds)})")
            for w in ws:
                raw.add(w)
                out[w] = seconds[tier]
        return out

    def listed(ws: Sequence[str]) -> Sequence[str]:
        raw.update(x for w in ws for x in w.split())
        return ws

    pace, hold = tiers(_key(doc.pace), doc.pace, t.pace), tiers(_key(doc.hold), doc.hold, t.hold)
    cycles: dict[str, list[CycleWords]] = {}
    for name, entry in doc.cycles.items():
        if name not in t.cycles:
            raise DataError(FILE, f"{_key(doc.cycles)}.{name}", f"not a cycle of motion.yaml ({sorted(t.cycles)})")
        found = (entry.words, entry.with_ or (), entry.without or ())
        for ws in found:
            raw.update(ws)
        cw = CycleWords(name, *(frozenset(ws) for ws in found))
        for w in found[0]:
            cycles.setdefault(w, []).append(cw)
    regions: dict[str, set[str]] = {}
    for region, ws in doc.regions.items():
        if region not in REGIONS:
            raise DataError(FILE, _key(doc.regions), f"{region!r} is not one of {sorted(REGIONS)}")
        raw.update(ws)
        for w in ws:
            regions.setdefault(w, set()).add(region)
    for k, v in doc.count.items():
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise DataError(FILE, f"{_key(doc.count)}.{k}", f"expected a whole number >= 1, got {v!r}")
    degree = dict(degrees.column(degrees.CYCLE))
    for table in (degree, doc.tempo, doc.units, doc.numbers):
        raw.update(table)
    raw.update(doc.count)
    clause = listed(doc.clause)
    raw.update(doc.times.hold)
    raw.update(doc.times.pace)
    suppress = listed(doc.suppress.words)
    sequence, first, lockstep = listed(doc.sequence), listed(doc.first), listed(doc.lockstep)
    extra_negation, ending, after, times_words = (listed(ws) for ws in (doc.negation, doc.ending, doc.after,
                                                                         doc.times_words))
    manner = set(pace) | set(hold) | set(cycles)  # "melts", "fades" time a move; they negate nothing here
    negation = (set(lx.NEGATIONS) - manner) | set(extra_negation)
    known = frozenset(raw | negation)

    def st(w: str) -> str:
        return _base(w, known, doc.inflections)

    def stems(ws: Iterable[str]) -> frozenset[str]:
        return frozenset(st(w) for w in ws)

    def phrases(ps: Iterable[str]) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(st(x) for x in p.split()) for p in ps)

    def cyc(cw: CycleWords) -> CycleWords:
        return CycleWords(cw.name, *(stems(ws) for ws in (cw.words, cw.with_words, cw.without_words)))

    def stemmed(table: Mapping[str, Any]) -> Mapping[str, Any]:
        return MappingProxyType({st(k): v for k, v in table.items()})

    cycles_by_stem: dict[str, list[CycleWords]] = {}
    for verb, cws in cycles.items():
        for cw in cws:
            if cw not in cycles_by_stem.setdefault(st(verb), []):
                cycles_by_stem[st(verb)].append(cw)
    scale = doc.suppress.scale
    if not 0 < scale <= 1:
        raise DataError(FILE, f"{_key(doc.suppress)}.scale", f"expected a number in (0, 1], got {scale!r}")
    return MannerWords(
        known=known, pace=stemmed(pace), hold=stemmed(hold), clause=stems(clause),
        time_hold=stems(doc.times.hold), time_pace=stems(doc.times.pace),
        units=MappingProxyType(dict(doc.units)), unit_fillers=doc.unit_fillers,
        numbers=MappingProxyType(dict(doc.numbers)),
        cycles=MappingProxyType({k: tuple(cyc(cw) for cw in v) for k, v in cycles_by_stem.items()}),
        degree=stemmed(degree), suppress=phrases(suppress), suppress_scale=float(scale),
        negation=stems(negation), ending=stems(ending), tempo=stemmed(doc.tempo), count=stemmed(doc.count),
        times_words=stems(times_words), sequence=phrases(sequence), after=stems(after), first=phrases(first),
        regions=MappingProxyType({st(k): frozenset(v) for k, v in regions.items()}), lockstep=phrases(lockstep),
        inflections=doc.inflections, fractions=MappingProxyType(dict(doc.fractions)), fraction_of=doc.fraction_of,
    )


def _key(value: Any) -> str:
    """The name of the top-level key of manner.yaml that holds ``value`` (for an error message)."""
    return next(k for k, v in vars(vocab.shaped(FILE)).items() if v is value)


@vocab.cached(maxsize=16384)
def _base(word: str, known: frozenset[str], inflections: tuple[str, ...]) -> str:
    """``word``'s base form among ``known`` ("lingering" -> "linger" when both are listed; "nods" -> "nod")."""
    w = text_stem(word, known, lx.IRREGULAR)
    if not w.endswith(inflections):
        return w
    deeper = text_stem(w, known - {w}, lx.IRREGULAR)
    return deeper if deeper != w and deeper in known else w


def _clauses(stems: Sequence[str], clause_words: frozenset[str]) -> list[int]:
    """Clause number of each token (punctuation and clause words start a new clause)."""
    ids, c = [], 0
    for s in stems:
        if s in _PUNCT or s in clause_words:
            c += 1
        ids.append(c)
    return ids


def _at(stems: Sequence[str], i: int, phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` starts at token ``i``."""
    return tuple(stems[i:i + len(phrase)]) == phrase


def _number(tokens: Sequence[str], i: int, v: MannerWords) -> float | None:
    """The number token ``i`` stands for ("1.5", "two", "a" after "half" is half), else None."""
    if i < 0:
        return None
    tok = tokens[i]
    if tok.replace(".", "", 1).isdigit():
        return float(tok)
    if tok in v.fraction_of and i > 0 and tokens[i - 1] in v.fractions:
        return v.fractions[tokens[i - 1]]
    return v.numbers.get(tok)


def _explicit_times(tokens: Sequence[str], stems: Sequence[str], clause: Sequence[int],
                    v: MannerWords) -> tuple[float | None, float | None]:
    """(onset seconds, hold seconds) the text writes out ("over 2 seconds", "hold 1.5 s"), None where absent."""
    onset = hold = None
    for u, tok in enumerate(tokens):
        if tok not in v.units:
            continue
        at = u - 2 if u >= 2 and tokens[u - 1] in v.unit_fillers else u - 1  # "for two full seconds"
        n = _number(tokens, at, v)
        if n is None:
            continue
        seconds = n * v.units[tok]
        start = at - 1 if at > 0 and tokens[at - 1] in v.fractions else at
        before = [stems[j] for j in range(max(0, start - TIME_REACH), start) if clause[j] == clause[u]]
        if any(s in v.time_pace for s in before):
            onset = seconds
        elif any(s in v.time_hold for s in before):
            hold = seconds
    return onset, hold


def _count_after(tokens: Sequence[str], stems: Sequence[str], clause: Sequence[int], i: int,
                 v: MannerWords) -> int | None:
    """The count that opens the clause right after position ``i``'s ("a small nod, twice"; "shakes head, 3 times")."""
    k = next((j for j in range(i + 1, len(stems)) if clause[j] != clause[i]), None)
    while k is not None and k < len(stems) and stems[k] in _PUNCT:
        k += 1
    if k is None or k >= len(stems) or any(t in _SENTENCE_END for t in tokens[i:k]):
        return None

    def alone(j: int) -> bool:  # the count is the whole clause: "twice." not "twice, she looks away"
        return j >= len(tokens) or tokens[j] in _PUNCT
    if stems[k] in v.count and alone(k + 1):
        return v.count[stems[k]]
    if k + 1 < len(stems) and stems[k + 1] in v.times_words and alone(k + 2) and (
            n := _number(tokens, k, v)) is not None and n >= 1:
        return int(n)
    return None


@vocab.cached(maxsize=8192)
def read_manner(text: str) -> Motion:
    """Pace, hold, cycles and region order that the words of one description ask for (see the module doc)."""
    v = words()
    tokens = normalise(text)
    stems = [t if t in _PUNCT else _base(t, v.known, v.inflections) for t in tokens]
    clause = _clauses(stems, v.clause)
    n = len(stems)

    def near(i: int, before: int, after: int) -> list[int]:
        """Token positions within before/after words of i, inside i's clause."""
        return [j for j in range(max(0, i - before), min(n, i + after + 1)) if j != i and clause[j] == clause[i]]

    negated = [any(stems[j] in v.negation for j in near(i, NEAR, 0)) for i in range(n)]
    spec_hz = tables().cycles
    cycles: dict[str, Cycle] = {}
    used: set[int] = set()  # positions of words that describe a cycle (its tempo, 'with' words, holding back)
    for i, s in enumerate(stems):
        for cw in v.cycles.get(s, ()):
            around = {stems[j] for j in near(i, CONTEXT, CONTEXT)}
            if (cw.with_words and not around & cw.with_words) or around & cw.without_words:
                continue
            if negated[i] or any(stems[j] in v.ending for j in near(i, 0, 2)):
                break
            close = near(i, NEAR, NEAR)
            scale = next((v.degree[stems[j]] for j in sorted(close, key=lambda j: abs(j - i))
                          if stems[j] in v.degree), 1.0)
            held = [j for j in near(i, NEAR + 1, 0) for p in v.suppress if _at(stems, j, p)]
            if held:  # held back: at most the table's share ("stifles a laugh" also reads as "barely")
                scale = min(scale, v.suppress_scale)
                used.update(held)
            used.update(j for j in near(i, CONTEXT, CONTEXT) if stems[j] in cw.with_words)
            hz = spec_hz[cw.name].hz
            for j in close:  # a tempo word next to the verb: "nods slowly", "quickly shakes her head"
                if stems[j] in v.tempo and abs(j - i) <= 2 and stems[j] not in cw.with_words:
                    hz *= v.tempo[stems[j]]
                    used.add(j)
                    break
            periods = next((v.count[stems[j]] for j in close if stems[j] in v.count), None)
            for j in near(i, 0, NEAR + 1):  # "nods three times"
                if stems[j] in v.times_words and (k := _number(tokens, j - 1, v)) is not None and k >= 1:
                    periods = int(k)
                    used.update((j - 1, j))
            if periods is None:  # "Small nod, twice.": a count set off after the verb's clause
                periods = _count_after(tokens, stems, clause, i, v)
            old = cycles.get(cw.name)
            if old is None or scale > old.scale:
                cycles[cw.name] = Cycle(cw.name, hz, scale, periods, tokens[i])
            break
    paces = [(v.pace[s], i) for i, s in enumerate(stems) if s in v.pace and i not in used and not negated[i]]
    pace, region_pace = _paces(paces, stems, clause, v)
    holds = [v.hold[s] for i, s in enumerate(stems) if s in v.hold and i not in used and not negated[i]]
    onset, held_for = _explicit_times(tokens, stems, clause, v)
    lockstep = any(_at(stems, i, p) for i in range(n) for p in v.lockstep)
    return Motion(pace=onset if onset is not None else pace,
                  hold=held_for if held_for is not None else (max(holds) if holds else None),
                  cycles=tuple(cycles.values()), order=() if lockstep else _order(stems, v), lockstep=lockstep,
                  region_pace=() if onset is not None else region_pace)


def _paces(paces: Sequence[tuple[float, int]], stems: Sequence[str], clause: Sequence[int],
           v: MannerWords) -> tuple[float | None, tuple[tuple[str, float], ...]]:
    """The transition's seconds and, when clauses name parts at different paces, each part's own seconds.

    A pace word belongs to the regions its clause names ("her eyes snap wide" -> eyes, gaze). When two such
    clauses differ ("her eyes snap wide while a smile slowly spreads"), the transition lasts as long as the
    slowest and each named region moves in its own time (the others in the fastest unattached word's, if any).
    Otherwise the fastest word sets the whole transition.
    """
    if not paces:
        return None, ()
    attached: dict[str, float] = {}
    loose: list[float] = []
    for seconds, i in paces:
        regions = {r for j, s in enumerate(stems) if clause[j] == clause[i] for r in v.regions.get(s, ())}
        for r in regions:
            attached[r] = min(attached.get(r, seconds), seconds)
        if not regions:
            loose.append(seconds)
    if len(set(attached.values())) < 2:
        return min(seconds for seconds, _ in paces), ()
    own = dict.fromkeys(REGIONS, min(loose)) if loose else {}
    own.update(attached)
    return max(attached.values()), tuple(sorted(own.items()))


def _order(stems: Sequence[str], v: MannerWords) -> tuple[tuple[str, ...], ...]:
    """Region groups in the order the words move them, or () when the words order fewer than two groups."""
    groups: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for segment in _segments(list(stems), v):
        regions = sorted({r for s in segment for r in v.regions.get(s, ())} - seen)
        if regions:
            groups.append(tuple(regions))
            seen.update(regions)
    return tuple(groups) if len(groups) > 1 else ()


def _segments(stems: list[str], v: MannerWords) -> list[list[str]]:
    """The tokens cut into pieces in time order at then / before / after / followed by / first."""
    for i in range(len(stems)):
        for p in v.sequence:
            if _at(stems, i, p):
                return _segments(stems[:i], v) + _segments(stems[i + len(p):], v)
        if stems[i] in v.after:
            if all(s in _PUNCT for s in stems[:i]):  # "After the eyes widen, the mouth opens."
                j = next((k for k in range(i + 1, len(stems)) if stems[k] in _PUNCT), len(stems))
                return _segments(stems[i + 1:j], v) + _segments(stems[j + 1:], v)
            return _segments(stems[i + 1:], v) + _segments(stems[:i], v)  # "the mouth opens after the eyes widen"
    for i in range(len(stems)):
        if any(_at(stems, i, p) for p in v.first):
            j = next((k for k in range(i, len(stems)) if stems[k] in _PUNCT), len(stems))
            start = max((k + 1 for k in range(i) if stems[k] in _PUNCT), default=0)
            if start or j < len(stems):  # "first" marks one clause among others
                return [stems[start:j]] + _segments(stems[:start] + stems[j:], v)
    return [stems]
