"""An independent reader checks the rig: MediaPipe FaceLandmarker's blendshape scores follow what we drew.

Thresholds were chosen after measuring (bench/bench_tracker.py prints the full table):
single-channel sweeps 0 -> 1 of the channels in READ_WELL give Pearson r >= 0.86 and a
score rise >= 0.1 on this rig, so r >= 0.8 with a rise >= 0.1 fails if a channel stops
showing, moves the wrong way or lands on the wrong side, with little room for tracker
noise. A rise is required as well as r because r of a score that stays ~0 is noise.

MediaPipe's blendshape head never outputs cheekPuff (google-ai-edge/mediapipe#4436) or
noseSneer (#4450), and reads cheekSquint, jawLeft/Right/Forward and mouthClose ~0 on this
rig. Those channels are checked with the same tracker's 478 face-mesh LANDMARKS instead
(tracker.face_measures: distances in inter-ocular units): see LANDMARK_READ. NoseSneer stays
an expected failure with the measured numbers: the mesh does not follow the drawn nose wing.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from keyframeface.channels import CHANNEL_INDEX, MIRROR, N_CHANNELS

pytestmark = [pytest.mark.tracker, pytest.mark.slow]  # MediaPipe on many renders
pytest.importorskip("mediapipe", reason="mediapipe is not installed (pip install 'keyframeface[track]')")

from keyframeface.render.rig import render_frames  # noqa: E402
from keyframeface.render.tracker import (  # noqa: E402
    face_measures,
    sweep,
    sweep_tracked,
    track_frames,
    track_landmarks,
)

LEVELS = np.linspace(0.0, 1.0, 11)
MIN_R, MIN_RISE = 0.8, 0.1

# What to drive -> the tracker channels that must follow. Gaze up/down is driven on both
# eyes together, as eyes move (the tracker couples them too).
READ_WELL = {
    "JawOpen": {"JawOpen": 1.0},
    "MouthSmileLeft": {"MouthSmileLeft": 1.0},
    "MouthSmileRight": {"MouthSmileRight": 1.0},
    "EyeBlinkLeft": {"EyeBlinkLeft": 1.0},
    "EyeBlinkRight": {"EyeBlinkRight": 1.0},
    "BrowInnerUp": {"BrowInnerUp": 1.0},
    "BrowOuterUpLeft": {"BrowOuterUpLeft": 1.0},
    "BrowOuterUpRight": {"BrowOuterUpRight": 1.0},
    "EyeWideLeft": {"EyeWideLeft": 1.0},
    "EyeWideRight": {"EyeWideRight": 1.0},
    "EyeSquintLeft": {"EyeSquintLeft": 1.0},
    "MouthPucker": {"MouthPucker": 1.0},
    "MouthFunnel": {"MouthFunnel": 1.0},
    "EyeLookInLeft": {"EyeLookInLeft": 1.0},
    "EyeLookInRight": {"EyeLookInRight": 1.0},
    "EyeLookOutLeft": {"EyeLookOutLeft": 1.0},
    "EyeLookOutRight": {"EyeLookOutRight": 1.0},
    "EyeLookUpLeft": {"EyeLookUpLeft": 1.0, "EyeLookUpRight": 1.0},
    "EyeLookUpRight": {"EyeLookUpLeft": 1.0, "EyeLookUpRight": 1.0},
    "EyeLookDownLeft": {"EyeLookDownLeft": 1.0, "EyeLookDownRight": 1.0},
    "EyeLookDownRight": {"EyeLookDownLeft": 1.0, "EyeLookDownRight": 1.0},
    # A one-sided frown reads weakly on the subject's left (rise ~0.06, right ~0.29); both sides
    # together read well (rise ~0.6), so frown is checked as a whole-mouth expression.
    "MouthFrownLeft": {"MouthFrownLeft": 1.0, "MouthFrownRight": 1.0},
    "MouthFrownRight": {"MouthFrownLeft": 1.0, "MouthFrownRight": 1.0},
}


def r_and_rise(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    return float(np.corrcoef(x, y)[0, 1]), float(y[-1] - y[0])


@pytest.mark.parametrize("name", READ_WELL)
def test_tracker_score_rises_with_the_rig_input(name):
    _, back = sweep(READ_WELL[name], LEVELS)
    y = back[:, CHANNEL_INDEX[name]]
    r, rise = r_and_rise(LEVELS, y)
    assert r >= MIN_R and rise >= MIN_RISE, f"{name}: r={r:.2f}, score {y[0]:.2f} -> {y[-1]:.2f}"


@pytest.mark.parametrize("name", ["MouthSmileLeft", "MouthSmileRight", "EyeBlinkLeft", "EyeBlinkRight",
                                  "BrowOuterUpLeft", "BrowOuterUpRight", "EyeWideRight", "EyeLookOutLeft",
                                  "MouthLeft", "MouthRight"])
def test_sides_agree_with_the_tracker(name):
    # Driving the subject's left moves the tracker's left (MediaPipe names subject sides too).
    _, back = sweep({name: 1.0}, LEVELS)
    own = back[-1, CHANNEL_INDEX[name]] - back[0, CHANNEL_INDEX[name]]
    other = back[-1, CHANNEL_INDEX[MIRROR[name]]] - back[0, CHANNEL_INDEX[MIRROR[name]]]
    assert own > other + 0.05, f"{name}: own rise {own:.2f}, mirror rise {other:.2f}"


@pytest.mark.parametrize("name", ["BrowDownLeft", "BrowDownRight"])
def test_knitted_brows_read_as_brow_down(name):
    # MediaPipe reads browDown faintly on this rig: lowering both brows gives r ~0.98 but a
    # rise of only ~0.11 (one brow alone: ~0.05), so the rise bar here is lower.
    _, back = sweep({"BrowDownLeft": 1.0, "BrowDownRight": 1.0}, LEVELS)
    r, rise = r_and_rise(LEVELS, back[:, CHANNEL_INDEX[name]])
    assert r >= MIN_R and rise >= 0.07, f"{name}: r={r:.2f} rise={rise:.2f}"


# Channels read from the landmarks: channel -> (face_measures key, sign the channel moves it
# with, least change in inter-ocular units). Measured on this rig (sweep 0 -> 1, 256 px): r >=
# 0.96 for all of them, so r >= 0.8 leaves room for noise; the change carries the weight, as
# every landmark drifts a little whenever the mesh is refitted, so each bar sits between the
# measured change and the largest change a channel of another region causes (bench_tracker.py):
#   CheekPuff       cheek width 213-433    +0.120  (other regions <= 0.030, EyeBlinkLeft)
#   CheekSquint L/R lower lid 374 / 145    +0.012 / +0.014 (other than eyes, gaze, cheeks <= 0.006);
#                   the drawn cheek itself does not move the mesh (118/347 < 0.004), the lid it lifts does
#   JawLeft/Right   chin 152 from 168      +0.041 / -0.038 (other than jaw and mouth <= 0.025)
#   JawForward      lower lip 17 to chin   +0.047  (JawOpen 0.012, other than jaw and mouth <= 0.024);
#                   a front view cannot see forward: this checks the rig's proxy, a longer chin
#                   with the lips shut, not depth (the mesh z does not follow it)
#   MouthClose      lip gap 13-14          -0.104  with JawOpen 0.5 (other regions <= 0.063, CheekPuff)
LANDMARK_READ = {
    "CheekPuff": ("cheek_width", 1.0, 0.06),
    "CheekSquintLeft": ("lower_lid_left", 1.0, 0.008),
    "CheekSquintRight": ("lower_lid_right", 1.0, 0.008),
    "JawLeft": ("jaw_shift", 1.0, 0.03),
    "JawRight": ("jaw_shift", -1.0, 0.03),
    "JawForward": ("chin_length", 1.0, 0.035),
    "MouthClose": ("lip_gap", -1.0, 0.07),
}


@cache
def landmark_sweep(name: str) -> dict[str, np.ndarray]:
    """face_measures of a 0 -> 1 sweep of one channel; MouthClose closes a jaw held at 0.5 (ARKit: close <= open)."""
    if name == "MouthClose":
        base = np.zeros(N_CHANNELS)
        base[CHANNEL_INDEX["JawOpen"]] = 0.5
        _, tracked = sweep_tracked({"MouthClose": 0.5}, LEVELS, base=base)
    else:
        _, tracked = sweep_tracked({name: 1.0}, LEVELS)
    assert tracked.detected.all()
    return face_measures(tracked.landmarks)


@pytest.mark.parametrize("name", LANDMARK_READ)
def test_landmark_geometry_follows_the_rig_input(name):
    measure, sign, least = LANDMARK_READ[name]
    y = sign * landmark_sweep(name)[measure]
    r, change = r_and_rise(LEVELS, y)
    assert r >= MIN_R and change >= least, f"{name}: {measure} r={r:.2f}, change {change:+.3f} (want >= {least})"


@pytest.mark.parametrize("name, mirror", [("CheekSquintLeft", "lower_lid_right"),
                                          ("CheekSquintRight", "lower_lid_left")])
def test_cheek_squint_lifts_its_own_side_most(name, mirror):
    # The mesh couples the eyes: the other lower lid rises too, by about half (0.007 vs 0.012/0.014).
    measures = landmark_sweep(name)
    own = measures[LANDMARK_READ[name][0]]
    other = measures[mirror]
    assert own[-1] - own[0] > 1.3 * (other[-1] - other[0]), (name, own[-1] - own[0], other[-1] - other[0])


@pytest.mark.parametrize("name, measure", [("NoseSneerLeft", "nostril_lift_left"),
                                           ("NoseSneerRight", "nostril_lift_right")])
def test_nose_sneer_the_landmarks_do_not_read(name, measure):
    # The rig lifts the nose wing 0.05 face units (~0.045 inter-ocular) and flares it; the mesh's
    # nostrils (98/327) rise only 0.005-0.012 (r 0.96-0.99), less than other regions move them
    # (CheekPuff 0.021, EyeBlinkLeft 0.020), and a doubled drawn lift gave only ~0.010. So a lift
    # that counts must clear those: 0.04.
    y = landmark_sweep(name)[measure]
    r, change = r_and_rise(LEVELS, y)
    if not (r >= MIN_R and change >= 0.04):
        pytest.xfail(f"the face mesh does not follow the drawn nose wing; MediaPipe has no noseSneer score "
                     f"(google-ai-edge/mediapipe#4450) (measured {measure} r={r:.2f}, change={change:+.3f})")


def test_head_pose_reads_back_with_our_signs():
    for name, value in (("HeadYaw", 0.4), ("HeadYaw", -0.4), ("HeadPitch", 0.3), ("HeadRoll", 0.3)):
        _, back = sweep({name: value}, LEVELS)
        read = back[-1, CHANNEL_INDEX[name]]
        # Same sign and a real share of the angle: yaw and roll read back ~1:1 (0.4 -> 0.38),
        # pitch about half (0.3 -> 0.14-0.17; a flat drawing foreshortens little when it nods).
        share = 0.3 if name == "HeadPitch" else 0.6
        assert np.sign(read) == np.sign(value) and abs(read) > share * abs(value), (name, value, read)


def test_a_face_is_found_in_every_frame_of_an_animation():
    rng = np.random.default_rng(0)
    frames = 90
    t = np.linspace(0, 1, frames)[:, None]
    # Smooth random curves on every blendshape (0..0.8) and a moving head within +-0.4 rad.
    phase, rate = rng.uniform(0, 2 * np.pi, N_CHANNELS), rng.uniform(1, 4, N_CHANNELS)
    values = 0.5 + 0.5 * np.sin(2 * np.pi * rate * t + phase)  # (frames, 61)
    values[:, :52] *= 0.8
    values[:, 52:] = (values[:, 52:] - 0.5) * 0.8
    _, found = track_frames(render_frames(values))
    assert found.all(), f"no face in frames {np.nonzero(~found)[0].tolist()}"


def test_track_frames_marks_frames_without_a_face():
    blank = np.full((256, 256, 3), 200, np.uint8)
    back, found = track_frames([blank, blank])
    assert not found.any() and np.isnan(back).all()


def test_track_landmarks_gives_the_mesh_on_the_face_and_nan_elsewhere():
    blank = np.full((256, 256, 3), 200, np.uint8)
    face = next(render_frames(np.zeros((1, N_CHANNELS))))
    landmarks, found = track_landmarks([face, blank])
    assert landmarks.shape == (2, 478, 3) and found.tolist() == [True, False]
    assert np.isnan(landmarks[1]).all()
    # Where the rig draws them (rig.py: centre 0.44 of the height, 0.28 of the size per face
    # unit): eyes at 0.44 - 0.28 * 0.02 ~ 0.43, chin at 0.44 + 0.28 * 1.16 ~ 0.76, outer eye
    # corners 0.28 * 2 * 0.56 ~ 0.31 apart, the subject's left one (263) on the image right.
    x, y = landmarks[0, :, 0], landmarks[0, :, 1]
    assert 0.38 < y[33] < 0.48 and 0.38 < y[263] < 0.48 and 0.71 < y[152] < 0.81
    assert 0.27 < x[263] - x[33] < 0.35 and abs(x[152] - 0.5) < 0.02


@pytest.mark.slow
def test_real_take_read_back_follows_the_capture(fixture_file):
    from keyframeface.formats.livelink_csv import read_livelink_csv

    take = read_livelink_csv(fixture_file("livelink_csv", "rom_take_a.csv"))
    values = take.values[::6]  # ~670 frames, ~12 s
    back, found = track_frames(render_frames(values), fps=take.fps / 6)
    assert found.all()
    # Channels the actor used a lot and the tracker reads: measured r 0.84-0.97 (bench_tracker.py).
    for name in ("JawOpen", "EyeBlinkLeft", "EyeBlinkRight", "MouthSmileLeft", "MouthSmileRight",
                 "BrowOuterUpLeft", "BrowDownLeft", "BrowDownRight", "EyeLookOutLeft", "EyeLookInRight"):
        i = CHANNEL_INDEX[name]
        r = float(np.corrcoef(values[:, i], back[:, i])[0, 1])
        assert r >= 0.75, f"{name}: r={r:.2f} between the captured curve and the read-back of our render"
