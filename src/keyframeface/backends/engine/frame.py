"""The clause frame: what one clause says, as plain data (who acts, what kind of change, how sure), read from the
tagged words only. ``parse`` reads a frame per clause and lets it decide what a clause may do: a scene actor moves
no face part, a hedge softens an expression, a decrease scales the value the face has now (``continuity.scale``).

The words it reads are data (``data/frames.yaml``); ``frame_words(directory)`` loads another vocabulary."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

from . import lexicon as lx, vocab
from .composition import composition
from .facs import DataError

__all__ = ["Actor", "Change", "Frame", "FrameWords", "Role", "frame_words", "lower_names", "read_frame"]
T = TypeVar("T")


def lower_names(cls: type[T]) -> type[T]:
    """Give each annotated name of ``cls`` its own name in lower case as a plain string (``Role.REGION ==
    "region"``): names the code shares, without writing each twice."""
    for name in cls.__annotations__:
        setattr(cls, name, name.lower())
    return cls


@lower_names
class Role:
    """The roles the tagger gives a word (``clauses.py``): the keys of ``Token.roles``, each its lower-case name."""

    REGION: str
    MOTION: str
    EXPRESSION: str
    BUNDLE: str
    LITERAL: str
    DIRECTION: str
    RESULT: str
    POSITION: str
    SIDE: str
    ONESIDED: str
    VIEWER: str
    DEGREE: str
    INTENSIFIER: str
    COMPARATIVE: str
    SIZE: str
    NUMBER: str
    STYLE: str
    ANGLE: str


class _Named(enum.Enum):
    """An enum whose values are its members' names in lower case (``Actor.PART.value == "part"``)."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[Any]) -> str:
        return name.lower()


class Actor(_Named):
    """Who does what the clause says."""

    PART = enum.auto()  # a face part: "the brows lift"
    FACE = enum.auto()  # the face as a whole: "her face falls"
    PERSON = enum.auto()  # the person, with a facial verb: "she smiles"
    SCENE = enum.auto()  # something else: "the beam of the headlights sweeps the wall"
    NONE = enum.auto()  # no subject: "brows up", "a slight smile"


class Change(_Named):
    """What the clause does to the value a part has."""

    ONSET = enum.auto()  # a new action: "the brows lift"
    INCREASE = enum.auto()  # "the smile widens", "a little wider"
    DECREASE = enum.auto()  # scale the current value by ``Frame.share``: "the smile shrinks a touch"
    PARTIAL = enum.auto()  # part of the action: "not quite closed", "never fully relax"
    RELEASE = enum.auto()  # back to rest: "the brows relax", "no smile"
    HOLD = enum.auto()  # "the smile stays"
    RETURN = enum.auto()  # back where it was before the last move: "the brows come back down"
    AGAIN = enum.auto()  # an earlier value comes back: "the smile returns", "she frowns again"


@dataclass(frozen=True)
class Frame:
    """One clause read as plain data. ``share``: for DECREASE the share of the current value kept, for PARTIAL the
    share of the action reached (or, on a release verb, of the current value kept)."""

    actor: Actor
    change: Change
    share: float | None = None
    degree: float | None = None  # the FACS scale (A 0.1 .. E 1.0) of the clause's degree word or number
    side: str | None = None  # "Left"/"Right" (the subject's own), None = both or unsaid
    negated: bool = False
    hedged: bool = False  # "as if", "might": expressions soften
    figurative: bool = False  # a scene actor acting on a face part: "a shadow crosses her face"
    release_verb: bool = False  # the change verb is a release verb ("ease", "relax")
    exclusive: bool = False  # "only the left side ...": the other side of what the clause moves stays at rest

    @property
    def moves_face(self) -> bool:
        """Only a face part, the face or the person may move the face."""
        return self.actor is not Actor.SCENE and not self.figurative


class _Word(Protocol):
    raw: str
    lemma: str
    roles: dict[str, object]


@dataclass(frozen=True)
class FrameWords:
    """The vocabulary the frame reads (``data/frames.yaml``)."""

    scene_nouns: frozenset[str]
    hedge_openers: frozenset[str]
    hedge_words: frozenset[str]
    hedge_share: float
    decrease: Mapping[str, float]
    expression_decrease: Mapping[str, float]
    release_verbs: frozenset[str]
    change_sizes: Mapping[str, float]
    partial_openers: frozenset[str]
    partial_share: float
    side_moves: Mapping[str, str]
    manner_prepositions: frozenset[str]
    persons: frozenset[str]
    determiners: frozenset[str]
    hedge_lead: frozenset[str]
    partial_negations: frozenset[str]
    return_words: frozenset[str]
    face_regions: frozenset[str]
    sets: Mapping[str, frozenset[str]]  # the reader's closed word sets (``sets`` in frames.yaml)
    exclusive: frozenset[str]  # ``sets.exclusive``
    again: frozenset[str]  # composition.yaml ``recall``


