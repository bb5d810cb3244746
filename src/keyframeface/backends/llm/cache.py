"""Disk cache of LLM answers, keyed by the sha256 of the full request (never the API key).

    root/ab/abcdef....json   {"request": {...}, "answer": "..."}

Only answers that were read successfully are stored, so a re-run of a batch
sends no request for what it already has, and never replays junk.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..._io import atomic_write_text

__all__ = ["AnswerCache", "request_key"]


def request_key(request: dict) -> str:
    """sha256 hex of the request in canonical JSON (sorted keys, no spaces)."""
    blob = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class AnswerCache:
    """Answers on disk under ``root``; safe for concurrent threads and processes (atomic writes)."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"AnswerCache({str(self.root)!r})"

    def get(self, request: dict) -> str | None:
        """The stored answer for ``request``, or None (absent or unreadable)."""
        try:
            entry = json.loads(self._path(request_key(request)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        answer = entry.get("answer") if isinstance(entry, dict) else None
        return answer if isinstance(answer, str) else None

    def put(self, request: dict, answer: str) -> None:
        """Store ``answer`` for ``request`` (the request is kept beside it for inspection)."""
        entry = {"request": request, "answer": answer}
        atomic_write_text(self._path(request_key(request)), json.dumps(entry, ensure_ascii=False, indent=1))

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"
