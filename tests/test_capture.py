"""Capture on real face videos (tests/fixtures/video): MediaPipe FaceLandmarker -> Live Link CSV."""

from __future__ import annotations

import numpy as np
import pytest

from keyframeface.errors import InputError

pytestmark = [pytest.mark.tracker, pytest.mark.slow]  # MediaPipe on real videos
pytest.importorskip("mediapipe", reason="mediapipe is not installed (pip install 'keyframeface[track]')")

from keyframeface.capture import OneEuro, capture
from keyframeface.channels import CHANNEL_INDEX, CHANNELS
from keyframeface.cli import main
from keyframeface.formats.livelink_csv import read_livelink_csv


def test_capture_cli_writes_one_row_per_frame_with_the_live_link_header(fixture_file, tmp_path):
    video = fixture_file("video", "carphone.mp4")
    out = tmp_path / "take.csv"
    assert main(["capture", str(video), "-o", str(out), "--quiet"]) == 0
    header = out.read_text().splitlines()[0].split(",")
    assert header[:2] == ["Timecode", "BlendShapeCount"] and header[2:] == list(CHANNELS)
    take = read_livelink_csv(out)
    assert len(take.values) == 120 and abs(take.fps - 29.97) < 0.05
    jaw = take.values[:, CHANNEL_INDEX["JawOpen"]]
    assert jaw.max() > 0.5 and jaw.min() < 0.1  # the man talks: the jaw opens and closes
    assert np.all(take.values[:, CHANNEL_INDEX["TongueOut"]] == 0)


def test_eye_yaw_follows_the_eye_look_blendshapes(fixture_file):
    cap = capture(fixture_file("video", "webcam_talking.mp4"), end=12)
    v = cap.values
    look_right = v[:, CHANNEL_INDEX["EyeLookInLeft"]] - v[:, CHANNEL_INDEX["EyeLookOutLeft"]]
    assert np.corrcoef(v[:, CHANNEL_INDEX["LeftEyeYaw"]], look_right)[0, 1] > 0.5


def test_start_end_and_smoothing(fixture_file):
    video = fixture_file("video", "carphone.mp4")
    part = capture(video, start=1.0, end=2.0)
    assert abs(len(part.values) - 30) <= 1
    raw = capture(video)
    smooth = OneEuro(raw.fps).filter(raw.values)
    assert np.abs(np.diff(smooth, axis=0)).mean() < np.abs(np.diff(raw.values, axis=0)).mean()


def test_a_clip_with_no_face_is_an_error_and_writes_nothing(fixture_file, tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["capture", str(fixture_file("video", "no_face.mp4")), "-o", str(out), "--quiet"]) == 2
    assert "no face" in capsys.readouterr().err and not out.exists()


def test_frames_without_a_face_are_held_and_counted(fixture_file, tmp_path):
    from PIL import Image

    from keyframeface.capture import read_frames

    _, _, frames = read_frames(fixture_file("video", "carphone.mp4"), end=0.5)
    folder = tmp_path / "frames"
    folder.mkdir()
    for i, frame in enumerate(frames):
        Image.fromarray(frame if i % 5 else np.zeros_like(frame)).save(folder / f"{i:04d}.png")
    cap = capture(folder)
    assert cap.missing == int(np.ceil(len(cap.values) / 5))
    assert not cap.detected[0] and cap.detected[1]
    np.testing.assert_array_equal(cap.values[5], cap.values[4])  # held from the last good frame
    assert cap.warnings() and "held" in cap.warnings()[0]


def test_unreadable_video_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video")
    with pytest.raises(InputError, match="bad.mp4"):
        capture(bad)


@pytest.mark.slow
def test_capture_to_keyframes_then_describe_round_trip(fixture_file, tmp_path):
    """Real captured keyframes -> descriptions -> the engine: the activations come back."""
    from keyframeface.backends.engine.pose import pose_text
    from keyframeface.describe import describe
    from keyframeface.evaluate import score
    from keyframeface.keyframes_extract import key_frames

    cap = capture(fixture_file("video", "pexels_emotions.mp4"))
    ex = key_frames(cap.values, cap.fps, keys=20)
    posed = np.stack([pose_text(describe(v), fallback=False).values for v in ex.values])
    s = score(posed, ex.values)
    assert s.f1 >= 0.75, s


def test_capture_to_a_folder_and_to_keyframes_json(fixture_file, tmp_path, capsys):
    import json

    video = fixture_file("video", "carphone.mp4")
    out = tmp_path / "out"
    assert main(["capture", str(video), "-o", str(out), "--no-preview", "--quiet", "--emotion", "Calm talk."]) == 0
    take = read_livelink_csv(out / "animation.csv")
    assert len(take.values) == 120
    doc = json.loads((out / "keyframes.json").read_text())
    assert doc["emotion"] == "Calm talk." and 2 <= len(doc["keyframes"]) <= 64
    for k, f in zip(doc["keyframes"], doc["extra"]["key_frames"]):  # keys are the take's own frames
        assert abs(k["values"]["JawOpen"] - take.values[f, CHANNEL_INDEX["JawOpen"]]) < 1e-6
    capsys.readouterr()
    assert main(["describe", str(out), "--json"]) == 0
    texts = json.loads(capsys.readouterr().out)
    assert len(texts) == len(doc["keyframes"]) and any("jaw" in t for t in texts)
    keys = tmp_path / "keys.json"
    assert main(["capture", str(video), "-o", str(keys), "--quiet"]) == 0
    assert main(["eval", str(keys), str(out / "keyframes.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["mae"] == 0.0  # same clip, same keys
