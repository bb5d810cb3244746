"""A deterministic backend for wiring tests: values derived from a hash of the text."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from ..channels import HIGH, LOW, N_CHANNELS
from ..data import Keyframe, KeyframeSpec, Script

__all__ = ["FakeBackend"]


class FakeBackend:
    """Plans 'Keyframe N of <emotion>' and poses from a text hash. Same text -> same values."""

    name = "fake"

    def plan(self, background: str, emotion: str, count: int | None = None) -> list[KeyframeSpec]:
        return [KeyframeSpec(f"Keyframe {i + 1} of {emotion}") for i in range(count or 3)]

    def pose(self, script: Script, index: int, previous: Sequence[Keyframe] = ()) -> Keyframe:
        spec = script.keyframes[index]
        seed = int.from_bytes(hashlib.sha256(spec.description.encode()).digest()[:8], "little")
        raw = np.random.default_rng(seed).uniform(0.0, 0.6, N_CHANNELS)  # (61,)
        values = np.clip(np.where(LOW < 0, raw - 0.3, raw), LOW, HIGH)
        return Keyframe(spec=spec, values=values, backend=self.name)
