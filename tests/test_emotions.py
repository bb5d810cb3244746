"""The emotion model: EMFACS priors, intensity, masks, transitions, synonyms, cues, fallbacks."""

from __future__ import annotations

import numpy as np
import pytest

from keyframeface.backends.engine.emotions import (
    PROTOTYPES,
    ROLES,
    TEMPO,
    VALENCE,
    emotion_prior,
    facs_vector,
    read_emotion,
)
from keyframeface.channels import CHANNEL_INDEX, HIGH, LOW
from keyframeface.errors import InputError


def prior(emotion: str, background: str = "", position: float | None = None) -> dict[str, float]:
    values, _ = emotion_prior(read_emotion(emotion, background), position)
    return {name: float(values[i]) for name, i in CHANNEL_INDEX.items()}


def both(p: dict[str, float], base: str) -> float:
    """Mean of a sided channel pair."""
    return (p[base + "Left"] + p[base + "Right"]) / 2


# --- EMFACS prototypes -------------------------------------------------------------------


def test_happiness_is_cheek_raise_and_lip_corner_pull():
    p = prior("happiness")
    assert both(p, "MouthSmile") > 0.3 and both(p, "CheekSquint") > 0.2
    assert both(p, "BrowDown") < 0.05 and both(p, "MouthFrown") == 0


def test_sadness_is_inner_brow_raise_and_lip_corner_depressor():
    p = prior("sadness")
    assert p["BrowInnerUp"] > 0.2 and both(p, "MouthFrown") > 0.2
    assert both(p, "MouthSmile") == 0


def test_surprise_raises_all_brows_widens_eyes_drops_jaw():
    p = prior("surprise")
    assert both(p, "BrowOuterUp") > 0.2 and p["BrowInnerUp"] > 0.2
    assert both(p, "EyeWide") > 0.2 and p["JawOpen"] > 0.15
    assert both(p, "BrowDown") == 0


def test_fear_raises_inner_brows_widens_eyes_stretches_lips():
    p = prior("fear")
    assert p["BrowInnerUp"] > 0.2 and both(p, "EyeWide") > 0.2 and both(p, "MouthStretch") > 0.2
    assert both(p, "MouthSmile") == 0


def test_anger_lowers_brows_and_presses_lips():
    p = prior("anger")
    assert both(p, "BrowDown") > 0.3 and both(p, "MouthPress") > 0.2
    assert both(p, "EyeSquint") > 0.1 or both(p, "EyeWide") > 0.1
    assert p["BrowInnerUp"] == 0 and both(p, "MouthSmile") == 0


def test_disgust_wrinkles_nose_and_raises_upper_lip():
    p = prior("disgust")
    assert both(p, "NoseSneer") > 0.3 and both(p, "MouthUpperUp") > 0.3


def test_contempt_is_one_sided():
    p = prior("contempt")
    assert abs(p["MouthSmileLeft"] - p["MouthSmileRight"]) > 0.1
    assert abs(p["MouthDimpleLeft"] - p["MouthDimpleRight"]) > 0.1


def test_prototypes_are_in_range_and_labels_complete():
    for label, channels in PROTOTYPES.items():
        assert label in VALENCE and TEMPO[label] in ("fast", "medium", "slow")
        for name, value in channels.items():
            i = CHANNEL_INDEX[name]
            assert LOW[i] <= value <= HIGH[i], (label, name, value)
    for label in ("happily surprised", "fearfully angry", "awe", "appalled", "hatred", "anxiety", "worry",
                  "relief", "embarrassment", "shame", "pride", "tenderness", "amusement", "boredom",
                  "confusion", "concentration", "determination", "pain", "exhaustion", "skepticism",
                  "curiosity", "nostalgia", "bittersweet", "jealousy", "guilt", "hope", "awkwardness",
                  "calm", "neutral"):
        assert label in PROTOTYPES


