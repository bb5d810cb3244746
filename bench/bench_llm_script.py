"""One request per script vs one request per keyframe, on the loopback replay server (own process). Prints numbers.

    .venv/bin/python bench/bench_llm_script.py [--scripts 12] [--keyframes 4] [--latency 0.3]

Poses the same scripts through LLMBackend twice, sequentially (one script after another, as `animate` does):
prompt_style "compact" (one request per keyframe, the same sparse answers) and "script" (one structured request for
every keyframe). The server waits ``--latency`` seconds per request (a model's time to first token; real answers
also take longer to generate with more keyframes, which a replay server does not model). Reports requests and wall
time for each, and the characters sent (prompts repeat the whole sequence per keyframe).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_llm import replay_process, stats  # noqa: E402

from keyframeface.backends.llm import LLMBackend, prompts  # noqa: E402
from keyframeface.data import KeyframeSpec, Script  # noqa: E402
from keyframeface.pipeline import Pipeline  # noqa: E402

PARTS = ("the inner brows lift slightly", "the gaze drops to the floor", "a small restrained smile forms",
         "the lips press together", "the jaw drops open in surprise", "she nods twice", "the eyes narrow")


def scripts(n: int, k: int) -> list[Script]:
    """``n`` different scripts of ``k`` keyframes each."""
    return [Script(f"Scene {i}: a letter arrives.", "hope then worry",
                   tuple(KeyframeSpec(f"{PARTS[(i + j) % len(PARTS)]}, beat {j + 1}.") for j in range(k)))
            for i in range(n)]


def run(url: str, style: str, work: list[Script]) -> tuple[int, float, int]:
    """(requests, seconds, characters sent) to pose every script with ``style``."""
    stats(url, reset=True)
    before = stats(url)["requests"]
    sent = 0
    with LLMBackend(url=url, model="m", prompt_style=style, structured="json_schema") as backend:
        start = time.perf_counter()
        for script in work:
            Pipeline(backend, life=False).pose(script)
        seconds = time.perf_counter() - start
    for script in work:
        if style == "script":
            sent += sum(len(m["content"]) for m in prompts.script_messages(script))
        else:
            sent += sum(len(m["content"]) for i in range(len(script.keyframes))
                        for m in prompts.pose_messages(script, i, style))
    return stats(url)["requests"] - before, seconds, sent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scripts", type=int, default=12)
    ap.add_argument("--keyframes", type=int, default=4)
    ap.add_argument("--latency", type=float, default=0.3, help="seconds the server waits per request")
    args = ap.parse_args()
    work = scripts(args.scripts, args.keyframes)
    with replay_process(args.latency) as url:
        rows = {style: run(url, style, work) for style in ("compact", "script")}
    print(f"{args.scripts} scripts x {args.keyframes} keyframes, {args.latency:g} s server latency per request")
    for style, (requests, seconds, sent) in rows.items():
        label = "per keyframe (compact)" if style == "compact" else "per script (script)"
        print(f"  {label:<24} {requests:>4} requests  {seconds:6.2f} s wall  {sent / 1000:7.1f} k chars sent")
    (r1, s1, c1), (r2, s2, c2) = rows["compact"], rows["script"]
    print(f"  script/keyframe: {r2 / r1:.2f}x requests, {s2 / s1:.2f}x wall time, {c2 / c1:.2f}x prompt characters")


if __name__ == "__main__":
    main()
