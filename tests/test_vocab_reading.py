"""The clause reader's word sets are data (``data/reading.yaml``, issue 13 item 5): a copy of ``data/`` with one more
word in a set changes what the parser reads, inside ``lexicon.using`` / ``EngineBackend(vocabulary=...)`` only, and a
bad entry is a ``DataError`` naming the file and the set."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from keyframeface.backends.engine import EngineBackend, lexicon, vocab
from keyframeface.backends.engine.clauses import WORDS, ReaderWords
from keyframeface.backends.engine.pose import pose_text
from keyframeface.channels import CHANNEL_INDEX
from keyframeface.data import KeyframeSpec, Script

ROLL = CHANNEL_INDEX["MouthRollLower"]


def _copy_with(tmp_path: Path, line: str, edited: str) -> Path:
    """A copy of the engine's data directory whose reading.yaml has ``line`` replaced by ``edited``."""
    data = Path(shutil.copytree(vocab.DATA_DIR, tmp_path / "data"))
    path = data / "reading.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(line + "\n") == 1, line
    path.write_text(text.replace(line + "\n", edited + "\n"), encoding="utf-8")
    return data


def _roll(text: str) -> float:
    return float(pose_text(text, fallback=False).values[ROLL])


def test_a_new_verb_of_vanishing_is_read_from_the_copied_vocabulary(tmp_path: Path) -> None:
    data = _copy_with(tmp_path, "vanish_verbs: [disappear, vanish, hide]",
                      "vanish_verbs: [disappear, vanish, hide, evaporate]")
    assert _roll("the lips disappear") > 0.3  # the package's word
    assert _roll("the lips evaporate") == 0.0  # not without the new word
    with lexicon.using(data):
        assert "evaporate" in WORDS.vanish_verbs
        assert _roll("the lips evaporate") > 0.3  # rolled in, like "the lips disappear"
    assert _roll("the lips evaporate") == 0.0  # the package's sets are back after the block
    assert "evaporate" not in WORDS.vanish_verbs


def test_the_engine_backend_reads_the_sets_of_its_vocabulary(tmp_path: Path) -> None:
    data = _copy_with(tmp_path, "vanish_verbs: [disappear, vanish, hide]",
                      "vanish_verbs: [disappear, vanish, hide, evaporate]")
    script = Script("", "", (KeyframeSpec("her lips evaporate"),))
    assert EngineBackend(fallback=False, vocabulary=data).pose(script, 0).values[ROLL] > 0.3
    assert EngineBackend(fallback=False).pose(script, 0).values[ROLL] == 0.0


def test_an_unknown_motion_in_a_motion_set_is_a_data_error_and_changes_nothing(tmp_path: Path) -> None:
    data = _copy_with(tmp_path, "grow_motions: [widen]", "grow_motions: [widen, widdle]")
    before = _roll("the lips disappear")
    with pytest.raises(vocab.DataError, match=r"reading\.yaml: grow_motions: \['widdle'\] are not motions"):
        with lexicon.using(data):
            pass
    assert vocab.active() == vocab.DATA_DIR and "widdle" not in WORDS.grow_motions
    assert _roll("the lips disappear") == before


def test_a_missing_set_and_a_bad_side_name_their_set(tmp_path: Path) -> None:
    data = _copy_with(tmp_path, "with_openers: [with]", "")
    with pytest.raises(vocab.DataError, match=r"reading\.yaml: with_openers: missing"):
        with lexicon.using(data):
            pass
    data = _copy_with(tmp_path / "sides", "sides: [left=Left, right=Right]", "sides: [left=Left, right=right]")
    with pytest.raises(vocab.DataError, match=r"reading\.yaml: sides: a side is Left or Right"):
        with lexicon.using(data):
            pass


def test_every_set_of_the_file_is_read_and_every_read_set_is_in_the_file() -> None:
    doc = yaml.safe_load((vocab.DATA_DIR / "reading.yaml").read_text(encoding="utf-8"))
    assert list(doc) == list(ReaderWords.__annotations__)  # the same sets, in the same order (grouped by role)
    assert list(vocab.schema()["reading.yaml"]) == list(doc)  # and schema.yaml's entry for the file
