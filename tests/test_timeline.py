"""Dense timelines: in range, no overshoot, holds held, keys hit, per-region overlap, seeded life."""

from __future__ import annotations

import numpy as np
import pytest

from keyframeface.backends.engine.manner import read_manner
from keyframeface.channels import CHANNEL_INDEX, HIGH, LOW, N_CHANNELS
from keyframeface.data import Keyframe, KeyframeSpec
from keyframeface.errors import InputError
from keyframeface.timeline import build_timeline, pchip

RNG = np.random.default_rng(7)


def key(values, text="a face", **timing) -> Keyframe:
    """A keyframe posed from ``text``: its motion is what the engine's manner reader stores."""
    return Keyframe(KeyframeSpec(text, **timing), np.asarray(values, dtype=float), "test", motion=read_manner(text))


def random_pose(rng) -> np.ndarray:
    """Random in-range values, a third of them pinned to the range ends."""
    v = rng.uniform(LOW, HIGH)
    ends = rng.random(N_CHANNELS) < 0.33
    v[ends] = np.where(rng.random(ends.sum()) < 0.5, LOW[ends], HIGH[ends])
    return v


def random_keys(rng, n) -> list[Keyframe]:
    words = ["suddenly", "slowly", "looks", "holds"]
    return [key(random_pose(rng), rng.choice(words), hold=float(rng.choice([0.0, 0.1, 0.5])),
                duration=float(rng.choice([0.0, 0.05, 0.3, 1.5]))) for _ in range(n)]


def key_frames(tl) -> list[int]:
    return [round(t * tl.fps) for t in tl.key_times]


@pytest.mark.parametrize("fps", [24.0, 30.0, 60.0])
def test_in_range_and_no_overshoot_between_keys(fps):
    for trial in range(10):
        kfs = random_keys(RNG, 5)
        tl = build_timeline(kfs, fps, life=False)
        v = tl.values
        assert v.shape[1] == N_CHANNELS and np.isfinite(v).all()
        assert (v >= LOW).all() and (v <= HIGH).all()
        frames = [0] + key_frames(tl) + [tl.frames - 1]
        poses = [np.zeros(N_CHANNELS)] + [k.values for k in kfs] + [kfs[-1].values]
        for (f0, f1), (p0, p1) in zip(zip(frames, frames[1:]), zip(poses, poses[1:])):
            seg = v[f0:f1 + 1]
            assert (seg >= np.minimum(p0, p1) - 1e-12).all() and (seg <= np.maximum(p0, p1) + 1e-12).all()


def test_keys_hit_and_holds_held_with_life_off():
    kfs = [key(random_pose(RNG), hold=0.5), key(random_pose(RNG), hold=0.0), key(random_pose(RNG), hold=1.0)]
    tl = build_timeline(kfs, 30.0, life=False)
    for k, f in zip(kfs, key_frames(tl)):
        assert np.array_equal(tl.values[f], k.values)
    f0, f2 = key_frames(tl)[0], key_frames(tl)[2]
    assert (tl.values[f0:f0 + 16] == kfs[0].values).all()  # 0.5 s hold at 30 fps
    assert (tl.values[f2:] == kfs[2].values).all()  # last hold + tail


def test_equal_keys_give_exactly_constant_values():
    pose = random_pose(RNG)
    tl = build_timeline([key(pose), key(pose.copy()), key(pose.copy(), "slowly")], 30.0, life=False)
    first = key_frames(tl)[0]
    assert (tl.values[first:] == pose).all()


def test_starts_at_neutral_then_moves_in():
    tl = build_timeline([key(np.full(N_CHANNELS, 0.6))], 30.0, life=False)
    assert (tl.values[:12] == 0).all()  # 0.4 s lead-in
    f = key_frames(tl)[0]
    jaw = tl.values[:f + 1, CHANNEL_INDEX["JawOpen"]]
    assert (np.diff(jaw) >= 0).all()  # monotone rise, no dip
    tl2 = build_timeline([key(np.full(N_CHANNELS, 0.6))], 30.0, life=False, start_neutral=False)
    assert tl2.key_times[0] == 0 and (tl2.values[0] == 0.6).all()


