"""ReDoS guard: the engine's text reading grows linearly on long runs of each character class.

A pattern that backtracks (the old degree-word regex on a run of digits, the typo search on
one endless word) turns 4x the text into 16x the time. We compare the time at n and 4n
characters (best of three, interleaved, so a loaded machine slows both alike) and require the
ratio to stay well under quadratic; never an absolute time.
"""

from __future__ import annotations

import time

import pytest

from keyframeface.backends.engine.pose import pose_text

RUNS = ["1", "a", "\u00e9", " ", ".", "-", "%", "\u00b0", "+", "(", "'", ",", "a ", "1 ", "1.", "a1", "1+", "au",
        "l ", "aa.", "10 degrees ", "smile "]
N = 2_500  # and 4N = 10,000, the documented text limit


def _best(text: str, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        pose_text(text)
        best = min(best, time.perf_counter() - t)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("unit", RUNS, ids=[repr(u) for u in RUNS])
def test_pose_text_is_linear_on_long_runs(unit):
    pose_text("warm up: a smile")
    short = (unit * (N // len(unit) + 1))[:N]
    long = (unit * (4 * N // len(unit) + 1))[: 4 * N]
    t1 = t4 = float("inf")
    for _ in range(3):  # interleaved: a burst of load hits both sizes
        t1 = min(t1, _best(short, 1))
        t4 = min(t4, _best(long, 1))
    ratio = t4 / max(t1, 0.01)  # below ~10 ms fixed costs and a loaded machine's noise are the signal
    assert ratio < 9, f"{unit!r}: {N} chars {t1 * 1000:.1f} ms, {4 * N} chars {t4 * 1000:.1f} ms (x{ratio:.1f}; " \
                      "linear is x4, quadratic x16)"
