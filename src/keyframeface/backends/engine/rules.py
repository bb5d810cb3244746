"""What a (face part, motion) pair does: the rule lookup through parent parts, the parser's own gaze/head motions,
and a degree's scaling of a rule value. Shared by the clause reader and the value writer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import lexicon as lx


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


_GAZE_MOTIONS = frozenset({"look", "glance", "peer", "stare", "avert", "lateral", "up", "down", "glare",
                           "turn", "back", "in", "out"})
_HEAD_LATERAL = frozenset({"turn", "tilt", "lateral", "twist", "avert", "shake", "glance", "look"})
_PARENT = {
    "inner_brow": "brow", "outer_brow": "brow", "forehead": "brow", "upper_lid": "lid", "lower_lid": "lid",
    "lid": "eye", "eyecorner": "eye", "gaze": "eye", "upper_lip": "lip", "lower_lip": "lip", "lip": "lips",
    "corner": "mouth", "lips": "mouth", "upper_teeth": "teeth", "lower_teeth": "teeth", "teeth": "mouth",
    "chin": "jaw", "face": None, "head": "face",
}


def _special(region: str, action: _Action) -> bool:
    """Region/motion pairs handled in code rather than RULES (gaze, head turns, relaxing)."""
    motion = action.motion or ""
    return motion in ("relax", "soften") or (region in ("gaze", "eye") and motion in _GAZE_MOTIONS) or (
        region in ("head", "face", "chin") and motion in _HEAD_LATERAL)


_RULE_KEYS: frozenset[tuple[str, str]] = frozenset()


@lx.on_bind
def _derive() -> None:
    """The (region, motion) pairs a rule answers, a part's parent's included, from the bound vocabulary."""
    global _RULE_KEYS
    _RULE_KEYS = frozenset(lx.RULES) | {(child, m) for child, parent in _PARENT.items() if parent
                                        for (reg, m) in lx.RULES if reg == parent}


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
    if motion == "pushup":
        return _rule_for(region, "shrug") or _rule_for(region, "up")
    key: str | None = region
    while key is not None:
        rule = lx.RULES.get((key, motion))
        if rule is not None:
            return rule
        key = _PARENT.get(key)
    return None
