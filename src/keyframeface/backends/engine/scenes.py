"""Scene cues for the planner: background words -> what the face does, when in the arc (data/scenes.yaml).

Loaded once into frozen ``SceneData`` and validated at load: every scene has words and clauses, every clause a known
stage and face region and only known placeholders, every social mask a known emotion label and intensity, every
transition a known pace. Errors name the file and the key. ``read_scenes`` finds the scenes a background names (in
the order the background names them), with the side ("a bang on her left") and the pronoun the clauses use;
``transition_verbs`` finds the verbs that join the phases of an emotion ("freezing into", "melting into").
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .emotion_data import emotion_data
from . import vocab
from .vocab import DataError
from .text import normalise, stem

__all__ = ["SceneClause", "SceneCue", "SceneData", "SceneMatch", "Transition", "load_scene_data",
           "read_scenes", "scene_data", "transition_verbs"]

FILE = vocab.DATA_DIR / "scenes.yaml"
_PLACEHOLDERS = frozenset({"thing", "side", "pos"})


@dataclass(frozen=True)
class SceneClause:
    """One thing the face does in a scene: its words, when in the arc, which face parts it owns."""

    text: str  # plain face words with {thing}/{side}/{pos} placeholders
    stages: frozenset[str]
    regions: tuple[str, ...]
    side: bool | None = None  # True: only with a named side; False: only without; None: always


@dataclass(frozen=True)
class SceneCue:
    """A scene the planner knows: the words that name it and what the face does."""

    name: str
    words: tuple[str, ...]
    clauses: tuple[SceneClause, ...]
    mask: tuple[str, float] | None = None  # a social presence: (shown cover label, intensity)
    orienting: bool = False  # said for an unnamed event at a named side (the orienting response)


@dataclass(frozen=True)
class Transition:
    """A verb that joins two phases of an emotion: its pace and the clause said at the change."""

    verb: str
    pace: str  # sudden / steady / slow
    text: str  # may be empty: the verb sets the pace only
    region: str


@dataclass(frozen=True)
class SceneData:
    """Every scene cue and transition verb, read-only."""

    stages: tuple[str, ...]
    regions: tuple[str, ...]
    scenes: tuple[SceneCue, ...]
    transitions: Mapping[str, Transition]
    words: Any = None  # the file's other words (pronouns, sides, paces, defaults): ``vocab.Shaped``


@dataclass(frozen=True)
class SceneMatch:
    """A scene found in a background, with the words its clauses are filled with."""

    cue: SceneCue
    thing: str  # the matched word ("letter")
    side: str  # "left" / "right" (subject's own) when the background names one, else ""
    pos: str  # her / his / their
    start: int  # where in the background it was named

    def clauses(self, stage: str) -> list[tuple[SceneClause, str]]:
        """The clauses for one stage that apply here, filled in."""
        side = self.side or scene_data().words.default_side
        return [(c, c.text.format(thing=self.thing, side=side, pos=self.pos)) for c in self.cue.clauses
                if stage in c.stages and (c.side is None or c.side == bool(self.side))]


def _text(text: Any, file: str, key: str) -> str:
    """A clause: a string whose placeholders are all known."""
    if not isinstance(text, str):
        raise DataError(file, key, f"expected a clause, got {text!r}")
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    if names - _PLACEHOLDERS:
        raise DataError(file, key, f"unknown placeholder(s) {sorted(names - _PLACEHOLDERS)} in {text!r}")
    return text


def load_scene_data(path: Path | None = None) -> SceneData:
    """Read and validate a scenes file (the active vocabulary's by default; DataError names file and key)."""
    path = path or vocab.active() / FILE.name
    file = path.name
    doc = vocab.Shaped(FILE.name, vocab.read(file, path.parent))  # the schema checked every key, row and column
    stages, regions, paces = doc.stages, doc.regions, doc.paces
    labels = emotion_data().prototypes
    scenes = []
    if not doc.scenes:
        raise DataError(file, _key(doc, doc.scenes), "expected a list of scenes")
    for i, row in enumerate(doc.scenes):
        key = f"{_key(doc, doc.scenes)}[{i}] ({row.name})"
        words = tuple(normalise(w.strip()) for w in _names(row.words))
        mask = None
        if row.mask:
            label, _, value = row.mask.partition(":")
            try:
                level = float(value or 0.5)
            except ValueError:
                level = -1.0
            if label not in labels or not 0.0 < level <= 1.0:
                raise DataError(file, f"{key}.{_key(row, row.mask)}",
                                f"expected 'label:intensity' with a known label, got {row.mask!r}")
            mask = (label, level)
        clauses = []
        if not row.clauses:
            raise DataError(file, f"{key}.{_key(row, row.clauses)}", "expected a list of clauses")
        for j, c in enumerate(row.clauses):
            ckey = f"{key}.{_key(row, row.clauses)}[{j}]"
            own, where = tuple(w.strip() for w in _names(c.stage)), tuple(w.strip() for w in _names(c.region))
            bad = [s for s in own if s not in stages] + [r for r in where if r not in regions]
            if bad:
                raise DataError(file, ckey, f"unknown stage or region {bad}; known: {stages}, {regions}")
            clauses.append(SceneClause(_text(c.text, file, f"{ckey}.{_key(c, c.text)}"), frozenset(own), where, c.side))
        scenes.append(SceneCue(row.name, words, tuple(clauses), mask, bool(row.orienting)))
    transitions: dict[str, Transition] = {}
    for verb, row in (doc.transitions or {}).items():
        key = f"{_key(doc, doc.transitions)}.{verb}"
        if row.pace not in paces:
            raise DataError(file, key, f"expected a pace in {paces}, got {vars(row)!r}")
        region = row.region or ""
        if region and region not in regions:
            raise DataError(file, f"{key}.{_key(row, row.region)}", f"unknown region {region!r}; known: {regions}")
        transitions[str(verb)] = Transition(str(verb), row.pace, _text(row.text or "", file, key), region)
    return SceneData(stages, regions, tuple(scenes), MappingProxyType(transitions), doc)


def _names(value: str | tuple[str, ...]) -> tuple[str, ...]:
    """A word or a list of words (``text|ordered`` in schema.yaml) as a tuple."""
    return (value,) if isinstance(value, str) else value


def _key(doc: Any, value: Any) -> str:
    """The key of ``doc`` that holds ``value`` (for an error message: the key names live in schema.yaml)."""
    return next(k for k, v in vars(doc).items() if v is value)


def _build(directory: Path) -> SceneData:
    return load_scene_data(directory / FILE.name)


def scene_data() -> SceneData:
    """The active vocabulary's scenes file, loaded once."""
    return vocab.table(_build)


@vocab.cached
def _pattern() -> tuple[re.Pattern[str], dict[str, list[int]]]:
    """One regular expression for every scene word (longest first), and word -> the scenes it names."""
    owner: dict[str, list[int]] = {}
    for i, cue in enumerate(scene_data().scenes):
        for word in cue.words:
            owner.setdefault(word, []).append(i)
    words = sorted(owner, key=len, reverse=True)
    # a word's regular inflections name it too: "watch" -> watches, watched, watching; "shatter" -> shattering
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")(?:e?s|e?d|ing)?\b"), owner


