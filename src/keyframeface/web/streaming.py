"""The studio's Stream toggle: one background thread sending the playing animation to Live Link or VMC."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from ..errors import InputError
from ..senders import open_sender, play

__all__ = ["Streamer"]


class Streamer:
    """Plays at most one animation at a time to a receiver; ``start`` replaces what was playing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.sent = 0

    def start(self, values: np.ndarray, fps: float, *, start_frame: int = 0, host: str = "127.0.0.1",
              port: int | None = None, protocol: str = "livelink") -> dict[str, Any]:
        """Start sending frames from ``start_frame`` in real time; returns where it goes."""
        if not 0 <= start_frame < len(values):
            raise InputError(f"{start_frame} not in [0, {len(values) - 1}]", field="start_frame")
        sender = open_sender(protocol, host, port, fps=fps)
        self.stop()
        with self._lock:
            self._stop = threading.Event()
            stop = self._stop

            def run() -> None:
                try:
                    self.sent = play(sender, values, fps, start_frame=start_frame, stop=stop)
                finally:
                    sender.close()

            self._thread = threading.Thread(target=run, name="keyframeface-stream", daemon=True)
            self._thread.start()
        return {"streaming": True, "protocol": protocol, "host": host, "frames": len(values) - start_frame}

    def stop(self) -> dict[str, Any]:
        """Stop sending (no-op when idle)."""
        with self._lock:
            self._stop.set()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=2)
        return {"streaming": False}