FILE = "frames.yaml"


def frame_words(directory: Path | None = None) -> FrameWords:
    """The frame's vocabulary from ``frames.yaml`` in ``directory`` (the active vocabulary's by default), validated."""
    if directory is None:
        return vocab.table(_build)
    return _build(Path(directory))


def _build(directory: Path) -> FrameWords:
    doc = vocab.Shaped(FILE, vocab.read(FILE, directory))  # the schema checked every key and kind
    for key, value in vars(doc).items():
        if not key.startswith("_"):
            _check(value, key)
    for region, motion in doc.side_moves.items():  # region -> motion, each a (region, motion) pair rules.yaml knows
        if (region, motion) not in lx.RULES:
            raise DataError(FILE, f"side_moves.{region}", f"rules.yaml has no rule for ({region}, {motion})")
    sets = MappingProxyType({k: v for k, v in vars(doc.sets).items() if not k.startswith("_")})
    # the file's keys, by the names of FrameWords' fields (the last three are derived)
    words = FrameWords(*(getattr(doc, f.name) for f in fields(FrameWords)[:-3]), sets=sets,
                       exclusive=doc.sets.exclusive, again=frozenset(w for w in composition().recall if w.isalpha()))
    both = set(words.decrease) & set(words.expression_decrease)
    if both:
        raise DataError(FILE, "expression_decrease", f"{sorted(both)} are already listed under decrease")
    return words


def _check(value: Any, key: str) -> None:
    """Beyond the schema: every list is of words (letters, an apostrophe at most), every table is not empty."""
    if isinstance(value, vocab.Record):
        for name, item in vars(value).items():
            _check(item, f"{key}.{name}")
    elif isinstance(value, frozenset) and not (value and all(w.replace("'", "").isalpha() for w in value)):
        raise DataError(FILE, key, f"expected a list of words, got {sorted(value)!r}")
    elif isinstance(value, Mapping) and not value:
        raise DataError(FILE, key, "expected a mapping of word: value")


_PREDICATE_ROLES = frozenset({Role.MOTION, Role.EXPRESSION, Role.BUNDLE})
_SIZED_ROLES = frozenset({Role.MOTION, Role.EXPRESSION, Role.REGION, Role.RESULT})  # a size word before these sizes them


def _lemma_in(t: _Word, table: Mapping[str, object] | frozenset[str]) -> str | None:
    """The form of ``t`` listed in ``table`` (its lemma, its raw form or their stem), if any."""
    for w in (t.lemma, t.raw):
        if w in table:
            return w
    stem = lx.lemma(t.raw, frozenset(table))
    return stem if stem in table else None


def read_frame(tokens: Sequence[_Word], opener: str = "", negated: bool = False,
               words: FrameWords | None = None) -> Frame:
    """Read one tagged clause into a frame. Reads only: writes nothing, into the tokens or anywhere else."""
    w = words or frame_words()
    first = _predicate(tokens, w)
    subject = tokens[:first]
    actor = _actor(tokens, subject, first, w)
    figurative = actor is Actor.SCENE and any(Role.REGION in t.roles for t in tokens[first:])
    hedged = (opener in w.hedge_lead and bool(tokens) and tokens[0].raw in w.hedge_openers) or any(
        _lemma_in(t, w.hedge_words) is not None for t in tokens)
    change, share, release_verb = _change(tokens, subject, negated, w)
    degree = next((float(t.roles[Role.DEGREE]) for t in tokens if Role.DEGREE in t.roles  # type: ignore[arg-type]
                   and Role.COMPARATIVE not in t.roles), None)
    if degree is None:
        degree = next((abs(float(t.roles[Role.NUMBER])) for t in tokens if Role.NUMBER in t.roles), None)  # type: ignore[arg-type]
    sides = {str(t.roles[Role.SIDE]) for t in tokens if Role.SIDE in t.roles}
    side = sides.pop() if len(sides) == 1 else None
    if change is Change.PARTIAL:
        negated = False  # "never fully relax": partly relaxed, not "no relaxing"
    exclusive = side is not None and any(t.raw in w.exclusive for t in tokens)
    return Frame(actor, change, share, degree, side, negated and change is not Change.DECREASE, hedged, figurative,
                 release_verb, exclusive)


