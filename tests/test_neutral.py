"""Neutral calibration (issue 16 item 3) on the real iPhone take and a real captured video."""

from __future__ import annotations

import json

import numpy as np
import pytest

from keyframeface.channels import CHANNEL_INDEX, N_BLENDSHAPES
from keyframeface.cli import main
from keyframeface.formats.livelink_csv import read_livelink_csv, write_livelink_csv
from keyframeface.neutral import calibrate, estimate_neutral, read_neutral, resolve_neutral, uncalibrate

OFFSETS = {"EyeSquintLeft": 0.25, "EyeSquintRight": 0.25, "BrowDownLeft": 0.15, "HeadYaw": 0.2, "HeadRoll": -0.1,
           "LeftEyeYaw": 0.15, "RightEyeYaw": 0.15}


@pytest.fixture(scope="module")
def take():
    from conftest import fixture_path

    path = fixture_path("livelink_csv", "rom_take_a.csv")
    return read_livelink_csv(path)


def _offset(values: np.ndarray) -> np.ndarray:
    """The take as a tracker with a resting squint, a lowered brow, a turned head and gaze would read it."""
    out = values.copy()
    for name, x in OFFSETS.items():
        out[:, CHANNEL_INDEX[name]] += x
    out[:, :N_BLENDSHAPES] = np.clip(out[:, :N_BLENDSHAPES], 0, 1)
    return np.clip(out, -1, 1)


def test_auto_finds_a_resting_offset_and_calibration_removes_it(take):
    before = estimate_neutral(take.values, take.fps)
    shifted = _offset(take.values)
    after = estimate_neutral(shifted, take.fps)
    for name, x in OFFSETS.items():
        assert after[CHANNEL_INDEX[name]] - before[CHANNEL_INDEX[name]] == pytest.approx(x, abs=0.02), name
    a, b = calibrate(take.values, before), calibrate(shifted, after)
    assert float(np.abs(a - b).mean()) < 0.1 * float(np.abs(take.values - shifted).mean())
    # the calm frames read (nearly) zero once calibrated: the rest is gone, the expressions stay
    total = shifted[:, :N_BLENDSHAPES].sum(axis=1)
    calm = total <= np.quantile(total, 0.25)
    assert b[calm, :N_BLENDSHAPES].sum(axis=1).mean() < 0.5 * total[calm].mean()
    assert b[:, CHANNEL_INDEX["JawOpen"]].max() > 0.5


def test_uncalibrate_undoes_it_wherever_the_take_was_at_or_above_rest(take):
    neutral = resolve_neutral("auto", take.values, take.fps)
    back = uncalibrate(calibrate(take.values, neutral), neutral)
    bs, rest = take.values[:, :N_BLENDSHAPES], neutral.values[:N_BLENDSHAPES]
    above = bs >= rest
    assert np.abs(back[:, :N_BLENDSHAPES] - bs)[above].max() < 1e-9
    np.testing.assert_allclose(back[:, :N_BLENDSHAPES][~above], np.broadcast_to(rest, bs.shape)[~above], atol=1e-9)
    np.testing.assert_allclose(back[:, N_BLENDSHAPES:], take.values[:, N_BLENDSHAPES:], atol=1e-9)  # angles: exact


def test_seconds_and_file_and_bad_specs(take, tmp_path):
    first = resolve_neutral("2", take.values, take.fps)
    np.testing.assert_allclose(first.values[:N_BLENDSHAPES],
                               np.clip(np.median(take.values[:60, :N_BLENDSHAPES], axis=0), 0, 0.9))
    rest = tmp_path / "rest.csv"
    write_livelink_csv(rest, take.values[:60], take.fps)
    np.testing.assert_allclose(resolve_neutral(str(rest), take.values, take.fps).values, first.values, atol=1e-6)
    from keyframeface.errors import InputError

    for bad in ("-1", "9999", "nope.json", "soon"):
        with pytest.raises(InputError, match="--neutral"):
            resolve_neutral(bad, take.values, take.fps)
    broken = tmp_path / "n.neutral.json"
    broken.write_text(json.dumps({"format": "keyframeface-neutral", "values": {"JawOpen": 0.1}}))
    with pytest.raises(InputError, match="missing"):
        read_neutral(broken)


