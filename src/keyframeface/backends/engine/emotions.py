"""The emotion model: emotion words -> a structured reading -> a 61-channel prior.

``read_emotion`` parses what people write ("slightly annoyed", "anxiety concealed by a
restrained smile", "shock turning into relief") into parts with a role, an intensity
and a phase. ``emotion_prior`` turns a reading into ARKit values plus the
``Contribution``s that explain them; the pose engine uses it to fill regions a
keyframe description leaves unsaid, and the planner describes it in words.

Prototypes are written in FACS notation and mapped to ARKit through the public
FACS <-> ARKit table (docs/formats.md §1), the one table in ``data/facs.yaml`` (``facs.py``). Intensity letters
follow FACS on its calibrated scale: A trace, B slight, C marked, D severe, E maximum; an ``L``/``R``
prefix makes an AU unilateral (subject's own side; one-sided expressions such as contempt use
the left, the same default side as the pose engine's unsided "smirk"). Sources:
  * basic emotions: EMFACS prototypes as commonly cited (happiness 6+12, sadness 1+4+15,
    surprise 1+2+5+26, fear 1+2+4+5+7+20+26, anger 4+5+7+23, disgust 9+15+16 (+10, the
    usual variant), contempt unilateral 12+14);
  * compounds: Du, Tao & Martinez (2014), "Compound facial expressions of emotion", PNAS;
  * embarrassment: Keltner (1995); pride: Tracy & Robins (2004); pain: Prkachin (1992);
    the rest are common descriptions of those states, marked heuristic.
Masking follows Ekman's "reliable muscles": a concealed emotion leaks mainly in the
brows and eyes (AU1+4 for worry and fear) while the cover owns the mouth; a false smile
lacks AU6 (no cheek raise).

The reader (words -> reading) is ``emotion_reader.py``, re-exported here; this module holds the prior.
"""

from __future__ import annotations

import re

import numpy as np

from ...channels import CHANNELS, HIGH, LOW, N_BLENDSHAPES, N_CHANNELS, region_of
from ...data import Contribution
from .facs import facs_vector

__all__ = [
    "PROTOTYPES",
    "ROLES",
    "TEMPO",
    "VALENCE",
    "EmotionPart",
    "EmotionReading",
    "emotion_prior",
    "facs_vector",
    "prototype_aus",
    "read_emotion",
]


from . import vocab
from .emotion_data import emotion_data
from .emotion_reader import (_EMOTIONS, _FALSE_SMILE, FELT, MASKED, ROLES, SHOWN, SUPPRESSED, TEMPO, VALENCE,
                             EmotionPart, EmotionReading, read_emotion)

# The reader (step 1: words -> a reading) lives in emotion_reader.py and is re-exported; the prior (step 2) is here.


def emotion_prior(reading: EmotionReading, position: float | None = None,
                  ) -> tuple[np.ndarray, tuple[Contribution, ...]]:
    """The reading as (61,) ARKit values in order A, with the contributions that explain them.

    ``position`` in [0, 1] is where the keyframe sits in the sequence and picks (blends)
    the phase of a transition; None is the whole emotion, first phase dominant.
    """
    weights = _phase_weights(reading.phases, position)  # (phases,)
    values = np.zeros(N_CHANNELS)
    contributions: list[Contribution] = []
    for phase, weight in enumerate(weights):
        if weight <= 0.0:
            continue
        vectors = []
        for part, vector, rule in _phase_vectors(reading, phase):
            vectors.append(vector)
            contributions += _explain(vector * weight, part.words, rule)
        values += weight * _combine(vectors)
    context = []
    for part in reading.context:
        vector = _PROTO_VEC[part.label] * part.intensity
        context.append(vector)
        contributions += _explain(vector, part.words, f"background cue: {part.label} ({prototype_aus(part.label)})")
    if context:
        values = _combine([values, *context])
    return np.clip(values, LOW, HIGH), tuple(contributions)


def prototype_aus(label: str) -> str:
    """The AU numbers of a label's prototype, 'AU1+2+5+26' (for explanations)."""
    codes = [re.sub(r"[A-Z]", "", c) for c in _EMOTIONS[label][0].split("+") if c]
    return "AU" + "+".join(codes) if codes else "no AUs"


# --- prototypes ------------------------------------------------------------------------


_PROTO_VEC: dict[str, np.ndarray] = {}  # label -> its prototype face, for the active vocabulary


@vocab.on_switch
def _bind_prototypes() -> None:
    _PROTO_VEC.clear()
    _PROTO_VEC.update({k: facs_vector(v[0]) for k, v in _EMOTIONS.items()})
