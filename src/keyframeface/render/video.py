"""Write animations as MP4 (imageio-ffmpeg's bundled ffmpeg), GIF (Pillow) or PNG (a frame or a grid).

Every write is atomic: the file appears complete or not at all. MP4 goes through a
temp folder (ffmpeg needs a path) and then ``atomic_write_bytes``; GIF and PNG are
encoded into ``atomic_open``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from .._io import atomic_open, atomic_write_bytes
from ..channels import N_CHANNELS
from ..errors import InputError

__all__ = ["GRID_FRAMES", "VIDEO_SUFFIXES", "frame_grid", "write_frames", "write_side_by_side", "write_video"]

VIDEO_SUFFIXES = (".mp4", ".gif", ".png")
GRID_FRAMES = 12  # a multi-frame PNG shows this many evenly spaced frames
_LABEL_H = 22  # pixels of label strip above side-by-side panels


def write_video(path: str | os.PathLike, values: np.ndarray, fps: float, *, size: int = 256,
                progress: bool = True) -> Path:
    """Render (frames, 61) values to ``path`` (.mp4, .gif, or .png: one frame, else a grid)."""
    from .rig import render_frames

    values = _check(path, values)
    if Path(path).suffix.lower() == ".png":
        index = _grid_index(len(values))
        frames = list(render_frames(values[index], size))
        return _write_png(path, frames, [i / fps for i in index])
    return write_frames(path, render_frames(values, size), len(values), fps, (size, size), progress=progress)


def write_side_by_side(path: str | os.PathLike, a_values: np.ndarray, b_values: np.ndarray, fps: float, *,
                       labels: Sequence[str] = ("A", "B"), size: int = 256, progress: bool = True) -> Path:
    """Two animations side by side, frame-synchronised, each under its label.

    The shorter one holds its last frame until the longer one ends.
    """
    from .rig import render_frames

    a_values, b_values = _check(path, a_values), _check(path, b_values)
    n = max(len(a_values), len(b_values))
    a_values = a_values[np.minimum(np.arange(n), len(a_values) - 1)]
    b_values = b_values[np.minimum(np.arange(n), len(b_values) - 1)]
    strip = _label_strip(labels, size)
    index = _grid_index(n) if Path(path).suffix.lower() == ".png" else np.arange(n)

    def frames() -> Iterator[np.ndarray]:
        for fa, fb in zip(render_frames(a_values[index], size), render_frames(b_values[index], size)):
            yield np.concatenate([strip, np.concatenate([fa, fb], axis=1)], axis=0)

    if Path(path).suffix.lower() == ".png":
        return _write_png(path, list(frames()), [i / fps for i in index])
    return write_frames(path, frames(), n, fps, (2 * size, size + _LABEL_H), progress=progress)


def write_frames(path: str | os.PathLike, frames: Iterator[np.ndarray], count: int, fps: float,
                 frame_size: tuple[int, int], *, progress: bool = True) -> Path:
    """Encode an iterator of (H, W, 3) uint8 frames as .mp4 or .gif; ``frame_size`` is (W, H)."""
    path = Path(path)
    suffix = path.suffix.lower()
    bar = _progress(count, progress)
    frames = _counted(frames, bar.update)
    try:
        if suffix == ".mp4":
            _write_mp4(path, frames, fps, frame_size)
        elif suffix == ".gif":
            _write_gif(path, frames, fps)
        else:
            raise InputError(f"cannot write video to '{suffix}': expected one of .mp4, .gif", path=str(path))
    finally:
        bar.close()
    return path


def frame_grid(frames: Sequence[np.ndarray], captions: Sequence[str] = (), columns: int | None = None):
    """Tile (H, W, 3) frames into one PIL image, optional caption under each."""
    from PIL import Image, ImageDraw

    from .sheet import font

    h, w = frames[0].shape[:2]
    cols = columns or min(len(frames), 4)
    rows = -(-len(frames) // cols)
    cap_h = 20 if captions else 0
    grid = Image.new("RGB", (cols * w, rows * (h + cap_h)), "white")
    draw = ImageDraw.Draw(grid)
    f = font(13)
    for i, frame in enumerate(frames):
        x, y = (i % cols) * w, (i // cols) * (h + cap_h)
        grid.paste(Image.fromarray(frame), (x, y))
        if captions:
            draw.text((x + w / 2, y + h + 3), captions[i], fill=(40, 40, 40), font=f, anchor="ma")
    return grid


def _check(path: str | os.PathLike, values: np.ndarray) -> np.ndarray:
    """(frames, 61) float array with at least one frame, and a known suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in VIDEO_SUFFIXES:
        raise InputError(f"unknown output type '{suffix}': expected one of {', '.join(VIDEO_SUFFIXES)}",
                         path=str(path))
    values = np.atleast_2d(np.asarray(values, dtype=float))
    if values.ndim != 2 or values.shape[0] == 0 or values.shape[1] != N_CHANNELS:
        raise InputError(f"need (frames, 61) channel values, got shape {values.shape}", path=str(path))
    return values


