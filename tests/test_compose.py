"""Additive composition and continuity in the embedded pose engine (issue: FACS is additive)."""

from __future__ import annotations

import pytest

import keyframeface
from keyframeface.backends.engine.composition import composition
from keyframeface.backends.engine.pose import pose_text
from keyframeface.channels import CHANNEL_INDEX
from keyframeface.data import ContributionKind


def v(text: str) -> dict[str, float]:
    values = pose_text(text).values
    return {n: float(values[i]) for n, i in CHANNEL_INDEX.items()}


def seq(*descriptions: str, emotion: str = "calm") -> list[dict[str, float]]:
    """Pose a sequence through the public API, each keyframe after the one before."""
    anim = keyframeface.animate("A quiet room.", emotion, list(descriptions), life=False)
    return [{n: float(k.values[i]) for n, i in CHANNEL_INDEX.items()} for k in anim.keyframes]


@pytest.mark.parametrize(("text", "parts"), [
    ("she smiles while the lip corners stretch sideways", ("MouthSmileLeft", "MouthStretchLeft")),  # AU12+20
    ("she smiles with dimples", ("MouthSmileRight", "MouthDimpleRight")),  # AU12+14
    ("a smile, and she presses her lips together", ("MouthSmileLeft", "MouthPressLeft")),  # AU12+24
    ("the inner brows rise and the brows knit", ("BrowInnerUp", "BrowDownLeft")),  # AU1+4
    ("a laugh with the jaw dropped open", ("MouthSmileLeft", "JawOpen", "CheekSquintLeft")),  # AU6+12+25+26
])
def test_actions_on_one_region_combine(text: str, parts: tuple[str, ...]) -> None:
    p = v(text)
    for name in parts:
        assert p[name] >= 0.2, (name, p[name])


def test_antagonists_resolve_to_the_later_words() -> None:
    up = v("the corners turn down, and then lift into a smile")
    down = v("a smile, and then the corners turn down")
    assert up["MouthSmileLeft"] > 0.3 and up["MouthFrownLeft"] == 0.0
    assert down["MouthFrownLeft"] > 0.3 and down["MouthSmileLeft"] == 0.0


def test_antagonist_table_pairs_sides() -> None:
    pairs = composition().antagonists
    assert "MouthFrownLeft" in pairs["MouthSmileLeft"] and "MouthFrownRight" not in pairs["MouthSmileLeft"]
    assert all(a in pairs[b] for a, rivals in pairs.items() for b in rivals)  # symmetric


def test_untouched_parts_carry_over_with_decay() -> None:
    first, second = seq("She smiles warmly.", "Her brows lift.")
    decay = composition().carry_decay
    assert second["BrowInnerUp"] > 0.3
    assert second["MouthSmileLeft"] == pytest.approx(decay * first["MouthSmileLeft"], abs=1e-6)


def test_a_part_said_to_stay_keeps_its_full_value() -> None:
    first, second = seq("She smiles warmly.", "The smile stays while her brows lift.")
    assert second["MouthSmileLeft"] == pytest.approx(first["MouthSmileLeft"], abs=1e-6)


def test_a_new_action_keeps_the_held_smile() -> None:
    first, second = seq("A broad smile.", "A smirk grows on the left.")
    assert second["MouthSmileRight"] >= 0.7 * first["MouthSmileRight"]  # the rest of the smile is not dropped
    assert second["MouthDimpleLeft"] > 0.1


def test_release_words_remove() -> None:
    first, second = seq("A broad smile.", "She stops smiling.")
    assert first["MouthSmileLeft"] > 0.5 and second["MouthSmileLeft"] < 0.05


def test_escalation_keeps_what_the_text_set_before() -> None:
    first, second = seq("The brows pull down hard into a scowl.", "The nostrils flare.", emotion="rage")
    assert second["BrowDownLeft"] >= 0.8 * first["BrowDownLeft"]
    assert second["NoseSneerLeft"] > 0.2


def test_a_rising_gaze_after_a_lowered_one_returns_to_level() -> None:
    first, second = seq("The gaze is lowered.", "The gaze rises.")
    assert first["LeftEyePitch"] < -0.1
    assert abs(second["LeftEyePitch"]) < 0.05 and second["EyeLookUpLeft"] < 0.05 and second["EyeLookDownLeft"] < 0.05


