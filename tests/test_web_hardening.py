"""The studio under hostile use, against a real uvicorn on loopback: limits on every route, the Host
allow-list, one error shape, slow clients, work that stops at its 504, and live/stream state that cannot
leak a sender (real UDP sockets listening for orphan packets)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi, uvicorn) is not installed")

from studio_server import StudioServer

from keyframeface.formats.livelink_udp import decode_packet
from keyframeface.web import app as app_module
from keyframeface.web import server as server_module
from keyframeface.web.app import host_allowed

pytestmark = pytest.mark.slow  # servers, timeouts and long takes: seconds each; the full suite runs them

SCRIPT = {"background": "A student waits outside an interview room.", "emotion": "Anxiety behind a smile.",
          "keyframes": ["The gaze is lowered.", {"description": "A small restrained smile.", "hold": 0.5}]}
LONG = "x" * 10_001


@pytest.fixture(scope="module")
def server():
    with StudioServer() as s:
        yield s


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def anim_id(client):
    r = client.post("/api/animate", json=SCRIPT)
    assert r.status_code == 200
    return r.json()["id"]


def _sink() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def _drain(sock: socket.socket) -> int:
    """Packets waiting in the socket's buffer now (read without blocking)."""
    sock.setblocking(False)
    n = 0
    try:
        while True:
            sock.recv(65536)
            n += 1
    except BlockingIOError:
        return n


def _arriving(socks: list[socket.socket], seconds: float) -> list[int]:
    """Packets each socket receives during the next ``seconds`` (what was buffered before is dropped)."""
    for sock in socks:
        _drain(sock)
    time.sleep(seconds)
    return [_drain(sock) for sock in socks]


def _threads(name: str) -> int:
    return sum(t.name == name and t.is_alive() for t in threading.enumerate())


def _shape(r: httpx.Response) -> dict:
    body = r.json()
    assert set(body) == {"error", "field"} and isinstance(body["error"], str) and body["error"], body
    return body


# ---------------------------------------------------------------- limits on every route


@pytest.mark.parametrize(("route", "body", "field"), [
    ("/api/plan", {"background": LONG, "emotion": "joy"}, "background"),
    ("/api/plan", {"background": "b", "emotion": LONG}, "emotion"),
    ("/api/pose", {"description": LONG}, "description"),
    ("/api/pose", {"description": "a smile", "background": LONG}, "background"),
    ("/api/pose", {"description": "a smile", "emotion": LONG}, "emotion"),
    ("/api/animate", {**SCRIPT, "background": LONG}, "background"),
    ("/api/animate", {**SCRIPT, "keyframes": ["a smile", LONG]}, "keyframes[1]"),
    ("/api/animate", {**SCRIPT, "keyframes": [{"description": LONG}]}, "keyframes[0].description"),
    ("/api/animate", {**SCRIPT, "keyframes": ["a smile"] * 65}, "keyframes"),
    ("/api/live", {"background": LONG}, "background"),
    ("/api/live", {"emotion": LONG}, "emotion"),
    ("/api/live", {"host": "h" * 254}, "host"),
    ("/api/live/say", {"line": LONG}, "line"),
    ("/api/stream", {"id": "i" * 65}, "id"),
])
def test_every_text_limit_holds_on_every_route(client, route, body, field):
    r = client.post(route, json=body)
    assert r.status_code == 422, r.text
    assert _shape(r)["field"] == field


def test_the_limit_is_exactly_ten_thousand_characters(client):
    assert client.post("/api/pose", json={"description": "a smile " + "x" * 9_992}).status_code == 200


def test_an_edit_is_bounded_too(client, anim_id):
    r = client.post(f"/api/animations/{anim_id}/keyframes/0", json={"description": LONG})
    assert r.status_code == 422 and _shape(r)["field"] == "description"


