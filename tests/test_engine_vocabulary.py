"""The lexicon's tables are data: a copy of ``data/`` with a new word changes posing, and the default is untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from keyframeface.backends.engine import EngineBackend, lexicon, pose_text
from keyframeface.channels import CHANNEL_INDEX
from keyframeface.data import KeyframeSpec, Script

DATA = Path(lexicon.__file__).with_name("data")
SMILE = CHANNEL_INDEX["MouthSmileLeft"]


@pytest.fixture(scope="module")
def new_word(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the data directory where "smoogle" is one more synonym of "smile"."""
    directory = tmp_path_factory.mktemp("vocab") / "data"
    shutil.copytree(DATA, directory)
    path = directory / "expressions.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  smile: [smiley]\n" in text
    path.write_text(text.replace("  smile: [smiley]\n", "  smile: [smiley, smoogle]\n"), encoding="utf-8")
    return directory


def test_a_new_synonym_in_a_copied_vocabulary_poses(new_word: Path) -> None:
    assert pose_text("she smoogles", fallback=False).values[SMILE] == 0.0  # the default vocabulary lacks it
    with lexicon.using(new_word):
        assert pose_text("she smoogles", fallback=False).values[SMILE] > 0.3
    assert pose_text("she smoogles", fallback=False).values[SMILE] == 0.0  # restored after the block


def test_the_engine_backend_takes_a_vocabulary(new_word: Path) -> None:
    script = Script("", "", (KeyframeSpec("she smoogles warmly"),))
    mine = EngineBackend(fallback=False, vocabulary=new_word).pose(script, 0)
    plain = EngineBackend(fallback=False).pose(script, 0)
    assert mine.values[SMILE] > 0.3 and plain.values[SMILE] == 0.0
    assert any(c.words and "smoogle" in c.words for c in mine.explanation)


def test_a_bad_table_in_a_copied_vocabulary_names_its_file(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    shutil.copytree(DATA, directory)
    path = directory / "expressions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("face: 12C+6A, label: smile", "face: 12C+99A, label: smile"), encoding="utf-8")
    with pytest.raises(lexicon.DataError, match="expressions.yaml"):
        lexicon.vocabulary(directory)


def test_one_negation_table_feeds_the_pose_and_the_emotion_readers_by_column(tmp_path: Path) -> None:
    from keyframeface.backends.engine.emotion_data import load_emotion_data

    directory = tmp_path / "data"
    shutil.copytree(DATA, directory)
    path = directory / "negations.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  nary: [emotion]\n", encoding="utf-8")
    assert "nary" in load_emotion_data(directory).negations
    assert "nary" not in lexicon.vocabulary(directory).names["NEGATIONS"]
    assert {"not", "never"} <= lexicon.NEGATIONS and "fade" in lexicon.NEGATIONS  # the default clause column
    path.write_text(path.read_text(encoding="utf-8") + "  nope: [pose]\n", encoding="utf-8")
    with pytest.raises(lexicon.DataError, match=r"negations\.yaml.*nope"):
        load_emotion_data(directory)
