"""Pieces the command-line shells and long-running library calls share: argument types and terminal output.

Low in the import graph on purpose (it imports nothing of keyframeface), so ``cli``, ``cli_data``,
``capture`` and ``render`` can all use it without importing each other:

- ``bounded``: an argparse type that checks a number's range and names the bad value;
- ``print_numbered``: keyframe texts on stdout, numbered or as a JSON list (plan, describe);
- ``progress_bar``: a tqdm bar on stderr that shows only on a terminal, never in a pipe or a log file;
- ``quiet_native_logs``: what C++ libraries (MediaPipe, absl, TFLite) write straight to file descriptor 2
  goes to /dev/null, while Python's own ``sys.stderr`` (errors, warnings, progress) still reaches the terminal.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

__all__ = ["NATIVE_LOG_ENV", "bounded", "print_numbered", "progress_bar", "quiet_native_logs"]

# Read by glog / TensorFlow at import: only errors. (MediaPipe's absl logging ignores them, hence the fd redirect.)
NATIVE_LOG_ENV = {"GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "3"}


def bounded(kind: type, low: float, high: float | None = None) -> Callable[[str], Any]:
    """An argparse type: parse ``kind`` and check low <= value (<= high); the message names the value."""

    def parse(text: str) -> Any:
        shown = repr(text) if len(text) <= 40 else repr(text[:40]) + "..."
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{shown} is not a {'whole ' if kind is int else ''}number") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{shown} is not a finite number")
        if value < low or (high is not None and value > high):
            bound = f"not in [{low:g}, {high:g}]" if high is not None else f"must be at least {low:g}"
            raise argparse.ArgumentTypeError(f"{shown} {bound}")
        return value

    return parse


def print_numbered(texts: Sequence[str], *, as_json: bool) -> None:
    """Keyframe texts on stdout: a JSON list, or one numbered line each (plan, describe)."""
    if as_json:
        print(json.dumps(list(texts), ensure_ascii=False))
    else:
        for i, text in enumerate(texts, 1):
            print(f"{i}. {text}")


def progress_bar(total: int | None, desc: str, unit: str, *, enabled: bool = True, stream: IO[str] | None = None,
                 delay: float = 0.5, leave: bool = False) -> Any:
    """A tqdm bar on ``stream`` (stderr), shown only when ``enabled`` and the stream is a terminal, so pipes,
    log files and CI output get no bar lines; it appears after ``delay`` seconds and is erased when done
    (``leave``: its final state stays on screen)."""
    from tqdm import tqdm

    stream = stream if stream is not None else sys.stderr
    on_terminal = bool(getattr(stream, "isatty", lambda: False)())
    return tqdm(total=total, desc=desc, unit=unit, file=stream, delay=delay, mininterval=0.5, leave=leave,
                disable=not (enabled and on_terminal))


@contextmanager
def quiet_native_logs(enabled: bool = True) -> Iterator[None]:
    """Silence native log lines on fd 2 for the duration; Python's ``sys.stderr`` keeps the real stderr.

    Worker processes started inside inherit the silenced fd 2. ``enabled=False`` (``--verbose``) does nothing.
    """
    if not enabled:
        yield
        return
    env = {name: os.environ.get(name) for name in NATIVE_LOG_ENV}
    os.environ.update({name: value for name, value in NATIVE_LOG_ENV.items() if env[name] is None})
    try:
        with _silenced_fd2():
            yield
    finally:
        for name, value in env.items():
            if value is None:
                os.environ.pop(name, None)


@contextmanager
def _silenced_fd2() -> Iterator[None]:
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no fd 2 (a detached process): nothing to silence
        yield
        return
    swap = _is_fd2(sys.stderr)  # sys.stderr writes to fd 2 itself: give it the saved copy instead
    old_stderr = sys.stderr
    real = os.fdopen(os.dup(saved), "w", buffering=1, encoding=getattr(old_stderr, "encoding", None) or "utf-8",
                     errors="backslashreplace") if swap else None
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    if real is not None:
        sys.stderr = real
    try:
        yield
    finally:
        if real is not None:  # not closed here: a logger made meanwhile may still hold it (closed when collected)
            real.flush()
            sys.stderr = old_stderr
        os.dup2(saved, 2)
        os.close(saved)


def _is_fd2(stream: Any) -> bool:
    """Whether ``stream`` is a real file on descriptor 2 (not a test's capture buffer)."""
    try:
        return stream.fileno() == 2
    except (AttributeError, OSError, ValueError):
        return False
