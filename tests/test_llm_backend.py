"""LLMBackend over real sockets against a loopback replay server (no patched client)."""

from __future__ import annotations

import json
import logging
import socket
import time

import numpy as np
import pytest
from replay_server import Reply, ReplayServer, user_text
from test_reference_format import EXAMPLE, csv_values

from keyframeface.backends import get_backend
from keyframeface.backends.llm import LLMBackend
from keyframeface.channels import CHANNELS, HIGH, LOW
from keyframeface.data import KeyframeSpec, Script
from keyframeface.errors import BackendError, InputError

KEY = "sk-test-5f1d0c9a-never-leak"
SCRIPT = Script(background="A chef tastes a sauce.", emotion="Disgust turning to amusement.",
                keyframes=(KeyframeSpec("The nose wrinkles and the upper lip rises."),
                           KeyframeSpec("The mouth corners lift into a crooked grin.")))
I = CHANNELS.index


def backend(server: ReplayServer, **options) -> LLMBackend:
    options = {"model": "keyframeface", "backoff": 0.01, **options}
    return LLMBackend(url=server.url, **options)


def full_answer(key: str = "Keyframe_one", **values: float) -> str:
    return json.dumps({key: {n: values.get(n, 0.0) for n in CHANNELS}})


def test_release_answers_replayed_give_the_release_csv(server, fixture_file):
    requests = [json.loads(x) for x in fixture_file("reference", "example.jsonl").read_text().splitlines() if x]
    answers = [json.loads(x)["response"] for x in fixture_file("reference", "example_result.jsonl").open()]
    for request, answer in zip(requests, answers):
        server.answers[request["messages"][1]["content"]] = answer
    _, expected = csv_values(fixture_file("reference", "example_result.csv"))
    llm = get_backend("llm", url=server.url, model="keyframeface")
    keyframes = [llm.pose(EXAMPLE, i) for i in range(2)]
    assert np.array_equal(np.stack([k.values for k in keyframes]), expected)
    assert [k.backend for k in keyframes] == ["llm:keyframeface"] * 2
    sent = server.chat_requests()
    assert len(sent) == 2
    for recorded, request in zip(sent, requests):
        assert recorded.path == "/v1/chat/completions"
        assert recorded.body["model"] == "keyframeface" and recorded.body["temperature"] == 0.0
        assert recorded.body["max_tokens"] == 1024
        # Byte for byte: the messages as the release serialises them.
        assert (json.dumps(recorded.body["messages"], ensure_ascii=False, separators=(",", ":"))
                == json.dumps(request["messages"], ensure_ascii=False, separators=(",", ":")))


def test_schema_asks_for_61_ranged_channels_in_the_release_shape(server):
    backend(server).pose(SCRIPT, 1)
    fmt = server.chat_requests()[0].body["response_format"]
    assert fmt["type"] == "json_schema"
    schema = fmt["json_schema"]["schema"]
    assert schema["required"] == ["Keyframe_two"]
    inner = schema["properties"]["Keyframe_two"]
    assert inner["required"] == list(CHANNELS)
    assert [(p["minimum"], p["maximum"]) for p in inner["properties"].values()] == list(zip(LOW, HIGH))


