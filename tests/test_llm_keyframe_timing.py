"""Per-keyframe answers (the release's protocol and the compact style) may carry the model's own "onset" and
"hold" seconds, as whole-script answers do: read on the loopback replay server, the model's numbers winning over
the engine's reading of the words, absent or out-of-range ones leaving the words' timing."""

from __future__ import annotations

import json

import pytest
from replay_server import Reply

from keyframeface.backends.engine.manner import read_manner
from keyframeface.backends.llm import LLMBackend
from keyframeface.channels import CHANNELS
from keyframeface.data import KeyframeSpec, Script
from keyframeface.formats.answers import parse_keyframe

I = CHANNELS.index
SCRIPT = Script(background="A chef tastes a sauce.", emotion="Disgust turning to amusement.",
                keyframes=(KeyframeSpec("The nose slowly wrinkles and the upper lip rises."),
                           KeyframeSpec("She nods twice, smiling.")))
FULL = {name: 0.0 for name in CHANNELS}


def _full(**values: float) -> dict:
    return {**FULL, **values}


@pytest.mark.parametrize("style", ["reference", "compact"])
def test_the_models_onset_and_hold_win_per_keyframe(server, style):
    first = {"Keyframe_one": {**_full(NoseSneerLeft=0.6), "onset": 1.7, "hold": 0.4}}  # beside the channels
    second = {"Keyframe_two": _full(MouthSmileLeft=0.5), "hold": 2.5}  # beside the wrapper; no onset
    server.queue(Reply(content=json.dumps(first)), Reply(content=json.dumps(second)))
    with LLMBackend(url=server.url, model="m", prompt_style=style, backoff=0.01) as backend:
        keys = [backend.pose(SCRIPT, 0), backend.pose(SCRIPT, 1)]  # in order: the queue answers in order
    assert len(server.chat_requests()) == 2
    assert keys[0].values[I("NoseSneerLeft")] == 0.6 and keys[1].values[I("MouthSmileLeft")] == 0.5
    assert (keys[0].motion.pace, keys[0].motion.hold) == (1.7, 0.4)
    words = read_manner(SCRIPT.keyframes[1].description)
    assert keys[1].motion.hold == 2.5 and keys[1].motion.pace == words.pace  # onset not given: the words'
    assert [c.name for c in keys[1].motion.cycles] == ["nod"]  # the nods stay
    assert not any("unknown" in w for k in keys for w in k.warnings)  # timing keys are not junk channels


def test_without_timing_the_words_decide_as_before(server):
    server.queue(Reply(content=json.dumps({"Keyframe_one": _full(JawOpen=0.3)})))
    with LLMBackend(url=server.url, model="m", backoff=0.01) as backend:
        key = backend.pose(SCRIPT, 0)
    assert key.motion == read_manner(SCRIPT.keyframes[0].description)
    assert read_manner("slowly").pace != read_manner("").pace  # the words' timing is not the default one


@pytest.mark.parametrize("onset, hold", [(50, -1), ("soon", None), (True, 11)])
def test_timing_out_of_range_or_not_a_number_is_dropped_with_a_warning(onset, hold):
    reading = parse_keyframe(json.dumps({**_full(JawOpen=0.2), "onset": onset, "hold": hold}))
    assert reading.onset is None and reading.hold is None and reading.values[I("JawOpen")] == 0.2
    assert any("ignored onset" in w for w in reading.warnings)
