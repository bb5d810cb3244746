"""Capture enforces MAX_FRAMES (1 h at 60 fps) on long clips: refused before tracking when the header or the
folder says so, stopped with an error naming the file when the stream runs past it, nothing written either way.
The limit is monkeypatched down so that tiny real clips stand in for an hour of video."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from keyframeface import _limits
from keyframeface.capture import read_frames
from keyframeface.cli import main
from keyframeface.errors import InputError


def _run(args: list[str], capsys) -> tuple[int, str]:
    try:
        code = main(args)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def _folder(tmp_path: Path, n: int) -> Path:
    from PIL import Image

    folder = tmp_path / "frames"
    folder.mkdir()
    for i in range(n):
        Image.fromarray(np.full((16, 16, 3), 40 * i, np.uint8)).save(folder / f"{i:04d}.png")
    return folder


def _stream(tmp_path: Path, frames: int) -> Path:
    """A raw H.264 stream: ffmpeg reports no duration for it, so only counting the frames finds its length."""
    import imageio_ffmpeg

    path = tmp_path / "clip.h264"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc=size=64x48:rate=10", "-frames:v", str(frames), "-c:v", "libx264",
                    "-pix_fmt", "yuv420p", "-f", "h264", str(path)], check=True)
    return path


def test_an_image_folder_over_the_frame_limit_is_refused_before_reading_any_image(tmp_path, monkeypatch):
    folder = _folder(tmp_path, 5)
    monkeypatch.setattr(_limits, "MAX_FRAMES", 4)
    with pytest.raises(InputError, match="at most 4 frames") as err:
        read_frames(folder)
    assert err.value.path == str(folder)
    monkeypatch.setattr(_limits, "MAX_FRAMES", 5)  # at the limit is fine
    assert read_frames(folder)[1] == 5


def test_capture_cli_on_a_folder_over_the_limit_exits_2_and_writes_nothing(tmp_path, monkeypatch, capsys):
    folder = _folder(tmp_path, 5)
    monkeypatch.setattr(_limits, "MAX_FRAMES", 3)
    out = tmp_path / "out.csv"
    code, err = _run(["capture", str(folder), "-o", str(out), "--quiet"], capsys)
    assert code == 2
    assert "frames" in err and "at most 3" in err and str(folder) in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["frames"]


def test_a_stream_without_a_duration_stops_at_the_limit_naming_the_file(tmp_path, monkeypatch):
    clip = _stream(tmp_path, 10)
    _, count, frames = read_frames(clip)
    assert count is None and sum(1 for _ in frames) == 10  # the whole stream when under the limit
    monkeypatch.setattr(_limits, "MAX_FRAMES", 6)
    _, count, frames = read_frames(clip)
    got = []
    with pytest.raises(InputError, match="past 6 frames") as err:
        for frame in frames:
            got.append(frame)
    assert len(got) == 6 and err.value.path == str(clip)


def test_capture_cli_on_a_stream_past_the_limit_exits_2_and_writes_nothing(tmp_path, monkeypatch, capsys):
    clip = _stream(tmp_path, 10)
    monkeypatch.setattr(_limits, "MAX_FRAMES", 6)
    out = tmp_path / "out.csv"
    code, err = _run(["capture", str(clip), "-o", str(out), "--quiet"], capsys)
    assert code == 2 and "past 6 frames" in err and str(clip) in err
    assert not out.exists()
