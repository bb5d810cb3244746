"""Cyclic motions: nods, shakes, trembles, laughter, fluttering lids read from the words (manner.py) into the
keyframe's motion, and layered on the timeline from those numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from keyframeface.channels import CHANNEL_INDEX, HIGH, LOW, N_CHANNELS
from keyframeface.data import Keyframe, KeyframeSpec
from keyframeface.backends.engine.manner import read_manner
from keyframeface.motion import tables
from keyframeface.timeline import build_timeline

I = CHANNEL_INDEX
FPS = 60.0
RNG = np.random.default_rng(3)


def key(text: str, hold: float = 3.0, duration: float = 0.6, **values: float) -> Keyframe:
    v = np.zeros(N_CHANNELS)
    for name, x in values.items():
        v[I[name]] = x
    return Keyframe(KeyframeSpec(text, hold=hold, duration=duration), v, "test", motion=read_manner(text))


def cycle_part(keyframes, fps=FPS, **kw):
    """(timeline with cycles, cycles alone = with - without), life off."""
    on = build_timeline(keyframes, fps, life=False, **kw)
    off = build_timeline(keyframes, fps, life=False, cycles=False, **kw)
    return on, on.values - off.values


def window(tl, i) -> slice:
    """Frames from keyframe i's key to the next key (or the end)."""
    f0 = round(tl.key_times[i] * tl.fps)
    f1 = round(tl.key_times[i + 1] * tl.fps) if i + 1 < len(tl.key_times) else tl.frames
    return slice(f0, f1)


def peak_hz(x: np.ndarray, fps: float) -> float:
    """Frequency of the strongest FFT bin (mean removed, zero-padded for resolution)."""
    spectrum = np.abs(np.fft.rfft(x - x.mean(), n=16 * len(x)))
    return float(np.fft.rfftfreq(16 * len(x), 1 / fps)[spectrum.argmax()])


def zero_crossing_hz(x: np.ndarray, fps: float) -> float:
    """Cycles per second from sign changes (two per cycle) of the part where |x| is visible."""
    live = np.flatnonzero(np.abs(x) > 0.05 * np.abs(x).max())
    seg = x[live[0]:live[-1] + 1]
    signs = np.sign(seg[np.abs(seg) > 1e-6])
    changes = np.count_nonzero(np.diff(signs))
    return changes / 2 / (len(seg) / fps)


def test_a_nod_oscillates_head_pitch_at_its_stated_rate_and_only_there():
    nod_hz = tables().cycles["nod"].hz
    assert 1.0 <= nod_hz <= 3.0  # human nods: one to three per second
    kfs = [key("she looks at him calmly", HeadPitch=-0.1), key("she nods", HeadPitch=-0.2),
           key("she waits", HeadPitch=-0.1)]
    tl, cyc = cycle_part(kfs)
    pitch = cyc[:, I["HeadPitch"]]
    nod = pitch[window(tl, 1)]
    assert np.abs(nod).max() > 0.03  # visible
    assert peak_hz(nod, FPS) == pytest.approx(nod_hz, rel=0.15)
    assert zero_crossing_hz(nod, FPS) == pytest.approx(nod_hz, rel=0.2)
    assert (np.abs(pitch[:window(tl, 1).start]) == 0).all()  # nothing before the nodding keyframe's key
    assert (np.abs(pitch[window(tl, 2)]) == 0).all()  # nothing in the keyframe without a nod
    others = np.delete(cyc, I["HeadPitch"], axis=1)
    assert (others == 0).all()  # a nod moves the head's pitch only


@pytest.mark.parametrize("text", ["she looks on without nodding", "she stops nodding", "she doesn't nod",
                                  "the nodding stops", "no longer nodding, she stares"])
def test_negated_nods_add_nothing(text):
    _, cyc = cycle_part([key("calm", HeadPitch=-0.1), key(text, HeadPitch=-0.2)])
    assert (cyc == 0).all()
    assert read_manner(text).cycles == ()


