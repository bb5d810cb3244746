"""Long takes in bounded memory: the chunked and in-place paths give exactly what the whole-array ones do."""

from __future__ import annotations

import numpy as np
import pytest

import keyframeface
from keyframeface import timeline
from keyframeface.life import add_life
from keyframeface.script import script_from_dict

WORDS = ["The brows lift slightly.", "She nods, a small smile spreading.", "The jaw trembles open.",
         "The eyes narrow and the head tilts left."]


def _animation(seconds: float, fps: float = 60.0):
    keys = [{"description": WORDS[i % 4], "hold": seconds / 8, "duration": seconds / 8} for i in range(4)]
    return script_from_dict({"background": "a", "emotion": "calm", "fps": fps, "keyframes": keys})


def test_chunked_sampling_equals_whole_array_sampling(monkeypatch):
    script = _animation(40.0)
    anim = keyframeface.Pipeline().run(script)
    monkeypatch.setattr(timeline, "_CHUNK", 997)  # many chunks, none aligned with a knot
    small = timeline.build_timeline(anim.keyframes, script.fps, seed=script.seed)
    monkeypatch.setattr(timeline, "_CHUNK", 10**9)  # one chunk: the whole array at once
    whole = timeline.build_timeline(anim.keyframes, script.fps, seed=script.seed)
    assert small.frames > 2000 and np.array_equal(small.values, whole.values)


@pytest.mark.parametrize("seed", [0, 7])
def test_life_in_place_equals_life_on_a_copy(seed):
    rng = np.random.default_rng(seed)
    base = np.clip(np.cumsum(rng.normal(0, 0.01, (5000, 61)), axis=0), 0, 1)
    expected = add_life(base, 30.0, seed, key_times=(1.0, 50.0))
    work = base.copy()
    got = add_life(work, 30.0, seed, key_times=(1.0, 50.0), copy=False)
    assert got is work and np.array_equal(got, expected)
    assert not np.array_equal(expected, base)  # life did something


def test_an_animation_past_the_frame_limit_is_refused_before_any_work():
    keys = [{"description": "A smile.", "hold": 600, "duration": 600}] * 64
    with pytest.raises(keyframeface.InputError, match="at most 216,000"):
        script_from_dict({"background": "a", "emotion": "b", "fps": 240, "keyframes": keys})


def test_the_timeline_refuses_a_huge_schedule_from_any_route():
    """A Script built in Python skips the script reader's checks; the timeline still refuses before allocating."""
    from keyframeface.data import Keyframe, KeyframeSpec

    keyframes = [Keyframe(spec=KeyframeSpec("a", hold=600.0, duration=600.0), values=np.zeros(61), backend="x")] * 64
    with pytest.raises(keyframeface.InputError, match="frames; at most"):
        timeline.build_timeline(keyframes, 240.0)


def test_reading_a_csv_in_small_blocks_equals_reading_it_whole(tmp_path, monkeypatch):
    from keyframeface.formats import livelink_csv

    values = np.random.default_rng(3).uniform(-0.5, 1.0, (500, 61)).clip(livelink_csv.LOW, livelink_csv.HIGH)
    livelink_csv.write_livelink_csv(tmp_path / "a.csv", values, 30.0)
    whole = livelink_csv.read_livelink_csv(tmp_path / "a.csv")
    monkeypatch.setattr(livelink_csv, "CHUNK_BYTES", 3000)  # a few rows per block, never aligned to a row
    small = livelink_csv.read_livelink_csv(tmp_path / "a.csv")
    assert np.array_equal(small.values, whole.values) and small.timecodes == whole.timecodes
    assert small.fps == whole.fps == 30.0 and np.allclose(whole.values, values, atol=1e-10)


@pytest.mark.parametrize("variant", ["plain", "crlf-bom-no-final-newline", "blank-lines-at-end"])
def test_streaming_a_big_csv_reads_what_reading_it_whole_does(tmp_path, monkeypatch, variant):
    from keyframeface.formats import livelink_csv

    values = np.random.default_rng(5).uniform(-0.5, 1.0, (700, 61)).clip(livelink_csv.LOW, livelink_csv.HIGH)
    livelink_csv.write_livelink_csv(tmp_path / "a.csv", values, 60.0)
    data = (tmp_path / "a.csv").read_bytes()
    if variant == "crlf-bom-no-final-newline":
        data = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n").rstrip(b"\r\n")
    elif variant == "blank-lines-at-end":
        data += b"\n\n\n"
    (tmp_path / "a.csv").write_bytes(data)
    whole = livelink_csv.read_livelink_csv(tmp_path / "a.csv")
    monkeypatch.setattr(livelink_csv, "STREAM_BYTES", 0)  # every file is streamed
    monkeypatch.setattr(livelink_csv, "CHUNK_BYTES", 2999)  # in pieces that split rows and "\r\n" pairs
    streamed = livelink_csv.read_livelink_csv(tmp_path / "a.csv")
    assert np.array_equal(streamed.values, whole.values) and streamed.timecodes == whole.timecodes
    assert streamed.fps == whole.fps == 60.0 and len(streamed.values) == 700


def test_life_in_small_chunks_equals_life_in_one(monkeypatch):
    from keyframeface import life

    rng = np.random.default_rng(2)
    base = np.clip(np.cumsum(rng.normal(0, 0.03, (6000, 61)), axis=0), 0, 1)
    base[1000:1500, 0] = 0.9  # shut lids: blinks blocked there
    monkeypatch.setattr(life, "_CHUNK", 10**9)
    whole = add_life(base, 60.0, 4, key_times=(1.0, 50.0))
    monkeypatch.setattr(life, "_CHUNK", 777)
    assert np.array_equal(add_life(base, 60.0, 4, key_times=(1.0, 50.0)), whole)
