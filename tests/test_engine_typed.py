"""Engine stages decide by typed data (kinds, flags, clause numbers), never by reading explanation strings."""

from __future__ import annotations

import re
from pathlib import Path

from keyframeface.backends.engine import pose_text
from keyframeface.channels import CHANNEL_INDEX
from keyframeface.data import ContributionKind

ENGINE = Path(__file__).resolve().parents[1] / "src" / "keyframeface" / "backends" / "engine"
# a contribution's rule or words compared, searched or tested by prefix; a planned clause's text tested by prefix
_STRING_DECISION = re.compile(r"\.rule\s*(?:[!=]=|is\b)|\brule is (?!None|not None)"
                              r"|\.(?:rule|words)\.(?:startswith|endswith)|\bin \w+\.rule\b|\.words\s*[!=]="
                              r"|text\.startswith\(\"while")


def test_no_engine_stage_decides_by_an_explanation_string() -> None:
    found = [f"{p.name}:{i}: {line.strip()}" for p in sorted(ENGINE.glob("*.py"))
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if _STRING_DECISION.search(line.split("#")[0])]
    assert not found, "\n".join(found)


def test_the_pattern_catches_what_it_forbids() -> None:
    for line in ('if c.rule == "x":', "if rule is LITERAL_RULE:", "if c.words != turn.words:",
                 'main = [c for c in cs if not c.text.startswith("while ")]', 'if "carried" in c.rule:'):
        assert _STRING_DECISION.search(line), line


def test_a_channel_named_with_its_value_is_literal_and_taken_as_given() -> None:
    r = pose_text("the jaw drops wide, JawOpen 0.4")
    why = {c.channel: c for c in r.contributions}
    assert why["JawOpen"].kind is ContributionKind.LITERAL and abs(r.values[CHANNEL_INDEX["JawOpen"]] - 0.4) < 1e-6


def test_what_a_momentary_verb_moved_before_does_not_carry() -> None:
    before = pose_text("She blinks and smiles.")
    after = pose_text("The brows lift.", previous=before.values, previous_description="She blinks and smiles.",
                      previous_words={c.channel: c.words for c in before.contributions})
    blink, smile = CHANNEL_INDEX["EyeBlinkLeft"], CHANNEL_INDEX["MouthSmileLeft"]
    assert before.values[blink] > 0.8 and after.values[blink] < 0.05
    assert after.values[smile] > 0.5 * before.values[smile] > 0.1  # the smile is not momentary: it carries


def test_the_head_turn_and_the_gaze_held_in_another_clause_counter_rotate() -> None:
    r = pose_text("the head turns left while the eyes stay on the camera")
    head, eye = r.values[CHANNEL_INDEX["HeadYaw"]], r.values[CHANNEL_INDEX["LeftEyeYaw"]]
    assert head != 0.0 and eye == -head
