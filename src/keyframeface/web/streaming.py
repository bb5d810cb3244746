"""The studio's Stream toggle: one background thread sending the playing animation to Live Link or VMC.

Like ``LiveSession``, the Streamer is the one owner of its thread: start and stop hold one lock
for the whole swap, the host is checked before the thread starts, and a send that fails later
shows in ``state()`` with the host named.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from ..errors import InputError, KeyframeFaceError
from ..senders import PROTOCOLS, open_sender, play

__all__ = ["Streamer"]


class Streamer:
    """Plays at most one animation at a time to a receiver; ``start`` replaces what was playing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.where: dict[str, Any] = {"streaming": False}
        self.sent = 0

    def start(self, values: np.ndarray, fps: float, *, start_frame: int = 0, host: str = "127.0.0.1",
              port: int | None = None, protocol: str = "livelink", broadcast: bool = False) -> dict[str, Any]:
        """Start sending frames from ``start_frame`` in real time; returns where it goes."""
        if not 0 <= start_frame < len(values):
            raise InputError(f"{start_frame} not in [0, {len(values) - 1}]", field="start_frame")
        with self._lock:
            self._halt()
            sender = open_sender(protocol, host, port, fps=fps, broadcast=broadcast)  # checked before any thread
            stop = threading.Event()
            where: dict[str, Any] = {"streaming": True, "protocol": protocol, "host": host,
                                     "port": port or PROTOCOLS[protocol], "frames": len(values) - start_frame}

            def run() -> None:
                try:
                    self.sent = play(sender, values, fps, start_frame=start_frame, stop=stop)
                    where.update(streaming=False, done=True)
                except KeyframeFaceError as exc:  # a send the network refused: the state says so
                    where.update(streaming=False, error=str(exc))
                except Exception as exc:  # noqa: BLE001 - a bug must still end "streaming: true"
                    where.update(streaming=False, error=f"internal error: {type(exc).__name__}")
                finally:
                    sender.close()

            self._stop, self.where = stop, where
            self._thread = threading.Thread(target=run, name="keyframeface-stream", daemon=True)
            self._thread.start()
            return {k: v for k, v in where.items() if k != "done"}

    def state(self) -> dict[str, Any]:
        """Whether an animation is streaming (and where to), or the error that ended it."""
        return dict(self.where)

    def stop(self) -> dict[str, Any]:
        """Stop sending and wait for the thread to end (no-op when idle)."""
        with self._lock:
            self._halt()
            self.where = {"streaming": False}
            return dict(self.where)

    def _halt(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5)
