"""Atomic file writes: data goes to a temp file in the target folder, then os.replace."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import OutputError

__all__ = ["atomic_open", "atomic_write_bytes", "atomic_write_text", "refuse_overwrite"]

_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read the process umask once (os.umask can only be read by setting it)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", **kwargs) -> Iterator[IO]:
    """Open a temp file beside ``path``; on success rename it over ``path``, on error delete it.

    File-system failures (a folder in the way, a read-only place, a full disk, a name too long)
    raise ``OutputError`` naming ``path``; nothing is left behind.
    """
    if not os.fspath(path).strip():
        raise OutputError("the output file name is empty", path=repr(os.fspath(path)))
    target = Path(path)
    tmp = None
    try:
        if target.is_dir():
            raise OutputError("is a folder; expected a file name", path=str(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=target.parent)
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs get the usual permissions
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(target)) from None
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path, "wb") as f:
        f.write(data)


def refuse_overwrite(outputs: Iterable[str | os.PathLike], inputs: Iterable[str | os.PathLike], *,
                     field: str = "--output") -> None:
    """InputError (exit 2, before any work) when one of ``outputs`` is one of ``inputs`` (same path, link or file)."""
    from .errors import InputError

    resolved = [(os.fspath(i), os.path.realpath(i)) for i in inputs]
    for output in outputs:
        real = os.path.realpath(output)
        for shown, target in resolved:
            if real == target or _same_file(output, shown):
                raise InputError(f"would be written over the input {shown}; choose another output",
                                 path=os.fspath(output), field=field)


def _same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two existing paths are one file (a hard link); False when either is missing."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
