"""A real OpenAI-compatible chat server on 127.0.0.1 that replays answers, for tests and benchmarks.

    with ReplayServer() as server:            # random free port, threads, HTTP/1.1 keep-alive
        server.answers[user_text] = "..."     # a recorded answer for one user message
        server.queue(Reply(500), Reply(500))  # the next requests get these, then the default
        server.when(lambda body: "JUNK" in user_text(body), Reply(content="no JSON"))
        LLMBackend(url=server.url, model="m")

Without a recorded or queued reply, a pose request gets a well-formed synthetic
answer (61 values from a hash of the message, wrapped as the release answers; only
non-zero channels for the compact style), a whole-script request ("script" style) one
entry per keyframe, and a plan request gets three descriptions.
``reject_forms`` makes it answer 500 to those response_format types, as llama.cpp
does for "json_schema". Every request is recorded (path, headers, body).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from keyframeface.channels import CHANNELS, LOW

__all__ = ["Recorded", "Reply", "ReplayServer", "synthetic_answer", "user_text"]


@dataclass
class Reply:
    """One scripted reply: an answer text (wrapped in a chat completion) or a raw body."""

    status: int = 200
    content: str | None = None  # assistant text; None: the default answer for the request
    raw: str | None = None  # exact body to send instead (junk, error JSON)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict


def user_text(body: dict) -> str:
    """The last user message of a chat request body."""
    return next((m["content"] for m in reversed(body.get("messages", [])) if m.get("role") == "user"), "")


def synthetic_answer(body: dict) -> str:
    """A plausible answer for a request, derived from its text (deterministic)."""
    system = body["messages"][0]["content"]
    user = user_text(body)
    if "EVERY semantic keyframe" in system:  # one request for a whole script ("script" prompt style)
        count = int(m.group(1)) if (m := re.search(r"for all (\d+) keyframes", user)) else 1
        return json.dumps({"keyframes": [{"values": {n: v for n, v in _values(f"{user}#{i}").items() if v}}
                                         for i in range(count)]}, separators=(",", ":"))
    if '"keyframes"' in system:  # plan request
        count = int(m.group(1)) if (m := re.search(r"exactly (\d+)", user)) else 3
        return json.dumps({"keyframes": [f"Keyframe {i + 1}: the brows lift and the lips press together, step {i}"
                                         for i in range(count)]})
    values = _values(user)
    if "ONLY the parameters" in system:  # compact style
        return json.dumps({n: v for n, v in values.items() if v}, separators=(",", ":"))
    word = m.group(1) if (m := re.search(r"for Keyframe ([\w -]+)\.\s*$", user)) else "one"
    return json.dumps({f"Keyframe_{word.lower()}": values}, separators=(",", ":"))


def _values(text: str) -> dict[str, float]:
    """61 plausible values from a hash of ``text`` (deterministic)."""
    seed = hashlib.sha256(text.encode()).digest()
    return {n: round((seed[i % 32] / 255) * (0.6 if LOW[i] == 0 else 0.4) - (0.2 if LOW[i] < 0 else 0), 1)
            for i, n in enumerate(CHANNELS)}


class ReplayServer:
    """Threaded loopback HTTP server speaking /v1/chat/completions (and /v1/models)."""

    def __init__(self, *, latency: float = 0.0, reject_forms: tuple[str, ...] = ()) -> None:
        self.latency = latency  # seconds added to every answer
        self.reject_forms = set(reject_forms)
        self.answers: dict[str, str] = {}  # user message -> recorded answer text
        self.requests: list[Recorded] = []
        self.in_flight = 0  # chat requests being answered now
        self.max_in_flight = 0  # the most answered at once (shows client concurrency)
        self._queue: deque[Reply] = deque()
        self._rules: list[tuple[Callable[[dict], bool], Reply]] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def queue(self, *replies: Reply) -> None:
        """Replies for the next requests, in order, before any rule or default."""
        with self._lock:
            self._queue.extend(replies)

    def when(self, predicate: Callable[[dict], bool], reply: Reply) -> None:
        """Answer every request whose body satisfies ``predicate`` with ``reply``."""
        self._rules.append((predicate, reply))

    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def start(self) -> ReplayServer:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reply_for(self, body: dict) -> Reply:
        """What to answer: queued reply, else matching rule, else form rejection, else recorded/synthetic."""
        with self._lock:
            queued = self._queue.popleft() if self._queue else None
        if queued is not None:
            return queued
        for predicate, reply in self._rules:
            if predicate(body):
                return reply
        form = (body.get("response_format") or {}).get("type")
        if form in self.reject_forms:  # what llama-cpp-python's server does for json_schema
            return Reply(500, raw=json.dumps({"error": {"message": f"response_format type '{form}' "
                                                                   "is not supported", "code": 500}}))
        return Reply(content=self.answers.get(user_text(body)))


def _handler(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like real servers
        disable_nagle_algorithm = True  # else headers and body in two packets meet delayed ACK: +40 ms

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            if self.path.startswith("/stats"):  # counters for a server in another process (bench)
                with server._lock:
                    stats = {"requests": len(server.chat_requests()), "max_in_flight": server.max_in_flight}
                    if "reset" in self.path:
                        server.max_in_flight = 0
                self._send(200, json.dumps(stats))
                return
            self._send(200, json.dumps({"object": "list", "data": [{"id": "replay", "object": "model"}]}))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                self._send(400, json.dumps({"error": {"message": "body is not JSON"}}))
                return
            with server._lock:
                server.requests.append(Recorded(self.path, dict(self.headers), body))
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                reply = server.reply_for(body)
                time.sleep(server.latency + reply.delay)
            finally:
                with server._lock:
                    server.in_flight -= 1
            if reply.raw is not None:
                payload = reply.raw
            else:
                content = reply.content if reply.content is not None else synthetic_answer(body)
                payload = json.dumps({
                    "id": "chatcmpl-replay", "object": "chat.completion", "model": body.get("model"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": content}}]})
            self._send(reply.status, payload, reply.headers)

        def _send(self, status: int, payload: str, headers: dict[str, str] | None = None) -> None:
            data = payload.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                pass

    return Handler


def main() -> None:
    """Serve in the foreground (a separate process keeps its CPU off the client's GIL in benchmarks)."""
    import argparse

    parser = argparse.ArgumentParser(description="loopback OpenAI-compatible replay server")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    args = parser.parse_args()
    server = ReplayServer(latency=args.latency).start()
    print(server.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
