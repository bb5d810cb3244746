"""The studio's library side: plan, pose, animate and edit, with results kept in bounded caches.

No HTTP here: ``web.app`` is a thin shell that validates requests and calls a ``Studio``.
Results are keyed by a hash of what was asked, so the same request is answered from the
cache, and an edit makes a new result whose other keyframes are replayed unchanged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..backends import Backend, get_backend
from ..backends.replay import ReplayBackend
from ..channels import CHANNELS
from ..data import Keyframe, KeyframeSpec, Motion, Script
from ..errors import InputError
from ..formats.keyframes_json import motion_dict
from ..intensity import apply_intensity, check_intensity
from ..pipeline import Animation, Pipeline
from ..script import script_from_dict, script_to_dict
from ..timing import choose_timing
from ..writers import write_file
from .cache import SizedLRU

__all__ = ["DOWNLOADS", "NotFound", "Result", "Studio"]

# Download name -> (file name served, short label on the page).
DOWNLOADS: dict[str, str] = {
    "csv": "animation.csv",
    "json": "keyframes.json",
    "jsonl": "keyframes.jsonl",
    "glb": "animation.glb",
    "mp4": "preview.mp4",
}
FRAME_SIZES = (64, 512)  # smallest and largest face image, pixels


class NotFound(LookupError):
    """An animation id that is unknown or was dropped from the cache."""


@dataclass(frozen=True)
class Result:
    """One animation the studio made, with its id."""

    id: str
    animation: Animation
    intensity: float = 1.0  # the expression scale it was made at (an edit keeps it)

    def summary(self) -> dict[str, Any]:
        """JSON-ready description: keyframes with times, values, explanations; file URLs."""
        anim, timeline = self.animation, self.animation.timeline
        timing = choose_timing([k.spec for k in anim.keyframes], [k.motion for k in anim.keyframes])
        base = f"/api/animations/{self.id}"
        return {
            "id": self.id,
            "background": anim.script.background,
            "emotion": anim.script.emotion,
            "fps": timeline.fps,
            "seed": anim.script.seed,
            "frames": timeline.frames,
            "duration": timeline.duration,
            "planned_by": anim.planned_by,
            "intensity": self.intensity,
            "keyframes": [
                {"index": i, "description": k.spec.description, "hold": hold, "duration": duration,
                 "time": t, "frame": min(round(t * timeline.fps), timeline.frames - 1),
                 "posed_by": k.backend, "values": {n: round(float(v), 4) for n, v in zip(CHANNELS, k.values)},
                 "explanation": [{"channel": c.channel, "value": round(float(c.value), 4), "words": c.words,
                                  "rule": c.rule, "kind": c.kind.value} for c in k.explanation],
                 "warnings": list(k.warnings), "motion": motion_dict(k.motion or Motion())}
                for i, (k, t, (hold, duration)) in enumerate(zip(anim.keyframes, timeline.key_times, timing))
            ],
            "files": {kind: f"{base}/files/{name}" for kind, name in DOWNLOADS.items()},
            "values_url": f"{base}/values",
            "frame_url": f"{base}/frames/{{n}}.jpg",
        }


class Studio:
    """Plans, poses, animates and edits; keeps results, files and face images in size-bounded LRU caches."""

    def __init__(self, backend: Backend | None = None, *, planner: Backend | None = None, life: bool = True,
                 cache_bytes: int = 256 * 2**20) -> None:
        self.backend = backend if backend is not None else get_backend("engine")
        self.planner = planner if planner is not None else self.backend
        self.life = life
        self.results: SizedLRU[Result] = SizedLRU(cache_bytes // 2)
        self.files: SizedLRU[bytes] = SizedLRU(cache_bytes // 4)
        self.frames: SizedLRU[bytes] = SizedLRU(cache_bytes // 4)

    # ------------------------------------------------------------ language questions

    def plan(self, background: str, emotion: str, keyframes: int | None = None) -> list[str]:
        """Background + emotion -> keyframe descriptions."""
        script = script_from_dict({"background": background, "emotion": emotion})
        planned, _ = Pipeline(self.backend, planner=self.planner, keyframes=keyframes).plan(script)
        return [k.description for k in planned.keyframes]

    def pose(self, description: str, background: str = "", emotion: str = "",
             intensity: float = 1.0) -> dict[str, Any]:
        """One description -> the 61 values by name, the explanation and warnings (at ``intensity``)."""
        if not description.strip():
            raise InputError("expected a non-empty keyframe description", field="description")
        x = check_intensity(intensity)
        script = Script(background=background, emotion=emotion, keyframes=(KeyframeSpec(description),))
        keyframe = apply_intensity(self.backend.pose(script, 0), x)
        return _keyframe_json(keyframe)

    # ------------------------------------------------------------ animations

    def animate(self, fields: Mapping[str, Any]) -> Result:
        """A script's fields (background, emotion, keyframes, fps, seed, intensity) -> a cached Result."""
        fields = dict(fields)
        intensity = check_intensity(fields.pop("intensity", 1.0))
        script = script_from_dict(fields)
        key = _digest({"animate": script_to_dict(script), "life": self.life, "intensity": intensity})
        cached = self.results.get(key)
        if cached is not None:
            return cached
        animation = Pipeline(self.backend, planner=self.planner, life=self.life, intensity=intensity).run(script)
        return self._keep(key, animation, intensity)

    def edit(self, id: str, index: int, spec: Mapping[str, Any]) -> Result:
        """Re-pose only keyframe ``index`` with new words/timing; the others are replayed unchanged."""
        base = self.get(id)
        anim = base.animation
        if not 0 <= index < len(anim.keyframes):
            raise InputError(f"{index} is not a keyframe index; expected 0..{len(anim.keyframes) - 1}",
                             field="index")
        fields = script_to_dict(anim.script)
        fields["keyframes"][index] = dict(spec)
        script = script_from_dict(fields)
        key = _digest({"edit": id, "index": index, "script": script_to_dict(script), "life": self.life})
        cached = self.results.get(key)
        if cached is not None:
            return cached
        others = {i: k for i, k in enumerate(anim.written or anim.keyframes) if i != index}  # as written
        replay = ReplayBackend(others, fallback=self.backend, name=self.backend.name)
        animation = Pipeline(replay, life=self.life, intensity=base.intensity).run(script)
        return self._keep(key, dataclasses.replace(animation, planned_by=anim.planned_by), base.intensity)

    def get(self, id: str) -> Result:
        """The result with this id, or NotFound."""
        result = self.results.get(id)
        if result is None:
            raise NotFound(f"no animation {id!r} (unknown, or dropped from the cache: animate again)")
        return result

    def values(self, id: str) -> dict[str, Any]:
        """The dense curves: fps, channel names and (frames, 61) values, rounded for JSON."""
        timeline = self.get(id).animation.timeline
        return {"fps": timeline.fps, "channels": list(CHANNELS), "key_times": list(timeline.key_times),
                "values": np.round(timeline.values, 4).tolist()}

    def values_json(self, id: str, chunk: int = 2048) -> Iterator[bytes]:
        """``values(id)`` as JSON text in pieces of ``chunk`` frames: memory bounded by a chunk, not the take."""
        timeline = self.get(id).animation.timeline
        head = {"fps": timeline.fps, "channels": list(CHANNELS), "key_times": list(timeline.key_times)}
        yield (json.dumps(head)[:-1] + ', "values": [').encode()
        values = timeline.values
        for start in range(0, len(values), chunk):
            rows = json.dumps(np.round(values[start:start + chunk], 4).tolist())[1:-1]
            yield ((", " if start else "") + rows).encode()
        yield b"]}"

    def file(self, id: str, kind: str) -> tuple[str, bytes]:
        """(file name, bytes) of a download (csv, json, jsonl, glb, mp4), written by the shared writers."""
        if kind not in DOWNLOADS:
            raise InputError(f"unknown download {kind!r}; expected one of {', '.join(DOWNLOADS)}", field="name")
        name = DOWNLOADS[kind]
        key = f"{id}/{name}"
        data = self.files.get(key)
        if data is None:
            animation = self.get(id).animation
            with tempfile.TemporaryDirectory(prefix="keyframeface-studio-") as tmp:
                data = write_file(Path(tmp) / name, animation).read_bytes()
            self.files.put(key, data, len(data))
        return name, data

    def frame(self, id: str, n: int, size: int = 256) -> bytes:
        """Frame ``n`` drawn by the preview rig (render/rig.py), as JPEG bytes."""
        if not FRAME_SIZES[0] <= size <= FRAME_SIZES[1]:
            raise InputError(f"{size} not in [{FRAME_SIZES[0]}, {FRAME_SIZES[1]}]", field="size")
        values = self.get(id).animation.timeline.values
        if not 0 <= n < len(values):
            raise InputError(f"{n} not in [0, {len(values) - 1}]", field="frame")
        # Keyed by the pose, not the id: an edit's unchanged frames are drawn once.
        key = hashlib.sha1(values[n].tobytes() + size.to_bytes(2, "big")).hexdigest()
        data = self.frames.get(key)
        if data is None:
            data = face_jpeg(values[n], size)
            self.frames.put(key, data, len(data))
        return data

    def _keep(self, key: str, animation: Animation, intensity: float = 1.0) -> Result:
        result = Result(key, animation, intensity)
        size = _result_bytes(animation)
        self.results.put(key, result, size)
        return result