def test_the_same_words_alone_look_up() -> None:
    assert v("The gaze rises.")["LeftEyePitch"] > 0.1  # without a previous keyframe: up


def test_momentary_actions_do_not_carry() -> None:
    first, second = seq("She blinks.", "The mouth opens.")
    assert first["EyeBlinkLeft"] > 0.8 and second["EyeBlinkLeft"] < 0.2


def test_carried_values_say_so() -> None:
    result = pose_text("Her brows lift.", previous=pose_text("She smiles warmly.").values)
    kinds = {c.channel: c.kind for c in result.contributions}
    assert kinds["MouthSmileLeft"] is ContributionKind.CARRIED and kinds["BrowInnerUp"] is ContributionKind.ACTION


def test_the_prior_does_not_override_parts_set_before() -> None:
    first, second = seq("The brows lower hard.", "The lips press together.", emotion="sadness")
    assert second["BrowDownLeft"] >= 0.7 * first["BrowDownLeft"]


@pytest.mark.parametrize(("text", "channel"), [
    # Apple-style nominal definitions: "<direction> movement of <part>", "<action noun> of <part>"
    ("Upward movement of the inner portion of both eyebrows", "BrowInnerUp"),
    ("Closure of the eyelids over the left eye", "EyeBlinkLeft"),
    ("Downward movement of the corner of the mouth", "MouthFrownLeft"),
    ("Leftward movement of both lips together", "MouthLeft"),
    ("Elevation of the right side of the upper lip", "MouthUpperUpRight"),
    ("a slight widening of the eyes", "EyeWideLeft"),
    ("Forward thrust of the lower jaw", "JawForward"),
])
def test_nominal_wording_reads_as_the_action(text: str, channel: str) -> None:
    p = v(text)
    top = max((n for n in p if not n[0].isupper() or n in CHANNEL_INDEX), key=lambda n: p[n])
    assert p[channel] > 0.15 and p[channel] >= p[top] - 1e-9, (channel, p[channel], top, p[top])


def test_a_preposition_before_a_face_part_is_not_a_direction() -> None:
    p = v("the cheek lifts around and below the left eye")
    assert p["CheekSquintLeft"] > 0.2 and p["EyeLookDownLeft"] == 0.0


@pytest.mark.parametrize("text", ["her expression turns sad", "his face goes pale", "she grows serious"])
def test_a_copula_before_a_state_is_not_a_head_turn(text: str) -> None:
    p = v(text)
    assert abs(p["HeadYaw"]) < 0.05 and abs(p["HeadRoll"]) < 0.05


def test_a_turn_toward_a_side_still_turns_the_head() -> None:
    assert v("she turns to the left")["HeadYaw"] < -0.1


def test_the_encoder_never_sets_polarity() -> None:
    from keyframeface.backends.engine import fallback

    if not fallback.available():
        pytest.skip("sentence-encoder packages not installed (the 'embed' extra)")
    for text in ("she ogles the ceiling", "her peepers drift up toward the ceiling"):
        r = pose_text(text)
        assert r.values[CHANNEL_INDEX["LeftEyePitch"]] >= 0.0  # up or level, never down
    r = pose_text("her peepers drift down toward the floor")
    assert r.values[CHANNEL_INDEX["LeftEyePitch"]] <= 0.0


@pytest.mark.parametrize(("small", "plain", "large", "channel"), [
    ("the brows creep up", "the brows lift", "the brows shoot up", "BrowInnerUp"),
    ("a ghost of a smile", "a smile", "a broad smile", "MouthSmileLeft"),
    ("the eyes widen slightly", "the eyes widen", "the eyes bulge", "EyeWideLeft"),
])
def test_words_of_size_grade_the_action(small: str, plain: str, large: str, channel: str) -> None:
    a, b, c = (v(t)[channel] for t in (small, plain, large))
    assert 0.0 < a < b < c


def test_a_degree_word_beats_the_size_of_the_verb() -> None:
    assert v("the eyebrows shoot up slightly")["BrowInnerUp"] < v("the eyebrows lift")["BrowInnerUp"]


def test_a_returning_part_takes_its_earlier_value() -> None:
    first, _, third = seq("A broad smile.", "The smile fades away.", "The smile returns.")
    plain = v("The smile returns.")["MouthSmileLeft"]
    assert first["MouthSmileLeft"] > plain  # the broad smile was bigger than a plain one
    assert third["MouthSmileLeft"] == pytest.approx(first["MouthSmileLeft"], abs=1e-6)


