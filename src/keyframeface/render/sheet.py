"""Keyframe contact sheet: each keyframe's face with its description wrapped under it."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from .._io import atomic_open
from ..data import Keyframe

__all__ = ["contact_sheet", "font"]

COLUMNS = 4  # faces per row at most
_INK, _MUTED, _PAPER = (30, 30, 30), (90, 90, 90), (255, 255, 255)


@lru_cache(maxsize=16)
def font(size: int):
    """Pillow's bundled scalable font at ``size`` pixels (no system fonts needed)."""
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def contact_sheet(path: str | os.PathLike, keyframes: Sequence[Keyframe], *, background: str, emotion: str,
                  size: int = 200, key_times: Sequence[float] = ()) -> Path:
    """Write a PNG grid of keyframe faces, numbered (and timed) and captioned, under a background/emotion title."""
    from PIL import Image, ImageDraw

    from .rig import draw_face

    cols = max(1, min(COLUMNS, len(keyframes)))
    rows = max(1, -(-len(keyframes) // cols))
    body, small, title_font = font(13), font(12), font(16)
    chars = max(12, int(size / 7))  # wrap width in characters for a 13 px font
    captions = [textwrap.wrap(k.spec.description, chars)[:6] for k in keyframes]
    line_h = 16
    cap_h = 22 + line_h * max((len(c) for c in captions), default=1)
    width = max(30, int(cols * size / 8))  # characters per title line at 16 px
    title = (textwrap.wrap(f"Emotion: {emotion}", width)[:2] + textwrap.wrap(f"Background: {background}", width)[:3])
    head_h = 14 + 20 * len(title)
    sheet = Image.new("RGB", (cols * size, head_h + rows * (size + cap_h)), _PAPER)
    draw = ImageDraw.Draw(sheet)
    for i, line in enumerate(title):
        draw.text((10, 8 + 20 * i), line, fill=_INK, font=title_font)
    for i, (key, lines) in enumerate(zip(keyframes, captions)):
        x, y = (i % cols) * size, head_h + (i // cols) * (size + cap_h)
        sheet.paste(draw_face(key.values, size), (x, y))
        when = f"  at {key_times[i]:.2f} s" if i < len(key_times) else ""
        draw.text((x + 6, y + size + 4), f"#{i + 1}{when}", fill=_MUTED, font=small)
        for j, line in enumerate(lines):
            draw.text((x + 6, y + size + 20 + line_h * j), line, fill=_INK, font=body)
    with atomic_open(path, "wb") as f:
        sheet.save(f, format="PNG")
    return Path(path)
