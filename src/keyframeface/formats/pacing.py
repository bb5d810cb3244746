"""Real-time pacing shared by every sender: frame i goes out at i / fps seconds after the first, with no drift."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

__all__ = ["paced"]


def paced(count: int, fps: float, *, first: int = 0, realtime: bool = True,
          stop: threading.Event | None = None) -> Iterator[int]:
    """Frame indices ``first..count-1``, each yielded when it is due (at once when not ``realtime``);
    ends early when ``stop`` is set."""
    start = time.perf_counter()
    for i in range(first, count):
        if stop is not None and stop.is_set():
            return
        delay = start + (i - first) / fps - time.perf_counter() if realtime else 0.0
        if delay > 0:
            if stop is not None:
                if stop.wait(delay):
                    return
            else:
                time.sleep(delay)
        yield i
