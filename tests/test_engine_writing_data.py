"""The pose writer's word sets, rewrites and explanation labels are data (``data/writing.yaml``): a copy of ``data/``
with an edited list changes posing inside ``lexicon.using`` and nowhere else."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from keyframeface.backends.engine import EngineBackend, explain, lexicon, pose_text
from keyframeface.backends.engine.vocab import DataError
from keyframeface.channels import CHANNEL_INDEX
from keyframeface.data import KeyframeSpec, Script

DATA = Path(lexicon.__file__).with_name("data")
PRESS = CHANNEL_INDEX["MouthPressLeft"]
ROOT = Path(__file__).resolve().parents[1]


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the data directory whose writing.yaml has ``old`` replaced by ``new``."""
    directory = tmp_path / "data"
    shutil.copytree(DATA, directory)
    path = directory / "writing.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return directory


def test_a_word_added_to_a_rewrite_set_poses_in_the_copied_vocabulary(tmp_path: Path) -> None:
    # "lips tightly closed" is pressed (AU24); "snugly" is one more word of that set in the copy only
    directory = _copy_with(tmp_path, "tight: [tight, tightly, firmly, hard]",
                           "tight: [tight, tightly, firmly, hard, snugly]")
    assert pose_text("the lips close snugly", fallback=False).values[PRESS] < 0.2  # plain closing
    with lexicon.using(directory):
        pressed = pose_text("the lips close snugly", fallback=False)
        assert pressed.values[PRESS] >= 0.45 and "lip presser (AU24)" in explain(pressed)
    assert pose_text("the lips close snugly", fallback=False).values[PRESS] < 0.2  # restored after the block


def test_a_rewrite_result_and_a_label_are_data_for_the_engine_backend(tmp_path: Path) -> None:
    directory = _copy_with(tmp_path, 'label_head_tilt: ["head tilt (AU55/56)"]', 'label_head_tilt: ["head cant"]')
    script = Script("", "", (KeyframeSpec("his head tilts to the left"),))
    mine = EngineBackend(fallback=False, vocabulary=directory).pose(script, 0)
    plain = EngineBackend(fallback=False).pose(script, 0)
    assert {c.rule for c in mine.explanation} == {"head cant"}
    assert {c.rule for c in plain.explanation} == {"head tilt (AU55/56)"}
    assert "head tilt (AU55/56)" in explain(pose_text("his head tilts to the left", fallback=False))


def test_a_rewrite_result_of_two_motions_is_a_data_error_and_leaves_the_engine_as_it_was(tmp_path: Path) -> None:
    directory = _copy_with(tmp_path, "tight_close_becomes: [press]", "tight_close_becomes: [press, close]")
    with pytest.raises(DataError, match=r"writing\.yaml: tight_close_becomes: expected one entry"):
        with lexicon.using(directory):
            pass  # pragma: no cover
    assert pose_text("the lips close tightly", fallback=False).values[PRESS] > 0.5


def test_a_part_the_regions_do_not_know_is_a_data_error(tmp_path: Path) -> None:
    directory = _copy_with(tmp_path, "part_of_jaw: [chin]", "part_of_jaw: [chinn]")
    with pytest.raises(DataError, match=r"writing\.yaml: part_of_jaw: \['chinn'\] are not face parts"):
        with lexicon.using(directory):
            pass  # pragma: no cover


def test_a_missing_list_is_a_data_error_naming_it(tmp_path: Path) -> None:
    directory = _copy_with(tmp_path, "tight: [tight, tightly, firmly, hard]\n", "")
    with lexicon.using(directory):
        with pytest.raises(DataError, match=r"writing\.yaml: tight: missing word list"):
            pose_text("the lips close tightly", fallback=False)


def test_the_pose_writer_modules_keep_few_word_literals() -> None:
    # issue 13 item 5: the writer's word sets and labels live in data/writing.yaml, not in its Python
    spec = importlib.util.spec_from_file_location("engine_word_literals", ROOT / "bench" / "engine_word_literals.py")
    assert spec is not None and spec.loader is not None
    counter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(counter)
    modules = ("writing", "compose", "rules", "continuity", "pose", "parse")
    found = {m: counter.word_literals(counter.ENGINE / f"{m}.py") for m in modules}
    assert sum(len(words) for words in found.values()) <= 90, found


def test_what_relaxing_a_part_releases_follows_the_vocabulary(tmp_path: Path) -> None:
    from keyframeface.backends.engine.compose import RELAX_CHANNELS

    directory = _copy_with(tmp_path, "relaxes_nose: [nose]", "relaxes_nose: [nose, cheek]")
    assert "NoseSneerLeft" not in RELAX_CHANNELS["cheek"]
    with lexicon.using(directory):
        assert "NoseSneerLeft" in RELAX_CHANNELS["cheek"]  # the same mapping, refreshed in place on the switch
        released = pose_text("the nose wrinkles. The cheeks relax.", fallback=False)
        assert released.values[CHANNEL_INDEX["NoseSneerLeft"]] == 0.0
    assert "NoseSneerLeft" not in RELAX_CHANNELS["cheek"]
    assert pose_text("the nose wrinkles. The cheeks relax.", fallback=False).values[CHANNEL_INDEX["NoseSneerLeft"]] > 0.2


def test_every_list_the_code_reads_is_in_the_shipped_file() -> None:
    # the code reads writing.yaml's lists as attributes of rules.W (W.tight, W.label_gaze): each must exist
    import ast

    import yaml

    shipped = set(yaml.safe_load((DATA / "writing.yaml").read_text(encoding="utf-8"))) | {"release_motions"}
    engine = DATA.parent
    used = {node.attr for path in engine.glob("*.py") for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "W"
            and not node.attr.startswith("__")}
    assert used and used <= shipped, sorted(used - shipped)


def test_the_writer_reads_the_readers_lip_parts_of_the_bound_vocabulary(tmp_path: Path) -> None:
    # "the mouth closes tightly" is pressed because the mouth is one of reading.yaml's lip_regions
    directory = tmp_path / "data"
    shutil.copytree(DATA, directory)
    path = directory / "reading.yaml"
    text = path.read_text(encoding="utf-8")
    old = "lip_regions: [lips, lip, upper_lip, lower_lip, mouth]"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "lip_regions: [lips, lip, upper_lip, lower_lip]"), encoding="utf-8")
    assert "lip presser (AU24)" in explain(pose_text("the mouth closes tightly", fallback=False))
    with lexicon.using(directory):
        assert "lip presser (AU24)" not in explain(pose_text("the mouth closes tightly", fallback=False))