def test_api_key_is_a_bearer_header_and_nowhere_else(server, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    cache = tmp_path / "cache"
    llm = backend(server, api_key=KEY, cache_dir=cache)
    server.queue(Reply(content="junk"), Reply(503, raw="overloaded"))
    keyframe = llm.pose(SCRIPT, 0)
    assert all(r.headers.get("Authorization") == f"Bearer {KEY}" for r in server.chat_requests())
    assert all(KEY not in json.dumps(r.body) for r in server.chat_requests())
    assert KEY not in repr(llm) and KEY not in repr(llm.settings) and KEY not in repr(llm.client)
    assert "[secure]" in repr(llm)
    assert KEY not in repr(keyframe) and KEY not in caplog.text
    files = list(cache.rglob("*.json"))
    assert files and all(KEY not in f.read_text() for f in files)
    server.when(lambda body: True, Reply(401, raw='{"error": "bad key"}'))
    with pytest.raises(BackendError) as info:
        backend(server, api_key=KEY).pose(SCRIPT, 1)
    assert KEY not in str(info.value) and KEY not in (info.value.raw or "")


def test_env_api_key_falls_back_to_openai(server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    backend(server).pose(SCRIPT, 0)
    monkeypatch.setenv("KEYFRAMEFACE_LLM_API_KEY", "sk-kff")
    backend(server).pose(SCRIPT, 0)
    assert [r.headers["Authorization"] for r in server.chat_requests()] == ["Bearer sk-openai", "Bearer sk-kff"]


@pytest.mark.parametrize("text", [
    "<think>\nLowered gaze means EyeLookDown... {draft}\n</think>\n\n" + full_answer(JawOpen=0.3),
    "Here you go:\n```json\n" + full_answer(JawOpen=0.3) + "\n```\nLet me know if you need more.",
    full_answer(JawOpen="0.3").replace("EyeBlinkLeft", "eyeBlink_L"),
])
def test_messy_answers_over_the_wire(server, text):
    server.queue(Reply(content=text))
    keyframe = backend(server).pose(SCRIPT, 0)
    assert keyframe.values[I("JawOpen")] == 0.3 and np.count_nonzero(keyframe.values) == 1


def test_repairs_are_recorded_as_keyframe_warnings(server):
    server.queue(Reply(content=full_answer(JawOpen=1.5, HeadYaw=float("nan"))))
    keyframe = backend(server).pose(SCRIPT, 0)
    assert keyframe.values[I("JawOpen")] == 1.0 and keyframe.values[I("HeadYaw")] == 0.0
    assert any("clamped" in w for w in keyframe.warnings) and any("HeadYaw" in w for w in keyframe.warnings)


def test_unreadable_answers_are_asked_again(server):
    server.queue(Reply(content="Sorry, I can't."), Reply(content=full_answer()[:300]),
                 Reply(raw="<html>bad gateway</html>"), Reply(content=full_answer(JawOpen=0.2)))
    keyframe = backend(server).pose(SCRIPT, 0)
    assert keyframe.values[I("JawOpen")] == 0.2
    assert len(server.chat_requests()) == 4


def test_junk_forever_fails_that_keyframe_with_the_raw_answer(server):
    junk = "I am a teapot. " * 400
    server.when(lambda body: True, Reply(content=junk))
    with pytest.raises(BackendError) as info:
        backend(server, retries=2).pose(SCRIPT, 1)
    assert "keyframe 2" in str(info.value) and server.url in str(info.value)
    assert info.value.raw is not None and 0 < len(info.value.raw) <= 2000 and "teapot" in info.value.raw
    assert len(server.chat_requests()) == 3


def test_5xx_then_success_is_retried(server):
    server.queue(Reply(500, raw="boom"), Reply(502, raw="bad gateway"))
    keyframe = backend(server, structured="none").pose(SCRIPT, 0)
    assert keyframe.values.shape == (61,)
    assert len(server.chat_requests()) == 3


@pytest.mark.slow
def test_429_waits_for_retry_after(server):
    server.queue(Reply(429, raw='{"error": "slow down"}', headers={"Retry-After": "1"}))
    start = time.perf_counter()
    backend(server).pose(SCRIPT, 0)
    assert time.perf_counter() - start >= 0.95
    assert len(server.chat_requests()) == 2


def test_client_errors_fail_at_once_naming_status_and_url(server):
    server.when(lambda body: True, Reply(404, raw='{"error": {"message": "The model `x` does not exist."}}'))
    with pytest.raises(BackendError) as info:
        backend(server).pose(SCRIPT, 0)
    assert "HTTP 404" in str(info.value) and server.url in str(info.value) and "does not exist" in str(info.value)
    assert len(server.chat_requests()) == 1


def test_5xx_forever_gives_up_after_the_retries(server):
    server.when(lambda body: True, Reply(503, raw="overloaded"))
    with pytest.raises(BackendError, match="HTTP 503.*after 3 attempts"):
        backend(server, retries=2).pose(SCRIPT, 0)
    assert len(server.chat_requests()) == 3


@pytest.mark.slow
def test_slow_answers_time_out_and_are_retried(server):
    server.queue(Reply(delay=1.5))
    start = time.perf_counter()
    keyframe = backend(server, timeout=0.3).pose(SCRIPT, 0)
    assert keyframe.values.shape == (61,) and time.perf_counter() - start < 1.4
    server.when(lambda body: True, Reply(delay=1.0))
    with pytest.raises(BackendError, match="no answer within 0.3 s"):
        backend(server, timeout=0.3, retries=1).pose(SCRIPT, 0)


def test_connection_refused_is_a_backend_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nobody listens
    with pytest.raises(BackendError, match="connection failed"):
        LLMBackend(url=f"http://127.0.0.1:{port}/v1", model="m", retries=1, backoff=0.01).pose(SCRIPT, 0)


def test_server_rejecting_json_schema_like_llama_cpp_falls_back_and_remembers(server):
    server.reject_forms = {"json_schema"}
    llm = backend(server)
    llm.pose(SCRIPT, 0)
    llm.pose(SCRIPT, 1)
    forms = [r.body.get("response_format", {}).get("type") for r in server.chat_requests()]
    assert forms == ["json_schema", "json_object", "json_object"]
    assert "schema" in server.chat_requests()[1].body["response_format"]


def test_server_rejecting_every_form_gets_plain_requests(server):
    server.reject_forms = {"json_schema", "json_object"}
    keyframe = backend(server).pose(SCRIPT, 0)
    assert keyframe.values.shape == (61,)
    forms = [r.body.get("response_format", {}).get("type") for r in server.chat_requests()]
    assert forms == ["json_schema", "json_object", None]


def test_a_server_failing_only_with_a_schema_is_survived(server):
    server.when(lambda body: "response_format" in body, Reply(500, raw="Internal Server Error"))
    keyframe = backend(server, retries=1).pose(SCRIPT, 0)
    assert keyframe.values.shape == (61,)
    assert "response_format" not in server.chat_requests()[-1].body


@pytest.mark.parametrize("structured, form", [("json_object", "json_object"), ("none", None)])
def test_structured_option_picks_one_form(server, structured, form):
    backend(server, structured=structured).pose(SCRIPT, 0)
    assert server.chat_requests()[0].body.get("response_format", {}).get("type") == form


def test_cache_makes_the_second_run_free(server, tmp_path):
    cache = tmp_path / "cache"
    first = [backend(server, cache_dir=cache).pose(SCRIPT, i) for i in range(2)]
    assert len(server.chat_requests()) == 2
    second = [backend(server, cache_dir=cache, api_key="another-key").pose(SCRIPT, i) for i in range(2)]
    assert len(server.chat_requests()) == 2
    assert all(np.array_equal(a.values, b.values) for a, b in zip(first, second))
    backend(server, cache_dir=cache, temperature=0.7).pose(SCRIPT, 0)  # a different request
    assert len(server.chat_requests()) == 3


def test_junk_is_never_cached(server, tmp_path):
    cache = tmp_path / "cache"
    server.queue(Reply(content="junk"))
    backend(server, cache_dir=cache).pose(SCRIPT, 0)
    entries = [json.loads(p.read_text()) for p in cache.rglob("*.json")]
    assert len(entries) == 1 and entries[0]["answer"] != "junk"


def test_compact_style_is_short_and_sparse(server):
    keyframe = backend(server, prompt_style="compact").pose(SCRIPT, 0)
    body = server.chat_requests()[0].body
    assert "ONLY the parameters" in body["messages"][0]["content"]
    assert body["messages"][1]["content"] == user_text(body)
    assert "required" not in body["response_format"]["json_schema"]["schema"]
    assert keyframe.warnings == () and keyframe.values.shape == (61,)


def test_planner(server):
    specs = backend(server).plan("A chef tastes a sauce.", "Disgust turning to amusement.", count=4)
    assert len(specs) == 4 and all(isinstance(s, KeyframeSpec) and s.description for s in specs)
    body = server.chat_requests()[0].body
    assert "Background: A chef tastes a sauce." in user_text(body) and "exactly 4" in user_text(body)
    assert body["response_format"]["json_schema"]["schema"]["properties"]["keyframes"]["maxItems"] == 4


def test_planner_retries_junk_then_reads_fenced_list(server):
    server.queue(Reply(content="Let me think."), Reply(content='```json\n["The gaze drops.", "A smile."]\n```'))
    specs = backend(server, plan_model="Qwen/Qwen3-14B").plan("bg", "em")
    assert [s.description for s in specs] == ["The gaze drops.", "A smile."]
    assert {r.body["model"] for r in server.chat_requests()} == {"Qwen/Qwen3-14B"}


def test_pose_index_out_of_range(server):
    with pytest.raises(InputError, match="keyframe index 2"):
        backend(server).pose(SCRIPT, 2)
