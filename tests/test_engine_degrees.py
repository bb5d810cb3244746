"""The one degree table (data/degrees.yaml `degrees`): a row per degree word, a column per use; each reader reads its
column, a copied vocabulary with one more row is read by all of them, and a bad row names the file and the word."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from keyframeface.backends.engine import degrees, facs, lexicon, pose_text
from keyframeface.backends.engine.emotion_data import load_emotion_data
from keyframeface.backends.engine.emotion_reader import read_emotion
from keyframeface.backends.engine.manner import read_manner
from keyframeface.channels import CHANNEL_INDEX

DATA = Path(lexicon.__file__).with_name("data")
SMILE = CHANNEL_INDEX["MouthSmileLeft"]


def _copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of ``data/`` with ``old`` replaced by ``new`` in ``file``."""
    directory = tmp_path / "data"
    shutil.copytree(DATA, directory)
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return directory


def test_each_use_reads_its_column_of_the_one_table() -> None:
    assert lexicon.DEGREE_WORDS["slightly"] == facs.level_value("B") == degrees.column("pose")["slightly"]
    assert lexicon.DEGREE_WORDS["somewhat"] == 0.4 and lexicon.COMPARATIVE_LEVELS["much"] == facs.level_value("D")
    assert lexicon.DEGREE_WORDS["much"] == 0.6  # one word, two uses, two values: its row holds both
    assert "a_touch_of" in degrees.column("diminish") and "a_touch_of" not in lexicon.DEGREE_WORDS
    assert degrees.column("diminish")["slightly"] == 0.5 and degrees.column("intensify")["deeply"] == 0.55
    assert degrees.column("cycle")["violently"] == 2.0
    assert read_emotion("slightly angry").parts[0].intensity == pytest.approx(
        read_emotion("angry").parts[0].intensity * 0.5)


def test_the_describer_says_the_say_column_weakest_first() -> None:
    from keyframeface import describe

    said = describe.DEGREES
    assert said == ("barely", "subtly", "slightly", "moderately", "", "visibly", "strongly", "intensely",
                    "extremely", "fully")
    levels = [lexicon.DEGREE_WORDS[w] if w else lexicon.PLAIN for w in said]
    assert levels == sorted(levels)


def test_a_new_row_is_read_by_the_pose_and_the_emotion_readers(tmp_path: Path) -> None:
    directory = _copy(tmp_path, "degrees.yaml", "\ndegrees:\n", "\ndegrees:\n  zorbly: [D, ~, ~, 0.6, 1.7, ~]\n")
    assert "zorbly" not in lexicon.DEGREE_WORDS
    strong = pose_text("she smiles strongly", fallback=False).values[SMILE]
    plain = pose_text("she smiles", fallback=False).values[SMILE]
    assert strong > plain
    terribly = read_emotion("terribly angry").parts[0].intensity  # intensify 0.6, as zorbly's row says
    with lexicon.using(directory):
        assert lexicon.DEGREE_WORDS["zorbly"] == facs.level_value("D")
        assert pose_text("she smiles zorbly", fallback=False).values[SMILE] == pytest.approx(strong)
        assert read_emotion("zorbly angry").parts[0].intensity == pytest.approx(terribly)
        assert read_emotion("zorbly angry").parts[0].words == "zorbly angry"
        assert read_manner("nods zorbly").cycles[0].scale == 1.7  # and manner.py its cycle column
    assert "zorbly" not in lexicon.DEGREE_WORDS  # restored after the block
    assert load_emotion_data(directory).intensify["zorbly"] == 0.6


@pytest.mark.parametrize(("old", "new", "error"), [
    ("  slight:          [B,", "  slight:          [F,", r"degrees\.yaml: degrees\.slight: pose 'F'"),
    ("  violently:       [0.9,  ~,           ~,        0.8,       2.0,",
     "  violently:       [0.9,  ~,           ~,        0.8,       -2,", r"degrees\.yaml: degrees\.violently: cycle -2"),
    ("  slight:          [B,    ~,           0.5,      ~,         0.5,   ~]",
     "  slight:          [B,    ~,           0.5,      0.2,       0.5,   ~]",
     r"degrees\.yaml: degrees\.slight: a word diminishes or intensifies"),
    ("  slight:          [B,    ~,           0.5,      ~,         0.5,   ~]", "  slight:          [B, 0.5]",
     r"degrees\.yaml: degrees\.slight: .*expected one value per column"),
    ("  a_bit:           [~,    ~,           0.6,      ~,         ~,     ~]",
     "  a_bit:           [~,    ~,           0.6,      ~,         ~,     yes]",
     r"degrees\.yaml: degrees\.a_bit: a word the describer says needs a pose level"),
])
def test_a_bad_row_names_degrees_yaml_and_the_word(tmp_path: Path, old: str, new: str, error: str) -> None:
    with pytest.raises(lexicon.DataError, match=error):
        lexicon.vocabulary(_copy(tmp_path, "degrees.yaml", old, new))


@pytest.mark.parametrize(("file", "old", "new"), [
    ("degrees.yaml", "\ndegrees:\n", "\ncomparative_levels:\n  D: [much]\ndegrees:\n"),
    ("emotion_words.yaml", "\noutward:", "\ndiminish:\n  slightly: 0.5\noutward:"),
    ("manner.yaml", "\nsuppress:\n", "\ndegree:\n  slightly: 0.5\nsuppress:\n"),
])
def test_the_old_degree_sections_are_refused(tmp_path: Path, file: str, old: str, new: str) -> None:
    directory = _copy(tmp_path, file, old, new)
    with pytest.raises(lexicon.DataError, match=rf"{file}: \w+: degree words live in degrees\.yaml"):
        with lexicon.using(directory):
            read_manner("nods slightly")
    assert read_manner("nods slightly").cycles[0].scale == 0.5  # the package's vocabulary is back
