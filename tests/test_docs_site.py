"""The documentation site: `mkdocs build --strict` passes, and its generated pages cover the code they describe."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from keyframeface.cli import _build_parser

ROOT = Path(__file__).resolve().parents[1]


def _hooks():
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "scripts" / "docs_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _commands(parser: argparse.ArgumentParser, prefix: str = "keyframeface"):
    """(full command, its parser) for every command and sub-command, walked from the real parser."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"{prefix} {name}", sub
                yield from _commands(sub, f"{prefix} {name}")


def test_the_cli_reference_has_every_command_and_option():
    page = _hooks().cli_reference()
    commands = list(_commands(_build_parser()))
    assert len(commands) >= 19  # animate ... eval, dataset build/export
    for title, parser in commands:
        section = page.split(f"`{title}`\n", 1)[1]  # its heading exists
        section = section.split("\n## ", 1)[0].split("\n### ", 1)[0]
        for action in parser._actions:
            for option in action.option_strings:
                assert option in section, (title, option)
            positional = not action.option_strings and action.choices is None
            if positional and action.help and action.help != argparse.SUPPRESS:
                assert (action.metavar or action.dest) in section, (title, action.dest)


def test_the_readme_page_links_inside_the_site():
    page = _hooks().readme(ROOT / "README.md")
    assert not page.startswith("# ") and "\n## The script\n" in page
    assert "](docs/" not in page and "](llm.md)" in page


def test_links_to_repository_files_become_paths(tmp_path):
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "llm.md").write_text("# llm\n")
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "b.py").write_text("")
    text = ("[a](../bench/b.py) [b](llm.md#x) [c](https://example.org/x.md) [d](#here) [e](missing.md) "
            "![f](../bench/b.py)")
    fixed = _hooks().repo_links(text, written_in=tmp_path / "docs", docs=tmp_path / "docs")
    assert fixed == ("a (`bench/b.py`) [b](llm.md#x) [c](https://example.org/x.md) [d](#here) [e](missing.md) "
                     "![f](../bench/b.py)")
    deeper = _hooks().repo_links("[b](docs/llm.md)", written_in=tmp_path, docs=tmp_path / "docs",
                                 page_dir=tmp_path / "docs" / "sub")
    assert deeper == "[b](../llm.md)"


def test_missing_guides_are_left_out_of_the_nav(tmp_path):
    (tmp_path / "here.md").write_text("# here\n")
    nav = [{"Home": "here.md"}, {"Guides": [{"Gone": "gone.md"}, {"Here": "here.md"}]}, {"Empty": [{"x": "x.md"}]},
           {"Site": "https://example.org/"}]
    assert _hooks()._existing(nav, tmp_path) == [{"Home": "here.md"}, {"Guides": [{"Here": "here.md"}]},
                                                  {"Site": "https://example.org/"}]


@pytest.mark.slow
def test_mkdocs_build_strict(tmp_path):
    for module in ("mkdocs", "material", "mkdocstrings_handlers.python"):
        pytest.importorskip(module, reason=f"{module} is not installed (pip install '.[docs]')")
    site = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                          "-d", str(site)], capture_output=True, text=True, env=env, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-4000:]
    cli = (site / "cli" / "index.html").read_text(encoding="utf-8")
    for title, parser in _commands(_build_parser()):
        assert f'id="{"-".join(title.split())}"' in cli, title  # a section (and anchor) per command
    assert "Anxiety concealed by a restrained smile" in (site / "usage" / "index.html").read_text(encoding="utf-8")
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    for name in ("keyframeface.pipeline", "from_choice", "load_script", "write_outputs", "InputError"):
        assert name in api, name
    rest = (site / "rest" / "index.html").read_text(encoding="utf-8")
    schema = json.loads((site / "openapi.json").read_text(encoding="utf-8"))
    assert "/api/animate" in schema["paths"]
    for path in schema["paths"]:
        assert path in rest, path
