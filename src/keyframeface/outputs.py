"""Write an Animation's files into an output folder, all or nothing, even under SIGKILL.

    OUT/                          what the user sees: wholly the old set or wholly the new one
    .OUT.kff-stage-<pid>-<rand>/  beside it: the new set is written here first

Steps: (1) write every file into the staging folder beside OUT (same file system); files in
OUT that are not ours are hard-linked into it, so they survive; (2) swap once: when OUT is
new, one ``rename``; when it exists, one atomic ``renameat2(RENAME_EXCHANGE)`` (Linux), after
which the staging path holds the old set; (3) delete the staging path. A kill before (2)
leaves OUT untouched; a kill after it leaves OUT wholly new. Either way only a staging folder
is left over, and the next write beside it (or ``clean_stale``) deletes it.

Where the exchange is not available (not Linux, or a file system without it) the swap is two
renames (OUT -> .OUT.kff-old-*, stage -> OUT); a kill between them is repaired by the next
run, which moves the old folder back. OUT that is, or holds, the current folder, or holds
sub-folders, cannot be swapped as a whole; its files are replaced one by one instead.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import errno
import glob
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .errors import OutputError
from .filenames import CORE_FILES, PREVIEW_FILES
from .pipeline import Animation
from .writers import take_of, write_file

__all__ = ["CORE_FILES", "PREVIEW_FILES", "clean_stale", "write_outputs"]

_STAGE, _OLD = ".kff-stage-", ".kff-old-"
_OURS = frozenset(CORE_FILES + PREVIEW_FILES)


def write_outputs(animation: Animation, outdir: str | os.PathLike, *, preview: bool = True,
                  extra: dict | None = None) -> list[Path]:
    """Write animation.csv, keyframes.json, keyframes.jsonl (and previews) into ``outdir``, all or nothing.

    Raises ``OutputError`` (exit 2) when ``outdir`` cannot be a folder or cannot be written;
    nothing is left behind then.
    """
    out = _checked_outdir(outdir)
    clean_stale(out.parent, out.name)
    stage = _make_stage(out)
    try:
        names = _write_set(animation, stage, preview=preview, extra=extra)
        if _swappable(out):
            _carry_foreign(out, stage)
            _swap(stage, out)
        else:  # OUT is (or holds) the current folder, or holds sub-folders: replace file by file
            for name in names:
                os.replace(stage / name, out / name)
            for name in _OURS.difference(names):  # no stale preview beside a new CSV
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(out / name)
    except OSError as exc:
        raise OutputError(f"cannot write the outputs: {exc.strerror or exc}", path=str(out)) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return [out / name for name in names]


def clean_stale(parent: str | os.PathLike, name: str | None = None) -> int:
    """Delete staging folders a killed run left in ``parent`` (for output ``name``, or all); restore a
    folder a two-rename swap left moved aside. Returns how many were removed."""
    parent = Path(parent)
    escaped = glob.escape(name) if name else None  # a folder named "take[1]" is not a pattern
    pattern = f".{escaped}{_STAGE}*" if name else f".*{_STAGE}*"
    removed = 0
    for path in parent.glob(pattern):
        if _alive(path.name) or not path.is_dir():
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    for path in parent.glob(f".{escaped}{_OLD}*" if name else f".*{_OLD}*"):
        if _alive(path.name) or not path.is_dir():
            continue
        target = parent / path.name[1:path.name.rindex(_OLD)]
        if target.exists():
            shutil.rmtree(path, ignore_errors=True)  # the swap finished; this is the old set
        else:
            with contextlib.suppress(OSError):
                os.rename(path, target)  # killed between the two renames: wholly old again
        removed += 1
    legacy = parent / name if name else None  # staging inside OUT, as older versions did it
    if legacy is not None and legacy.is_dir() and not legacy.is_symlink():
        for path in legacy.glob(".keyframeface-*"):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
    return removed


# ---------------------------------------------------------------- private


def _checked_outdir(outdir: str | os.PathLike) -> Path:
    """``outdir`` as a Path that can become a folder; OutputError naming what is wrong otherwise."""
    text = os.fspath(outdir)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if not text.strip():
        raise OutputError("the output folder name is empty; give a folder, e.g. -o out/", path=repr(text))
    if "\0" in text:
        raise OutputError("the output folder name holds a NUL character", path=repr(text))
    out = Path(text).expanduser().absolute()
    shown = text if len(text) <= 120 else text[:120] + "..."
    if len(out.name.encode("utf-8", "surrogateescape")) > 200:
        raise OutputError(f"the folder name is {len(out.name)} characters long; at most 200", path=shown)
    try:
        if out.exists() and not out.is_dir():
            raise OutputError("exists and is not a folder; give a folder name", path=shown)
        out.parent.mkdir(parents=True, exist_ok=True)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot create the folder it goes in: {exc.strerror or exc}", path=shown) from None
    return out


def _make_stage(out: Path) -> Path:
    try:
        return Path(tempfile.mkdtemp(prefix=f".{out.name}{_STAGE}{os.getpid()}-", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"cannot write beside it: {exc.strerror or exc}", path=str(out)) from None


def _write_set(animation: Animation, stage: Path, *, preview: bool, extra: dict | None) -> list[str]:
    """Every output file, written into ``stage`` through the writers keyed by suffix; their names."""
    take = dataclasses.replace(take_of(animation), extra=extra)
    for name in CORE_FILES:
        write_file(stage / name, take)
    names = list(CORE_FILES)
    if preview:
        from .render import write_previews

        names += [p.name for p in write_previews(animation, stage)]
    return names


def _swappable(out: Path) -> bool:
    """True when OUT may be replaced as a whole folder (absent, or files only, and not around the cwd)."""
    if not out.exists():
        return True
    if out.is_symlink():
        return False
    try:
        cwd = Path.cwd().resolve()
    except OSError:
        cwd = None
    real = out.resolve()
    if cwd is not None and (cwd == real or real in cwd.parents):
        return False
    return not any(entry.is_dir(follow_symlinks=False) for entry in os.scandir(out))


def _carry_foreign(out: Path, stage: Path) -> None:
    """Hard-link (else copy) files of OUT that are not outputs of ours into the staging folder."""
    if not out.exists():
        return
    for entry in os.scandir(out):
        if entry.name in _OURS or entry.name.startswith(".keyframeface-"):
            continue
        try:
            os.link(entry.path, stage / entry.name, follow_symlinks=False)
        except OSError:
            shutil.copy2(entry.path, stage / entry.name, follow_symlinks=False)


def _swap(stage: Path, out: Path) -> None:
    """Make ``stage`` become ``out`` in one step; afterwards ``stage`` holds the old set (or nothing)."""
    try:
        os.rename(stage, out)  # OUT absent: done (an existing non-empty OUT makes this fail)
        return
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.EISDIR):
            raise
    if _exchange(stage, out):
        return
    old = out.parent / f".{out.name}{_OLD}{os.getpid()}-{os.urandom(4).hex()}"
    os.rename(out, old)  # a kill from here to the next rename is repaired by clean_stale (old moves back)
    os.rename(stage, out)
    os.rename(old, stage)  # the caller deletes the staging path


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _alive(name: str) -> bool:
    """True when the pid in a staging name is a running process (a concurrent writer, not a leftover)."""
    for mark in (_STAGE, _OLD):
        if mark in name:
            try:
                pid = int(name[name.rindex(mark) + len(mark):].split("-", 1)[0])
            except ValueError:
                return False
            if pid == os.getpid():
                return False
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                return True
            return True
    return False
