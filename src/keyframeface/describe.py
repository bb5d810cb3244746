"""The describer, the inverse of pose: 61 values -> plain region-by-region English.

Each facial action is one row of ``ACTIONS``: the channel(s) it reads, the phrase for both sides
and for one side ("the mouth corners pull up" / "the left mouth corner pulls up"). A channel
pair within ``SIDE_TOLERANCE`` is said once for both sides, else per side. The degree word is
the one whose pose the embedded engine reads back closest to the value: each (phrase, degree
word) is posed once per process and cached (``degree_word``), so the wording follows whatever
engine is installed. Regions go brows, lids, cheeks, gaze, nose, mouth, jaw, tongue, head.

In a sequence, what changed since the previous keyframe is said too, first: an action that was
active and has gone says so ("The mouth corners relax. The inner brows lift ..."), because the
engine carries unsaid actions over from the keyframe before; said first, because within one
description the later words win, so a release never undoes an action said after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .channels import CHANNEL_INDEX, N_CHANNELS

__all__ = ["ACTIONS", "ACTIVE", "DEGREES", "Action", "degree_word", "describe", "describe_sequence"]

ACTIVE = 0.1  # a blendshape (or radians of a pose value) at or above this is said
SIDE_TOLERANCE = 0.12  # a left/right pair closer than this is said once for both sides
# Degree words (levels of the engine's FACS scale, degrees.yaml); "" = unqualified.
DEGREES = ("barely", "subtly", "slightly", "moderately", "", "visibly", "strongly", "intensely", "extremely",
           "fully")


@dataclass(frozen=True)
class Action:
    """One facial action: its channels (left, right; or one) and how it is said."""

    left: str  # channel name (the subject's left, or the only channel)
    right: str | None  # the mirrored channel, or None for a single channel
    both: str  # "the mouth corners pull up"
    one: str = ""  # "the {side} mouth corner pulls up" ({side}: left/right)
    release: str = ""  # "the mouth corners relax": said when the action has gone since the previous keyframe
    sign: float = 1.0  # for signed pose values: which sign this phrase is (+1 / -1)


def _pair(base: str, both: str, one: str, release: str) -> Action:
    return Action(base + "Left", base + "Right", both, one, release)


ACTIONS: tuple[tuple[str, tuple[Action, ...]], ...] = (
    ("brows", (
        Action("BrowInnerUp", None, "the inner brows lift", release="the inner brows relax"),
        _pair("BrowOuterUp", "the outer brows lift", "the {side} outer brow lifts", "the outer brows relax"),
        _pair("BrowDown", "the brows lower", "the {side} brow lowers", "the brows relax"),
    )),
    ("eyes", (
        _pair("EyeBlink", "the eyes close", "the {side} eye closes", "the eyes open"),
        _pair("EyeSquint", "the eyes squint", "the {side} eye squints", "the eyes stop squinting"),
        _pair("EyeWide", "the eyes widen", "the {side} eye widens", "the eyes relax"),
        _pair("CheekSquint", "the cheeks raise", "the {side} cheek raises", "the cheeks relax"),
    )),
    ("gaze", ()),  # said from the EyeLook channels together, see _gaze
    ("nose", (
        _pair("NoseSneer", "the nose wrinkles", "the {side} nostril flares", "the nose relaxes"),
        Action("CheekPuff", None, "the cheeks puff", release="the cheeks no longer puff"),
    )),
    ("mouth", (
        _pair("MouthSmile", "the mouth corners pull up", "the {side} mouth corner pulls up",
              "the mouth corners relax"),
        _pair("MouthFrown", "the mouth corners turn down", "the {side} mouth corner turns down",
              "the mouth corners relax"),
        _pair("MouthDimple", "the mouth corners dimple", "the {side} mouth corner dimples", "the dimples fade"),
        _pair("MouthStretch", "the lips stretch", "the {side} lip corner stretches", "the lips relax"),
        _pair("MouthPress", "the lips press together", "the {side} lips press", "the lips relax"),
        Action("MouthPucker", None, "the lips pucker", release="the lips relax"),
        Action("MouthFunnel", None, "the lips funnel", release="the lips relax"),
        Action("MouthRollLower", None, "the lower lip rolls in", release="the lips relax"),
        Action("MouthRollUpper", None, "the upper lip rolls in", release="the lips relax"),
        Action("MouthShrugLower", None, "the lower lip pushes up", release="the lips relax"),
        Action("MouthShrugUpper", None, "the upper lip shrugs", release="the lips relax"),
        _pair("MouthLowerDown", "the lower lip pulls down", "the {side} lower lip pulls down", "the lips relax"),
        _pair("MouthUpperUp", "the upper lip raises", "the {side} upper lip raises", "the lips relax"),
        Action("MouthLeft", None, "the mouth shifts to the left", release="the mouth relaxes"),
        Action("MouthRight", None, "the mouth shifts to the right", release="the mouth relaxes"),
        Action("MouthClose", None, "the lips close", release="the lips relax"),
    )),
    ("jaw", (
        Action("JawOpen", None, "the jaw drops open", release="the jaw closes"),
        Action("JawLeft", None, "the jaw shifts to the left", release="the jaw relaxes"),
        Action("JawRight", None, "the jaw shifts to the right", release="the jaw relaxes"),
        Action("JawForward", None, "the jaw juts forward", release="the jaw relaxes"),
    )),
    ("tongue", (Action("TongueOut", None, "the tongue sticks out", release="the tongue no longer sticks out"),)),
    ("head", (
        Action("HeadYaw", None, "the head turns to the right", release="the head turns back to center"),
        Action("HeadYaw", None, "the head turns to the left", release="the head turns back to center", sign=-1.0),
        Action("HeadPitch", None, "the head tilts up", release="the head returns to level", sign=1.0),
        Action("HeadPitch", None, "the head tilts down", release="the head returns to level", sign=-1.0),
        Action("HeadRoll", None, "the head tilts toward the right shoulder", release="the head straightens"),
        Action("HeadRoll", None, "the head tilts toward the left shoulder", release="the head straightens",
               sign=-1.0),
    )),
)

# Gaze: (amount toward each direction as the mean of two EyeLook channels) -> words.
_GAZE = {
    "down": ("EyeLookDownLeft", "EyeLookDownRight"),
    "up": ("EyeLookUpLeft", "EyeLookUpRight"),
    "to the right": ("EyeLookInLeft", "EyeLookOutRight"),  # the subject's right: left eye in, right eye out
    "to the left": ("EyeLookOutLeft", "EyeLookInRight"),
}
_GAZE_PROBE = {"down": "EyeLookDownLeft", "up": "EyeLookUpLeft", "to the right": "EyeLookInLeft",
               "to the left": "EyeLookOutLeft"}


def describe(values: np.ndarray, previous: np.ndarray | None = None) -> str:
    """One description of a (61,) keyframe, region by region; ``previous`` adds what relaxed since it."""
    v = np.asarray(values, dtype=float).reshape(N_CHANNELS)
    p = None if previous is None else np.asarray(previous, dtype=float).reshape(N_CHANNELS)
    regions: list[str] = []
    released: list[str] = []  # said first: within a description the later words win, so a release never undoes
    for region, actions in ACTIONS:  # an action said after it
        said, gone = _gaze(v, p) if region == "gaze" else _clauses(actions, v, p)
        released += [r for r in gone if r not in released]
        if said:
            regions.append(_join(said))
    if released:
        regions.insert(0, _join(released))
    if not regions:
        return "The face is neutral and relaxed."
    return " ".join(s[0].upper() + s[1:] + "." for s in regions)


def describe_sequence(keyframes: Sequence[np.ndarray]) -> list[str]:
    """Descriptions of consecutive keyframes; each says what relaxed since the one before."""
    out, previous = [], None
    for values in keyframes:
        out.append(describe(values, previous))
        previous = np.asarray(values, dtype=float)
    return out


def _clauses(actions: Sequence[Action], v: np.ndarray, p: np.ndarray | None) -> tuple[list[str], list[str]]:
    """(what the actions do now, releases of actions that were active in ``p`` and are gone)."""
    said: list[str] = []
    released: list[str] = []
    for a in actions:
        left = v[CHANNEL_INDEX[a.left]] * a.sign
        right = v[CHANNEL_INDEX[a.right]] * a.sign if a.right else None
        if right is None:
            if left >= ACTIVE:
                said.append(_with_degree(a.both, a.left, left, a.sign))
        elif max(left, right) >= ACTIVE:
            if abs(left - right) < SIDE_TOLERANCE:
                said.append(_with_degree(a.both, a.left, (left + right) / 2))
            else:
                for side, x, channel in (("left", left, a.left), ("right", right, a.right)):
                    if x >= ACTIVE:
                        said.append(_with_degree(a.one.format(side=side), channel, x))
        if p is not None and a.release and max(left, right or 0.0) < ACTIVE:
            before = max(p[CHANNEL_INDEX[a.left]] * a.sign, p[CHANNEL_INDEX[a.right]] * a.sign if a.right else 0.0)
            if before >= ACTIVE and a.release not in released:
                released.append(a.release)
    return said, released


def _gaze(v: np.ndarray, p: np.ndarray | None) -> tuple[list[str], list[str]]:
    def amounts(x: np.ndarray) -> dict[str, float]:
        return {d: float(np.mean([x[CHANNEL_INDEX[c]] for c in chans])) for d, chans in _GAZE.items()}

    def axes(x: dict[str, float]) -> list[tuple[str, float]]:
        out = []
        for a, b in (("down", "up"), ("to the right", "to the left")):
            net = x[a] - x[b]
            if abs(net) >= ACTIVE:
                out.append((a if net > 0 else b, abs(net)))
        return out

    parts = axes(amounts(v))
    before = {d for d, _ in axes(amounts(p))} if p is not None else set()
    gone = ["the gaze returns to center"] if before - {d for d, _ in parts} else []  # a direction it left
    if not parts:
        return [], gone
    words = [degree_word("the gaze turns " + d, _GAZE_PROBE[d], round(x, 2)) for d, x in parts]
    if len(parts) == 2 and words[0] == words[1]:  # "the gaze turns down and to the left slightly"
        return [f"the gaze turns {parts[0][0]} and {parts[1][0]} {words[0]}".rstrip()], gone
    return [f"the gaze turns {d} {w}".rstrip() for (d, _), w in zip(parts, words)], gone


def _with_degree(phrase: str, channel: str, value: float, sign: float = 1.0) -> str:
    word = degree_word(phrase, channel, round(float(value), 2), sign)
    return f"{phrase} {word}" if word else phrase


@lru_cache(maxsize=4096)
def degree_word(phrase: str, channel: str, value: float, sign: float = 1.0) -> str:
    """The degree word with which the engine reads ``phrase`` back closest to ``value`` on ``channel``."""
    levels = _levels(phrase, channel, sign)
    return min(levels, key=lambda w: abs(levels[w] - value))


@lru_cache(maxsize=512)
def _levels(phrase: str, channel: str, sign: float) -> dict[str, float]:
    """What the engine reads ``channel`` as for ``phrase`` with each degree word (posed once, cached)."""
    from .backends.engine.pose import pose_text

    c = CHANNEL_INDEX[channel]
    return {w: float(pose_text(f"{phrase} {w}".strip(), fallback=False).values[c]) * sign for w in DEGREES}


def _join(clauses: list[str]) -> str:
    return clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