def test_degree_words_scale_the_amplitude():
    def size(text):
        _, cyc = cycle_part([key("calm"), key(text)])
        return np.abs(cyc[:, I["HeadYaw"]]).max()

    slight, plain, vigorous = (size(t) for t in ("she shakes her head slightly", "she shakes her head",
                                                 "she shakes her head vigorously"))
    assert 0 < slight < plain < vigorous


def test_a_head_shake_is_yaw_and_shaking_lips_tremble():
    _, head = cycle_part([key("calm"), key("she shakes her head")])
    _, lips = cycle_part([key("calm"), key("her lips shake", MouthShrugLower=0.3)])
    assert np.abs(head[:, I["HeadYaw"]]).max() > 0.03 and (head[:, I["HeadPitch"]] == 0).all()
    assert (lips[:, I["HeadYaw"]] == 0).all() and np.abs(lips[:, I["MouthShrugLower"]]).max() > 0.01
    tremble_hz = peak_hz(lips[:, I["MouthShrugLower"]], FPS)
    shake_hz = peak_hz(head[:, I["HeadYaw"]], FPS)
    assert tremble_hz > 2 * shake_hz  # a tremble is a fast, small quiver


@pytest.mark.parametrize("text, channel", [
    ("she nods", "HeadPitch"), ("she shakes her head", "HeadYaw"), ("her chin trembles", "MouthShrugLower"),
    ("her lips quiver", "MouthShrugLower"), ("she chews slowly", "JawOpen"), ("he laughs", "JawOpen"),
    ("she sobs", "BrowInnerUp"), ("she blinks rapidly", "EyeBlinkLeft"), ("her eyelids flutter", "EyeBlinkLeft"),
    ("she giggles", "MouthSmileLeft"), ("he shivers", "JawOpen"), ("she is panting", "JawOpen")])
def test_every_cycle_verb_moves_its_channel_back_and_forth(text, channel):
    tl, cyc = cycle_part([key("calm"), key(text, hold=2.0, MouthShrugLower=0.3, MouthSmileLeft=0.3)])
    x = cyc[window(tl, 1), I[channel]]
    assert np.abs(x).max() > 0.005, text
    # back and forth: the offset returns near zero between peaks at least twice
    peaks = np.flatnonzero((x[1:-1] > x[:-2]) & (x[1:-1] >= x[2:]) & (x[1:-1] > 0.3 * x.max()))
    assert len(peaks) >= 2, text


def test_keys_exact_ranges_kept_with_cycles_and_life():
    texts = ["she nods vigorously", "she shakes her head violently", "he laughs uncontrollably",
             "her eyelids flutter", "she sobs heavily", "her chin trembles", "he chews", "she blinks rapidly"]
    for trial in range(4):
        kfs = []
        for text in texts:
            v = RNG.uniform(LOW, HIGH)
            ends = RNG.random(N_CHANNELS) < 0.4  # many values at the range ends: no room one way
            v[ends] = np.where(RNG.random(ends.sum()) < 0.5, LOW[ends], HIGH[ends])
            kfs.append(Keyframe(KeyframeSpec(text, hold=float(RNG.choice([0.0, 0.3, 1.0]))), v, "test",
                                motion=read_manner(text)))
        for life in (False, True):
            tl = build_timeline(kfs, 30.0, life=life, seed=trial)
            assert (tl.values >= LOW).all() and (tl.values <= HIGH).all()
            if not life:
                for k, t in zip(kfs, tl.key_times):
                    assert np.array_equal(tl.values[round(t * 30.0)], k.values)


def test_cycles_stay_with_life_off_and_go_with_cycles_off():
    kfs = [key("calm"), key("she nods", HeadPitch=-0.2)]
    assert not np.array_equal(build_timeline(kfs, 30.0, life=False).values,
                              build_timeline(kfs, 30.0, life=False, cycles=False).values)


def test_counted_nod_ends_after_its_periods():
    tl, cyc = cycle_part([key("calm"), key("she nods once", HeadPitch=-0.2)])
    nod = tables().cycles["nod"]
    f0 = round(tl.key_times[1] * FPS)
    after = f0 + int(np.ceil(FPS / nod.hz)) + 1
    assert np.abs(cyc[f0:after, I["HeadPitch"]]).max() > 0.01
    assert (cyc[after:, I["HeadPitch"]] == 0).all()


