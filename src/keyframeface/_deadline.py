"""Cooperative time limits: long loops call ``check()`` so a request past its limit really stops.

    with deadline(30.0):          # in the worker thread that runs the request's CPU work
        Pipeline(...).run(script)  # pose loop, timeline, render loops call check() as they go

``check()`` raises ``DeadlinePassed`` once the thread's deadline is behind it, and costs one
attribute read and one clock call otherwise; outside ``deadline`` it does nothing, so the CLI and
library calls are unaffected. The studio uses it so that a 504 ends the work behind it
instead of leaving a worker rendering for minutes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import KeyframeFaceError

__all__ = ["DeadlinePassed", "check", "deadline"]

_local = threading.local()


class DeadlinePassed(KeyframeFaceError):
    """The work ran past the time limit set by ``deadline`` (the studio answers 504)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the request took longer than the {seconds:g} s limit")


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Within the block, ``check()`` in this thread raises DeadlinePassed after ``seconds``."""
    previous = getattr(_local, "at", None)
    _local.at = (time.monotonic() + seconds, seconds)
    try:
        yield
    finally:
        _local.at = previous


def check() -> None:
    """Raise DeadlinePassed when this thread's deadline has passed; else nothing."""
    at = getattr(_local, "at", None)
    if at is not None and time.monotonic() > at[0]:
        raise DeadlinePassed(at[1])
