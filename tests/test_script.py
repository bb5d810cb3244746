"""Script loading: valid YAML/JSON, and errors that name file, line and field."""

from __future__ import annotations

import json

import pytest

from keyframeface.errors import InputError
from keyframeface.script import load_script, script_from_dict, script_to_dict


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_yaml_script_with_timing(tmp_path):
    p = write(tmp_path, "s.yaml", """\
background: A student waits outside an interview room.
emotion: Anxiety concealed by a restrained smile.
fps: 25
seed: 7
keyframes:
  - description: The gaze is lowered.
    hold: 0.4
    duration: 1.2
  - The gaze rises.
""")
    s = load_script(p)
    assert s.fps == 25.0 and s.seed == 7
    assert [k.description for k in s.keyframes] == ["The gaze is lowered.", "The gaze rises."]
    assert s.keyframes[0].hold == 0.4 and s.keyframes[0].duration == 1.2
    assert s.keyframes[1].hold is None
    assert s.source == str(p)


def test_json_script_defaults(tmp_path):
    p = write(tmp_path, "s.json", json.dumps({"background": "b", "emotion": "joy"}))
    s = load_script(p)
    assert (s.fps, s.seed, s.keyframes) == (30.0, 0, ())


def test_round_trip_dict():
    s = script_from_dict({"background": "b", "emotion": "e", "keyframes": [{"description": "d", "hold": 1}]})
    assert script_from_dict(script_to_dict(s)) == s


@pytest.mark.parametrize("body, field, line", [
    ("background: b\nemotion: e\nfps: -3\n", "fps", 3),
    ("background: b\nemotion: e\nfps: fast\n", "fps", 3),
    ("background: b\nemotion: ''\n", "emotion", 2),
    ("emotion: e\n", "background", None),
    ("background: b\nemotion: e\nseed: 1.5\n", "seed", 3),
    ("background: b\nemotion: e\nkeyframes:\n  - description: ok\n  - description: x\n    hold: -1\n",
     "keyframes[1].hold", 6),
    ("background: b\nemotion: e\nkeyframes:\n  - hold: 1\n", "keyframes[0].description", 4),
    ("background: b\nemotions: e\n", "emotions", 2),
    ("background: b\nemotion: e\nkeyframes: {a: 1}\n", "keyframes", 3),
])
def test_bad_fields_name_file_line_field(tmp_path, body, field, line):
    p = write(tmp_path, "bad.yaml", body)
    with pytest.raises(InputError) as info:
        load_script(p)
    err = info.value
    assert err.field == field
    assert err.path == str(p)
    if line is not None:
        assert err.line == line
        assert f"{p}:{line}:" in str(err)
    assert f"'{field}'" in str(err)
    assert err.exit_code == 2


def test_syntax_error_has_line(tmp_path):
    p = write(tmp_path, "broken.yaml", "background: b\nemotion: [unclosed\nfps: 3\n")
    with pytest.raises(InputError) as info:
        load_script(p)
    assert info.value.line is not None and "not valid YAML/JSON" in str(info.value)


def test_json_error_has_line(tmp_path):
    p = write(tmp_path, "broken.json", '{\n "background": "b",\n "emotion": "e",\n "fps": 0\n}\n')
    with pytest.raises(InputError) as info:
        load_script(p)
    assert info.value.field == "fps" and info.value.line == 4


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_script(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="empty"):
        load_script(write(tmp_path, "empty.yaml", ""))
    with pytest.raises(InputError, match="expected a mapping"):
        load_script(write(tmp_path, "list.yaml", "- a\n- b\n"))
