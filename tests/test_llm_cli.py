"""The CLI's LLM route end to end: a real `keyframeface` process against a loopback replay server."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml
from replay_server import Reply, ReplayServer
from test_reference_format import EXAMPLE

KEY = "sk-cli-secret-7d2e"


@pytest.fixture
def example_script(tmp_path):
    path = tmp_path / "interview.yaml"
    path.write_text(yaml.safe_dump({"background": EXAMPLE.background, "emotion": EXAMPLE.emotion,
                                    "keyframes": [k.description for k in EXAMPLE.keyframes]}))
    return path


def cli(*args: str, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEYFRAMEFACE_", "OPENAI_"))}
    env.update(KEYFRAMEFACE_LLM_API_KEY=KEY, XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    return subprocess.run([sys.executable, "-m", "keyframeface", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=120)


def replay_release(server: ReplayServer, fixture_file) -> None:
    requests = [json.loads(x) for x in fixture_file("reference", "example.jsonl").read_text().splitlines() if x]
    answers = [json.loads(x)["response"] for x in fixture_file("reference", "example_result.jsonl").open()]
    for request, answer in zip(requests, answers):
        server.answers[request["messages"][1]["content"]] = answer


@pytest.mark.slow
def test_animate_with_the_released_model_reproduces_its_results(server, fixture_file, example_script,
                                                                  tmp_path):
    replay_release(server, fixture_file)
    out = tmp_path / "out"
    run = cli("animate", example_script, "-o", out, "--no-preview", "--backend", "llm", "--llm-url", server.url,
              "--llm-model", "keyframeface", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    release = fixture_file("reference", "example_result.jsonl").read_bytes()
    assert (out / "keyframes.jsonl").read_bytes() == release
    assert (out / "animation.csv").is_file() and (out / "keyframes.json").is_file()
    assert all(r.headers["Authorization"] == f"Bearer {KEY}" for r in server.chat_requests())
    everything = run.stdout + run.stderr + "".join(p.read_text() for p in out.iterdir() if p.is_file())
    assert KEY not in everything


@pytest.mark.slow
def test_export_requests_and_import_results_match_the_release(fixture_file, example_script, tmp_path):
    run = cli("export-requests", example_script, "-o", tmp_path / "requests.jsonl", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "requests.jsonl").read_bytes() == fixture_file("reference", "example.jsonl").read_bytes()
    results = fixture_file("reference", "example_result.jsonl")
    run = cli("import-results", example_script, results, "-o", tmp_path / "out", "--no-preview", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "keyframes.jsonl").read_bytes() == results.read_bytes()
    assert (tmp_path / "out" / "animation.csv").is_file()


@pytest.mark.slow
def test_batch_command(server, tmp_path):
    scripts = tmp_path / "scripts.jsonl"
    scripts.write_text(json.dumps({"id": "a", "background": "b", "emotion": "e", "keyframes": ["x y", "z w"]})
                       + "\n{oops\n")
    run = cli("batch", scripts, "-o", tmp_path / "out", "--backend", "llm", "--llm-url", server.url,
              "--llm-model", "m", "--quiet", tmp_path=tmp_path)
    assert run.returncode == 1  # one bad line
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["done"] == 1 and report["failures"][0]["line"] == 2
    assert (tmp_path / "out" / "a" / "animation.csv").is_file()


@pytest.mark.slow
def test_missing_url_is_a_usage_error(example_script, tmp_path):
    run = cli("animate", example_script, "-o", tmp_path / "out", "--backend", "llm", "--llm-model", "m",
              tmp_path=tmp_path)
    assert run.returncode == 2
    assert "--llm-url" in run.stderr and "KEYFRAMEFACE_LLM_URL" in run.stderr


@pytest.mark.slow
def test_junk_answers_exit_1_without_traceback_or_key(server, example_script, tmp_path):
    server.when(lambda body: True, Reply(content="no JSON today"))
    run = cli("animate", example_script, "-o", tmp_path / "out", "--no-preview", "--backend", "llm",
              "--llm-url", server.url, "--llm-model", "m", tmp_path=tmp_path)
    assert run.returncode == 1
    assert "no usable answer" in run.stderr and "Traceback" not in run.stderr and KEY not in run.stderr
    assert not (tmp_path / "out" / "animation.csv").exists()
