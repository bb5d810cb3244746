"""Read "an animation on disk" in any of the forms keyframeface writes or takes in.

An `animate` output folder (animation.csv + keyframes.json), a Live Link Face CSV
(e.g. a real iPhone take), or a keyframes.json alone (re-timed with the shared
timeline). Render, convert and stream all read their INPUT through here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..data import Keyframe, Script
from ..errors import InputError

__all__ = ["LoadedAnimation", "load_animation"]


@dataclass(frozen=True)
class LoadedAnimation:
    """Dense values plus whatever keyframe information the input carried."""

    values: np.ndarray  # (frames, 61) order A
    fps: float
    label: str  # short name (folder or file stem), e.g. for side-by-side labels
    key_times: tuple[float, ...] = ()
    keyframes: tuple[Keyframe, ...] = ()
    script: Script | None = None


def load_animation(path: str | os.PathLike, *, life: bool = True) -> LoadedAnimation:
    """Read a folder, a Live Link Face CSV or a keyframes.json; InputError names what was expected.

    A keyframes.json is re-timed with the shared timeline (``life``: blinks, gaze, sway); one whose
    ``extra.timeline`` says ``{"captured": true, "start_neutral": false}`` (keys extracted from a take)
    rebuilds without the neutral lead-in, regions in lockstep.
    """
    from .keyframes_json import read_keyframes_json
    from .livelink_csv import read_livelink_csv

    path = Path(path)
    if path.is_dir():
        csv, keys = path / "animation.csv", path / "keyframes.json"
        if not csv.is_file():
            raise InputError("folder has no animation.csv (expected an `animate` output folder)", path=str(path))
        take = read_livelink_csv(csv)
        if not keys.is_file():
            return LoadedAnimation(take.values, take.fps, path.name)
        script, keyframes, key_times = read_keyframes_json(keys)
        return LoadedAnimation(take.values, take.fps, path.name, tuple(key_times), tuple(keyframes), script)
    if not path.is_file():
        raise InputError("no such file or folder", path=str(path))
    if path.suffix.lower() == ".csv":
        take = read_livelink_csv(path)
        return LoadedAnimation(take.values, take.fps, path.stem)
    if path.suffix.lower() == ".json":
        from ..timeline import build_timeline

        script, keyframes, _ = read_keyframes_json(path)
        hints = _timeline_hints(path)
        timeline = build_timeline(keyframes, script.fps, seed=script.seed, life=life,
                                  start_neutral=hints.get("start_neutral", True) is not False,
                                  captured=hints.get("captured") is True)
        return LoadedAnimation(timeline.values, timeline.fps, path.stem, tuple(timeline.key_times),
                               tuple(keyframes), script)
    raise InputError(f"cannot read '{path.suffix}': expected an output folder, a .csv or a keyframes.json",
                     path=str(path))


def _timeline_hints(path: Path) -> dict:
    """The ``extra.timeline`` object of a (validated) keyframes.json, else {}."""
    import json

    extra = json.loads(path.read_text(encoding="utf-8")).get("extra")
    hints = extra.get("timeline") if isinstance(extra, dict) else None
    return hints if isinstance(hints, dict) else {}
