"""Live mode from the studio page: one LiveFace streaming in a thread; lines arrive over HTTP.

The session is the one owner of its sender thread: ``start`` and ``stop`` hold one lock for the
whole swap (stop and join the old thread, check the new host, start the new thread), so two
concurrent starts leave exactly one stream and a stop leaves none. A sender that fails later
(the network went away) ends its thread and leaves ``state()`` saying so, with the host named.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

import numpy as np

from ..backends import Backend
from ..channels import CHANNELS
from ..errors import InputError, KeyframeFaceError
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
        self._lock = threading.Lock()  # held across a whole start or stop
        self._say_lock = threading.Lock()  # one line posed at a time: each sees the ones before it
        self.where: dict[str, Any] = {"live": False}
        self.sender: Any = None  # the running sender (for tests and tools)

    def start(self, *, host: str = "127.0.0.1", port: int | None = None, protocol: str = "livelink",
              fps: float = 30.0, background: str = "", emotion: str = "", intensity: float = 1.0,
              broadcast: bool = False) -> dict[str, Any]:
        """Start streaming an idle face to host:port over ``protocol`` (each line at ``intensity``).

        A bad host is an InputError naming it, and nothing is started."""
        face = LiveFace(self.backend, fps=fps, background=background, emotion=emotion, intensity=intensity)
        with self._lock:
            self._halt()
            sender = open_sender(protocol, host, port, fps=fps, broadcast=broadcast)  # checked before any thread
            stop, lines = threading.Event(), queue.Queue()
            where = {"live": True, "host": host, "port": port or PROTOCOLS[protocol], "protocol": protocol,
                     "fps": fps}

            def run() -> None:
                try:
                    run_live(face, sender, iter(lines.get, None), stop=stop)
                except KeyframeFaceError as exc:  # a send the network refused: the state says so
                    where.update(live=False, error=str(exc))
                except Exception as exc:  # noqa: BLE001 - a bug must still end "live: true"
                    where.update(live=False, error=f"internal error: {type(exc).__name__}")
                finally:
                    sender.close()

            thread = threading.Thread(target=run, name="keyframeface-live", daemon=True)
            self.face, self._stop, self._lines, self._thread, self.where = face, stop, lines, thread, where
            self.sender = sender
            thread.start()
            return dict(where)

    def state(self) -> dict[str, Any]:
        """Whether live mode runs (and where to), or the error that ended it."""
        return dict(self.where)

    def say(self, line: str) -> dict[str, Any]:
        """Pose one line and start the face's transition to it; the keyframe's values and explanation."""
        face = self.face
        if face is None or self._thread is None or not self.where.get("live"):
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
        """Stop streaming and wait for the sender thread to end (no-op when idle)."""
        with self._lock:
            self._halt()
            self.where = {"live": False}
            return dict(self.where)

    def _halt(self) -> None:
        """Stop the running thread and join it; the caller holds the lock."""
        self._stop.set()
        self._lines.put(None)
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5)
