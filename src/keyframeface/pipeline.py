"""Pipeline: wires the stages plan -> pose -> timeline. No file I/O here.

    Pipeline(backend=EngineBackend()).run(script) -> Animation

A backend answers the language questions; the planner defaults to the same
backend. Timeline and life are shared and deterministic for a given seed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._deadline import check
from .backends.base import Backend, get_backend
from .data import Keyframe, Script, Timeline
from .errors import InputError
from .intensity import MAX_INTENSITY, apply_intensity, check_intensity
from .timeline import build_timeline

if TYPE_CHECKING:
    from .backends.choose import BackendChoice

__all__ = ["Animation", "Pipeline"]


@dataclass(frozen=True)
class Animation:
    """The result of a run: the script (keyframes filled in), posed keyframes, dense timeline."""

    script: Script
    keyframes: tuple[Keyframe, ...]
    timeline: Timeline
    planned_by: str  # "script" when the user wrote the keyframes, else the planner's name
    written: tuple[Keyframe, ...] = ()  # the keyframes as posed, before intensity (= keyframes at intensity 1)


class Pipeline:
    """Runs a script through a planner, a pose backend and the timeline.

    ``backend`` poses keyframes (default: the embedded engine); ``planner`` writes
    keyframe descriptions when the script has none (default: ``backend``);
    ``keyframes`` fixes how many the planner writes; ``life`` adds blinks, gaze and sway; ``intensity`` scales
    every keyframe's expression about neutral (times the keyframe's own ``intensity``; see ``intensity.py``).
    """

    def __init__(self, backend: Backend | None = None, *, planner: Backend | None = None,
                 life: bool = True, keyframes: int | None = None, intensity: float = 1.0) -> None:
        self.backend = backend if backend is not None else get_backend("engine")
        self.intensity = check_intensity(intensity)
        self.planner = planner if planner is not None else self.backend
        self.life = life
        self.keyframe_count = keyframes

    @classmethod
    def from_choice(cls, choice: BackendChoice, **options: Any) -> Pipeline:
        """A Pipeline with the backends a ``BackendChoice`` (the CLI's or the studio's options) describes;
        ``options`` are the other arguments (life, keyframes ...)."""
        return cls(choice.make_backend(), planner=choice.make_planner(), **options)

    def plan(self, script: Script) -> tuple[Script, str]:
        """The script with keyframes filled in (planned when absent), and who planned them."""
        if script.keyframes:
            return script, "script"
        specs = self.planner.plan(script.background, script.emotion, self.keyframe_count)
        if not specs:
            raise InputError(f"planner {self.planner.name!r} returned no keyframes", field="keyframes")
        return dataclasses.replace(script, keyframes=tuple(specs)), self.planner.name

    def pose(self, script: Script) -> tuple[Keyframe, ...]:
        """Pose every keyframe in order (each sees the ones before it, as written), at the asked intensity."""
        return self.scaled(self.pose_written(script))

    def pose_written(self, script: Script) -> tuple[Keyframe, ...]:
        """Pose every keyframe in order, as written (no intensity); each sees the ones before it.

        A backend that gives no motion (timing as data) gets the engine's manner reader over the description, so
        the timeline always reads numbers stored on the keyframe.
        """
        from .backends.engine.manner import read_manner

        posed: list[Keyframe] = []
        for index in range(len(script.keyframes)):
            check()  # a studio request past its time limit stops here (no-op elsewhere)
            keyframe = self.backend.pose(script, index, tuple(posed))
            if keyframe.motion is None:
                keyframe = dataclasses.replace(keyframe, motion=read_manner(keyframe.spec.description))
            posed.append(keyframe)
        return tuple(posed)

    def scaled(self, written: tuple[Keyframe, ...]) -> tuple[Keyframe, ...]:
        """Keyframes at this pipeline's intensity times each keyframe's own ``intensity`` (capped at 2)."""
        return tuple(apply_intensity(k, min(self.intensity * (1.0 if k.spec.intensity is None else k.spec.intensity),
                                            MAX_INTENSITY)) for k in written)

    def run(self, script: Script) -> Animation:
        """plan -> pose -> timeline."""
        script, planned_by = self.plan(script)
        written = self.pose_written(script)
        keyframes = self.scaled(written)
        timeline = build_timeline(keyframes, script.fps, seed=script.seed, life=self.life)
        return Animation(script=script, keyframes=keyframes, timeline=timeline, planned_by=planned_by,
                         written=written)
