"""The planner: counts, region-by-region wording, masks, transitions, timing words, determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import keyframeface
from keyframeface.backends.engine import scenes as scenes_module
from keyframeface.backends.engine.emotions import read_emotion
from keyframeface.backends.engine.facs import DataError
from keyframeface.backends.engine.phrases import plan_table
from keyframeface.backends.engine.plan import explain_plan, plan_details, plan_keyframes
from keyframeface.backends.engine.pose import pose_text
from keyframeface.backends.engine.scenes import load_scene_data, scene_data
from keyframeface.channels import CHANNEL_INDEX
from keyframeface.data import KeyframeSpec
from keyframeface.errors import InputError

from conftest import fixture_path

REFERENCE = fixture_path("reference", "example.jsonl")
REGION_WORDS = re.compile(r"\b(gaze|brows?|eyes?|eyelids|mouth|lips?|jaw|cheeks|nose|head|chin|face)\b")
EMOTIONS = [
    "happiness", "sadness", "surprise", "fear", "anger", "disgust", "contempt", "slightly annoyed",
    "overwhelming grief", "Anxiety concealed by a restrained smile.", "bittersweet", "happily surprised",
    "suppressed anger", "shock turning into relief", "fear, then relief, then joy", "a forced smile",
    "exhausted", "skeptical", "proud", "embarrassed", "calm", "confused and a little worried",
]


def texts(background: str, emotion: str, count: int | None = None) -> list[str]:
    return [spec.description for spec in plan_keyframes(background, emotion, count)]


@pytest.mark.parametrize("emotion", EMOTIONS)
def test_default_plan_has_two_to_six_region_descriptions(emotion):
    plan = plan_keyframes("", emotion)
    assert 2 <= len(plan) <= 6
    assert all(isinstance(spec, KeyframeSpec) for spec in plan)
    for spec in plan:
        text = spec.description
        assert REGION_WORDS.search(text.lower()), text
        assert text[0].isupper() and text.endswith(".")
        assert spec.hold is None and spec.duration is None


@pytest.mark.parametrize("count", range(1, 13))
def test_count_fixes_the_number_and_descriptions_stay_distinct(count):
    for emotion in ("anger", "Anxiety concealed by a restrained smile.", "shock turning into relief"):
        plan = texts("", emotion, count)
        assert len(plan) == count
        assert len(set(plan)) == count, plan


@pytest.mark.parametrize("bad", [0, 13, -1, 2.5, True, "3"])
def test_bad_counts_are_input_errors(bad):
    with pytest.raises(InputError) as err:
        plan_keyframes("", "anger", bad)
    assert err.value.field == "keyframes"


def test_empty_emotion_is_an_input_error():
    with pytest.raises(InputError) as err:
        plan_keyframes("A quiet room.", "  ")
    assert err.value.field == "emotion"


def test_masked_plan_shows_the_cover_smile_and_the_worried_brows():
    plan = texts("A student waits outside an interview room and tries to hide their anxiety.",
                 "Anxiety concealed by a restrained smile.")
    joined = " ".join(plan).lower()
    assert "smile" in joined and ("worried" in joined or "inner brows" in joined)
    # the leak comes first (no smile yet), then one keyframe holds the smile and the worried brows together
    assert "smile" not in plan[0].lower() and "brows" in plan[0].lower()
    assert any("smile" in t.lower() and "brows remain worried" in t.lower() for t in plan[1:])


def test_reference_example_in_two_keyframes():
    user = json.loads(REFERENCE.read_text().splitlines()[0])["messages"][1]["content"]
    background = re.search(r"Background: (.*)", user).group(1)
    emotion = re.search(r"Emotion: (.*)", user).group(1)
    first, second = (t.lower() for t in texts(background, emotion, 2))
    # the release's own plan: "gaze is lowered ... inner brows lift ... lips press", then "smile ... worried"
    assert "gaze is lowered" in first and "inner brows" in first and "lips press" in first
    assert "smile" in second and "worried" in second and "restrained" in second


def test_transition_plan_moves_from_one_phase_to_the_other():
    plan = [t.lower() for t in texts("", "shock turning into relief")]
    assert len(set(plan)) == len(plan)
    assert "brows shoot up" in plan[0] or "eyes go wide" in plan[0]
    assert "jaw" in plan[0] and "smile" not in plan[0]
    assert "smile" in plan[-1] and "jaw drops" not in plan[-1]


def test_suppressed_plan_flashes_then_controls():
    plan = [t.lower() for t in texts("", "suppressed anger")]
    assert plan[0].startswith("suddenly") and "brows" in plan[0]
    assert any("lips press together" in t for t in plan[1:])


def test_timing_words_follow_the_emotion_tempo():
    assert texts("", "surprise")[0].startswith("Suddenly")
    assert any(t.startswith("Slowly") for t in texts("", "sadness"))
    assert any(t.startswith(("Gradually", "Abruptly")) for t in texts("", "sadness, then anger"))


def test_intensity_changes_the_plan():
    assert len(plan_keyframes("", "slightly annoyed")) < len(plan_keyframes("", "overwhelming rage"))
    mild = " ".join(texts("", "slightly annoyed"))
    strong = " ".join(texts("", "overwhelming rage"))
    assert "slightly" in mild and "hard" in strong


def test_one_sided_contempt_names_a_side():
    assert any(re.search(r"\b(left|right)\b", t) for t in texts("", "contempt"))


def test_different_emotions_give_different_plans():
    plans = {tuple(texts("", e)) for e in ("happiness", "sadness", "surprise", "fear", "anger", "disgust", "contempt")}
    assert len(plans) == 7


def test_plan_is_deterministic():
    args = ("A surprise party in a dark flat.", "shock turning into relief, then joy", 5)
    assert plan_keyframes(*args) == plan_keyframes(*args)


@pytest.mark.parametrize("emotion", ["xyzzy plugh", "\U0001F600", "!!!", "the colour of Tuesday", "not angry"])
def test_unknown_words_do_not_crash(emotion):
    plan = plan_keyframes("", emotion)
    assert 2 <= len(plan) <= 6 and all(spec.description for spec in plan)


def test_background_alone_steers_an_unknown_emotion():
    joined = " ".join(texts("A funeral on a grey morning.", "xyzzy")).lower()
    assert "brows" in joined or "mouth corners turn down" in joined


def test_explain_plan_shows_reading_arc_and_beats():
    text = explain_plan("A student waits outside an interview room.", "Anxiety concealed by a restrained smile.")
    assert "anxiety (masked" in text and "happiness (shown" in text
    assert "arc: masked: leak -> cover" in text
    assert "nervous restraint" in text
    background, emotion = "A student waits outside an interview room.", "Anxiety concealed by a restrained smile."
    for spec in plan_keyframes(background, emotion):
        assert spec.description in text


# Phrasings in the style of bench/emotions_heldback.yaml: rare words, idioms, odd connectors.
RARE = [
    "crestfallen", "irate", "chuffed", "aghast", "sheepish", "woebegone", "fit to be tied", "green around the gills",
    "in a huff", "at a loss for words", "a touch irritated", "beside herself with grief", "rage-fuelled",
    "fury masquerading as calm", "relief washing over initial dread", "a brave face over heartbreak",
    "panic subsiding into exhaustion", "joy tinged with sadness", "biting back tears", "blue-eyed",
]


@pytest.mark.parametrize("emotion", RARE)
def test_rare_phrasings_plan_two_to_six_region_descriptions(emotion):
    plan = texts("", emotion)
    assert 2 <= len(plan) <= 6
    assert all(REGION_WORDS.search(text.lower()) for text in plan), plan


def test_masquerade_plan_leaks_anger_in_the_brows_under_a_cover_smile():
    plan = " ".join(texts("", "fury masquerading as calm")).lower()
    assert "brows lower" in plan or "brows knit" in plan or "brows stay knitted" in plan
    assert "smile" in plan


def test_reversed_transition_plans_the_earlier_feeling_first():
    plan = texts("", "relief washing over initial dread")
    assert "smile" not in plan[0].lower()
    assert any("smile" in text.lower() or "corners lift" in text.lower() for text in plan[1:])


# --- the scene shapes the plan (checked on the posed keyframes) ------------------------------------------------

QUIET = "A plain room with a table."  # names no scene and no feeling: the same emotion without the background


def posed(background: str, emotion: str) -> np.ndarray:
    """(keyframes, 61) values of the planned and posed animation."""
    return np.array([k.values for k in keyframeface.animate(background, emotion, life=False).keyframes])


def channel(values: np.ndarray, *names: str) -> np.ndarray:
    """Per keyframe, the mean of some channels."""
    return values[:, [CHANNEL_INDEX[n] for n in names]].mean(axis=1)


def gaze_pitch(v: np.ndarray) -> np.ndarray:
    return channel(v, "LeftEyePitch", "RightEyePitch")


def yaw(v: np.ndarray) -> np.ndarray:
    """Head or gaze yaw, whichever turns further (negative = toward the subject's left)."""
    head, gaze = channel(v, "HeadYaw"), channel(v, "LeftEyeYaw", "RightEyeYaw")
    return np.where(np.abs(head) > np.abs(gaze), head, gaze)


SCENES = [  # background, emotion, what the scene must show somewhere in the posed plan
    ("She reads a letter from her son.", "joy", "gaze down", lambda v: gaze_pitch(v).min() < -0.1),
    ("She checks her phone for a message.", "happiness", "gaze down", lambda v: gaze_pitch(v).min() < -0.1),
    ("A poker player looks at the cards in his hand.", "calm", "gaze down", lambda v: gaze_pitch(v).min() < -0.1),
    ("He looks up at the fireworks in the night sky.", "wonder", "gaze up", lambda v: gaze_pitch(v).max() > 0.1),
    ("A loud bang goes off on her left.", "fear", "turn left", lambda v: yaw(v).min() < -0.1),
    ("A door slams somewhere to his right.", "surprise", "turn right", lambda v: yaw(v).max() > 0.1),
    ("Her friend waves at her from the right.", "happiness", "turn right", lambda v: yaw(v).max() > 0.1),
    ("He bites into a lemon.", "surprise", "sour",
     lambda v: max(channel(v, "MouthPucker").max(), channel(v, "NoseSneerLeft", "NoseSneerRight").max()) > 0.3),
    ("She steps out into the glare of the midday sun.", "mild annoyance", "squint",
     lambda v: channel(v, "EyeSquintLeft", "EyeSquintRight").max() > 0.3),
    ("She yawns at her desk late at night.", "boredom", "yawn",
     lambda v: bool(np.any((channel(v, "JawOpen") > 0.5) & (channel(v, "EyeBlinkLeft", "EyeBlinkRight") > 0.3)))),
    ("He blows out the candles on his birthday cake.", "joy", "blow",
     lambda v: max(channel(v, "CheekPuff").max(), channel(v, "MouthFunnel").max()) > 0.3),
    ("She lifts the lid of the bin and smells the rotten garbage.", "surprise", "smell",
     lambda v: max(channel(v, "NoseSneerLeft", "NoseSneerRight").max(),
                   channel(v, "MouthUpperUpLeft", "MouthUpperUpRight").max()) > 0.3),
    ("He stubs his toe on the table leg.", "surprise", "wince",
     lambda v: bool(np.any((channel(v, "EyeSquintLeft", "EyeSquintRight") > 0.3)
                           & (channel(v, "BrowDownLeft", "BrowDownRight") > 0.2)))),
    ("She waits at the bus stop in the freezing cold.", "boredom", "lips pressed",
     lambda v: channel(v, "MouthPressLeft", "MouthPressRight").max() > 0.3),
    ("He sips his tea by the window.", "calm", "sip", lambda v: channel(v, "MouthPucker").max() > 0.3),
    ("Her boss is watching her during the meeting.", "anger", "masked: a smile over lowered brows",
     lambda v: bool(np.any((channel(v, "MouthSmileLeft", "MouthSmileRight") > 0.1)
                           & (channel(v, "BrowDownLeft", "BrowDownRight") > 0.1)))),
]


@pytest.mark.parametrize(("background", "emotion", "what", "shows"), SCENES, ids=[s[2] + ": " + s[0] for s in SCENES])
def test_the_scene_shows_in_the_posed_plan_and_only_because_of_the_scene(background, emotion, what, shows):
    assert shows(posed(background, emotion)), f"{what} missing: {texts(background, emotion)}"
    assert not shows(posed(QUIET, emotion)), f"{what} shows without the scene: {texts(QUIET, emotion)}"


def test_a_side_named_in_the_background_turns_the_face_that_way():
    left, right = posed("A gunshot rings out to his left.", "fear"), posed("A gunshot rings out to his right.", "fear")
    assert yaw(left).min() < -0.1 and yaw(left).max() <= 0.05
    assert yaw(right).max() > 0.1 and yaw(right).min() >= -0.05


@pytest.mark.parametrize("emotion", ["excitement hidden behind a poker face", "poker-faced dread",
                                     "nervous but keeping a poker face"])
def test_a_poker_face_shows_its_neutral_phase_after_the_leak(emotion):
    values = posed("A poker player looks at the cards in his hand.", emotion)
    shapes = values[:, :52]
    face = np.delete(shapes, [CHANNEL_INDEX[n] for n in CHANNEL_INDEX if n.startswith("EyeLook")], axis=1)
    assert face[0].max() > 0.2  # the leak: the excitement shows first
    assert any(face[i].max() < 0.1 for i in range(1, len(face)))  # then the face goes blank
    assert gaze_pitch(values[:2]).min() < -0.1  # the eyes stay on the cards


TRANSITIONS = [  # emotion, pace word of the change, what the first and the last keyframe show
    ("shock freezing into numbness", "abruptly",
     lambda v: channel(v[:1], "EyeWideLeft", "EyeWideRight")[0] > 0.3 and v[-1, :52].max() < 0.15),
    ("joy curdling into disgust", "gradually",
     lambda v: channel(v[:1], "MouthSmileLeft", "MouthSmileRight")[0] > 0.3
     and channel(v[-1:], "MouthSmileLeft", "MouthSmileRight")[0] < 0.1
     and channel(v[-1:], "NoseSneerLeft", "NoseSneerRight")[0] > 0.1),
    ("calm melting into tears", "slowly",
     lambda v: channel(v[:1], "BrowInnerUp")[0] < 0.1 and channel(v, "BrowInnerUp")[-2:].max() > 0.2),
]


@pytest.mark.parametrize(("emotion", "pace", "shows"), TRANSITIONS, ids=[t[0] for t in TRANSITIONS])
def test_transition_verbs_change_the_face_at_their_pace(emotion, pace, shows):
    plan = plan_details(QUIET, emotion)
    shift = next(k for k in plan if any(c.cue.startswith("transition:") for c in k.clauses))
    assert shift.description.lower().startswith(pace), shift.description
    values = posed(QUIET, emotion)
    assert shows(values), texts(QUIET, emotion)


@pytest.mark.parametrize("emotion", ["shock freezing into numbness", "anger hardening into resolve",
                                     "joy curdling into disgust", "calm melting into tears",
                                     "fear giving way to relief", "hope shading into worry",
                                     "irritation tipping over into rage"])
def test_any_verb_before_into_is_a_change_of_phase(emotion):
    assert read_emotion(emotion).phases == 2


def test_verbs_that_take_into_literally_are_not_a_change():
    assert read_emotion("nervous, smiling into the camera").phases == 1


# --- wording: no repeats, no contradictions, every clause explained ---------------------------------------------

CASES = [(b, e, None) for b, e, _, _ in SCENES] + [(QUIET, e, n) for e in EMOTIONS for n in (None, 5, 8)] + [
    ("A poker player looks at the cards in his hand.", "excitement hidden behind a poker face", 6),
    ("She reads the letter at her father's funeral.", "grief slowly giving way to a sad smile", 6),
    ("", "joy tinged with sadness", 4), ("", "a sad smile", 5), ("", "smiling through tears", 5),
    ("", "happy, then sad, then angry", 6), ("", "bittersweet nostalgia with a hint of a smile", 6),
]
SMILING = re.compile(r"(?:lift|form|curve|pull up|tug|break)[a-z ]*(?:smile|smirk)|smile tugs|into a[a-z ]* smirk")
FROWNING = re.compile(r"corners? (?:turn down|dip|sink|pull down|drag down)")


@pytest.mark.parametrize(("background", "emotion", "count"), CASES)
def test_no_clause_is_said_twice_and_no_description_contradicts_itself(background, emotion, count):
    plan = plan_details(background, emotion, count)
    said = [c.text.removeprefix("while ") for k in plan for c in k.clauses]
    assert len(said) == len(set(said)), [t for t in said if said.count(t) > 1]
    pieces = [p for k in plan for p in re.split(r", and |, | while ", k.description.rstrip(".").lower())]
    assert len(pieces) == len(set(pieces)), [p for p in pieces if pieces.count(p) > 1]
    for k in plan:
        regions = [c.region for c in k.clauses]
        assert len(regions) == len(set(regions)), (k.description, regions)  # one owner per face part
        text = k.description.lower()
        assert not (SMILING.search(text) and FROWNING.search(text)), text


@pytest.mark.parametrize(("background", "emotion", "count"), CASES)
def test_every_clause_carries_its_cue(background, emotion, count):
    plan = plan_details(background, emotion, count)
    assert [k.description for k in plan] == texts(background, emotion, count)
    stated = re.sub(r"\W+", " ", background.lower())
    for k in plan:
        assert k.stage in ("onset", "peak", "leak", "mask", "resolution")
        for c in k.clauses:
            assert c.text.removeprefix("while ").lower() in k.description.lower()
            kind, _, what = c.cue.partition(": ")
            assert kind in ("scene", "emotion", "transition", "arc") and what, c.cue
            if kind == "scene":  # names the background's own word: "scene: reading (letter)"
                word = re.search(r"\((.+)\)$", what).group(1)
                assert re.search(rf"\b{re.escape(word)}", stated), (c.cue, background)
    if any(b == background for b, _, _, _ in SCENES):
        assert any(c.cue.startswith("scene:") for k in plan for c in k.clauses), background


def test_explain_plan_names_each_clause_and_its_cue():
    text = explain_plan("He bites into a lemon.", "surprise")
    assert "scene: a sour taste from 'lemon'" in text
    for k in plan_details("He bites into a lemon.", "surprise"):
        for c in k.clauses:
            assert f"{c.text!r} [{c.region}] <- {c.cue}" in text


def test_a_social_presence_masks_a_negative_feeling_but_not_a_happy_one():
    reading = explain_plan("Her boss is watching her during the meeting.", "anger")
    assert "anger (masked" in reading and "social presence: a boss watching" in reading
    assert "arc: masked" in reading
    assert "arc: felt" in explain_plan("Her boss is watching her during the meeting.", "joy")


# --- the scene data ----------------------------------------------------------------------------------------------

REGION_CHANNELS = {
    "gaze": ("EyeLook", "EyePitch", "EyeYaw"), "head": ("Head",), "brows": ("Brow",),
    "eyes": ("EyeBlink", "EyeWide", "EyeSquint"), "nose": ("NoseSneer",), "cheeks": ("Cheek",),
    "corners": ("MouthSmile", "MouthFrown"), "lips": ("MouthPress", "MouthPucker", "MouthFunnel", "MouthStretch",
                                                       "MouthClose", "MouthRoll"),
    "upper": ("MouthUpperUp",), "chin": ("MouthShrug",), "jaw": ("JawOpen", "JawForward"), "tongue": ("TongueOut",),
}
SCENE_CLAUSES = [(cue.name, clause, clause.text.format(thing=cue.words[0], side="left", pos="her"))
                 for cue in scene_data().scenes for clause in cue.clauses if clause.stages - {"resolution"}]


@pytest.mark.parametrize(("name", "clause", "text"), SCENE_CLAUSES, ids=[f"{n}: {t}" for n, _, t in SCENE_CLAUSES])
def test_every_scene_clause_poses_the_part_it_owns(name, clause, text):
    values = pose_text(text, fallback=False).values
    moved = [n for n, x in zip(CHANNEL_INDEX, values) if abs(x) >= 0.1]
    assert any(n.startswith(prefix) or prefix in n for n in moved for prefix in REGION_CHANNELS[clause.regions[0]]), \
        (text, moved)


def test_emotion_phrasings_in_one_pool_pose_alike():
    for key, row in plan_table().phrases.rows.items():
        for pool in row.tiers:
            first = pose_text(pool[0].format(side="left"), fallback=False).values
            lead = int(np.argmax(np.abs(first)))
            for other in pool[1:]:
                values = pose_text(other.format(side="left"), fallback=False).values
                assert abs(values[lead]) >= 0.5 * abs(first[lead]) > 0, (key, pool[0], other)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (Path(scenes_module.__file__).parent / "data" / "scenes.yaml").read_text()
    assert old in text
    path = tmp_path / "scenes.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(("old", "new", "key"), [
    ("stage: [onset, leak], region: gaze", "stage: [onset, lurk], region: gaze", "scenes[0] (reading).clauses[0]"),
    ("stage: [onset, leak], region: gaze", "stage: [onset, leak], region: elbow", "scenes[0] (reading).clauses[0]"),
    ("in {pos} hands", "in {whose} hands", "scenes[0] (reading).clauses[0].text"),
    ("mask: happiness:0.35", "mask: glee:0.35", ".mask"),
    ("mask: happiness:0.35", "mask: happiness:7", ".mask"),
    ("freeze: {pace: sudden", "freeze: {pace: glacial", "transitions.freeze"),
])
def test_bad_scene_data_is_refused_naming_file_and_key(tmp_path, old, new, key):
    with pytest.raises(DataError) as err:
        load_scene_data(_broken(tmp_path, old, new))
    assert "scenes.yaml" in str(err.value) and key in str(err.value)


