"""Shared test helpers: where ../shared fixtures live, and a skip when they don't."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "fixtures"


LLM_ENV = ("KEYFRAMEFACE_LLM_URL", "KEYFRAMEFACE_LLM_MODEL", "KEYFRAMEFACE_LLM_API_KEY", "OPENAI_API_KEY",
           "KEYFRAMEFACE_CONFIG")


@pytest.fixture
def server(monkeypatch, tmp_path):
    """A real OpenAI-compatible replay server on 127.0.0.1, with no LLM settings leaking in from the
    developer's environment or config file."""
    from replay_server import ReplayServer

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)
    with ReplayServer() as s:
        yield s


@pytest.fixture
def shared_fixture():
    """Path to a file under ../shared/fixtures, or skip saying why (a user's clone has no ../shared)."""

    def get(*parts: str) -> Path:
        path = SHARED.joinpath(*parts)
        if not path.exists():
            pytest.skip(f"../shared/fixtures/{'/'.join(parts)} not present (CI has it; a plain clone does not)")
        return path

    return get