def test_again_without_an_earlier_value_is_plain() -> None:
    first, second = seq("The brows knit.", "She smiles again.")
    assert second["MouthSmileLeft"] == pytest.approx(v("She smiles.")["MouthSmileLeft"], abs=1e-6)


@pytest.mark.parametrize(("text", "channel"), [
    ("she gives him the stink-eye", "EyeSquintLeft"),
    ("a long face", "MouthFrownLeft"),
    ("duck lips for the camera", "MouthPucker"),
    ("doe eyes", "EyeWideLeft"),
    ("a death stare", "BrowDownLeft"),
])
def test_slang_reads_as_its_plain_meaning(text: str, channel: str) -> None:
    assert v(text)[channel] > 0.15


def test_slang_keeps_the_direction_the_user_gives() -> None:
    assert v("side-eye to the right")["LeftEyeYaw"] > 0.1
    assert v("side-eye to the left")["LeftEyeYaw"] < -0.1


def test_an_emotion_word_never_weakens_the_face_already_shown() -> None:
    first, second = seq("The nose wrinkles hard in disgust.", "The disgust deepens as the upper lip curls.")
    assert second["NoseSneerLeft"] >= first["NoseSneerLeft"] * composition().carry_decay - 1e-6
    assert second["EyeWideLeft"] < 0.1  # "deepens" grows the disgust; it does not widen the eyes


def test_the_onset_of_one_part_ends_another_carried() -> None:
    first, second = seq("The lips press together.", "The lips part.")
    assert second["MouthPressLeft"] <= 0.5 * first["MouthPressLeft"]
    _, closed = seq("The mouth falls open.", "The mouth closes.")
    assert closed["JawOpen"] < 0.1


def test_back_returns_a_part_to_rest() -> None:
    first, second = seq("The brows shoot up.", "The brows come back down.")
    assert first["BrowInnerUp"] > 0.5
    assert second["BrowInnerUp"] < 0.1 and second["BrowDownLeft"] < 0.1
    _, lowered = seq("The brows shoot up.", "The brows lower.")  # no "back": a plain move, not a return
    assert lowered["BrowDownLeft"] > 0.2


def test_opening_the_eyes_ends_a_carried_closure() -> None:
    _, _, third = seq("The eyes squeeze shut.", "The eyes stay shut.", "The eyes open again.")
    assert third["EyeBlinkLeft"] < 0.3


def test_a_smile_that_does_not_reach_the_eyes_has_no_cheek_raise() -> None:
    p = v("a broad smile that doesn't reach her eyes")
    assert p["MouthSmileLeft"] > 0.5 and p["CheekSquintLeft"] < 0.1


def test_cyclic_verbs_hold_no_pose_and_the_timeline_moves_them() -> None:
    assert abs(v("she nods")["HeadPitch"]) < 0.05
    assert v("she blinks rapidly")["EyeBlinkLeft"] < 0.05
    anim = keyframeface.animate("A meeting.", "agreement", ["She nods."], life=False)
    pitch = anim.timeline.values[:, CHANNEL_INDEX["HeadPitch"]]
    assert pitch.min() < -0.03  # the head dips during the nod ...
    assert abs(float(anim.keyframes[0].values[CHANNEL_INDEX["HeadPitch"]])) < 0.05  # ... around an unbowed pose


@pytest.mark.parametrize(("code", "letter"), [("AU43D", "D"), ("AU12A", "A"), ("AU4B", "B"), ("AU12C", "C")])
def test_typed_au_letters_give_the_facs_table_level(code: str, letter: str) -> None:
    from keyframeface.backends.engine.facs import facs_vector

    expected = facs_vector(f"{code[2:-1]}{letter}")
    got = pose_text(code).values
    main = int(abs(expected).argmax())
    assert got[main] == pytest.approx(expected[main], abs=1e-6)


def test_a_nod_with_a_direction_holds_it() -> None:
    assert v("the head nods down")["HeadPitch"] < -0.1


@pytest.mark.parametrize(("text", "channel"), [
    ("heavy-lidded", "EyeBlinkLeft"), ("doe-eyed", "EyeWideLeft"), ("open-mouthed", "JawOpen")])
def test_compound_adjectives_name_a_part_in_a_state(text: str, channel: str) -> None:
    assert v(text)[channel] > 0.2


