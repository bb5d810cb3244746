"""Read renders back with a real face tracker: MediaPipe FaceLandmarker (an independent check of the rig).

The FaceLandmarker model file ships inside keyframeface (``assets/``, sha256-checked; docs/formats.md §6);
mediapipe comes with the ``track`` extra. The tracker
gives 51 of the 52 blendshapes (no TongueOut) and a head transform, from which we take
HeadYaw/HeadPitch/HeadRoll in keyframeface's signs. Eye yaw/pitch/roll stay NaN.

Its blendshape head never outputs cheekPuff (google-ai-edge/mediapipe#4436) or noseSneer
(#4450), and reads cheekSquint, jawLeft/Right/Forward and mouthClose ~0 on our rig, so
:func:`face_measures` reads those channels from the 478 face-mesh landmarks instead: small
distances in inter-ocular units (outer eye corners 33-263) in a frame that turns with the
eye line, so head size and roll drop out. Landmark sides follow the image: in an unmirrored
front view the subject's left is the image right (larger x), e.g. 263 is the subject's left
outer eye corner and 33 the right one (checked on renders: JawLeft moves the chin 152 to
larger x, CheekSquintLeft lifts lid 374 most). What the mesh follows on our rig, measured
in bench/bench_tracker.py: the puffed cheek outline, the lower lid that CheekSquint lifts
(not the drawn cheek), the chin's sideways shift, the lip gap; JawForward only as the rig's
front-view proxy (a longer chin below the lower lip; the mesh z does not follow it); the
nostrils hardly move with NoseSneer (~0.005-0.012 inter-ocular, below the refit noise).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from pathlib import Path

import numpy as np

from ..channels import CHANNEL_INDEX, N_CHANNELS, canonical_name
from ..errors import MissingExtra

__all__ = ["LANDMARK_READS", "Tracked", "face_measures", "model_path", "sweep", "sweep_tracked", "track",
           "track_frames", "track_landmarks"]

N_LANDMARKS = 478  # MediaPipe face mesh points (468 face + 10 iris)

# Channel -> (measure of face_measures, sign with which the channel moves it).
LANDMARK_READS = {
    "CheekPuff": ("cheek_width", 1.0),
    "NoseSneerLeft": ("nostril_lift_left", 1.0),
    "NoseSneerRight": ("nostril_lift_right", 1.0),
    "CheekSquintLeft": ("lower_lid_left", 1.0),
    "CheekSquintRight": ("lower_lid_right", 1.0),
    "JawLeft": ("jaw_shift", 1.0),
    "JawRight": ("jaw_shift", -1.0),
    "JawForward": ("chin_length", 1.0),  # the rig's front-view proxy: a longer chin, lips shut
    "MouthClose": ("lip_gap", -1.0),  # with the jaw held open
}

# MediaPipe face-mesh indices (subject's left = image right).
_EYE_OUTER_R, _EYE_OUTER_L = 33, 263  # outer eye corners: the inter-ocular distance and the eye line
_EYE_INNER_R, _EYE_INNER_L = 133, 362
_LOWER_LID_R, _LOWER_LID_L = 145, 374  # middle of the lower lids
_CHEEK_R, _CHEEK_L = 213, 433  # lower cheeks at mouth height, where a puff bulges the face outline
_NOSTRIL_R, _NOSTRIL_L = 98, 327  # outer edges of the nostrils
_NOSE_BRIDGE, _CHIN = 168, 152  # the midline between the eyes; the bottom of the chin
_LIP_UPPER, _LIP_LOWER = 13, 14  # inner edges of the lips on the midline
_LIP_BOTTOM = 17  # outer (lower) edge of the lower lip on the midline


def model_path() -> Path:
    """Path of MediaPipe's ``face_landmarker.task``, shipped in keyframeface's assets (checked against its sha256)."""
    from ..assets import asset_path

    return asset_path("face_landmarker.task")


@dataclass(frozen=True)
class Tracked:
    """One tracked clip: blendshape/pose read-back, the face mesh, and where a face was found."""

    values: np.ndarray  # (n, 61) order A; NaN where no face or no reading
    landmarks: np.ndarray  # (n, 478, 3) normalised image x, y (0..1, y down) and relative depth z; NaN where no face
    detected: np.ndarray  # (n,) bool


def video_landmarker(what: str) -> tuple[Any, Any]:
    """(the mediapipe module, a FaceLandmarker in VIDEO mode with blendshapes and head matrices, unopened);
    ``what`` names the feature in the MissingExtra error when mediapipe is absent."""
    try:
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision
    except ImportError as exc:
        raise MissingExtra(what, "track", "mediapipe") from exc
    options = vision.FaceLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path())),
        running_mode=vision.RunningMode.VIDEO,
        output_face_blendshapes=True,
        output_facial_transformation_matrixes=True,
    )
    return mp, vision.FaceLandmarker.create_from_options(options)


def track(frames: Iterable[np.ndarray], fps: float = 30.0) -> Tracked:
    """Track (H, W, 3) uint8 RGB frames in VIDEO mode: blendshapes, head pose and the 478 landmarks per frame."""
    mp, landmarker = video_landmarker("face tracking")
    rows, meshes, found = [], [], []
    with landmarker as tracker:
        for i, frame in enumerate(frames):
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(frame, dtype=np.uint8))
            result = tracker.detect_for_video(image, round(i * 1000.0 / fps))
            row = np.full(N_CHANNELS, np.nan)
            mesh = np.full((N_LANDMARKS, 3), np.nan)
            if result.face_landmarks:
                mesh[:] = [(p.x, p.y, p.z) for p in result.face_landmarks[0][:N_LANDMARKS]]
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
            meshes.append(mesh)
            found.append(bool(result.face_blendshapes))
    return Tracked(np.array(rows).reshape(-1, N_CHANNELS), np.array(meshes).reshape(-1, N_LANDMARKS, 3),
                   np.array(found, dtype=bool))


def track_frames(frames: Iterable[np.ndarray], fps: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """Track (H, W, 3) uint8 RGB frames in VIDEO mode.

    Returns (values (n, 61) order A, NaN where no face or no reading; detected (n,) bool).
    """
    tracked = track(frames, fps)
    return tracked.values, tracked.detected


def track_landmarks(frames: Iterable[np.ndarray], fps: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """Track frames; returns (landmarks (n, 478, 3) normalised x, y, z, NaN where no face; detected (n,) bool)."""
    tracked = track(frames, fps)
    return tracked.landmarks, tracked.detected


def face_measures(landmarks: np.ndarray) -> dict[str, np.ndarray]:
    """Geometric read-back of (n, 478, 3) landmarks: each measure (n,) in inter-ocular units, NaN where no face.

    cheek_width: lower cheek to lower cheek (213-433). nostril_lift_left/right: nostril edge
    (327 / 98) height above the eye line. lower_lid_left/right: lower-lid middle (374 / 145)
    height above the line through its eye's corners (negative: the lid hangs below it).
    jaw_shift: chin (152) toward the subject's left (image right) of the nose bridge (168).
    chin_length: lower lip's lower edge to chin (17-152). lip_gap: inner lip to inner lip on the midline (13-14).
    """
    xy = np.asarray(landmarks, dtype=float)[..., :2]  # (n, 478, 2)
    across = xy[:, _EYE_OUTER_L] - xy[:, _EYE_OUTER_R]  # (n, 2) subject's right -> left eye corner
    iod = np.linalg.norm(across, axis=1)  # (n,)
    ex = across / iod[:, None]
    ey = np.stack([-ex[:, 1], ex[:, 0]], axis=1)  # down the face, perpendicular to the eye line
    eye_mid = 0.5 * (xy[:, _EYE_OUTER_L] + xy[:, _EYE_OUTER_R])

    def along(point: int, origin: np.ndarray, axis: np.ndarray) -> np.ndarray:
        return np.sum((xy[:, point] - origin) * axis, axis=1) / iod

    def dist(a: int, b: int) -> np.ndarray:
        return np.linalg.norm(xy[:, a] - xy[:, b], axis=1) / iod

    def lid(lower: int, inner: int, outer: int) -> np.ndarray:
        return -along(lower, 0.5 * (xy[:, inner] + xy[:, outer]), ey)

    return {
        "cheek_width": dist(_CHEEK_R, _CHEEK_L),
        "nostril_lift_left": -along(_NOSTRIL_L, eye_mid, ey),
        "nostril_lift_right": -along(_NOSTRIL_R, eye_mid, ey),
        "lower_lid_left": lid(_LOWER_LID_L, _EYE_INNER_L, _EYE_OUTER_L),
        "lower_lid_right": lid(_LOWER_LID_R, _EYE_INNER_R, _EYE_OUTER_R),
        "jaw_shift": along(_CHIN, xy[:, _NOSE_BRIDGE], ex),
        "chin_length": dist(_LIP_BOTTOM, _CHIN),
        "lip_gap": dist(_LIP_UPPER, _LIP_LOWER),
    }


def sweep(targets: dict[str, float], levels: np.ndarray, *, base: np.ndarray | None = None,
          size: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Render ``base`` plus ``targets`` scaled by each level, and track the frames as one clip.

    Returns (inputs (levels, 61), tracker read-back (levels, 61)).
    """
    inputs, tracked = sweep_tracked(targets, levels, base=base, size=size)
    return inputs, tracked.values


