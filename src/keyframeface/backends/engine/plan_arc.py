"""Step 2 of planning: the arc of beats a reading calls for (felt, masked, suppressed, transition), fitted to a
keyframe count, and each beat's pose (the emotion prior at its phase and level). See ``plan.py``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .emotions import TEMPO, EmotionPart, EmotionReading, emotion_prior, facs_vector

# Labels whose onset turns the gaze and head inward (down).
_INWARD = frozenset(["sadness", "anxiety", "worry", "embarrassment", "shame", "guilt", "dread", "despair",
                     "resignation", "disappointment", "exhaustion", "nostalgia", "sadly", "fearful", "sulking",
                     "boredom", "bittersweet"])
# The stage of the arc each beat kind plays.
STAGES = {"onset": "onset", "flash": "onset", "build": "peak", "apex": "peak", "shift": "peak", "leak": "leak",
          "falter": "leak", "cover": "mask", "recover": "mask", "control": "mask", "settle": "resolution",
          "ease": "resolution"}


_Memo = dict[int, tuple["_Beat", np.ndarray]]  # id(beat) -> (beat, (61,) pose), one per plan


@dataclass(frozen=True)
class _Beat:
    """One planned keyframe before it is put into words."""

    kind: str  # onset, build, apex, leak, cover, falter, recover, flash, control, shift, settle, ease
    reading: EmotionReading  # what to pose (the whole reading or the leak alone)
    position: float | None  # phase position for emotion_prior
    level: float  # scale of the prior
    priority: int  # higher survives trimming
    gaze: str = ""  # extra FACS gaze/head codes for this beat ("64B+54A")
    adverb: str = ""  # timing word that opens the description
    between: tuple[_Beat, _Beat, float] | None = None  # an in-between: (from, to, fraction of the way)


# --- arcs ------------------------------------------------------------------------------


def _arc_name(reading: EmotionReading) -> str:
    roles = {p.role for p in reading.parts}
    if reading.phases > 1:
        return "transition"
    if "masked" in roles:
        return "masked"
    if "suppressed" in roles:
        return "suppressed"
    return "felt"


def _arc(reading: EmotionReading) -> list[_Beat]:
    """The default beats for a reading's shape (2..6)."""
    kind = _arc_name(reading)
    peak = max(p.intensity for p in reading.parts)
    main = reading.parts[0].label
    tempo = TEMPO[main]
    inward = "64B+54A" if any(p.label in _INWARD for p in reading.parts) else ""
    if kind == "transition":
        return _transition_arc(reading)
    if kind == "masked":
        leak = _leak_reading(reading)
        beats = [_Beat("leak", leak, None, 1.0, 3, gaze=inward or "64A", adverb="slowly" if tempo == "slow" else ""),
                 _Beat("cover", reading, None, 1.0, 4, gaze="63A")]
        if peak >= 0.8:
            beats += [_Beat("falter", leak, None, 1.2, 1, gaze="64A", adverb="briefly"),
                      _Beat("recover", reading, None, 0.9, 2, adverb="quickly")]
        else:
            beats.append(_Beat("settle", reading, None, 0.7, 1, adverb="slowly"))
        return beats
    if kind == "suppressed":
        flash = EmotionReading(tuple(_as_felt(p, 0.7) for p in reading.parts), 1, reading.cues, reading.context)
        return [_Beat("flash", flash, None, 1.0, 3, adverb="briefly" if tempo == "slow" else "suddenly"),
                _Beat("control", reading, None, 1.0, 4, gaze=inward),
                _Beat("settle", reading, None, 0.75, 1, gaze=inward or "64A", adverb="slowly")]
    onset_adverb = {"fast": "suddenly" if peak >= 0.45 else "", "slow": "slowly"}.get(tempo, "")
    if peak < 0.45:
        return [_Beat("onset", reading, None, 0.5, 3, gaze=inward, adverb=onset_adverb),
                _Beat("apex", reading, None, 1.0, 4, gaze=inward)]
    beats = [_Beat("onset", reading, None, 0.45, 3, gaze=inward, adverb=onset_adverb)]
    if peak >= 0.85:
        beats.append(_Beat("build", reading, None, 0.75, 1, gaze=inward))
    return beats + [_Beat("apex", reading, None, 1.0, 4, gaze=inward),
                    _Beat("settle", reading, None, 0.55, 2, gaze=inward and "64A", adverb="slowly")]


def _transition_arc(reading: EmotionReading) -> list[_Beat]:
    """Apex of each phase, a shift between neighbours, then a settle; at most 6 beats."""
    n = reading.phases
    beats: list[_Beat] = []
    for k in range(n):
        labels = [p.label for p in reading.phase_parts(k)]
        inward = "64B+54A" if any(label in _INWARD for label in labels) else ""
        fast = any(TEMPO[label] == "fast" for label in labels)
        if k:
            beats.append(_Beat("shift", reading, (k - 0.5) / (n - 1), 0.8, 1,
                               adverb="abruptly" if fast else "gradually"))
        first = "suddenly" if k == 0 and fast else ""
        beats.append(_Beat("apex", reading, k / (n - 1), 1.0, 4 if k in (0, n - 1) else 3,
                           gaze=inward, adverb=first))
    beats.append(_Beat("settle", reading, 1.0, 0.6, 2, adverb="slowly"))
    return _trim(beats, 6)  # long chains: drop shifts first, then middle apexes


def _fit(beats: list[_Beat], count: int, memo: _Memo) -> list[_Beat]:
    """Trim lowest-priority beats, or insert in-betweens where the face changes most."""
    beats = _trim(beats, count)
    while len(beats) < count:
        if len(beats) == 1:
            beats.append(_Beat("settle", beats[0].reading, beats[0].position, 0.6, 0, adverb="slowly"))
            continue
        states = [_state(b, memo) for b in beats]
        gaps = [float(np.abs(states[i + 1] - states[i]).sum()) for i in range(len(beats) - 1)]
        i = int(np.argmax(gaps))
        a, b = beats[i], beats[i + 1]
        kind = "build" if b.priority >= a.priority else "ease"
        beats.insert(i + 1, _Beat(kind, b.reading, b.position, b.level, 0, adverb="gradually" if kind == "build"
                                  else "slowly", between=(a, b, 0.5)))
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

