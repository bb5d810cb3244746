"""Pipeline wiring and all-or-nothing outputs, with the deterministic fake backend and the engine."""

from __future__ import annotations

import numpy as np
import pytest

import keyframeface
from keyframeface.backends import get_backend
from keyframeface.backends.base import Backend
from keyframeface.channels import HIGH, LOW
from keyframeface.data import KeyframeSpec, Script
from keyframeface.errors import InputError
from keyframeface.outputs import CORE_FILES, write_outputs
from keyframeface.pipeline import Pipeline


@pytest.fixture(params=["engine", "fake", "llm"])
def any_backend(request):
    """Every backend, each behind the same contract; the LLM one talks to a real loopback replay server."""
    if request.param != "llm":
        yield get_backend(request.param)
        return
    from replay_server import ReplayServer

    with ReplayServer() as server:
        backend = get_backend("llm", url=server.url, model="replay", retries=1, backoff=0.0)
        yield backend
        backend.close()


def test_backend_contract(any_backend):
    backend = any_backend
    assert isinstance(backend, Backend) and backend.name
    specs = backend.plan("A quiet library", "mild boredom", 3)
    assert len(specs) == 3 and all(isinstance(s, KeyframeSpec) and s.description for s in specs)
    script = Script("A quiet library", "mild boredom", keyframes=tuple(specs))
    first = [backend.pose(script, i) for i in range(3)]
    again = [backend.pose(script, i) for i in range(3)]
    for a, b in zip(first, again):
        assert a.values.shape == (61,)
        assert np.all(a.values >= LOW) and np.all(a.values <= HIGH)
        assert np.array_equal(a.values, b.values)


def test_unknown_backend_is_an_input_error():
    with pytest.raises(InputError, match="unknown backend 'nope'"):
        get_backend("nope")


def test_pipeline_plans_when_script_has_no_keyframes():
    anim = Pipeline(get_backend("fake"), keyframes=4).run(Script("b", "joy", seed=1))
    assert anim.planned_by == "fake" and len(anim.keyframes) == 4
    assert anim.timeline.values.shape[1] == 61 and anim.timeline.frames > 30
    assert len(anim.timeline.key_times) == 4
    assert list(anim.timeline.key_times) == sorted(anim.timeline.key_times)


def test_pipeline_keeps_user_keyframes_and_passes_previous():
    seen = []

    class Spy:
        name = "spy"

        def plan(self, background, emotion, count=None):
            raise AssertionError("must not plan when keyframes are given")

        def pose(self, script, index, previous=()):
            seen.append(len(previous))
            return get_backend("fake").pose(script, index, previous)

    script = Script("b", "e", keyframes=(KeyframeSpec("one"), KeyframeSpec("two"), KeyframeSpec("three")))
    anim = Pipeline(Spy()).run(script)
    assert anim.planned_by == "script" and seen == [0, 1, 2]


def test_animate_one_call_and_outputs(tmp_path):
    anim = keyframeface.animate("A job interview", "nervous but polite", ["The brows lift.", "A small smile."],
                                seed=3)
    written = write_outputs(anim, tmp_path / "out", preview=False)
    assert sorted(p.name for p in written) == sorted(CORE_FILES)
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_outputs_all_or_nothing(tmp_path, monkeypatch):
    anim = keyframeface.animate("b", "joy", ["A smile."], backend="fake")
    import keyframeface.formats.reference as reference

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(reference, "write_results", boom)  # the third of three files fails
    with pytest.raises(OSError):
        write_outputs(anim, tmp_path / "out", preview=False)
    assert list(tmp_path.iterdir()) == []  # no folder, no staging left beside it


def test_llm_backend_turns_junk_into_backend_error():
    """The contract's failure half: junk answers become BackendError, never a crash or a bad keyframe."""
    from replay_server import Reply, ReplayServer

    from keyframeface.errors import BackendError

    script = Script("b", "e", keyframes=(KeyframeSpec("A smile."),))
    with ReplayServer() as server:
        server.when(lambda body: True, Reply(content="I'd rather not say."))
        backend = get_backend("llm", url=server.url, model="replay", retries=1, backoff=0.0)
        with pytest.raises(BackendError):
            backend.pose(script, 0)
        backend.close()
