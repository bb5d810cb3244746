"""Score an engine against the KeyframeFace release's real answers (tests/fixtures/reference, docs/formats.md §4).

    python bench/outside/score_reference.py [--reference DIR] [--json]

Each request line of example.jsonl carries the whole keyframe sequence, the background and the emotion, and asks for
one keyframe; example_result.jsonl holds the released model's answers, in the same order. The sequence is posed once
through the public API (keyframeface.animate(background, emotion, keyframes=[...], life=False)) and each requested
keyframe is compared with the release's answer: MAE over all 61 channels, and MAE over the channels active
(|value| > 0.05) in either. The all-zero face's numbers are printed alongside for scale.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
ACTIVE = 0.05


def default_reference() -> Path:
    """The release's files in the repository's tests/fixtures/reference."""
    return Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "reference"


def parse_request(line: str):
    msg = json.loads(line)["messages"][-1]["content"]
    descs = re.findall(r"^- Keyframe \w+: (.*)$", msg, flags=re.M)
    background = re.search(r"^Background: (.*)$", msg, flags=re.M).group(1)
    emotion = re.search(r"^Emotion: (.*)$", msg, flags=re.M).group(1)
    which = re.search(r"parameters for Keyframe (\w+)\.", msg).group(1).lower()
    return descs, background, emotion, NUMBERS.index(which)


def mae(a, b, idx):
    return sum(abs(a[i] - b[i]) for i in idx) / len(idx) if idx else 0.0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference", type=Path, default=None)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    ref = a.reference or default_reference()
    import keyframeface

    chans = list(keyframeface.CHANNELS)
    reqs = [l for l in (ref / "example.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    answers = [l for l in (ref / "example_result.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    if len(reqs) != len(answers):
        raise SystemExit(f"{len(reqs)} requests but {len(answers)} answers")
    rows, cache = [], {}
    for req, ans in zip(reqs, answers):
        descs, bg, em, k = parse_request(req)
        key = (bg, em, tuple(descs))
        if key not in cache:
            anim = keyframeface.animate(bg, em, keyframes=descs, life=False)
            cache[key] = [list(map(float, kf.values)) for kf in anim.keyframes]
        got = cache[key][k]
        resp = json.loads(json.loads(ans)["response"])
        (name, vals), = resp.items()
        want = [float(vals[c]) for c in chans]
        active = [i for i in range(len(chans)) if abs(want[i]) > ACTIVE or abs(got[i]) > ACTIVE]
        active_zero = [i for i in range(len(chans)) if abs(want[i]) > ACTIVE]
        zero = [0.0] * len(chans)
        rows.append({
            "keyframe": name, "description": descs[k],
            "mae_all": mae(got, want, range(len(chans))), "mae_active": mae(got, want, active),
            "n_active": len(active),
            "zero_mae_all": mae(zero, want, range(len(chans))), "zero_mae_active": mae(zero, want, active_zero),
            "worst": sorted(((chans[i], round(got[i], 3), want[i]) for i in active),
                            key=lambda t: -abs(t[1] - t[2]))[:5]})
    n = len(rows)
    summary = {k: sum(r[k] for r in rows) / n for k in ("mae_all", "mae_active", "zero_mae_all", "zero_mae_active")}
    out = {"engine": str(Path(keyframeface.__file__).resolve().parent), "reference": str(ref),
           "keyframes": n, **{k: round(v, 4) for k, v in summary.items()}, "rows": rows}
    if a.json:
        print(json.dumps(out, indent=1))
        return 0
    print(f"engine: {out['engine']}\nreference: {ref} ({n} keyframes)")
    for r in rows:
        print(f"  {r['keyframe']}: MAE all {r['mae_all']:.4f}  active ({r['n_active']} ch) {r['mae_active']:.4f}   "
              f"worst {r['worst']}")
    print(f"mean: MAE all {summary['mae_all']:.4f}  MAE active {summary['mae_active']:.4f}   "
          f"(all-zero face: {summary['zero_mae_all']:.4f} / {summary['zero_mae_active']:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
