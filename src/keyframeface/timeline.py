"""Keyframes -> dense (frames, 61) animation: timing, holds, monotone easing, per-region overlap.

Notation (one channel): knots (t_k, y_k), k = 0..K-1, strictly increasing t_k.
Between knots the curve is the cubic Hermite

    y(t) = y_k + (y_{k+1} - y_k) (3s^2 - 2s^3) + h_k (m_k (s^3 - 2s^2 + s) + m_{k+1} (s^3 - s^2)),
    s = (t - t_k) / h_k,  h_k = t_{k+1} - t_k,

with tangents m_k from Fritsch & Carlson (1980) / Fritsch & Butland (1984) as in PCHIP:
m_k = 0 where the neighbouring secants differ in sign or one is 0 (every hold, every
turning point), else their weighted harmonic mean. That choice makes each piece monotone,
so the curve never leaves [min(y_k, y_{k+1}), max(y_k, y_{k+1})]: no overshoot, never out
of range, and exactly constant between equal keys. A held pose is two knots with the same
value, so transitions out of and into holds ease in and out (zero slope).

Per-region character ("overlapping action"): within each transition window [a, b] a region
moves only in its own sub-window [a + s(b-a), a + e(b-a)] and holds outside it: lids, jaw
and gaze lead (arrive early), brows start late, the head uses the whole window (slowest).
Every region still reaches the key value exactly at the key time, so keys are hit.

M. Fritsch, R. Carlson, "Monotone piecewise cubic interpolation", SIAM J. Numer. Anal. 17 (1980).
F. Fritsch, J. Butland, "A method for constructing local monotone piecewise cubic
interpolants", SIAM J. Sci. Stat. Comput. 5 (1984).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .channels import CHANNELS, N_CHANNELS, clip, region_of
from .data import Keyframe, Timeline
from .errors import InputError
from .timing import Schedule, choose_timing, entry_duration, schedule

__all__ = ["REGION_WINDOWS", "build_timeline", "pchip", "sample_schedule"]

# (start, end) fraction of each transition window in which a region moves.
REGION_WINDOWS: dict[str, tuple[float, float]] = {
    "eyes": (0.0, 0.7),  # lids lead
    "jaw": (0.0, 0.75),
    "gaze": (0.0, 0.55),  # the eyes get there first
    "mouth": (0.05, 0.9),
    "cheeks": (0.05, 0.95),
    "nose": (0.05, 0.9),
    "tongue": (0.05, 0.9),
    "brows": (0.15, 1.0),  # brows follow
    "head": (0.0, 1.0),  # head is the slowest mover
}
# Channel indices (order A) grouped by their window; each group shares one set of knot times.
_WINDOW_CHANNELS: dict[tuple[float, float], np.ndarray] = {
    window: np.array([c for c, name in enumerate(CHANNELS) if REGION_WINDOWS[region_of(name)] == window])
    for window in dict.fromkeys(REGION_WINDOWS.values())
}


def build_timeline(keyframes: Sequence[Keyframe], fps: float, *, seed: int = 0, life: bool = True,
                   timing: Sequence[tuple[float, float]] | None = None, start_neutral: bool = True) -> Timeline:
    """Dense Timeline at ``fps`` through ``keyframes`` (order A), with the seeded life layer.

    ``timing`` gives (hold, duration) seconds per keyframe (see ``timing.choose_timing``,
    used when None). With ``start_neutral`` the face starts at neutral (all zeros) and
    moves into keyframe 1. With ``life`` off, each key frame holds exactly its key values.
    """
    if not keyframes:
        raise InputError("at least one keyframe is needed", field="keyframes")
    if not (isinstance(fps, (int, float)) and math.isfinite(fps) and fps > 0):
        raise InputError(f"{fps!r} is not a positive frame rate", field="fps")
    specs = [k.spec for k in keyframes]
    if timing is None:
        timing = choose_timing(specs)
    elif len(timing) != len(keyframes):
        raise InputError(f"{len(timing)} (hold, duration) pairs for {len(keyframes)} keyframes", field="timing")
    sched = schedule(timing, fps, entry=entry_duration(specs), start_neutral=start_neutral)
    poses = np.stack([_checked_pose(k.values, i) for i, k in enumerate(keyframes)])  # (n, 61)
    values = sample_schedule(sched, poses, fps)
    if life:
        from .life import add_life

        values = add_life(values, fps, seed, key_times=sched.key_times)
    return Timeline(fps=float(fps), values=values, key_times=sched.key_times, keyframes=tuple(keyframes))


def sample_schedule(sched: Schedule, poses: np.ndarray, fps: float) -> np.ndarray:
    """(frames, 61) curve through ``poses`` (n, 61) laid out by ``sched``, no life layer."""
    n = sched.frames(fps)
    t = np.arange(n) / fps  # (frames,) seconds
    if sched.start is not None:  # neutral pose first, held during the lead-in
        poses = np.vstack([np.zeros(N_CHANNELS), poses])
    values = np.empty((n, N_CHANNELS))
    for window, channels in _WINDOW_CHANNELS.items():
        times, rows = _knots(sched, window)
        values[:, channels] = pchip(times, poses[rows][:, channels], t)
    return clip(values)


def pchip(knot_t: np.ndarray, knot_y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Monotone cubic Hermite through (knot_t (K,), knot_y (K, C)) sampled at t (F,) -> (F, C).

    End tangents are 0 (the curve starts and ends at rest); t outside the knots holds the end values.
    """
    knot_t = np.asarray(knot_t, dtype=float)
    knot_y = np.asarray(knot_y, dtype=float)
    if len(knot_t) == 1:
        return np.broadcast_to(knot_y[0], (len(t), knot_y.shape[1])).copy()
    h = np.diff(knot_t)  # (K-1,)
    d = np.diff(knot_y, axis=0) / h[:, None]  # (K-1, C) secant slopes
    m = np.zeros_like(knot_y)  # (K, C) tangents
    if len(knot_t) > 2:
        h0, h1 = h[:-1, None], h[1:, None]
        d0, d1 = d[:-1], d[1:]
        w1, w2 = 2 * h1 + h0, h1 + 2 * h0
        same_sign = d0 * d1 > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            m[1:-1] = np.where(same_sign, (w1 + w2) / (w1 / d0 + w2 / d1), 0.0)
    # Per piece, the cubic in s: y = c0 + s (c1 + s (c2 + s c3)); all of c1..c3 are exactly 0
    # between equal keys with zero tangents, so holds stay bit-exactly constant.
    dy = np.diff(knot_y, axis=0)  # (K-1, C)
    a, b = h[:, None] * m[:-1], h[:, None] * m[1:]
    c1, c2, c3 = a, 3 * dy - 2 * a - b, a + b - 2 * dy
    i = np.clip(np.searchsorted(knot_t, t, side="right") - 1, 0, len(knot_t) - 2)  # (F,) piece index
    s = np.clip((t - knot_t[i]) / h[i], 0.0, 1.0)[:, None]  # (F, 1)
    out = c3[i]
    out *= s
    out += c2[i]
    out *= s
    out += c1[i]
    out *= s
    out += knot_y[i]
    return out