def test_du_et_al_compounds_use_their_action_units():
    # happily surprised 1+2+12+25; appalled 4+9+10 (Du, Tao & Martinez 2014)
    hs = PROTOTYPES["happily surprised"]
    assert hs["BrowInnerUp"] > 0 and hs["BrowOuterUpLeft"] > 0 and hs["MouthSmileLeft"] > 0
    ap = PROTOTYPES["appalled"]
    assert ap["BrowDownLeft"] > 0 and ap["NoseSneerLeft"] > 0 and ap["MouthUpperUpLeft"] > 0
    assert "MouthSmileLeft" not in ap


def test_facs_vector_sides_and_pose_signs():
    v = facs_vector("R12C+54B+61B")
    assert v[CHANNEL_INDEX["MouthSmileRight"]] > 0 and v[CHANNEL_INDEX["MouthSmileLeft"]] == 0
    assert v[CHANNEL_INDEX["HeadPitch"]] < 0  # head down: pitch positive = up
    assert v[CHANNEL_INDEX["LeftEyeYaw"]] < 0 and v[CHANNEL_INDEX["EyeLookOutLeft"]] > 0  # eyes to subject's left
    with pytest.raises(ValueError):
        facs_vector("99C")


def test_prior_shape_range_and_explanations():
    values, contributions = emotion_prior(read_emotion("fear"))
    assert values.shape == (61,)
    assert np.all(values >= LOW) and np.all(values <= HIGH)
    rules = {c.rule for c in contributions}
    assert "emotion prior: fear (AU1+2+4+5+7+20+26)" in rules
    assert {c.channel for c in contributions} >= {"BrowInnerUp", "EyeWideLeft", "MouthStretchRight"}
    assert all(c.words == "fear" for c in contributions)


# --- intensity ---------------------------------------------------------------------------


def test_intensity_words_order_the_reading_and_the_prior():
    words = ["a hint of anger", "slightly angry", "angry", "very angry", "utterly furious"]
    intensities = [read_emotion(w).parts[0].intensity for w in words]
    assert all(read_emotion(w).parts[0].label == "anger" for w in words)
    assert intensities == sorted(intensities) and len(set(intensities)) == len(intensities)
    brow = [both(prior(w), "BrowDown") for w in words]
    assert brow == sorted(brow)


def test_word_strength_without_modifiers():
    assert read_emotion("annoyed").parts[0].intensity < read_emotion("furious").parts[0].intensity
    assert read_emotion("uneasy").parts[0].intensity < read_emotion("terrified").parts[0].intensity
    assert read_emotion("overwhelming grief").parts[0].intensity > read_emotion("mild sadness").parts[0].intensity


# --- masks, suppression, blends -----------------------------------------------------------


def test_masked_anxiety_under_a_restrained_smile():
    r = read_emotion("Anxiety concealed by a restrained smile.")
    roles = {p.label: p.role for p in r.parts}
    assert roles == {"anxiety": "masked", "happiness": "shown"}
    p, felt = prior("Anxiety concealed by a restrained smile."), prior("anxiety")
    assert both(p, "MouthSmile") > 0.15  # the cover owns the mouth
    assert p["BrowInnerUp"] > 0.1  # the leak stays in the brows
    assert p["BrowInnerUp"] < felt["BrowInnerUp"]  # ... at lower intensity than felt anxiety
    assert both(p, "MouthStretch") < both(felt, "MouthStretch")


