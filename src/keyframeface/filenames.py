"""The names of the files an ``animate`` output folder holds (one place; outputs and render both use them)."""

from __future__ import annotations

__all__ = ["CORE_FILES", "PREVIEW_FILES"]

CORE_FILES = ("animation.csv", "keyframes.json", "keyframes.jsonl")
PREVIEW_FILES = ("preview.mp4", "keyframes.png", "curves.png")
