"""One Writer/Reader contract for every output format, keyed by the file's suffix.

    write_file("out/face.glb", take)   # a Take: dense values + whatever keyframe info exists
    read_file("out/")                  # folder, .csv or keyframes.json -> LoadedAnimation

``animate`` (via ``outputs.write_outputs``), ``convert``, ``render`` and the studio's
downloads all write through ``WRITERS``, so a new format is one entry here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .data import Keyframe, Script
from .errors import InputError
from .formats.animation_file import LoadedAnimation, load_animation

__all__ = ["SUFFIXES", "WRITERS", "Take", "read_file", "take_of", "write_file"]


@dataclass(frozen=True)
class Take:
    """What a writer gets: dense (frames, 61) values at fps, plus keyframes and script when known."""

    values: np.ndarray  # (frames, 61) order A
    fps: float
    key_times: tuple[float, ...] = ()
    keyframes: tuple[Keyframe, ...] = ()
    script: Script | None = None
    planned_by: str = "script"
    extra: dict | None = None  # free-form extra section of keyframes.json


def take_of(animation: Any) -> Take:
    """A Take from a pipeline ``Animation`` or a ``LoadedAnimation`` (what readers return)."""
    if isinstance(animation, Take):
        return animation
    timeline = getattr(animation, "timeline", None)
    if timeline is not None:  # pipeline.Animation
        return Take(timeline.values, timeline.fps, tuple(timeline.key_times), tuple(animation.keyframes),
                    animation.script, animation.planned_by)
    return Take(animation.values, animation.fps, tuple(animation.key_times), tuple(animation.keyframes),
                animation.script)


def _csv(path: Path, take: Take) -> None:
    from .formats.livelink_csv import write_livelink_csv

    write_livelink_csv(path, take.values, take.fps)


def _need_keyframes(path: Path, take: Take) -> None:
    if not take.keyframes or take.script is None:
        raise InputError(f"'{path.suffix}' needs keyframes; this input has only dense values "
                         "(expected an `animate` output folder or a keyframes.json)", path=str(path))


def _json(path: Path, take: Take) -> None:
    from .formats.keyframes_json import write_keyframes_json

    _need_keyframes(path, take)
    write_keyframes_json(path, take.script, take.keyframes, take.key_times, planned_by=take.planned_by,
                         extra=take.extra)


def _jsonl(path: Path, take: Take) -> None:
    from .formats.reference import write_results

    _need_keyframes(path, take)
    write_results(path, take.keyframes)


def _gltf(path: Path, take: Take) -> None:
    from .formats.gltf import write_gltf

    write_gltf(path, take.values, take.fps)


def _video(path: Path, take: Take) -> None:
    from .render.video import write_video

    write_video(path, take.values, take.fps)


def _png(path: Path, take: Take) -> None:
    if take.keyframes:
        from .render.sheet import contact_sheet

        script = take.script
        contact_sheet(path, take.keyframes, background=script.background if script else "",
                      emotion=script.emotion if script else "", key_times=take.key_times)
    else:
        _video(path, take)


WRITERS: dict[str, Callable[[Path, Take], None]] = {
    ".csv": _csv,
    ".json": _json,
    ".jsonl": _jsonl,
    ".gltf": _gltf,
    ".glb": _gltf,
    ".mp4": _video,
    ".gif": _video,
    ".png": _png,
}
SUFFIXES = tuple(WRITERS)


def write_file(path: str | os.PathLike, animation: Any) -> Path:
    """Write ``animation`` (Animation, LoadedAnimation or Take) to ``path``, the format chosen by its suffix."""
    out = Path(path)
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise InputError(f"unknown output type '{out.suffix}': expected one of {', '.join(SUFFIXES)}",
                         path=str(out))
    writer(out, take_of(animation))
    return out


def read_file(path: str | os.PathLike, *, life: bool = True) -> LoadedAnimation:
    """Read an animation: an `animate` output folder, a Live Link Face CSV or a keyframes.json (re-timed,
    with blinks, gaze and sway when ``life``)."""
    return load_animation(path, life=life)
