"""Property-based tests of the JSON readers: keyframes.json (and an INPUT of render/convert/stream),
the release's results JSONL, and LLM answers.

Seeded from a keyframes.json we write and from the release's real answers in
tests/fixtures/reference; see tests/fuzzing.py for the mutations and for longer runs.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("hypothesis", reason="the fuzz tests need hypothesis (the dev extra)")
pytestmark = pytest.mark.slow  # hypothesis runs 150 examples per reader

from fuzzing import FUZZ, fixture, mutated, scratch_file
from hypothesis import given
from hypothesis import strategies as st

import keyframeface
from keyframeface.backends.llm.parse import parse_keyframe, parse_plan
from keyframeface.channels import HIGH, LOW, N_CHANNELS
from keyframeface.data import KeyframeSpec, Script
from keyframeface.errors import BackendError, InputError
from keyframeface.formats.animation_file import load_animation
from keyframeface.formats.keyframes_json import (
    read_keyframes_json,
    write_keyframes_json,
)
from keyframeface.formats.reference import read_results

RESULTS = fixture("reference", "example_result.jsonl")


def _keyframes_json() -> bytes:
    # The embedded engine, so the keyframes carry explanations and warnings to mutate too.
    anim = keyframeface.animate("b", "joy", ["A smile.", "The brows knit and the jaw drops."], life=False)
    path = scratch_file(b"", ".json")
    write_keyframes_json(path, anim.script, anim.keyframes, anim.timeline.key_times, planned_by="script")
    return path.read_bytes()


KEYFRAMES = _keyframes_json()
DOC = json.loads(KEYFRAMES)
JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**400, max_value=10**400),
                        st.floats(), st.text(max_size=10), st.just([]), st.just({}), st.just("\ud800"))


@st.composite
def doc_edits(draw: st.DrawFn) -> bytes:
    """The keyframes.json document with a few values at random paths replaced by hostile JSON values."""
    doc = json.loads(KEYFRAMES)
    for _ in range(draw(st.integers(1, 3))):
        node = doc
        path = []
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
            path.append((node, key))
            node = node[key]
        if path:
            parent, key = path[-1]
            parent[key] = draw(JSON_VALUES)
    return json.dumps(doc, allow_nan=True).encode("utf-8", "surrogatepass")


def _check_keyframes(data: bytes) -> None:
    path = scratch_file(data, ".json")
    try:
        script, keyframes, times = read_keyframes_json(path)
        loaded = load_animation(path)  # what render / convert / stream do with it
    except InputError as exc:
        assert str(path) in str(exc), exc
        return
    assert 1 <= script.fps <= 240 and keyframes and len(times) == len(keyframes)
    assert np.isfinite(loaded.values).all() and loaded.values.shape[1] == N_CHANNELS
    assert len(loaded.values) <= 216_000


@FUZZ
@given(mutated(KEYFRAMES))
def test_keyframes_json_bytes_raise_only_input_errors(data):
    _check_keyframes(data)


@FUZZ
@given(doc_edits())
def test_keyframes_json_values_raise_only_input_errors(data):
    _check_keyframes(data)


SCRIPT = Script("b", "e", keyframes=(KeyframeSpec("one"), KeyframeSpec("two")))


def _results_seed() -> bytes:
    return b"".join(RESULTS.read_bytes().splitlines(keepends=True)[:2])


@FUZZ
@given(mutated(_results_seed()))
def test_results_jsonl_raises_only_input_errors(data):
    path = scratch_file(data, ".jsonl")
    try:
        keyframes = read_results(path, SCRIPT)
    except InputError as exc:
        assert str(path) in str(exc), exc
        return
    assert len(keyframes) == 2
    for k in keyframes:
        assert np.isfinite(k.values).all() and ((k.values >= LOW) & (k.values <= HIGH)).all()


def _answers() -> list[str]:
    return [json.loads(line)["response"] for line in RESULTS.read_text().splitlines()[:2] if line.strip()]


@FUZZ
@given(st.sampled_from(_answers()).flatmap(lambda a: mutated(a.encode())).map(
    lambda b: b.decode("utf-8", "replace")))
def test_llm_answer_reader_raises_only_backend_errors(text):
    try:
        reading = parse_keyframe(text, expected="Keyframe_one")
    except BackendError:
        return
    assert reading.values.shape == (N_CHANNELS,) and np.isfinite(reading.values).all()
    assert ((reading.values >= LOW) & (reading.values <= HIGH)).all()
    assert sum("clamped" in w for w in reading.warnings) <= 1


@FUZZ
@given(st.text(max_size=300) | st.sampled_from(['["a", "b"]', '{"keyframes": ["x", "y", "z"]}']).flatmap(
    lambda a: mutated(a.encode())).map(lambda b: b.decode("utf-8", "replace")))
def test_llm_plan_reader_raises_only_backend_errors(text):
    try:
        plan = parse_plan(text)
    except BackendError:
        return
    assert 2 <= len(plan) <= 6 and all(isinstance(d, str) and d for d in plan)


def test_an_answer_of_mostly_out_of_range_values_is_junk_not_clamped():
    """The llama.cpp finding: 59 of 61 values far out of range is not a face to repair."""
    from keyframeface.channels import CHANNELS

    answer = json.dumps({"Keyframe_one": {n: 3.8 + i for i, n in enumerate(CHANNELS)}})
    with pytest.raises(BackendError, match="out of range"):
        parse_keyframe(answer, expected="Keyframe_one")
