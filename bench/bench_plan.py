"""Speed of the embedded planner: ``plan_keyframes(background, emotion)`` per call (goal <= 5 ms).

    python bench/bench_plan.py [--runs 200]

Prints the median and 95th percentile over a mix of plain, masked, suppressed and transition
emotions, and the one-off cost of importing the emotion model and planner.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = [
    ("A student waits outside an interview room and tries to hide their anxiety.",
     "Anxiety concealed by a restrained smile.", None),
    ("", "happiness", None),
    ("At a funeral.", "overwhelming grief", None),
    ("A surprise party in a dark flat.", "shock turning into relief, then joy", None),
    ("A heated meeting.", "suppressed anger", None),
    ("", "slightly annoyed", None),
    ("", "bittersweet nostalgia with a hint of a smile", 6),
    ("", "quiet grief hidden behind a polite smile", 12),
    ("She reads a letter from her late father.", "grief", None),  # scene cues (data/scenes.yaml)
    ("A loud bang goes off on her left.", "shock freezing into numbness", None),
    ("Her boss is watching her during the meeting; she bites into a lemon.", "anger", 6),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="calls per case")
    args = parser.parse_args()

    code = ("import time; t = time.perf_counter(); import keyframeface.backends.engine.plan; "
            "print(time.perf_counter() - t)")
    imports = [float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                    text=True).stdout) for _ in range(3)]
    print(f"import engine.plan (fresh process): median {statistics.median(imports) * 1000:.1f} ms")

    from keyframeface.backends.engine.plan import plan_keyframes

    times = []
    for background, emotion, count in CASES:
        plan_keyframes(background, emotion, count)  # warm
        for _ in range(args.runs):
            t0 = time.perf_counter()
            plan_keyframes(background, emotion, count)
            times.append(time.perf_counter() - t0)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"plan_keyframes over {len(CASES)} cases x {args.runs}: median {statistics.median(times) * 1000:.2f} ms, "
          f"p95 {p95 * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms  goal: median <= 5 ms")


if __name__ == "__main__":
    main()
