"""The embedded engine backend: offline, CPU, explainable words -> 61 ARKit values.

``plan`` (background + emotion -> keyframe descriptions) lives in ``plan.py``; ``pose``
(description -> values) in ``pose.py`` with its knowledge in ``lexicon.py``, the emotion
prior in ``emotions.py`` and the optional sentence-encoder fallback in ``fallback.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ...data import ContributionKind, Keyframe, KeyframeSpec, Script
from . import lexicon
from .lexicon import Vocabulary
from .pose import PoseResult, explain, pose_text

__all__ = ["EngineBackend", "PoseResult", "Vocabulary", "explain", "pose_text"]


class EngineBackend:
    """Rule/knowledge engine: plans from emotion templates, poses from the facial lexicon."""

    name = "engine"

    def __init__(self, *, fallback: bool = True, vocabulary: Vocabulary | Path | None = None) -> None:
        """``fallback``: pose the nearest known phrase when the lexicon reads nothing (needs the 'embed' extra).
        ``vocabulary``: the lexicon's tables from another data directory (a copy of ``data/`` with new words)."""
        self.fallback = fallback
        self.vocabulary = None if vocabulary is None else (
            vocabulary if isinstance(vocabulary, Vocabulary) else lexicon.vocabulary(Path(vocabulary)))

    def plan(self, background: str, emotion: str, count: int | None = None) -> list[KeyframeSpec]:
        """Background + emotion -> ordered keyframe descriptions (``count`` fixes how many)."""
        from .plan import plan_keyframes

        with lexicon.using(self.vocabulary):
            return plan_keyframes(background, emotion, count)

    def pose(self, script: Script, index: int, previous: Sequence[Keyframe] = ()) -> Keyframe:
        """Pose keyframe ``index``; the script's emotion fills regions its description leaves out, and
        parts the description says persist keep the previous keyframe's values."""
        spec = script.keyframes[index]
        count = len(script.keyframes)
        position = index / (count - 1) if count > 1 else None  # phase of the emotion's arc
        before = previous[-1] if previous else None
        words = None if before is None else {  # what words (not the prior) set: it carries over
            c.channel: c.words for c in before.explanation if c.kind.from_text or c.kind is ContributionKind.CARRIED}
        with lexicon.using(self.vocabulary):
            result = pose_text(spec.description, script.background, script.emotion, position=position,
                               fallback=self.fallback, previous=None if before is None else before.values,
                               previous_name=f"keyframe {index}",  # 1-based: the one before keyframe index + 1
                               previous_words=words, earlier=[k.values for k in previous],
                               previous_description="" if before is None else before.spec.description)
        return Keyframe(spec=spec, values=result.values, backend=self.name,
                        explanation=result.contributions, warnings=result.warnings, motion=result.motion)