def test_a_participle_adds_its_action_to_a_mouth_expression() -> None:
    p = v("a dimpled grin")
    assert p["MouthSmileLeft"] > 0.3 and p["MouthDimpleLeft"] > 0.2
    assert v("a trembling smile")["MouthDimpleLeft"] == 0.0  # a manner only qualifies


@pytest.mark.parametrize(("small", "large", "channel"), [
    ("The mouth corners tuck in a bit.", "The mouth corners tuck in.", "MouthDimpleLeft"),
    ("The chin pushes forward.", "The chin pushes far forward.", "JawForward"),
    ("The lip corners curl up.", "The lip corners curl up as far as they go.", "MouthSmileLeft"),
    ("A marked downturn of the mouth.", "A severe downturn of the mouth.", "MouthFrownLeft"),
])
def test_degree_phrases_grade_the_action(small: str, large: str, channel: str) -> None:
    assert v(small)[channel] < v(large)[channel]


def test_facs_shorthand_without_au_reads_as_aus() -> None:
    assert v("1+2D: the whole brow is raised")["BrowOuterUpLeft"] >= 0.6
    left = v("L12")
    assert left["MouthSmileLeft"] > 0.3 and left["MouthSmileRight"] == 0.0


def test_a_label_before_a_colon_keeps_its_side() -> None:
    p = v("Outer brow up, left: elevates the lateral tail of the left eyebrow.")
    assert p["BrowOuterUpLeft"] > 0.3 and p["BrowOuterUpRight"] < 0.05


def test_an_elided_part_keeps_its_side() -> None:
    p = v("the right lip corner is tightened and drawn inward")
    assert p["MouthDimpleRight"] > 0.2 and p["MouthDimpleLeft"] < 0.05


def test_eyes_held_on_the_camera_counter_rotate_as_the_head_turns() -> None:
    p = v("The head turns to the right while the eyes stay on the camera.")
    assert p["HeadYaw"] > 0.1 and p["LeftEyeYaw"] == pytest.approx(-p["HeadYaw"])
    assert v("The head turns to the right.")["LeftEyeYaw"] == 0.0  # without the words, the eyes go with the head


def test_worry_brows_keep_both_actions() -> None:
    p = v("The brows knit while the inner ends pull upward.")  # AU1+4
    assert p["BrowDownLeft"] > 0.1 and p["BrowInnerUp"] > 0.1


def test_a_release_beats_a_channel_moved_in_passing() -> None:
    first, second = seq("The nose wrinkles.", "The nose relaxes while the upper lip rises on the right.")
    assert second["NoseSneerRight"] <= 0.5 * first["NoseSneerRight"] + 0.05


def test_a_lone_surrogate_in_the_library_api_is_read_as_a_replacement() -> None:
    r = pose_text("the brows \udcff lift")  # bad argv bytes reach Python as lone surrogates
    assert r.values[CHANNEL_INDEX["BrowInnerUp"]] > 0.2
    assert pose_text("\ud800").values.shape == (61,)  # nothing readable: no crash in the encoder fallback


@pytest.mark.parametrize("rest", ["The face relaxes.", "Everything else relaxes.", "Her whole face relaxes."])
@pytest.mark.parametrize(("expression", "channel"), [("A frown.", "BrowDownLeft"), ("A look of surprise.", "EyeWideLeft"),
                                                     ("She smiles.", "MouthSmileLeft")])
def test_an_expression_after_the_face_relaxes_is_posed(rest: str, expression: str, channel: str) -> None:
    after = pose_text(f"{rest} {expression}", fallback=False).values
    alone = pose_text(expression, fallback=False).values
    assert alone[CHANNEL_INDEX[channel]] > 0.2
    assert after[CHANNEL_INDEX[channel]] == pytest.approx(alone[CHANNEL_INDEX[channel]], abs=0.05), (
        "the later words win over the rest asked for before them")
    before = pose_text(f"{expression} {rest}", fallback=False).values
    assert before[CHANNEL_INDEX[channel]] < 0.05, "a rest asked for after the expression still ends it"


@pytest.mark.parametrize(("text", "strong", "weak"), [
    ("A soft smile, stronger on the left.", "MouthSmileLeft", "MouthSmileRight"),
    ("a smile, a little stronger on her right side", "MouthSmileRight", "MouthSmileLeft"),
    ("the brows raise, higher on the left", "BrowOuterUpLeft", "BrowOuterUpRight"),
    ("a smile, weaker on the left", "MouthSmileRight", "MouthSmileLeft"),
])
def test_uneven_on_one_side_moves_both_sides_more_on_that_one(text: str, strong: str, weak: str) -> None:
    values = v(text)
    assert values[strong] > values[weak] > 0.05, "both sides move, the named one more"


