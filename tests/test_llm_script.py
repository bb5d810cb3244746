"""One request per script ("script" prompt style) against the loopback replay server: one structured answer for
every keyframe, the same validation and bounded retries, junk never crashing a batch."""

from __future__ import annotations

import json

import numpy as np
import pytest
from replay_server import Reply, ReplayServer

from keyframeface.backends.llm import LLMBackend
from keyframeface.batch import run_batch
from keyframeface.channels import CHANNELS
from keyframeface.data import KeyframeSpec, Script
from keyframeface.errors import BackendError
from keyframeface.formats.answers import AnswerError, parse_script
from keyframeface.pipeline import Pipeline

I = CHANNELS.index
SCRIPT = Script(background="A chef tastes a sauce.", emotion="Disgust turning to amusement.",
                keyframes=(KeyframeSpec("The nose wrinkles and the upper lip rises."),
                           KeyframeSpec("The mouth corners lift into a crooked grin."),
                           KeyframeSpec("She nods twice, still smiling.")))


@pytest.fixture
def server():
    with ReplayServer() as s:
        yield s


def backend(server: ReplayServer, **options) -> LLMBackend:
    return LLMBackend(url=server.url, **{"model": "m", "backoff": 0.01, "prompt_style": "script", **options})


def answer(*entries: dict) -> str:
    return json.dumps({"keyframes": list(entries)})


def test_one_request_poses_every_keyframe_with_a_json_schema(server):
    server.queue(Reply(content=answer({"values": {"NoseSneerLeft": 0.6, "NoseSneerRight": 0.6}},
                                      {"values": {"MouthSmileLeft": 0.5}, "onset": 1.4, "hold": 0.9},
                                      {"values": {"MouthSmileLeft": 0.4, "HeadPitch": -0.05}})))
    anim = Pipeline(backend(server), life=False).run(SCRIPT)
    assert len(server.chat_requests()) == 1
    body = server.chat_requests()[0].body
    schema = body["response_format"]["json_schema"]["schema"]
    assert body["response_format"]["type"] == "json_schema"
    assert schema["properties"]["keyframes"]["minItems"] == schema["properties"]["keyframes"]["maxItems"] == 3
    assert "Keyframe 3: She nods twice" in body["messages"][1]["content"]
    k = anim.keyframes
    assert k[0].values[I("NoseSneerLeft")] == 0.6 and k[1].values[I("MouthSmileLeft")] == 0.5
    assert np.count_nonzero(k[1].values) == 1  # sparse: absent channels are 0
    assert (k[1].motion.pace, k[1].motion.hold) == (1.4, 0.9)  # the model's timing wins
    assert [(c.name, c.periods) for c in k[2].motion.cycles] == [("nod", 2)]  # else the engine's reader
    assert k[0].backend == "llm:m"
    assert body["max_tokens"] >= 3 * 400  # the answer budget grows with the script


@pytest.mark.parametrize("bad", [
    answer({"values": {"JawOpen": 0.2}}),  # two keyframes short
    answer(*[{"values": {"Ear": 1}}] * 3),  # no channel
    answer(*[{"values": {"JawOpen": 0.2}}] * 2, "smile"),  # not an object
    "Sorry, I can't help with that.",
])
def test_an_unreadable_answer_is_asked_again_then_read(server, bad):
    server.queue(Reply(content=bad))
    keyframes = Pipeline(backend(server), life=False).pose(SCRIPT)
    assert len(server.chat_requests()) == 2 and len(keyframes) == 3


def test_junk_forever_is_a_backend_error_and_a_batch_goes_on(server, tmp_path):
    server.when(lambda body: "teapot" in json.dumps(body), Reply(content="I am a teapot. " * 50))
    with pytest.raises(BackendError) as info:
        backend(server, retries=1).pose(Script("teapot", "calm", SCRIPT.keyframes), 0)
    assert "all 3 keyframes" in str(info.value) and len(server.chat_requests()) == 2
    scripts = tmp_path / "scripts.jsonl"
    scripts.write_text("\n".join(json.dumps({"id": name, "background": bg, "emotion": "calm",
                                             "keyframes": ["a smile", "the brows lift"]})
                                 for name, bg in (("junk", "a teapot"), ("fine", "a kitchen"))) + "\n")
    report = run_batch(scripts, tmp_path / "out", backend_options={
        "backend": "llm", "url": server.url, "model": "m", "prompt_style": "script"}, concurrency=1,
        progress=False)
    assert not report.ok and (tmp_path / "out" / "fine" / "animation.csv").exists()
    assert not (tmp_path / "out" / "junk" / "animation.csv").exists()


def test_timing_out_of_range_is_dropped_with_a_warning():
    got = parse_script(answer({"values": {"JawOpen": 0.2}, "onset": 50, "hold": -1}), 1)
    assert got[0].onset is None and got[0].hold is None
    assert any("ignored onset 50" in w for w in got[0].reading.warnings)
    with pytest.raises(AnswerError, match="keyframes\\[0\\]"):
        parse_script(answer({"values": {n: 9 for n in CHANNELS}}), 1)  # 61 out of range: not a face
