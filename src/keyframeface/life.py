"""The life layer: seeded blinks, small gaze shifts and slow head sway on top of a timeline.

A posed face that never blinks or moves looks dead. ``add_life`` adds three small,
seeded (``np.random.default_rng(seed)``) motions and never pushes a channel out of range:

1. Blinks. Onsets form a renewal process with gamma-distributed inter-blink intervals,
   mean ~3.6 s (about 16-17 blinks/min, the resting rate of Bentivoglio et al. 1997:
   17/min at rest, 26 in conversation, 4.5 reading) and a 0.8 s refractory minimum.
   Each blink lasts 120-380 ms (lognormal, median 200 ms) with a fast close (~1/3) and a
   slower open (~2/3), as measured by VanderWerf et al. 2003. Both eyes blink together.
   The lid is combined as a soft union ``1 - (1 - base)(1 - blink)``, so it reaches 1 at
   the blink peak and stays in [0, 1]. No blink starts where the eyes are meant to be shut
   (EyeBlink > 0.5), squinting (EyeSquint > 0.5), during a fast transition (any channel
   faster than 2.5 units/s) or across a key time (so the key poses read as posed).
2. Gaze micro-shifts. Fixations last at least 0.5 s (gamma, mean ~1.8 s); each new fixation
   offsets both eyes by a few hundredths of a radian, reached by a 50 ms saccade. Eye yaw
   and pitch and the matching EyeLook* pair move together (the ratios, ~0.6 rad yaw and
   ~0.56 rad pitch per unit of EyeLook, are fitted on the real Live Link Face take).
3. Head sway. Smooth random drift: Gaussian values every 1.2 s joined by a monotone cubic,
   standard deviation 0.02 / 0.015 / 0.01 rad for yaw / pitch / roll.

M. Bentivoglio et al., "Analysis of blink rate patterns in normal subjects",
Movement Disorders 12(6), 1997.
M. VanderWerf, P. Brassinga, D. Reits, M. Aramideh, B. Ongerboer de Visser, "Eyelid
movements: behavioral studies of blinking in humans under different stimulus conditions",
J. Neurophysiology 89(5), 2003.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .channels import CHANNEL_INDEX, HIGH, LOW
from .interp import pchip

__all__ = ["add_life", "blink_curve"]

BLINK_MEAN_INTERVAL = 3.6  # seconds between blink onsets, on average
BLINK_GAMMA_SHAPE = 3.0  # gamma shape of the interval part above the minimum (overall CV ~0.45)
BLINK_MIN_INTERVAL = 0.8  # seconds; no two blinks closer
BLINK_MEDIAN = 0.2  # seconds, whole blink
BLINK_LOG_SD = 0.25  # spread of the lognormal blink length
BLINK_RANGE = (0.12, 0.38)  # seconds, shortest and longest blink
BLINK_CLOSE_FRACTION = 0.33  # share of the blink spent closing
LID_SHUT = 0.5  # base EyeBlink / EyeSquint above this: no blink
FAST_SPEED = 2.5  # units per second; faster base motion is a "fast transition": no blink
FIXATION_MEAN = 1.8  # seconds
FIXATION_MIN = 0.5  # seconds
FIXATION_SHAPE = 4.0  # gamma shape of fixation lengths
SACCADE = 0.05  # seconds
GAZE_SD = (0.03, 0.02)  # radians, yaw and pitch offset per fixation
GAZE_MAX = 0.08  # radians; offsets are clipped to this
YAW_PER_LOOK, PITCH_PER_LOOK = 0.6, 0.56  # radians per unit of EyeLook*, fitted on the real take
SWAY_STEP = 1.2  # seconds between random head-sway knots
SWAY_SD = (0.02, 0.015, 0.01)  # radians: HeadYaw, HeadPitch, HeadRoll

_I = CHANNEL_INDEX
_CHUNK = 16384  # frames computed at a time (memory independent of the take's length)
_LIDS = np.array([_I["EyeBlinkLeft"], _I["EyeBlinkRight"]])
_SQUINTS = np.array([_I["EyeSquintLeft"], _I["EyeSquintRight"]])
_HEAD = np.array([_I["HeadYaw"], _I["HeadPitch"], _I["HeadRoll"]])


def add_life(values: np.ndarray, fps: float, seed: int, *, key_times: Sequence[float] = (),
             blinks: bool = True, gaze: bool = True, sway: bool = True, copy: bool = True) -> np.ndarray:
    """A copy of ``values`` (frames, 61) with seeded blinks, gaze shifts and head sway, in range.

    Same ``seed``, same input -> identical output. ``key_times`` (seconds) are kept blink-free.
    ``copy=False`` changes a float ``values`` in place instead (long takes: no second array); the
    result is the same, since every read of the input (the blink blocking) comes before any write.
    """
    base = np.asarray(values, dtype=float)
    out = base.copy() if copy else base
    n = len(base)
    if n == 0:
        return out
    rng = np.random.default_rng(seed)
    end = (n - 1) / fps  # seconds of the last frame; frame times are made a chunk at a time (no (frames,) array)
    if blinks:
        plan = _blink_plan(base, fps, rng, key_times)
        for start in range(0, n, _CHUNK):  # soft union of lid and blink, a chunk of frames at a time
            rows = slice(start, start + _CHUNK)
            a = _blink_chunk(plan, _times(start, n, fps))
            out[rows, _LIDS] = 1.0 - (1.0 - out[rows, _LIDS]) * (1.0 - a[:, None])
    if gaze:
        _add_gaze(out, fps, end, rng)
    if sway:
        for c, sd in zip(_HEAD, SWAY_SD):
            knots = np.arange(0.0, end + 2 * SWAY_STEP, SWAY_STEP)
            drift = rng.normal(0.0, sd, len(knots))
            drift[0] = 0.0  # start from the posed head
            for a in range(0, n, _CHUNK):  # in chunks: pchip's temporaries stay small
                out[a:a + _CHUNK, c] += pchip(knots, drift[:, None], _times(a, n, fps))[:, 0]
    return np.clip(out, LOW, HIGH, out=out)  # in place: no second (frames, 61) array


def _times(start: int, n: int, fps: float) -> np.ndarray:
    """Seconds of frames ``start`` .. ``start + _CHUNK`` (at most ``n``): one chunk of the clock."""
    return np.arange(start, min(n, start + _CHUNK)) / fps


def blink_curve(base: np.ndarray, fps: float, rng: np.random.Generator,
                key_times: Sequence[float] = ()) -> np.ndarray:
    """(frames,) blink amount 0..1 for ``base`` (frames, 61), drawn from ``rng``.

    Blinks that would overlap a blocked frame (eyes shut, squint, fast motion, key time) are dropped.
    """
    plan = _blink_plan(base, fps, rng, key_times)
    n = len(base)
    return np.concatenate([_blink_chunk(plan, _times(s, n, fps)) for s in range(0, n, _CHUNK)]) if n else np.zeros(0)


def _blink_plan(base: np.ndarray, fps: float, rng: np.random.Generator, key_times: Sequence[float]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(onsets, lengths, peaks) of the blinks that fit: drawn from ``rng``, dropped where a blink may not happen."""
    n = len(base)
    onsets = _renewal(rng, (n - 1) / fps, BLINK_MEAN_INTERVAL, BLINK_GAMMA_SHAPE, BLINK_MIN_INTERVAL)
    lengths = np.clip(BLINK_MEDIAN * np.exp(rng.normal(0.0, BLINK_LOG_SD, len(onsets))), *BLINK_RANGE)
    peaks = rng.uniform(0.92, 1.0, len(onsets))
    blocked = _blocked(base, fps, key_times)  # (frames,) bool
    seen = np.zeros(n + 1, dtype=np.int32)  # seen[k] = blocked frames before frame k
    np.cumsum(blocked, out=seen[1:])
    first = np.ceil(onsets * fps).astype(int)
    last = np.minimum(np.floor((onsets + lengths) * fps).astype(int), n - 1)
    ok = (first <= last) & (seen[np.minimum(last + 1, n)] - seen[np.minimum(first, n)] == 0)
    return onsets[ok], lengths[ok], peaks[ok]