def _knots(sched: Schedule, window: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Knot times (K,) and pose rows (K,) for a region moving in ``window`` of each transition."""
    lo, hi = window
    first = 0 if sched.start is None else 1  # pose row of keyframe 1
    times: list[float] = []
    rows: list[int] = []

    def add(t: float, row: int) -> None:
        if not times or t > times[-1]:
            times.append(t)
            rows.append(row)

    if sched.start is not None:
        add(0.0, 0)
        leave, prev = sched.start, 0
    for i, key in enumerate(sched.key_times):
        row = first + i
        if i > 0 or sched.start is not None:
            span = key - leave
            add(leave + lo * span, prev)
            add(leave + hi * span, row)
        add(key, row)
        leave, prev = sched.leave_times[i], row
        add(leave, row)
    add(sched.end, prev)
    return np.array(times), np.array(rows)


def _checked_pose(values: np.ndarray, i: int) -> np.ndarray:
    """A keyframe's (61,) values as finite floats clipped into range; InputError otherwise."""
    v = np.asarray(values, dtype=float)
    if v.shape != (N_CHANNELS,):
        raise InputError(f"expected {N_CHANNELS} values, got shape {v.shape}", field=f"keyframes[{i}].values")
    bad = np.flatnonzero(~np.isfinite(v))
    if bad.size:
        raise InputError(f"{v[bad[0]]} is not a finite number", field=f"keyframes[{i}].values.{CHANNELS[bad[0]]}")
    return clip(v)
