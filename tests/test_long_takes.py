"""Long takes (issue 16 item 2): extracted keys are not cut to the 64-key script limit, never reduced silently."""

from __future__ import annotations

import json

import numpy as np
import pytest

from keyframeface.cli import main
from keyframeface.formats.keyframes_json import read_keyframes_json
from keyframeface.formats.livelink_csv import read_livelink_csv, write_livelink_csv
from keyframeface.keyframes_extract import key_frames

pytestmark = pytest.mark.slow  # servers, timeouts and long takes: seconds each; the full suite runs them


@pytest.fixture(scope="module")
def take_path():
    from conftest import fixture_path

    path = fixture_path("livelink_csv", "rom_take_a.csv")
    return path


@pytest.fixture(scope="module")
def take(take_path):
    return read_livelink_csv(take_path)


def test_a_two_minute_take_keeps_every_key_it_asks_for(take):
    seconds = len(take.values) / take.fps
    assert seconds > 120
    by_rate = key_frames(take.values, take.fps, rate=3)
    assert len(by_rate.frames) == round(3 * seconds) > 64
    assert len(key_frames(take.values, take.fps, keys=200).frames) == 200
    default = key_frames(take.values, take.fps)  # as many as the take needs for the default error goal
    assert default.mae <= 0.02 and len(default.frames) > 64
    assert len(default.peaks) > 20 and set(default.peaks.tolist()) <= set(default.frames.tolist())


@pytest.mark.slow
def test_cli_writes_hundreds_of_keys_that_read_back_and_rebuild(take, take_path, tmp_path, capsys):
    keys, rebuilt = tmp_path / "keyframes.json", tmp_path / "rebuilt.csv"
    assert main(["keyframes", str(take_path), "-o", str(keys), "--keys", "300"]) == 0
    assert "300 keyframes" in capsys.readouterr().out
    _, keyframes, _ = read_keyframes_json(keys)
    assert len(keyframes) == 300
    assert main(["convert", str(keys), "-o", str(rebuilt), "--no-life"]) == 0
    back = read_livelink_csv(rebuilt)
    assert back.values.shape == take.values.shape
    assert float(np.abs(back.values - take.values).mean()) < 0.02


def test_more_keys_than_the_take_has_frames_is_an_error_not_a_silent_cut(take_path, tmp_path, capsys):
    out = tmp_path / "k.json"
    assert main(["keyframes", str(take_path), "-o", str(out), "--keys", "5000"]) == 2
    err = capsys.readouterr().err
    assert "--keys" in err and "5000" in err and not out.exists()
    assert main(["keyframes", str(take_path), "-o", str(out), "--rate", "40"]) == 2
    assert "--rate" in capsys.readouterr().err and not out.exists()


def test_a_hand_written_keyframes_json_keeps_the_64_key_limit(take_path, tmp_path):
    keys = tmp_path / "keyframes.json"
    assert main(["keyframes", str(take_path), "-o", str(keys), "--keys", "80"]) == 0
    doc = json.loads(keys.read_text())
    del doc["extra"]["timeline"]  # no longer says its keys were extracted from a take
    keys.write_text(json.dumps(doc))
    assert main(["convert", str(keys), "-o", str(tmp_path / "x.csv")]) == 2


def test_split_into_scripts_at_quiet_keys(take, take_path, tmp_path, capsys):
    folder = tmp_path / "scripts"
    assert main(["keyframes", str(take_path), "-o", str(folder), "--max-keys", "8", "--emotion", "Calm."]) == 0
    clips = sorted(p for p in folder.iterdir())
    assert len(clips) >= 5 and clips[0].name == "rom_take_a-001"
    frames = 0
    for clip in clips:
        doc = json.loads((clip / "keyframes.json").read_text())
        assert 2 <= len(doc["keyframes"]) <= 8 and doc["emotion"] == "Calm."
        assert (clip / "script.yaml").is_file()
        frames += len(read_livelink_csv(clip / "take.csv").values)
    assert frames >= len(take.values)  # the clips cover the take (neighbours share their cut frame and tail)


def test_a_keyframes_json_too_big_to_read_back_is_not_written(take, tmp_path, capsys):
    long = tmp_path / "long.csv"
    write_livelink_csv(long, np.concatenate([take.values] * 3), take.fps)  # 12,090 frames, 6.7 min
    out = tmp_path / "k.json"
    assert main(["keyframes", str(long), "-o", str(out), "--keys", "9000"]) == 2
    err = capsys.readouterr().err
    assert "MiB" in err and "--max-keys" in err and not out.exists()
