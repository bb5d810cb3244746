"""CLI polish: "did you mean", the subcommand's usage on a bad option, silenced native logs, progress only on a
terminal, and no import circles in the package."""

from __future__ import annotations

import ast
import fcntl
import io
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import textwrap
from pathlib import Path

import pytest

from keyframeface._console import progress_bar
from keyframeface.cli import main

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def _run(*args: str, stderr: int | None = subprocess.PIPE, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "keyframeface", *args], stdout=subprocess.PIPE, stderr=stderr,
                          text=True, env=env, timeout=300, **kwargs)


def _error(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    return capsys.readouterr().err


def test_a_mistyped_command_gets_did_you_mean_and_the_top_level_usage(capsys):
    err = _error(["animte", "-o", "out"], capsys)
    assert err.startswith("usage: keyframeface [-h]")
    assert "invalid choice: 'animte' (did you mean animate?); choose from animate, plan," in err
    assert "did you mean" not in _error(["xyzzy"], capsys)  # nothing close: no guess, the list of commands
    assert "did you mean build?" in _error(["dataset", "biuld", "m.jsonl", "-o", "d"], capsys)


def test_a_mistyped_option_prints_the_subcommands_usage_with_did_you_mean(capsys):
    err = _error(["animate", "--backgroud", "A room.", "--emotion", "calm", "-o", "out"], capsys)
    assert err.startswith("usage: keyframeface animate ")
    assert "keyframeface animate: error: unrecognized arguments: --backgroud (did you mean --background" in err
    err = _error(["dataset", "build", "m.jsonl", "-o", "d", "--wrokers=2"], capsys)
    assert err.startswith("usage: keyframeface dataset build ")
    assert "--wrokers=2 (did you mean --workers?)" in err
    err = _error(["channels", "--jsno"], capsys)
    assert err.startswith("usage: keyframeface channels") and "(did you mean --json?)" in err
    err = _error(["--json", "channels"], capsys)  # a command's option before the command
    assert "unrecognized arguments: --json (give it after the command: keyframeface channels ... --json)" in err


def test_a_mistyped_choice_value_gets_did_you_mean(capsys):
    err = _error(["pose", "a smile", "--backend", "lmm"], capsys)
    assert err.startswith("usage: keyframeface pose ")
    assert "argument --backend: invalid choice: 'lmm' (did you mean llm?); choose from engine, llm" in err


def _child(code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GLOG_minloglevel", "TF_CPP_MIN_LOG_LEVEL")}
    env["PYTHONPATH"] = str(SRC)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                          timeout=60)


def test_quiet_native_logs_drops_fd2_writes_but_keeps_python_stderr():
    code = """
        import os, sys
        from keyframeface._console import quiet_native_logs
        with quiet_native_logs({enabled}):
            os.write(2, b"native log line\\n")          # what C++ (absl, TFLite) does
            print("python message", file=sys.stderr)    # errors, warnings, progress
            print("env", os.environ.get("GLOG_minloglevel"), file=sys.stderr)
        print("env after", os.environ.get("GLOG_minloglevel"), file=sys.stderr)
        os.write(2, b"after\\n")
    """
    quiet = _child(code.format(enabled=True))
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr.splitlines() == ["python message", "env 2", "env after None", "after"]
    loud = _child(code.format(enabled=False))
    assert loud.stderr.splitlines() == ["native log line", "python message", "env None", "env after None", "after"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_only_on_a_terminal():
    for stream, shown in ((_Terminal(), True), (io.StringIO(), False)):
        with progress_bar(3, "dataset", "item", stream=stream, delay=0) as bar:
            bar.update(3)
        assert ("dataset" in stream.getvalue()) is shown
    quiet = _Terminal()
    with progress_bar(3, "dataset", "item", stream=quiet, enabled=False, delay=0) as bar:
        bar.update(3)
    assert quiet.getvalue() == ""


def _take(fixture_file) -> Path:
    return fixture_file("livelink_csv", "rom_take_a.csv")


def _manifest(tmp_path: Path, take: Path) -> Path:
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(json.dumps({"id": "rom", "take": str(take), "background": "A range-of-motion session.",
                                    "emotion": "Neutral focus.", "end": 20}) + "\n")
    return manifest


@pytest.mark.slow  # a dataset build on a pseudo-terminal: 3 s
def test_dataset_build_shows_progress_on_a_terminal_and_none_in_a_pipe(fixture_file, tmp_path):
    manifest = _manifest(tmp_path, _take(fixture_file))
    piped = _run("dataset", "build", str(manifest), "-o", str(tmp_path / "a"), "--workers", "1")
    assert piped.returncode == 0, piped.stderr
    assert "\r" not in piped.stderr and "dataset:" not in piped.stderr  # a log gets no bar ...
    assert "done: rom" in piped.stderr.splitlines()  # ... but one line per item
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # a 0-column pty draws no bar
    try:
        shown = _run("dataset", "build", str(manifest), "-o", str(tmp_path / "b"), "--workers", "1", stderr=slave)
        os.close(slave)
        seen = b""
        while select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert shown.returncode == 0
    assert b"dataset:" in seen and b"item" in seen and b"done: " not in seen, seen  # the bar, not item lines
    quiet = _run("dataset", "build", str(manifest), "-o", str(tmp_path / "c"), "--workers", "1", "--quiet")
    assert quiet.returncode == 0 and "dataset:" not in quiet.stderr and "done:" not in quiet.stderr


@pytest.mark.tracker
@pytest.mark.slow  # two captures: 2 s
def test_capture_is_silent_on_stderr_unless_verbose(fixture_file, tmp_path):
    pytest.importorskip("mediapipe", reason="mediapipe is not installed (pip install 'keyframeface[track]')")
    from keyframeface.errors import MissingExtra
    from keyframeface.render.tracker import model_path

    try:
        model_path()
    except MissingExtra as exc:
        pytest.skip(str(exc))
    video = str(fixture_file("video", "carphone.mp4"))
    quiet = _run("capture", video, "-o", str(tmp_path / "a.csv"), "--end", "0.3")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == "" and quiet.stdout.startswith("wrote ")
    loud = _run("capture", video, "-o", str(tmp_path / "b.csv"), "--end", "0.3", "--verbose")
    assert loud.returncode == 0
    assert "TensorFlow Lite" in loud.stderr or "W0000" in loud.stderr  # what the default run silenced
    bad = _run("capture", str(tmp_path / "missing.mp4"), "-o", str(tmp_path / "c.csv"))
    assert bad.returncode == 2 and "missing.mp4" in bad.stderr  # errors still reach stderr


def _imports() -> dict[str, set[str]]:
    """Every module of the package -> the package modules it imports, at the top or inside functions."""
    files = {}
    for path in (SRC / "keyframeface").rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in files else target)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[module] = {m for m in found if m in files and m != module}
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module == goal:
            return True
        if module not in seen:
            seen.add(module)
            todo.extend(graph[module])
    return False


# Import circles that remain, each owned by another piece of work; a new one fails this test.
KNOWN_CIRCLES = {frozenset({"keyframeface.backends.engine.compose", "keyframeface.backends.engine.parse"})}


def test_no_import_circles():
    graph = _imports()
    assert "keyframeface.cli" not in graph["keyframeface.cli_data"]
    assert "keyframeface.pipeline" not in graph["keyframeface.backends.choose"]
    circles = {frozenset({a, b}) for a in graph for b in graph[a] if _reaches(graph, b, a)}
    assert circles <= KNOWN_CIRCLES, sorted(map(sorted, circles - KNOWN_CIRCLES))


def _parsers(parser):
    yield parser
    for action in parser._actions:
        if action.choices and isinstance(action.choices, dict):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_every_help_page_fits_the_terminal(monkeypatch):
    from keyframeface.cli import _build_parser

    monkeypatch.setenv("COLUMNS", "80")
    pages = list(_parsers(_build_parser()))
    assert len(pages) >= 20
    for parser in pages:
        too_long = [line for line in parser.format_help().splitlines() if len(line) > 80]
        assert not too_long, (parser.prog, too_long)


def test_a_pipeline_is_built_from_a_backend_choice():
    from keyframeface.backends.choose import BackendChoice
    from keyframeface.pipeline import Pipeline

    pipeline = Pipeline.from_choice(BackendChoice(planner="llm", llm={"url": "http://127.0.0.1:9/v1", "model": "m"}),
                                    life=False, keyframes=3)
    assert pipeline.backend.name == "engine" and pipeline.planner.name.startswith("llm")
    assert (pipeline.life, pipeline.keyframe_count) == (False, 3)