@pytest.mark.parametrize("route", ["/api/pose", "/api/live/say", "/api/live"])
def test_lone_surrogates_are_4xx_and_leave_the_server_well(client, route):
    key = {"/api/pose": "description", "/api/live/say": "line", "/api/live": "host"}[route]
    raw = ('{"%s": "a \\ud800 smile"}' % key).encode()
    r = client.post(route, content=raw, headers={"content-type": "application/json"})
    assert 400 <= r.status_code < 500
    _shape(r)
    assert client.get("/api/live").status_code == 200  # no later 500


def test_404_and_405_use_the_json_error_shape(client):
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and _shape(r)["field"] == "path"
    r = client.put("/api/pose", json={})
    assert r.status_code == 405 and _shape(r)["field"] == "method"
    r = client.get("/api/animations/unknown")
    assert r.status_code == 404 and _shape(r)["field"] == "id"


def test_values_stream_as_json_equal_to_the_library(client, server, anim_id):
    r = client.get(f"/api/animations/{anim_id}/values")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    served = r.json()
    assert served == server.app.state.studio.values(anim_id)
    assert len(served["values"]) == client.get(f"/api/animations/{anim_id}").json()["frames"]


# ---------------------------------------------------------------- Host allow-list (DNS rebinding)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example", "localhost.evil",
                                  "192.168.1.20", "", "[::1"])
def test_foreign_host_headers_get_403(server, host):
    r = httpx.get(server.url + "/api/info", headers={"Host": host})
    assert r.status_code == 403 and _shape(r)["field"] == "host"
    r = httpx.post(server.url + "/api/pose", headers={"Host": host}, json={"description": "a smile"})
    assert r.status_code == 403


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST:8000", "[::1]:8000", "127.0.0.2:1"])
def test_local_host_headers_are_answered(server, host):
    assert httpx.get(server.url + "/api/info", headers={"Host": host}).status_code == 200


def test_allow_host_adds_names_and_a_wildcard_bind_allows_addresses():
    allowed = frozenset({"localhost", "127.0.0.1", "::1", "studio.lan"})
    assert host_allowed("studio.lan:8000", allowed) and not host_allowed("other.lan", allowed)
    assert not host_allowed("192.168.1.20:8000", allowed)
    assert host_allowed("192.168.1.20:8000", allowed, any_ip=True)
    assert not host_allowed("evil.example", allowed, any_ip=True)  # a name is what DNS rebinding needs
    assert host_allowed("anything", frozenset({"*"}))
    with StudioServer(allow_hosts=["studio.lan"]) as s:
        assert httpx.get(s.url + "/api/info", headers={"Host": "studio.lan:8000"}).status_code == 200
        assert httpx.get(s.url + "/api/info", headers={"Host": "other.lan"}).status_code == 403


# ---------------------------------------------------------------- live and stream state


@pytest.mark.parametrize("host", ["nonexistent.invalid", "255.255.255.255", "", "bad host name", "1.2.3.4.5"])
def test_bad_live_and_stream_hosts_are_4xx_naming_the_host_and_start_nothing(client, anim_id, host):
    before = _threads("keyframeface-live"), _threads("keyframeface-stream")
    r = client.post("/api/live", json={"host": host})
    assert r.status_code == 422 and _shape(r)["field"] == "host", r.text
    assert client.get("/api/live").json()["live"] is False
    r = client.post("/api/stream", json={"id": anim_id, "host": host, "protocol": "vmc"})
    assert r.status_code == 422 and _shape(r)["field"] == "host"
    assert (_threads("keyframeface-live"), _threads("keyframeface-stream")) == before == (0, 0)


def test_live_over_ipv6_loopback_reaches_an_ipv6_socket(client):
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
        sock.bind(("::1", 0))
        sock.settimeout(5)
        r = client.post("/api/live", json={"host": "::1", "port": sock.getsockname()[1]})
        assert r.status_code == 200, r.text
        try:
            assert len(decode_packet(sock.recv(2048)).values) == 61
        finally:
            assert client.delete("/api/live").json() == {"live": False}


