"""parse.py on answers written the way real models write them."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from keyframeface.backends.llm.parse import MAX_FILLED, AnswerError, extract_json, parse_keyframe, parse_plan
from keyframeface.channels import CHANNELS, HIGH, LOW

I = CHANNELS.index


def full(**overrides: float) -> dict:
    values = {n: 0.0 for n in CHANNELS}
    values.update(overrides)
    return values


def wrapped(values: dict, key: str = "Keyframe_one", **dump) -> str:
    return json.dumps({key: values}, **dump)


def test_clean_reference_answer():
    r = parse_keyframe(wrapped(full(JawOpen=0.3, HeadPitch=-0.2)), expected="Keyframe_one")
    assert r.values[I("JawOpen")] == 0.3 and r.values[I("HeadPitch")] == -0.2
    assert r.values.sum() == pytest.approx(0.1)
    assert r.warnings == () and r.wrapper == "Keyframe_one"


@pytest.mark.parametrize("text", [
    "<think>\nThe user wants a lowered gaze. {not json}\n</think>\n\n" + wrapped(full(JawOpen=0.3)),
    "Sure! Here are the parameters:\n```json\n" + wrapped(full(JawOpen=0.3), indent=2) + "\n```\nHope it helps.",
    "```\n" + json.dumps(full(JawOpen=0.3)) + "\n```",
    "The answer is " + wrapped(full(JawOpen=0.3)) + " -- as requested.",
    wrapped(full(JawOpen="0.3")),
    wrapped(full(JawOpen=0.3)).replace("}}", ",}}"),  # trailing comma
])
def test_wrappers_fences_prose_strings(text):
    r = parse_keyframe(text, expected="Keyframe_one")
    assert r.values[I("JawOpen")] == 0.3
    assert np.count_nonzero(r.values) == 1
    assert not any("missing" in w for w in r.warnings)


def test_keys_in_any_spelling():
    values = {"eyeBlink_L": 0.5, "eye_blink_right": 0.6, "JAWOPEN": 0.2, "mouth-smile-left": 0.1}
    values.update({n: 0.0 for n in CHANNELS if n not in ("EyeBlinkLeft", "EyeBlinkRight", "JawOpen",
                                                           "MouthSmileLeft")})
    r = parse_keyframe(wrapped(values))
    assert r.values[I("EyeBlinkLeft")] == 0.5 and r.values[I("EyeBlinkRight")] == 0.6
    assert r.values[I("JawOpen")] == 0.2 and r.values[I("MouthSmileLeft")] == 0.1
    assert r.warnings == ()


def test_out_of_range_nan_and_text_values_are_repaired_with_warnings():
    text = wrapped(full(JawOpen=1.7, HeadYaw=-3, BrowInnerUp=float("nan"), CheekPuff="lots"))
    r = parse_keyframe(text)
    assert r.values[I("JawOpen")] == 1.0 and r.values[I("HeadYaw")] == -1.0
    assert r.values[I("BrowInnerUp")] == 0.0 and r.values[I("CheekPuff")] == 0.0
    joined = " | ".join(r.warnings)
    assert "clamped" in joined and "JawOpen 1.7" in joined and "HeadYaw -3" in joined
    assert "unreadable" in joined and "BrowInnerUp" in joined and "CheekPuff" in joined
    assert np.all(r.values >= LOW) and np.all(r.values <= HIGH) and all(map(math.isfinite, r.values))


def test_a_few_missing_channels_are_filled_more_are_rejected():
    few = full(JawOpen=0.4)
    for name in CHANNELS[:MAX_FILLED]:
        del few[name]
    r = parse_keyframe(wrapped(few))
    assert r.values[I("JawOpen")] == 0.4
    assert any("missing channels set to 0" in w and CHANNELS[0] in w for w in r.warnings)
    many = full()
    for name in CHANNELS[:MAX_FILLED + 1]:
        del many[name]
    with pytest.raises(AnswerError, match="readable"):
        parse_keyframe(wrapped(many))


def test_sparse_compact_answer_means_zero_elsewhere():
    r = parse_keyframe('{"BrowInnerUp":0.35,"MouthPressLeft":0.4}', sparse=True)
    assert r.values[I("BrowInnerUp")] == 0.35 and r.values[I("MouthPressLeft")] == 0.4
    assert np.count_nonzero(r.values) == 2 and r.warnings == ()


def test_extra_keys_are_ignored_with_a_warning():
    r = parse_keyframe(wrapped(full(JawOpen=0.2, Happiness=0.9)))
    assert r.values[I("JawOpen")] == 0.2
    assert any("Happiness" in w for w in r.warnings)


def test_truncated_answer_keeps_complete_values_only():
    text = wrapped(full(JawOpen=0.3, RightEyePitch=0.25))
    cut = text[: text.index('"RightEyePitch"') + len('"RightEyePitch":0.2')]  # 0.25 cut to "0.2"
    r = parse_keyframe(cut)
    assert r.values[I("JawOpen")] == 0.3
    assert r.values[I("RightEyePitch")] == 0.0  # never the misleading 0.2
    assert any("truncated" in w for w in r.warnings)
    assert any("RightEyePitch" in w and "missing" in w for w in r.warnings)


def test_truncated_right_after_the_last_value():
    text = wrapped(full(RightEyeRoll=0.1))
    r = parse_keyframe(text[:-2] + "}")  # one closing brace lost
    assert r.values[I("RightEyeRoll")] == 0.1
    assert any("truncated" in w for w in r.warnings)


def test_truncated_early_is_an_error():
    with pytest.raises(AnswerError):
        parse_keyframe(wrapped(full())[:200])


@pytest.mark.parametrize("text", ["", "I cannot help with that.", "<think>still thinking about the brows",
                                  '{"mood": "sad"}', "[0.1, 0.2]", "{'JawOpen': }"])
def test_junk_is_an_answer_error(text):
    with pytest.raises(AnswerError) as info:
        parse_keyframe(text)
    assert info.value.retryable


def test_wrong_or_several_keyframes_are_warned_about():
    r = parse_keyframe(wrapped(full(JawOpen=0.1), key="Keyframe_two"), expected="Keyframe_one")
    assert r.values[I("JawOpen")] == 0.1
    assert any("Keyframe_two" in w for w in r.warnings)
    both = json.dumps({"Keyframe_one": full(JawOpen=0.1), "Keyframe_two": full(JawOpen=0.9)})
    r = parse_keyframe(both, expected="Keyframe_two")
    assert r.values[I("JawOpen")] == 0.9
    assert any("2 keyframes" in w for w in r.warnings)


def test_extract_json_prefers_the_fenced_block():
    value, warnings = extract_json('Use {braces} like this:\n```json\n{"a": [1, 2]}\n```')
    assert value == {"a": [1, 2]} and warnings == []


@pytest.mark.parametrize("text", [
    '{"keyframes": ["The gaze drops.", "The lips press together."]}',
    '<think>two beats</think>["The gaze drops.", "The lips press together."]',
    '```json\n[{"description": "Keyframe One: The gaze drops."}, {"description": "The lips press together."}]\n```',
])
def test_parse_plan(text):
    assert parse_plan(text) == ["The gaze drops.", "The lips press together."]


def test_parse_plan_counts():
    answer = json.dumps({"keyframes": [f"step {i}" for i in range(8)]})
    assert len(parse_plan(answer)) == 6
    assert parse_plan(answer, count=3) == ["step 0", "step 1", "step 2"]
    with pytest.raises(AnswerError):
        parse_plan('{"keyframes": ["only one"]}')
    with pytest.raises(AnswerError):
        parse_plan(answer, count=9)
