"""A hostile OpenAI-compatible server on 127.0.0.1: trickles, endless bodies, gzip bombs, absurd
Retry-After values, and echoes of the API key. Every request ends within a hard wall-clock bound,
as a BackendError, and the key appears in no message, warning or file.
"""

from __future__ import annotations

import gzip
import json
import os
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from keyframeface.backends.llm import LLMBackend
from keyframeface.data import KeyframeSpec, Script
from keyframeface.errors import BackendError, InputError

KEY = "sk-test-5b1f0c7e9a2d4c3b8e6f"
SCRIPT = Script("b", "e", keyframes=(KeyframeSpec("A smile."),))
_BOMB = gzip.compress(b"\0" * (64 << 20), compresslevel=9)  # ~64 KB on the wire, 64 MB inflated


class JunkServer(socketserver.ThreadingTCPServer):
    """Raw-socket HTTP/1.1 server whose every reply is chosen by ``mode``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"
        self.seen_auth: list[str] = []
        self.stop = threading.Event()
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def close(self) -> None:
        self.stop.set()
        self.shutdown()
        self.server_close()


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server: JunkServer = self.server  # type: ignore[assignment]
        headers = {}
        line = self.rfile.readline()
        while line and line not in (b"\r\n", b"\n"):
            line = self.rfile.readline()
            if b":" in line:
                name, value = line.decode("latin-1").split(":", 1)
                headers[name.strip().lower()] = value.strip()
        self.rfile.read(int(headers.get("content-length", 0)))
        auth = headers.get("authorization", "")
        server.seen_auth.append(auth)
        send = self.wfile.write
        try:
            getattr(self, "mode_" + server.mode)(send, auth, server.stop)
        except (BrokenPipeError, ConnectionResetError):
            pass

    @staticmethod
    def _reply(send, status: str, body: bytes, extra: str = "") -> None:
        send(f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
             f"{extra}\r\n".encode() + body)

    def mode_ok(self, send, auth, stop) -> None:
        values = {"JawOpen": 0.3}
        answer = json.dumps({"choices": [{"message": {"content": json.dumps(values)}}]}).encode()
        self._reply(send, "200 OK", answer)

    def mode_trickle_body(self, send, auth, stop) -> None:
        send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        while not stop.wait(0.2):
            send(b" ")

    def mode_trickle_headers(self, send, auth, stop) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
            if stop.wait(0.2):
                return
            send(bytes([byte]))

    def mode_endless_chunked(self, send, auth, stop) -> None:
        send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"a" * 65536
        while not stop.is_set():
            send(b"%x\r\n" % len(chunk) + chunk + b"\r\n")

    def mode_gzip_bomb(self, send, auth, stop) -> None:
        self._reply(send, "200 OK", _BOMB, "Content-Encoding: gzip\r\n")

    def _retry(self, send, value: str) -> None:
        self._reply(send, "429 Too Many Requests", b'{"error": "slow down"}', f"Retry-After: {value}\r\n")

    def mode_retry_huge(self, send, auth, stop) -> None:
        self._retry(send, "100000")

    def mode_retry_inf(self, send, auth, stop) -> None:
        self._retry(send, "inf")

    def mode_retry_nan(self, send, auth, stop) -> None:
        self._retry(send, "nan")

    def mode_retry_far_date(self, send, auth, stop) -> None:
        self._retry(send, "Fri, 31 Dec 9999 23:59:59 GMT")

    def mode_echo_key_error(self, send, auth, stop) -> None:
        self._reply(send, "401 Unauthorized", json.dumps({"error": f"bad key: {auth}"}).encode())

    def mode_echo_key_500(self, send, auth, stop) -> None:
        self._reply(send, "500 Internal Server Error", json.dumps({"error": f"crashed on {auth}"}).encode())

    def mode_echo_key_answer(self, send, auth, stop) -> None:
        content = f"I cannot do that, {auth}"
        self._reply(send, "200 OK", json.dumps({"choices": [{"message": {"content": content}}]}).encode())

    def mode_echo_key_repaired(self, send, auth, stop) -> None:
        content = json.dumps({"JawOpen": 0.4, "MouthSmileLeft": auth, auth: 1})  # readable, with repairs
        self._reply(send, "200 OK", json.dumps({"choices": [{"message": {"content": content}}]}).encode())


@pytest.fixture
def junk():
    server = JunkServer()
    yield server
    server.close()


def _backend(server: JunkServer, **options) -> LLMBackend:
    options = {"timeout": 1.0, "retries": 1, "backoff": 0.0, "api_key": KEY, **options}
    return LLMBackend(url=server.url, model="junk", prompt_style="compact", structured="none", **options)


def _pose_fails_within(server: JunkServer, bound: float, **options) -> BackendError:
    backend = _backend(server, **options)
    start = time.monotonic()
    with pytest.raises(BackendError) as caught:
        backend.pose(SCRIPT, 0)
    elapsed = time.monotonic() - start
    backend.close()
    assert elapsed < bound, f"{server.mode}: {elapsed:.1f} s"
    assert KEY not in str(caught.value) and KEY not in (caught.value.raw or "")
    return caught.value


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["trickle_body", "trickle_headers"])
def test_a_trickling_server_is_cut_off_at_the_deadline(junk, mode):
    junk.mode = mode
    error = _pose_fails_within(junk, bound=2 * 1.0 + 2.0)  # 2 attempts of 1 s, plus slack
    assert "no answer within 1 s" in str(error)


def test_an_endless_chunked_body_stops_at_the_size_cap(junk):
    junk.mode = "endless_chunked"
    error = _pose_fails_within(junk, bound=10.0, timeout=30.0)
    assert "longer than" in str(error)


def test_a_gzip_bomb_is_not_inflated_past_the_cap(junk):
    junk.mode = "gzip_bomb"
    error = _pose_fails_within(junk, bound=10.0, timeout=30.0)
    assert "longer than" in str(error) and "decompressed" in str(error)


@pytest.mark.parametrize("mode", ["retry_huge", "retry_inf", "retry_far_date"])
def test_an_absurd_retry_after_fails_at_once(junk, mode):
    junk.mode = mode
    error = _pose_fails_within(junk, bound=3.0, retries=3)
    assert "429" in str(error) and "giving up" in str(error)
    assert len(junk.seen_auth) == 1  # no second attempt was slept for


def test_a_nan_retry_after_falls_back_to_backoff(junk):
    junk.mode = "retry_nan"
    error = _pose_fails_within(junk, bound=3.0, retries=2)
    assert "after 3 attempts" in str(error)


@pytest.mark.parametrize("mode", ["echo_key_error", "echo_key_500", "echo_key_answer"])
def test_a_key_echoed_by_the_server_is_scrubbed(junk, mode):
    junk.mode = mode
    error = _pose_fails_within(junk, bound=5.0)
    assert "[secure]" in str(error) + (error.raw or "")
    assert junk.seen_auth[0] == f"Bearer {KEY}"  # it was really sent, and really echoed


def test_a_key_echoed_inside_a_readable_answer_is_scrubbed_from_warnings_and_cache(junk, tmp_path, caplog):
    junk.mode = "echo_key_repaired"
    backend = _backend(junk, cache_dir=tmp_path / "cache")
    keyframe = backend.pose(SCRIPT, 0)
    backend.close()
    assert keyframe.warnings and KEY not in " ".join(keyframe.warnings)
    assert KEY not in caplog.text
    files = list((tmp_path / "cache").rglob("*.json"))
    assert files and all(KEY not in f.read_text() for f in files)


def test_a_key_with_a_trailing_newline_is_stripped_and_never_shown(junk):
    junk.mode = "echo_key_error"
    error = _pose_fails_within(junk, bound=5.0, api_key=KEY + "\n")
    assert junk.seen_auth[0] == f"Bearer {KEY}"
    assert KEY not in str(error)


@pytest.mark.parametrize("key", [KEY + "é", "sk-with space", "sk-\x00nul"])
def test_a_key_an_http_header_cannot_carry_is_an_input_error_not_shown(junk, key):
    with pytest.raises(InputError) as caught:
        _backend(junk, api_key=key)
    assert "API key" in str(caught.value) and key.strip() not in str(caught.value)


def _cli(args: list[str], key: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KEYFRAMEFACE_LLM_API_KEY": key, "KEYFRAMEFACE_CONFIG": str(cwd / "none.toml")}
    (cwd / "none.toml").write_text("[llm]\nretries = 0\nbackoff = 0\n")  # one attempt: fast
    return subprocess.run([sys.executable, "-m", "keyframeface", *args], capture_output=True, text=True, check=False,
                          env=env, cwd=cwd, timeout=60)


@pytest.mark.slow
def test_cli_and_batch_report_never_hold_the_key(junk, tmp_path):
    junk.mode = "echo_key_500"
    options = ["--backend", "llm", "--llm-url", junk.url, "--llm-model", "junk", "--timeout", "2",
               "--structured", "none"]
    done = _cli(["pose", "A smile.", *options], KEY + "\n", tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert KEY not in done.stderr + done.stdout and "[secure]" in done.stderr
    (tmp_path / "s.jsonl").write_text(json.dumps({"background": "b", "emotion": "e", "keyframes": ["A smile."],
                                                  "id": "one"}) + "\n")
    done = _cli(["batch", "s.jsonl", "-o", "runs", "--quiet", *options], KEY, tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    report = (tmp_path / "runs" / "report.json").read_text()
    assert json.loads(report)["failed"] == 1
    for path in (tmp_path / "runs").rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(errors="replace"), path
    assert KEY not in done.stderr + done.stdout


@pytest.mark.parametrize("option, value", [("--timeout", "nan"), ("--timeout", "inf"), ("--timeout", "-1"),
                                           ("--llm-url", "http://[::1"), ("--llm-url", "http://h:99999/v1"),
                                           ("--llm-url", "ftp://h/v1")])
@pytest.mark.slow
def test_bad_llm_options_exit_2_with_a_message(tmp_path, option, value):
    args = {"--timeout": "1", "--llm-url": "http://127.0.0.1:9/v1", option: value}
    done = _cli(["pose", "A smile.", "--backend", "llm", "--llm-model", "m",
                 *[x for pair in args.items() for x in pair]], KEY, tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr and option.lstrip("-") in done.stderr


@pytest.mark.parametrize("line, field", [("retries = inf", "retries"), ("cache_dir = 5", "cache_dir"),
                                         ("temperature = nan", "temperature"), ("retries = 2.5", "retries"),
                                         ("timeout = 1e400", "timeout"), ("url = [1, 2]", "url")])
@pytest.mark.slow
def test_bad_config_values_exit_2_naming_the_key(tmp_path, line, field):
    (tmp_path / "c.toml").write_text(f'[llm]\nmodel = "m"\n{line}\n')
    if "url" not in line:
        (tmp_path / "c.toml").write_text(f'[llm]\nmodel = "m"\nurl = "http://127.0.0.1:9/v1"\n{line}\n')
    done = _cli(["pose", "A smile.", "--backend", "llm", "--config", str(tmp_path / "c.toml")], KEY, tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert field.replace("_", "-") in done.stderr or field in done.stderr