def sweep_tracked(targets: dict[str, float], levels: np.ndarray, *, base: np.ndarray | None = None,
                  size: int = 256) -> tuple[np.ndarray, Tracked]:
    """:func:`sweep`, returning the whole :class:`Tracked` (landmarks too): (inputs (levels, 61), tracked)."""
    from .rig import render_frames

    inputs = np.repeat(np.zeros(N_CHANNELS)[None] if base is None else np.asarray(base, float)[None],
                       len(levels), axis=0)
    for name, value in targets.items():
        inputs[:, CHANNEL_INDEX[name]] += value * np.asarray(levels)
    return inputs, track(render_frames(inputs, size))


def _head_angles(matrix: np.ndarray) -> tuple[float, float, float]:
    """(yaw, pitch, roll) radians in keyframeface's signs from MediaPipe's 4x4 face transform.

    MediaPipe's face frame: x toward the image right, y up, z toward the camera.
    """
    r = matrix[:3, :3] / np.linalg.norm(matrix[:3, 0])
    yaw = float(np.arctan2(r[0, 2], r[2, 2]))  # turning to the subject's right moves the nose to image-left
    pitch = float(np.arcsin(np.clip(-r[1, 2], -1.0, 1.0)))
    roll = float(np.arctan2(r[1, 0], r[0, 0]))
    return -yaw, -pitch, roll