def _predicate(tokens: Sequence[_Word], w: FrameWords) -> int:
    """Where the predicate starts: the first verb-like word that is not the head noun of a determiner's phrase
    ("the smile fades": "fades"; "a slow grin spreads": "spreads"); len(tokens) when the clause has none."""
    in_phrase = False
    for i, t in enumerate(tokens):
        if t.raw in w.determiners:
            in_phrase = True
            continue
        if t.roles.keys() & _PREDICATE_ROLES or _lemma_in(t, w.decrease):
            verb_form = t.raw != t.lemma and t.raw.endswith("s") and i > 0 and not tokens[i - 1].roles and (
                tokens[i - 1].raw not in w.determiners)  # "the child pouts", "the old man squints"
            if in_phrase and Role.BUNDLE not in t.roles and not verb_form and (
                    Role.MOTION not in t.roles or Role.EXPRESSION in t.roles):
                in_phrase = False  # the phrase's head noun ("the smile", "a grin"): still the subject
                continue
            return i
        if Role.REGION in t.roles:
            in_phrase = False
    return len(tokens)


def _actor(tokens: Sequence[_Word], subject: Sequence[_Word], first: int, w: FrameWords) -> Actor:
    """Face part, face, person or scene, from the words before the predicate."""
    for t in subject:
        if _lemma_in(t, w.scene_nouns) and Role.REGION not in t.roles:
            return Actor.SCENE  # "the beam of ...", "a shadow crosses", "her heart sinks", "music swells"
        if Role.REGION in t.roles:
            return Actor.FACE if t.roles[Role.REGION] in w.face_regions else Actor.PART
        if t.raw in w.persons:
            return Actor.PERSON
    if first < len(tokens) and tokens[first].roles.keys() & {Role.REGION, Role.BUNDLE}:
        return Actor.PART  # the predicate word is itself a part or a channel ("frown lines deepen", "jaw open 40%")
    if any(Role.EXPRESSION in t.roles for t in subject) or first == len(tokens):
        return Actor.NONE  # an expression acts ("the smile fades"), or a label ("a slight smile")
    if any(t.raw in w.determiners for t in subject):
        return Actor.PERSON  # "the student nods", "the old man squints": someone else's noun, a facial verb
    return Actor.NONE


def _change(tokens: Sequence[_Word], subject: Sequence[_Word], negated: bool,
            w: FrameWords) -> tuple[Change, float | None, bool]:
    """The kind of change and its share (see ``Frame``), from the verbs and the sizing words."""
    names_expression = any(Role.EXPRESSION in t.roles for t in subject) or (
        not any(Role.REGION in t.roles for t in tokens) and any(Role.EXPRESSION in t.roles for t in tokens))
    base: float | None = None
    release_verb = False
    for j, t in enumerate(tokens):
        if j > 0 and tokens[j - 1].raw in w.determiners:
            continue  # "into a thin line", "a faded smile": an adjective, not the clause's change
        key = _lemma_in(t, w.decrease)
        if key is not None:
            base = w.decrease[key]
            break
        key = _lemma_in(t, w.expression_decrease)
        if key is not None and names_expression:
            base = w.expression_decrease[key]
            break
        if _lemma_in(t, w.release_verbs) is not None:
            release_verb = True
    sizes = [w.change_sizes[t.raw] for j, t in enumerate(tokens) if t.raw in w.change_sizes and not (
        j + 1 < len(tokens) and tokens[j + 1].roles.keys() & _SIZED_ROLES)]  # "relaxed, slightly heavy lids"
    if base is not None:
        share = base
        if sizes:  # "fades completely" -> 0, "shrinks halfway" -> 0.5, "shrinks a touch" -> half the drop
            share = min(sizes) if min(sizes) <= 0.5 else 1.0 - (1.0 - base) * 0.5
        if negated and share > 0.0 and any(t.raw in lx.NEGATIONS and _lemma_in(t, w.decrease) is None
                                           and t.lemma not in w.expression_decrease for t in tokens):
            return Change.HOLD, None, False  # "the smile doesn't fade"
        return Change.DECREASE, max(0.0, min(1.0, share)), False
    partial = negated and any(t.raw in w.partial_openers for t in tokens) and any(
        t.raw in w.partial_negations or t.lemma in w.partial_negations for t in tokens)
    if partial:
        return Change.PARTIAL, w.partial_share, release_verb
    if any(Role.RESULT in t.roles for t in tokens):
        release_verb = False  # "the jaw loosens slightly open": a result, not a release
    if release_verb and sizes and 0.0 < min(sizes) < 1.0:
        return Change.PARTIAL, min(sizes), True  # "the brows ease back halfway"
    if release_verb:
        return Change.RELEASE, 0.0, True
    if any(Role.COMPARATIVE in t.roles for t in tokens):
        return Change.INCREASE, None, False
    if any(t.raw in lx.PERSIST_WORDS for t in tokens):
        return Change.HOLD, None, False
    if any(t.raw in w.return_words for t in tokens):
        return Change.RETURN, None, False
    if any(t.raw in w.again or t.lemma in w.again for t in tokens):
        return Change.AGAIN, None, False
    if negated:
        return Change.RELEASE, 0.0, False
    return Change.ONSET, None, False
