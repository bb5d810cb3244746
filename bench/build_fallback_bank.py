"""Rebuild src/keyframeface/backends/engine/fallback_bank.json: phrases the lexicon reads, for the encoder fallback.

    python bench/build_fallback_bank.py

The bank is the dev paraphrase suite (tests/data/paraphrases.yaml) plus short "part + verb" and
whole-expression phrases generated from the lexicon, keeping only phrases pose_text recognises.
The held-back sets (bench/paraphrases_heldback/) are never put in the bank.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from keyframeface.backends.engine import lexicon as lx
from keyframeface.backends.engine.fallback import BANK_PATH
from keyframeface.backends.engine.pose import pose_text

ROOT = Path(__file__).resolve().parents[1]
PART_WORDS = {
    "brow": "eyebrows", "inner_brow": "inner eyebrows", "outer_brow": "outer eyebrows", "forehead": "forehead",
    "eye": "eyes", "lid": "eyelids", "upper_lid": "upper eyelids", "lower_lid": "lower eyelids",
    "eyecorner": "corners of the eyes", "gaze": "gaze", "cheek": "cheeks", "nose": "nose", "mouth": "mouth",
    "lips": "lips", "lip": "lip", "corner": "mouth corners", "upper_lip": "upper lip", "lower_lip": "lower lip",
    "teeth": "teeth", "upper_teeth": "upper teeth", "lower_teeth": "lower teeth", "chin": "chin", "jaw": "jaw",
    "tongue": "tongue", "head": "head", "face": "face",
}


def phrases() -> list[str]:
    """Candidate phrases, deduplicated, in a stable order."""
    dev = yaml.safe_load((ROOT / "tests" / "data" / "paraphrases.yaml").read_text())
    out = [p for ps in dev["blendshapes"].values() for p in ps]
    out += [p for signs in dev["pose"].values() for ps in signs.values() for p in ps]
    verbs: dict[str, str] = {}
    for word, motion in lx.MOTION_WORDS.items():
        if motion and motion not in verbs:
            verbs[motion] = word
    out += [f"{PART_WORDS[part]} {verbs[motion]}" for part, motion in lx.RULES if motion in verbs]
    out += list(lx.EXPRESSIONS) + list(lx.EXPRESSION_SYNONYMS)
    return list(dict.fromkeys(p for p in out if any(c.value for c in pose_text(p).contributions)))


def main() -> None:
    bank = phrases()
    BANK_PATH.write_text(json.dumps({"phrases": bank}, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(bank)} phrases to {BANK_PATH}")


if __name__ == "__main__":
    main()
