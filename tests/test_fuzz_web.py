"""Property-based tests of every studio API route's body, against a real uvicorn on loopback.

Bodies are drawn two ways: objects with each route's own fields holding hostile JSON values
(huge and non-finite numbers, lone surrogate escapes, 10,001-character text, deep nesting,
wrong types, unknown keys), and valid bodies mutated as bytes (``fuzzing.mutated``). Every answer
must be a 2xx, or a 4xx in the documented ``{"error", "field"}`` shape: never a 5xx, a traceback
or a hang; after each example the live face and the stream are stopped and nothing is left running.
"""

from __future__ import annotations

import json
import socket
import threading

import httpx
import pytest
from fuzzing import EXAMPLES, FUZZ, mutated
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi", reason="the web extra (fastapi, uvicorn) is not installed")

from studio_server import StudioServer

WEB = settings(FUZZ, max_examples=max(10, EXAMPLES // 4))  # each example is an HTTP round trip or two

SCRIPT = {"background": "A student waits outside an interview room.", "emotion": "Anxiety behind a smile.",
          "keyframes": ["The gaze is lowered.", {"description": "A small restrained smile.", "hold": 0.5}]}

text = (st.text(max_size=40) | st.sampled_from(["", " ", "a smile", "x" * 10_001, "a \ud800 smile", "\udfff",
                                                 "1" * 9_000, "emotion: joy", "\u2028", "\x00"]))
number = (st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
          | st.sampled_from([0, -1, 1, 30, 240, 241, 65535, 65536, 10**400, 1e308, 0.5, 600.0, 601.0]))
scalar = st.none() | st.booleans() | number | text
value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
                     max_leaves=12)
hosts = st.sampled_from(["127.0.0.1", "localhost", "::1", "[::1]", "nonexistent.invalid", "255.255.255.255", "",
                         "0.0.0.0", "\ud800", "h" * 300, "127.0.0.1:80"])
keyframe = st.one_of(text, st.fixed_dictionaries({"description": text},
                                                 optional={"hold": number | value, "duration": number | value}))

FIELDS = {
    "/api/plan": {"background": text, "emotion": text, "keyframes": number | value},
    "/api/pose": {"description": text, "background": text, "emotion": text},
    "/api/animate": {"background": text, "emotion": text, "keyframes": st.lists(keyframe, max_size=6) | value,
                     "fps": number | value, "seed": number | value},
    "EDIT": {"description": text, "hold": number | value, "duration": number | value},
    "/api/stream": {"id": text, "start_frame": number | value, "host": hosts | value, "port": number | value,
                    "protocol": st.sampled_from(["livelink", "vmc", "x"]) | value, "broadcast": value},
    "/api/live": {"host": hosts | value, "port": number | value, "protocol": st.sampled_from(["livelink", "vmc"]),
                  "fps": number | value, "background": text, "emotion": text, "broadcast": value},
    "/api/live/say": {"line": text},
}
VALID = {"/api/plan": {"background": "b", "emotion": "joy"}, "/api/pose": {"description": "a smile"},
         "/api/animate": SCRIPT, "EDIT": {"description": "a wide grin", "hold": 0.4},
         "/api/stream": {"id": "ID", "start_frame": 3}, "/api/live": {"fps": 30},
         "/api/live/say": {"line": "the jaw drops"}}


@pytest.fixture(scope="module")
def env():
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    with StudioServer() as server, httpx.Client(base_url=server.url, timeout=60) as client:
        anim = client.post("/api/animate", json=SCRIPT).json()["id"]
        yield {"client": client, "id": anim, "port": sink.getsockname()[1]}
    sink.close()


def _body(fields: dict, draw: st.DrawFn) -> dict:
    keys = draw(st.lists(st.sampled_from(sorted(fields)), unique=True))
    body = {k: draw(fields[k]) for k in keys}
    if draw(st.booleans()):
        body[draw(text)] = draw(value)  # an unknown key
    return body


def _route(env: dict, route: str) -> str:
    return f"/api/animations/{env['id']}/keyframes/{0}" if route == "EDIT" else route


def _send(env: dict, route: str, raw: bytes) -> None:
    client = env["client"]
    try:
        r = client.post(_route(env, route), content=raw, headers={"content-type": "application/json"})
        assert r.status_code < 500, (route, raw[:300], r.status_code, r.text[:300])
        if r.status_code >= 400:
            body = r.json()
            assert set(body) == {"error", "field"} and isinstance(body["error"], str), body
    finally:
        client.delete("/api/live")
        client.delete("/api/stream")
    assert not [t for t in threading.enumerate() if t.name in ("keyframeface-live", "keyframeface-stream")
                and t.is_alive()]


def _aimed(env: dict, body: object) -> object:
    """Valid ports point at our UDP sink: a fuzzed stream never sends to someone else's port."""
    if isinstance(body, dict) and isinstance(body.get("port"), int) and 1 <= body["port"] <= 65535:
        body["port"] = env["port"]
    if isinstance(body, dict) and "port" not in body:
        body["port"] = env["port"]
    if isinstance(body, dict) and body.get("id") == "ID":
        body["id"] = env["id"]
    return body


@pytest.mark.slow
@pytest.mark.parametrize("route", sorted(FIELDS))
@WEB
@given(data=st.data())
def test_every_route_answers_hostile_fields_with_a_4xx_shape(env, route, data):
    body = _body(FIELDS[route], data.draw)
    if route in ("/api/stream", "/api/live"):
        body = _aimed(env, body)
    _send(env, route, json.dumps(body, ensure_ascii=True).encode())


@pytest.mark.slow
@pytest.mark.parametrize("route", sorted(VALID))
@WEB
@given(data=st.data())
def test_every_route_answers_mutated_bodies_with_a_4xx_shape(env, route, data):
    valid = _aimed(env, json.loads(json.dumps(VALID[route])))
    raw = data.draw(mutated(json.dumps(valid).encode()))
    if route in ("/api/stream", "/api/live"):  # a mutation must not aim the stream at another port
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            raw = json.dumps(_aimed(env, parsed), ensure_ascii=True).encode()
    _send(env, route, raw)