@pytest.mark.parametrize("text, hidden, cover", [
    ("grief hidden behind a polite smile", "sadness", "happiness"),
    ("fear masked by a grin", "fear", "happiness"),
    ("a smile hiding deep sadness", "sadness", "happiness"),
    ("smiling through tears", "sadness", "happiness"),
    ("sad but smiling", "sadness", "happiness"),
    ("terrified, trying to hide it behind a smile", "fear", "happiness"),
    ("hiding his nerves behind a grin", "anxiety", "happiness"),
    ("Outwardly calm, inwardly panicking", "fear", "calm"),
    ("calm on the surface, anxious underneath", "anxiety", "calm"),
    ("seething rage behind a polite mask", "anger", "composure"),
    ("proud but trying to look humble", "pride", "composure"),
    ("heartbroken but composed", "sadness", "composure"),
    ("nervous laughter", "anxiety", "amusement"),
    ("a sad smile", "sadness", "happiness"),
    ("fighting back tears while smiling", "sadness", "happiness"),
    ("putting on a brave face", "worry", "composure"),
])
def test_mask_grammar(text, hidden, cover):
    roles = {(p.label, p.role) for p in read_emotion(text).parts}
    assert all(role in ROLES for _, role in roles)
    assert (hidden, "masked") in roles and (cover, "shown") in roles


def test_trying_to_hide_without_a_cover_shows_composure():
    r = read_emotion("trying to hide their anxiety")
    assert ("anxiety", "masked") in {(p.label, p.role) for p in r.parts}
    assert all(p.role != "felt" for p in r.parts)


def test_suppressed_anger_leaks_less_and_presses_the_lips():
    r = read_emotion("suppressed anger")
    assert [(p.label, p.role) for p in r.parts] == [("anger", "suppressed")]
    assert read_emotion("anger, barely contained").parts[0].role == "suppressed"
    p, felt = prior("suppressed anger"), prior("anger")
    assert 0 < both(p, "BrowDown") < both(felt, "BrowDown")
    assert both(p, "MouthPress") > 0.2 and p["MouthShrugLower"] > 0


@pytest.mark.parametrize("text, label", [
    ("trying not to cry", "sadness"), ("fighting the urge to laugh", "amusement"),
    ("struggling to keep a straight face", "amusement"), ("holding back tears", "sadness"),
    ("restrained pride", "pride"), ("barely contained excitement", "excitement"),
])
def test_held_back_feelings_are_suppressed(text, label):
    assert (label, "suppressed") in {(p.label, p.role) for p in read_emotion(text).parts}


def test_feigned_emotions_are_shown_at_full_strength():
    r = read_emotion("mock surprise")
    assert [(p.label, p.role) for p in r.parts] == [("surprise", "shown")]
    assert prior("mock surprise")["BrowInnerUp"] == pytest.approx(prior("surprise")["BrowInnerUp"])
    roles = {(p.label, p.role) for p in read_emotion("forced cheerfulness").parts}
    assert ("happiness", "shown") in roles and ("anxiety", "masked") in roles


def test_forced_smile_is_a_false_smile():
    r = read_emotion("a forced smile")
    assert ("happiness", "shown") in {(p.label, p.role) for p in r.parts}
    forced, genuine = prior("a forced smile"), prior("a smile")
    assert both(forced, "CheekSquint") < 0.5 * both(genuine, "CheekSquint")  # no AU6 in a false smile
    assert both(forced, "MouthSmile") > 0.2


def test_restrained_smile_is_a_smaller_smile_not_a_suppression():
    r = read_emotion("a restrained smile")
    assert r.parts[0].role == "felt"
    assert r.parts[0].intensity < read_emotion("a smile").parts[0].intensity


def test_blends_keep_both_parts_in_one_phase():
    for text in ("joy mixed with sadness", "happy and nervous", "anger with a hint of disgust"):
        r = read_emotion(text)
        assert r.phases == 1 and len(r.parts) == 2 and all(p.role == "felt" for p in r.parts), text
    r = read_emotion("anger with a hint of disgust")
    assert r.parts[1].intensity < r.parts[0].intensity
    p = prior("bittersweet")
    assert both(p, "MouthSmile") > 0.1 and p["BrowInnerUp"] > 0.1


def test_adjacent_basic_emotions_name_a_compound():
    assert read_emotion("happily surprised").labels == ("happily surprised",)
    assert read_emotion("angrily disgusted").labels == ("angrily disgusted",)
    p = prior("happily surprised")
    assert both(p, "MouthSmile") > 0.2 and both(p, "BrowOuterUp") > 0.2


