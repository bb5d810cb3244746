"""Keyframe extraction, the describer, evaluation and the dataset on the real iPhone take (no tracker needed)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from keyframeface.backends.engine.pose import pose_text
from keyframeface.channels import CHANNEL_INDEX, CHANNELS, N_CHANNELS
from keyframeface.cli import main
from keyframeface.describe import describe, describe_sequence
from keyframeface.evaluate import score
from keyframeface.formats.livelink_csv import read_livelink_csv, write_livelink_csv
from keyframeface.keyframes_extract import key_frames, rebuild, uniform_error


@pytest.fixture(scope="module")
def take():
    from conftest import fixture_path

    return read_livelink_csv(fixture_path("livelink_csv", "rom_take_a.csv"))


@pytest.fixture(scope="module")
def take_path(take):
    from conftest import fixture_path

    return fixture_path("livelink_csv", "rom_take_a.csv")


@pytest.mark.parametrize("options", [{}, {"keys": 12}, {"rate": 0.25}, {"max_error": 0.05}])
def test_extracted_keys_rebuild_the_take_at_least_as_well_as_uniform_keys(take, options):
    ex = key_frames(take.values, take.fps, **options)
    rebuilt = rebuild(ex.frames, ex.values, len(take.values))
    ours = float(np.abs(rebuilt - take.values).mean())
    assert ours <= uniform_error(take.values, len(ex.frames))
    if "keys" in options:
        assert len(ex.frames) == options["keys"]
    if not options:  # as many keys as the default error goal needs (no longer cut to 64: issue 16)
        assert ex.mae <= 0.02


def test_every_prominent_peak_keeps_its_frame(take):
    ex = key_frames(take.values, take.fps, keys=20)
    assert len(ex.peaks) >= 3
    assert set(ex.peaks.tolist()) <= set(ex.frames.tolist())
    np.testing.assert_array_equal(ex.values, take.values[ex.frames])


def test_cli_keyframes_then_convert_rebuilds_the_same_frame_count_and_error(take, take_path, tmp_path):
    keys, rebuilt = tmp_path / "keyframes.json", tmp_path / "rebuilt.csv"
    assert main(["keyframes", str(take_path), "-o", str(keys), "--keys", "16"]) == 0
    assert main(["convert", str(keys), "-o", str(rebuilt), "--no-life"]) == 0
    back = read_livelink_csv(rebuilt)
    assert back.values.shape == take.values.shape and back.fps == take.fps
    ours = float(np.abs(back.values - take.values).mean())
    assert ours <= uniform_error(take.values, 16) + 1e-3  # the CSV's 10 decimals
    doc = json.loads(keys.read_text())
    frames = doc["extra"]["key_frames"]
    for k, f in zip(doc["keyframes"], frames):
        np.testing.assert_allclose(back.values[f], [k["values"][n] for n in CHANNELS], atol=1e-6)


def test_describe_then_pose_recovers_real_keyframes(take):
    ex = key_frames(take.values, take.fps, keys=30)
    posed = np.stack([pose_text(describe(v), fallback=False).values for v in ex.values])
    s = score(posed, ex.values)
    assert s.f1 >= 0.8, s
    assert s.mae_active <= 0.15, s


def test_describe_uses_sides_degrees_and_changes():
    v = np.zeros(N_CHANNELS)
    v[CHANNEL_INDEX["MouthSmileLeft"]] = 0.8
    v[CHANNEL_INDEX["JawOpen"]] = 0.3
    text = describe(v)
    back = pose_text(text, fallback=False).values
    assert back[CHANNEL_INDEX["MouthSmileLeft"]] > back[CHANNEL_INDEX["MouthSmileRight"]] + 0.3
    assert back[CHANNEL_INDEX["MouthSmileLeft"]] > back[CHANNEL_INDEX["JawOpen"]] > 0.1
    first, second = describe_sequence([v, np.zeros(N_CHANNELS)])
    assert first == text
    relaxed = pose_text(second, fallback=False, previous=pose_text(first, fallback=False).values).values
    assert relaxed[CHANNEL_INDEX["MouthSmileLeft"]] < 0.1 and relaxed[CHANNEL_INDEX["JawOpen"]] < 0.1


def test_gaze_words_follow_the_subject_sides():
    v = np.zeros(N_CHANNELS)
    v[CHANNEL_INDEX["EyeLookInLeft"]] = v[CHANNEL_INDEX["EyeLookOutRight"]] = 0.6  # looking to the subject's right
    back = pose_text(describe(v), fallback=False).values
    assert back[CHANNEL_INDEX["LeftEyeYaw"]] > 0.1 and back[CHANNEL_INDEX["EyeLookOutLeft"]] < 0.05


def test_score_counts_activations_and_errors():
    gold = np.zeros((2, N_CHANNELS))
    pred = np.zeros((2, N_CHANNELS))
    gold[0, 0] = gold[1, 17] = 0.5
    pred[0, 0] = 0.4  # hit
    pred[1, 23] = 0.3  # false positive, and gold[1, 17] missed
    s = score(pred, gold)
    assert s.precision == pytest.approx(0.5) and s.recall == pytest.approx(0.5) and s.f1 == pytest.approx(0.5)
    assert s.mae == pytest.approx((0.1 + 0.5 + 0.3) / (2 * N_CHANNELS))
    assert s.mae_active == pytest.approx((0.1 + (0.5 + 0.3) / 2) / 2)
    assert score(gold, gold).mae == 0.0 and score(gold, gold).f1 == 1.0


def test_eval_cli_json_and_bad_input(take, take_path, tmp_path, capsys):
    other = tmp_path / "shifted.csv"
    write_livelink_csv(other, np.clip(take.values + 0.05, 0, 1) * (np.arange(N_CHANNELS) < 52), take.fps)
    assert main(["eval", str(other), str(take_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"mae", "mae_active", "f1", "regions"} <= set(out) and out["unit"] == "frame"
    assert 0.0 < out["mae"] < 0.2
    bad = tmp_path / "bad.csv"
    bad.write_text("Timecode,BlendShapeCount,EyeBlinkLeft\n00:00:00:00.000,61,zzz\n")
    assert main(["eval", str(bad), str(take_path)]) == 2
    assert "bad.csv" in capsys.readouterr().err


def _manifest(tmp_path, lines):
    path = tmp_path / "manifest.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    return path


def test_dataset_build_splits_and_exports_in_the_request_format(take, take_path, tmp_path, capsys):
    manifest = _manifest(tmp_path, [
        {"id": "rom", "take": str(take_path), "background": "A range-of-motion session.", "emotion": "Neutral focus.",
         "end": 40},
        {"id": "gone", "take": str(tmp_path / "missing.csv"), "background": "x", "emotion": "y"},
    ])
    data = tmp_path / "data"
    assert main(["dataset", "build", str(manifest), "-o", str(data), "--workers", "1", "--max-keys", "6"]) == 1
    index = [json.loads(x) for x in (data / "manifest.jsonl").read_text().splitlines()]
    assert len(index) >= 2 and all(e["id"].startswith("rom-") for e in index)  # split into clips
    assert all(2 <= e["keyframes"] <= 6 for e in index)
    report = json.loads((data / "report.json").read_text())
    assert "gone" in report["failed"] and "missing.csv" in report["failed"]["gone"]
    clip = data / index[0]["path"]
    assert {p.name for p in clip.iterdir()} == {"script.yaml", "take.csv", "keyframes.json"}
    # resumable: a second run skips the finished item
    assert main(["dataset", "build", str(manifest), "-o", str(data), "--workers", "1", "--max-keys", "6"]) == 1
    assert "1 already done" in capsys.readouterr().out
    train = tmp_path / "train.jsonl"
    assert main(["dataset", "export", str(data), "-o", str(train)]) == 0
    lines = [json.loads(x) for x in train.read_text().splitlines()]
    assert len(lines) == sum(e["keyframes"] for e in index)
    requests = tmp_path / "requests.jsonl"
    assert main(["export-requests", str(clip / "script.yaml"), "-o", str(requests)]) == 0
    expected = [json.loads(x)["messages"] for x in requests.read_text().splitlines() if x.strip()]
    keys = json.loads((clip / "keyframes.json").read_text())["keyframes"]
    for i, (line, request) in enumerate(zip(lines, expected)):
        assert line["messages"][:2] == request
        answer = json.loads(line["messages"][2]["content"])
        assert list(answer) == [f"Keyframe_{['one', 'two', 'three', 'four', 'five', 'six'][i]}"]
        values = answer[next(iter(answer))]
        assert list(values) == list(CHANNELS)
        assert values["JawOpen"] == pytest.approx(keys[i]["values"]["JawOpen"], abs=1e-4)


def test_manifest_errors_name_the_line_and_field(take, take_path, tmp_path, capsys):
    manifest = _manifest(tmp_path, [
        {"id": "a", "take": str(take_path), "background": "b", "emotion": "e"},
        {"id": "b", "take": str(take_path), "emotion": "e"},
    ])
    assert main(["dataset", "build", str(manifest), "-o", str(tmp_path / "d"), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "manifest.jsonl:2" in err and "background" in err
    assert not (tmp_path / "d").exists()


def test_descriptions_posed_in_sequence_recover_the_keys(take):
    """In a sequence the engine carries unsaid actions over; the describer says what relaxed."""
    ex = key_frames(take.values, take.fps, keys=30)
    posed, previous = [], None
    for text in describe_sequence(list(ex.values)):
        previous = pose_text(text, fallback=False, previous=previous).values
        posed.append(previous)
    s = score(np.stack(posed), ex.values)
    assert s.f1 >= 0.85, s


@pytest.mark.slow
def test_dataset_build_in_worker_processes_and_split_export(take, take_path, tmp_path):
    manifest = _manifest(tmp_path, [
        {"id": f"part{i}", "take": str(take_path), "background": "A session.", "emotion": "Calm.",
         "start": 20 * i, "end": 20 * i + 15} for i in range(3)
    ])
    data = tmp_path / "data"
    assert main(["dataset", "build", str(manifest), "-o", str(data), "--workers", "2"]) == 0
    index = [json.loads(x) for x in (data / "manifest.jsonl").read_text().splitlines()]
    assert [e["source_id"] for e in index] == ["part0", "part1", "part2"]  # manifest order, whoever finished first
    assert not [p for p in (data / "items").iterdir() if p.name.startswith(".")]  # no staging left behind
    train = tmp_path / "train.jsonl"
    assert main(["dataset", "export", str(data), "-o", str(train), "--split", "0.3"]) == 0
    val = tmp_path / "train.val.jsonl"
    held = {json.loads(x)["messages"][1]["content"] for x in val.read_text().splitlines()}
    kept = {json.loads(x)["messages"][1]["content"] for x in train.read_text().splitlines()}
    assert held and kept and not held & kept


def test_a_take_missing_blendshape_columns_is_an_error(tmp_path, capsys):
    bad = tmp_path / "short.csv"
    names = list(CHANNELS[:40])
    bad.write_text("Timecode,BlendShapeCount," + ",".join(names) + "\n"
                   + "".join(f"00:00:00:{i:02d}.000,61," + ",".join(["0.1"] * 40) + "\n" for i in range(30)))
    assert main(["keyframes", str(bad), "-o", str(tmp_path / "k.json")]) == 2
    err = capsys.readouterr().err
    assert "short.csv" in err and CHANNELS[40] in err
    assert not (tmp_path / "k.json").exists()
