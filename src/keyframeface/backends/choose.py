"""Who poses and who plans: the backend choice the CLI's options (and the studio) describe, made into backends.

    choice = BackendChoice(backend="llm", llm={"url": "http://127.0.0.1:8000/v1", "model": "kf"})
    pipeline = Pipeline.from_choice(choice)    # poses with the LLM, plans with it too
    BackendChoice(planner="llm", llm=...)      # the engine poses, the LLM plans

It sits below ``pipeline`` (it imports only ``backends.base``): the pipeline is built from a choice, not here.

The LLM options are those of ``LLMBackend`` (url, model, prompt_style, structured, config,
timeout, cache_dir); other backends take none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .base import Backend, get_backend

__all__ = ["LLM_OPTIONS", "BackendChoice"]

LLM_OPTIONS = ("url", "model", "prompt_style", "structured", "config", "timeout", "cache_dir")


@dataclass(frozen=True)
class BackendChoice:
    """A pose backend, an optional different planner, and the LLM's options (used only where one is 'llm')."""

    backend: str = "engine"
    planner: str | None = None  # None: the pose backend plans too
    llm: Mapping[str, Any] = field(default_factory=dict)

    @property
    def uses_llm(self) -> bool:
        """Whether any stage talks to an LLM server."""
        return "llm" in (self.backend, self.planner)

    def options(self) -> dict[str, Any]:
        """``{"backend": name, **llm options}``: what ``batch.run_batch`` takes."""
        llm = {k: v for k, v in self.llm.items() if v is not None} if self.uses_llm else {}
        return {"backend": self.backend, **llm}

    def make_backend(self) -> Backend:
        """The pose backend."""
        return self._make(self.backend, prompt=True)

    def make_planner(self) -> Backend:
        """The planner: ``planner`` when given, else the pose backend's kind."""
        return self._make(self.planner or self.backend, prompt=False)

    def _make(self, name: str, *, prompt: bool) -> Backend:
        if name != "llm":
            return get_backend(name)
        options = {k: v for k, v in self.llm.items() if v is not None and (prompt or k != "prompt_style")}
        return get_backend("llm", **options)