def face_jpeg(values: np.ndarray, size: int = 256) -> bytes:
    """One pose (61,) drawn by the preview rig, JPEG-encoded."""
    from ..render.rig import draw_face

    buf = io.BytesIO()
    draw_face(values, size).convert("RGB").save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _keyframe_json(keyframe: Keyframe) -> dict[str, Any]:
    return {"values": {n: round(float(v), 4) for n, v in zip(CHANNELS, keyframe.values)},
            "explanation": [{"channel": c.channel, "value": round(float(c.value), 4), "words": c.words,
                             "rule": c.rule, "kind": c.kind.value} for c in keyframe.explanation],
            "warnings": list(keyframe.warnings), "posed_by": keyframe.backend,
            "motion": motion_dict(keyframe.motion or Motion())}


def _result_bytes(animation: Animation) -> int:
    """What a cached result holds, for the cache's byte bound: the curves, and each keyframe's words,
    values and explanation (Python objects: ~4 bytes a character, ~300 bytes an explanation line)."""
    script = animation.script
    words = len(script.background) + len(script.emotion) + sum(len(k.spec.description) for k in animation.keyframes)
    lines = sum(len(k.explanation) for k in animation.keyframes)
    return animation.timeline.values.nbytes + 4 * words + 300 * lines + 2048 * len(animation.keyframes) + 4096


def _digest(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