def test_keyframes_and_describe_relative_to_the_resting_face(take, tmp_path, capsys):
    shifted = tmp_path / "shifted.csv"
    write_livelink_csv(shifted, _offset(take.values[:900]), take.fps)
    assert main(["describe", str(shifted), "--json", "--perspective", "channels"]) == 0  # every key in full
    raw = json.loads(capsys.readouterr().out)
    assert main(["describe", str(shifted), "--json", "--perspective", "channels", "--neutral", "auto"]) == 0
    calibrated = json.loads(capsys.readouterr().out)
    original = tmp_path / "original.csv"
    write_livelink_csv(original, take.values[:900], take.fps)
    assert main(["describe", str(original), "--json", "--perspective", "channels", "--neutral", "auto"]) == 0
    expected = json.loads(capsys.readouterr().out)

    def squints(texts: list[str]) -> int:
        return sum("eyes squint" in t or "eye squints" in t for t in texts)

    assert squints(raw) == len(raw)  # the resting squint is said on every key
    assert squints(calibrated) <= squints(expected) + 2 < len(raw)  # calibrated: as often as without the offset
    keys = tmp_path / "keyframes.json"
    assert main(["keyframes", str(shifted), "-o", str(keys), "--neutral", "auto"]) == 0
    doc = json.loads(keys.read_text())
    stored = doc["extra"]["neutral"]
    assert stored["method"] == "auto" and stored["values"]["EyeSquintLeft"] > 0.2
    # undo: the keys come back as the take's own frames
    neutral = read_neutral(keys)
    for key, frame in zip(doc["keyframes"][:5], doc["extra"]["key_frames"]):
        values = np.array(list(key["values"].values()))
        np.testing.assert_allclose(uncalibrate(values, neutral)[CHANNEL_INDEX["JawOpen"]],
                                   max(_offset(take.values[:900])[frame, CHANNEL_INDEX["JawOpen"]],
                                       neutral.values[CHANNEL_INDEX["JawOpen"]]), atol=1e-6)


def test_dataset_build_calibrates_each_item_and_stores_it(take, tmp_path, capsys):
    shifted = tmp_path / "shifted.csv"
    write_livelink_csv(shifted, _offset(take.values[:600]), take.fps)
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(json.dumps({"id": "a", "take": str(shifted), "background": "b", "emotion": "e"}) + "\n")
    data = tmp_path / "data"
    assert main(["dataset", "build", str(manifest), "-o", str(data), "--workers", "1", "--neutral", "auto"]) == 0
    clip = data / json.loads((data / "manifest.jsonl").read_text().splitlines()[0])["path"]
    sidecar = read_neutral(clip / "take.neutral.json")
    assert sidecar.values[CHANNEL_INDEX["HeadYaw"]] == pytest.approx(0.2, abs=0.05)
    assert json.loads((clip / "keyframes.json").read_text())["extra"]["neutral"]["method"] == "auto"
    calibrated = read_livelink_csv(clip / "take.csv").values
    assert abs(float(np.median(calibrated[:, CHANNEL_INDEX["HeadYaw"]]))) < 0.05
    # a calibrated take is not calibrated twice
    assert main(["keyframes", str(clip / "take.csv"), "-o", str(tmp_path / "k.json"), "--neutral", "auto"]) == 2
    assert "already calibrated" in capsys.readouterr().err
    assert main(["dataset", "build", str(manifest), "-o", str(tmp_path / "d2"), "--neutral", "nope"]) == 2
    assert not (tmp_path / "d2").exists()


@pytest.mark.tracker
@pytest.mark.slow
def test_capture_neutral_writes_the_calibrated_take_and_its_sidecar(fixture_file, tmp_path):
    pytest.importorskip("mediapipe", reason="mediapipe is not installed (pip install 'keyframeface[track]')")
    from keyframeface.capture import capture
    video = fixture_file("video", "carphone.mp4")
    out = tmp_path / "take.csv"
    assert main(["capture", str(video), "-o", str(out), "--quiet", "--neutral", "auto"]) == 0
    neutral = read_neutral(tmp_path / "take.neutral.json")
    raw = capture(video).values
    assert neutral.method == "auto"
    np.testing.assert_allclose(neutral.values, estimate_neutral(raw, 29.97), atol=1e-6)
    calibrated = read_livelink_csv(out).values
    back = uncalibrate(calibrated, neutral)
    above = raw[:, :N_BLENDSHAPES] >= neutral.values[:N_BLENDSHAPES]
    assert np.abs(back[:, :N_BLENDSHAPES] - raw[:, :N_BLENDSHAPES])[above].max() < 1e-6
    folder = tmp_path / "out"
    assert main(["capture", str(video), "-o", str(folder), "--quiet", "--no-preview", "--neutral", "0.5"]) == 0
    assert read_neutral(folder / "animation.neutral.json").method == "first 0.5 s"
    assert json.loads((folder / "keyframes.json").read_text())["extra"]["neutral"]["method"] == "first 0.5 s"
