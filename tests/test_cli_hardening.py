"""The command line under hostile options and outputs: exit 2 with a message naming what is wrong,
never a traceback, nothing written; exit 3 naming the extra when an optional package is missing."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

from keyframeface import cli
from keyframeface.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "background: A quiet office.\nemotion: Relief.\nkeyframes:\n  - The brows lift.\n"


@pytest.fixture
def script(tmp_path) -> Path:
    path = tmp_path / "script.yaml"
    path.write_text(SCRIPT)
    return path


def _run(args: list[str], capsys) -> tuple[int, str]:
    try:
        code = main(args)
    except SystemExit as exc:  # argparse rejects an option with exit 2
        code = exc.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


@pytest.mark.parametrize("output, says", [("", "empty"), ("FILE", "not a folder"), ("FILE/out", "out")])
def test_bad_output_folders_exit_2_and_write_nothing(tmp_path, script, capsys, output, says):
    (tmp_path / "FILE").write_text("mine")
    out = output.replace("FILE", str(tmp_path / "FILE"))
    before = sorted(p.name for p in tmp_path.iterdir())
    code, err = _run(["animate", str(script), "-o", out, "--no-preview"], capsys)
    assert code == 2 and says in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before and (tmp_path / "FILE").read_text() == "mine"


def test_a_too_long_output_name_exits_2(tmp_path, script, capsys):
    code, err = _run(["animate", str(script), "-o", str(tmp_path / ("x" * 300)), "--no-preview"], capsys)
    assert code == 2 and "at most 200" in err


@pytest.mark.parametrize("option, value", [("--fps", "nan"), ("--fps", "inf"), ("--fps", "1e-300"),
                                           ("--seed", "9" * 5000), ("--seed", "-5"), ("--keyframes", "1000"),
                                           ("--fps", "1" + "0" * 400), ("--seed", "1" + "0" * 400)])
def test_bad_numbers_in_options_exit_2(script, tmp_path, capsys, option, value):
    code, err = _run(["animate", str(script), "-o", str(tmp_path / "out"), option, value], capsys)
    assert code == 2 and option in err and not (tmp_path / "out").exists()
    assert "9" * 100 not in err and "0" * 100 not in err  # thousands of digits are not echoed back


def test_render_size_is_capped_before_any_work(tmp_path, capsys):
    code, err = _run(["render", str(tmp_path), "-o", str(tmp_path / "x.png"), "--size", "20000"], capsys)
    assert code == 2 and "--size" in err and "4096" in err


def test_render_to_a_folder_exits_2(tmp_path, script, capsys):
    assert _run(["animate", str(script), "-o", str(tmp_path / "out"), "--no-preview"], capsys)[0] == 0
    (tmp_path / "dir.csv").mkdir()
    code, err = _run(["convert", str(tmp_path / "out"), "-o", str(tmp_path / "dir.csv")], capsys)
    assert code == 2 and "is a folder" in err


def test_a_script_with_written_keyframes_is_not_called_planned(tmp_path, script, capsys):
    assert main(["animate", str(script), "-o", str(tmp_path / "out"), "--no-preview"]) == 0
    out = capsys.readouterr().out
    assert "written in the script" in out and "script planned" not in out


def test_the_readme_error_example_is_the_real_message(tmp_path, capsys):
    example = re.search(r"e\.g\. `(script\.yaml:(\d+): field '(\w+)': ([^`]+))`", (ROOT / "README.md").read_text())
    assert example, "README lost its error example"
    message, line, field, value = example.group(1), int(example.group(2)), example.group(3), example.group(4)
    lines = ["background: A student waits.", "emotion: Anxiety."]
    lines.insert(line - 1, f"{field}: {value.split(' ')[0]}")
    (tmp_path / "script.yaml").write_text("\n".join(lines) + "\n")
    code, err = _run(["animate", str(tmp_path / "script.yaml"), "-o", str(tmp_path / "out")], capsys)
    assert code == 2 and err.strip() == f"InputError: {tmp_path / 'script.yaml'}:{message.split(':', 1)[1]}"


def test_a_missing_optional_package_exits_3_naming_the_extra(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "mediapipe", None)  # import mediapipe -> ModuleNotFoundError
    monkeypatch.setattr(cli, "_cmd_channels", lambda args: importlib.import_module("mediapipe"))
    code, err = _run(["channels"], capsys)
    assert code == 3 and " -m pip install " in err and "[track]'" in err and "keyframeface channels" in err


@pytest.mark.parametrize("args", [["pose", "a smile \udcff"], ["plan", "--background", "\udcffx", "--emotion", "joy"]])
def test_text_options_that_are_not_utf8_exit_2(capsys, args):
    code, err = _run(args, capsys)  # argv bytes that are not UTF-8 arrive as lone surrogates
    assert code == 2 and "not UTF-8" in err


def test_llm_answers_with_surrogate_escapes_give_writable_text():
    from keyframeface.backends.llm.parse import parse_plan

    plan = parse_plan('["the brows \\ud800 lift", "a smile"]')
    assert all(d.encode("utf-8") for d in plan)
