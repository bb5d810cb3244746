"""keyframes.json: round trip, schema, and errors that name the field path."""

from __future__ import annotations

import json

import numpy as np
import pytest

from keyframeface.channels import CHANNELS
from keyframeface.backends.engine.manner import read_manner
from keyframeface.data import Contribution, Cycle, Keyframe, KeyframeSpec, Motion, Script
from keyframeface.errors import InputError
from keyframeface.formats.keyframes_json import read_keyframes_json, write_keyframes_json
from keyframeface.timeline import build_timeline


def sample() -> tuple[Script, list[Keyframe]]:
    rng = np.random.default_rng(5)
    specs = (KeyframeSpec("calm, looking ahead"), KeyframeSpec("suddenly gasps", hold=1.0),
             KeyframeSpec("slowly smiles"))
    keyframes = []
    for spec in specs:
        v = rng.uniform(0, 1, 61)
        v[52:] = rng.uniform(-0.3, 0.3, 9)
        keyframes.append(Keyframe(spec, v, "engine", (Contribution("JawOpen", float(v[17]), "gasps", "jaw drop"),),
                                  ("hold shortened",), motion=read_manner(spec.description)))
    return Script("A waiting room.", "anxious", specs, fps=24.0, seed=3), keyframes


def write_sample(path, **kwargs):
    script, keyframes = sample()
    tl = build_timeline(keyframes, script.fps, life=False)
    write_keyframes_json(path, script, keyframes, tl.key_times, planned_by="user", **kwargs)
    return script, keyframes, tl


def test_round_trip_and_schema(tmp_path):
    path = tmp_path / "keyframes.json"
    script, keyframes, tl = write_sample(path, extra={"backend_options": {"model": "x"}})
    doc = json.loads(path.read_text())
    assert doc["format"] == "keyframeface.keyframes" and doc["version"] == 2
    assert doc["planned_by"] == "user" and doc["fps"] == 24.0 and doc["seed"] == 3
    assert doc["extra"] == {"backend_options": {"model": "x"}}
    k1 = doc["keyframes"][1]
    assert list(k1["values"]) == list(CHANNELS)
    assert k1["hold"] == 1.0 and k1["index"] == 1 and k1["posed_by"] == "engine"
    assert k1["explanation"] == [{"channel": "JawOpen", "value": keyframes[1].values[17], "words": "gasps",
                                  "rule": "jaw drop", "kind": "action"}]
    assert doc["keyframes"][-1]["duration"] == 0.0

    script2, keyframes2, times = read_keyframes_json(path)
    assert (script2.background, script2.emotion, script2.fps, script2.seed) == ("A waiting room.", "anxious", 24.0, 3)
    assert times == list(tl.key_times)
    for a, b in zip(keyframes, keyframes2):
        assert np.array_equal(a.values, b.values)
        assert a.explanation == b.explanation and a.warnings == b.warnings and a.spec.description == b.spec.description
        assert a.motion == b.motion
    assert doc["keyframes"][1]["motion"]["pace"] == 0.25  # "suddenly"
    # Timing read back is explicit and rebuilds the same timeline.
    again = build_timeline(keyframes2, script2.fps, life=False)
    assert np.array_equal(again.values, tl.values)


