"""Shared test helpers: where ../shared fixtures live, and a skip when they don't."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "fixtures"


@pytest.fixture
def shared_fixture():
    """Path to a file under ../shared/fixtures, or skip saying why (a user's clone has no ../shared)."""

    def get(*parts: str) -> Path:
        path = SHARED.joinpath(*parts)
        if not path.exists():
            pytest.skip(f"../shared/fixtures/{'/'.join(parts)} not present (CI has it; a plain clone does not)")
        return path

    return get
