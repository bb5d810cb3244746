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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .emotion_data import emotion_data
from . import vocab
from .vocab import DataError
from .text import normalise, stem

__all__ = ["PACES", "SceneClause", "SceneCue", "SceneData", "SceneMatch", "Transition", "load_scene_data",
           "read_scenes", "scene_data", "transition_verbs"]

FILE = Path(__file__).with_name("data") / "scenes.yaml"
PACES = ("sudden", "steady", "slow")
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
        side = self.side or "right"
        return [(c, c.text.format(thing=self.thing, side=side, pos=self.pos)) for c in self.cue.clauses
                if stage in c.stages and (c.side is None or c.side == bool(self.side))]


def _list(value: Any, file: str, key: str) -> tuple[str, ...]:
    """A word or a list of words as a tuple."""
    items = [value] if isinstance(value, str) else value
    if not (isinstance(items, list) and items and all(isinstance(w, str) and w.strip() for w in items)):
        raise DataError(file, key, f"expected a word or a list of words, got {value!r}")
    return tuple(w.strip() for w in items)


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
    doc = vocab.read(file, path.parent)
    stages = _list(doc.get("stages"), file, "stages")
    regions = _list(doc.get("regions"), file, "regions")
    labels = emotion_data().prototypes
    scenes = []
    if not isinstance(doc.get("scenes"), list) or not doc["scenes"]:
        raise DataError(file, "scenes", "expected a list of scenes")
    for i, row in enumerate(doc["scenes"]):
        key = f"scenes[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise DataError(file, key, f"expected a mapping with a name, got {row!r}")
        key = f"scenes[{i}] ({row['name']})"
        words = tuple(normalise(w) for w in _list(row.get("words"), file, f"{key}.words"))
        mask = None
        if "mask" in row:
            label, _, value = str(row["mask"]).partition(":")
            try:
                level = float(value or 0.5)
            except ValueError:
                level = -1.0
            if label not in labels or not 0.0 < level <= 1.0:
                raise DataError(file, f"{key}.mask", f"expected 'label:intensity' with a known label, got "
                                                     f"{row['mask']!r}")
            mask = (label, level)
        clauses = []
        if not isinstance(row.get("clauses"), list) or not row["clauses"]:
            raise DataError(file, f"{key}.clauses", "expected a list of clauses")
        for j, c in enumerate(row["clauses"]):
            ckey = f"{key}.clauses[{j}]"
            if not isinstance(c, dict):
                raise DataError(file, ckey, f"expected a mapping, got {c!r}")
            own = _list(c.get("stage"), file, f"{ckey}.stage")
            where = _list(c.get("region"), file, f"{ckey}.region")
            bad = [s for s in own if s not in stages] + [r for r in where if r not in regions]
            if bad:
                raise DataError(file, ckey, f"unknown stage or region {bad}; known: {stages}, {regions}")
            side = c.get("side")
            if side not in (None, True, False):
                raise DataError(file, f"{ckey}.side", f"expected true or false, got {side!r}")
            clauses.append(SceneClause(_text(c.get("text"), file, f"{ckey}.text"), frozenset(own), where, side))
        orienting = row.get("orienting", False)
        if not isinstance(orienting, bool):
            raise DataError(file, f"{key}.orienting", f"expected true or false, got {orienting!r}")
        scenes.append(SceneCue(row["name"], words, tuple(clauses), mask, orienting))
    transitions: dict[str, Transition] = {}
    for verb, row in (doc.get("transitions") or {}).items():
        key = f"transitions.{verb}"
        if not isinstance(row, dict) or row.get("pace") not in PACES:
            raise DataError(file, key, f"expected a pace in {PACES}, got {row!r}")
        region = row.get("region") or ""
        if region and region not in regions:
            raise DataError(file, f"{key}.region", f"unknown region {region!r}; known: {regions}")
        transitions[str(verb)] = Transition(str(verb), row["pace"], _text(row.get("text") or "", file, key), region)
    return SceneData(stages, regions, tuple(scenes), MappingProxyType(transitions))


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


_SIDE = re.compile(r"\b(?:to|on|at|from|toward|towards|by|the) (?:the |her |his |their |my |your )?(left|right)\b")
_SHE = re.compile(r"\b(?:she|her|hers|herself|woman|girl|mother|mum|mom)\b")
_HE = re.compile(r"\b(?:he|his|him|himself|man|boy|father|dad)\b")


def read_scenes(background: str, limit: int = 3) -> tuple[SceneMatch, ...]:
    """The scenes a background names, first named first (at most ``limit``, one match per scene)."""
    text = normalise(background or "")
    if not text:
        return ()
    pattern, owner = _pattern()
    scenes = scene_data().scenes
    she, he = _SHE.search(text), _HE.search(text)
    pos = "her" if she and (not he or she.start() < he.start()) else "his" if he else "their"
    sides = [(m.start(), m.group(1)) for m in _SIDE.finditer(text)]
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
            found[orient] = SceneMatch(scenes[orient], "sound", side, pos, at)
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