def test_the_shipped_scene_data_loads_into_frozen_structures():
    data = scene_data()
    assert len(data.scenes) >= 15
    with pytest.raises(AttributeError):
        data.scenes[0].name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        data.transitions["freeze"] = data.transitions["melt"]  # type: ignore[index]


@pytest.mark.parametrize("background", ["She is a bright student.", "He presses the button twice.",
                                        "She is sound asleep on the sofa.", "They watch the World Cup final.",
                                        "A cold stare from her rival.", "Her late father's old house."])
def test_words_that_only_look_like_a_scene_plan_no_scene(background):
    plan = plan_details(background, "surprise")
    assert not [c.cue for k in plan for c in k.clauses if c.cue.startswith("scene:")]


def test_one_word_can_name_two_scenes():
    values = posed("A gunshot rings out to his left.", "fear")  # a startle (a hard blink) and a turn toward it
    assert channel(values, "EyeBlinkLeft", "EyeBlinkRight").max() > 0.5 and yaw(values).min() < -0.1
    assert channel(posed(QUIET, "fear"), "EyeBlinkLeft", "EyeBlinkRight").max() < 0.5


def test_an_unnamed_event_at_a_named_side_turns_the_head_toward_it() -> None:
    # the scene table has no word for the event itself; the named side alone orients the face
    anim = keyframeface.animate("At her desk, she hears something odd happen behind her to the right.", "Alarm.",
                                life=False)
    yaw = [float(k.values[CHANNEL_INDEX["HeadYaw"]]) + float(k.values[CHANNEL_INDEX["LeftEyeYaw"]])
           for k in anim.keyframes]
    assert max(yaw) > 0.1
    plain = keyframeface.animate("At her desk, she hears something odd happen.", "Alarm.", life=False)
    assert max(abs(float(k.values[CHANNEL_INDEX["HeadYaw"]])) for k in plain.keyframes) < 0.1


def test_inflected_scene_words_name_the_scene() -> None:
    from keyframeface.backends.engine.scenes import read_scenes

    assert any(m.cue.name == "a sound to one side" for m in read_scenes("glass shattering on his left"))
    assert any(m.cue.name == "small print" for m in read_scenes("She squints at the tiny print on a bottle."))