PROTOTYPES: dict[str, dict[str, float]] = {
    label: {CHANNELS[i]: float(vec[i]) for i in np.flatnonzero(vec)} for label, vec in _PROTO_VEC.items()
}
_CONTROL = facs_vector("17B+24C")  # the effort of holding a face still (suppression)


def _region_gains(gains: dict[str, float], default: float) -> np.ndarray:
    """(61,) multipliers from per-region gains."""
    return np.array([gains.get(region_of(n), default) for n in CHANNELS])


# How much of a part's prototype each role keeps, per region (Ekman's reliable muscles:
# a concealed feeling leaks in the brows and eyes; the cover owns the mouth).
_ROLE_GAINS: dict[str, np.ndarray] = {
    FELT: np.ones(N_CHANNELS),
    SHOWN: _region_gains({"brows": 0.25, "eyes": 0.3, "cheeks": 0.5, "gaze": 0.5, "head": 0.5}, 1.0),
    MASKED: _region_gains({"brows": 0.6, "eyes": 0.45, "gaze": 0.6, "head": 0.5}, 0.1),
    SUPPRESSED: _region_gains({"brows": 0.6, "eyes": 0.5, "gaze": 0.7, "head": 0.6, "cheeks": 0.4}, 0.3),
}
_DUCHENNE = np.array([n.startswith("CheekSquint") for n in CHANNELS])  # AU6, absent in a false smile


# --- prior -----------------------------------------------------------------------------


def _phase_weights(phases: int, position: float | None) -> np.ndarray:
    """(phases,) weights: the phase at ``position``, or first-dominant when None.

    Phase k sits at k / (phases - 1). Between two phases the hand-over is a smoothstep over
    the middle half of the gap, so keyframes near a phase get that phase alone (with 4
    keyframes over "A turning into B": A, mostly A, mostly B, B) and the midpoint is 50/50.
    """
    if phases == 1:
        return np.ones(1)
    if position is None:
        w = np.full(phases, 0.35 / (phases - 1))
        w[0] = 0.65
        return w
    f = float(np.clip(position, 0.0, 1.0)) * (phases - 1)
    k = min(int(f), phases - 2)  # the gap [k, k + 1] holding f
    t = float(np.clip((f - k - 0.25) / 0.5, 0.0, 1.0))
    t = t * t * (3.0 - 2.0 * t)  # smoothstep
    w = np.zeros(phases)
    w[k], w[k + 1] = 1.0 - t, t
    return w


def _phase_vectors(reading: EmotionReading, phase: int) -> list[tuple[EmotionPart, np.ndarray, str]]:
    """Each part of a phase as a role-shaped vector with its explanation rule."""
    parts = reading.phase_parts(phase)
    masking = any(p.role == MASKED for p in parts)
    out = []
    for part in parts:
        role_gains = _ROLE_GAINS[FELT if part.role == SHOWN and not masking else part.role]
        vector = _PROTO_VEC[part.label] * part.intensity * role_gains
        if part.role in (MASKED, SUPPRESSED) and part.words.split()[0] in emotion_data().grammar.leaking_hedges:
            vector = vector * 1.5  # a barely contained feeling leaks more
        words = part.words.split()
        false_smile = len(words) > 1 and words[0] in _FALSE_SMILE  # "forced smile", "polite smile"
        if part.role == SHOWN and (masking or false_smile):
            vector = np.where(_DUCHENNE, vector * (0.2 if false_smile else 0.5), vector)
        role = "" if part.role == FELT else f", {part.role}"
        out.append((part, vector, f"emotion prior: {part.label}{role} ({prototype_aus(part.label)})"))
        if part.role == SUPPRESSED or (part.role == MASKED and not any(p.role == SHOWN for p in parts)):
            out.append((part, _CONTROL * part.intensity * 0.6, "suppression effort (AU17+24)"))
    return out


def _combine(vectors: list[np.ndarray]) -> np.ndarray:
    """Blend parts: blendshapes by soft OR (1 - prod(1 - v)), pose by sum."""
    if not vectors:
        return np.zeros(N_CHANNELS)
    stack = np.array(vectors)  # (parts, 61)
    out = stack.sum(axis=0)
    shapes = np.clip(stack[:, :N_BLENDSHAPES], 0.0, 1.0)
    out[:N_BLENDSHAPES] = 1.0 - np.prod(1.0 - shapes, axis=0)
    return out


def _explain(vector: np.ndarray, words: str, rule: str) -> list[Contribution]:
    """One Contribution per channel a rule moved noticeably."""
    return [Contribution(CHANNELS[i], round(float(vector[i]), 4), words, rule)
            for i in np.flatnonzero(np.abs(vector) >= 0.005)]
