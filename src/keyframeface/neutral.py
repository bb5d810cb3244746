"""Neutral calibration: a person's resting face (offsets a tracker reads at rest) taken out of a take.

MediaPipe reads a resting face with offsets: a slight squint, a lowered brow, the head tilted, the
gaze off to one side. ``calibrate`` makes the resting face read as zero, so keyframes and
descriptions speak of what the face does, not of how it rests:

- blendshapes: ``(v - n) / (1 - n)``, clipped to [0, 1] (the rest reads 0, a full action still 1);
- head and eye angles: ``v - n``, clipped to the channel's range.

The resting face ``n`` comes from (``resolve_neutral``):

- ``auto``: a robust estimate over the take: the calmest quarter of its frames (least summed
  blendshape activity above each channel's 10th percentile), then per channel the 25th percentile of
  the blendshapes and the median of the angles over those frames (blinks, speech and expressions
  are outliers it ignores);
- ``SECONDS``: the median of the take's first SECONDS (the subject holds a neutral face first);
- ``FILE``: a neutral JSON written by an earlier calibration, or a Live Link CSV of the resting face
  (the median of its frames).

The calibration is stored with what it produced (a ``<take>.neutral.json`` sidecar beside a CSV,
``extra.neutral`` in keyframes.json), so ``uncalibrate`` undoes it: exactly, except blendshape values
that were below the resting value (those read 0 once calibrated and come back as the resting value).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._io import atomic_write_text
from ._limits import MAX_JSON_BYTES, loads_json, read_text_capped
from .channels import CHANNELS, HIGH, LOW, N_BLENDSHAPES, N_CHANNELS, canonical_name
from .errors import InputError

__all__ = ["FORMAT", "Neutral", "calibrate", "estimate_neutral", "read_neutral", "resolve_neutral", "sidecar_path",
           "uncalibrate", "write_neutral"]

FORMAT = "keyframeface-neutral"
CALM_SHARE = 0.25  # the calmest share of frames the auto estimate reads
_MAX_REST = 0.9  # a blendshape resting above this is not a rest (keeps 1 - n away from 0)


@dataclass(frozen=True)
class Neutral:
    """A resting face (61,) in order A and how it was found ("auto", "first 2 s", "file X")."""

    values: np.ndarray
    method: str

    def as_dict(self) -> dict:
        """The JSON form stored in a sidecar and in keyframes.json's ``extra.neutral``."""
        return {"format": FORMAT, "version": 1, "method": self.method,
                "values": {name: round(float(v), 6) for name, v in zip(CHANNELS, self.values)}}


def estimate_neutral(values: np.ndarray, fps: float) -> np.ndarray:
    """The auto estimate (see the module doc) of the resting face over a take (frames, 61)."""
    del fps  # the estimate reads frames, not time
    v = np.asarray(values, dtype=float)
    bs = v[:, :N_BLENDSHAPES]
    activity = np.clip(bs - np.percentile(bs, 10, axis=0), 0, None).sum(axis=1)
    calm = v[activity <= np.quantile(activity, CALM_SHARE)]
    rest = np.empty(N_CHANNELS)
    rest[:N_BLENDSHAPES] = np.percentile(calm[:, :N_BLENDSHAPES], 25, axis=0)
    rest[N_BLENDSHAPES:] = np.median(calm[:, N_BLENDSHAPES:], axis=0)
    return _valid(rest)


def resolve_neutral(spec: str | float, values: np.ndarray, fps: float, *, option: str = "--neutral") -> Neutral:
    """The Neutral that ``spec`` (auto | SECONDS | FILE) names, for a take (frames, 61) at ``fps``."""
    text = str(spec).strip()
    if text == "auto":
        return Neutral(estimate_neutral(values, fps), "auto")
    try:
        seconds = float(text)
    except ValueError:
        seconds = None
    if seconds is not None:
        if not (math.isfinite(seconds) and seconds > 0):
            raise InputError(f"{text}: expected seconds > 0 (the take's first seconds hold the neutral face)",
                             field=option)
        count = max(1, round(seconds * fps))
        if count > len(values):
            raise InputError(f"{seconds:g} s is longer than the take ({len(values) / fps:.2f} s)", field=option)
        return Neutral(_valid(np.median(np.asarray(values, dtype=float)[:count], axis=0)), f"first {seconds:g} s")
    path = Path(text)
    if not path.is_file():
        raise InputError(f"{text!r}: expected auto, SECONDS or a neutral file (a .neutral.json or a Live Link .csv "
                         "of the resting face)", field=option)
    return read_neutral(path)


