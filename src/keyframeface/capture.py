"""Capture: a video of a real face (or a folder of images) -> 61 ARKit channels per frame.

MediaPipe FaceLandmarker (the model file ships in keyframeface, located by
``render.tracker.model_path``) gives 51 blendshapes by name (subject-side, as ARKit;
TongueOut stays 0), a facial transformation matrix (-> HeadYaw/Pitch/Roll in keyframeface's
signs) and 478 landmarks; the eye yaw/pitch come from the iris centres relative to each eye's
corners (an eyeball turning by angle a moves the iris by r sin a, r ~ 0.4 eye widths).

Decoding runs in ffmpeg's own process (``imageio-ffmpeg``), so it overlaps with detection;
the per-frame Python work is a few dozen attribute reads. Frames without a face hold the last
good frame (the first good one for a clip's leading frames) and are counted; a clip with no
face at all is an InputError. Optional One-Euro smoothing (Casiez, Roussel, Vogel, "1 Euro
Filter: a simple speed-based low-pass filter for noisy input in interactive systems", CHI 2012).
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import _limits
from .channels import CHANNEL_INDEX, HIGH, LOW, N_CHANNELS, canonical_name
from .errors import InputError

__all__ = ["IMAGE_SUFFIXES", "MAX_PIXELS", "Capture", "OneEuro", "capture", "check_options", "eye_angles",
           "read_frames"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff")
DEFAULT_IMAGE_FPS = 30.0
MIN_FPS, MAX_FPS = 1.0, 240.0  # frame rates a capture accepts (the CLI's --fps range; 240 = iPhone slow motion)
MAX_PIXELS = 8192 * 8192  # one frame or image: larger is refused (a decompression bomb, not a face photo)
_TRUNCATED_SHARE = 0.05  # warn when more than this share of the frames the header promises never came
_EYE_RADIUS = 0.42  # eyeball radius in eye widths (~12 mm / ~29 mm corner to corner)
# MediaPipe face-mesh indices: (iris centre, outer corner, inner corner) per subject side.
_RIGHT_EYE = (468, 33, 133)
_LEFT_EYE = (473, 263, 362)
_EYE_POINTS = np.array(sorted(set(_RIGHT_EYE + _LEFT_EYE)))
_POSE = [CHANNEL_INDEX[n] for n in ("HeadYaw", "HeadPitch", "HeadRoll")]
_EYES = [CHANNEL_INDEX[n] for n in ("LeftEyeYaw", "LeftEyePitch", "RightEyeYaw", "RightEyePitch")]


@dataclass(frozen=True)
class Capture:
    """One captured clip: (frames, 61) values in order A at ``fps``, and where a face was found."""

    values: np.ndarray  # (frames, 61) order A, held over frames without a face
    fps: float
    detected: np.ndarray  # (frames,) bool
    source: str
    expected: int | None = None  # frames the video's header promised (None: unknown or an image folder)

    @property
    def missing(self) -> int:
        """Frames without a face (held from the last good frame)."""
        return int((~self.detected).sum())

    def warnings(self) -> list[str]:
        """What the capture repaired or could not read, for stderr and keyframes.json."""
        found: list[str] = []
        short = (self.expected or 0) - len(self.detected)
        if self.expected and short > max(1, _TRUNCATED_SHARE * self.expected):
            found.append(f"{self.source}: the video's header promises {self.expected} frames but only "
                         f"{len(self.detected)} could be decoded: {short} frames missing (frames "
                         f"{len(self.detected) + 1}-{self.expected}, {short / self.fps:.2f} s; a truncated file?)")
        if self.missing:
            found.append(f"{self.source}: no face in {self.missing} of {len(self.detected)} frames "
                         "(held from the last frame with a face)")
        return found


def check_options(start: float | None = None, end: float | None = None, fps: float | None = None) -> None:
    """InputError naming the option when --start/--end/--fps are not finite or not in range (before any work)."""
    for name, value in (("--start", start), ("--end", end), ("--fps", fps)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(f"{value!r:.40} is not a finite number", field=name)
    if start is not None and start < 0:
        raise InputError(f"{start:g} is before the start of the clip", field="--start")
    if end is not None and end <= (start or 0.0):
        raise InputError(f"--end {end:g} must be after --start {start or 0:g}", field="--end")
    if fps is not None and not MIN_FPS <= fps <= MAX_FPS:
        raise InputError(f"{fps:g} not in [{MIN_FPS:g}, {MAX_FPS:g}] frames per second", field="--fps")


def _check_pixels(width: int, height: int, path: str) -> None:
    """InputError when one frame is larger than MAX_PIXELS (before it is decoded)."""
    if width * height > MAX_PIXELS:
        raise InputError(f"{width}x{height} pixels in one frame; at most {MAX_PIXELS:,} "
                         f"(8192x8192) are read", path=path)


def read_frames(path: str | os.PathLike, *, start: float | None = None, end: float | None = None,
                fps: float | None = None) -> tuple[float, int | None, Iterator[np.ndarray]]:
    """(fps, estimated frame count or None, iterator of (H, W, 3) uint8 RGB frames) of a video or image folder."""
    check_options(start, end, fps)
    p = Path(path)
    if p.is_dir():
        return _image_frames(p, start=start, end=end, fps=fps or DEFAULT_IMAGE_FPS)
    if not p.is_file():
        raise InputError("no such video file or image folder", path=str(p))
    import imageio_ffmpeg

    input_params = ["-ss", f"{start:.3f}"] if start else []
    output_params = ["-t", f"{end - (start or 0.0):.3f}"] if end is not None else []
    gen = imageio_ffmpeg.read_frames(str(p), input_params=input_params, output_params=output_params)
    try:
        meta = next(gen)
    except (RuntimeError, OSError, StopIteration) as exc:
        gen.close()
        first = str(exc).strip().splitlines()[-1:] or ["ffmpeg could not read it"]
        raise InputError(f"cannot read this video: {first[0][:200]}", path=str(p)) from None
    rate = float(fps or meta.get("fps") or 0)
    if not (math.isfinite(rate) and rate > 0):
        gen.close()
        raise InputError("the video has no frame rate; give --fps", path=str(p))
    if not MIN_FPS <= rate <= MAX_FPS:
        gen.close()
        raise InputError(f"the video says {rate:g} frames per second, not in [{MIN_FPS:g}, {MAX_FPS:g}]; "
                         "give --fps", path=str(p))
    width, height = meta["size"]
    try:
        _check_pixels(width, height, str(p))
    except InputError:
        gen.close()
        raise
    duration = meta.get("duration")
    if end is not None and duration:
        duration = min(duration, end)
    if duration and start:
        duration = max(0.0, duration - start)
    count = round(duration * rate) if duration else None
    try:
        _check_length(count, rate, str(p))
    except InputError:
        gen.close()
        raise

    def frames() -> Iterator[np.ndarray]:
        try:
            for i, raw in enumerate(gen):
                _check_length(i + 1, rate, str(p), header=False)  # the header may say less than the stream has
                yield np.frombuffer(raw, np.uint8).reshape(height, width, 3)
        except RuntimeError as exc:
            raise InputError(f"ffmpeg failed while decoding: {str(exc).strip()[:200]}", path=str(p)) from None
        finally:
            gen.close()

    return rate, count, frames()


def _check_length(count: int | None, fps: float, path: str, header: bool = True) -> None:
    """InputError naming the file when a clip has more than MAX_FRAMES frames (1 h at 60 fps)."""
    if count is not None and count > _limits.MAX_FRAMES:
        said = f"has about {count:,} frames" if header else f"goes on past {_limits.MAX_FRAMES:,} frames"
        raise InputError(f"the clip {said} ({count / fps:,.0f} s at {fps:g} fps); at most "
                         f"{_limits.MAX_FRAMES:,} frames are captured (1 h at 60 fps): give --start/--end",
                         path=path)


def _image_frames(folder: Path, *, start: float | None, end: float | None,
                  fps: float) -> tuple[float, int, Iterator[np.ndarray]]:
    files = sorted(f for f in folder.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
    first = round((start or 0.0) * fps)
    files = files[first:round(end * fps) if end is not None else None]
    if not files:
        raise InputError(f"no images ({', '.join(IMAGE_SUFFIXES)}) in the folder (or in --start/--end)",
                         path=str(folder))
    _check_length(len(files), fps, str(folder))

    def frames() -> Iterator[np.ndarray]:
        from PIL import Image, UnidentifiedImageError

        for f in files:
            try:
                with warnings.catch_warnings():  # our own, lower cap says it (Pillow warns from 89 MP)
                    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                    im = Image.open(f)  # lazy: the header only
                with im:
                    _check_pixels(*im.size, str(f))
                    frame = np.asarray(im.convert("RGB"))
            except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
                raise InputError(f"cannot read this image: {exc}", path=str(f)) from None
            yield frame

    return fps, len(files), frames()


def capture(path: str | os.PathLike, *, start: float | None = None, end: float | None = None,
            fps: float | None = None, smooth: bool = False, progress: bool = False) -> Capture:
    """Track every frame of a video (or image folder) into 61 channels; InputError when no frame has a face."""
    check_options(start, end, fps)
    rate, count, frames = read_frames(path, start=start, end=end, fps=fps)
    values, detected = _track(frames, rate, _bar(count, progress))
    if not len(values):
        raise InputError("the clip has no frames (or none between --start and --end)", path=str(path))
    if not detected.any():
        raise InputError(f"no face found in any of its {len(values)} frames", path=str(path))
    values = _hold_missing(values, detected)
    if smooth:
        values = np.clip(OneEuro(rate).filter(values), LOW, HIGH)
    expected = count if fps is None and not Path(path).is_dir() else None  # --fps relabels: no promise to check
    return Capture(values=values, fps=rate, detected=detected, source=os.fspath(path), expected=expected)


def _bar(count: int | None, enabled: bool) -> Callable[[], None] | None:
    if not enabled:
        return None
    from ._console import progress_bar

    bar = progress_bar(count, "capture", "frame")
    return lambda: bar.update(1)


def _track(frames: Iterator[np.ndarray], fps: float, tick: Callable[[], None] | None) -> tuple[np.ndarray, np.ndarray]:
    """(values (n, 61) with NaN rows where no face, detected (n,)) from MediaPipe in VIDEO mode."""
    from .render.tracker import _head_angles, video_landmarker

    mp, landmarker = video_landmarker("capture (face tracking)")
    index: dict[str, int] = {}  # MediaPipe category name -> our channel (found once, by name)
    rows: list[np.ndarray] = []
    found: list[bool] = []
    eye_xy = np.zeros((len(_EYE_POINTS), 2))
    with landmarker as tracker:
        for i, frame in enumerate(frames):
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(frame))
            result = tracker.detect_for_video(image, round(i * 1000.0 / fps))
            row = np.full(N_CHANNELS, np.nan)
            ok = bool(result.face_blendshapes)
            if ok:
                row[:52] = 0.0
                for category in result.face_blendshapes[0]:
                    c = index.get(category.category_name)
                    if c is None:
                        name = canonical_name(category.category_name)
                        c = index[category.category_name] = CHANNEL_INDEX[name] if name is not None else -1
                    if c >= 0:
                        row[c] = category.score
                row[52:] = 0.0
                if result.facial_transformation_matrixes:
                    row[_POSE] = _head_angles(np.asarray(result.facial_transformation_matrixes[0]))
                marks = result.face_landmarks[0]
                if len(marks) > _EYE_POINTS[-1]:
                    for j, k in enumerate(_EYE_POINTS):
                        eye_xy[j] = marks[k].x * frame.shape[1], marks[k].y * frame.shape[0]
                    row[_EYES] = eye_angles(dict(zip(_EYE_POINTS.tolist(), eye_xy)))
            rows.append(row)
            found.append(ok)
            if tick:
                tick()
    return np.array(rows).reshape(-1, N_CHANNELS), np.array(found, dtype=bool)


def eye_angles(points: dict[int, np.ndarray]) -> tuple[float, float, float, float]:
    """(LeftEyeYaw, LeftEyePitch, RightEyeYaw, RightEyePitch) radians from pixel landmarks (iris + corners).

    Each eye's frame: x along its corners toward the image right (the subject's left in a
    front view), y perpendicular, image-down; the iris offset from the corners' midpoint in
    eye widths is r sin(angle). Signs: yaw positive toward the subject's right (the iris moves
    image-left), pitch positive up (the iris moves image-up).
    """
    out = []
    for iris, outer, inner in (_LEFT_EYE, _RIGHT_EYE):
        a, b = points[outer], points[inner]
        x_axis = (a - b) if a[0] > b[0] else (b - a)
        width = float(np.hypot(*x_axis)) or 1.0
        ex = x_axis / width
        ey = np.array([-ex[1], ex[0]])
        d = points[iris] - 0.5 * (a + b)
        u, v = float(d @ ex) / width, float(d @ ey) / width
        out += [math.asin(max(-1.0, min(1.0, -u / _EYE_RADIUS))), math.asin(max(-1.0, min(1.0, -v / _EYE_RADIUS)))]
    return out[0], out[1], out[2], out[3]


def _hold_missing(values: np.ndarray, detected: np.ndarray) -> np.ndarray:
    """Rows without a face take the last row with one (leading rows the first good one)."""
    idx = np.where(detected, np.arange(len(detected)), -1)
    idx = np.maximum.accumulate(idx)
    idx[idx < 0] = int(np.flatnonzero(detected)[0])
    out = values[idx]
    return np.clip(np.nan_to_num(out), LOW, HIGH)


class OneEuro:
    """One-Euro filter over (frames, channels): a low-pass whose cutoff rises with speed (less lag when moving)."""

    def __init__(self, fps: float, min_cutoff: float = 1.5, beta: float = 0.3, d_cutoff: float = 1.0) -> None:
        self.fps, self.min_cutoff, self.beta, self.d_cutoff = fps, min_cutoff, beta, d_cutoff

    def _alpha(self, cutoff: np.ndarray | float) -> np.ndarray | float:
        tau = 1.0 / (2 * math.pi * cutoff)
        return 1.0 / (1.0 + tau * self.fps)

    def filter(self, x: np.ndarray) -> np.ndarray:
        """The filtered copy of ``x`` (frames, channels)."""
        x = np.asarray(x, dtype=float)
        out = np.empty_like(x)
        if not len(x):
            return out
        prev, dprev = x[0].copy(), np.zeros(x.shape[1])
        out[0] = prev
        a_d = self._alpha(self.d_cutoff)
        for i in range(1, len(x)):
            dx = (x[i] - prev) * self.fps
            dprev = a_d * dx + (1 - a_d) * dprev
            a = self._alpha(self.min_cutoff + self.beta * np.abs(dprev))
            prev = a * x[i] + (1 - a) * prev
            out[i] = prev
        return out
