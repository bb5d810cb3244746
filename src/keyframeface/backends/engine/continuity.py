"""Step 6 of posing: each keyframe starts from the previous one. Parts said to persist keep their values, untouched
parts carry over (decaying), comparatives go past the previous value, and relative moves return to level."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

import numpy as np

from ...channels import CHANNEL_INDEX
from ...data import Contribution, ContributionKind
from .compose import Layers, claimed, group
from . import vocab
from .composition import composition

__all__ = ["carry_over", "contradicted", "grow", "hold", "recall", "relative", "scale"]

STRONG_POSE = 0.5  # a relative move this large goes past level instead of back to it
GROWTH = 0.5  # share of the headroom above the previous value a comparative adds, per unit of its degree


@vocab.cached
def _recall_re() -> re.Pattern[str]:
    """The words that bring back an earlier keyframe's value (composition.yaml ``recall``), as one pattern."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in composition().recall) + r")\b")


# Signed axes a relative move acts on: (signed channels, the EyeLook* blendshapes that go with them).
_AXES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("LeftEyePitch", "RightEyePitch"), ("EyeLookUpLeft", "EyeLookUpRight", "EyeLookDownLeft", "EyeLookDownRight")),
    (("LeftEyeYaw", "RightEyeYaw"), ("EyeLookInLeft", "EyeLookInRight", "EyeLookOutLeft", "EyeLookOutRight")),
    (("HeadPitch",), ()), (("HeadYaw",), ()), (("HeadRoll",), ()),
)


def relative(values: np.ndarray, why: dict[str, Contribution], previous: np.ndarray, previous_name: str,
             returning: set[str] = frozenset()) -> None:
    """Relative moves, in place: a plain move against where the gaze or head was ("the gaze rises" after a lowered
    gaze, "the head comes up" after a bowed head) brings it back to level rather than past it to the other side."""
    for signed, looks in _AXES:
        main = signed[0]
        c = why.get(main)
        new, old = values[CHANNEL_INDEX[main]], float(previous[CHANNEL_INDEX[main]])
        if c is None or c.kind is not ContributionKind.ACTION or abs(old) < 0.05 or new * old >= 0.0:
            continue
        if abs(new) >= STRONG_POSE:
            continue  # a strong move ("all the way up") goes past level
        for n in signed + looks:
            values[CHANNEL_INDEX[n]] = 0.0
            why[n] = Contribution(n, 0.0, c.words, f"back to level from {previous_name}", ContributionKind.RELEASE)
    for ups, downs in composition().returns:  # "the brows come back down" after raised brows: to rest, not a frown
        for moved, other in ((downs, ups), (ups, downs)):
            said = [why[n] for n in moved if n in why and why[n].kind is ContributionKind.ACTION and why[n].value > 0]
            if not said or said[0].channel not in returning or any(n in why for n in other):
                continue
            if max(abs(previous[CHANNEL_INDEX[n]]) for n in other) < 0.15 or max(
                    abs(previous[CHANNEL_INDEX[n]]) for n in moved) >= 0.05:
                continue
            rest = set(moved + other) | {a for n in moved for a in composition().antagonists.get(n, ())}
            for n in sorted(rest):  # the whole part goes to rest ("the eyes open back up": no lid closure left)
                values[CHANNEL_INDEX[n]] = 0.0
                why[n] = Contribution(n, 0.0, said[0].words, f"back to rest from {previous_name}",
                                      ContributionKind.RELEASE)


_REPLACED = frozenset({"brows", "eyes", "cheeks", "nose", "corners", "lips", "jaw", "tongue"})
_SAID = frozenset({ContributionKind.ACTION, ContributionKind.EXPRESSION, ContributionKind.LITERAL})
_MOUTH_GROUPS = ("corners", "lips")


def contradicted(layers: Layers, why: Mapping[str, Contribution], previous: np.ndarray) -> set[str]:
    """Carried parts the new keyframe contradicts, which end instead of carrying over: a part it releases ends the
    parts released with it (``released_with``: the nose relaxes, the raised upper lip goes too; the head comes back
    to the front, the eyes with it), an expression of the opposite feeling ends the other feeling's parts
    (``opposes``), and a part the words describe now (its antagonist group) is replaced, not summed with its past."""
    comp = composition()
    ended: set[str] = set()
    for n, c in why.items():
        if c.kind is ContributionKind.RELEASE and abs(previous[CHANNEL_INDEX[n]]) >= 0.05:
            ended |= comp.released_with.get(n, frozenset())
    for key in layers.expressions:
        ended |= comp.opposes.get(key, frozenset())
    described = {(group(n), _side(n)) for n, c in why.items()
                 if c.kind in _SAID and c.value != 0.0 and n not in layers.secondary and group(n) in _REPLACED}
    # an expression word describes the whole mouth it shapes ("a big laugh" after a sneer: no raised lip left)
    described |= {(g, _side(n)) for n, c in why.items() if c.kind is ContributionKind.EXPRESSION and c.value != 0.0
                  and group(n) in _MOUTH_GROUPS for g in _MOUTH_GROUPS}
    groups = {g for g, _ in described}
    ended |= {n for n in CHANNEL_INDEX if group(n) in groups and (  # a one-sided smirk keeps the other side's smile
        not _side(n) or (group(n), _side(n)) in described or (group(n), "") in described)}
    return ended


def _side(name: str) -> str:
    """'Left'/'Right' for a sided channel, '' for one ARKit keeps single (BrowInnerUp, JawOpen)."""
    return "Left" if name.endswith("Left") else "Right" if name.endswith("Right") else ""


