"""Test helpers: the real-file fixtures in tests/fixtures (see tests/fixtures/README.md) and a loopback LLM server."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


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


def fixture_path(*parts: str) -> Path:
    """Path of a file under tests/fixtures; a missing one is a failure (they ship with the repository), never a skip."""
    path = FIXTURES.joinpath(*parts)
    if not path.is_file():
        pytest.fail(f"tests/fixtures/{'/'.join(parts)} is missing: the fixtures ship with the repository", pytrace=False)
    return path


@pytest.fixture
def fixture_file():
    """``fixture_file("livelink_csv", "rom_take_a.csv")``: the path of a real-file fixture (see ``fixture_path``)."""
    return fixture_path


shared_fixture = fixture_file  # the old name, for branches written before the fixtures moved into the repository