def _blink_chunk(plan: tuple[np.ndarray, np.ndarray, np.ndarray], tt: np.ndarray) -> np.ndarray:
    """Blink amount 0..1 at the times ``tt`` (one chunk of frames)."""
    onsets, lengths, peaks = plan
    if not len(onsets):
        return np.zeros(len(tt))
    # Blinks never overlap (refractory > longest blink): each frame sees its latest onset only.
    j = np.clip(np.searchsorted(onsets, tt, side="right") - 1, 0, None)
    tau = tt - onsets[j]  # seconds since that blink began
    close = BLINK_CLOSE_FRACTION * lengths[j]
    rise = _smoothstep(tau / close)
    fall = 1.0 - _smoothstep((tau - close) / (lengths[j] - close))
    a = np.where(tau < close, rise, fall) * peaks[j]
    return np.where((tau >= 0) & (tau <= lengths[j]), a, 0.0)


def _blocked(base: np.ndarray, fps: float, key_times: Sequence[float]) -> np.ndarray:
    """Frames where a blink must not happen: lids shut, squinting, fast motion, key frames."""
    n = len(base)
    blocked = np.zeros(n, dtype=bool)
    for a in range(0, n, _CHUNK):  # a chunk of frames at a time: no (frames, k) temporaries
        rows = base[a:a + _CHUNK]
        blocked[a:a + _CHUNK] = (rows[:, _LIDS].max(axis=1) > LID_SHUT) | (rows[:, _SQUINTS].max(axis=1) > LID_SHUT)
    step = _CHUNK // 8  # (step, 61) differences at a time: a couple of MB of temporaries however long the take
    for a in range(0, n - 1, step):
        diff = np.diff(base[a:a + step + 1], axis=0)
        speed = np.abs(diff, out=diff).max(axis=1) * fps  # units per second
        fast = speed > FAST_SPEED  # (k,) the steps a -> a+1 ... a+k-1 -> a+k
        blocked[a + 1:a + 1 + len(fast)] |= fast
        blocked[a:a + len(fast)] |= fast
    keys = np.round(np.asarray(key_times, dtype=float) * fps).astype(int)
    blocked[keys[(keys >= 0) & (keys < len(base))]] = True
    return blocked


