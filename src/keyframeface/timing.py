"""When each keyframe happens: holds and transition lengths, from the spec or from its words.

Two steps, both pure:

1. ``choose_timing(specs)`` -> one ``(hold, duration)`` pair per keyframe, seconds.
   ``hold`` is how long the pose is kept once reached; ``duration`` is the transition
   from this pose INTO the next one (0 for the last keyframe). A value given in the
   spec wins; otherwise it is read from the words:

   * the transition into keyframe i+1 takes its pace from keyframe i+1's description
     ("then suddenly gasps" describes how that pose arrives), through the speed-word table
     in ``motion.yaml`` (matched by stem, so every verb form counts): ~0.15 s for
     snaps/flies/shoots/jolts/jerks/bursts/flashes, ~0.25 s for suddenly/abrupt/gasp/flinch/
     startle/instantly/quick, ~1.6 s for slowly/gradually/spreads/melts/fades/eases/dawns,
     ~2 s for creeps/seeps, else 0.75 s; with several, the fastest wins (unless clauses pace
     different parts: then the slowest, and each part moves in its own time). A word that
     describes a cycle ("nods slowly") sets the cycle's tempo instead (see ``motion.py``);
   * the hold of keyframe i comes from its own words: "holds", "lingers", "frozen",
     "stays" -> 1.2 s, else 0.45 s.

2. ``schedule(timing, entry=..., start_neutral=...)`` -> a ``Schedule``: the seconds at
   which each pose is reached (``key_times``) and left, snapped to the frame grid so
   every key lands exactly on a frame. With ``start_neutral`` the face rests at
   neutral for ``LEAD_IN`` seconds and then moves into keyframe 1 in ``entry`` seconds
   (the pace of keyframe 1's own words, see ``entry_duration``). After the last hold a
   short ``TAIL`` keeps the final pose so players do not cut it off.

Pace numbers follow common animation practice (a startle onset is 4-10 frames at 30 fps;
a "slow" emotional change is 1-2 s), not a measured corpus.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .data import KeyframeSpec
from .errors import InputError
from .motion import read_motion

__all__ = [
    "DEFAULT_HOLD",
    "DEFAULT_TRANSITION",
    "FAST_TRANSITION",
    "LEAD_IN",
    "LONG_HOLD",
    "SLOW_TRANSITION",
    "TAIL",
    "Schedule",
    "choose_timing",
    "entry_duration",
    "hold_seconds",
    "schedule",
    "transition_seconds",
]

FAST_TRANSITION = 0.25  # seconds; startle-like onsets (the 'sudden' tier of motion.yaml)
DEFAULT_TRANSITION = 0.75  # seconds, when no speed word is present
SLOW_TRANSITION = 1.6  # seconds; "slowly", "melts", "spreading" (the 'slow' tier of motion.yaml)
DEFAULT_HOLD = 0.45  # seconds a pose is kept, when no hold word is present
LONG_HOLD = 1.2  # seconds; "holds", "lingers", "frozen" (the 'long' hold tier of motion.yaml)
LEAD_IN = 0.4  # seconds at neutral before the first transition
TAIL = 0.5  # seconds the last pose is kept after its own hold


@dataclass(frozen=True)
class Schedule:
    """Seconds (from the first frame) at which each keyframe's pose is reached and left."""

    key_times: tuple[float, ...]  # pose reached
    leave_times: tuple[float, ...]  # pose left (key_time + hold)
    start: float | None  # when the neutral lead-in starts moving (None: no lead-in)
    end: float  # seconds covered, including the tail

    def frames(self, fps: float) -> int:
        """Number of frames that cover the schedule (first frame at t=0, last at ``end``)."""
        return int(round(self.end * fps)) + 1


def transition_seconds(text: str) -> float:
    """Transition length the words' speed words ask for (the fastest one), else the default (seconds)."""
    pace = read_motion(text).pace
    return DEFAULT_TRANSITION if pace is None else pace


def hold_seconds(text: str) -> float:
    """Hold length suggested by words: long for holds/lingers/frozen, else default (seconds)."""
    hold = read_motion(text).hold
    return DEFAULT_HOLD if hold is None else hold


def entry_duration(specs: Sequence[KeyframeSpec]) -> float:
    """Seconds of the move from neutral into keyframe 1 (its own words set the pace)."""
    return transition_seconds(specs[0].description) if specs else DEFAULT_TRANSITION


def choose_timing(specs: Sequence[KeyframeSpec]) -> list[tuple[float, float]]:
    """(hold, duration) seconds per keyframe; spec values win, else read from the words.

    ``duration`` of keyframe i is the transition into keyframe i+1 and is 0 for the last.
    Raises InputError naming ``keyframes[i].hold`` / ``keyframes[i].duration`` for a
    negative or non-finite value.
    """
    timing = []
    for i, spec in enumerate(specs):
        hold = _checked(spec.hold, f"keyframes[{i}].hold")
        duration = _checked(spec.duration, f"keyframes[{i}].duration")
        if hold is None:
            hold = hold_seconds(spec.description)
        if duration is None:
            duration = transition_seconds(specs[i + 1].description) if i + 1 < len(specs) else 0.0
        timing.append((hold, duration if i + 1 < len(specs) else 0.0))
    return timing


def schedule(timing: Sequence[tuple[float, float]], fps: float, *, entry: float = DEFAULT_TRANSITION,
             start_neutral: bool = True, lead_in: float = LEAD_IN, tail: float = TAIL) -> Schedule:
    """Lay (hold, duration) pairs on a time axis snapped to whole frames.

    Every transition lasts at least one frame so the curve stays a function of time;
    a zero-length hold keeps the pose for exactly one frame instant (pass-through key).
    """
    if not fps > 0 or not math.isfinite(fps):
        raise InputError(f"{fps!r} is not a positive frame rate", field="fps")
    for i, (hold, duration) in enumerate(timing):
        _checked(hold, f"keyframes[{i}].hold")
        _checked(duration, f"keyframes[{i}].duration")

    def frames(seconds: float) -> int:
        return int(round(seconds * fps))

    f, start = 0, None  # f: current frame
    if start_neutral and timing:
        start = frames(lead_in)
        f = start + max(frames(entry), 1)
    keys, leaves = [], []
    for i, (hold, duration) in enumerate(timing):
        keys.append(f)
        f += frames(hold)
        leaves.append(f)
        if i + 1 < len(timing):
            f += max(frames(duration), 1)
    return Schedule(tuple(k / fps for k in keys), tuple(k / fps for k in leaves),
                    None if start is None else start / fps, (f + frames(tail)) / fps)


def _checked(value: float | None, field: str) -> float | None:
    """``value`` as a float when it is a finite number >= 0 (or None); else InputError."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{value!r} is not a number of seconds", field=field) from None
    if not math.isfinite(seconds) or seconds < 0:
        raise InputError(f"{value!r} is not a finite number of seconds >= 0", field=field)
    return seconds
