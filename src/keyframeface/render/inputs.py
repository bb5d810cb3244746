"""Render what the user has on disk (`keyframeface render`) and the previews `animate` writes.

INPUT is an ``animate`` output folder (animation.csv + keyframes.json), a Live Link Face
CSV, or a keyframes.json (its dense timeline is rebuilt). OUT by suffix:
  * .mp4 / .gif: the animation (side by side with ``compare``, frame-synchronised);
  * .png: a keyframe contact sheet when INPUT has keyframes (folder or keyframes.json),
    otherwise one frame for a one-frame take or a grid of evenly spaced frames
    (with ``compare``: a grid of side-by-side pairs).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..filenames import PREVIEW_FILES

__all__ = ["PREVIEW_FILES", "render_input", "write_previews"]


def render_input(input_path: str | os.PathLike, out_path: str | os.PathLike, *, size: int = 256,
                 compare: str | os.PathLike | None = None, fps: float | None = None, progress: bool = True) -> Path:
    """Render INPUT (folder, CSV or keyframes.json) to OUT (.mp4, .gif, .png); see the module docstring.

    ``progress``: a bar on stderr for a long video, on a terminal only."""
    from ..formats.animation_file import load_animation
    from .sheet import contact_sheet
    from .video import VIDEO_SUFFIXES, write_side_by_side, write_video

    out = Path(out_path)
    if out.suffix.lower() not in VIDEO_SUFFIXES:
        raise InputError(f"unknown output type '{out.suffix}': expected one of {', '.join(VIDEO_SUFFIXES)}",
                         path=str(out))
    a = load_animation(input_path)
    rate = fps or a.fps  # a different fps resamples (same duration), it doesn't change the speed
    a_values = _resample(a.values, a.fps, rate)
    if compare is not None:
        b = load_animation(compare)
        b_values = _resample(b.values, b.fps, rate)
        labels = (a.label, b.label) if a.label != b.label else (f"A: {a.label}", f"B: {b.label}")
        return write_side_by_side(out, a_values, b_values, rate, labels=labels, size=size, progress=progress)
    if out.suffix.lower() == ".png" and a.keyframes:
        script = a.script
        return contact_sheet(out, a.keyframes, background=script.background if script else "",
                             emotion=script.emotion if script else "", size=min(size, 256), key_times=a.key_times)
    return write_video(out, a_values, rate, size=size, progress=progress)


def write_previews(animation: Any, outdir: str | os.PathLike) -> list[Path]:
    """Write preview.mp4, keyframes.png and curves.png for an Animation into ``outdir``."""
    from .plots import plot_curves
    from .sheet import contact_sheet
    from .video import write_video

    outdir = Path(outdir)
    script, timeline = animation.script, animation.timeline
    video, sheet, curves = (outdir / name for name in PREVIEW_FILES)
    write_video(video, timeline.values, timeline.fps)
    contact_sheet(sheet, animation.keyframes, background=script.background, emotion=script.emotion,
                  key_times=timeline.key_times)
    plot_curves(curves, timeline.values, timeline.fps, timeline.key_times, title=script.emotion)
    return [video, sheet, curves]


def _resample(values: np.ndarray, fps: float, target_fps: float) -> np.ndarray:
    """Nearest-frame resampling of (frames, 61) values from ``fps`` to ``target_fps``."""
    if abs(fps - target_fps) < 1e-6:
        return values
    n = max(1, int(round(len(values) * target_fps / fps)))
    index = np.minimum(np.round(np.arange(n) * fps / target_fps).astype(int), len(values) - 1)
    return values[index]
