"""Write an Animation's files into an output folder, all or nothing.

Files are staged in a hidden temp folder beside the targets and moved in only
when every one of them was written, so a failure leaves no partial output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .pipeline import Animation

__all__ = ["CORE_FILES", "PREVIEW_FILES", "write_outputs"]

CORE_FILES = ("animation.csv", "keyframes.json", "keyframes.jsonl")
PREVIEW_FILES = ("preview.mp4", "keyframes.png", "curves.png")


def write_outputs(animation: Animation, outdir: str | os.PathLike, *, preview: bool = True,
                  extra: dict | None = None) -> list[Path]:
    """Write animation.csv, keyframes.json, keyframes.jsonl (and previews) into ``outdir``."""
    from .formats.keyframes_json import write_keyframes_json
    from .formats.livelink_csv import write_livelink_csv
    from .formats.reference import write_results

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".keyframeface-", dir=out))
    try:
        timeline = animation.timeline
        write_livelink_csv(stage / "animation.csv", timeline.values, timeline.fps)
        write_keyframes_json(stage / "keyframes.json", animation.script, animation.keyframes,
                             timeline.key_times, planned_by=animation.planned_by, extra=extra)
        write_results(stage / "keyframes.jsonl", animation.keyframes)
        names = list(CORE_FILES)
        if preview:
            from .render import write_previews

            names += [p.name for p in write_previews(animation, stage)]
        written = []
        for name in names:
            os.replace(stage / name, out / name)
            written.append(out / name)
        return written
    finally:
        shutil.rmtree(stage, ignore_errors=True)
