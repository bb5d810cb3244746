"""Step 2 of planning: the arc of beats a reading calls for (felt, masked, suppressed, transition), fitted to a
keyframe count, and each beat's pose (the emotion prior at its phase and level). See ``plan.py``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .emotions import TEMPO, EmotionPart, EmotionReading, emotion_prior, facs_vector
from .phrases import ArcBeat, PlanTable

_TRANSITION = "transition"  # the arc of a reading in several phases (plan.yaml ``transition``)

_Memo = dict[int, tuple["_Beat", np.ndarray]]  # id(beat) -> (beat, (61,) pose), one per plan


@dataclass(frozen=True)
class _Beat:
    """One planned keyframe before it is put into words."""

    kind: str  # a beat kind of plan.yaml: onset, build, apex, leak, cover, falter, recover, flash, control, ...
    reading: EmotionReading  # what to pose (the whole reading or the leak alone)
    position: float | None  # phase position for emotion_prior
    level: float  # scale of the prior
    priority: int  # higher survives trimming
    gaze: str = ""  # extra FACS gaze/head codes for this beat ("64B+54A")
    adverb: str = ""  # timing word that opens the description
    between: tuple[_Beat, _Beat, float] | None = None  # an in-between: (from, to, fraction of the way)


# --- arcs (plan.yaml: arcs, transition, fit) ------------------------------------------------------------


def _arc_name(reading: EmotionReading, t: PlanTable) -> str:
    """The arc a reading plays: several phases make a transition; else the first arc a role of its parts names."""
    if reading.phases > 1:
        return _TRANSITION
    roles = {p.role for p in reading.parts}
    return next((name for name in t.arcs if name in roles), next(reversed(t.arcs)))


def _adverb(spec: ArcBeat, tempos: set[str]) -> str:
    """The beat's timing word: the first of its tempos that a feeling has, else its word for any other."""
    return next((word for tempo, word in spec.adverb.items() if tempo in tempos), spec.otherwise)


def _beat(spec: ArcBeat, reading: EmotionReading, position: float | None, inward: bool, tempos: set[str],
          priority: int | None = None, adverb: bool = True) -> _Beat:
    return _Beat(spec.beat, reading, position, spec.level, spec.priority if priority is None else priority,
                 gaze=spec.inward if inward else spec.gaze, adverb=_adverb(spec, tempos) if adverb else "")


def _arc(reading: EmotionReading, t: PlanTable) -> list[_Beat]:
    """The default beats for a reading's shape (2..6)."""
    kind = _arc_name(reading, t)
    if kind == _TRANSITION:
        return _transition_arc(reading, t)
    peak = max(p.intensity for p in reading.parts)
    tempos = {TEMPO[reading.parts[0].label]}
    inward = any(p.label in t.inward for p in reading.parts)
    poses: dict[str | None, EmotionReading] = {None: reading}
    beats = []
    for spec in t.arcs[kind]:
        if not spec.low <= peak < spec.high:
            continue
        if spec.reading not in poses:
            poses[spec.reading] = _leak_reading(reading) if spec.reading == "leak" else EmotionReading(
                tuple(_as_felt(p, 0.7) for p in reading.parts), 1, reading.cues, reading.context)  # a flash
        beats.append(_beat(spec, poses[spec.reading], None, inward, tempos))
    return beats


def _transition_arc(reading: EmotionReading, t: PlanTable) -> list[_Beat]:
    """Apex of each phase, a shift between neighbours, then a settle; at most ``most`` beats."""
    n = reading.phases
    apex, shift, settle = t.transition.apex, t.transition.shift, t.transition.settle
    beats: list[_Beat] = []
    for k in range(n):
        labels = [p.label for p in reading.phase_parts(k)]
        inward = any(label in t.inward for label in labels)
        tempos = {TEMPO[label] for label in labels}
        if k:
            beats.append(_beat(shift, reading, (k - 0.5) / (n - 1), inward, tempos))
        beats.append(_beat(apex, reading, k / (n - 1), inward, tempos, apex.ends if k in (0, n - 1) else None, k == 0))
    beats.append(_beat(settle, reading, 1.0, False, set()))
    return _trim(beats, t.transition.most)  # long chains: drop shifts first, then middle apexes


def _fit(beats: list[_Beat], count: int, memo: _Memo, t: PlanTable) -> list[_Beat]:
    """Trim lowest-priority beats, or insert in-betweens where the face changes most."""
    beats = _trim(beats, count)
    while len(beats) < count:
        if len(beats) == 1:
            beats.append(_beat(t.fit.alone, beats[0].reading, beats[0].position, False, set()))
            continue
        states = [_state(b, memo) for b in beats]
        gaps = [float(np.abs(states[i + 1] - states[i]).sum()) for i in range(len(beats) - 1)]
        i = int(np.argmax(gaps))
        a, b = beats[i], beats[i + 1]
        spec = t.fit.rising if b.priority >= a.priority else t.fit.falling
        beats.insert(i + 1, _Beat(spec.beat, b.reading, b.position, b.level, spec.priority, adverb=_adverb(spec, set()),
                                  between=(a, b, 0.5)))
    return beats


def _trim(beats: list[_Beat], count: int) -> list[_Beat]:
    """Drop the lowest-priority beats (the later one on ties) until ``count`` remain."""
    beats = list(beats)
    while len(beats) > count:
        del beats[min(range(len(beats)), key=lambda i: (beats[i].priority, -i))]
    return beats


def _leak_reading(reading: EmotionReading) -> EmotionReading:
    """The concealed feelings alone, held in (leak plus lip press): the moment before the cover."""
    parts = tuple(EmotionPart(p.label, p.intensity, "suppressed", p.phase, p.words)
                  for p in reading.parts if p.role == "masked")
    return EmotionReading(parts, 1, reading.cues, reading.context)


def _as_felt(part: EmotionPart, scale: float) -> EmotionPart:
    return EmotionPart(part.label, part.intensity * scale, "felt", part.phase, part.words)



def _state(beat: _Beat, memo: _Memo) -> np.ndarray:
    """The beat's pose: (61,) prior at its position and level, plus its gaze/head codes.

    Memoised per plan by identity (the memo keeps each beat alive, so ids stay unique).
    """
    key = id(beat)
    if key not in memo:
        if beat.between:
            a, b, t = beat.between
            values = (1.0 - t) * _state(a, memo) + t * _state(b, memo)
        else:
            values = emotion_prior(beat.reading, beat.position)[0] * beat.level
            if beat.gaze:
                values = values + facs_vector(beat.gaze) * 0.6
        memo[key] = (beat, values)
    return memo[key][1]

