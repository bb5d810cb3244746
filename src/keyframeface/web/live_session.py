"""Live mode from the studio page: one LiveFace streaming in a thread; lines arrive over HTTP."""

from __future__ import annotations

import queue
import threading
from typing import Any

import numpy as np

from ..backends import Backend
from ..channels import CHANNELS
from ..errors import InputError
from ..live import LiveFace, run_live
from ..senders import PROTOCOLS, open_sender

__all__ = ["LiveSession"]


class LiveSession:
    """At most one live stream per studio; ``start`` replaces a running one."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.face: LiveFace | None = None
        self._stop = threading.Event()
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._say_lock = threading.Lock()  # one line posed at a time: each sees the ones before it
        self.where: dict[str, Any] = {}

    def start(self, *, host: str = "127.0.0.1", port: int | None = None, protocol: str = "livelink",
              fps: float = 30.0, background: str = "", emotion: str = "", intensity: float = 1.0) -> dict[str, Any]:
        """Start streaming an idle face to host:port over ``protocol`` (each line at ``intensity``)."""
        face = LiveFace(self.backend, fps=fps, background=background, emotion=emotion, intensity=intensity)
        sender = open_sender(protocol, host, port, fps=fps)
        self.stop()
        with self._lock:
            self.face, self._stop, self._lines = face, threading.Event(), queue.Queue()
            stop, lines = self._stop, self._lines

            def run() -> None:
                try:
                    run_live(face, sender, iter(lines.get, None), stop=stop)
                finally:
                    sender.close()

            self._thread = threading.Thread(target=run, name="keyframeface-live", daemon=True)
            self._thread.start()
            self.where = {"live": True, "host": host, "port": port or PROTOCOLS[protocol], "protocol": protocol,
                          "fps": fps}
        return self.where

    def say(self, line: str) -> dict[str, Any]:
        """Pose one line and start the face's transition to it; the keyframe's values and explanation."""
        face = self.face
        if face is None or self._thread is None:
            raise InputError("live mode is not running; start it first (POST /api/live)", field="live")
        if not line.strip():
            raise InputError("expected a keyframe description or 'emotion: ...'", field="line")
        with self._say_lock:
            keyframe = face.say(line)
        if keyframe is None:
            return {"emotion": face.emotion}
        return {"values": {n: round(float(v), 4) for n, v in zip(CHANNELS, keyframe.values)},
                "explanation": [{"channel": c.channel, "value": round(float(c.value), 4), "words": c.words,
                                 "rule": c.rule, "kind": c.kind.value} for c in keyframe.explanation]}

    def current(self) -> np.ndarray:
        """The last frame sent (61,); InputError when live mode was never started."""
        if self.face is None:
            raise InputError("live mode is not running", field="live")
        return self.face.last

    def stop(self) -> dict[str, Any]:
        """Stop streaming (no-op when idle)."""
        with self._lock:
            self._stop.set()
            self._lines.put(None)
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=2)
        self.where = {"live": False}
        return self.where
