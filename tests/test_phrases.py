"""The phrase tables as data: phrases.yaml (one row per facial action, said by the describer and the planner) and
plan.yaml (the planner's arcs, parts and fillers): validated with errors naming file and key, and swapped with the
vocabulary directory."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from keyframeface import describe as describer
from keyframeface.backends.engine import lexicon, vocab
from keyframeface.backends.engine.phrases import load_phrases, load_plan, phrase_table, plan_table
from keyframeface.backends.engine.plan import plan_details, plan_keyframes
from keyframeface.backends.engine.vocab import DataError
from keyframeface.channels import CHANNEL_INDEX, N_CHANNELS

DATA = vocab.DATA_DIR


def _copy(tmp_path: Path, file: str = "", old: str = "", new: str = "") -> Path:
    """A copy of the data directory with one text of one file replaced."""
    directory = tmp_path / "data"
    shutil.copytree(DATA, directory)
    if file:
        path = directory / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return directory


def test_the_shipped_tables_load_and_every_planner_row_has_three_pools():
    rows = phrase_table().rows
    planned = [r for r in rows.values() if r.part]
    assert len(planned) >= 30 and all(len(r.tiers) == 3 and all(r.tiers) for r in planned)
    assert {r.part for r in planned} <= set(plan_table().parts)
    said = [r for _, region in phrase_table().regions for r in region]
    assert len(said) == sum(len(actions) for _, actions in describer.ACTIONS)
    assert [a.both for _, actions in describer.ACTIONS for a in actions] == [r.both for r in said]


def test_the_planner_and_the_describer_share_rows():
    """Where the planner says what the describer says, it is one entry of one row (a one-word pool entry)."""
    rows = phrase_table().rows
    assert rows["wide"].tiers[1][0] == rows["wide"].both == "the eyes widen"
    assert rows["wide"].remain[0] == rows["wide"].held
    assert rows["jaw"].tiers[1][0] == rows["jaw"].both == "the jaw drops open"
    shared = [r for r in rows.values() if r.part and r.left and r.both in {t for pool in r.tiers for t in pool}]
    assert len(shared) >= 9


def test_every_clause_the_planner_says_of_the_face_is_a_phrase_of_the_data():
    t = plan_table()
    pools = [x for r in t.phrases.rows.values() for pool in (*r.tiers, r.remain, r.fades) for x in pool]
    pools += [x for part in t.parts.values() for x in part.release] + list(t.variations)
    pools += [*t.fillers.neutral, *t.fillers.hold, *t.fillers.rest]
    texts = {x.format(side=side) for x in pools for side in t.phrases.sides}
    cases = [("", "Anxiety concealed by a restrained smile."), ("", "shock turning into relief"),
             ("", "overwhelming grief"), ("", "suppressed anger"), ("", "poker-faced dread"), ("", "a forced smile")]
    for background, emotion in cases:
        for keyframe in plan_details(background, emotion, 8):
            for clause in keyframe.clauses:
                if clause.cue.startswith(("emotion", "arc")):
                    said = clause.leak or clause.text
                    assert said in texts or re.sub(r" \w+ smile\b", " smile", said) in texts, said


@pytest.mark.parametrize(("file", "old", "new", "key"), [
    ("phrases.yaml", "left: BrowInnerUp", "left: BrowInnerUpp", r"phrases\.yaml: actions\.brows\.brows_inner\.left"),
    ("phrases.yaml", "      part: brows\n", "      part: brow\n", r"phrases\.yaml: actions\.brows\.brows_inner\.part"),
    ("phrases.yaml", "plain: [both, \"the inner brows rise\"]", "plain: [held2, \"the inner brows rise\"]",
     r"phrases\.yaml: actions\.brows\.brows_inner\.plain\[0\]"),
    ("phrases.yaml", "      held: \"the inner brows stay raised\"\n", "",
     r"phrases\.yaml: actions\.brows\.brows_inner\.remain\[1\]: 'held' is not a phrase column"),
    ("phrases.yaml", "      held: \"the inner brows stay raised\"", "      hold: \"the inner brows stay raised\"",
     r"phrases\.yaml: actions\.brows\.brows_inner\.hold: unknown key; did you mean 'held'"),
    ("plan.yaml", "  falling: {beat: ease,", "  falling: {beat: ease, levle: 1.0,",
     r"plan\.yaml: fit\.falling\.levle: unknown key"),
    ("plan.yaml", "  inner: inner\n", "  inner: [inner]\n",
     r"plan\.yaml: features\.inner: expected a string or a mapping"),
    ("phrases.yaml", "      release: \"the outer brows relax\"", "      relaese: \"the outer brows relax\"",
     r"phrases\.yaml: actions\.brows\.outer_brows\.relaese: unknown key"),
    ("phrases.yaml", "the {side} outer brow lifts\"", "the {sid} outer brow lifts\"",
     r"phrases\.yaml: actions\.brows\.outer_brows\.one: unknown placeholder"),
    ("phrases.yaml", "      tiers: [0.25, 0.6]", "      tiers: [0.6, 0.25]", r"phrases\.yaml: actions\.eyes\.blink\.tiers"),
    ("plan.yaml", "{beat: cover, level", "{beat: kover, level", r"plan\.yaml: arcs\.masked\[1\]\.beat"),
    ("plan.yaml", "gaze: 63A}", "gaze: 63Z}", r"plan\.yaml: arcs\.masked\[1\]\.gaze"),
    ("plan.yaml", "gaze_down: {sum: {pitch: -2.0}", "gaze_down: {sum: {pich: -2.0}",
     r"plan\.yaml: features\.gaze_down\.sum\.pich"),
    ("plan.yaml", "keep: positive}", "keep: both}", r"plan\.yaml: features\.gaze_down\.keep"),
    ("plan.yaml", "  inner: [BrowInnerUp]", "  inner: [BrowInner]", r"plan\.yaml: measures\.inner"),
    ("plan.yaml", "  last: \"the face holds\"", "", r"plan\.yaml: fillers\.last: missing"),
    ("plan.yaml", "  row: smile", "  row: smiles", r"plan\.yaml: smile\.row"),
    ("plan.yaml", "  face: {order: -1}", "  face: {order: first}", r"plan\.yaml: parts\.face\.order"),
    ("plan.yaml", "cover: masked, holds: true", "cover: maybe, holds: true", r"plan\.yaml: beats\.settle\.cover"),
])
def test_bad_phrase_data_is_refused_naming_file_and_key(tmp_path, file, old, new, key):
    directory = _copy(tmp_path, file, old, new)
    with pytest.raises(DataError, match=key):
        load_plan(directory)


def test_a_feature_the_planner_reads_is_required(tmp_path):
    directory = _copy(tmp_path, "plan.yaml", "  jawfwd: jawfwd\n", "")
    with pytest.raises(DataError, match=r"plan\.yaml: features\.jawfwd: missing"):
        with lexicon.using(directory):
            plan_keyframes("", "anger")


def test_the_phrases_follow_the_vocabulary_directory(tmp_path):
    """A copy of data/ with another phrase: the planner and the describer say it there, and the default after."""
    directory = _copy(tmp_path, "phrases.yaml", "      both: \"the eyes widen\"", "      both: \"the eyes go round\"")
    path = directory / "phrases.yaml"
    path.write_text(path.read_text().replace('"the eyes widen slightly"', '"the eyes go round slightly"'))
    assert load_phrases(directory).rows["wide"].tiers[1][0] == "the eyes go round"
    wide = np.zeros(N_CHANNELS)
    wide[[CHANNEL_INDEX["EyeWideLeft"], CHANNEL_INDEX["EyeWideRight"]]] = 0.5
    before = describer.describe(wide)
    planned = " ".join(s.description for s in plan_keyframes("", "surprise"))
    assert "the eyes widen" in before.lower() and "eyes widen" in planned.lower()
    with lexicon.using(directory):
        assert "the eyes go round" in describer.describe(wide).lower()
        assert "eyes go round" in " ".join(s.description for s in plan_keyframes("", "surprise")).lower()
    assert describer.describe(wide) == before
    assert " ".join(s.description for s in plan_keyframes("", "surprise")) == planned
