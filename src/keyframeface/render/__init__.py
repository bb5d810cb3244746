"""Previews: a 2D face rig driven by the 61 channels, videos, keyframe sheets, curve plots, tracker read-back.

Imports are lazy (Pillow, imageio-ffmpeg and mediapipe load on first use) so that
``import keyframeface`` and the CLI start fast.

    draw_face(values (61,), size) -> PIL image          rig.py
    render_frames(values (frames, 61), size) -> frames  rig.py
    write_video / write_side_by_side                    video.py (.mp4, .gif, .png)
    contact_sheet                                       sheet.py
    plot_curves                                         plots.py
    render_input / write_previews                       inputs.py
    track_frames                                        tracker.py (needs mediapipe)
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "contact_sheet",
    "draw_face",
    "plot_curves",
    "render_frames",
    "render_input",
    "track_frames",
    "write_previews",
    "write_side_by_side",
    "write_video",
]

_WHERE = {
    "contact_sheet": "sheet",
    "draw_face": "rig",
    "plot_curves": "plots",
    "render_frames": "rig",
    "render_input": "inputs",
    "track_frames": "tracker",
    "write_previews": "inputs",
    "write_side_by_side": "video",
    "write_video": "video",
}


def __getattr__(name: str) -> Any:
    """Import the submodule that defines ``name`` on first access."""
    if name not in _WHERE:
        raise AttributeError(f"module 'keyframeface.render' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
