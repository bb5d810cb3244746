"""Engine 3 (issue 13): a typed frame per clause, change verbs against the current face, contradiction in
continuity, sides and numbers in plain prose, typos that stay on their part."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from keyframeface.backends.engine import lexicon
from keyframeface.backends.engine.facs import DataError
from keyframeface.backends.engine.frame import Actor, Change, frame_words, read_frame
from keyframeface.backends.engine.normalise import normalise
from keyframeface.backends.engine.parse import split_clauses
from keyframeface.backends.engine.pose import explain, pose_text
from keyframeface.channels import CHANNEL_INDEX


def v(text: str, previous: np.ndarray | None = None, emotion: str = "") -> dict[str, float]:
    values = pose_text(text, emotion=emotion, previous=previous, fallback=False).values
    return {n: float(values[i]) for n, i in CHANNEL_INDEX.items()}


def after(*texts: str) -> dict[str, float]:
    """The last keyframe of a sequence, each posed from the one before."""
    previous = None
    for text in texts:
        previous = pose_text(text, previous=previous, fallback=False).values
    assert previous is not None
    return {n: float(previous[i]) for n, i in CHANNEL_INDEX.items()}


def frames(text: str):
    return [read_frame(c.tokens, c.opener, c.negated) for c in split_clauses(normalise(text))]


def face(p: dict[str, float]) -> float:
    return sum(abs(x) for x in p.values())


# --- the frame -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "actor"), [
    ("the brows lift", Actor.PART), ("her face falls", Actor.FACE), ("she smiles", Actor.PERSON),
    ("the beam of the headlights sweeps the wall", Actor.SCENE), ("her heart sinks", Actor.SCENE),
    ("brows up", Actor.PART), ("a slight smile", Actor.NONE),
])
def test_the_frame_names_the_actor(text: str, actor: Actor) -> None:
    assert frames(text)[0].actor is actor


@pytest.mark.parametrize(("text", "change"), [
    ("the brows lift", Change.ONSET), ("the smile shrinks a touch", Change.DECREASE),
    ("the grin falls away entirely", Change.DECREASE), ("the brows ease back halfway", Change.PARTIAL),
    ("the brows never fully relax", Change.PARTIAL), ("the brows relax", Change.RELEASE),
    ("the smile stays", Change.HOLD), ("the eyes open a little wider", Change.INCREASE),
    ("the brows come back down", Change.RETURN), ("the smile returns", Change.AGAIN),
    ("she frowns again", Change.AGAIN),
])
def test_the_frame_names_the_change(text: str, change: Change) -> None:
    assert frames(text)[-1].change is change


def test_reading_a_frame_writes_nothing() -> None:
    clause = split_clauses(normalise("the smile fades as if she might weep"))[0]
    before = [(t.raw, t.lemma, dict(t.roles)) for t in clause.tokens]
    read_frame(clause.tokens, clause.opener, clause.negated)
    assert [(t.raw, t.lemma, dict(t.roles)) for t in clause.tokens] == before


# --- scene and figurative clauses, hedges ---------------------------------------------------------

@pytest.mark.parametrize("text", ["the beam of the headlights sweeps the wall", "a shadow crosses her face",
                                  "the wind tugs at the curtains", "her heart sinks"])
def test_scene_and_figurative_clauses_do_not_move_the_face(text: str) -> None:
    result = pose_text(text, fallback=False)
    assert not np.any(result.values), text
    assert any("not the face" in w for w in result.warnings)


def test_a_scene_clause_leaves_the_face_clause_beside_it() -> None:
    p = v("the light dims, and her brows lift")
    assert p["BrowInnerUp"] > 0.3 and p["MouthSmileLeft"] == 0.0


def test_a_hedge_softens_instead_of_adding_a_whole_expression() -> None:
    hedged, plain = v("she looks as if she might weep"), v("she weeps")
    assert 0.0 < hedged["BrowInnerUp"] < 0.5 * plain["BrowInnerUp"]
    assert 0.0 < hedged["MouthFrownLeft"] < 0.5 * plain["MouthFrownLeft"]


def test_grinning_through_tears_keeps_the_grin() -> None:
    p = v("grinning through a few tears")
    assert p["MouthSmileLeft"] >= v("grinning")["MouthSmileLeft"] - 1e-6
    assert p["BrowInnerUp"] < v("in tears")["BrowInnerUp"] or p["BrowInnerUp"] < 0.5


# --- change against the current face ---------------------------------------------------------------

def test_decrease_verbs_scale_the_current_value() -> None:
    broad = v("a broad smile")["MouthSmileLeft"]
    touch = after("a broad smile", "the smile shrinks a touch")["MouthSmileLeft"]
    line = after("a broad smile", "the smile thins to a line")["MouthSmileLeft"]
    fades = after("a broad smile", "the smile fades")["MouthSmileLeft"]
    assert broad > touch > line > fades > 0.0
    assert touch >= 0.7 * broad  # "a touch" is a small change


@pytest.mark.parametrize("text", ["the grin falls away entirely", "the grin fades completely",
                                  "the smile fades to nothing"])
def test_a_complete_decrease_goes_to_zero_and_grows_nothing(text: str) -> None:
    p = after("a broad grin", text)
    assert p["MouthSmileLeft"] < 0.02 and p["MouthSmileRight"] < 0.02


def test_a_decrease_with_nothing_to_shrink_stays_at_rest() -> None:
    assert v("the smile shrinks", emotion="happiness")["MouthSmileLeft"] == 0.0


def test_ease_back_halfway_keeps_half() -> None:
    high = v("the brows rise high")["BrowInnerUp"]
    assert after("the brows rise high", "the brows ease back halfway")["BrowInnerUp"] == pytest.approx(0.5 * high)


def test_never_fully_relax_keeps_part_of_the_worry() -> None:
    worried = v("the brows knit with worry")
    p = after("the brows knit with worry", "the smile widens but the brows never fully relax")
    assert p["MouthSmileLeft"] > 0.3
    assert 0.0 < p["BrowDownLeft"] < worried["BrowDownLeft"]


def test_not_quite_is_partly() -> None:
    p = v("the eyes are not quite closed")
    assert 0.0 < p["EyeBlinkLeft"] < v("the eyes are closed")["EyeBlinkLeft"]


# --- contradiction in continuity ------------------------------------------------------------------

def test_relief_ends_the_glare() -> None:
    p = after("she glares, brows lowered hard", "relief washes over her, and she smiles")
    assert p["BrowDownLeft"] < 0.05 and p["MouthSmileLeft"] > 0.3


def test_a_relaxed_nose_takes_the_raised_upper_lip_with_it() -> None:
    p = after("the nose wrinkles and the upper lip rises", "the nose relaxes")
    assert p["NoseSneerLeft"] == 0.0 and p["MouthUpperUpLeft"] < 0.05


def test_the_head_turning_back_brings_the_eyes() -> None:
    p = after("the head turns to the left and the eyes look left", "the head turns back to the front")
    assert p["HeadYaw"] == 0.0 and abs(p["LeftEyeYaw"]) < 0.05 and p["EyeLookOutLeft"] < 0.05


def test_a_described_part_replaces_its_past() -> None:
    p = after("the brows shoot up", "the brows knit together")
    assert p["BrowOuterUpLeft"] < 0.05 and p["BrowDownLeft"] > 0.3


def test_a_one_sided_action_keeps_the_other_side() -> None:
    p = after("a broad smile", "a smirk grows on the left")
    assert p["MouthSmileRight"] > 0.4


# --- sides and numbers in plain prose -------------------------------------------------------------

def test_only_one_side_of_the_mouth_moves() -> None:
    p = v("only the left side of his mouth moves; the right side stays flat")
    assert p["MouthSmileLeft"] > 0.3 and p["MouthSmileRight"] == 0.0
    assert p["MouthLeft"] == 0.0 and p["MouthPressRight"] == 0.0  # not a sideways shift, not a pressed lip


@pytest.mark.parametrize(("text", "strong", "weak"), [
    ("smile R>L", "MouthSmileRight", "MouthSmileLeft"), ("brows up L>R", "BrowOuterUpLeft", "BrowOuterUpRight"),
    ("a smile mostly on the left", "MouthSmileLeft", "MouthSmileRight"),
])
def test_uneven_sides(text: str, strong: str, weak: str) -> None:
    p = v(text)
    assert p[strong] > p[weak] > 0.0


def test_numbers_and_facs_letters_size_the_action() -> None:
    assert v("left brow raise 40%")["BrowOuterUpLeft"] == pytest.approx(0.4)
    assert v("left brow raise 40%")["BrowOuterUpRight"] == 0.0
    assert v("a trace (A) of AU12")["MouthSmileLeft"] == pytest.approx(0.1)


def test_long_inputs_stay_fast() -> None:
    start = time.perf_counter()
    pose_text("smile R>L (A) " + "r>" * 3_000 + "( " * 3_000 + "the smile fades a touch " * 200, fallback=False)
    assert time.perf_counter() - start < 5.0  # a guard against catastrophic backtracking, not a speed goal


# --- typos stay on their part ---------------------------------------------------------------------

def test_verb_slips_stay_on_their_part() -> None:
    result = pose_text("the jaw opns and the brows furow", fallback=False)
    p = {n: float(result.values[i]) for n, i in CHANNEL_INDEX.items()}
    assert p["JawOpen"] > 0.3 and p["BrowDownLeft"] > 0.3
    assert p["MouthPressLeft"] == 0.0 and p["JawForward"] == 0.0  # not a jaw clencher
    assert any("'opns'" in w for w in result.warnings)
    assert "opns" in explain(result)


@pytest.mark.parametrize("text", ["the lips form an O", "he keeps his eyes trained on the ground"])
def test_real_words_are_not_slips(text: str) -> None:
    assert not any("read '" in w for w in pose_text(text, fallback=False).warnings)


def test_the_encoder_never_chooses_the_motion_of_a_named_part(monkeypatch: pytest.MonkeyPatch) -> None:
    from keyframeface.backends.engine import fallback

    monkeypatch.setattr(fallback, "nearest_phrase", lambda text: ("jaw furrow", 0.64))  # the neighbour
    result = pose_text("the jaw qwxz and the brows zzkq")
    assert not np.any(result.values)
    assert any("not posed" in w for w in result.warnings)
    assert "not posed" in explain(result)


# --- the vocabulary is data -----------------------------------------------------------------------

def test_frame_words_load_from_another_directory(tmp_path: Path) -> None:
    data = lexicon.DATA_DIR
    shutil.copy(data / "frames.yaml", tmp_path / "frames.yaml")
    text = (tmp_path / "frames.yaml").read_text(encoding="utf-8")
    (tmp_path / "frames.yaml").write_text(text.replace("scene_nouns: [beam,", "scene_nouns: [gremlin, beam,"),
                                          encoding="utf-8")
    custom = frame_words(tmp_path)
    assert "gremlin" in custom.scene_nouns and "gremlin" not in frame_words().scene_nouns


@pytest.mark.parametrize(("old", "new", "key"), [
    ("  shrink: 0.6", "  shrink: 1.6", "decrease.shrink"),
    ("side_moves: {mouth: smile,", "side_moves: {mouth: fly,", "side_moves.mouth"),
    ("hedge_share: 0.35", "hedge_share: lots", "hedge_share"),
])
def test_a_bad_frame_table_names_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    data = lexicon.DATA_DIR
    text = (data / "frames.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "frames.yaml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DataError, match=rf"frames\.yaml: {key}"):
        frame_words(tmp_path)


def test_data_errors_are_in_the_project_error_tree(tmp_path: Path) -> None:
    from keyframeface.backends.engine.composition import composition
    from keyframeface.errors import InputError

    text = (lexicon.DATA_DIR / "composition.yaml").read_text(encoding="utf-8")
    assert "  - [NoseSneer, [MouthUpperUp]]" in text
    bad = tmp_path / "composition.yaml"
    bad.write_text(text.replace("  - [NoseSneer, [MouthUpperUp]]", "  - [NoseSneer, [MouthUpperUpp]]"),
                   encoding="utf-8")
    with pytest.raises(InputError, match=r"composition\.yaml: released_with\[0\]: 'MouthUpperUpp'") as err:
        composition(bad)
    assert isinstance(err.value, DataError) and err.value.exit_code == 2


# --- docs/engine.md tells the truth ------------------------------------------------------------------

DOC = Path(__file__).resolve().parent.parent / "docs" / "engine.md"


def test_every_data_file_and_key_the_docs_name_exists() -> None:
    import re

    import yaml

    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if re.match(r"\| .* \| `data/", line)]
    assert len(rows) > 20
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        path = lexicon.DATA_DIR / re.search(r"`data/([\w.]+)`", cells[1]).group(1)
        assert path.is_file(), row
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in re.findall(r"`([a-z_]+)`", cells[2]):
            if path.name in ("frames.yaml", "composition.yaml", "degrees.yaml", "wording.yaml", "text.yaml"):
                assert key in doc, f"{path.name} has no {key!r} ({row})"


def test_the_numbers_the_docs_quote_are_the_data() -> None:
    from keyframeface.backends.engine.composition import composition

    text = DOC.read_text(encoding="utf-8")
    assert f"`hedge_share` ({frame_words().hedge_share:g})" in text
    assert f"`partial_share` {frame_words().partial_share:g}" in text
    assert f"`carry_decay` ({composition().carry_decay:g})" in text
    assert "`one_sided: mostly` 0.6" in text and lexicon.ONE_SIDED["mostly"] == 0.6


@pytest.mark.parametrize("module", sorted(p.stem for p in lexicon.DATA_DIR.parent.glob("*.py")))
def test_engine_modules_stay_small(module: str) -> None:
    # issue 13: no engine module over 600 lines
    assert len((lexicon.DATA_DIR.parent / f"{module}.py").read_text(encoding="utf-8").splitlines()) <= 600


def animated(*descriptions: str) -> list[dict[str, float]]:
    """A sequence through the public API (the previous keyframe's words travel with it)."""
    import keyframeface

    anim = keyframeface.animate("A quiet room.", "calm", list(descriptions), life=False)
    return [{n: float(k.values[i]) for n, i in CHANNEL_INDEX.items()} for k in anim.keyframes]


def test_the_frown_resolves_ends_the_frown() -> None:
    p = after("she frowns deeply", "the frown resolves")
    assert p["MouthFrownLeft"] < 0.02 and p["BrowDownLeft"] < 0.02


@pytest.mark.parametrize(("act", "channel"), [("he licks his lips", "TongueOut"),
                                              ("she squeezes her left eye shut", "EyeBlinkLeft")])
def test_a_momentary_act_does_not_stay_on(act: str, channel: str) -> None:
    first, second = animated(act, "she looks to the right")
    assert first[channel] > 0.3 and second[channel] < 0.05


def test_a_blank_stare_is_a_still_face() -> None:
    p = v("a blank stare")
    assert max(abs(x) for x in p.values()) < 0.15


@pytest.mark.parametrize(("hedged", "plain"), [("she threatens to laugh", "she laughs"),
                                               ("he looks like he could cry", "he cries")])
def test_hedges_in_other_words_soften(hedged: str, plain: str) -> None:
    assert 0.0 < v(hedged)["MouthSmileLeft" if "laugh" in plain else "BrowInnerUp"] < 0.5 * v(plain)[
        "MouthSmileLeft" if "laugh" in plain else "BrowInnerUp"]


def test_seeming_is_not_a_hedge() -> None:
    assert v("she seems relieved")["MouthSmileLeft"] == pytest.approx(v("she is relieved")["MouthSmileLeft"])


def test_only_one_side_rests_the_other_side_of_a_smile_said_before() -> None:
    p = v("he tries to smile, but only the left side of his mouth moves")
    assert p["MouthSmileLeft"] > 0.3 and p["MouthSmileRight"] == 0.0


def test_the_engine_python_keeps_few_word_literals_and_the_docs_say_how_many() -> None:
    """Issue 13 item 5: the language modules' Python keeps at most ~400 word literals (the vocabulary is data)."""
    import importlib.util
    import re

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("engine_word_literals", root / "bench" / "engine_word_literals.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    total = sum(len(module.word_literals(p)) for p in module.ENGINE.glob("*.py"))
    assert total <= 400
    said = re.search(r"holds (\d+) word literals in all", DOC.read_text(encoding="utf-8"))
    assert said is not None and int(said.group(1)) == total, "docs/engine.md quotes the count the bench prints"