# --- transitions -------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "shock turning into relief", "shock, then relief", "shock gives way to relief", "from shock to relief",
    "shock, followed by relief", "shock before relief", "shock fading into relief", "shock melting into relief",
    "relief after the shock", "shock -> relief",
])
def test_transition_markers(text):
    r = read_emotion(text)
    assert r.phases == 2
    assert [(p.label, p.phase) for p in r.parts] == [("shock", 0), ("relief", 1)]


def test_position_picks_the_phase():
    start, end, whole = (prior("shock turning into relief", position=x) for x in (0.0, 1.0, None))
    relief, shock = prior("relief"), prior("shock")
    assert end["JawOpen"] == pytest.approx(relief["JawOpen"]) and both(end, "MouthSmile") > 0.1
    assert start["JawOpen"] == pytest.approx(shock["JawOpen"]) and both(start, "MouthSmile") == 0
    assert start["JawOpen"] > whole["JawOpen"] > end["JawOpen"]  # whole: blend, first phase dominant
    assert whole["JawOpen"] > 0.5 * start["JawOpen"]
    # four keyframes over a two-phase emotion: A, mostly A, mostly B, B; the midpoint is an even blend
    jaws = [prior("shock turning into relief", position=x)["JawOpen"] for x in (0, 1 / 3, 0.5, 2 / 3, 1)]
    assert jaws == sorted(jaws, reverse=True)
    assert jaws[1] > 0.85 * jaws[0] and jaws[3] < jaws[4] + 0.15 * (jaws[0] - jaws[4])
    assert jaws[2] == pytest.approx((jaws[0] + jaws[4]) / 2)


def test_three_phases():
    r = read_emotion("fear, then relief, then joy")
    assert r.phases == 3 and r.labels == ("fear", "relief", "happiness")
    middle = prior("fear, then relief, then joy", position=0.5)
    assert middle == prior("relief", position=None)


# --- vocabulary --------------------------------------------------------------------------


@pytest.mark.parametrize("label, words", [
    ("anger", "angry anger furious rage irritated annoyed livid indignant irate enraged angrily fuming"),
    ("sadness", "sad sorrow grief melancholy heartbroken mournful sadness sadly unhappy heart-broken tearful"),
    ("fear", "scared afraid terrified panic frightened fearful fearfully petrified paralysed panicking"),
    ("happiness", "happy joy joyful delighted elated cheerful happily happiness light-hearted ebullient chuffed"),
    ("surprise", "surprised astonished amazed startled stunned astonishment"),
    ("disgust", "disgusted disgust revolted repulsed nauseated disgustedly"),
    ("contempt", "contempt scornful disdainful contemptuous smirking"),
    ("anxiety", "anxious nervous nervously nervousness uneasy jittery tense apprehensive"),
    ("pain", "agonised agonized wincing pain"),
    ("skepticism", "sceptical skeptical doubtful"),
    ("boredom", "bored blasé Bored apathetic"),
    ("embarrassment", "embarrassed sheepish blushing mortified"),
    ("tenderness", "loving tender affectionate adoring"),
])
def test_synonyms_and_word_forms_map_to_one_label(label, words):
    for word in words.split():
        assert read_emotion(word).parts[0].label == label, word


def test_idioms_british_and_comparative_forms():
    assert read_emotion("bored to tears").labels == ("boredom",)
    assert read_emotion("over the moon").labels == ("happiness",)
    assert read_emotion("gutted").labels == ("sadness",)
    assert read_emotion("chuffed").labels == ("happiness",)
    assert read_emotion("sadder and sadder").labels == ("sadness",)
    assert read_emotion("growing angrier").labels == ("anger",)
    assert read_emotion("lost in thought").labels == ("concentration",)
    assert read_emotion("Grief-stricken").labels == ("sadness",)


def test_misspellings_and_emoji():
    assert read_emotion("suprised").labels == ("surprise",)
    assert read_emotion("anxous").labels == ("anxiety",)
    assert read_emotion("\U0001F600 then \U0001F622").labels == ("happiness", "sadness")


