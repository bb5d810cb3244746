"""The life layer: human blink statistics, blink suppression, gaze/pose consistency, seeding, ranges."""

from __future__ import annotations

import numpy as np
import pytest

from keyframeface.channels import CHANNEL_INDEX, HIGH, LOW, N_CHANNELS
from keyframeface.life import add_life

I = CHANNEL_INDEX
FPS = 120.0  # fine time resolution for measuring blink lengths


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) of each run of True."""
    edges = np.diff(np.concatenate([[0], mask.astype(int), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)))


@pytest.fixture(scope="module")
def neutral_ten_minutes() -> np.ndarray:
    return add_life(np.zeros((int(600 * FPS), N_CHANNELS)), FPS, seed=11)


def test_blink_rate_is_human(neutral_ten_minutes):
    lid = neutral_ten_minutes[:, I["EyeBlinkLeft"]]
    blinks = runs(lid > 0.5)
    per_minute = len(blinks) / 10
    assert 10 <= per_minute <= 25
    gaps = np.diff([a for a, _ in blinks]) / FPS
    assert gaps.min() > 0.4  # never a double flutter
    assert 2.4 <= gaps.mean() <= 6.0


def test_blink_shape_durations_peak_and_asymmetry(neutral_ten_minutes):
    lid = neutral_ten_minutes[:, I["EyeBlinkLeft"]]
    close, open_ = [], []
    for a, b in runs(lid > 0):
        assert 0.1 <= (b - a) / FPS <= 0.4
        assert lid[a:b].max() >= 0.9  # the lid (nearly) shuts
        peak = a + int(np.argmax(lid[a:b]))
        close.append(peak - a)
        open_.append(b - peak)
    assert np.mean(close) < 0.7 * np.mean(open_)  # fast close, slower open


def test_both_eyes_blink_together(neutral_ten_minutes):
    v = neutral_ten_minutes
    assert np.array_equal(v[:, I["EyeBlinkLeft"]], v[:, I["EyeBlinkRight"]])


@pytest.mark.parametrize("channel,level", [("EyeBlinkLeft", 0.8), ("EyeSquintRight", 0.7)])
def test_no_blinks_while_eyes_shut_or_squinting(channel, level):
    base = np.zeros((int(120 * FPS), N_CHANNELS))
    base[:, I[channel]] = level
    out = add_life(base, FPS, seed=2)
    for lid in ("EyeBlinkLeft", "EyeBlinkRight"):
        assert np.array_equal(out[:, I[lid]], base[:, I[lid]])


def test_no_blinks_during_fast_transitions_or_on_key_frames():
    fps = 30.0
    n = int(300 * fps)
    base = np.zeros((n, N_CHANNELS))
    t = np.arange(n) / fps
    fast = (t % 4.0) < 2.0  # every 4 s: 2 s of fast jaw motion, 2 s still
    base[:, I["JawOpen"]] = np.where(fast, 0.5 + 0.5 * np.sin(2 * np.pi * 2.0 * t), 0.5)  # ~6 units/s peak
    keys = np.arange(1.0, 300.0, 0.5)
    out = add_life(base, fps, seed=5, key_times=keys)
    lid = out[:, I["EyeBlinkLeft"]]
    blinking = lid > 0
    moving = np.abs(np.gradient(base[:, I["JawOpen"]])) * fps > 2.5
    assert not (blinking & moving).any()
    assert (lid[np.round(keys * fps).astype(int)] == 0).all()
    assert blinking[~fast].any()  # but it does blink in the still parts


def test_same_seed_same_output_other_seed_differs():
    base = np.random.default_rng(0).uniform(0, 0.3, (3000, N_CHANNELS))
    a = add_life(base, 30.0, seed=1)
    assert np.array_equal(a, add_life(base, 30.0, seed=1))
    assert not np.array_equal(a, add_life(base, 30.0, seed=2))
    assert np.array_equal(base, np.random.default_rng(0).uniform(0, 0.3, (3000, N_CHANNELS)))  # input untouched


def test_never_out_of_range_even_at_extremes():
    rng = np.random.default_rng(3)
    base = np.where(rng.random((6000, N_CHANNELS)) < 0.5, LOW, HIGH)
    base[::7] = 0.0
    for seed in range(5):
        out = add_life(base, 30.0, seed=seed)
        assert (out >= LOW).all() and (out <= HIGH).all()


def test_gaze_shifts_are_small_and_consistent_between_eyes_and_channels(neutral_ten_minutes):
    v = neutral_ten_minutes
    ly, ry = v[:, I["LeftEyeYaw"]], v[:, I["RightEyeYaw"]]
    lp, rp = v[:, I["LeftEyePitch"]], v[:, I["RightEyePitch"]]
    assert np.array_equal(ly, ry) and np.array_equal(lp, rp)  # both eyes together
    assert 0.005 < np.std(ly) < 0.08 and np.abs(ly).max() <= 0.1
    # Yaw toward the subject's right = left eye looks in, right eye looks out (channels.py convention).
    net_left = v[:, I["EyeLookInLeft"]] - v[:, I["EyeLookOutLeft"]]
    net_right = v[:, I["EyeLookOutRight"]] - v[:, I["EyeLookInRight"]]
    assert np.corrcoef(ly, net_left)[0, 1] > 0.99 and np.corrcoef(ly, net_right)[0, 1] > 0.99
    up = v[:, I["EyeLookUpLeft"]] - v[:, I["EyeLookDownLeft"]]
    assert np.corrcoef(lp, up)[0, 1] > 0.99  # pitch positive = up
    # Saccades then fixations: most frames the gaze is still.
    still = np.abs(np.diff(ly)) < 1e-9
    assert still.mean() > 0.9


def test_head_sway_is_slow_and_small(neutral_ten_minutes):
    head = neutral_ten_minutes[:, [I["HeadYaw"], I["HeadPitch"], I["HeadRoll"]]]
    assert (np.abs(head).max(axis=0) < 0.1).all() and (head.std(axis=0) > 0.003).all()
    assert np.abs(np.diff(head, axis=0)).max() * FPS < 0.2  # radians per second: a drift, not a jerk
    assert (head[0] == 0).all()  # starts from the posed head


def test_life_keeps_posed_values_where_it_does_not_act():
    base = np.random.default_rng(4).uniform(0, 1, (900, N_CHANNELS)) * 0.3
    out = add_life(base, 30.0, seed=0)
    untouched = [c for c in range(N_CHANNELS) if not any(
        s in name for s in ("EyeBlink", "EyeLook", "EyeYaw", "EyePitch", "Head")
        for name in [list(CHANNEL_INDEX)[c]])]
    assert np.array_equal(out[:, untouched], base[:, untouched])
