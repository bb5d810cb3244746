"""formats.reference against the KeyframeFace release's own files (tests/fixtures/reference)."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from keyframeface.channels import CHANNELS
from keyframeface.data import Keyframe, KeyframeSpec, Script
from keyframeface.errors import InputError
from keyframeface.formats.reference import (
    SYSTEM_PROMPT,
    answer_key,
    format_results,
    number_word,
    read_results,
    reference_messages,
    write_requests,
    write_results,
)

# The script the release's example.jsonl was made from (docs/formats.md, the release's request).
EXAMPLE = Script(
    background="A student waits outside an interview room and tries to hide their anxiety.",
    emotion="Anxiety concealed by a restrained smile.",
    keyframes=(
        KeyframeSpec("The gaze is lowered, the inner brows lift slightly, and the lips press together with "
                     "visible tension."),
        KeyframeSpec("The gaze rises and both mouth corners form a small restrained smile while the brows "
                     "remain worried."),
    ),
)


def csv_values(path) -> tuple[list[str], np.ndarray]:
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0][2:], np.array([[float(x) for x in row[2:]] for row in rows[1:]])


@pytest.mark.parametrize("n, word", [(1, "One"), (2, "Two"), (10, "Ten"), (11, "Eleven"), (12, "Twelve"),
                                     (19, "Nineteen"), (20, "Twenty"), (21, "Twenty-One"), (58, "Fifty-Eight"),
                                     (100, "One Hundred"), (342, "Three Hundred Forty-Two")])
def test_number_words(n, word):
    assert number_word(n) == word


def test_number_word_rejects_zero():
    with pytest.raises(ValueError):
        number_word(0)


def test_answer_key_is_lower_case_word():
    assert answer_key(0) == "Keyframe_one"
    assert answer_key(20) == "Keyframe_twenty-one"


def test_messages_equal_the_release_requests(fixture_file):
    lines = [json.loads(x) for x in fixture_file("reference", "example.jsonl").read_text().splitlines() if x]
    assert len(lines) == 2
    for index, line in enumerate(lines):
        assert reference_messages(EXAMPLE, index) == line["messages"]
    assert lines[0]["messages"][0]["content"] == SYSTEM_PROMPT


def test_write_requests_is_byte_identical(fixture_file, tmp_path):
    out = tmp_path / "requests.jsonl"
    write_requests(EXAMPLE, out)
    assert out.read_bytes() == fixture_file("reference", "example.jsonl").read_bytes()


def test_requests_keep_unicode_and_count_beyond_ten(tmp_path):
    script = Script(background="Café – night", emotion="Ärger",
                    keyframes=tuple(KeyframeSpec(f"step {i}") for i in range(12)))
    out = tmp_path / "r.jsonl"
    write_requests(script, out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if x]
    assert len(lines) == 12
    user = lines[11]["messages"][1]["content"]
    assert "- Keyframe Eleven: step 10\n- Keyframe Twelve: step 11\n" in user
    assert user.endswith("for Keyframe Twelve.")
    assert "Café – night" in out.read_text(encoding="utf-8")  # UTF-8, not \\u escapes


def test_write_requests_needs_keyframes(tmp_path):
    with pytest.raises(InputError, match="keyframes"):
        write_requests(Script(background="b", emotion="e"), tmp_path / "r.jsonl")
    assert not (tmp_path / "r.jsonl").exists()


def test_real_answers_read_to_the_release_csv(fixture_file):
    names, expected = csv_values(fixture_file("reference", "example_result.csv"))
    assert names == list(CHANNELS)
    keyframes = read_results(fixture_file("reference", "example_result.jsonl"), EXAMPLE)
    assert [k.spec for k in keyframes] == list(EXAMPLE.keyframes)
    assert np.array_equal(np.stack([k.values for k in keyframes]), expected)
    assert all(k.backend == "reference-results" and k.warnings == () for k in keyframes)


def test_write_results_round_trips_the_release_bytes(fixture_file, tmp_path):
    results = fixture_file("reference", "example_result.jsonl")
    out = tmp_path / "keyframes.jsonl"
    write_results(out, read_results(results, EXAMPLE))
    assert out.read_bytes() == results.read_bytes()


def test_format_results_rounds_and_never_writes_minus_zero():
    values = np.zeros(61)
    values[CHANNELS.index("JawOpen")] = 0.1 + 0.2  # 0.30000000000000004
    values[CHANNELS.index("HeadYaw")] = -0.0
    text = format_results([Keyframe(spec=KeyframeSpec("x"), values=values, backend="t")])
    answer = json.loads(json.loads(text)["response"])
    assert list(answer) == ["Keyframe_one"]
    assert list(answer["Keyframe_one"]) == list(CHANNELS)
    assert '\\"JawOpen\\":0.3,' in text and "-0.0" not in text


def test_read_results_messy_answers_become_warnings(tmp_path):
    script = Script(background="b", emotion="e", keyframes=(KeyframeSpec("one"),))
    inner = {n: 0.0 for n in CHANNELS}
    inner["jawOpen"] = inner.pop("JawOpen")
    inner["JawOpen_extra"] = 1
    inner["MouthSmileLeft"] = 1.4
    answer = "<think>the user wants a smile</think>\n```json\n" + json.dumps({"Keyframe_one": inner}) + "\n```"
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps({"response": answer, "labels": None}) + "\n")
    (keyframe,) = read_results(path, script)
    assert keyframe.values[CHANNELS.index("MouthSmileLeft")] == 1.0
    assert any("clamped" in w and "MouthSmileLeft" in w for w in keyframe.warnings)
    assert any("JawOpen_extra" in w for w in keyframe.warnings)


def test_read_results_errors_name_file_and_line(tmp_path):
    script = Script(background="b", emotion="e", keyframes=(KeyframeSpec("one"), KeyframeSpec("two")))
    path = tmp_path / "results.jsonl"
    path.write_text('{"response": "{}"}\n')
    with pytest.raises(InputError, match="1 results for 2 keyframes"):
        read_results(path, script)
    path.write_text('{"response": "{\\"Keyframe_one\\": {\\"JawOpen\\": 0.1}}"}\n{"response": "nothing"}\n')
    with pytest.raises(InputError) as info:
        read_results(path, script)
    assert info.value.line == 1 and "results.jsonl" in str(info.value)
    path.write_text('{"response": 1}\nnot json\n')
    with pytest.raises(InputError, match=":1: field 'response'"):
        read_results(path, script)
