"""keyframeface: text -> expressive ARKit facial animation.

    >>> import keyframeface
    >>> anim = keyframeface.animate("A student waits outside an interview room.",
    ...                             "Anxiety concealed by a restrained smile.")
    >>> anim.timeline.values.shape   # (frames, 61), Live Link Face channel order
    >>> keyframeface.write_outputs(anim, "out/")

Stages, each swappable: plan -> pose (a Backend) -> timeline -> export -> render.
"""

from __future__ import annotations

from collections.abc import Sequence

from .backends import Backend, get_backend
from .channels import CHANNELS, UDP_ORDER, canonical_name
from .data import Contribution, Keyframe, KeyframeSpec, Script, Timeline
from .errors import BackendError, InputError, KeyframeFaceError, MissingExtra, OutputError
from .outputs import write_outputs
from .pipeline import Animation, Pipeline
from .script import load_script

__all__ = [
    "CHANNELS",
    "UDP_ORDER",
    "Animation",
    "Backend",
    "BackendError",
    "Contribution",
    "InputError",
    "Keyframe",
    "KeyframeFaceError",
    "KeyframeSpec",
    "MissingExtra",
    "OutputError",
    "Pipeline",
    "Script",
    "Timeline",
    "animate",
    "canonical_name",
    "get_backend",
    "load_script",
    "write_outputs",
]
__version__ = "0.1.0"


def animate(background: str, emotion: str, keyframes: Sequence[str | KeyframeSpec] = (), *,
            fps: float = 30.0, seed: int = 0, backend: str | Backend = "engine", life: bool = True) -> Animation:
    """One call from words to an Animation (keyframes + dense (frames, 61) timeline)."""
    from .script import script_from_dict

    specs = [k if isinstance(k, str) else {"description": k.description, "hold": k.hold, "duration": k.duration}
             for k in keyframes]
    script = script_from_dict({"background": background, "emotion": emotion, "fps": fps, "seed": seed,
                               "keyframes": specs})
    chosen = get_backend(backend) if isinstance(backend, str) else backend
    return Pipeline(chosen, life=life).run(script)