def calibrate(values: np.ndarray, neutral: Neutral | np.ndarray) -> np.ndarray:
    """``values`` (frames, 61) or (61,) relative to the resting face (see the module doc)."""
    n = _array(neutral)
    v = np.asarray(values, dtype=float)
    out = np.empty_like(v)
    out[..., :N_BLENDSHAPES] = (v[..., :N_BLENDSHAPES] - n[:N_BLENDSHAPES]) / (1.0 - n[:N_BLENDSHAPES])
    out[..., N_BLENDSHAPES:] = v[..., N_BLENDSHAPES:] - n[N_BLENDSHAPES:]
    return np.clip(out, LOW, HIGH)


def uncalibrate(values: np.ndarray, neutral: Neutral | np.ndarray) -> np.ndarray:
    """Undo :func:`calibrate`: the values as captured (a blendshape that read below rest comes back at rest)."""
    n = _array(neutral)
    v = np.asarray(values, dtype=float)
    out = np.empty_like(v)
    out[..., :N_BLENDSHAPES] = v[..., :N_BLENDSHAPES] * (1.0 - n[:N_BLENDSHAPES]) + n[:N_BLENDSHAPES]
    out[..., N_BLENDSHAPES:] = v[..., N_BLENDSHAPES:] + n[N_BLENDSHAPES:]
    return np.clip(out, LOW, HIGH)


def sidecar_path(take: str | os.PathLike) -> Path:
    """Where a calibrated take's neutral is stored: ``take.csv`` -> ``take.neutral.json``."""
    p = Path(take)
    return p.with_name(p.stem + ".neutral.json")


def write_neutral(path: str | os.PathLike, neutral: Neutral) -> None:
    """Write the neutral JSON (atomically)."""
    atomic_write_text(path, json.dumps(neutral.as_dict(), indent=1) + "\n")


def read_neutral(path: str | os.PathLike) -> Neutral:
    """A neutral JSON (``write_neutral``'s, or a keyframes.json's ``extra.neutral``) or a resting-face CSV."""
    p = Path(path)
    if p.suffix.lower() == ".csv":
        from .keyframes_extract import read_take

        values, _ = read_take(str(p))
        return Neutral(_valid(np.median(values, axis=0)), f"file {p.name}")
    doc = loads_json(read_text_capped(p, MAX_JSON_BYTES, "neutral file"), path=str(p))
    if isinstance(doc, dict) and isinstance(doc.get("extra"), dict) and "neutral" in doc["extra"]:
        doc = doc["extra"]["neutral"]  # a keyframes.json written from a calibrated take
    return from_dict(doc, where=str(p))


def from_dict(doc: object, *, where: str = "neutral") -> Neutral:
    """The Neutral of its JSON form (InputError naming the field that is wrong)."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f'expected a {{"format": "{FORMAT}", "values": {{...}}}} object', path=where,
                         field="format")
    raw = doc.get("values")
    if not isinstance(raw, dict):
        raise InputError("expected an object of 61 channel values", path=where, field="values")
    values = np.full(N_CHANNELS, np.nan)
    for key, x in raw.items():
        name = canonical_name(key)
        if name is None or isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
            raise InputError(f"expected a channel name and a number, got {key!r}: {x!r:.40}", path=where,
                             field=f"values.{key}")
        values[CHANNELS.index(name)] = float(x)
    if np.isnan(values).any():
        missing = CHANNELS[int(np.flatnonzero(np.isnan(values))[0])]
        raise InputError("missing (a neutral gives all 61 channels)", path=where, field=f"values.{missing}")
    method = doc.get("method") if isinstance(doc.get("method"), str) else f"file {Path(where).name}"
    return Neutral(_valid(values), method)


def _valid(rest: np.ndarray) -> np.ndarray:
    out = np.clip(np.asarray(rest, dtype=float), LOW, HIGH)
    out[:N_BLENDSHAPES] = np.clip(out[:N_BLENDSHAPES], 0.0, _MAX_REST)
    return out


def _array(neutral: Neutral | np.ndarray) -> np.ndarray:
    n = neutral.values if isinstance(neutral, Neutral) else np.asarray(neutral, dtype=float)
    return _valid(n.reshape(N_CHANNELS))