def _add_gaze(out: np.ndarray, fps: float, end: float, rng: np.random.Generator) -> None:
    """Add seeded fixation offsets to both eyes in place, keeping pose and EyeLook* consistent."""
    starts = np.concatenate([[0.0], _renewal(rng, end, FIXATION_MEAN, FIXATION_SHAPE, FIXATION_MIN)])
    offsets = np.clip(rng.normal(0.0, 1.0, (len(starts), 2)) * GAZE_SD, -GAZE_MAX, GAZE_MAX)  # (fixations, 2)
    offsets[0] = 0.0  # the first fixation is the posed gaze
    for start in range(0, len(out), _CHUNK):  # in chunks of frames: the temporaries stay small
        tt, rows = _times(start, len(out), fps), out[start:start + _CHUNK]  # rows: a view, changed in place
        j = np.searchsorted(starts, tt, side="right") - 1  # (frames,) fixation index
        prev = offsets[np.maximum(j - 1, 0)]
        move = _smoothstep((tt - starts[j]) / SACCADE)[:, None]
        yaw, pitch = (prev + (offsets[j] - prev) * move).T  # (frames,) radians each
        for side in ("Left", "Right"):
            rows[:, _I[f"{side}EyeYaw"]] += yaw
            rows[:, _I[f"{side}EyePitch"]] += pitch
        # Yaw toward the subject's right: the left eye looks in, the right eye looks out.
        _shift_pair(rows, "EyeLookInLeft", "EyeLookOutLeft", yaw / YAW_PER_LOOK)
        _shift_pair(rows, "EyeLookOutRight", "EyeLookInRight", yaw / YAW_PER_LOOK)
        for side in ("Left", "Right"):
            _shift_pair(rows, f"EyeLookUp{side}", f"EyeLookDown{side}", pitch / PITCH_PER_LOOK)


def _shift_pair(out: np.ndarray, pos: str, neg: str, delta: np.ndarray) -> None:
    """Move the net of an opposing pair (pos - neg) by ``delta``, keeping both >= 0, in place."""
    p, q = out[:, _I[pos]], out[:, _I[neg]]
    common = np.minimum(p, q)
    net = p - q + delta
    out[:, _I[pos]] = common + np.maximum(net, 0.0)
    out[:, _I[neg]] = common + np.maximum(-net, 0.0)


def _renewal(rng: np.random.Generator, end: float, mean: float, shape: float, minimum: float) -> np.ndarray:
    """Event times in (0, end] with gamma intervals (mean ``mean``) of at least ``minimum`` seconds."""
    scale = (mean - minimum) / shape  # gamma part on top of the refractory minimum
    first = rng.uniform(0.0, mean)  # stationary-ish start: no event pinned to t=0
    count = int(end / mean * 1.5) + 8
    times = first + np.concatenate([[0.0], np.cumsum(minimum + rng.gamma(shape, scale, count))])
    while times[-1] <= end:  # rare: draw more
        times = np.concatenate([times, times[-1] + np.cumsum(minimum + rng.gamma(shape, scale, count))])
    return times[times <= end]


def _smoothstep(x: np.ndarray) -> np.ndarray:
    """3x^2 - 2x^3 on x clipped to [0, 1]: eases in and out, stays in [0, 1]."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)

