"""The channel model: both orders, ranges, mirrors, regions, spellings."""

from __future__ import annotations

import numpy as np
import pytest

from keyframeface import channels as ch


def test_counts_and_order_a_head_and_tail():
    assert len(ch.CHANNELS) == 61 and len(ch.BLENDSHAPES) == 52 and len(set(ch.CHANNELS)) == 61
    assert ch.CHANNELS[:3] == ("EyeBlinkLeft", "EyeLookDownLeft", "EyeLookInLeft")
    assert ch.CHANNELS[15:17] == ("JawRight", "JawLeft")
    assert ch.CHANNELS[-9:] == ("HeadYaw", "HeadPitch", "HeadRoll", "LeftEyeYaw", "LeftEyePitch",
                                "LeftEyeRoll", "RightEyeYaw", "RightEyePitch", "RightEyeRoll")


def test_csv_header_order_matches_real_take(fixture_file):
    header = fixture_file("livelink_csv", "rom_take_a.csv").open().readline().strip().split(",")
    assert tuple(header[2:]) == ch.CHANNELS


def test_udp_order_swaps_only_jaw_and_mouth_left_right():
    diff = [(a, b) for a, b in zip(ch.CHANNELS, ch.UDP_ORDER) if a != b]
    assert diff == [("JawRight", "JawLeft"), ("JawLeft", "JawRight"),
                    ("MouthRight", "MouthLeft"), ("MouthLeft", "MouthRight")]
    v = np.arange(61.0)
    b = ch.to_udp_order(v)
    assert b[ch.UDP_ORDER.index("JawLeft")] == ch.CHANNEL_INDEX["JawLeft"]
    assert np.array_equal(ch.from_udp_order(b), v)


def test_ranges():
    assert np.all(ch.LOW[:52] == 0) and np.all(ch.LOW[52:] == -1) and np.all(ch.HIGH == 1)
    assert np.array_equal(ch.clip(np.full(61, 5.0)), np.ones(61))
    assert np.array_equal(ch.clip(np.full(61, -5.0)), ch.LOW)


def test_mirror_pairs_and_signs():
    assert ch.MIRROR["EyeBlinkLeft"] == "EyeBlinkRight" and ch.MIRROR["JawLeft"] == "JawRight"
    assert ch.MIRROR["LeftEyeYaw"] == "RightEyeYaw" and ch.MIRROR["JawOpen"] == "JawOpen"
    assert all(ch.MIRROR[ch.MIRROR[n]] == n for n in ch.CHANNELS)
    v = np.zeros(61)
    v[ch.CHANNEL_INDEX["MouthSmileLeft"]] = 0.7
    v[ch.CHANNEL_INDEX["HeadYaw"]] = 0.3
    m = ch.mirror_values(v)
    assert m[ch.CHANNEL_INDEX["MouthSmileRight"]] == 0.7 and m[ch.CHANNEL_INDEX["MouthSmileLeft"]] == 0
    assert m[ch.CHANNEL_INDEX["HeadYaw"]] == -0.3
    assert np.allclose(ch.mirror_values(m), v)


def test_regions_cover_every_channel_once():
    seen = [n for names in ch.REGIONS.values() for n in names]
    assert sorted(seen) == sorted(ch.CHANNELS)
    assert ch.region_of("BrowInnerUp") == "brows" and ch.region_of("HeadRoll") == "head"
    assert ch.region_of("TongueOut") == "tongue" and ch.region_of("NoseSneerLeft") == "nose"


@pytest.mark.parametrize("spelling, name", [
    ("JawOpen", "JawOpen"), ("jawOpen", "JawOpen"), ("jaw_open", "JawOpen"), ("JAWOPEN", "JawOpen"),
    ("eyeBlink_L", "EyeBlinkLeft"), ("eyeBlink_R", "EyeBlinkRight"), ("mouthSmile_L", "MouthSmileLeft"),
    ("browOuterUpRight", "BrowOuterUpRight"), ("brow_inner_up", "BrowInnerUp"), ("tongueOut", "TongueOut"),
    ("cheekPuff", "CheekPuff"), ("headYaw", "HeadYaw"), ("leftEyePitch", "LeftEyePitch"),
])
def test_canonical_name_accepts_spellings(spelling, name):
    assert ch.canonical_name(spelling) == name


def test_canonical_name_rejects_non_channels():
    assert ch.canonical_name("_neutral") is None
    assert ch.canonical_name("Smile") is None


def test_every_mediapipe_category_maps():
    # MediaPipe's FaceLandmarker blendshape categories: _neutral + 51 ARKit names (no tongueOut).
    mp = [n[0].lower() + n[1:] for n in ch.BLENDSHAPES if n != "TongueOut"]
    assert all(ch.canonical_name(n) for n in mp)