def test_negation_drops_the_emotion():
    assert "anger" not in read_emotion("not angry").labels
    assert read_emotion("not angry").labels == ("neutral",)
    assert read_emotion("no longer afraid, relieved").labels == ("relief",)
    assert "fear" not in read_emotion("calm, without fear").labels
    assert read_emotion("not happy").labels == ("disappointment",)  # a denied good feeling


# --- background cues and fallbacks --------------------------------------------------------


def test_background_cues_are_found_and_only_nudge():
    r = read_emotion("anxiety", "A student waits outside an interview room.")
    assert any("nervous restraint" in c for c in r.cues)
    nudged, plain = prior("anxiety", "A student waits outside an interview room."), prior("anxiety")
    assert max(abs(nudged[k] - plain[k]) for k in plain) < 0.25


@pytest.mark.parametrize("background, cue", [
    ("At her grandfather's funeral.", "grief"), ("A surprise party in a dark flat.", "surprise then joy"),
    ("He opens the letter with his exam results.", "awaited result"),
    ("A child gives her mother a drawing.", "tenderness"),
    ("A heated argument with his brother.", "conflict"), ("She lost her job this morning.", "loss"),
    ("A horror film at midnight.", "threat"), ("He proposes on the beach.", "joy"),
])
def test_background_cue_table(background, cue):
    assert any(cue in c for c in read_emotion("calm", background).cues), read_emotion("calm", background).cues


@pytest.mark.parametrize("background", ["She wakes up late.", "The smell of coffee fills the kitchen.",
                                        "He won't talk about it.", "A woman in a blue dress crosses the road."])
def test_background_without_cues(background):
    assert read_emotion("calm", background).cues == ()


def test_cues_never_contradict_the_stated_emotion():
    r = read_emotion("joy", "at a funeral")
    assert any("funeral" in c for c in r.cues)
    assert "sadness" not in {p.label for p in r.context}
    assert both(prior("joy", "at a funeral"), "MouthFrown") == 0
    assert "happily surprised" in {p.label for p in read_emotion("surprise", "a surprise party").context}


def test_feelings_named_in_the_background_are_cues():
    r = read_emotion("xyzzy", "She tries to hide her anxiety from the others.")
    assert "anxiety" in r.labels
    assert not any("anger" in c for c in read_emotion("calm", "He crosses the road in a blue coat.").cues)


def test_unknown_words_fall_back_without_crashing():
    r = read_emotion("blorfish quandle")
    assert r.labels == ("neutral",) and r.phases == 1
    values, _ = emotion_prior(r)
    assert np.all(values >= LOW) and np.all(values <= HIGH)
    with_context = read_emotion("blorfish", "a funeral in the rain")
    assert "sadness" in with_context.labels  # leans on the background
    assert read_emotion("!!!").labels == ("neutral",)


@pytest.mark.parametrize("empty", ["", "   ", "\n"])
def test_empty_emotion_is_an_input_error(empty):
    with pytest.raises(InputError) as err:
        read_emotion(empty)
    assert err.value.field == "emotion"


def test_reading_is_deterministic():
    text = "quiet grief hidden behind a polite smile, then relief"
    assert read_emotion(text, "a funeral") == read_emotion(text, "a funeral")
    a, b = prior(text, "a funeral"), prior(text, "a funeral")
    assert a == b


# --- generalisation: rarer words, compounds, connectors (bench/emotions_heldback.yaml) ----


def dominant(text: str) -> str:
    """The label of the strongest part of the first phase."""
    return max(read_emotion(text).phase_parts(0), key=lambda p: p.intensity).label


@pytest.mark.parametrize("text, labels", [
    ("rage-fuelled", {"anger"}), ("sorrow-laden", {"sadness"}), ("panic-struck", {"fear"}),
    ("guilt-ridden", {"guilt"}), ("sad-eyed", {"sadness"}), ("angry-looking", {"anger"}),
])
def test_hyphenated_compound_reads_its_feeling_head(text, labels):
    assert dominant(text) in labels


