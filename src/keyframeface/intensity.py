"""Intensity: turn a keyframe's expression down or up about the neutral face (0 = neutral, 1 = as written, 2 = double).

    value' = clip(x * value)  for every channel outside the head and gaze regions (neutral is 0 for all of them)

Head and gaze are where the face points and looks, not how strongly it feels: they stay as written at every
intensity (at 0 the face is neutral but still turned and looking where the words say). A keyframe's cycles (a laugh's
jaw pulses, a tremble) scale with it too, except cycles that move only the head or gaze (nods, head shakes); at 0
every other cycle is dropped. Values are clipped to each channel's range, so "up to 2" saturates a channel already
above half. The explanation's values follow the new values. ``Pipeline(intensity=...)`` and ``LiveFace`` apply it to
every keyframe (times the keyframe's own ``intensity:``), after posing: continuity always sees the face as written.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .channels import CHANNELS, CHANNEL_INDEX, HIGH, LOW, region_of
from .data import Keyframe
from .errors import InputError
from .motion import cycle_spec

__all__ = ["FIXED_REGIONS", "MAX_INTENSITY", "apply_intensity", "check_intensity", "scale_expression"]

MAX_INTENSITY = 2.0
FIXED_REGIONS = frozenset({"head", "gaze"})  # where the face points and looks: never scaled
_SCALED = np.array([region_of(n) not in FIXED_REGIONS for n in CHANNELS])  # (61,) True where intensity applies


def check_intensity(value: object, field: str = "intensity") -> float:
    """``value`` as a float in [0, MAX_INTENSITY]; InputError naming ``field`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value) \
            or not 0 <= value <= MAX_INTENSITY:
        raise InputError(f"{value!r} is not an intensity in [0, {MAX_INTENSITY:g}] (0 neutral, 1 as written)",
                         field=field)
    return float(value)


def scale_expression(values: np.ndarray, x: float) -> np.ndarray:
    """(61,) or (frames, 61) values with the expression scaled by ``x`` about neutral; head and gaze kept; in range."""
    v = np.asarray(values, dtype=float)
    out = np.where(_SCALED, v * x, v)
    return np.clip(out, LOW, HIGH)


def apply_intensity(keyframe: Keyframe, x: float) -> Keyframe:
    """``keyframe`` at intensity ``x`` (values, explanation values and cycles); itself when ``x`` is 1."""
    x = check_intensity(x)
    if x == 1.0:
        return keyframe
    values = scale_expression(keyframe.values, x)
    explanation = tuple(dataclasses.replace(c, value=float(values[CHANNEL_INDEX[c.channel]]))
                        for c in keyframe.explanation)
    motion = keyframe.motion
    if motion is not None and motion.cycles:
        cycles = []
        for c in motion.cycles:
            if all(not _SCALED[i] for i, _ in cycle_spec(c.name).channels):
                cycles.append(c)  # a nod or a head shake: where the head goes, kept as written
            elif x > 0:
                cycles.append(dataclasses.replace(c, scale=min(c.scale * x, 3.0)))
        motion = dataclasses.replace(motion, cycles=tuple(cycles))
    return dataclasses.replace(keyframe, values=values, explanation=explanation, motion=motion)