def test_shut_lids_still_flutter_inside_their_range():
    tl, _ = cycle_part([key("calm"), key("her eyelids flutter", EyeBlinkLeft=1.0, EyeBlinkRight=1.0)])
    lid = tl.values[window(tl, 1), I["EyeBlinkLeft"]]
    assert lid.min() < 0.8 and lid.max() <= 1.0


def test_suppressed_cycles_are_smaller():
    def size(text):
        _, cyc = cycle_part([key("calm"), key(text)])
        return np.abs(cyc[:, I["JawOpen"]]).max()

    assert 0 < size("she stifles a laugh") < 0.6 * size("she laughs")


def test_frequencies_above_a_third_of_the_frame_rate_are_lowered():
    tl, cyc = cycle_part([key("calm"), key("he shivers", hold=4.0)], fps=12.0)
    assert peak_hz(cyc[window(tl, 1), I["JawOpen"]], 12.0) <= 4.0 + 0.2


def test_the_data_is_validated_at_load(tmp_path: Path):
    text = (Path(__file__).parents[1] / "src" / "keyframeface" / "motion.yaml").read_text()
    bad = tmp_path / "motion.yaml"
    bad.write_text(text.replace("channels: {HeadPitch: -0.08}", "channels: {HeadPich: -0.08}"))
    with pytest.raises(ValueError, match="HeadPich"):
        tables(bad)
    bad.write_text(text.replace("  slow: 1.6", "  slow: -1.6"))
    with pytest.raises(ValueError, match="pace.slow"):
        tables(bad)


def test_engine_script_end_to_end_nods_and_eyes_lead_with_life_off():
    from keyframeface.backends import get_backend
    from keyframeface.data import Script
    from keyframeface.pipeline import Pipeline

    script = Script("A job interview", "polite agreement", fps=30.0, keyframes=(
        KeyframeSpec("a neutral face"), KeyframeSpec("she nods slowly", hold=2.0),
        KeyframeSpec("the eyes widen and the jaw drops open in surprise")))
    anim = Pipeline(get_backend("engine"), life=False).run(script)
    tl = anim.timeline
    f0 = round(tl.key_times[1] * 30.0 + 2.0 * 30.0)  # end of the nodding keyframe's hold
    nod = tl.values[round(tl.key_times[1] * 30.0):f0, I["HeadPitch"]]  # the hold: a held pose would be flat
    assert np.ptp(nod) > 0.03 and zero_crossing_hz(nod - nod[0], 30.0) > 0.5
    f1 = round(tl.key_times[2] * 30.0)
    wide, jaw = tl.values[f0:f1 + 1, I["EyeWideLeft"]], tl.values[f0:f1 + 1, I["JawOpen"]]
    assert wide[-1] > wide[0] + 0.1 and jaw[-1] > jaw[0] + 0.1  # both move
    half = [int(np.argmax((x - x[0]) / (x[-1] - x[0]) >= 0.5)) for x in (wide, jaw)]
    assert half[0] < half[1]  # the eyes get halfway before the mouth does


def test_a_counted_cycle_on_the_last_keyframe_has_time_to_finish():
    kfs = [key("calm", hold=None, duration=None), key("she nods three times", hold=None, duration=None,
                                                        HeadPitch=-0.1)]
    tl, cyc = cycle_part(kfs)
    nod = tables().cycles["nod"]
    f0 = round(tl.key_times[1] * FPS)
    periods = (tl.frames - 1 - f0) / FPS * nod.hz
    assert periods >= 3 - 1e-6  # the clip lasts three whole nods after the key
    pitch = cyc[f0:, I["HeadPitch"]]
    third = f0 + int(2.25 * FPS / nod.hz)  # inside the third nod
    assert np.abs(cyc[third - 3:third + 3, I["HeadPitch"]]).max() > 0.005 and abs(pitch[-1]) < 1e-9