def test_compound_with_an_ambiguous_head_is_not_an_emotion():
    assert read_emotion("blue-eyed").labels == ("neutral",)  # a colour, not sadness


@pytest.mark.parametrize("text, label", [
    ("lugubrious", "sadness"), ("disconsolate", "sadness"), ("irascible", "anger"), ("tetchy", "anger"),
    ("jocund", "happiness"), ("chirpy", "happiness"), ("flummoxed", "confusion"), ("cowed", "fear"),
    ("twitchy", "anxiety"), ("snooty", "contempt"), ("unruffled", "calm"), ("dog tired", "exhaustion"),
    ("hopping mad", "anger"), ("in the doldrums", "sadness"), ("on tenterhooks", "anxiety"),
])
def test_rarer_synonyms_and_idioms(text, label):
    assert dominant(text) == label


@pytest.mark.parametrize("text, label", [
    ("shaking in his boots", "fear"), ("sick to his stomach", "disgust"), ("rolling their eyes", "contempt"),
    ("a weight off his shoulders", "relief"), ("jumped out of her skin", "surprise"),
])
def test_idioms_with_any_pronoun(text, label):
    assert dominant(text) == label


def test_sneer_is_contempt_and_one_sided():
    p = prior("sneering")
    assert read_emotion("a sneer").labels == ("contempt",)
    assert p["MouthDimpleLeft"] > p["MouthDimpleRight"] + 0.1


@pytest.mark.parametrize("text, hidden, shown", [
    ("grief disguised as indifference", "sadness", "boredom"),
    ("panic posing as nonchalance", "fear", "calm"),
])
def test_posing_as_is_a_mask(text, hidden, shown):
    parts = {(p.label, p.role) for p in read_emotion(text).parts}
    assert (hidden, "masked") in parts and (shown, "shown") in parts


def test_mask_leaks_in_the_brows_while_the_cover_owns_the_mouth():
    masked = prior("rage disguised as calm")
    assert both(masked, "BrowDown") > 0.2  # the leak
    assert both(masked, "MouthSmile") > both(prior("rage"), "MouthSmile")  # the calm cover


def test_brave_face_over_a_named_feeling_masks_that_feeling():
    parts = {(p.label, p.role) for p in read_emotion("putting on a brave face despite the grief").parts}
    assert ("sadness", "masked") in parts and ("composure", "shown") in parts
    assert "worry" not in {label for label, _ in parts}


@pytest.mark.parametrize("text, first, last", [
    ("calm replacing the panic", "fear", "calm"),
    ("joy chasing away the gloom", "sadness", "happiness"),
    ("relief in the wake of terror", "fear", "relief"),
    ("worry ebbing into calm", "worry", "calm"),
    ("boredom tipping over into irritation", "boredom", "anger"),
    ("shyness blossoming into delight", "embarrassment", "happiness"),
    ("fear shifting towards hope", "fear", "hope"),
    ("anger seeping into resignation", "anger", "resignation"),
])
def test_transition_connectors_keep_the_order(text, first, last):
    r = read_emotion(text)
    assert r.phases == 2
    assert first in {p.label for p in r.phase_parts(0)} and last in {p.label for p in r.phase_parts(1)}


def test_biting_back_suppresses():
    assert {(p.label, p.role) for p in read_emotion("biting back tears").parts} == {("sadness", "suppressed")}


def test_colloquial_intensity_words_scale_in_order():
    def level(text: str) -> float:
        return read_emotion(text).parts[0].intensity

    assert level("a tad annoyed") < level("annoyed") < level("seriously annoyed")
    assert level("a touch nervous") < level("nervous") < level("insanely nervous")
    assert dominant("bitterly disappointed") == "disappointment"  # an intensifier, not bitterness
    assert level("bitterly disappointed") > level("disappointed")
    assert dominant("madly in love") == "tenderness"  # not anger