@vocab.cached
def _people() -> tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    """The pattern of a named side ("on her left") and, per pronoun, the pattern of the words that take it."""
    w = scene_data().words
    side = re.compile(r"\b" + _any(w.side_before) + " (?:" + "".join(f"{re.escape(o)} |" for o in w.side_owners)[:-1]
                      + r")?(" + _any(w.sides)[3:] + r"\b")
    return side, tuple((pos, re.compile(r"\b" + _any(ws) + r"\b")) for pos, ws in w.pronouns.items())


def _any(words: Iterable[str]) -> str:
    """A non-capturing alternation of ``words`` in their order: ``(?:a|b|c)``."""
    return "(?:" + "|".join(re.escape(x) for x in words) + ")"


def read_scenes(background: str, limit: int = 3) -> tuple[SceneMatch, ...]:
    """The scenes a background names, first named first (at most ``limit``, one match per scene)."""
    text = normalise(background or "")
    if not text:
        return ()
    pattern, owner = _pattern()
    scenes = scene_data().scenes
    side_re, pronouns = _people()
    named = [(m.start(), pos) for pos, pattern in pronouns if (m := pattern.search(text))]
    pos = min(named, key=lambda n: n[0])[1] if named else scene_data().words.default_pronoun
    sides = [(m.start(), m.group(1)) for m in side_re.finditer(text)]
    found: dict[int, SceneMatch] = {}
    for m in pattern.finditer(text):
        side = min(sides, key=lambda s: abs(s[0] - m.start()))[1] if sides else ""
        for i in owner[m.group(1)]:  # "gunshot": a loud bang and a sound to one side
            match = SceneMatch(scenes[i], m.group(1), side, pos, m.start())
            if i in found or not any(match.clauses(stage) for stage in scene_data().stages):
                continue  # "her late father": a person, but at no side
            found[i] = match
            if len(found) == limit:
                return tuple(found.values())
    if sides and not any(m.side for m in found.values()) and len(found) < limit:
        # something to one side the scene table does not name ("glass shatters behind her to the right"):
        # the orienting response still turns toward it, with the first scene whose clauses follow a side
        orient = next((i for i, cue in enumerate(scenes) if cue.orienting), None)
        if orient is not None and orient not in found:
            at, side = sides[0]
            found[orient] = SceneMatch(scenes[orient], scene_data().words.orienting_thing, side, pos, at)
    return tuple(found.values())


def transition_verbs(emotion: str) -> list[Transition]:
    """The transition verbs of an emotion in order ('shock freezing into numbness' -> [freeze])."""
    known = scene_data().transitions
    vocabulary = frozenset(w for verb in known for w in verb.split())
    words = normalise(emotion or "").split()
    out = []
    for i, word in enumerate(words):
        base = stem(word, vocabulary)
        pair = f"{base} {words[i + 1]}" if i + 1 < len(words) else ""
        if pair in known:
            out.append(known[pair])
        elif base in known:
            out.append(known[base])
    return out
