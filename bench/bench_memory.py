"""Peak memory and time of one long animation against its length (1 min, 10 min, 1 h at 60 fps).

Each length runs in a fresh process: script -> pipeline (embedded engine, life layer on) ->
output folder without previews (animation.csv, keyframes.json, keyframes.jsonl). Prints the
child's peak resident memory (ru_maxrss), its baseline after imports, and seconds per stage.
Goal: <= 150 MB peak for 1 h at 60 fps, time linear in frames.

    .venv/bin/python bench/bench_memory.py [--fps 60] [--minutes 1 10 60]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, resource, sys, tempfile, time
import numpy as np
import keyframeface
from keyframeface.outputs import write_outputs
from keyframeface.pipeline import Pipeline
from keyframeface.script import script_from_dict

seconds, fps = float(sys.argv[1]), float(sys.argv[2])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
keys, left = [], seconds
words = ["The brows lift slightly.", "A small smile spreads.", "The jaw drops open.", "The eyes narrow."]
while left > 1:  # 5 min hold + 5 min transition per keyframe (each at most 600 s: the script limits)
    hold = min(300.0, left / 2)
    keys.append({"description": words[len(keys) % 4], "hold": hold, "duration": hold})
    left -= 2 * hold
keys.append({"description": words[len(keys) % 4], "hold": 0.0})
script = script_from_dict({"background": "A long take.", "emotion": "calm", "fps": fps, "keyframes": keys})
t0 = time.perf_counter()
anim = Pipeline().run(script)
t1 = time.perf_counter()
tmp = tempfile.mkdtemp()
write_outputs(anim, tmp + "/out", preview=False)
t2 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"frames": anim.timeline.frames, "baseline_mb": base, "peak_mb": peak,
                  "pipeline_s": t1 - t0, "write_s": t2 - t1, "csv": tmp + "/out/animation.csv"}))
"""

READ_CHILD = r"""
import json, resource, sys, time
from keyframeface.formats.animation_file import load_animation

base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
take = load_animation(sys.argv[1])  # what render / convert / stream do with the CSV
print(json.dumps({"frames": len(take.values), "baseline_mb": base, "seconds": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fps", type=float, default=60.0)
    parser.add_argument("--minutes", type=float, nargs="+", default=[1, 10, 60])
    args = parser.parse_args()
    print(f"{'length':>8} {'frames':>9} {'peak MB':>8} {'after imports MB':>17} {'pipeline s':>11} {'write s':>8} "
          f"{'us/frame':>9}")
    csvs = []
    for minutes in args.minutes:
        done = subprocess.run([sys.executable, "-c", CHILD, str(minutes * 60), str(args.fps)],
                              capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"{minutes:>6g} m  failed: {done.stderr.strip().splitlines()[-1]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        per = (r["pipeline_s"] + r["write_s"]) / r["frames"] * 1e6
        print(f"{minutes:>6g} m {r['frames']:>9,} {r['peak_mb']:>8.0f} {r['baseline_mb']:>17.0f} "
              f"{r['pipeline_s']:>11.2f} {r['write_s']:>8.2f} {per:>9.2f}")
        csvs.append((minutes, r["csv"]))
    print("reading animation.csv back (render / convert / stream input):")
    print(f"{'length':>8} {'frames':>9} {'peak MB':>8} {'after imports MB':>17} {'read s':>11}")
    for minutes, csv in csvs:
        done = subprocess.run([sys.executable, "-c", READ_CHILD, csv], capture_output=True, text=True, check=False)
        shutil.rmtree(Path(csv).parents[1], ignore_errors=True)
        if done.returncode:
            print(f"{minutes:>6g} m  failed: {done.stderr.strip().splitlines()[-1]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{minutes:>6g} m {r['frames']:>9,} {r['peak_mb']:>8.0f} {r['baseline_mb']:>17.0f} {r['seconds']:>11.2f}")


if __name__ == "__main__":
    main()
