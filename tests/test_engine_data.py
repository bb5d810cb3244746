"""The engine's data files: the one FACS table and the vocabulary load, validate, and agree with each other."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from keyframeface.backends.engine import emotion_data, emotions, facs, lexicon, text
from keyframeface.backends.engine.pose import pose_text
from keyframeface.channels import CHANNEL_INDEX, CHANNELS

DATA = Path(facs.__file__).with_name("data")


def posed(description: str) -> dict[str, float]:
    """Channel -> value the pose engine gives a description (no emotion)."""
    return {n: float(x) for n, x in zip(CHANNELS, pose_text(description, "", "").values)}


# --- the FACS table --------------------------------------------------------------------------

def test_scale_rises_from_trace_to_maximum_and_plain_is_marked() -> None:
    scale = facs.table().scale
    values = [scale[k] for k in "ABCDE"]
    assert values == sorted(values) and len(set(values)) == 5
    assert 0.05 <= scale["A"] <= 0.2 and scale["E"] == pytest.approx(1.0)
    assert lexicon.PLAIN == scale["C"]  # an unqualified action is FACS C


def test_every_channel_in_the_table_is_an_arkit_channel() -> None:
    for unit in facs.table().units.values():
        for name in unit.channels:
            assert all(n in CHANNEL_INDEX for n in facs._channel_names(name)) and facs._channel_names(name)


def test_typed_au_and_emotion_prior_agree_on_jaw_drop() -> None:
    typed = posed("AU26")["JawOpen"]
    prior = facs.facs_vector("26C")[CHANNEL_INDEX["JawOpen"]]
    assert typed == pytest.approx(prior, abs=1e-6)
    assert 0.1 < typed < 0.6  # a marked jaw drop, not a gape


def test_eye_closure_is_full_when_unqualified_and_graded_with_a_letter() -> None:
    assert facs.au_channels(43)["EyeBlinkLeft"] == pytest.approx(1.0)
    assert facs.au_channels(45)["EyeBlinkRight"] == pytest.approx(1.0)
    assert facs.au_channels(43, "B")["EyeBlinkLeft"] < 0.5
    assert posed("AU43")["EyeBlinkLeft"] > 0.9


def test_levels_order_every_au() -> None:
    for number in facs.table().units:
        sizes = [sum(abs(x) for x in facs.au_channels(number, letter).values()) for letter in "ABCDE"]
        assert sizes == sorted(sizes) and sizes[0] < sizes[-1], number


def test_sides_wink_and_jaw_sideways_default_to_one_side() -> None:
    right = facs.au_channels(12, "C", "R")
    assert set(right) == {"MouthSmileRight"}
    assert set(facs.au_channels(46)) == {"EyeBlinkLeft"}
    assert set(facs.au_channels(30, "C", "R")) == {"JawRight"}
    assert len(facs.au_channels(30)) == 1


def test_facs_vector_is_the_one_emotions_uses_and_rejects_unknown_codes() -> None:
    assert emotions.facs_vector is facs.facs_vector
    v = facs.facs_vector("1C+R12B+64A")
    assert v.shape == (61,)
    assert v[CHANNEL_INDEX["BrowInnerUp"]] == pytest.approx(facs.level_value("C"))
    assert v[CHANNEL_INDEX["MouthSmileRight"]] > 0 and v[CHANNEL_INDEX["MouthSmileLeft"]] == 0
    for bad in ("99C", "12F", "X12", "12CC"):
        with pytest.raises(ValueError, match="FACS code"):
            facs.facs_vector(bad)


def test_names_and_muscles_reach_their_au() -> None:
    names, muscles = facs.table().names(), facs.table().muscles()
    assert names["lip corner puller"] == 12 and names["lip pressor"] == 24
    assert "jaw drop" not in names  # plain wording is parsed word by word
    assert muscles["zygomaticus major"] == (12,) and set(muscles["frontalis"]) == {1, 2}
    assert lexicon.FACS_NAMES == dict(names) and lexicon.MUSCLES == dict(muscles)
    assert posed("the zygomaticus major contracts")["MouthSmileLeft"] > 0.2


def test_lexicon_au_bundles_are_the_table_at_its_default_level() -> None:
    for number, (bundle, label) in lexicon.AU_BUNDLES.items():
        unit = facs.table().units[number]
        assert label == f"AU{number} {unit.name}"
        total = sum(abs(x) for x in bundle.values())
        assert total > 0
    assert lexicon.AU_BUNDLES[12][0] == {"MouthSmile": facs.level_value("C")}


def test_rule_labels_name_exactly_the_aus_of_their_face() -> None:
    assert lexicon.RULES[("brow", "up")][1] == "brow raise (AU1+2)"
    assert lexicon.RULES[("brow", "quirk")][1].endswith("(AU1+U2)")  # U = one side, FACS notation
    assert lexicon.EXPRESSIONS["smile"][2] == f"smile (AU{'+'.join(str(n) for n in (6, 12))})"
    assert lexicon.RULES[("mouth", "lateral")][1] == "mouth pulled sideways"  # no AU owns it: no AU named


def test_every_emotion_prototype_is_made_of_known_aus() -> None:
    for label in emotions.PROTOTYPES:
        aus = emotions.prototype_aus(label)
        for number in aus.removeprefix("AU").split("+") if aus != "no AUs" else []:
            assert int(number) in facs.table().units, (label, number)


# --- validation catches a bad entry, naming the file and the key ----------------------------

_GOOD_AU = "    name: lip corner puller\n    muscles: []\n    channels: {MouthSmile*: 1.0}\n"
_SCALE = "scale: {A: 0.1, B: 0.3, C: 0.5, D: 0.7, E: 1.0}\n"


def _write(tmp_path: Path, text: str, name: str = "facs.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_table_loads(tmp_path: Path) -> None:
    loaded = facs.load_facs(_write(tmp_path, _SCALE + "aus:\n  12:\n" + _GOOD_AU))
    assert loaded.units[12].name == "lip corner puller"


def test_unknown_channel_is_named_with_file_and_key(tmp_path: Path) -> None:
    text = _SCALE + "aus:\n  12:\n" + _GOOD_AU.replace("MouthSmile*", "MouthSmiel*")
    with pytest.raises(ValueError, match=r"my_facs\.yaml: aus\.12\.channels\.MouthSmiel\*: unknown ARKit channel"):
        facs.load_facs(_write(tmp_path, text, "my_facs.yaml"))


def test_gain_out_of_range_is_named(tmp_path: Path) -> None:
    text = _SCALE + "aus:\n  12:\n" + _GOOD_AU.replace("1.0}", "1.7}")
    with pytest.raises(ValueError, match=r"facs\.yaml: aus\.12\.channels\.MouthSmile\*: gain 1\.7"):
        facs.load_facs(_write(tmp_path, text))


def test_scale_that_does_not_rise_is_rejected(tmp_path: Path) -> None:
    text = "scale: {A: 0.5, B: 0.3, C: 0.5, D: 0.7, E: 1.0}\naus:\n  12:\n" + _GOOD_AU
    with pytest.raises(ValueError, match=r"facs\.yaml: scale"):
        facs.load_facs(_write(tmp_path, text))


def test_package_table_has_every_au_the_project_names() -> None:
    wanted = {1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 16, 17, 18, 19, 20, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
              34, 41, 42, 43, 44, 45, 46, *range(51, 59), *range(61, 65)}
    assert wanted <= set(facs.table().units)
    assert np.all(np.isfinite(facs.facs_vector("+".join(str(n) for n in sorted(wanted)))))


# --- the vocabulary files --------------------------------------------------------------------

def _copy_data(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the data folder with one line of one file changed."""
    for src in DATA.glob("*.yaml"):
        (tmp_path / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / file).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    (tmp_path / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_every_vocabulary_file_loads_and_matches_the_module() -> None:
    tables = lexicon.load_tables()
    assert dict(lexicon.RULES) == tables["RULES"] and dict(lexicon.DEGREE_WORDS) == tables["DEGREE_WORDS"]
    for name in ("regions.yaml", "motions.yaml", "degrees.yaml", "expressions.yaml", "rules.yaml", "text.yaml"):
        assert lexicon.load_data(name)


def test_the_copy_of_the_data_loads(tmp_path: Path) -> None:
    tables = lexicon.load_tables(_copy_data(tmp_path, "degrees.yaml", "slightly", "slightly"))
    assert tables["DEGREE_WORDS"]["slightly"] == facs.level_value("B")


@pytest.mark.parametrize(("file", "old", "new", "error"), [
    ("rules.yaml", "  up: [1C+2C, brow raise]", "  up: [1C+BrowUpp=C, brow raise]",
     r"rules\.yaml: brow\.up: unknown channel 'BrowUpp'"),
    ("rules.yaml", "  up: [1C+2C, brow raise]", "  up: [1C+99C, brow raise]",
     r"rules\.yaml: brow\.up: unknown action unit AU99"),
    ("rules.yaml", "  up: [1C+2C, brow raise]", "  up: [1C+2C, brow raise (AU1+2)]",
     r"rules\.yaml: brow\.up: name .* cites AUs"),
    ("expressions.yaml", "label: grin}", "label: grin AU87}",
     r"expressions\.yaml: expressions\.grin: name .* cites AUs"),
    ("expressions.yaml", "  grin: [", "  grinz: [", r"expressions\.yaml: synonyms\.grinz: 'grinz' is not an expression"),
    ("regions.yaml", "  tongue: [tongue]", "  tongue: [tongue]\n  elbow: [elbow]",
     r"regions\.yaml: words: region 'elbow' has no rule"),
    ("motions.yaml", "  up: [raise,", "  levitate: [hover]\n  up: [raise,", r"motions\.yaml: words: motion 'levitate'"),
    ("degrees.yaml", "  slight:          [B,", "  slight:          [F,", r"degrees\.yaml: degrees\.slight: pose 'F'"),
    ("degrees.yaml", "\ndegrees:\n", "\nlevels:\n  B: [slight]\ndegrees:\n",
     r"degrees\.yaml: levels: degree words live in"),
])
def test_validation_names_the_file_and_key(tmp_path: Path, file: str, old: str, new: str, error: str) -> None:
    with pytest.raises(lexicon.DataError, match=error):
        lexicon.load_tables(_copy_data(tmp_path, file, old, new))


# --- the emotion files -----------------------------------------------------------------------

def test_emotion_files_load_and_every_word_names_a_prototype() -> None:
    data = emotion_data.load_emotion_data()
    words, phrases = data.lexicon()
    assert {label for label, _ in words.values()} <= set(data.prototypes)
    assert words["furious"][0] == "anger" and phrases[("on", "tenterhooks")][0] == "anxiety"
    assert emotions.read_emotion("furious").parts[0].label == "anger"


@pytest.mark.parametrize(("file", "old", "new", "error"), [
    ("emotion_words.yaml", "  anxiety: >-", "  anxeity: >-", r"emotion_words\.yaml: words\.anxeity: unknown emotion"),
    ("emotion_words.yaml", "frenzied:0.8 ", "frenzied:1.8 ", r"emotion_words\.yaml: words\.anxiety: intensity"),
    ("emotions.yaml", "happiness: {face: 6C+12D,", "happiness: {face: 6C+112D,",
     r"emotions\.yaml: prototypes\.happiness\.face: bad FACS code '112D'"),
    ("emotions.yaml", "  - [happiness, surprise, happily surprised]", "  - [happiness, surprise, surprised joy]",
     r"emotions\.yaml: compounds\[0\]: unknown emotion 'surprised joy'"),
])
def test_emotion_validation_names_the_file_and_key(tmp_path: Path, file: str, old: str, new: str,
                                                   error: str) -> None:
    with pytest.raises(facs.DataError, match=error):
        emotion_data.load_emotion_data(_copy_data(tmp_path, file, old, new))


# --- the one normaliser, stemmer and typo matcher --------------------------------------------

def test_normalise_folds_case_accents_apostrophes_hyphens_and_emoji() -> None:
    assert text.normalise("Café — LIGHT-hearted, she\u2019s Anxious \U0001F600", {"\U0001F600": "happy"}) == \
        "cafe lighthearted , shes anxious happy"
    assert text.normalise("colour", spelling={"colour": "color"}) == "color"
    assert text.normalise("calm -> angry") == "calm -> angry"


@pytest.mark.parametrize(("word", "known", "base"), [
    ("lifted", {"lift"}, "lift"), ("raising", {"raise"}, "raise"), ("nodded", {"nod"}, "nod"),
    ("angrily", {"angry"}, "angry"), ("sadder", {"sad"}, "sad"), ("apologising", {"apologize"}, "apologize"),
    ("hopefully", {"hope"}, "hope"), ("slightly", {"slight"}, "slight"), ("worries", {"worry"}, "worry"),
    ("table", {"lift"}, "table"),
])
def test_stem_finds_the_known_base_form(word: str, known: set[str], base: str) -> None:
    assert text.stem(word, known) == base


def test_stem_reads_irregular_forms_first() -> None:
    assert text.stem("rose", {"rise", "rose"}, {"rose": "rise"}) == "rise"
    assert lexicon.lemma("knitted", frozenset({"knit"})) == "knit"


def test_closest_matches_one_slip_and_refuses_ambiguity() -> None:
    vocab = frozenset({"surprised", "anxious", "widen", "hidden", "terrified"})
    assert text.closest("suprised", vocab) == "surprised"  # a letter missing
    assert text.closest("anxoius", vocab) == "anxious"  # two letters swapped
    assert text.closest("widden", vocab) == "widen"  # a slip keeps the first letter
    assert text.closest("table", vocab) is None
    assert text.closest("cat", frozenset({"bat", "hat"})) is None  # two equally close words: no guess


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert text.edit_distance("ab", "ba") == 1
    assert text.edit_distance("kitten", "sitting", limit=5) == 3
    assert text.edit_distance("a", "abcdef", limit=2) == 3  # past the limit


def test_the_emotion_reader_and_the_lexicon_use_the_one_stemmer() -> None:
    assert lexicon.lemma("hopefully", frozenset({"hope"})) == text.stem("hopefully", {"hope"}) == "hope"
    assert emotions.read_emotion("suprised").labels == ("surprise",)
    assert emotions.read_emotion("angrily").labels == ("anger",)


@pytest.mark.parametrize("letter", list("ABCDE"))
def test_typed_au_with_a_level_letter_is_the_table_at_that_level(letter: str) -> None:
    assert posed(f"AU12{letter}")["MouthSmileLeft"] == pytest.approx(facs.au_channels(12, letter)["MouthSmileLeft"])
    assert posed(f"AU1{letter}")["BrowInnerUp"] == pytest.approx(facs.au_channels(1, letter)["BrowInnerUp"])


def test_name_and_muscle_lookup() -> None:
    assert facs.au_name(12) == "lip corner puller"
    assert facs.aus_of("lip pressor") == (24,) and set(facs.aus_of("frontalis")) == {1, 2}
    assert facs.aus_of("elbow") == ()
    with pytest.raises(ValueError, match="AU99"):
        facs.au_name(99)


def test_background_cues_are_data_and_validated(tmp_path) -> None:
    import shutil

    from keyframeface.backends.engine import emotion_reader as emotions

    assert emotions._cues(), "the background cues load from data/background_cues.yaml"
    data = shutil.copytree(lexicon.DATA_DIR, tmp_path / "data")
    (data / "background_cues.yaml").write_text(
        "cues:\n- name: x\n  pattern: funeral\n  nudges: {no_such_feeling: 0.2}\n", encoding="utf-8")
    with lexicon.using(data):
        with pytest.raises(facs.DataError, match=r"background_cues.yaml: cues\[0\].*no_such_feeling"):
            emotions._cues()
    assert emotions._cues(), "the package's cues are back after the block"
