"""What a (face part, motion) pair does: the rule lookup through parent parts, the parser's own gaze/head motions,
and a degree's scaling of a rule value. Shared by the clause reader and the value writer, with the word sets and
explanation labels of ``data/writing.yaml`` (``W``, ``say``) they and the later stages read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import lexicon as lx, vocab


@dataclass
class _Region:
    """A face part named in a clause, with its position and side."""

    key: str
    pos: int
    side: str | None = None  # "Left"/"Right" when the text names it
    onesided: float | None = None  # other side's share when one-sided


@dataclass
class _Action:
    """A verb, expression word or literal bundle in a clause, with what it implies."""

    pos: int
    motion: str | None = None
    expression: str | None = None
    bundle: tuple[dict[str, float], str] | None = None
    verb: str = ""
    region: str | None = None  # verb's implied region ("look" -> gaze)
    literal: bool = False  # a channel named with its value ("JawOpen 0.4"): written as ContributionKind.LITERAL


FILE = "writing.yaml"


class WordSets:
    """The named lists of ``writing.yaml`` by attribute (``W.brow_parts``); a rewrite's ``*_becomes`` and a
    ``label_*`` are their one string. Refreshed in place when the vocabulary switches, so importers keep this
    object; a list the data lacks is a ``DataError`` naming it."""

    def __getattr__(self, name: str) -> Any:
        raise vocab.DataError(FILE, name, "missing word list")


W = WordSets()
_PARENT: dict[str, str] = {}  # part -> the part it lies within (``part_of_*``): "upper_lip" -> "lip"
_RULE_KEYS: set[tuple[str, str]] = set()  # the (part, motion) pairs a rule answers, a part's parent's included


def _refresh(target: dict[Any, Any], fresh: dict[Any, Any]) -> None:
    """Make ``target`` equal ``fresh`` in place, never missing a key another thread reads meanwhile."""
    target.update(fresh)
    for key in [k for k in target if k not in fresh]:
        del target[key]


def _read(directory: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The lists of ``writing.yaml`` in ``directory`` (the active vocabulary's), validated: a ``*_becomes`` or
    ``label_*`` has one entry, parts are face parts of regions.yaml, a part lies within one part at most."""
    sets = vocab.word_sets(FILE)
    fresh: dict[str, Any] = {}
    parents: dict[str, str] = {}
    known_parts = set(lx.REGION_WORDS.values()) | set(lx.REGION_MODIFIERS.values())
    for name, words in sets.items():
        if name.endswith("_parts") or name.startswith(("part_of_", "relaxes_")):
            unknown = sorted(w for w in words if w not in known_parts)
            if unknown:
                raise vocab.DataError(FILE, name, f"{unknown} are not face parts of regions.yaml")
        if name.endswith("_becomes") or name.startswith("label_"):
            if len(words) != 1:
                raise vocab.DataError(FILE, name, f"expected one entry, got {sorted(words)}")
            fresh[name] = next(iter(words))
        else:
            fresh[name] = words
        if name.startswith("part_of_"):
            whole = name[len("part_of_"):]
            if whole not in known_parts:
                raise vocab.DataError(FILE, name, f"{whole!r} is not a face part of regions.yaml")
            for part in sorted(words):
                if part in parents:
                    raise vocab.DataError(FILE, name, f"{part!r} already lies within {parents[part]!r}")
                parents[part] = whole
    fresh["release_motions"] = fresh["relax_motions"] | fresh["soften_motions"]
    return fresh, parents


@lx.on_bind
def _derive() -> None:
    """``W``, the parts within parts and the pairs a rule answers, from the bound vocabulary."""
    fresh, parents = vocab.table(_read)
    _refresh(W.__dict__, fresh)
    _refresh(_PARENT, parents)
    motions: dict[str, list[str]] = {}
    for reg, m in lx.RULES:
        motions.setdefault(reg, []).append(m)
    keys = set(lx.RULES) | {(child, m) for child, parent in parents.items() for m in motions.get(parent, ())}
    _RULE_KEYS.update(keys)
    _RULE_KEYS.intersection_update(keys)


def say(template: str, **fields: Any) -> str:
    """An explanation label of ``writing.yaml`` (``W.label_gaze``) with its {fields} filled in."""
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        key = next((k for k, v in vars(W).items() if v == template), "label")
        raise vocab.DataError(FILE, key, f"cannot fill in {template!r} ({exc!r}): the engine gives "
                              f"{sorted(fields) or 'no fields'}") from None


def _special(region: str, action: _Action) -> bool:
    """Region/motion pairs handled in code rather than RULES (gaze, head turns, relaxing)."""
    motion = action.motion or ""
    return motion in W.release_motions or (region in W.gaze_parts and motion in W.gaze_motions) or (
        region in W.head_parts and motion in W.head_motions)


def _scale(base: float, degree: tuple[float, bool] | None) -> float:
    """A rule's plain-level value scaled by a degree word (closure rules: diminishers only)."""
    if degree is None:
        return base
    level, absolute = degree
    if level < 0:  # "almost"/"nearly": just short of a closure, just short of starting anything else
        return float(np.sign(base)) * 0.8 if abs(base) >= 0.9 else base * 0.45
    if abs(base) >= 0.9:  # closures ("eyes close") are full by default; only diminishers/almost reduce
        return level if (level < lx.PLAIN or absolute) else base
    if absolute and level >= 0.99:
        return float(np.sign(base)) * 1.0 if abs(base) >= 0.5 else base / lx.PLAIN
    return float(np.clip(base * level / lx.PLAIN, -1.0, 1.0))


def _rule_for(region: str, motion: str) -> tuple[dict[str, float], str] | None:
    """The RULES entry for (region, motion), trying the region's parents ("upper_lip" -> "lip" -> "lips")."""
    if motion in W.push_up_motions:
        return _rule_for(region, W.push_up_becomes) or _rule_for(region, W.push_up_else_becomes)
    key: str | None = region
    while key is not None:
        rule = lx.RULES.get((key, motion))
        if rule is not None:
            return rule
        key = _PARENT.get(key)
    return None
