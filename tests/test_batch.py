"""Batch runs against a loopback replay server: bad lines, junk answers, resume, cache, concurrency."""

from __future__ import annotations

import io
import json
import sys

from replay_server import Reply, ReplayServer, user_text

from keyframeface.batch import run_batch
from keyframeface.channels import CHANNELS


def script(i: int, **extra) -> dict:
    return {"background": f"Scene {i}: a letter arrives.", "emotion": "Hope then worry",
            "keyframes": [f"The brows lift, take {i}.", f"The lips press together, take {i}."], **extra}


def write_lines(path, lines) -> None:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))


def options(server: ReplayServer, **extra) -> dict:
    return {"backend": "llm", "url": server.url, "model": "keyframeface", "api_key": "sk-batch-secret",
            "retries": 1, "backoff": 0.01, **extra}


def test_bad_lines_and_a_junk_item_never_stop_the_rest(server, tmp_path):
    scripts = tmp_path / "scripts.jsonl"
    write_lines(scripts, [
        script(1, id="calm"),
        "",
        "{not json",
        script(4),
        {"background": "no emotion here"},
        script(6, id="junk", keyframes=["JUNK face"]),
        {"background": "A quiz show.", "emotion": "Triumph", "id": "planned"},
        script(8, id="calm"),
    ])
    server.when(lambda body: "JUNK" in user_text(body), Reply(content="I refuse to answer in JSON."))
    out = tmp_path / "out"
    report = run_batch(scripts, out, backend_options=options(server), concurrency=3, progress=False)
    assert (report.done, report.skipped) == (3, 0)
    assert [(f.id, f.line) for f in report.failures] == [(None, 3), (None, 5), ("junk", 6), (None, 8)]
    errors = {f.line: f.error for f in report.failures}
    assert f"{scripts}:3:" in errors[3] and "not JSON" in errors[3]
    assert f"{scripts}:5:" in errors[5] and "emotion" in errors[5]
    assert "keyframe 1" in errors[6] and "no usable answer" in errors[6]
    assert "already used on line 1" in errors[8]
    assert not report.ok and "failed" in report.summary()
    saved = json.loads((out / "report.json").read_text())
    assert saved["done"] == 3 and [f["line"] for f in saved["failures"]] == [3, 5, 6, 8]
    for item in ("calm", "line-00004", "planned"):
        lines = (out / item / "keyframes.jsonl").read_text().splitlines()
        assert all(len(json.loads(json.loads(x)["response"]).popitem()[1]) == 61 for x in lines)
        assert (out / item / "animation.csv").read_text().splitlines()[0].endswith(",".join(CHANNELS[-3:]))
    assert len((out / "planned" / "keyframes.jsonl").read_text().splitlines()) == 3  # planned by the LLM
    assert not (out / "junk" / "animation.csv").exists()
    for path in out.rglob("*"):
        assert path.is_dir() or "sk-batch-secret" not in path.read_text(errors="replace")


def test_rerun_is_free_and_resume_redoes_only_what_is_missing(server, tmp_path):
    scripts = tmp_path / "scripts.jsonl"
    write_lines(scripts, [script(i, id=f"s{i}") for i in range(3)])
    out = tmp_path / "out"
    first = run_batch(scripts, out, backend_options=options(server), progress=False)
    sent = len(server.chat_requests())
    assert first.done == 3 and first.ok and sent == 6
    csv_before = (out / "s1" / "animation.csv").read_bytes()

    again = run_batch(scripts, out, backend_options=options(server), progress=False)
    assert (again.done, again.skipped) == (0, 3) and len(server.chat_requests()) == sent

    (out / "s1" / "animation.csv").unlink()
    resumed = run_batch(scripts, out, backend_options=options(server), progress=False)
    assert (resumed.done, resumed.skipped) == (1, 2)
    assert (out / "s1" / "animation.csv").read_bytes() == csv_before
    assert len(server.chat_requests()) == sent  # answered from OUTDIR/.cache

    redo = run_batch(scripts, out, backend_options=options(server), progress=False, resume=False)
    assert redo.done == 3 and len(server.chat_requests()) == sent

    write_lines(scripts, [script(0, id="s0"), script(1, id="s1", seed=7), script(2, id="s2")])
    changed = run_batch(scripts, out, backend_options=options(server), progress=False)
    assert (changed.done, changed.skipped) == (1, 2)  # same id, different script: redone


def test_concurrency_is_bounded_and_used(server, tmp_path):
    server.latency = 0.05
    scripts = tmp_path / "scripts.jsonl"
    write_lines(scripts, [script(i) for i in range(8)])
    report = run_batch(scripts, tmp_path / "out", backend_options=options(server), concurrency=4, progress=False)
    assert report.done == 8
    assert 2 <= server.max_in_flight <= 4


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_goes_to_stderr_on_a_terminal_only(server, tmp_path, capsys, monkeypatch):
    scripts = tmp_path / "scripts.jsonl"
    write_lines(scripts, [script(1)])
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    run_batch(scripts, tmp_path / "out", backend_options=options(server), progress=True)
    assert "batch" in terminal.getvalue() and "1/1" in terminal.getvalue() and capsys.readouterr().out == ""
    monkeypatch.undo()
    run_batch(scripts, tmp_path / "out2", backend_options=options(server), progress=True)
    assert "batch" not in capsys.readouterr().err  # a pipe or a log file gets no bar
