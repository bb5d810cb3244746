"""``lexicon.using(directory)`` swaps the WHOLE vocabulary (issue 13 item 5): every data file of the engine is read
from the chosen directory inside the block, and the package's files are back after it.

Each case edits one file of a copy of ``data/`` with a made-up word or a changed number, and probes the engine's
behaviour (not the loader) for it: default, inside the block, and after the block.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from keyframeface.backends.engine import lexicon, vocab
from keyframeface.backends.engine.emotion_reader import read_emotion
from keyframeface.backends.engine.emotions import emotion_prior
from keyframeface.backends.engine.manner import read_manner
from keyframeface.backends.engine.pose import pose_text
from keyframeface.backends.engine.scenes import read_scenes
from keyframeface.channels import CHANNEL_INDEX

Edit = Callable[[dict[str, Any]], None]


def _value(text: str, channel: str) -> float:
    return round(float(pose_text(text, fallback=False).values[CHANNEL_INDEX[channel]]), 4)


def _set_scale(doc: dict[str, Any]) -> None:
    doc["scale"]["C"] = 0.6  # an unqualified action is now 0.6, not 0.5


def _add_feeling(doc: dict[str, Any]) -> None:
    doc["words"]["sadness"] += " glumpish"


def _happier_happiness(doc: dict[str, Any]) -> None:
    doc["prototypes"]["happiness"]["face"] = "6C+12E"


def _add_pace_word(doc: dict[str, Any]) -> None:
    doc["pace"]["snap"].append("zoomily")


def _add_scene_noun(doc: dict[str, Any]) -> None:
    doc["scene_nouns"].append("gremlin")


def _add_direction(doc: dict[str, Any]) -> None:
    doc["directions"]["zupward"] = "up"


def _add_cue(doc: dict[str, Any]) -> None:
    doc["cues"].append({"name": "made-up dread", "pattern": "zorbleflop", "nudges": {"fear": 0.2}})


def _add_scene_word(doc: dict[str, Any]) -> None:
    next(s for s in doc["scenes"] if s["name"] == "reading")["words"].append("kablooey")


def _halve_carry(doc: dict[str, Any]) -> None:
    doc["carry_decay"] = 0.4


def _add_negation(doc: dict[str, Any]) -> None:
    doc["negations"]["nary"] = ["clause"]


def _rename_phrase(doc: dict[str, Any]) -> None:
    doc["actions"]["eyes"]["wide"]["both"] = "the eyes go round"  # the describer's phrase, the planner's plain one


def _slower_settle(doc: dict[str, Any]) -> None:
    doc["arcs"]["felt"][-1]["adverb"] = "languidly"  # the timing word of a felt emotion's settle


def _described_wide() -> str:
    from keyframeface.describe import describe

    values = [0.0] * len(CHANNEL_INDEX)
    values[CHANNEL_INDEX["EyeWideLeft"]] = values[CHANNEL_INDEX["EyeWideRight"]] = 0.5
    return describe(values)


def _planned_settle() -> str:
    from keyframeface.backends.engine.plan import plan_keyframes

    return plan_keyframes("", "anger")[-1].description.split()[0]


def _carried_smile() -> float:
    from keyframeface import animate

    anim = animate("A person faces the camera.", "calm", keyframes=["She smiles broadly.", "The brows lift."],
                   life=False)
    return round(float(anim.keyframes[1].values[CHANNEL_INDEX["MouthSmileLeft"]]), 4)


CASES: list[tuple[str, Edit, Callable[[], Any]]] = [
    ("facs.yaml", _set_scale, lambda: _value("the brows lift", "BrowInnerUp")),
    ("emotion_words.yaml", _add_feeling, lambda: read_emotion("glumpish").parts[0].label),
    ("emotions.yaml", _happier_happiness,
     lambda: round(float(emotion_prior(read_emotion("happiness"))[0][CHANNEL_INDEX["MouthSmileLeft"]]), 4)),
    ("manner.yaml", _add_pace_word, lambda: read_manner("the brows lift zoomily").pace),
    ("frames.yaml", _add_scene_noun, lambda: _value("the gremlin grins", "MouthSmileLeft")),
    ("wording.yaml", _add_direction, lambda: _value("the brows move zupward", "BrowInnerUp")),
    ("background_cues.yaml", _add_cue, lambda: read_emotion("calm", "a zorbleflop on the roof").cues),
    ("scenes.yaml", _add_scene_word, lambda: [m.cue.name for m in read_scenes("kablooey in the street")]),
    ("composition.yaml", _halve_carry, _carried_smile),
    ("negations.yaml", _add_negation, lambda: _value("nary a smile", "MouthSmileLeft")),
    ("phrases.yaml", _rename_phrase, _described_wide),
    ("plan.yaml", _slower_settle, _planned_settle),
]


@pytest.mark.parametrize(("file", "edit", "probe"), CASES, ids=[c[0] for c in CASES])
def test_using_a_directory_reads_every_data_file_from_it(tmp_path: Path, file: str, edit: Edit,
                                                         probe: Callable[[], Any]) -> None:
    data = Path(shutil.copytree(vocab.DATA_DIR, tmp_path / "data"))
    doc = yaml.safe_load((data / file).read_text(encoding="utf-8"))
    edit(doc)
    (data / file).write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")

    before = probe()
    with lexicon.using(data):
        assert vocab.active() == data.resolve()
        inside = probe()
    after = probe()
    assert inside != before, f"{file}: the edited copy changed nothing ({before!r})"
    assert after == before, f"{file}: the package's vocabulary is not back after the block"


def test_an_unchanged_copy_poses_exactly_like_the_package(tmp_path: Path) -> None:
    data = shutil.copytree(vocab.DATA_DIR, tmp_path / "data")
    texts = ["the brows lift slightly and the smile widens", "a faint sneer, left side only", "she nods twice"]
    default = [pose_text(t, fallback=False).values.tolist() for t in texts]
    with lexicon.using(data):
        assert [pose_text(t, fallback=False).values.tolist() for t in texts] == default


def test_a_bad_file_in_the_directory_is_a_data_error_and_leaves_the_engine_as_it_was(tmp_path: Path) -> None:
    data = shutil.copytree(vocab.DATA_DIR, tmp_path / "data")
    (data / "facs.yaml").write_text("scale: {A: 0.1, B: 0.3, C: 0.5, D: 0.7, E: 1.0}\nscale: {}\n", encoding="utf-8")
    before = _value("the brows lift", "BrowInnerUp")
    with pytest.raises(vocab.DataError, match=r"facs\.yaml.*duplicate key 'scale'"):
        with lexicon.using(data):
            pass
    assert vocab.active() == vocab.DATA_DIR
    assert _value("the brows lift", "BrowInnerUp") == before


def test_every_engine_module_reads_data_through_the_one_loader() -> None:
    """docs/engine.md: every data file goes through ``vocab.py`` (so ``using(dir)`` reaches it): no engine module
    parses YAML or reads a data file by itself."""
    import re

    engine = vocab.DATA_DIR.parent
    offenders = [p.name for p in engine.glob("*.py") if p.name != "vocab.py"
                 and re.search(r"yaml\.(?:safe_)?load\(|\.read_text\(", p.read_text(encoding="utf-8"))]
    assert offenders == []
    assert "tests/test_vocabulary_swap.py" in (engine.parents[3] / "docs" / "engine.md").read_text(encoding="utf-8")


def test_every_vocabulary_file_has_a_schema_and_matches_it() -> None:
    files = sorted(p.name for p in vocab.DATA_DIR.glob("*.yaml"))
    assert files and set(files) == set(vocab.schema()), "schema.yaml lists exactly the files of data/"
    for name in files:
        vocab.read(name)  # raises on a missing, unknown or mistyped key


@pytest.mark.parametrize(("file", "old", "new", "error"), [
    ("frames.yaml", "scene_nouns:", "scene_noun:", r"frames\.yaml: scene_noun: unknown key; did you mean .scene_nouns.\?"),
    ("composition.yaml", "carry_decay: 0.85", "carry_decay: 1.85", r"composition\.yaml: carry_decay: expected a number in \[0, 1\]"),
    ("manner.yaml", "\nunits:", "\n#units:", r"manner\.yaml: units: missing: expected a mapping"),
    ("text.yaml", "\nsplitters:", "\nsplitters: 3\nx_splitters:", r"text\.yaml: splitters: expected a list of words"),
    # inside a key: a group's words, a nested kind's entries and their fields (schema.yaml)
    ("text.yaml", "  brows: [eyebrows", "  brows: [eyebrow, eyebrows",
     r"text\.yaml: spelling\.brows: 'eyebrow' is already listed under 'brow'"),
    ("facs.yaml", "    name: inner brow raiser\n", "    name: inner brow raiser\n    nmae: x\n",
     r"facs\.yaml: aus\.1: unknown field\(s\) \['nmae'\]"),
    ("facs.yaml", "    name: inner brow raiser\n", "    name: 3\n", r"facs\.yaml: aus\.1\.name: expected a non-empty string"),
    ("expressions.yaml", "  smile: {motion: smile, face: 12C+6A, label: smile}", "  smile: {motion: smile, label: smile}",
     r"expressions\.yaml: expressions\.smile\.face: missing"),
    ("composition.yaml", "    ends: [MouthSmile, CheekSquint]", "    end: [MouthSmile, CheekSquint]",
     r"composition\.yaml: opposes\[1\]: unknown field\(s\) \['end'\]"),
])
def test_a_file_of_the_wrong_shape_names_file_and_key(tmp_path: Path, file: str, old: str, new: str,
                                                      error: str) -> None:
    data = shutil.copytree(vocab.DATA_DIR, tmp_path / "data")
    text = (data / file).read_text(encoding="utf-8")
    assert old in text
    (data / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(vocab.DataError, match=error):
        vocab.read(file, data)


def test_a_shaped_file_reads_keys_as_attributes_converted_by_their_kind(tmp_path: Path) -> None:
    frames = vocab.shaped("frames.yaml")
    assert isinstance(frames.scene_nouns, frozenset) and "shadow" in frames.scene_nouns
    assert isinstance(frames.hedge_share, float) and 0.0 < frames.hedge_share < 1.0
    with pytest.raises(vocab.DataError, match=r"frames\.yaml: no_such_key: missing"):
        frames.no_such_key  # noqa: B018
    data = shutil.copytree(vocab.DATA_DIR, tmp_path / "data")
    text = (data / "frames.yaml").read_text(encoding="utf-8")
    (data / "frames.yaml").write_text(text.replace("scene_nouns: [", "scene_nouns: [gremlin, ", 1), encoding="utf-8")
    with lexicon.using(data):
        assert "gremlin" in vocab.shaped("frames.yaml").scene_nouns
    assert "gremlin" not in vocab.shaped("frames.yaml").scene_nouns


def test_nested_kinds_read_as_entries_and_groups_as_word_to_name() -> None:
    aus = vocab.shaped("facs.yaml").aus
    assert aus[12].name == "lip corner puller" and aus[12].plain is False and aus[12].also == ()
    assert vocab.shaped("text.yaml").spelling["eyebrows"] == "brows"  # groups: {brows: [eyebrows]} read inverted
    assert vocab.shaped("composition.yaml").opposes[0].ends  # rows: a list of entries
    assert vocab.keys("facs.yaml").aus == "aus" and vocab.keys("facs.yaml", "aus").channels == "channels"
    with pytest.raises(AttributeError, match="no key 'nope'"):
        vocab.keys("facs.yaml").nope  # noqa: B018


@pytest.mark.parametrize(("content", "error"), [
    (b"\xff\xfe\x00not text", r"frames\.yaml: byte 0: not UTF-8 text"),
    (b"hedge_share: " + b"9" * 5000 + b"\n", r"frames\.yaml: \(value\): unreadable value"),
    (b"scene_nouns: " + b"[" * 5000 + b"]" * 5000, r"frames\.yaml: line 1: not valid YAML"),
    (b"# " + b"x" * 4_000_001, r"frames\.yaml: \(file\): \d+ bytes: a vocabulary file is at most"),
])
def test_a_hostile_vocabulary_file_is_a_data_error_and_the_engine_keeps_its_vocabulary(
        tmp_path: Path, content: bytes, error: str) -> None:
    data = shutil.copytree(vocab.DATA_DIR, tmp_path / "data")
    (data / "frames.yaml").write_bytes(content)
    with pytest.raises(vocab.DataError, match=error):
        with lexicon.using(data):
            pass
    assert vocab.active() == vocab.DATA_DIR
