"""The Backend protocol: the two language questions (plan, pose) behind one interface.

A backend turns words into numbers. Everything after it (timeline, exports,
renders) is deterministic and shared. A backend that answers only one question
borrows the other from the embedded engine (see ``pipeline.Pipeline``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from ..data import Keyframe, KeyframeSpec, Script
from ..errors import InputError

__all__ = ["BACKENDS", "Backend", "get_backend"]


@runtime_checkable
class Backend(Protocol):
    """Plans keyframe descriptions and poses each one as 61 ARKit values."""

    name: str

    def plan(self, background: str, emotion: str, count: int | None = None) -> list[KeyframeSpec]:
        """Background + emotion -> 2..6 ordered keyframe descriptions (``count`` fixes how many)."""
        ...

    def pose(self, script: Script, index: int, previous: Sequence[Keyframe] = ()) -> Keyframe:
        """Pose ``script.keyframes[index]`` with the whole script as context.

        ``previous`` holds the keyframes already posed (index order), for continuity.
        Must return 61 in-range values, or raise ``BackendError``.
        """
        ...


BACKENDS = ("engine", "llm", "fake")


def get_backend(name: str, **options: Any) -> Backend:
    """Backend by name: 'engine' (embedded, default), 'llm' (OpenAI-compatible server), 'fake' (tests)."""
    if name == "engine":
        from .engine import EngineBackend

        return EngineBackend(**options)
    if name == "llm":
        from .llm import LLMBackend

        return LLMBackend(**options)
    if name == "fake":
        from .fake import FakeBackend

        return FakeBackend(**options)
    raise InputError(f"unknown backend {name!r}; expected one of {', '.join(BACKENDS)}", field="backend")
