"""When each keyframe happens: holds and transition lengths, from the spec or from its motion (numbers, not words).

Two steps, both pure:

1. ``choose_timing(specs)`` -> one ``(hold, duration)`` pair per keyframe, seconds.
   ``hold`` is how long the pose is kept once reached; ``duration`` is the transition
   from this pose INTO the next one (0 for the last keyframe). A value given in the
   spec wins; otherwise it comes from the keyframes' ``Motion`` (``Keyframe.motion``: numbers that posing read
   from the words with the engine's manner reader, ``backends/engine/manner.py``, and keyframes.json stores):

   * the transition into keyframe i+1 takes keyframe i+1's onset pace (``Motion.pace``: the words
     "then suddenly gasps" describe how that pose arrives; tier seconds in ``motion.yaml``: ~0.15 s snap,
     ~0.25 s sudden, ~1.6 s slow, ~2 s creep; "over 2 seconds" is 2 s), else 0.75 s;
   * the hold of keyframe i is its own ``Motion.hold`` ("holds", "lingers" -> 1.2 s; "hold 1.5 s"), else 0.45 s;
   * the last keyframe's hold grows so that its cycles finish ("nods three times": three periods).

2. ``schedule(timing, entry=..., start_neutral=...)`` -> a ``Schedule``: the seconds at
   which each pose is reached (``key_times``) and left, snapped to the frame grid so
   every key lands exactly on a frame. With ``start_neutral`` the face rests at
   neutral for ``LEAD_IN`` seconds and then moves into keyframe 1 in ``entry`` seconds
   (keyframe 1's own onset pace, see ``entry_duration``). After the last hold a
   short ``TAIL`` keeps the final pose so players do not cut it off.

Pace numbers follow common animation practice (a startle onset is 4-10 frames at 30 fps;
a "slow" emotional change is 1-2 s), not a measured corpus.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .data import KeyframeSpec, Motion
from .errors import InputError

__all__ = [
    "DEFAULT_HOLD",
    "DEFAULT_TRANSITION",
    "FAST_TRANSITION",
    "LEAD_IN",
    "LONG_HOLD",
    "SLOW_TRANSITION",
    "CYCLE_PERIODS",
    "TAIL",
    "Schedule",
    "choose_timing",
    "cycle_seconds",
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
CYCLE_PERIODS = 2  # periods an uncounted cycle of the last keyframe is given time for


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


def transition_seconds(motion: Motion | None) -> float:
    """Seconds of the transition into a keyframe with this motion: its onset pace, else the default."""
    return DEFAULT_TRANSITION if motion is None or motion.pace is None else motion.pace


def hold_seconds(motion: Motion | None) -> float:
    """Seconds a keyframe with this motion holds its pose: its hold, else the default."""
    return DEFAULT_HOLD if motion is None or motion.hold is None else motion.hold


def cycle_seconds(motion: Motion | None) -> float:
    """Seconds the keyframe's cycles need to finish: counted periods, else ``CYCLE_PERIODS`` (0 without cycles)."""
    if motion is None:
        return 0.0
    return max((((c.periods or CYCLE_PERIODS) / c.hz) for c in motion.cycles if c.hz > 0), default=0.0)


def entry_duration(motions: Sequence[Motion | None]) -> float:
    """Seconds of the move from neutral into keyframe 1 (its own onset pace)."""
    return transition_seconds(motions[0]) if motions else DEFAULT_TRANSITION


def choose_timing(specs: Sequence[KeyframeSpec],
                  motions: Sequence[Motion | None] | None = None) -> list[tuple[float, float]]:
    """(hold, duration) seconds per keyframe; spec values win, else the keyframes' motions (numbers, never words).

    ``duration`` of keyframe i is the transition into keyframe i+1 (keyframe i+1's onset pace) and is 0 for the
    last. ``motions`` (one per spec, None: the defaults) come from posing (``Keyframe.motion``). A cycle of the
    last keyframe always has time to finish: its hold grows so that hold + ``TAIL`` covers the cycle's periods
    (unless the spec fixes the hold). Raises InputError naming ``keyframes[i].hold`` / ``keyframes[i].duration``
    for a negative or non-finite value.
    """
    if motions is None:
        motions = [None] * len(specs)
    elif len(motions) != len(specs):
        raise InputError(f"{len(motions)} motions for {len(specs)} keyframes", field="keyframes")
    timing = []
    for i, spec in enumerate(specs):
        hold = _checked(spec.hold, f"keyframes[{i}].hold")
        duration = _checked(spec.duration, f"keyframes[{i}].duration")
        last = i + 1 == len(specs)
        if hold is None:
            hold = hold_seconds(motions[i])
            if last:
                hold = max(hold, cycle_seconds(motions[i]) - TAIL)
        if duration is None:
            duration = 0.0 if last else transition_seconds(motions[i + 1])
        timing.append((hold, 0.0 if last else duration))
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
