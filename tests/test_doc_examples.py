"""The examples in README.md and docs/*.md, executed: every ```console block's `$ keyframeface ...` commands and
every ```python block, in the order written, in one temporary folder per document.

A command must exit 0, and each output line the block shows (`...` = anything) must appear in what it printed.
A block that cannot run here is marked on the line before its fence, and is skipped under that name and reason:

    <!-- doctest: skip (needs an LLM server) -->

The folder starts with what the documents take as given, nothing else: `script.yaml` (the bundled example script),
`my_face.mp4` (a real face clip from the fixtures) and `manifest.jsonl` (one item: that clip).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SKIP = re.compile(r"<!--\s*doctest:\s*skip\s*\((?P<reason>[^)]*)\)\s*-->")
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)\s*$")

@dataclass(frozen=True)
class Block:
    """One runnable code block: where it is, its language, its text, and why it is skipped (or None)."""

    document: Path
    line: int
    lang: str
    text: str
    skip: str | None

    @property
    def name(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"


def blocks(document: Path) -> list[Block]:
    """The ```console and ```python blocks of a Markdown document, in order."""
    lines = document.read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), len(lines))
        if fence["lang"] in ("console", "python"):
            before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
            skip = SKIP.search(before)
            text = "\n".join(line[len(fence["indent"]):] for line in lines[i + 1:end])
            found.append(Block(document, i + 1, fence["lang"], text, skip["reason"] if skip else None))
        i = end + 1
    return found


ALL = [block for document in DOCUMENTS for block in blocks(document)]


def commands(text: str) -> list[tuple[str, list[str]]]:
    """(`$ ` command, the output lines shown after it) pairs of a console block; `\\` continues a command."""
    out: list[tuple[str, list[str]]] = []
    lines = iter(text.splitlines())
    for line in lines:
        if line.startswith("$ "):
            command = line[2:]
            while command.rstrip().endswith("\\"):
                command = command.rstrip()[:-1] + " " + next(lines).strip()
            out.append((command, []))
        elif line.strip() and out:
            out[-1][1].append(line.strip())
    return out


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
            "COLUMNS": "100"}


def _run_console(block: Block, cwd: Path) -> None:
    steps = commands(block.text)
    assert steps, f"{block.name}: a console block with no `$ ` command"
    for command, shown in steps:
        words = shlex.split(command, comments=True)
        assert words[0] == "keyframeface", f"{block.name}: only keyframeface commands run here: {command}"
        run = subprocess.run([sys.executable, "-m", "keyframeface", *words[1:]], cwd=cwd, env=_env(),
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, f"{block.name}: `{command}` exited {run.returncode}:\n{run.stderr[-3000:]}"
        printed = run.stdout.splitlines()
        for expected in shown:
            pattern = re.compile(".*".join(map(re.escape, expected.split("..."))))
            assert any(pattern.fullmatch(line.strip()) for line in printed), \
                f"{block.name}: `{command}` did not print {expected!r}; it printed:\n{run.stdout[-3000:]}"


def _run_python(block: Block, cwd: Path) -> None:
    script = cwd / f"_example_{block.line}.py"
    script.write_text(block.text + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, script.name], cwd=cwd, env=_env(), capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, f"{block.name}: the python block failed:\n{run.stderr[-3000:]}"


def _needs_tracker(block: Block) -> str | None:
    """Why a block that tracks faces cannot run here (no mediapipe or no model file), else None."""
    if not re.search(r"keyframeface (capture|dataset build)", block.text):
        return None
    try:
        from keyframeface.render.tracker import model_path

        import mediapipe  # noqa: F401

        model_path()
    except Exception as exc:  # MissingExtra or ImportError: say which
        return f"the face tracker is not installed ({exc})"
    return None


@pytest.fixture(scope="module")
def folders() -> dict:
    """One working folder per document, with the blocks already run in it (so a block sees its predecessors')."""
    return {}


def _folder(document: Path, folders: dict, tmp_path_factory, fixture_file) -> tuple[Path, set[int]]:
    if document not in folders:
        cwd = tmp_path_factory.mktemp(document.stem)
        shutil.copy(ROOT / "src" / "keyframeface" / "examples" / "interview.yaml", cwd / "script.yaml")
        shutil.copy(fixture_file("video", "carphone.mp4"), cwd / "my_face.mp4")
        (cwd / "manifest.jsonl").write_text(json.dumps({
            "id": "me", "video": "my_face.mp4", "background": "A man talks on the phone in a car.",
            "emotion": "Calm, then a flash of surprise."}) + "\n", encoding="utf-8")
        folders[document] = (cwd, set())
    return folders[document]


@pytest.mark.slow
@pytest.mark.parametrize("block", ALL, ids=[b.name for b in ALL])
def test_example(block: Block, folders, tmp_path_factory, fixture_file):
    if block.skip:
        pytest.skip(f"{block.name}: {block.skip}")
    cwd, done = _folder(block.document, folders, tmp_path_factory, fixture_file)
    for earlier in blocks(block.document):  # what this block builds on, when it is run alone
        if earlier.line >= block.line:
            break
        if earlier.line not in done and not earlier.skip and not _needs_tracker(earlier):
            (_run_console if earlier.lang == "console" else _run_python)(earlier, cwd)
            done.add(earlier.line)
    reason = _needs_tracker(block)
    if reason:
        pytest.skip(f"{block.name}: {reason}")
    if block.line not in done:
        (_run_console if block.lang == "console" else _run_python)(block, cwd)
        done.add(block.line)


def test_blocks_are_found_and_markers_are_read():
    names = {b.name: b for b in ALL}
    assert any(n.startswith("README.md:") and b.lang == "console" for n, b in names.items())
    assert any(n.startswith("README.md:") and b.lang == "python" for n, b in names.items())
    assert [b.skip for b in ALL if b.document.name == "llm.md" and b.lang == "python"] == \
        ["needs an LLM server at gpu-box:8000"]
    assert commands("$ keyframeface a \\\n    --b c\n1. ...\n$ keyframeface d  # note") == \
        [("keyframeface a  --b c", ["1. ..."]), ("keyframeface d  # note", [])]


def test_a_wrong_example_fails(tmp_path):
    shown = Block(ROOT / "README.md", 1, "console", "$ keyframeface channels\n 0  EyeBlinkLeft ...", None)
    _run_console(shown, tmp_path)
    with pytest.raises(AssertionError, match="did not print"):
        _run_console(Block(ROOT / "README.md", 1, "console", "$ keyframeface channels\nno such line ...", None),
                     tmp_path)
    with pytest.raises(AssertionError, match="exited 2"):
        _run_console(Block(ROOT / "README.md", 1, "console", "$ keyframeface channels --jsno", None), tmp_path)
    with pytest.raises(AssertionError, match="python block failed"):
        _run_python(Block(ROOT / "README.md", 1, "python", "import keyframeface\nkeyframeface.nope()", None), tmp_path)
