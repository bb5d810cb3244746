"""Property-based tests of the script readers (YAML/JSON scripts, batch JSONL, LLM config TOML).

Seeded from the bundled example script; see tests/fuzzing.py for the mutations and for running
longer (KEYFRAMEFACE_FUZZ=long).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

pytest.importorskip("hypothesis", reason="the fuzz tests need hypothesis (the dev extra)")
pytestmark = pytest.mark.slow  # hypothesis runs 150 examples per reader

from fuzzing import FUZZ, mutated, scratch_file
from hypothesis import given, settings
from hypothesis import strategies as st

from keyframeface.batch import _read_scripts
from keyframeface.cli import main
from keyframeface.errors import InputError, KeyframeFaceError
from keyframeface.script import load_script

EXAMPLE = (resources.files("keyframeface") / "examples" / "interview.yaml").read_bytes()
EXAMPLE_JSON = json.dumps({"background": "A quiet office.", "emotion": "Relief.", "fps": 30, "seed": 7,
                           "keyframes": [{"description": "The brows lift.", "hold": 0.4, "duration": 1.2},
                                         "A small smile."]}, indent=1).encode()
CONFIG = b'[llm]\nurl = "http://127.0.0.1:9/v1"\nmodel = "m"\ntimeout = 5\nretries = 2\ntemperature = 0.0\n' \
         b'max_tokens = 512\ncache_dir = "cache"\nprompt_style = "compact"\n'


def _only_input_errors(path: Path) -> None:
    try:
        script = load_script(path)
    except InputError as exc:
        assert str(exc).startswith(str(path)), exc  # the message names the file
        return
    assert script.background and script.emotion and 1 <= script.fps <= 240
    assert len(script.keyframes) <= 64
    assert sum((k.hold or 0) + (k.duration or 0) for k in script.keyframes) * script.fps <= 216_000


@FUZZ
@given(data=st.one_of(mutated(EXAMPLE), mutated(EXAMPLE_JSON)), suffix=st.sampled_from([".yaml", ".json"]))
def test_script_reader_raises_only_input_errors(data, suffix):
    _only_input_errors(scratch_file(data, suffix))


@FUZZ
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                        st.sampled_from(["background", "emotion", "fps", "seed", "keyframes", "description",
                                         "hold", "duration", "id", "x"]), inner, max_size=5), max_leaves=20))
def test_script_of_any_json_shape_raises_only_input_errors(value):
    _only_input_errors(scratch_file(json.dumps(value).encode(), ".json"))


@FUZZ
@given(st.lists(st.one_of(mutated(EXAMPLE_JSON.replace(b"\n", b"")), st.binary(max_size=40)), max_size=6))
def test_batch_lines_fail_one_by_one(lines):
    path = scratch_file(b"\n".join(lines), ".jsonl")
    items, failures = _read_scripts(path)  # never raises for a line: each bad one is a failure
    assert len(items) + len(failures) == sum(1 for line in lines for part in line.split(b"\n") if part.strip())
    assert all(f.line >= 1 and str(path) in f.error for f in failures)
    assert all(it.id and it.id.lower() != "report.json" for it in items)


@FUZZ
@given(mutated(CONFIG))
def test_config_reader_raises_only_input_errors(data):
    from keyframeface.backends.llm.config import resolve_settings

    path = scratch_file(data, ".toml")
    try:
        settings_ = resolve_settings(config=path)
    except InputError:
        return
    assert settings_.timeout > 0 and settings_.retries >= 0 and settings_.url.startswith("http")


@settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 8))
@given(mutated(EXAMPLE))
def test_animate_exits_0_or_2_and_writes_nothing_on_failure(data):
    path = scratch_file(data, ".yaml")
    out = path.parent / "out"
    try:
        code = main(["animate", str(path), "-o", str(out), "--no-preview"])
    except KeyframeFaceError as exc:  # main maps these; reaching here would be a bug
        raise AssertionError(f"escaped main: {exc!r}") from exc
    assert code in (0, 2)
    if code == 2:
        assert not out.exists() and [p.name for p in path.parent.iterdir()] == [path.name]
    else:
        assert sorted(p.name for p in out.iterdir()) == ["animation.csv", "keyframes.json", "keyframes.jsonl"]
