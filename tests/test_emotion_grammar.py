"""The emotion reader's grammar words are data (``data/emotion_grammar.yaml``, issue 13 item 5): the code keeps the
patterns' skeletons, a vocabulary switch rebuilds them from the active directory's lists, and a bad entry is a
DataError naming the file and the list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from keyframeface.backends.engine import lexicon, vocab
from keyframeface.backends.engine.emotion_data import load_emotion_data
from keyframeface.backends.engine.emotion_reader import read_emotion

DATA = vocab.DATA_DIR


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    directory = tmp_path / "data"
    shutil.copytree(DATA, directory)
    path = directory / "emotion_grammar.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return directory


def _shape(emotion: str) -> tuple[tuple[str, str, int], ...]:
    return tuple((p.label, p.role, p.phase) for p in read_emotion(emotion).parts)


def test_a_new_transition_word_in_the_data_splits_phases_after_a_switch(tmp_path: Path) -> None:
    text = "anger zorbling into relief"  # "zorbl" is not a known change verb ...
    directory = _copy(tmp_path, "transition_phrases: [", "transition_phrases: [zorbling into, ")
    before = _shape("anger glorpwise relief")
    with lexicon.using(_copy(tmp_path / "b", "sequence_words: [", "sequence_words: [glorpwise, ")):
        assert _shape("anger glorpwise relief") == (("anger", "felt", 0), ("relief", "felt", 1))
    assert _shape("anger glorpwise relief") == before
    with lexicon.using(directory):
        assert _shape(text)[-1] == ("relief", "felt", 1)


def test_a_new_cover_verb_in_the_data_makes_a_mask_after_a_switch(tmp_path: Path) -> None:
    assert _shape("anger zonked by a polite smile") != (("anger", "masked", 0), ("happiness", "shown", 0))
    with lexicon.using(_copy(tmp_path, "cover_verbs: [", "cover_verbs: [zonked, ")):
        assert _shape("anger zonked by a polite smile") == (("anger", "masked", 0), ("happiness", "shown", 0))
    assert _shape("anger concealed by a polite smile") == (("anger", "masked", 0), ("happiness", "shown", 0))


def test_a_bad_grammar_entry_names_the_file_and_the_list(tmp_path: Path) -> None:
    with pytest.raises(vocab.DataError, match=r"emotion_grammar\.yaml: hedges: bad alternative"):
        load_emotion_data(_copy(tmp_path, "hedges: [", "hedges: ['(?:', "))
    misspelt = r"emotion_grammar\.yaml: contrasts: unknown key; did you mean 'contrast'"
    with pytest.raises(vocab.DataError, match=misspelt):
        load_emotion_data(_copy(tmp_path / "b", "\ncontrast: [", "\ncontrasts: ["))
