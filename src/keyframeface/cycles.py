"""Cyclic motions (nods, head shakes, trembles, chewing, laughter, sobs, fluttering lids) layered on a timeline.

A motion verb that is a cycle ("she nods", "her chin trembles", "he laughs") is not a held pose: it is a small
oscillation around the posed curve. Posing reads the cycles from a keyframe's words (``backends/engine/manner.py``,
negation aware, degree words scaling them) into ``Keyframe.motion``; this module adds them to the dense curve.

Rule, for a cycle of keyframe i with rate f (Hz), amplitude A per channel (data amplitude x degree), key time K
and window [K, E] (E: the next keyframe's key time, or the end of the timeline for the last keyframe; "once" /
"twice" end it after that many periods):

    value(t) += A * wave(f (t - K)) * envelope(t),   t in [K, E]
    wave: 'sine' sin(2 pi x) (both ways) or 'pulse' (1 - cos 2 pi x) / 2 (one way, 0..1)
    envelope: smoothstep(2 f (t - K)) * exp(-decay u) * (1 - smoothstep(u)),  u = (t - K) / (E - K)
    (a counted cycle whose periods fit the window fades over its last half period instead of the whole window,
    so "nods three times" shows three nods; the last keyframe's hold grows to fit them, see ``timing``)

so the cycle starts at the key (the key pose itself is exact), reaches full size within half a period, shrinks
at the data's decay rate over the hold and the transition out, and is gone when the next key is reached. A pulse
moves its channel the data's way unless that side has less than half the amplitude of room and the other side has
more (then it flips: lids already shut flutter open). Rates above fps/3 are lowered to fps/3 so every cycle has
at least three frames (no aliasing). The sum is clipped into the channel ranges.

Cycles are part of the performance the words ask for, not the life layer: ``--no-life`` (no blinks, gaze shifts,
sway) keeps them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .channels import HIGH, LOW
from .data import Cycle, Motion
from .motion import cycle_spec
from .timing import Schedule

__all__ = ["add_cycles", "cycle_curve"]


def add_cycles(values: np.ndarray, fps: float, sched: Schedule, motions: Sequence[Motion]) -> np.ndarray:
    """``values`` (frames, 61) with each keyframe's cycles added over its hold + transition out, in range."""
    if not any(m.cycles for m in motions):
        return values
    out = np.array(values, dtype=float)
    n = len(out)
    keys = sched.key_times
    for i, motion in enumerate(motions):
        end = keys[i + 1] if i + 1 < len(keys) else sched.end
        for cycle in motion.cycles:
            f0, delta = cycle_curve(cycle, fps, keys[i], end, n)
            if delta is None:
                continue
            spec = cycle_spec(cycle.name)
            rows = slice(f0, f0 + len(delta))
            for (c, amp), d in zip(spec.channels, delta.T):
                if spec.wave == "pulse":
                    base = out[f0, c]
                    room, other = (HIGH[c] - base, base - LOW[c]) if amp > 0 else (base - LOW[c], HIGH[c] - base)
                    if room < abs(amp * cycle.scale) / 2 and other > room:
                        d = -d
                out[rows, c] += d
    return np.clip(out, LOW, HIGH, out=out)  # in place: no second (frames, 61) array


def cycle_curve(cycle: Cycle, fps: float, key: float, end: float, frames: int) -> tuple[int, np.ndarray | None]:
    """(first frame, (window frames, channels) offsets) of one cycle starting at ``key``; None when too short."""
    spec = cycle_spec(cycle.name)
    hz = min(cycle.hz or spec.hz, fps / 3.0)
    counted = cycle.periods is not None and key + cycle.periods / hz <= end  # all its periods fit the window
    if cycle.periods is not None:
        end = min(end, key + cycle.periods / hz)
    f0 = round(key * fps)
    f1 = min(math.floor(end * fps + 1e-9), frames - 1)
    if f1 <= f0 or end <= key:
        return f0, None
    tau = np.arange(f0, f1 + 1) / fps - key  # (window,) seconds since the key
    tau[0] = 0.0  # the key frame itself: exactly no offset
    x = hz * tau
    wave = np.sin(2 * np.pi * x) if spec.wave == "sine" else 0.5 - 0.5 * np.cos(2 * np.pi * x)
    u = tau / (end - key)
    fade = 2.0 * (x - cycle.periods + 0.5) if counted else u  # a counted cycle fades over its last half period
    envelope = _smoothstep(2.0 * x) * np.exp(-spec.decay * u) * (1.0 - _smoothstep(fade))
    amps = np.array([a for _, a in spec.channels]) * cycle.scale  # (channels,)
    return f0, (wave * envelope)[:, None] * amps[None, :]


def _smoothstep(x: np.ndarray) -> np.ndarray:
    """3x^2 - 2x^3 on x clipped to [0, 1]."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)
