"""Keyframe extraction: the keys an animator would set on a dense take (frames, 61).

1. Activity a_f = sum over the 52 blendshapes of |v_f - rest| (rest: each channel's 5th
   percentile), lightly smoothed. Its prominent peaks (prominence >= ``PEAK_PROMINENCE`` of its
   range) are the expression peaks; the lowest frame between two peaks is the return between them.
2. Bottom-up segmentation (E. Keogh et al., "Segmenting time series: a survey and novel approach",
   2004): start with a key on every frame and repeatedly drop the key whose removal adds the least
   straight-line error, never a protected peak, until the key budget (``keys`` or ``rate``; by default
   as many as the take needs) is met and, with ``max_error``, while the mean abs error stays under it.
   Extracted keys are not bound by the 64-key limit of hand-written scripts: a long take keeps every
   key it needs (at most one per frame); a requested count that the take cannot hold is an error,
   never silently reduced. The take is
   then rebuilt exactly as the shared timeline does for a captured keyframes.json (``rebuild``:
   lockstep regions, pass-through keys, monotone cubic PCHIP, no neutral lead-in); should that ever be
   worse than uniform keys, uniform key frames are used instead.
3. The last key sits ``TAIL`` seconds before the end so the rebuilt timeline (which holds the last
   pose for the tail) has exactly the take's frame count.

``uniform_error`` is the baseline the issue sets: the same number of uniformly spaced keys with
straight-line in-betweens.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ._limits import MAX_JSON_BYTES
from .channels import CHANNEL_INDEX, N_BLENDSHAPES, N_CHANNELS, clip
from .data import Keyframe, KeyframeSpec, Motion
from .errors import InputError
from .timeline import pchip
from .timing import TAIL

__all__ = [
    "CAPTURE_EXTRA",
    "DEFAULT_MAX_ERROR",
    "Extraction",
    "extract_keyframes",
    "key_frames",
    "read_take",
    "rebuild",
    "take_keyframes",
    "uniform_error",
    "write_take_keyframes",
]

DEFAULT_MAX_ERROR = 0.02  # mean abs error of the rebuilt take over all frames and channels (0..1 units)
PEAK_PROMINENCE = 0.15  # share of the activity range a peak must stand out by
CAPTURE_EXTRA = {"start_neutral": False, "captured": True}  # extra.timeline: how a captured take rebuilds
_MIN_KEY_BYTES = 2_000  # a keyframe in keyframes.json takes at least this (61 named values, indented)


@dataclass(frozen=True)
class Extraction:
    """Key frame indices into the take, their values, and how well they rebuild it."""

    frames: np.ndarray  # (K,) int, increasing; the last is frame count - 1 - tail frames
    values: np.ndarray  # (K, 61) the take's values at those frames
    fps: float
    total_frames: int
    peaks: np.ndarray  # (P,) the expression peaks among ``frames``
    mae: float  # rebuilt vs take, all frames and channels
    uniform_mae: float  # the same number of uniform keys, linear in-betweens

    def timing(self) -> list[tuple[float, float]]:
        """(hold, duration) seconds per key as keyframes.json stores them (pass-through keys)."""
        gaps = np.diff(self.frames) / self.fps
        return [(0.0, float(g)) for g in gaps] + [(0.0, 0.0)]

    def key_times(self) -> list[float]:
        """Seconds of each key from the first frame."""
        return [float(f) / self.fps for f in self.frames]

    def keyframes(self, descriptions: list[str], backend: str = "capture") -> list[Keyframe]:
        """Keyframe objects carrying the given descriptions and the pass-through timing (regions in lockstep:
        the performance has its own timing, whatever the descriptions say)."""
        return [Keyframe(spec=KeyframeSpec(text, hold=h, duration=d), values=v.copy(), backend=backend,
                         motion=Motion(lockstep=True))
                for text, v, (h, d) in zip(descriptions, self.values, self.timing())]


def tail_frames(fps: float) -> int:
    """Frames the timeline holds the last pose after its key (timing.TAIL)."""
    return round(TAIL * fps)


def rebuild(frames: np.ndarray, keys: np.ndarray, total: int) -> np.ndarray:
    """(total, 61) curve through (frames (K,), keys (K, 61)) as the lockstep timeline samples pass-through keys."""
    t = np.arange(total, dtype=float)
    return clip(pchip(np.asarray(frames, dtype=float), keys, t))


def uniform_error(values: np.ndarray, count: int) -> float:
    """MAE of ``count`` uniformly spaced keys (first and last frame included) with linear in-betweens."""
    n = len(values)
    at = np.unique(np.round(np.linspace(0, n - 1, max(count, 2))).astype(int))
    t = np.arange(n)
    lin = np.empty_like(values)
    for c in range(values.shape[1]):
        lin[:, c] = np.interp(t, at, values[at, c])
    return float(np.abs(lin - values).mean())


def key_frames(values: np.ndarray, fps: float, *, keys: int | None = None, rate: float | None = None,
               max_error: float | None = None) -> Extraction:
    """Choose key frames on a take (frames, 61) at ``fps``; see the module doc. At most one key per frame."""
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape[1] != N_CHANNELS:
        raise InputError(f"expected (frames, {N_CHANNELS}) values, got shape {v.shape}", field="values")
    n = len(v)
    last = n - 1 - tail_frames(fps)
    if last < 1:
        raise InputError(f"the take has {n} frames; at least {tail_frames(fps) + 2} are needed "
                         f"(two keys and the {TAIL:g} s tail)", field="frames")
    if keys is not None and keys < 2:
        raise InputError(f"{keys} keys; at least 2", field="--keys")
    if rate is not None and not (math.isfinite(rate) and rate > 0):
        raise InputError(f"{rate!r} keys per second; expected a finite number above 0", field="--rate")
    if max_error is not None and not (math.isfinite(max_error) and max_error >= 0):
        raise InputError(f"{max_error!r}; expected a finite number at least 0", field="--max-error")
    budget = keys if keys is not None else (
        max(2, round(min(rate, fps) * n / fps)) if rate is not None else last + 1)  # <= 1 key a frame
    if budget > last + 1:
        asked = f"{keys} keys" if keys is not None else f"--rate {rate:g} ({budget} keys)"
        raise InputError(f"{asked} on a take of {n} frames: at most {last + 1} keys fit (one per frame, "
                         f"the last {TAIL:g} s is the tail)", field="--keys" if keys is not None else "--rate")
    goal = 0.0 if keys is not None or (rate is not None and max_error is None) else (
        DEFAULT_MAX_ERROR if max_error is None else max_error)

    peaks, _ = _peaks(v[: last + 1], fps)
    protect = set(peaks[: max(0, budget - 2) // 3].tolist())  # the most prominent peaks always keep a key
    frames = _bottom_up(v[: last + 1], budget, protect, goal * N_CHANNELS * n)
    if np.abs(rebuild(frames, v[frames], n) - v).mean() > uniform_error(v, len(frames)):
        frames = np.unique(np.round(np.linspace(0, last, len(frames))).astype(int))  # never worse than uniform
    mae = float(np.abs(rebuild(frames, v[frames], n) - v).mean())
    return Extraction(frames=frames, values=v[frames].copy(), fps=float(fps), total_frames=n,
                      peaks=np.array(sorted(p for p in peaks if p in set(frames.tolist())), dtype=int),
                      mae=mae, uniform_mae=uniform_error(v, len(frames)))


def extract_keyframes(values: np.ndarray, fps: float, **options) -> Extraction:
    """Alias of :func:`key_frames` (the library name the CLI uses)."""
    return key_frames(values, fps, **options)


def _bottom_up(v: np.ndarray, budget: int, protect: set[int], max_total: float) -> np.ndarray:
    """Key frames of ``v`` (n, C) after bottom-up merging: at most ``budget``; fewer while the error sum <= max_total."""
    import heapq

    n = len(v)
    prev, nxt = np.arange(-1, n - 1), np.arange(1, n + 1)
    alive = np.ones(n, bool)
    err = np.zeros(n)  # summed abs error of the straight segment from key i to the next key
    version = np.zeros(n, int)

    def cost(i: int) -> float:
        return _segment_error(v, prev[i], nxt[i]) - err[prev[i]] - err[i]

    heap = [(cost(i), i, 0) for i in range(1, n - 1) if i not in protect]
    heapq.heapify(heap)
    count, total = n, 0.0
    while heap:
        c, i, ver = heapq.heappop(heap)
        if not alive[i] or ver != version[i]:
            continue
        if count <= budget and total + c > max_total:
            break
        p, q = prev[i], nxt[i]
        alive[i] = False
        count -= 1
        total += c
        err[p], err[i] = _segment_error(v, p, q), 0.0
        nxt[p], prev[q] = q, p
        for j in (p, q):
            if 0 < j < n - 1 and j not in protect:
                version[j] += 1
                heapq.heappush(heap, (cost(j), j, version[j]))
    return np.flatnonzero(alive)


def _segment_error(v: np.ndarray, a: int, b: int) -> float:
    """Summed abs error of the straight line from frame a to frame b over the frames between."""
    if b - a < 2:
        return 0.0
    s = np.arange(1, b - a)[:, None] / (b - a)
    return float(np.abs(v[a] + (v[b] - v[a]) * s - v[a + 1:b]).sum())


def _peaks(v: np.ndarray, fps: float) -> tuple[np.ndarray, np.ndarray]:
    """(peak frames by falling prominence, return frames between consecutive peaks) of the activity curve."""
    bs = v[:, :N_BLENDSHAPES]
    rest = np.percentile(bs, 5, axis=0)
    activity = np.abs(bs - rest).sum(axis=1)
    width = max(1, round(0.1 * fps))  # ~100 ms box filter: tracker jitter is not a peak
    activity = np.convolve(activity, np.ones(width) / width, mode="same")
    span = float(activity.max() - activity.min())
    if span <= 1e-9:
        return np.array([], int), np.array([], int)
    interior = np.flatnonzero((activity[1:-1] > activity[:-2]) & (activity[1:-1] >= activity[2:])) + 1
    prominent = [(p, prom) for p in interior if (prom := _prominence(activity, p)) >= PEAK_PROMINENCE * span]
    prominent.sort(key=lambda x: -x[1])
    peaks = np.array([p for p, _ in prominent], dtype=int)
    ordered = np.sort(peaks)
    returns = np.array([a + int(np.argmin(activity[a:b + 1])) for a, b in itertools.pairwise(ordered)], int)
    return peaks, returns


def _prominence(x: np.ndarray, p: int) -> float:
    """How far peak ``p`` stands above the higher of the lowest points before reaching a higher peak on each side."""
    h = x[p]
    left = x[:p][::-1]
    higher = np.flatnonzero(left > h)
    lmin = left[: higher[0]].min() if higher.size else (left.min() if left.size else h)
    right = x[p + 1:]
    higher = np.flatnonzero(right > h)
    rmin = right[: higher[0]].min() if higher.size else (right.min() if right.size else h)
    return float(h - max(lmin, rmin))


def read_take(path: str) -> tuple[np.ndarray, float]:
    """(values (frames, 61), fps) of a Live Link CSV that has every blendshape; InputError naming the first missing."""
    from .formats.livelink_csv import read_livelink_csv

    take = read_livelink_csv(path)
    missing = [name for name in take.missing if CHANNEL_INDEX[name] < N_BLENDSHAPES]
    if missing:
        raise InputError(f"missing ({len(missing)} of {N_BLENDSHAPES} blendshape columns missing; a take needs all "
                         "of them)", path=str(path), line=1, field=missing[0])
    return take.values, take.fps


def take_keyframes(values: np.ndarray, fps: float, *, background: str = "", emotion: str = "",
                   source: str = "", neutral=None, **options) -> tuple:
    """Extract and describe a take: (Script, keyframes, key times, timing, extra) for keyframes.json / outputs.

    ``neutral`` (a :class:`~keyframeface.neutral.Neutral`) says the values are calibrated against it; it is
    stored as ``extra.neutral`` so the calibration can be undone.
    """
    from .data import Script
    from .describe import annotate

    ex = key_frames(values, fps, **options)
    if len(ex.frames) * _MIN_KEY_BYTES > MAX_JSON_BYTES:  # refused before describing thousands of keys
        raise InputError(f"{len(ex.frames)} keyframes would make a keyframes.json over {MAX_JSON_BYTES >> 20} MiB "
                         "(~2.4 KB each): ask for fewer keys (--keys, --rate, --max-error) or split the take into "
                         "scripts (--max-keys)", field="keyframes")
    keyframes = ex.keyframes(annotate(list(ex.values), "animator", emotion=emotion))
    script = Script(background=background, emotion=emotion, keyframes=tuple(k.spec for k in keyframes), fps=fps)
    extra = {"timeline": dict(CAPTURE_EXTRA), "source": source, "frames": ex.total_frames,
             "key_frames": ex.frames.tolist(), "rebuild_mae": round(ex.mae, 6),
             "uniform_mae": round(ex.uniform_mae, 6)}
    if neutral is not None:
        extra["neutral"] = neutral.as_dict()
    return script, keyframes, ex.key_times(), ex.timing(), extra


def write_take_keyframes(path: str, values: np.ndarray, fps: float, **options) -> int:
    """Write a take's extracted, described keys as keyframes.json (atomically); returns the key count."""
    from .formats.keyframes_json import write_keyframes_json

    script, keyframes, times, timing, extra = take_keyframes(values, fps, **options)
    write_keyframes_json(path, script, keyframes, times, planned_by="capture", extra=extra, timing=timing)
    return len(keyframes)
