"""What a keyframe's words say about motion in time: pace, hold, cycles (nods, trembles, laughs) and region order.

The vocabulary lives in ``motion.yaml`` (next to this file), loaded once into frozen structures and validated at
load (every cycle channel is an ARKit channel, every region a ``channels.REGIONS`` region). Reading is pure and
cached per description: ``read_motion(text) -> Motion``. ``timing.py`` takes pace and hold from it; ``timeline.py``
takes region order and ``cycles.py`` the cycles.

Words are compared by ``stem`` (a light suffix stripper: "nods", "nodded", "nodding" -> "nod"), so the data lists
one form per verb. A cycle verb is dropped when its clause negates it before ("without nodding", "stops
trembling", "doesn't laugh") or ends it after ("the trembling stops"); degree words next to it scale it ("nods
slightly", "shakes her head vigorously"), held-back words shrink it ("stifles a laugh"), a pace word next to it
sets its tempo ("nods slowly") instead of the transition, and "once"/"twice" count its periods.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from .channels import CHANNEL_INDEX, REGIONS

__all__ = ["Cycle", "CycleSpec", "Motion", "MotionWords", "read_motion", "stem", "vocabulary"]

_FILE = Path(__file__).with_name("motion.yaml")
_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|[,;.:!?()]")
_PUNCT = frozenset(",;.:!?()")
_VOWELS = frozenset("aeiouy")
# Clause boundaries besides punctuation: a cycle's negation, degree and context words stay inside its clause.
_CONJUNCTIONS = frozenset({"and", "but", "while", "whil", "as", "yet", "then", "befor", "after", "though",
                           "although", "whereas", "until", "unless"})
NEAR = 3  # words either side of a cycle verb searched for its degree, negation, tempo and count
CONTEXT = 4  # words either side searched for a cycle's 'with' / 'without' words


def stem(word: str) -> str:
    """A light stem so verb forms meet: 'snaps'/'snapped'/'snapping' -> 'snap', 'flies' -> 'fly', 'eases' -> 'eas'."""
    w = word.lower()
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ing") and len(w) > 4 and _VOWELS & set(w[:-3]):
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 3 and _VOWELS & set(w[:-2]):
        w = w[:-2]
    elif w.endswith("ly") and len(w) > 4:
        w = w[:-2]
    elif w.endswith(("ches", "shes", "sses", "xes", "zes")) and len(w) > 4:
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3 and _VOWELS & set(w[:-1]):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1] not in _VOWELS:
        w = w[:-1]  # nodd -> nod, snapp -> snap
    if len(w) > 3 and w.endswith("e") and not w.endswith("ee"):
        w = w[:-1]  # tremble -> trembl (as "trembles", "trembling" end)
    return w


@dataclass(frozen=True)
class CycleSpec:
    """One cyclic motion from the data: its verbs, rate, waveform, envelope decay and channel amplitudes."""

    name: str
    words: frozenset[str]  # stems of the verbs that name it
    with_words: frozenset[str]  # stems one of which must be near the verb (empty: none needed)
    without_words: frozenset[str]  # stems none of which may be near the verb
    hz: float  # cycles per second at normal tempo
    wave: str  # 'sine' (both ways) or 'pulse' (one way, 0..1)
    decay: float  # envelope decay rate across the hold + transition (0: sustained until the fade)
    channels: tuple[tuple[int, float], ...]  # (channel index in order A, amplitude at normal degree)


@dataclass(frozen=True)
class Cycle:
    """A cycle read from one description: which motion, how big, how fast, how many periods."""

    spec: CycleSpec
    scale: float = 1.0  # degree words: amplitude multiplier
    hz: float = 0.0  # cycles per second (the spec's rate times any tempo word)
    periods: int | None = None  # "once", "twice": this many periods; None: until the envelope ends
    words: str = ""  # the verb as written, for explanations


@dataclass(frozen=True)
class Motion:
    """Everything timing and timeline read from one description."""

    pace: float | None = None  # seconds of the transition into this keyframe (None: no pace word)
    hold: float | None = None  # seconds this pose is held (None: no hold word)
    cycles: tuple[Cycle, ...] = ()
    order: tuple[tuple[str, ...], ...] = ()  # region groups in the order the text moves them (empty: default)
    lockstep: bool = False  # "all at once": every region moves together
    region_pace: tuple[tuple[str, float], ...] = ()  # (region, seconds of its own move) when clauses differ


@dataclass(frozen=True)
class MotionWords:
    """The vocabulary of motion.yaml, stems throughout."""

    pace: Mapping[str, tuple[str, float]]  # stem -> (tier name, seconds)
    hold: Mapping[str, float]  # stem -> seconds
    cycles: Mapping[str, tuple[CycleSpec, ...]]  # verb stem -> the cycles it may name, in data order
    degree: Mapping[str, float]  # stem -> amplitude multiplier
    suppress: tuple[tuple[str, ...], ...]  # stem phrases that hold a cycle back
    suppress_scale: float
    negation: frozenset[str]
    ending: frozenset[str]
    tempo: Mapping[str, float]  # stem -> rate multiplier
    count: Mapping[str, int]
    sequence: tuple[tuple[str, ...], ...]  # "then", "followed by", "before"
    after: frozenset[str]
    first: tuple[tuple[str, ...], ...]
    regions: Mapping[str, frozenset[str]]  # stem -> regions it names
    lockstep: tuple[tuple[str, ...], ...]


def _phrase(text: str) -> tuple[str, ...]:
    """A data phrase as a tuple of stems ('hold back' -> ('hold', 'back'))."""
    return tuple(stem(w) for w in text.lower().split())


def _stems(words: object, where: str) -> list[str]:
    """Single-word data entries as stems; ValueError naming ``where`` for anything else."""
    if not isinstance(words, list) or not all(isinstance(w, str) and w and " " not in w for w in words):
        raise ValueError(f"{_FILE.name}: {where}: expected a list of single words, got {words!r}")
    return [stem(w) for w in words]


def _number(value: object, where: str, *, low: float = 0.0) -> float:
    """A data number > ``low``; ValueError naming ``where`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > low:
        raise ValueError(f"{_FILE.name}: {where}: expected a number > {low}, got {value!r}")
    return float(value)


def _cycle(doc: dict, i: int) -> CycleSpec:
    """One validated cycles[i] entry."""
    where = f"cycles[{i}]"
    wave = doc.get("wave")
    if wave not in ("sine", "pulse"):
        raise ValueError(f"{_FILE.name}: {where}.wave: expected 'sine' or 'pulse', got {wave!r}")
    channels = doc.get("channels")
    if not isinstance(channels, dict) or not channels:
        raise ValueError(f"{_FILE.name}: {where}.channels: expected a mapping of channel -> amplitude")
    amps = []
    for name, amp in channels.items():
        if name not in CHANNEL_INDEX:
            raise ValueError(f"{_FILE.name}: {where}.channels: {name!r} is not an ARKit channel")
        if isinstance(amp, bool) or not isinstance(amp, (int, float)) or amp == 0 or abs(amp) > 1:
            raise ValueError(f"{_FILE.name}: {where}.channels.{name}: expected an amplitude in [-1, 1], not 0")
        amps.append((CHANNEL_INDEX[name], float(amp)))
    decay = doc.get("decay", 0.0)
    if isinstance(decay, bool) or not isinstance(decay, (int, float)) or decay < 0:
        raise ValueError(f"{_FILE.name}: {where}.decay: expected a number >= 0, got {decay!r}")
    return CycleSpec(name=str(doc["name"]), words=frozenset(_stems(doc.get("words"), f"{where}.words")),
                     with_words=frozenset(_stems(doc.get("with", []), f"{where}.with")),
                     without_words=frozenset(_stems(doc.get("without", []), f"{where}.without")),
                     hz=_number(doc.get("hz"), f"{where}.hz"), wave=wave, decay=float(decay), channels=tuple(amps))


def _tiers(doc: object, where: str) -> dict[str, tuple[str, float]]:
    """A list of {name, seconds, words} tiers -> stem -> (name, seconds); a stem in two tiers is an error."""
    if not isinstance(doc, list):
        raise ValueError(f"{_FILE.name}: {where}: expected a list of tiers")
    out: dict[str, tuple[str, float]] = {}
    for i, tier in enumerate(doc):
        seconds = _number(tier.get("seconds"), f"{where}[{i}].seconds")
        for s in _stems(tier.get("words"), f"{where}[{i}].words"):
            if s in out and out[s][0] != tier["name"]:
                raise ValueError(f"{_FILE.name}: {where}[{i}]: {s!r} is already in tier {out[s][0]!r}")
            out[s] = (str(tier["name"]), seconds)
    return out


@functools.cache
def vocabulary(path: Path = _FILE) -> MotionWords:
    """The motion vocabulary, loaded once and validated (channels and regions exist, numbers are positive)."""
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    pace = _tiers(doc["pace"], "pace")
    hold = {s: sec for s, (_, sec) in _tiers(doc["hold"], "hold").items()}
    cycles: dict[str, list[CycleSpec]] = {}
    names = set()
    for i, entry in enumerate(doc["cycles"]):
        spec = _cycle(entry, i)
        if spec.name in names:
            raise ValueError(f"{_FILE.name}: cycles[{i}]: duplicate name {spec.name!r}")
        names.add(spec.name)
        for w in spec.words:
            cycles.setdefault(w, []).append(spec)
    tempo = {stem(k): _number(v, f"tempo.{k}") for k, v in doc["tempo"].items()}
    regions: dict[str, set[str]] = {}
    for region, words in doc["regions"].items():
        if region not in REGIONS:
            raise ValueError(f"{_FILE.name}: regions: {region!r} is not one of {sorted(REGIONS)}")
        for s in _stems(words, f"regions.{region}"):
            regions.setdefault(s, set()).add(region)
    count = {}
    for k, v in doc["count"].items():
        if not isinstance(v, int) or v < 1:
            raise ValueError(f"{_FILE.name}: count.{k}: expected a whole number >= 1, got {v!r}")
        count[stem(k)] = v
    return MotionWords(
        pace=MappingProxyType(pace), hold=MappingProxyType(hold),
        cycles=MappingProxyType({k: tuple(v) for k, v in cycles.items()}),
        degree=MappingProxyType({stem(k): _number(v, f"degree.{k}") for k, v in doc["degree"].items()}),
        suppress=tuple(_phrase(p) for p in doc["suppress"]["words"]),
        suppress_scale=_number(doc["suppress"]["scale"], "suppress.scale"),
        negation=frozenset(_stems(doc["negation"], "negation")), ending=frozenset(_stems(doc["ending"], "ending")),
        tempo=MappingProxyType(tempo), count=MappingProxyType(count),
        sequence=tuple(_phrase(p) for p in doc["sequence"]), after=frozenset(_stems(doc["after"], "after")),
        first=tuple(_phrase(p) for p in doc["first"]),
        regions=MappingProxyType({k: frozenset(v) for k, v in regions.items()}),
        lockstep=tuple(_phrase(p) for p in doc["lockstep"]),
    )


def _tokens(text: str) -> list[str]:
    """Lower-case word and punctuation tokens; "doesn't", "can't" become 'not'."""
    out = []
    for tok in _TOKEN_RE.findall(text.lower().replace("\u2019", "'")):
        out.append("not" if tok.endswith("n't") else tok.replace("'", ""))
    return out


def _clauses(stems: Sequence[str]) -> list[int]:
    """Clause number of each token (punctuation and conjunctions start a new clause)."""
    ids, c = [], 0
    for s in stems:
        if s in _PUNCT or s in _CONJUNCTIONS:
            c += 1
        ids.append(c)
    return ids


def _at(stems: Sequence[str], i: int, phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` starts at token ``i``."""
    return tuple(stems[i:i + len(phrase)]) == phrase


@functools.lru_cache(maxsize=8192)
def read_motion(text: str) -> Motion:
    """Pace, hold, cycles and region order that the words of one description ask for."""
    v = vocabulary()
    tokens = _tokens(text)
    stems = [stem(t) for t in tokens]
    clause = _clauses(stems)
    n = len(stems)

    def near(i: int, before: int, after: int) -> list[int]:
        """Token positions within before/after words of i, inside i's clause."""
        return [j for j in range(max(0, i - before), min(n, i + after + 1)) if j != i and clause[j] == clause[i]]

    negated = [any(stems[j] in v.negation for j in near(i, NEAR, 0)) for i in range(n)]
    cycles: dict[str, Cycle] = {}
    used: set[int] = set()  # positions of words that describe a cycle (its tempo, 'with' words, holding back)
    for i, s in enumerate(stems):
        for spec in v.cycles.get(s, ()):
            around = {stems[j] for j in near(i, CONTEXT, CONTEXT)}
            if (spec.with_words and not around & spec.with_words) or around & spec.without_words:
                continue
            if negated[i] or any(stems[j] in v.ending for j in near(i, 0, 2)):
                break
            close = near(i, NEAR, NEAR)
            scale = next((v.degree[stems[j]] for j in sorted(close, key=lambda j: abs(j - i))
                          if stems[j] in v.degree), 1.0)
            held = [j for j in near(i, NEAR + 1, 0) for p in v.suppress if _at(stems, j, p)]
            if held:
                scale *= v.suppress_scale
                used.update(held)
            used.update(j for j in near(i, CONTEXT, CONTEXT) if stems[j] in spec.with_words)
            hz = spec.hz
            for j in close:  # a tempo word next to the verb: "nods slowly", "quickly shakes her head"
                if stems[j] in v.tempo and abs(j - i) <= 2 and stems[j] not in spec.with_words:
                    hz *= v.tempo[stems[j]]
                    used.add(j)
                    break
            periods = next((v.count[stems[j]] for j in close if stems[j] in v.count), None)
            old = cycles.get(spec.name)
            if old is None or scale > old.scale:
                cycles[spec.name] = Cycle(spec, scale, hz, periods, tokens[i])
            break
    paces = [(v.pace[s][1], i) for i, s in enumerate(stems) if s in v.pace and i not in used and not negated[i]]
    pace, region_pace = _paces(paces, stems, clause, v)
    holds = [v.hold[s] for i, s in enumerate(stems) if s in v.hold and i not in used and not negated[i]]
    lockstep = any(_at(stems, i, p) for i in range(n) for p in v.lockstep)
    return Motion(pace=pace, hold=max(holds) if holds else None, cycles=tuple(cycles.values()),
                  order=() if lockstep else _order(stems, v), lockstep=lockstep, region_pace=region_pace)


def _paces(paces: Sequence[tuple[float, int]], stems: Sequence[str], clause: Sequence[int],
           v: MotionWords) -> tuple[float | None, tuple[tuple[str, float], ...]]:
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


def _order(stems: Sequence[str], v: MotionWords) -> tuple[tuple[str, ...], ...]:
    """Region groups in the order the words move them, or () when the words order fewer than two groups."""
    groups: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for segment in _segments(list(stems), v):
        regions = sorted({r for s in segment for r in v.regions.get(s, ())} - seen)
        if regions:
            groups.append(tuple(regions))
            seen.update(regions)
    return tuple(groups) if len(groups) > 1 else ()


def _segments(stems: list[str], v: MotionWords) -> list[list[str]]:
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
