"""`render --3d`: the 3D head rendered by headless Chromium into a video (skips, saying why, without the parts)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi, uvicorn) is not installed")

from keyframeface.channels import CHANNEL_INDEX
from keyframeface.cli import main
from keyframeface.errors import MissingExtra
from keyframeface.formats.livelink_csv import write_livelink_csv
from keyframeface.web.render3d import _requirements

pytestmark = pytest.mark.slow


def _ready() -> str | None:
    try:
        _requirements()
    except MissingExtra as exc:
        return str(exc)
    return None


@pytest.mark.skipif(_ready() is not None, reason=f"{_ready()}")
def test_render_3d_draws_the_head_moving(tmp_path):
    import imageio_ffmpeg

    values = np.zeros((12, 61))
    values[:, CHANNEL_INDEX["JawOpen"]] = np.linspace(0, 1, 12)
    write_livelink_csv(tmp_path / "take.csv", values, 30)
    assert main(["render", str(tmp_path / "take.csv"), "-o", str(tmp_path / "head.mp4"), "--3d", "--size", "128"]) == 0
    reader = imageio_ffmpeg.read_frames(str(tmp_path / "head.mp4"))
    meta = next(reader)
    frames = [np.frombuffer(f, np.uint8).reshape(128, 128, 3) for f in reader]
    assert meta["size"] == (128, 128) and len(frames) == 12
    assert np.abs(frames[0].astype(int) - frames[-1]).mean() > 1  # the jaw opened
    assert frames[0].std() > 10  # a head, not a blank canvas


def test_render_3d_refuses_what_it_cannot_write(tmp_path, capsys):
    write_livelink_csv(tmp_path / "take.csv", np.zeros((2, 61)), 30)
    assert main(["render", str(tmp_path / "take.csv"), "-o", str(tmp_path / "head.png"), "--3d"]) == 2
    assert "--3d" in capsys.readouterr().err
    assert main(["render", str(tmp_path / "take.csv"), "-o", str(tmp_path / "h.mp4"), "--3d", "--compare",
                 str(tmp_path / "take.csv")]) == 2
