"""A real studio (uvicorn + the FastAPI app) on a free 127.0.0.1 port, in a thread, for tests and benches."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

from keyframeface.web.app import create_app
from keyframeface.web.server import config
from keyframeface.web.studio import Studio


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StudioServer:
    """``with StudioServer() as s: httpx.get(s.url + "/")``; stops the server on exit."""

    def __init__(self, *, studio: Studio | None = None, time_limit: float = 30.0, **app_options: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(studio, time_limit=time_limit, **app_options)
        self.server = uvicorn.Server(config(self.app, "127.0.0.1", self.port, log_level="error"))  # serve's settings
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> StudioServer:  # noqa: PYI034
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the studio server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