def mutate(tmp_path, change) -> str:
    path = tmp_path / "keyframes.json"
    write_sample(path)
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("change,field,message", [
    (lambda d: d["keyframes"][2]["values"].update(JawOpen=1.7), "keyframes[2].values.JawOpen", r"1.7 not in \[0, 1\]"),
    (lambda d: d["keyframes"][0]["values"].pop("HeadYaw"), "keyframes[0].values.HeadYaw", "missing"),
    (lambda d: d["keyframes"][0]["values"].update(Wink=0.1), "keyframes[0].values.Wink", "not an ARKit channel"),
    (lambda d: d["keyframes"][1]["values"].update(jawOpen=0.1), "keyframes[1].values.jawOpen", "given twice"),
    (lambda d: d["keyframes"][1]["values"].update(JawOpen="big"), "keyframes[1].values.JawOpen", "finite number"),
    (lambda d: d["keyframes"][1].update(hold=-1), "keyframes[1].hold", ">= 0"),
    (lambda d: d["keyframes"][1].update(time=0.0), "keyframes[1].time", "before the previous"),
    (lambda d: d["keyframes"][1].pop("description"), "keyframes[1].description", "missing"),
    (lambda d: d["keyframes"][0].update(index=4), "keyframes[0].index", "expected 0"),
    (lambda d: d["keyframes"][0]["explanation"][0].update(channel="Ear"), "keyframes[0].explanation[0].channel",
     "not an ARKit channel"),
    (lambda d: d.update(keyframes=[]), "keyframes", "non-empty"),
    (lambda d: d.update(format="other"), "format", "expected 'keyframeface.keyframes'"),
    (lambda d: d.update(version=3), "version", "unsupported version 3"),
    (lambda d: d["keyframes"][1].pop("motion"), "keyframes[1].motion", "missing"),
    (lambda d: d["keyframes"][1]["motion"].update(pace=-1), "keyframes[1].motion.pace", ">= 0"),
    (lambda d: d["keyframes"][1]["motion"].update(pace=0), "keyframes[1].motion.pace", "> 0"),
    (lambda d: d["keyframes"][1]["motion"].update(speed=1), "keyframes[1].motion.speed", "unknown field"),
    (lambda d: d["keyframes"][1]["motion"].update(cycles=[{"name": "wiggle", "hz": 1, "scale": 1, "periods": None}]),
     "keyframes[1].motion.cycles[0].name", "not one of"),
    (lambda d: d["keyframes"][1]["motion"].update(cycles=[{"name": "nod", "hz": 0, "scale": 1, "periods": None}]),
     "keyframes[1].motion.cycles[0].hz", "> 0"),
    (lambda d: d["keyframes"][1]["motion"].update(cycles=[{"name": "nod", "hz": 2, "scale": 1, "periods": 1.5}]),
     "keyframes[1].motion.cycles[0].periods", "whole number"),
    (lambda d: d["keyframes"][1]["motion"].update(order=[["brows"], ["elbow"]]), "keyframes[1].motion.order",
     "lists of regions"),
    (lambda d: d["keyframes"][1]["motion"].update(lockstep="yes"), "keyframes[1].motion.lockstep", "true or false"),
    (lambda d: d["keyframes"][1]["motion"].update(region_pace={"ears": 1}), "keyframes[1].motion.region_pace.ears",
     "not a region"),
    (lambda d: d.update(fps=0), "fps", "> 0"),
    (lambda d: d.update(seed=True), "seed", "integer"),
])
def test_errors_name_the_field_path(tmp_path, change, field, message):
    path = mutate(tmp_path, change)
    with pytest.raises(InputError, match=message) as e:
        read_keyframes_json(path)
    assert e.value.field == field
    assert f"keyframes.json: field '{field}'" in str(e.value)


def test_any_channel_spelling_is_accepted(tmp_path):
    def respell(doc):
        values = doc["keyframes"][0]["values"]
        doc["keyframes"][0]["values"] = {k[0].lower() + k[1:]: v for k, v in values.items()}

    _, keyframes, _ = read_keyframes_json(mutate(tmp_path, respell))
    assert np.array_equal(keyframes[0].values, sample()[1][0].values)


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "keyframes.json"
    path.write_text('{\n  "format": "keyframeface.keyframes",\n  "version": 1,,\n}')
    with pytest.raises(InputError, match=r"keyframes\.json:3: not valid JSON") as e:
        read_keyframes_json(path)
    assert e.value.line == 3
    path.write_text("[1, 2]")
    with pytest.raises(InputError, match="expected a JSON object"):
        read_keyframes_json(path)


def test_key_times_must_match_keyframes(tmp_path):
    script, keyframes = sample()
    with pytest.raises(InputError, match="key_times"):
        write_keyframes_json(tmp_path / "k.json", script, keyframes, [0.0], planned_by="user")
    assert not (tmp_path / "k.json").exists()


def test_a_version_1_file_still_reads_with_its_motion_from_the_words(tmp_path):
    path = mutate(tmp_path, lambda d: [d.update(version=1)] + [k.pop("motion") for k in d["keyframes"]])
    _, keyframes, _ = read_keyframes_json(path)
    assert keyframes[1].motion == read_manner("suddenly gasps") and keyframes[1].motion.pace == 0.25


def test_the_motion_written_is_the_motion_used_not_the_words(tmp_path):
    nod = Motion(pace=1.9, cycles=(Cycle("nod", 2.0, 1.0, 2),))
    path = mutate(tmp_path, lambda d: d["keyframes"][2].update(
        description="suddenly gasps", motion={"pace": 1.9, "hold": None, "lockstep": False, "order": [],
                                              "region_pace": {}, "cycles": [{"name": "nod", "hz": 2.0, "scale": 1.0,
                                                                              "periods": 2}]}))
    script, keyframes, _ = read_keyframes_json(path)
    assert keyframes[2].motion == nod and keyframes[2].spec.description == "suddenly gasps"
    tl = build_timeline(keyframes, script.fps, life=False)
    k = round(tl.key_times[2] * script.fps)
    assert np.ptp(tl.values[k:, CHANNELS.index("HeadPitch")]) > 0.05  # the stored nod plays
