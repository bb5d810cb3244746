"""A backend that replays keyframes already posed (imported results, kept studio edits).

    ReplayBackend({0: kf0, 2: kf2}, fallback=engine)   # index 1 is posed by the engine

``import-results`` replays a results file through the same Pipeline as ``animate``;
the studio re-poses one edited keyframe and replays the others unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from ..data import Keyframe, KeyframeSpec, Script
from ..errors import InputError
from .base import Backend

__all__ = ["ReplayBackend"]


class ReplayBackend:
    """Answers ``pose`` from ``keyframes`` by index; other indices go to ``fallback`` (or fail)."""

    def __init__(self, keyframes: Mapping[int, Keyframe], *, fallback: Backend | None = None,
                 name: str = "replay") -> None:
        self.keyframes = dict(keyframes)
        self.fallback = fallback
        self.name = name

    def plan(self, background: str, emotion: str, count: int | None = None) -> list[KeyframeSpec]:
        """Plans only through the fallback: replayed keyframes come with their descriptions."""
        if self.fallback is None:
            raise InputError("replayed keyframes cannot be planned; the script needs its keyframes",
                             field="keyframes")
        return self.fallback.plan(background, emotion, count)

    def pose(self, script: Script, index: int, previous: Sequence[Keyframe] = ()) -> Keyframe:
        """The stored keyframe (with the script's spec, for its timing), else the fallback's pose."""
        stored = self.keyframes.get(index)
        if stored is not None:
            return dataclasses.replace(stored, spec=script.keyframes[index])
        if self.fallback is None:
            raise InputError(f"no result for keyframe {index + 1}", field=f"keyframes[{index}]")
        return self.fallback.pose(script, index, previous)