def _grid_index(n: int) -> np.ndarray:
    """Frames a PNG shows: all of them up to GRID_FRAMES, else GRID_FRAMES evenly spaced."""
    return np.unique(np.linspace(0, n - 1, min(n, GRID_FRAMES)).round().astype(int))


def _write_png(path: str | os.PathLike, frames: list[np.ndarray], times: list[float]) -> Path:
    """One frame as is; several as a grid captioned with their times."""
    from PIL import Image

    image = Image.fromarray(frames[0]) if len(frames) == 1 else frame_grid(frames, [f"{t:.2f} s" for t in times])
    with atomic_open(path, "wb") as f:
        image.save(f, format="PNG")
    return Path(path)


def _write_mp4(path: Path, frames: Iterator[np.ndarray], fps: float, frame_size: tuple[int, int]) -> None:
    """H.264 yuv420p through imageio-ffmpeg's own ffmpeg, raw RGB frames piped in."""
    import imageio_ffmpeg

    with tempfile.TemporaryDirectory(prefix="keyframeface-") as tmp:
        out = Path(tmp) / "video.mp4"
        writer = imageio_ffmpeg.write_frames(
            str(out), frame_size, fps=fps, codec="libx264", pix_fmt_out="yuv420p", macro_block_size=2,
            quality=None, output_params=["-preset", "veryfast", "-crf", "20", "-movflags", "+faststart"],
        )
        writer.send(None)  # start ffmpeg
        try:
            for frame in frames:
                writer.send(np.ascontiguousarray(frame))
        finally:
            writer.close()
        atomic_write_bytes(path, out.read_bytes())


def _write_gif(path: Path, frames: Iterator[np.ndarray], fps: float) -> None:
    """Animated GIF, looping, one palette for all frames (built from a sample: no flicker, fast)."""
    from PIL import Image

    arrays = list(frames)
    sample = np.concatenate([arrays[i] for i in np.linspace(0, len(arrays) - 1, min(8, len(arrays))).astype(int)])
    palette = Image.fromarray(sample).quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    images = [Image.fromarray(a).quantize(palette=palette, dither=Image.Dither.NONE) for a in arrays]
    with atomic_open(path, "wb") as f:
        images[0].save(f, format="GIF", save_all=True, append_images=images[1:], duration=round(1000 / fps),
                       loop=0, optimize=False)


def _label_strip(labels: Sequence[str], size: int) -> np.ndarray:
    """(_LABEL_H, 2 * size, 3) white strip with each label centred over its panel."""
    from PIL import Image, ImageDraw

    from .sheet import font

    strip = Image.new("RGB", (2 * size, _LABEL_H), "white")
    draw = ImageDraw.Draw(strip)
    f = font(14)
    for i, label in enumerate(list(labels)[:2]):
        draw.text((size * i + size / 2, _LABEL_H / 2), label, fill=(30, 30, 30), font=f, anchor="mm")
    return np.asarray(strip)


def _progress(count: int, enabled: bool):
    """A tqdm bar on stderr that only shows once a render has run for a second, and only on a terminal
    (a log file or a pipe gets no bar lines)."""
    from .._console import progress_bar

    return progress_bar(count, "render", "frame", enabled=enabled, delay=1.0)


def _counted(frames: Iterator[np.ndarray], step: Callable[[int], object]) -> Iterator[np.ndarray]:
    """Pass frames through, ticking the progress bar."""
    for frame in frames:
        yield frame
        step(1)
