"""How the studio is served: uvicorn's h11 protocol with timeouts and a connection cap, on a socket we bind.

Why these settings (measured in ``bench/bench_web.py``, section "faults"):

- ``HEADER_TIMEOUT`` (10 s): uvicorn never times out a request head that arrives a byte at a
  time; ``_TimedH11`` closes a connection whose head is not complete 10 s after it opened (or
  after its last response), so 1,000 slow clients hold nothing for long.
- ``BODY_TIMEOUT`` (10 s, in ``app._Guard``): the whole body must arrive within 10 s of the head; a
  half-sent body gets 408 and the connection is closed.
- ``KEEP_ALIVE`` (5 s): idle keep-alive connections close.
- ``MAX_IN_FLIGHT`` (256, in ``app._Guard``): requests being handled at once; past it, 503 at once in the
  JSON error shape instead of queueing without bound.
- ``MAX_CONNECTIONS`` (512): uvicorn's ``limit_concurrency``, the backstop on open connections (its
  503 is plain text).
- ``MAX_HEAD_BYTES`` (64 KiB): h11's limit on a request head (413/400 past it).

We bind the socket ourselves so a busy port is a ``ListenError`` (exit 4) with a clear message,
not uvicorn's log line and its own exit status 3 (which the CLI documents as "missing extra").
"""

from __future__ import annotations

import socket
from typing import Any

from ..errors import ListenError

__all__ = ["BODY_TIMEOUT", "HEADER_TIMEOUT", "KEEP_ALIVE", "MAX_CONNECTIONS", "MAX_HEAD_BYTES", "MAX_IN_FLIGHT", "bind",
           "config"]

HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 10.0
KEEP_ALIVE = 5
MAX_CONNECTIONS = 512
MAX_IN_FLIGHT = 256
MAX_HEAD_BYTES = 64 * 1024


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port; ListenError naming them when it cannot be had."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except (OSError, UnicodeError) as exc:
        raise ListenError(f"cannot listen on {host}:{port}: cannot resolve {host!r} "
                          f"({getattr(exc, 'strerror', None) or exc})") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        hint = " (another program listens there: stop it or choose another --port)" if isinstance(
            exc, OSError) and exc.errno in (98, 48, 10048) else ""
        raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from None
    sock.set_inheritable(True)
    return sock


def config(app: Any, host: str, port: int, *, log_level: str = "warning") -> Any:
    """The uvicorn Config the studio runs with (the tests' server uses it too)."""
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, log_level=log_level, http=_timed_h11(),
                          timeout_keep_alive=KEEP_ALIVE, limit_concurrency=MAX_CONNECTIONS,
                          h11_max_incomplete_event_size=MAX_HEAD_BYTES, lifespan="on")


def _timed_h11() -> type:
    """uvicorn's H11Protocol that closes a connection whose request head does not arrive in time."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimedH11(H11Protocol):
        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm_head_timer()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm_head_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            timer = getattr(self, "_head_timer", None)
            if timer is not None:
                timer.cancel()
            super().connection_lost(exc)

        def _arm_head_timer(self) -> None:
            timer = getattr(self, "_head_timer", None)
            if timer is not None:
                timer.cancel()
            waiting_after = self.cycle  # a new request head replaces self.cycle
            self._head_timer = self.loop.call_later(HEADER_TIMEOUT, self._head_timed_out, waiting_after)

        def _head_timed_out(self, waiting_after: Any) -> None:
            if self.cycle is waiting_after and not self.transport.is_closing():
                self.transport.close()  # no (next) request head within HEADER_TIMEOUT

    return TimedH11