def carry_over(values: np.ndarray, why: dict[str, Contribution], previous: np.ndarray,
              previous_words: Mapping[str, str], previous_name: str, secondary: set[str] = frozenset(),
              ended: set[str] = frozenset(), momentary: Collection[str] = frozenset()) -> set[str]:
    """Continuity, in place: what earlier words set and this text leaves alone carries over, decaying
    (``composition.yaml``); channels a momentary action moved (``momentary``: a blink, a nod) do not. An emotion
    word, or an action that moves a channel only in passing (``secondary``), never weakens what the face already
    shows. Returns the channels carried."""
    decay = composition().carry_decay
    ends = composition().ends
    carried: set[str] = set()
    for n, words in previous_words.items():
        i = CHANNEL_INDEX[n]
        v = float(previous[i]) * decay
        if abs(v) < 0.02 or n in ended or n in momentary or any(
                why.get(e) and why[e].value != 0.0 for e in ends.get(n, ())):
            continue
        mine = why.get(n)
        passing = mine is not None and (mine.kind is ContributionKind.EMOTION or (
            mine.kind is ContributionKind.ACTION and n in secondary))
        if passing and values[i] * v > 0 and abs(v) > abs(values[i]):  # "the anger escalates": not weaker
            values[i] = v
            why[n] = Contribution(n, v, mine.words, f"{mine.rule}, kept at {previous_name}'s level", mine.kind)
            continue
        if claimed(why, n):
            continue
        values[i] = v
        why[n] = Contribution(n, v, words or previous_name, f"carried from {previous_name} (x{decay:g} per keyframe)",
                              ContributionKind.CARRIED)
        carried.add(n)
    return carried


def grow(layers: Layers, values: np.ndarray, why: dict[str, Contribution], previous: np.ndarray,
          previous_name: str) -> None:
    """Comparatives go past the previous keyframe, in place: "the eyes open a little wider" after wide
    eyes is wider than they were, not the plain value of "a little wider"."""
    for n, level in layers.grown.items():
        i = CHANNEL_INDEX[n]
        new, old = values[i], float(previous[i])
        if new == 0.0 or (old != 0.0 and np.sign(old) != np.sign(new)) or n not in why:
            continue
        grown = abs(old) + (1.0 - abs(old)) * level * GROWTH
        if grown > abs(new):
            values[i] = float(np.sign(new)) * grown
            c = why[n]
            why[n] = Contribution(n, values[i], c.words, f"{c.rule}, beyond {previous_name}", c.kind)


def hold(layers: Layers, values: np.ndarray, why: dict[str, Contribution], previous: np.ndarray,
           previous_name: str) -> set[str]:
    """Put the previous keyframe's values on the channels the text says persist, in place; returns them.

    A part (antagonist group) another clause moves keeps that clause's values; a held part that was at rest before while
    the text describes it ("the smile remains" after no smile) keeps the description's own value.
    """
    carried: set[str] = set()
    elsewhere = layers.written_by_others()
    for names, words, said, clause in layers.carry:
        moved = {group(n) for n in elsewhere.get(clause, ())}  # "the brows drop; nothing else changes"
        names = [n for n in names if group(n) not in moved]
        if said and abs(previous[CHANNEL_INDEX[said[0]]]) < 0.05:
            continue  # its main channel was at rest before: the words describe it afresh
        for n in names:
            i = CHANNEL_INDEX[n]
            values[i] = float(previous[i])
            why[n] = Contribution(n, values[i], words, f"carried from {previous_name}", ContributionKind.CARRIED)
            carried.add(n)
    return carried


# Words of a hold that names no part: pronouns and "there", "like that", "that way", "in place".


def recall(description: str, values: np.ndarray, why: dict[str, Contribution], earlier: Sequence[np.ndarray],
           previous_name: str) -> None:
    """Returns, in place: when the words say a part comes back ("the smile returns", "she frowns again"), the parts
    they move take the fullest value they had in an earlier keyframe, if that was larger than the plain reading."""
    if not earlier or not _recall_re().search(description.lower()):
        return
    for n, c in list(why.items()):
        if c.kind not in (ContributionKind.ACTION, ContributionKind.EXPRESSION, ContributionKind.EMOTION) or (
                c.value == 0.0) or not _recall_re().search(c.words.lower()):
            continue  # only the part the return is said of ("AU1 persists at trace level, the mouth returns")
        i = CHANNEL_INDEX[n]
        # the fullest it was before ("the smile fades ... the smile returns": as it was, not as it faded)
        last = max((float(e[i]) for e in earlier if e[i] * values[i] > 0 and abs(e[i]) >= 0.05), key=abs, default=None)
        if last is not None and abs(last) > abs(values[i]):
            values[i] = last
            why[n] = Contribution(n, last, c.words, f"{c.rule}, back to its earlier value", c.kind)


def scale(layers: Layers, values: np.ndarray, why: dict[str, Contribution], previous: np.ndarray | None,
          previous_name: str) -> None:
    """Decreases and partial releases, in place: a part the words shrink ("the smile shrinks a touch", "the brows
    ease back halfway") keeps its share of the value it has now; with no earlier keyframe it has none (at rest)."""
    for n, (share, words) in layers.changes.items():
        i = CHANNEL_INDEX[n]
        now = 0.0 if previous is None else float(previous[i])
        if abs(now * share) < 0.005:
            continue  # stays released
        values[i] = now * share
        why[n] = Contribution(n, values[i], words, f"x{share:g} of {previous_name}", ContributionKind.CARRIED)