@pytest.mark.parametrize(("text", "part", "elsewhere"), [
    ("the worry remains in her brows", "BrowInnerUp", ("MouthPressLeft", "MouthStretchLeft")),
    ("the anger stays in his eyes", "EyeSquintLeft", ("BrowDownLeft", "MouthPressLeft")),
    ("a smile lingers in her eyes", "CheekSquintLeft", ("MouthSmileLeft",)),
    ("fear flickers in his eyes", "EyeWideLeft", ("MouthStretchLeft", "BrowInnerUp")),
])
def test_an_expression_placed_in_a_part_moves_that_part_only(text: str, part: str, elsewhere: tuple[str, ...]) -> None:
    values = v(text)
    assert values[part] > 0.1
    assert all(values[n] < 0.05 for n in elsewhere), {n: values[n] for n in elsewhere}


@pytest.mark.parametrize(("text", "state", "expression"), [
    ("a wide-eyed smile", "EyeWideLeft", "MouthSmileLeft"),
    ("a big open-mouthed laugh", "JawOpen", "MouthSmileLeft"),
    ("Big open-mouth laugh", "JawOpen", "MouthSmileLeft"),
    ("a tight-lipped smile", "MouthPressLeft", "MouthSmileLeft"),
])
def test_a_compound_adjective_before_an_expression_is_a_state_beside_it(text: str, state: str,
                                                                          expression: str) -> None:
    """"a wide-eyed smile" is a smile with the eyes wide, not a smile in the eyes."""
    values = v(text)
    assert values[state] > 0.1 and values[expression] > 0.3, (values[state], values[expression])


def test_an_expression_word_replaces_the_whole_mouth_it_shapes() -> None:
    """A region the text now describes is replaced, not summed with its past: after a sneer, "a big laugh" leaves
    no raised upper lip on the mouth (the nose, which the laugh does not describe, may carry)."""
    first, second = seq("Left lip corner pulls up into a sneer.", "Big open-mouth laugh.")
    assert first["MouthUpperUpLeft"] > 0.3
    assert second["MouthUpperUpLeft"] < 0.15 and second["MouthSmileLeft"] > 0.4


@pytest.mark.parametrize(("text", "channel", "value"), [
    ("AU14 L, 60%", "MouthDimpleLeft", 0.6), ("a sneer (AU14 L, 60%)", "MouthDimpleLeft", 0.6),
    ("AU12 (60%)", "MouthSmileRight", 0.6), ("brows up, 20%.", "BrowOuterUpLeft", 0.2),
    ("AU12, 35 percent", "MouthSmileLeft", 0.35),
])
def test_an_amount_set_off_by_a_comma_or_brackets_sizes_what_it_follows(text: str, channel: str,
                                                                          value: float) -> None:
    assert v(text)[channel] == pytest.approx(value, abs=0.02)


def test_a_return_brings_back_only_the_part_it_is_said_of() -> None:
    """"the mouth returns to neutral" is not a recall of the brows the same keyframe sets at a trace."""
    _, second = seq("Bilateral AU1+4 (B). Lips compressed (AU24, C).",
                    "AU1 persists at trace level, mouth returns to neutral.")
    assert second["BrowInnerUp"] == pytest.approx(0.1, abs=0.03) and second["MouthPressLeft"] < 0.05
    _, _, third = seq("She smiles broadly.", "The smile fades.", "The smile returns.")
    assert third["MouthSmileLeft"] > 0.6, "a return of the smile takes its earlier value"


@pytest.mark.parametrize("text", ["He blinks twice, fast.", "she blinks three times"])
def test_a_counted_blink_is_a_cycle_on_open_eyes(text: str) -> None:
    anim = keyframeface.animate("A quiet room.", "calm", [text], life=False)
    key = anim.keyframes[0]
    assert key.values[CHANNEL_INDEX["EyeBlinkLeft"]] < 0.2, "the keyframe holds open eyes; the timeline blinks"
    assert [c.periods for c in key.motion.cycles if "blink" in c.name] in ([2], [3])


