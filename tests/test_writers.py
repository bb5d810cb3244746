"""The one Writer/Reader contract keyed by suffix, the replaying backend and the backend choice."""

from __future__ import annotations

import numpy as np
import pytest

import keyframeface
from keyframeface.backends.choose import BackendChoice
from keyframeface.backends.replay import ReplayBackend
from keyframeface.errors import InputError
from keyframeface.formats.livelink_csv import read_livelink_csv
from keyframeface.pipeline import Pipeline
from keyframeface.script import script_from_dict
from keyframeface.writers import SUFFIXES, read_file, write_file

SCRIPT = {"background": "A quiet office.", "emotion": "mild surprise",
          "keyframes": ["the brows lift slightly", "the jaw drops open", "a small smile"], "seed": 3}


@pytest.fixture(scope="module")
def animation():
    return keyframeface.animate(SCRIPT["background"], SCRIPT["emotion"], SCRIPT["keyframes"], seed=3)


def test_every_suffix_writes_a_file_the_readers_take_back(animation, tmp_path):
    assert {".csv", ".json", ".jsonl", ".glb", ".gltf", ".mp4", ".gif", ".png"} <= set(SUFFIXES)
    for suffix in (".csv", ".json", ".jsonl", ".glb", ".png"):
        path = write_file(tmp_path / f"a{suffix}", animation)
        assert path.is_file() and path.stat().st_size > 0
    assert np.allclose(read_livelink_csv(tmp_path / "a.csv").values, animation.timeline.values, atol=1e-9)
    again = read_file(tmp_path / "a.json")
    assert [k.spec.description for k in again.keyframes] == SCRIPT["keyframes"]
    assert (tmp_path / "a.glb").read_bytes()[:4] == b"glTF"
    assert (tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_dense_take_cannot_become_keyframes_and_unknown_suffixes_are_named(animation, tmp_path):
    write_file(tmp_path / "a.csv", animation)
    dense = read_file(tmp_path / "a.csv")
    with pytest.raises(InputError, match="needs keyframes"):
        write_file(tmp_path / "b.json", dense)
    assert not (tmp_path / "b.json").exists()
    with pytest.raises(InputError, match=r"\.fbx.*expected one of"):
        write_file(tmp_path / "c.fbx", animation)


def test_replay_backend_replays_and_falls_back(animation):
    script = script_from_dict(SCRIPT)
    replayed = Pipeline(ReplayBackend(dict(enumerate(animation.keyframes))), life=True).run(script)
    assert np.array_equal(replayed.timeline.values, animation.timeline.values)
    engine = keyframeface.get_backend("engine")
    edited = script_from_dict({**SCRIPT, "keyframes": [SCRIPT["keyframes"][0], "a wide grin",
                                                       SCRIPT["keyframes"][2]]})
    mixed = Pipeline(ReplayBackend({0: animation.keyframes[0], 2: animation.keyframes[2]}, fallback=engine)).run(edited)
    assert np.array_equal(mixed.keyframes[0].values, animation.keyframes[0].values)
    assert np.array_equal(mixed.keyframes[2].values, animation.keyframes[2].values)
    assert not np.array_equal(mixed.keyframes[1].values, animation.keyframes[1].values)
    with pytest.raises(InputError, match="keyframe 2"):
        Pipeline(ReplayBackend({0: animation.keyframes[0]})).run(script)


def test_backend_choice_options():
    assert BackendChoice().options() == {"backend": "engine"}
    llm = {"url": "http://127.0.0.1:9/v1", "model": "m", "prompt_style": None, "timeout": 5.0}
    assert BackendChoice(llm=llm).options() == {"backend": "engine"}  # the LLM's options only when used
    assert BackendChoice(planner="llm", llm=llm).options() == {"backend": "engine", "url": "http://127.0.0.1:9/v1",
                                                               "model": "m", "timeout": 5.0}
    choice = BackendChoice(planner="llm", llm=llm)
    assert choice.make_backend().name == "engine" and choice.make_planner().name.startswith("llm")
