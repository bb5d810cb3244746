"""Evaluation: how close a predicted face is to a gold one (keyframes or dense takes).

For rows of 61 channels (keyframes, or frames of a take): MAE over all channels; MAE over the
channels active (|value| >= ``ACTIVE``) in either, per row, averaged over the rows; activation
precision / recall / F1 over (row, channel) pairs; MAE per region. Inputs that are keyframes on
both sides are compared key by key (the counts must match); otherwise both are dense and compared
frame by frame on the gold's time grid (the prediction resampled by time when its rate differs,
both cut to the shorter duration). When fewer than half of the gold's frames are compared (a short
prediction against a long take), ``Scores.warnings()`` says so: the numbers describe only that part.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .channels import CHANNELS, N_CHANNELS, region_of
from .errors import InputError

__all__ = ["ACTIVE", "COVERED", "Scores", "evaluate_files", "score"]

COVERED = 0.5  # warn when fewer than this share of the gold's rows are compared
ACTIVE = 0.1  # |value| at or above this counts as an active channel (0..1 blendshapes, ~radians for pose)
_REGION_NAMES = tuple(dict.fromkeys(region_of(n) for n in CHANNELS))
_REGION_INDEX = {r: np.array([i for i, n in enumerate(CHANNELS) if region_of(n) == r]) for r in _REGION_NAMES}


@dataclass(frozen=True)
class Scores:
    """The evaluation numbers (see the module doc); ``rows`` says how many keyframes/frames were compared."""

    mae: float
    mae_active: float
    precision: float
    recall: float
    f1: float
    regions: dict[str, float]
    rows: int
    unit: str  # "keyframe" or "frame"
    gold_rows: int | None = None  # rows the gold holds (None: all were compared)

    def warnings(self) -> list[str]:
        """What the scores do not cover: most of the gold not compared (for stderr)."""
        gold = self.gold_rows or self.rows
        if self.rows >= COVERED * gold:
            return []
        return [f"only {self.rows:,} of the gold's {gold:,} {self.unit}s were compared ({self.rows / gold:.1%}; the "
                "prediction is shorter): the scores say nothing about the rest"]

    def as_dict(self) -> dict:
        """JSON-ready dict (floats rounded to 5 decimals)."""
        d = asdict(self)
        return {k: (round(v, 5) if isinstance(v, float) else
                    {r: round(x, 5) for r, x in v.items()} if isinstance(v, dict) else v) for k, v in d.items()}


def score(pred: np.ndarray, gold: np.ndarray, *, unit: str = "keyframe", active: float = ACTIVE) -> Scores:
    """Scores of ``pred`` against ``gold``, both (rows, 61) in order A."""
    p = np.asarray(pred, dtype=float).reshape(-1, N_CHANNELS)
    g = np.asarray(gold, dtype=float).reshape(-1, N_CHANNELS)
    if p.shape != g.shape:
        raise InputError(f"{len(p)} {unit}s predicted, {len(g)} in the gold", field=unit + "s")
    if not len(g):
        raise InputError(f"no {unit}s to compare", field=unit + "s")
    err = np.abs(p - g)  # (rows, 61)
    pa, ga = np.abs(p) >= active, np.abs(g) >= active
    either = pa | ga
    counts = either.sum(axis=1)
    per_row = np.where(counts > 0, (err * either).sum(axis=1) / np.maximum(counts, 1), np.nan)
    mae_active = float(np.nanmean(per_row)) if np.isfinite(per_row).any() else 0.0
    tp = float((pa & ga).sum())
    precision = tp / pa.sum() if pa.sum() else (1.0 if not ga.any() else 0.0)
    recall = tp / ga.sum() if ga.sum() else (1.0 if not pa.any() else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    regions = {r: float(err[:, idx].mean()) for r, idx in _REGION_INDEX.items()}
    return Scores(mae=float(err.mean()), mae_active=mae_active, precision=float(precision), recall=float(recall),
                  f1=float(f1), regions=regions, rows=len(g), unit=unit)


def evaluate_files(pred: str | os.PathLike, gold: str | os.PathLike) -> Scores:
    """Score two inputs (output folder, keyframes.json or Live Link CSV each); see the module doc."""
    pk, pd, pfps = _load(Path(pred))
    gk, gd, gfps = _load(Path(gold))
    if pk is not None and gk is not None:
        return score(pk, gk, unit="keyframe")
    p, g = _on_grid(pd, pfps, gd, gfps)
    return dataclasses.replace(score(p, g, unit="frame"), gold_rows=len(gd))


def _load(path: Path) -> tuple[np.ndarray | None, np.ndarray, float]:
    """(keyframe values (K, 61) or None for a bare CSV, dense values (frames, 61), fps)."""
    if path.is_file() and path.suffix.lower() == ".csv":
        from .keyframes_extract import read_take

        values, fps = read_take(str(path))
        return None, values, fps
    from .formats.animation_file import load_animation

    anim = load_animation(path)
    keys = np.stack([k.values for k in anim.keyframes]) if anim.keyframes else None
    return keys, anim.values, anim.fps


def _on_grid(p: np.ndarray, pfps: float, g: np.ndarray, gfps: float) -> tuple[np.ndarray, np.ndarray]:
    """Both on the gold's frame times, cut to the shorter duration."""
    if abs(pfps - gfps) > 1e-6 * gfps:
        t = np.arange(len(g)) / gfps
        t = t[t <= (len(p) - 1) / pfps]
        src = np.arange(len(p)) / pfps
        p = np.stack([np.interp(t, src, p[:, c]) for c in range(N_CHANNELS)], axis=1)
    n = min(len(p), len(g))
    return p[:n], g[:n]
