"""The data that flows between stages: Script -> KeyframeSpec -> Keyframe -> Timeline.

All frozen dataclasses. Channel values are numpy float64 arrays in order A
(``channels.CHANNELS``): (61,) for a keyframe, (frames, 61) for a timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from .channels import CHANNELS

__all__ = ["Contribution", "ContributionKind", "Cycle", "Keyframe", "KeyframeSpec", "Motion", "Script", "Timeline"]

DEFAULT_FPS = 30.0


@dataclass(frozen=True)
class KeyframeSpec:
    """One keyframe as words, with optional timing in seconds."""

    description: str
    hold: float | None = None  # seconds held at this pose (None: chosen from the text)
    duration: float | None = None  # seconds of transition into the next keyframe (None: chosen)
    intensity: float | None = None  # expression scale about neutral, 0..2 (None: 1, as written); see intensity.py


@dataclass(frozen=True)
class Script:
    """What the user asks for: context, emotion, optional keyframes, rate and seed."""

    background: str
    emotion: str
    keyframes: tuple[KeyframeSpec, ...] = ()
    fps: float = DEFAULT_FPS
    seed: int = 0
    source: str | None = None  # file the script came from, for error messages


class ContributionKind(str, Enum):
    """Where a value came from; stages decide by this, never by parsing the rule's text."""

    ACTION = "action"  # a facial action the words name ("the brows lift", "AU12")
    EXPRESSION = "expression"  # a whole-expression word ("a grin", "a smirk")
    EMOTION = "emotion"  # an emotion word naming the state ("in fear", "the anger escalates")
    LITERAL = "literal"  # a channel named with its value ("JawOpen 0.4")
    RELEASE = "release"  # a part the words release to neutral ("relaxes", "no longer smiling")
    CARRIED = "carried"  # kept from the previous keyframe (continuity)
    PRIOR = "prior"  # the scene's emotion filling a region nothing else set
    COHERENCE = "coherence"  # a physiological link (a wide smile lifts the cheeks)
    MODEL = "model"  # set by a model backend (an LLM, replayed results)

    @property
    def from_text(self) -> bool:
        """Whether the keyframe's own words (not the prior or a link) set this value."""
        return self in (ContributionKind.ACTION, ContributionKind.EXPRESSION, ContributionKind.EMOTION,
                        ContributionKind.LITERAL, ContributionKind.RELEASE, ContributionKind.MODEL)


@dataclass(frozen=True)
class Contribution:
    """Why a channel got a value: the words that set it (for --explain and keyframes.json)."""

    channel: str  # canonical channel name
    value: float  # the value this rule contributed
    words: str  # the phrase in the text that triggered it
    rule: str  # short name of the rule/prior ("brow inner raise", "emotion prior: fear")
    kind: ContributionKind = ContributionKind.ACTION  # typed source of the value


@dataclass(frozen=True)
class Cycle:
    """A cyclic motion asked of one keyframe (a nod, a tremble): which one (``motion.yaml``), how fast, big, long."""

    name: str  # a cycle of motion.yaml ("nod", "tremble", "laugh")
    hz: float  # cycles per second (the table's rate times any tempo word)
    scale: float = 1.0  # amplitude multiplier of the table's channel amplitudes (degree words)
    periods: int | None = None  # "once", "three times": this many periods; None: until its envelope ends
    words: str = ""  # the verb as written, for explanations


@dataclass(frozen=True)
class Motion:
    """A keyframe's motion in time, as numbers: the timeline reads these, never the description.

    Posing fills it (the engine's manner reader over the words, or a model's answer); keyframes.json stores it.
    """

    pace: float | None = None  # seconds of the transition (onset) into this keyframe; None: the default
    hold: float | None = None  # seconds this pose is held; None: the default
    cycles: tuple[Cycle, ...] = ()
    order: tuple[tuple[str, ...], ...] = ()  # region groups in the order they move (empty: default lead/lag)
    lockstep: bool = False  # every region moves together
    region_pace: tuple[tuple[str, float], ...] = ()  # (region, seconds of its own move) when parts differ


@dataclass(frozen=True)
class Keyframe:
    """A posed keyframe: its spec and 61 values in order A."""

    spec: KeyframeSpec
    values: np.ndarray  # (61,) order A, within channel ranges
    backend: str  # what posed it ("engine", "llm:MODEL", "reference-results", ...)
    explanation: tuple[Contribution, ...] = ()
    warnings: tuple[str, ...] = ()
    motion: Motion | None = None  # its timing as data (None: not read; the timeline uses the defaults)

    def as_dict(self) -> dict[str, float]:
        """The 61 values by canonical name, in order A."""
        return {name: float(v) for name, v in zip(CHANNELS, self.values)}


@dataclass(frozen=True)
class Timeline:
    """Dense animation: (frames, 61) values sampled at ``fps``, plus where the keys sit."""

    fps: float
    values: np.ndarray  # (frames, 61) order A
    key_times: tuple[float, ...] = ()  # seconds at which each keyframe's pose is reached
    keyframes: tuple[Keyframe, ...] = field(default=(), repr=False)

    @property
    def frames(self) -> int:
        return int(self.values.shape[0])

    @property
    def duration(self) -> float:
        """Seconds covered, first frame at t=0."""
        return self.frames / self.fps
