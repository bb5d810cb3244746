"""Serve base + trained adapter behind an OpenAI-compatible endpoint: llama.cpp's server (llama-cpp-python).

``server_command(run_dir)`` is the command line; ``ModelServer`` starts it on a loopback port, waits until
``/v1/models`` answers and stops it on exit. ``--backend llm --llm-url URL --llm-model NAME
--prompt-style STYLE`` then talks to it unchanged. (GPUs: vLLM ``--enable-lora``, see docs/train.md.)
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..errors import BackendError, InputError, MissingExtra
from . import SMOKE_BASE

__all__ = ["ModelServer", "RunInfo", "read_run", "server_command"]


class RunInfo:
    """What serving a run needs from OUT/train_config.json: base GGUF, adapter GGUF, prompt style."""

    def __init__(self, base_gguf: Path, adapter: Path | None, style: str, name: str) -> None:
        self.base_gguf, self.adapter, self.style, self.name = base_gguf, adapter, style, name


def read_run(run: str | os.PathLike | None, *, base: str | None = None, adapter: bool = True) -> RunInfo:
    """The run folder's base and adapter (``run=None``: the base alone, ``base`` or the smoke model)."""
    from .run import resolve_base

    if run is None:
        folder, gguf_file = resolve_base(base or SMOKE_BASE)
        if gguf_file is None:
            raise InputError("llama.cpp serves GGUF models: give a .gguf file or 'smollm2'", field="--base")
        return RunInfo(Path(folder) / gguf_file, None, "compact", "base")
    root = Path(run)
    config_path = root / "train_config.json"
    if not config_path.is_file():
        raise InputError("no train_config.json (expected a folder written by `keyframeface train`)", path=str(root))
    config = json.loads(config_path.read_text(encoding="utf-8"))
    resolved = config.get("base_resolved") or {}
    if not resolved.get("gguf_file"):
        raise InputError(f"the base {config.get('base')!r} is not a GGUF: serve it with vLLM --enable-lora "
                         "(docs/train.md)", path=str(config_path), field="base")
    gguf_path = root / "adapter.gguf"
    if adapter and not gguf_path.is_file():
        raise InputError("no adapter.gguf (train with the GGUF conversion on)", path=str(root))
    return RunInfo(Path(resolved["folder"]) / resolved["gguf_file"], gguf_path if adapter else None,
                   config.get("style", "compact"), root.name or "trained")


def server_command(info: RunInfo, *, host: str = "127.0.0.1", port: int = 8080, n_ctx: int = 4096,
                   threads: int | None = None) -> list[str]:
    """The llama.cpp server command line for ``info`` (the model alias is ``info.name``)."""
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(info.base_gguf), "--model_alias", info.name,
           "--host", host, "--port", str(port), "--n_ctx", str(n_ctx)]
    if info.adapter is not None:
        cmd += ["--lora_path", str(info.adapter)]
    if threads:
        cmd += ["--n_threads", str(threads)]
    return cmd


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ModelServer:
    """llama.cpp's server for a run, on a loopback port, for the length of a ``with`` block."""

    def __init__(self, info: RunInfo, *, port: int | None = None, log: str | os.PathLike | None = None,
                 ready_s: float = 120.0) -> None:
        if importlib.util.find_spec("llama_cpp") is None:
            raise MissingExtra("serving a model needs llama-cpp-python's server: pip install "
                               "'llama-cpp-python[server]'")
        self.info, self.port, self.ready_s = info, port or free_port(), ready_s
        self._own_log = log is None  # a temp file, kept only to quote when the server fails to start
        self.log = Path(log) if log else Path(tempfile.mkstemp(prefix="keyframeface-llama-", suffix=".log")[1])
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> ModelServer:
        self._out = open(self.log, "w")  # noqa: SIM115 - closed in __exit__
        self.proc = subprocess.Popen(server_command(self.info, port=self.port), stdout=self._out,
                                     stderr=subprocess.STDOUT)
        try:
            self._wait()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait(self) -> None:
        import httpx

        deadline = time.monotonic() + self.ready_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log.read_text(errors="replace")[-1500:]
                raise BackendError(f"llama.cpp server exited ({self.proc.returncode})" + (f":\n{tail}" if tail else ""))
            try:
                if httpx.get(self.url + "/models", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise BackendError(f"llama.cpp server not ready after {self.ready_s:.0f} s")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()
        if self._own_log and not any(exc):
            self.log.unlink(missing_ok=True)
