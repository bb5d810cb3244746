"""Terminal output shared by the command-line shells and the long-running library calls.

Low in the import graph on purpose (it imports nothing of keyframeface), so ``cli``, ``cli_data``,
``capture`` and ``render`` can all use it without importing each other:

- ``print_numbered``: keyframe texts on stdout, numbered or as a JSON list (plan, describe);
- ``progress_bar``: a tqdm bar on stderr that shows only on a terminal, never in a pipe or a log file;
- ``quiet_native_logs``: what C++ libraries (MediaPipe, absl, TFLite) write straight to file descriptor 2
  goes to /dev/null, while Python's own ``sys.stderr`` (errors, warnings, progress) still reaches the terminal.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

__all__ = ["NATIVE_LOG_ENV", "print_numbered", "progress_bar", "quiet_native_logs"]

# Read by glog / TensorFlow at import: only errors. (MediaPipe's absl logging ignores them, hence the fd redirect.)
NATIVE_LOG_ENV = {"GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "3"}


def print_numbered(texts: Sequence[str], *, as_json: bool) -> None:
    """Keyframe texts on stdout: a JSON list, or one numbered line each (plan, describe)."""
    if as_json:
        print(json.dumps(list(texts), ensure_ascii=False))
    else:
        for i, text in enumerate(texts, 1):
            print(f"{i}. {text}")


def progress_bar(total: int | None, desc: str, unit: str, *, enabled: bool = True, stream: IO[str] | None = None,
                 delay: float = 0.5) -> Any:
    """A tqdm bar on ``stream`` (stderr), shown only when ``enabled`` and the stream is a terminal, so pipes,
    log files and CI output get no bar lines; it appears after ``delay`` seconds and is erased when done."""
    from tqdm import tqdm

    stream = stream if stream is not None else sys.stderr
    on_terminal = bool(getattr(stream, "isatty", lambda: False)())
    return tqdm(total=total, desc=desc, unit=unit, file=stream, delay=delay, mininterval=0.5, leave=False,
                disable=not (enabled and on_terminal))


@contextmanager
def quiet_native_logs(enabled: bool = True) -> Iterator[None]:
    """Silence native log lines on fd 2 for the duration; Python's ``sys.stderr`` keeps the real stderr.

    Worker processes started inside inherit the silenced fd 2. ``enabled=False`` (``--verbose``) does nothing.
    """
    if not enabled:
        yield
        return
    for name, value in NATIVE_LOG_ENV.items():
        os.environ.setdefault(name, value)
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
        if real is not None:
            real.flush()
            sys.stderr = old_stderr
            real.close()
        os.dup2(saved, 2)
        os.close(saved)


def _is_fd2(stream: Any) -> bool:
    """Whether ``stream`` is a real file on descriptor 2 (not a test's capture buffer)."""
    try:
        return stream.fileno() == 2
    except (AttributeError, OSError, ValueError):
        return False