def test_concurrent_live_starts_leave_one_stream_and_delete_leaves_silence(server):
    sinks = [_sink() for _ in range(6)]
    try:
        def start(sock: socket.socket) -> int:
            with httpx.Client(base_url=server.url, timeout=60) as c:
                return c.post("/api/live", json={"port": sock.getsockname()[1], "fps": 60}).status_code

        with ThreadPoolExecutor(len(sinks)) as pool:
            assert list(pool.map(start, sinks * 3)) == [200] * 18
        assert _threads("keyframeface-live") == 1
        counts = _arriving(sinks, 0.5)
        assert sorted(counts)[:-1] == [0] * 5 and max(counts) > 10  # one owner: the last start won
        assert httpx.delete(server.url + "/api/live").json() == {"live": False}
        assert httpx.get(server.url + "/api/live").json() == {"live": False}
        assert _arriving(sinks, 1.0) == [0] * 6  # no orphan sender: silence on every port
        assert _threads("keyframeface-live") == 0
    finally:
        for s in sinks:
            s.close()


def test_concurrent_stream_starts_and_stops_leave_no_orphan(server, anim_id):
    sink = _sink()
    try:
        def churn(k: int) -> int:
            with httpx.Client(base_url=server.url, timeout=60) as c:
                if k % 3 == 2:
                    return c.delete("/api/stream").status_code
                return c.post("/api/stream", json={"id": anim_id, "port": sink.getsockname()[1]}).status_code

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(churn, range(24))) == {200}
        assert _threads("keyframeface-stream") <= 1
        assert httpx.delete(server.url + "/api/stream").json() == {"streaming": False}
        assert _arriving([sink], 1.0) == [0] and _threads("keyframeface-stream") == 0
    finally:
        sink.close()


def test_a_sender_that_fails_later_shows_in_the_state_with_its_host(server, client):
    sink = _sink()
    try:
        port = sink.getsockname()[1]
        assert client.post("/api/live", json={"port": port}).status_code == 200
        live = server.app.state.live
        live.sender.destination.sock.close()  # the network goes away under a running sender
        deadline = time.monotonic() + 5
        state = client.get("/api/live").json()
        while state.get("live") and time.monotonic() < deadline:
            time.sleep(0.05)
            state = client.get("/api/live").json()
        assert state["live"] is False and f"udp://127.0.0.1:{port}" in state["error"]
        r = client.post("/api/live/say", json={"line": "a smile"})
        assert r.status_code == 422 and r.json()["field"] == "live"
        assert _threads("keyframeface-live") == 0
    finally:
        client.delete("/api/live")
        sink.close()


# ---------------------------------------------------------------- slow clients, timeouts, work that stops


@pytest.fixture
def quick_timeouts(monkeypatch):
    monkeypatch.setattr(server_module, "HEADER_TIMEOUT", 1.0)
    monkeypatch.setattr(app_module, "BODY_TIMEOUT", 1.0)


