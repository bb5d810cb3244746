"""Curve plot: the active channels over time, one panel per region, keyframe times marked.

Drawn with Pillow (no matplotlib import cost, so ``animate`` stays fast).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .._io import atomic_open
from ..channels import CHANNEL_INDEX, REGIONS

__all__ = ["ACTIVE", "active_channels", "plot_curves"]

ACTIVE = 0.02  # a channel is plotted when it moves more than this anywhere
WIDTH, PANEL_H, LEFT, LEGEND, TOP = 1100, 130, 56, 190, 34  # pixels
_PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
            (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]


def active_channels(values: np.ndarray) -> dict[str, list[str]]:
    """Region -> channels of (frames, 61) values whose magnitude exceeds ACTIVE somewhere."""
    peak = np.max(np.abs(values), axis=0)  # (61,)
    found = {region: [n for n in names if peak[CHANNEL_INDEX[n]] > ACTIVE] for region, names in REGIONS.items()}
    return {region: names for region, names in found.items() if names}


def plot_curves(path: str | os.PathLike, timeline_values: np.ndarray, fps: float, key_times: Sequence[float] = (),
                *, title: str = "") -> Path:
    """Write a PNG of the active channels of (frames, 61) values against time in seconds."""
    from PIL import Image, ImageDraw

    from .sheet import font

    values = np.atleast_2d(np.asarray(timeline_values, dtype=float))
    regions = active_channels(values) or {"(no active channels)": []}
    duration = max(len(values) - 1, 1) / fps
    plot_w = WIDTH - LEFT - LEGEND
    heights = [max(PANEL_H, 24 + 12 * len(names)) for names in regions.values()]  # room for every legend entry
    tops = TOP + np.concatenate([[0], np.cumsum(np.array(heights) + 14)])
    height = int(tops[-1]) + 30
    img = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(img)
    small, label = font(11), font(13)
    draw.text((LEFT, 8), title or "channel curves", fill=(20, 20, 20), font=font(16))
    t = np.arange(len(values)) / fps
    xs = LEFT + t / duration * plot_w
    for p, (region, names) in enumerate(regions.items()):
        y0, panel_h = int(tops[p]), heights[p]
        block = values[:, [CHANNEL_INDEX[n] for n in names]] if names else np.zeros((len(values), 0))
        signed = block.size > 0 and block.min() < -ACTIVE
        hi = 1.0 if not signed else float(np.ceil(max(np.abs(block).max(), 0.05) * 4) / 4)
        lo = -hi if signed else 0.0

        def y_of(v: np.ndarray | float, y0: int = y0, h: int = panel_h, lo: float = lo,
                 hi: float = hi) -> np.ndarray | float:
            return y0 + h - (np.asarray(v) - lo) / (hi - lo) * h

        draw.rectangle([LEFT, y0, LEFT + plot_w, y0 + panel_h], outline=(180, 180, 180))
        for tick in (lo, (lo + hi) / 2, hi):
            draw.text((LEFT - 6, y_of(tick)), f"{tick:g}", fill=(90, 90, 90), font=small, anchor="rm")
        if signed:
            draw.line([LEFT, y_of(0.0), LEFT + plot_w, y_of(0.0)], fill=(215, 215, 215))
        for k, key in enumerate(key_times):  # dashed verticals at the keyframes
            x = LEFT + key / duration * plot_w
            for y in range(y0, y0 + panel_h, 8):
                draw.line([x, y, x, min(y + 4, y0 + panel_h)], fill=(150, 150, 150))
            if p == 0:
                draw.text((x, y0 - 2), str(k + 1), fill=(110, 110, 110), font=small, anchor="mb")
        draw.text((WIDTH - LEGEND + 10, y0), region, fill=(20, 20, 20), font=label)
        for i, name in enumerate(names):
            colour = _PALETTE[i % len(_PALETTE)]
            pts = np.stack([xs, y_of(block[:, i])], axis=1)
            draw.line(pts.ravel().tolist(), fill=colour, width=2)
            ly = y0 + 18 + 12 * i
            draw.line([WIDTH - LEGEND + 10, ly + 6, WIDTH - LEGEND + 24, ly + 6], fill=colour, width=3)
            draw.text((WIDTH - LEGEND + 28, ly), name, fill=(40, 40, 40), font=small)
    bottom = int(tops[-1])
    for sec in np.arange(0.0, duration + 1e-9, max(1.0, np.ceil(duration / 10))):
        x = LEFT + sec / duration * plot_w
        draw.text((x, bottom), f"{sec:g}s", fill=(90, 90, 90), font=small, anchor="ma")
    with atomic_open(path, "wb") as f:
        img.save(f, format="PNG")
    return Path(path)
