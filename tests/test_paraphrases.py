"""Paraphrase suite: every ARKit channel reachable from several wordings (tests/data/paraphrases.yaml).

For each of the 52 blendshapes, descriptions in animator slang, FACS/anatomical wording and plain
English must put that channel among the top three blendshapes and above 0.25; for the signed pose
channels, descriptions must give the expected sign.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from keyframeface.backends.engine.pose import pose_text
from keyframeface.channels import BLENDSHAPES, CHANNEL_INDEX, N_BLENDSHAPES, POSE

DATA = yaml.safe_load((Path(__file__).parent / "data" / "paraphrases.yaml").read_text())
BLEND_CASES = [(ch, p) for ch, phrases in DATA["blendshapes"].items() for p in phrases]
POSE_CASES = [(ch, sign, p) for ch, signs in DATA["pose"].items() for sign, phrases in signs.items() for p in phrases]


def test_suite_covers_every_blendshape_three_ways() -> None:
    assert set(DATA["blendshapes"]) == set(BLENDSHAPES)
    for channel, phrases in DATA["blendshapes"].items():
        assert len(set(phrases)) >= 3, channel


def test_suite_covers_head_and_eye_rotation_both_ways() -> None:
    rotations = {n for n in POSE if not n.endswith("EyeRoll")}  # eye torsion is never described
    assert set(DATA["pose"]) == rotations
    for channel, signs in DATA["pose"].items():
        assert set(signs) == {"positive", "negative"}, channel


@pytest.mark.parametrize(("channel", "phrase"), BLEND_CASES, ids=[f"{c}:{p}" for c, p in BLEND_CASES])
def test_phrase_puts_channel_on_top(channel: str, phrase: str) -> None:
    values = pose_text(phrase).values[:N_BLENDSHAPES]
    value = values[CHANNEL_INDEX[channel]]
    rank = int(np.sum(values > value + 1e-9)) + 1  # ties share a rank (both sides of a symmetric move)
    top = sorted(zip(values, BLENDSHAPES), reverse=True)[:4]
    assert value > 0.25 and rank <= 3, f"{channel}={value:.2f} rank {rank}; top: {top}"


@pytest.mark.parametrize(("channel", "sign", "phrase"), POSE_CASES, ids=[f"{c}:{s}:{p}" for c, s, p in POSE_CASES])
def test_phrase_gives_pose_sign(channel: str, sign: str, phrase: str) -> None:
    value = pose_text(phrase).values[CHANNEL_INDEX[channel]]
    if sign == "positive":
        assert value > 0.05, f"{channel}={value:.2f}"
    else:
        assert value < -0.05, f"{channel}={value:.2f}"
