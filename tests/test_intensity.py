"""Intensity: expression scaled about the neutral face (0 neutral, 1 as written, up to 2); head and gaze kept."""

from __future__ import annotations

import json

import numpy as np
import pytest

import keyframeface
from keyframeface.channels import CHANNEL_INDEX, CHANNELS, HIGH, LOW, region_of
from keyframeface.cli import main
from keyframeface.data import KeyframeSpec, Script
from keyframeface.errors import InputError
from keyframeface.intensity import apply_intensity, scale_expression
from keyframeface.pipeline import Pipeline
from keyframeface.script import script_from_dict

I = CHANNEL_INDEX
FIXED = np.array([region_of(n) in ("head", "gaze") for n in CHANNELS])
TEXT = "A broad grin spreads while the head turns to the left and the eyes look up; she laughs."


def posed(intensity: float = 1.0, *texts: str) -> tuple:
    script = Script("A party.", "joy", tuple(KeyframeSpec(t) for t in (texts or (TEXT,))))
    return Pipeline(life=False, intensity=intensity).pose(script)


def test_zero_is_the_neutral_expression_with_head_and_gaze_as_written():
    written, = posed(1.0)
    zero, = posed(0.0)
    assert np.abs(written.values[~FIXED]).max() > 0.3  # the text does move the expression
    assert (zero.values[~FIXED] == 0).all()
    assert np.array_equal(zero.values[FIXED], written.values[FIXED]) and np.abs(written.values[FIXED]).max() > 0.05
    assert [c.name for c in zero.motion.cycles] == []  # the laugh's jaw pulses go with the expression


def test_half_and_double_scale_about_neutral_within_range():
    written, = posed(1.0)
    half, = posed(0.5)
    double, = posed(2.0)
    assert np.allclose(half.values[~FIXED], written.values[~FIXED] / 2)
    assert np.allclose(double.values, np.clip(np.where(FIXED, written.values, written.values * 2), LOW, HIGH))
    assert (double.values >= LOW).all() and (double.values <= HIGH).all()
    assert double.values[I["MouthSmileLeft"]] > written.values[I["MouthSmileLeft"]]
    # explanations quote the values the keyframe now has
    for c in half.explanation:
        assert c.value == pytest.approx(half.values[I[c.channel]])
    laugh = {c.name: c.scale for c in written.motion.cycles}["laugh"]
    assert {c.name: c.scale for c in half.motion.cycles}["laugh"] == pytest.approx(laugh / 2)


def test_a_keyframes_own_intensity_multiplies_and_continuity_sees_the_face_as_written():
    script = script_from_dict({"background": "A party.", "emotion": "joy", "keyframes": [
        {"description": "a broad smile", "intensity": 0}, "the smile remains while the brows lift"]})
    quiet = Pipeline(life=False).pose(script)
    plain = Pipeline(life=False).pose(script_from_dict({"background": "A party.", "emotion": "joy", "keyframes": [
        "a broad smile", "the smile remains while the brows lift"]}))
    assert (quiet[0].values[~FIXED] == 0).all() and plain[0].values[I["MouthSmileLeft"]] > 0.3
    assert np.array_equal(quiet[1].values, plain[1].values)  # the smile carried is the written one


@pytest.mark.parametrize("bad", [-0.1, 2.5, "loud", True, float("nan")])
def test_bad_intensities_name_the_field(bad):
    with pytest.raises(InputError) as e:
        script_from_dict({"background": "b", "emotion": "e", "keyframes": [{"description": "x", "intensity": bad}]})
    assert e.value.field == "keyframes[0].intensity"
    with pytest.raises(InputError, match="intensity"):
        Pipeline(intensity=bad)


def test_scale_expression_keeps_dense_curves_in_range():
    rng = np.random.default_rng(1)
    values = rng.uniform(LOW, HIGH, (50, len(CHANNELS)))
    out = scale_expression(values, 2.0)
    assert out.shape == values.shape and (out >= LOW).all() and (out <= HIGH).all()
    assert np.array_equal(out[:, FIXED], values[:, FIXED])


def test_cli_pose_and_animate_take_intensity(capsys, tmp_path):
    assert main(["pose", TEXT, "--json", "--intensity", "0"]) == 0
    values = json.loads(capsys.readouterr().out)
    assert all(v == 0 for n, v in values.items() if region_of(n) not in ("head", "gaze"))
    assert main(["animate", "--background", "A party.", "--emotion", "joy", "-o", str(tmp_path / "a"),
                 "--no-preview", "--no-life", "--intensity", "0.5"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as e:
        main(["pose", "a smile", "--intensity", "3"])
    assert e.value.code == 2 and "--intensity: '3' not in [0, 2]" in capsys.readouterr().err


def test_library_api_same_as_pipeline():
    a = keyframeface.animate("A party.", "joy", [TEXT], life=False)
    x = apply_intensity(a.keyframes[0], 1.0)
    assert x is a.keyframes[0]  # 1 is as written: untouched