@pytest.mark.parametrize(("text", "kept", "denied"), [
    ("The corner of his mouth twitches - not a smile, more a verdict.", "MouthSmileLeft", "CheekSquintLeft"),
    ("The brows lift, not a frown.", "BrowOuterUpLeft", "MouthFrownLeft"),
    ("Her eyes narrow not in anger but in thought", "EyeSquintLeft", "BrowDownLeft"),
])
def test_a_negation_after_the_verb_denies_only_what_follows_it(text: str, kept: str, denied: str) -> None:
    values = v(text)
    assert values[kept] > 0.15 and values[denied] < 0.1, (values[kept], values[denied])


@pytest.mark.parametrize(("text", "cycle", "count"), [
    ("Small nod, twice.", "nod", 2), ("She shakes her head, three times.", "shake", 3),
    ("a nod, twice, then a smile", "nod", 2), ("A nod. Twice, she looks away.", "nod", None),
])
def test_a_count_set_off_after_a_cycle_counts_it(text: str, cycle: str, count: int | None) -> None:
    from keyframeface.backends.engine.manner import read_manner

    assert [c.periods for c in read_manner(text).cycles if c.name == cycle] == [count]


@pytest.mark.parametrize(("text", "channel"), [
    ("Ugly-happy crying: big smile, eyes scrunched.", "MouthSmileLeft"),
    ("Hands-over-mouth gasp energy: eyes huge, brows up.", "EyeWideLeft"),
])
def test_a_label_before_a_colon_does_not_swallow_the_actions_after_it(text: str, channel: str) -> None:
    assert v(text)[channel] > 0.4


def test_meeting_the_lens_is_a_look_not_closed_lips() -> None:
    first, second = seq("He looks off camera left.", "He meets the lens again.")
    assert first["EyeLookOutRight"] > 0.3
    assert second["EyeLookOutRight"] < 0.05 and second["EyeBlinkLeft"] < 0.05 and second["MouthClose"] < 0.05


@pytest.mark.parametrize("hold", ["He holds the stare.", "He holds the stare for two full seconds.",
                                  "The squint stays for 2 s."])
def test_holding_keeps_the_part_as_it_was(hold: str) -> None:
    """"holds the stare" keeps the narrowed eyes (it names what is kept, not a new wide stare); a length of time
    ("for two full seconds") is not a new degree."""
    first, second = seq("His eyes narrow to slits.", hold)
    assert second["EyeSquintLeft"] == pytest.approx(first["EyeSquintLeft"], abs=0.03)
    assert second["EyeWideLeft"] < 0.05


@pytest.mark.parametrize(("text", "channel", "value"), [
    ("Brows: inner up 0.6.", "BrowInnerUp", 0.6), ("Mouth corners: down 0.4.", "MouthFrownLeft", 0.4),
    ("eyes half-lidded", "EyeBlinkLeft", None), ("half-lidded eyes", "EyeBlinkLeft", None),
])
def test_spec_sheet_labels_and_lidded_compounds(text: str, channel: str, value: float | None) -> None:
    got = v(text)[channel]
    assert got == pytest.approx(value, abs=0.02) if value is not None else 0.3 < got < 0.8
    assert v(text)["BrowDownLeft"] < 0.05


@pytest.mark.parametrize("text", [
    "Only the left side of his mouth moves; the right side stays flat. He tries to smile.",
    "The right side of her mouth stays flat as she smiles.",
])
def test_one_side_kept_at_rest_holds_for_the_whole_keyframe(text: str) -> None:
    values = v(text)
    assert values["MouthSmileLeft"] > 0.3 and values["MouthSmileRight"] < 0.05


def test_a_part_that_stays_relaxed_keeps_out_of_a_later_expression() -> None:
    values = v("The brows stay relaxed. She frowns.")
    assert values["MouthFrownLeft"] > 0.3 and values["BrowDownLeft"] < 0.05


@pytest.mark.parametrize(("text", "channel", "value"), [
    ("the smile does not spread", "MouthSmileLeft", 0.0),
    ('{"Keyframe_one": {"JawOpen": 0.2, "MouthSmileLeft": 0.5}}', "JawOpen", 0.2),
    ("Smile: 0.8", "MouthSmileLeft", 0.8),
])
def test_a_value_after_a_colon_and_a_negated_expression_stay_as_written(text: str, channel: str, value: float) -> None:
    assert v(text)[channel] == pytest.approx(value, abs=0.02)