def test_monotone_keys_give_monotone_curve_through_pass_through_keys():
    kfs = [key(np.full(N_CHANNELS, x), hold=0.0) for x in (0.1, 0.4, 0.45, 0.9)]
    v = build_timeline(kfs, 60.0, life=False).values
    assert (np.diff(v, axis=0) >= -1e-15).all()
    assert v.max() == 0.9


def half_time(v: np.ndarray, f0: int, f1: int, channel: str) -> float:
    """Frame (interpolated) at which ``channel`` first covers half its change from f0 to f1."""
    x = v[f0:f1 + 1, CHANNEL_INDEX[channel]]
    p = (x - x[0]) / (x[-1] - x[0])
    j = int(np.argmax(p >= 0.5))
    return f0 + j - 1 + (0.5 - p[j - 1]) / (p[j] - p[j - 1])


def rise_frames(v: np.ndarray, channel: str) -> int:
    """Frames the curve takes from 10% to 90% of its change (one monotone move)."""
    x = v[:, CHANNEL_INDEX[channel]]
    p = (x - x[0]) / (x[-1] - x[0])
    return int(np.argmax(p >= 0.9) - np.argmax(p >= 0.1))


def transition(text: str, fps: float = 60.0):
    """A neutral keyframe, then every channel to 0.8 (head 0.4) described by ``text``; life off."""
    pose = np.full(N_CHANNELS, 0.8)
    pose[CHANNEL_INDEX["HeadYaw"]] = 0.4
    tl = build_timeline([key(np.zeros(N_CHANNELS)), key(pose, text)], fps, life=False, start_neutral=False)
    f0 = round(tl.key_times[0] * fps + 0.45 * fps)  # leaves keyframe 1 after its default hold
    return tl, f0, key_frames(tl)[1]


def test_regions_lead_and_lag_eyes_and_brows_before_mouth_head_last():
    tl, f0, f1 = transition("she looks up at the door")
    ms = {n: half_time(tl.values, f0, f1, n) / 60.0 * 1000 for n in
          ("LeftEyeYaw", "EyeWideLeft", "BrowInnerUp", "JawOpen", "MouthSmileLeft", "HeadYaw")}
    assert ms["LeftEyeYaw"] <= ms["EyeWideLeft"] < ms["MouthSmileLeft"] < ms["HeadYaw"]
    assert 60 <= ms["MouthSmileLeft"] - ms["EyeWideLeft"] <= 120  # eyes lead the mouth by 60-120 ms
    assert 60 <= ms["MouthSmileLeft"] - ms["BrowInnerUp"] <= 120  # so do the brows
    assert 100 <= ms["HeadYaw"] - ms["MouthSmileLeft"] <= 200  # the head lags by 100-200 ms
    assert ms["JawOpen"] == ms["MouthSmileLeft"]
    assert np.array_equal(tl.values[f1], tl.keyframes[1].values)  # everyone arrives at the key
    assert (tl.values[:f0 + 1] == 0).all()  # and nobody leaves before the hold ends


def test_words_reorder_regions_or_move_them_together():
    def order(text):
        tl, f0, f1 = transition(text)
        return half_time(tl.values, f0, f1, "EyeWideLeft"), half_time(tl.values, f0, f1, "JawOpen")

    eyes, mouth = order("the eyes widen first, then the mouth falls open")
    assert eyes < mouth
    for text in ("the mouth falls open first, then the eyes widen", "the mouth falls open before the eyes widen",
                 "the eyes widen after the mouth falls open", "After the mouth falls open, the eyes widen"):
        eyes, mouth = order(text)
        assert mouth < eyes, text
    eyes, mouth = order("the eyes widen and the mouth falls open at the same time")
    assert eyes == mouth

    def gaze_head_ms(text):
        tl, f0, f1 = transition(text)
        return [half_time(tl.values, f0, f1, n) / 60 * 1000 for n in ("LeftEyeYaw", "HeadYaw")]

    gaze, head = gaze_head_ms("the gaze drops, then the head follows")
    assert head - gaze >= 150  # naming the usual order keeps the head's full lag
    gaze, head = gaze_head_ms("the head turns first, then the eyes follow")
    assert head < gaze