@pytest.mark.parametrize("text, label", [
    ("his heart sank", "disappointment"), ("her face fell", "disappointment"), ("heart pounding", "anxiety"),
    ("a knot in his stomach", "anxiety"), ("her blood ran cold", "fear"), ("his eyes lit up", "happiness"),
    ("my heart leapt", "happiness"),
])
def test_bodily_idioms_stand_for_the_feeling(text, label):
    assert dominant(text) == label


@pytest.mark.parametrize("text, label", [
    ("speechless with fury", "anger"), ("shaking with laughter", "amusement"), ("weak with relief", "relief"),
    ("green with envy", "jealousy"), ("pale with fear", "fear"), ("sobbing with relief", "relief"),
    ("tears of gratitude", "gratitude"),
])
def test_state_with_feeling_reads_the_feeling(text, label):
    r = read_emotion(text)
    assert r.labels == (label,)  # the trembling / speechlessness / tears are how it shows, not a second feeling
    assert r.parts[0].intensity >= 0.6


@pytest.mark.parametrize("text, label", [
    ("yay", "happiness"), ("wow", "surprise"), ("ugh", "frustration"), ("meh", "boredom"), ("ouch", "pain"),
])
def test_interjections(text, label):
    assert dominant(text) == label


@pytest.mark.parametrize("text, hidden", [
    ("cheerful on the outside, crumbling inside", "sadness"),
    ("smiling through gritted teeth", "frustration"),
    ("disdain behind a courteous nod", "contempt"),
])
def test_outside_inside_and_cover_nouns_make_masks(text, hidden):
    roles = {p.role for p in read_emotion(text).parts}
    assert (hidden, "masked") in {(p.label, p.role) for p in read_emotion(text).parts} and "shown" in roles


def test_about_to_explode_is_contained_anger():
    assert {(p.label, p.role) for p in read_emotion("about to blow a fuse").parts} == {("anger", "suppressed")}


@pytest.mark.parametrize("text, hidden, shown", [
    ("rage wearing a mask of calm", "anger", "calm"),
    ("sorrow cloaked in a smile", "sadness", "happiness"),
    ("grief under a veneer of cheer", "sadness", "happiness"),
])
def test_mask_of_and_cloaked_in_make_masks(text, hidden, shown):
    parts = {(p.label, p.role) for p in read_emotion(text).parts}
    assert (hidden, "masked") in parts and (shown, "shown") in parts


@pytest.mark.parametrize("text, first, last", [
    ("irritation and afterwards guilt", "anger", "guilt"),
    ("dread mounting to terror", "dread", "fear"),
    ("tension releasing into laughter", "anxiety", "amusement"),
    ("hope that turns sour", "hope", "disappointment"),
    ("amusement that fades", "amusement", "neutral"),
])
def test_more_transition_wordings(text, first, last):
    r = read_emotion(text)
    assert r.phases == 2
    assert first in {p.label for p in r.phase_parts(0)} and last in {p.label for p in r.phase_parts(1)}


def test_scene_phrases_that_look_like_feelings_are_not_background_cues():
    r = read_emotion("calm", "she puts out the candle and sips a steaming cup of tea in a run down kitchen")
    assert r.cues == () and r.context == ()


@pytest.mark.parametrize("text, label", [
    ("frantic", "fear"), ("hyped", "excitement"), ("hangry", "anger"), ("tongue-tied", "embarrassment"),
    ("she went bright red", "embarrassment"), ("in two minds", "confusion"), ("betrayed", "sadly angry"),
])
def test_more_everyday_feeling_words(text, label):
    assert dominant(text) == label


@pytest.mark.parametrize("emotion", ["pride shadowed by loss", "a sense of loss", "quiet bereavement"])
def test_loss_and_bereavement_read_as_sadness(emotion: str) -> None:
    from keyframeface.backends.engine.emotion_reader import read_emotion

    assert "sadness" in read_emotion(emotion).labels
