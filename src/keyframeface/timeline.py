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

Lead and lag ("overlapping action"): regions do not move in lockstep. Each region r has a time
offset d_r (``REGION_OFFSETS``, seconds relative to the mouth; negative leads). Within a transition
window [a, b] (span w = b - a) with offset spread S = max d - min d, the scale k = min(1,
MAX_SPREAD * w / S) keeps every region moving over at least half the window, and region r moves
over [a + (d_r - min d) k, b - (max d - d_r) k] and holds outside it: the same in-between curve,
shifted by d_r k. The earliest region leaves the old pose at a, the latest arrives at b, so every
region reaches the key value exactly at the key time and holds stay exactly held. The text may
reorder regions ("the eyes widen first, then the mouth falls open", "before", "after"): the first
group it names gets the earliest default offset, each later one ORDER_STEP after the one before
(or its own default offset when that is later: "the gaze drops, then the head follows" keeps the
head's lag); unnamed regions keep their defaults. "All at once" / "simultaneously" sets every offset to 0 (lockstep).
When clauses give parts different paces ("her eyes snap wide while a smile slowly spreads"), the
transition lasts as long as the slowest (``timing``) and a faster part arrives after its own
seconds: region r's move ends at min(its end above, its start + its seconds), then it holds.
Cycles (nods, trembles, laughter: ``cycles.py``) are added on top, also with life off.

Offsets follow the literature on the order of facial and eye-head movements:
* Gaze leads, the head follows: in gaze shifts the eyes start first and land first, the head starts
  with or after them and keeps moving 100-200 ms+ after the eyes have arrived (D. Guitton, M. Volle,
  "Gaze control in humans: eye-head coordination during orienting movements", J. Neurophysiology
  58(3), 1987; E. Freedman, "Coordination of the eyes and head during visual orienting", Experimental
  Brain Research 190, 2008). Hence gaze -100 ms, head +150 ms.
* Upper-face signals come first: in dynamic expressions the eye-whites (AU5) and brow actions (AU1+2
  in surprise/fear, AU4) and the nose wrinkle (AU9) peak earlier than the later, more specific mouth
  actions (R. Jack, O. Garrod, P. Schyns, "Dynamic facial expressions of emotion transmit an evolving
  hierarchy of signals over time", Current Biology 24(2), 2014; P. Ekman, W. Friesen, "Unmasking the
  Face", 1975, on the brows and lids leading in surprise). Hence lids and brows -80 ms, nose -50 ms;
  the cheeks (AU6) follow the smile (+30 ms).

M. Fritsch, R. Carlson, "Monotone piecewise cubic interpolation", SIAM J. Numer. Anal. 17 (1980).
F. Fritsch, J. Butland, "A method for constructing local monotone piecewise cubic
interpolants", SIAM J. Sci. Stat. Comput. 5 (1984).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ._limits import MAX_TIMELINE_FRAMES
from .channels import CHANNELS, HIGH, LOW, N_CHANNELS, clip, region_of
from .cycles import add_cycles
from .data import Keyframe, Motion, Timeline
from .errors import InputError
from .interp import pchip
from .life import add_life
from .timing import Schedule, choose_timing, entry_duration, schedule

__all__ = ["MAX_SPREAD", "ORDER_STEP", "REGION_OFFSETS", "build_timeline", "pchip", "region_offsets",
           "sample_schedule"]

# Seconds each region's in-between curve is shifted relative to the mouth (negative: leads). See the module doc.
REGION_OFFSETS: dict[str, float] = {
    "gaze": -0.10,  # the eyes move first (Guitton & Volle 1987; Freedman 2008)
    "eyes": -0.08,  # lids: eye-whites are an early signal (Jack et al. 2014)
    "brows": -0.08,  # brows lead the mouth (Jack et al. 2014; Ekman & Friesen 1975)
    "nose": -0.05,  # the nose wrinkle is early too (Jack et al. 2014)
    "mouth": 0.0,
    "jaw": 0.0,
    "tongue": 0.0,
    "cheeks": 0.03,  # AU6 follows the smile
    "head": 0.15,  # the head lags the eyes (Guitton & Volle 1987; Freedman 2008)
}
ORDER_STEP = 0.12  # seconds between region groups the words order ("first ..., then ...")
MAX_SPREAD = 0.5  # offsets use at most this share of a transition; each region moves over the rest
_REGIONS = tuple(REGION_OFFSETS)
_REGION_CHANNELS = tuple(np.array([c for c, name in enumerate(CHANNELS) if region_of(name) == r]) for r in _REGIONS)
_CHUNK = 4096  # frames sampled at a time (memory independent of the length)


def build_timeline(keyframes: Sequence[Keyframe], fps: float, *, seed: int = 0, life: bool = True,
                   timing: Sequence[tuple[float, float]] | None = None, start_neutral: bool = True,
                   cycles: bool = True, captured: bool = False) -> Timeline:
    """Dense Timeline at ``fps`` through ``keyframes`` (order A), with cycles and the seeded life layer.

    ``timing`` gives (hold, duration) seconds per keyframe (see ``timing.choose_timing``,
    used when None). With ``start_neutral`` the face starts at neutral (all zeros) and
    moves into keyframe 1. Each keyframe's ``motion`` (numbers posing stored, never its words; None: the
    defaults) sets its pace, hold, regions' order and its cycles (nods, trembles, laughter; kept with ``life``
    off, dropped with ``cycles`` off). With
    ``life`` off, each key frame holds exactly its key values. ``captured`` keys come from a real
    performance (``keyframes_extract``): regions move in lockstep and the words add no cycles or pace.
    """
    if not keyframes:
        raise InputError("at least one keyframe is needed", field="keyframes")
    if not (isinstance(fps, (int, float)) and math.isfinite(fps) and fps > 0):
        raise InputError(f"{fps!r} is not a positive frame rate", field="fps")
    specs = [k.spec for k in keyframes]
    motions = [k.motion or Motion() for k in keyframes]  # numbers posing stored; never the description
    if captured:  # the performance already has its own timing
        motions = [Motion(lockstep=True) for _ in specs]
    if timing is None:
        timing = choose_timing(specs, motions)
    elif len(timing) != len(keyframes):
        raise InputError(f"{len(timing)} (hold, duration) pairs for {len(keyframes)} keyframes", field="timing")
    sched = schedule(timing, fps, entry=entry_duration(motions), start_neutral=start_neutral)
    if sched.frames(fps) > MAX_TIMELINE_FRAMES:  # any route (API, web, live): refuse before allocating
        raise InputError(f"{sched.end:,.1f} s at {fps:g} fps is {sched.frames(fps):,} frames; at most "
                         f"{MAX_TIMELINE_FRAMES:,} (about 1 h at 60 fps)", field="keyframes")
    poses = np.stack([_checked_pose(k.values, i) for i, k in enumerate(keyframes)])  # (n, 61)
    values = sample_schedule(sched, poses, fps, motions)
    if cycles:
        values = add_cycles(values, fps, sched, motions)
    if life:
        values = add_life(values, fps, seed, key_times=sched.key_times, copy=False)  # ours: change in place
    return Timeline(fps=float(fps), values=values, key_times=sched.key_times, keyframes=tuple(keyframes))


def sample_schedule(sched: Schedule, poses: np.ndarray, fps: float,
                    motions: Sequence[Motion] | None = None) -> np.ndarray:
    """(frames, 61) curve through ``poses`` (n, 61) laid out by ``sched``, regions led/lagged, no life layer.

    ``motions`` (one per keyframe, ``Keyframe.motion``) may reorder the regions of the
    transition into each keyframe; None: the default offsets everywhere.
    """
    n = sched.frames(fps)
    t = np.arange(n) / fps  # (frames,) seconds
    if sched.start is not None:  # neutral pose first, held during the lead-in
        poses = np.vstack([np.zeros(N_CHANNELS), poses])
    shape = (len(sched.key_times), len(_REGIONS))
    offsets = np.array([region_offsets(m) for m in motions] if motions else
                       [region_offsets(None)] * shape[0]).reshape(shape)
    moves = np.full(shape, np.inf)  # (keyframes, regions) seconds of a region's own move (inf: its window)
    for i, m in enumerate(motions or ()):
        for region, seconds in m.region_pace:
            moves[i, _REGIONS.index(region)] = seconds
    values = np.empty((n, N_CHANNELS))
    groups: dict[bytes, list[int]] = {}  # regions with the same offsets and moves in every transition share knots
    for r in range(len(_REGIONS)):
        groups.setdefault(offsets[:, r].tobytes() + moves[:, r].tobytes(), []).append(r)
    for members in groups.values():
        channels = np.concatenate([_REGION_CHANNELS[r] for r in members])
        times, rows = _knots(sched, offsets, members[0], moves[:, members[0]])
        knot_y = poses[rows][:, channels]
        for a in range(0, n, _CHUNK):  # in chunks: pchip's temporaries stay small however long the take
            values[a:a + _CHUNK, channels] = pchip(times, knot_y, t[a:a + _CHUNK])
    return np.clip(values, LOW, HIGH, out=values)  # in place (= channels.clip): one (frames, 61) array


def region_offsets(motion: Motion | None) -> tuple[float, ...]:
    """Seconds each region (``REGION_OFFSETS`` order) is shifted in the transition these words describe."""
    if motion is None or not (motion.order or motion.lockstep):
        return tuple(REGION_OFFSETS.values())
    if motion.lockstep:
        return (0.0,) * len(_REGIONS)
    at: dict[str, float] = {}
    step = min(REGION_OFFSETS.values())  # the first named group leads every region
    for k, group in enumerate(motion.order):
        if k:  # a later group follows the one before, and never runs earlier than its own default
            step = max(step + ORDER_STEP, min(REGION_OFFSETS[r] for r in group))
        at.update(dict.fromkeys(group, step))
    return tuple(at.get(r, d) for r, d in REGION_OFFSETS.items())


def _knots(sched: Schedule, offsets: np.ndarray, region: int,
           moves: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Knot times (K,) and pose rows (K,) of one region; ``offsets`` (keyframes, regions) per transition.

    ``moves`` (keyframes,): seconds the region's own move may take at most (inf or None: its whole window).
    """
    n = len(sched.key_times)
    key = np.array(sched.key_times)
    leave = np.array(sched.leave_times)
    row = np.arange(n) + (0 if sched.start is None else 1)  # pose row of each keyframe
    prev_leave = np.concatenate([[key[0] if sched.start is None else sched.start], leave[:-1]])
    prev_row = np.concatenate([[row[0] if sched.start is None else 0], row[:-1]])
    span = key - prev_leave  # (n,) seconds of each transition (0: keyframe 1 without lead-in)
    lo, hi = offsets.min(axis=1), offsets.max(axis=1)
    spread = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(spread > 0, np.minimum(1.0, MAX_SPREAD * span / spread), 0.0)
    d = offsets[:, region]
    start = prev_leave + (d - lo) * k
    arrive = np.minimum(key - (hi - d) * k, key)
    if moves is not None:
        arrive = np.minimum(arrive, start + moves)
    times = np.stack([prev_leave, start, arrive, key, leave], axis=1).ravel()
    rows = np.stack([prev_row, prev_row, row, row, row], axis=1).ravel()
    times = np.concatenate([[0.0], times, [sched.end]])
    rows = np.concatenate([[0], rows, [row[-1]]])
    keep = np.concatenate([[True], np.diff(times) > 0])  # times never decrease; drop repeats (same pose)
    return times[keep], rows[keep]


def _checked_pose(values: np.ndarray, i: int) -> np.ndarray:
    """A keyframe's (61,) values as finite floats clipped into range; InputError otherwise."""
    v = np.asarray(values, dtype=float)
    if v.shape != (N_CHANNELS,):
        raise InputError(f"expected {N_CHANNELS} values, got shape {v.shape}", field=f"keyframes[{i}].values")
    bad = np.flatnonzero(~np.isfinite(v))
    if bad.size:
        raise InputError(f"{v[bad[0]]} is not a finite number", field=f"keyframes[{i}].values.{CHANNELS[bad[0]]}")
    return clip(v)
