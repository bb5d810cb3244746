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
    "build_dataset",
    "canonical_name",
    "describe_sequence",
    "evaluate_files",
    "export_dataset",
    "get_backend",
    "key_frames",
    "load_script",
    "write_outputs",
]


def _version() -> str:
    """The installed distribution's version (pyproject.toml is its one source); a bare source tree says so."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("keyframeface")
    except PackageNotFoundError:
        return "0+source"


__version__ = _version()

# The data side (docs/data.md), imported on first use so `import keyframeface` stays fast.
# (capture() and describe() share their modules' names, so they are imported from keyframeface.capture / .describe.)
_LAZY = {"build_dataset": "dataset", "describe_sequence": "describe", "evaluate_files": "evaluate",
         "export_dataset": "dataset", "key_frames": "keyframes_extract"}


def __getattr__(name: str):
    """Resolve the lazily imported data-side functions."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