def test_fast_verbs_move_in_fewer_frames_than_slow_verbs():
    frames = {}
    for text in ("the brows snap up", "the brows shoot up", "she suddenly gasps", "she looks at the door",
                 "a smile slowly spreads", "a frown creeps over her face"):
        tl, _, _ = transition(text)
        frames[text] = rise_frames(tl.values, "MouthSmileLeft")
    snap, shoot, sudden, plain, slow, creep = frames.values()
    assert max(snap, shoot) < sudden < plain < slow < creep
    assert max(snap, shoot) <= 0.2 * 60 and 1.0 * 60 <= creep <= 2.0 * 60


def test_parts_with_their_own_pace_move_in_their_own_time():
    tl, f0, f1 = transition("her eyes snap wide while a smile slowly spreads")
    v = tl.values[f0:f1 + 1]
    eyes, smile = rise_frames(v, "EyeWideLeft"), rise_frames(v, "MouthSmileLeft")
    assert eyes <= 0.2 * 60 and smile >= 0.6 * 60 and smile > 5 * eyes  # the eyes snap, the smile takes its time
    assert (f1 - f0) / 60 >= 1.2  # the transition is as long as its slowest part
    assert np.array_equal(tl.values[f1], tl.keyframes[1].values)


def test_timing_argument_and_validation():
    kfs = [key(random_pose(RNG)), key(random_pose(RNG))]
    tl = build_timeline(kfs, 30.0, life=False, timing=[(0.0, 2.0), (0.0, 0.0)])
    assert tl.key_times[1] - tl.key_times[0] == pytest.approx(2.0)
    with pytest.raises(InputError, match="timing"):
        build_timeline(kfs, 30.0, timing=[(0.1, 0.1)])
    with pytest.raises(InputError):
        build_timeline([], 30.0)
    with pytest.raises(InputError):
        build_timeline(kfs, -1.0)
    bad = np.zeros(N_CHANNELS)
    bad[CHANNEL_INDEX["JawOpen"]] = np.nan
    with pytest.raises(InputError, match=r"keyframes\[1\]\.values\.JawOpen"):
        build_timeline([kfs[0], key(bad)], 30.0)


def test_out_of_range_keys_are_clipped():
    tl = build_timeline([key(np.full(N_CHANNELS, 3.0)), key(np.full(N_CHANNELS, -3.0))], 30.0, life=False)
    assert (tl.values >= LOW).all() and (tl.values <= HIGH).all()


def test_life_is_seeded_and_off_means_no_noise():
    kfs = [key(np.full(N_CHANNELS, 0.1), hold=3.0), key(np.full(N_CHANNELS, 0.2), hold=3.0)]
    off = build_timeline(kfs, 30.0, life=False)
    a = build_timeline(kfs, 30.0, seed=3)
    b = build_timeline(kfs, 30.0, seed=3)
    c = build_timeline(kfs, 30.0, seed=4)
    assert np.array_equal(a.values, b.values)
    assert not np.array_equal(a.values, c.values)
    assert not np.array_equal(a.values, off.values)
    assert np.array_equal(off.values, build_timeline(kfs, 30.0, life=False, seed=99).values)
    assert (a.values >= LOW).all() and (a.values <= HIGH).all()


def test_pchip_is_monotone_on_random_data():
    t = np.cumsum(RNG.uniform(0.01, 1.0, 12))
    y = RNG.uniform(-1, 1, (12, 5))
    s = np.linspace(t[0], t[-1], 2000)
    v = pchip(t, y, s)
    piece = np.clip(np.searchsorted(t, s, side="right") - 1, 0, 10)
    lo, hi = np.minimum(y[piece], y[piece + 1]), np.maximum(y[piece], y[piece + 1])
    assert (v >= lo - 1e-12).all() and (v <= hi + 1e-12).all()
    assert np.allclose(pchip(t, y, t), y, atol=1e-15)