def _closed_within(sock: socket.socket, seconds: float) -> bytes:
    """Everything the server sent until it closed the connection; fails if it is still open after ``seconds``."""
    sock.settimeout(seconds)
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def test_half_sent_requests_are_timed_out_and_memory_stays_bounded(quick_timeouts):
    import psutil

    with StudioServer() as s:
        me = psutil.Process()
        rss0 = me.memory_info().rss
        heads, bodies = [], []
        for i in range(150):  # heads that never end, and bodies that never arrive
            a = socket.create_connection(("127.0.0.1", s.port))
            a.sendall(b"POST /api/pose HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            heads.append(a)
            b = socket.create_connection(("127.0.0.1", s.port))
            b.sendall(b"POST /api/pose HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 100000\r\n\r\n" + b"{" * (i + 1))
            bodies.append(b)
        grown = (me.memory_info().rss - rss0) / 2**20
        assert httpx.post(s.url + "/api/pose", json={"description": "a smile"}, timeout=30).status_code == 200
        for a in heads:
            assert _closed_within(a, 10) == b""  # closed, no answer to an unfinished head
            a.close()
        for b in bodies:
            answer = _closed_within(b, 10)
            assert answer.startswith(b"HTTP/1.1 408") and b'"field": "body"' in answer
            b.close()
    assert grown < 64, f"{grown:.0f} MB for 300 slow connections"


def test_past_the_in_flight_cap_requests_get_503_in_the_json_shape(quick_timeouts, monkeypatch):
    monkeypatch.setattr(app_module, "MAX_IN_FLIGHT", 1)
    with StudioServer() as s:
        held = socket.create_connection(("127.0.0.1", s.port))  # one request in flight: its body is slow
        held.sendall(b"POST /api/pose HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\n{")
        time.sleep(0.3)
        r = httpx.get(s.url + "/api/info")
        assert r.status_code == 503 and _shape(r)["field"] is None
        assert _closed_within(held, 10).startswith(b"HTTP/1.1 408")
        held.close()
        assert httpx.get(s.url + "/api/info").status_code == 200  # the slot is free again


def test_a_504_stops_the_work_behind_it():
    from keyframeface.web.studio import Studio

    long_script = {"background": "b", "emotion": "e", "fps": 60,
                   "keyframes": [{"description": "the jaw drops open", "hold": 60.0}] * 5}  # 5 min at 60 fps
    with StudioServer(studio=Studio(), time_limit=2.0, workers=1) as s, httpx.Client(base_url=s.url,
                                                                                      timeout=120) as c:
        body = c.post("/api/animate", json=long_script).json()
        t = time.monotonic()
        r = c.get(body["files"]["mp4"])  # ~18,000 frames to draw: minutes of work
        assert r.status_code == 504 and _shape(r)["field"] is None
        waited = time.monotonic() - t
        # One worker for long work: had the render gone on, this animate would wait minutes behind it.
        t = time.monotonic()
        assert c.post("/api/animate", json=SCRIPT, timeout=30).status_code == 200
        print(f"504 after {waited:.1f} s; the next request answered {time.monotonic() - t:.2f} s later")
        assert not [p for p in __import__("psutil").Process().children(recursive=True)
                    if "ffmpeg" in p.name()]  # the encoder was closed too


# ---------------------------------------------------------------- the serve command


def test_serve_on_a_busy_port_says_so_with_exit_4():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "keyframeface", "serve", "--port", str(port)],
                           capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 4, r.stderr
    assert f"127.0.0.1:{port}" in r.stderr and "Traceback" not in r.stderr and "ListenError" in r.stderr


@pytest.mark.parametrize("argv", [
    ["live", "--host", "nonexistent.invalid"],
    ["live", "--host", "255.255.255.255", "--protocol", "vmc"],
    ["live", "--host", ""],
])
def test_live_with_a_bad_host_exits_2_naming_it(argv):
    r = subprocess.run([sys.executable, "-m", "keyframeface", *argv], capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL, check=False)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "host" in r.stderr, r.stderr


def test_stream_with_a_bad_host_exits_2_naming_it(tmp_path):
    from keyframeface.cli import main

    script = tmp_path / "s.json"
    script.write_text(json.dumps({"background": "b", "emotion": "e", "keyframes": ["a smile"]}), encoding="utf-8")
    assert main(["animate", str(script), "-o", str(tmp_path / "out"), "--no-preview"]) == 0
    for protocol in ("vmc", "livelink"):
        r = subprocess.run([sys.executable, "-m", "keyframeface", "stream", str(tmp_path / "out"), "--protocol",
                            protocol, "--host", "nonexistent.invalid"], capture_output=True, text=True, timeout=60,
                           check=False)
        assert r.returncode == 2 and "nonexistent.invalid" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_live_stdin_lines_are_bounded_and_the_next_line_still_plays():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        lines = "x" * 50_000 + "\nthe jaw drops wide open\n"
        r = subprocess.run([sys.executable, "-m", "keyframeface", "live", "--port", str(port), "--linger", "0.2"],
                           input=lines, capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert "at most 10,000" in r.stderr and "1 lines" in r.stderr
