"""Wall time of `keyframeface animate` on a 4-keyframe script in a fresh process (goal <= 1.5 s without
previews; <= 6 s with previews on a 10 s script). Prints median of N runs."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "src" / "keyframeface" / "examples" / "interview.yaml"
TEN_SECONDS = """\
background: A student waits outside an interview room and tries to hide their anxiety.
emotion: Anxiety concealed by a restrained smile.
keyframes:
  - {description: The gaze is lowered and the inner brows lift slightly., hold: 1.0, duration: 1.5}
  - {description: The lips press together with visible tension., hold: 1.0, duration: 1.5}
  - {description: Both mouth corners form a small restrained smile., hold: 1.0, duration: 1.5}
  - {description: The brows relax and a polite smile settles on the face., hold: 2.5}
"""


def timed(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "keyframeface", *args, "-o", out], check=True,
                           capture_output=True)
            times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    t = timed(["animate", str(SCRIPT), "--no-preview"], 5)
    print(f"animate 4-keyframe script, fresh process, no previews: median {statistics.median(t):.3f} s "
          f"(min {min(t):.3f}, max {max(t):.3f})  goal <= 1.5 s")
    with tempfile.TemporaryDirectory() as d:
        script = Path(d) / "ten.yaml"
        script.write_text(TEN_SECONDS)
        t = timed(["animate", str(script)], 3)
    print(f"animate ~10 s script with previews (mp4, sheet, curves): median {statistics.median(t):.3f} s  "
          f"goal <= 6 s")


if __name__ == "__main__":
    main()
