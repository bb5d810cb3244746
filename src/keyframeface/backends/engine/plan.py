"""The planner: background + emotion -> 2..6 keyframe descriptions in plain facial English.

Steps:
  1. ``read_emotion`` parses the emotion (parts, roles, phases) and the background cues.
  2. An arc of beats is chosen from the reading's shape:
       felt        onset -> (build) -> apex -> settle
       masked      leak -> cover -> (falter -> recover)      the cover owns the mouth,
                                                             the leak the brows and eyes
       suppressed  flash -> control -> settle
       transition  apex A -> shift -> apex B (-> shift -> apex C) -> settle
     ``count`` trims the lowest-priority beats or inserts in-betweens where the face
     changes most.
  3. Each beat is posed with ``emotion_prior`` (at the beat's phase position and level)
     and described region by region, in the order and style of the KeyframeFace release's
     descriptions ("The gaze is lowered, the inner brows lift slightly, and the lips press
     together with visible tension."): gaze and head, brows, eyes, nose and cheeks, mouth,
     jaw, with degree words, sides, what changes against the previous beat, and timing words
     the timeline reads ("suddenly", "slowly").
Deterministic: the same input always gives the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...channels import CHANNEL_INDEX
from ...data import KeyframeSpec
from ...errors import InputError
from .emotions import (
    TEMPO,
    EmotionPart,
    EmotionReading,
    emotion_prior,
    facs_vector,
    read_emotion,
)

__all__ = ["MAX_KEYFRAMES", "explain_plan", "plan_keyframes"]

MAX_KEYFRAMES = 12
_T = 0.1  # below this a feature goes unmentioned
# Labels whose onset turns the gaze and head inward (down).
_INWARD = frozenset("sadness anxiety worry embarrassment shame guilt dread despair resignation disappointment "
                    "exhaustion nostalgia sadly fearful sulking boredom bittersweet".split())


_Memo = dict[int, tuple["_Beat", np.ndarray]]  # id(beat) -> (beat, (61,) pose), one per plan


@dataclass(frozen=True)
class _Beat:
    """One planned keyframe before it is put into words."""

    kind: str  # onset, build, apex, leak, cover, falter, recover, flash, control, shift, settle
    reading: EmotionReading  # what to pose (the whole reading or the leak alone)
    position: float | None  # phase position for emotion_prior
    level: float  # scale of the prior
    priority: int  # higher survives trimming
    gaze: str = ""  # extra FACS gaze/head codes for this beat ("64B+54A")
    adverb: str = ""  # timing word that opens the description
    between: tuple[_Beat, _Beat, float] | None = None  # an in-between: (from, to, fraction of the way)


def plan_keyframes(background: str, emotion: str, count: int | None = None) -> list[KeyframeSpec]:
    """An ordered list of keyframe descriptions for the emotion (``count`` fixes how many, 1..12)."""
    return [KeyframeSpec(text) for _, text in _plan(background, emotion, count)[1]]


def explain_plan(background: str, emotion: str, count: int | None = None) -> str:
    """Why the plan is what it is: the emotion reading, the arc chosen, and each beat's words."""
    reading, beats = _plan(background, emotion, count)
    lines = [f"emotion: {emotion!r}", f"background: {background!r}", f"phases: {reading.phases}"]
    lines += [f"  part: {p.label} ({p.role}, intensity {p.intensity:.2f}, phase {p.phase}) from {p.words!r}"
              for p in reading.parts]
    lines += [f"  cue: {c}" for c in reading.cues]
    lines += [f"  context nudge: {p.label} {p.intensity:.2f} from {p.words!r}" for p in reading.context]
    lines.append(f"arc: {_arc_name(reading)}: " + " -> ".join(b.kind for b, _ in beats))
    for i, (beat, text) in enumerate(beats, 1):
        where = "whole" if beat.position is None else f"{beat.position:.2f}"
        how = "half-way to the next beat" if beat.between else f"position {where}, level {beat.level:.2f}"
        lines.append(f"  {i}. {beat.kind} ({how}): {text}")
    return "\n".join(lines)


# --- arcs ------------------------------------------------------------------------------


def _plan(background: str, emotion: str, count: int | None) -> tuple[EmotionReading, list[tuple[_Beat, str]]]:
    """The reading and its beats with their descriptions."""
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)
                              or not 1 <= count <= MAX_KEYFRAMES):
        raise InputError(f"{count!r} is not a keyframe count; expected an integer 1..{MAX_KEYFRAMES}",
                         field="keyframes")
    reading = read_emotion(emotion, background or "")
    beats, memo = _arc(reading), {}
    if count is not None:
        beats = _fit(beats, count, memo)
    return reading, _describe_all(beats, memo)


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


# --- words -----------------------------------------------------------------------------


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


# Raw measures of a pose: each the mean of a few channels.
_MEASURES: dict[str, tuple[str, ...]] = {
    "inner": ("BrowInnerUp",), "down": ("BrowDownLeft", "BrowDownRight"),
    "outerL": ("BrowOuterUpLeft",), "outerR": ("BrowOuterUpRight",),
    "wide": ("EyeWideLeft", "EyeWideRight"), "squint": ("EyeSquintLeft", "EyeSquintRight"),
    "blink": ("EyeBlinkLeft", "EyeBlinkRight"), "cheek": ("CheekSquintLeft", "CheekSquintRight"),
    "sneer": ("NoseSneerLeft", "NoseSneerRight"), "smileL": ("MouthSmileLeft",), "smileR": ("MouthSmileRight",),
    "frown": ("MouthFrownLeft", "MouthFrownRight"), "press": ("MouthPressLeft", "MouthPressRight"),
    "stretch": ("MouthStretchLeft", "MouthStretchRight"), "upper": ("MouthUpperUpLeft", "MouthUpperUpRight"),
    "chin": ("MouthShrugLower",), "pucker": ("MouthPucker", "MouthFunnel"),
    "lower": ("MouthLowerDownLeft", "MouthLowerDownRight"), "jaw": ("JawOpen",), "jawfwd": ("JawForward",),
    "pitch": ("LeftEyePitch", "RightEyePitch"), "yaw": ("LeftEyeYaw", "RightEyeYaw"),
    "hpitch": ("HeadPitch",), "hyaw": ("HeadYaw",), "hroll": ("HeadRoll",),
}
_MEASURE_MATRIX = np.zeros((len(_MEASURES), len(CHANNEL_INDEX)))  # (measures, 61): row-wise means
for _row, _names in enumerate(_MEASURES.values()):
    _MEASURE_MATRIX[_row, [CHANNEL_INDEX[n] for n in _names]] = 1.0 / len(_names)


def _features(v: np.ndarray) -> dict[str, float]:
    """Named, describable quantities of a (61,) pose (>= 0; the "_" keys are signed, for sides)."""
    m = dict(zip(_MEASURES, (_MEASURE_MATRIX @ v).tolist()))
    smile = (m["smileL"] + m["smileR"]) / 2
    return {
        "gaze_down": max(0.0, -m["pitch"] * 2.0), "gaze_up": max(0.0, m["pitch"] * 2.0),
        "gaze_side": abs(m["yaw"]), "head_down": max(0.0, -m["hpitch"] * 2.5),
        "head_up": max(0.0, m["hpitch"] * 2.5), "head_tilt": abs(m["hroll"]) * 2.0, "head_turn": abs(m["hyaw"]) * 2.0,
        "inner": m["inner"], "down": m["down"], "outer": (m["outerL"] + m["outerR"]) / 2,
        "one_brow": abs(m["outerL"] - m["outerR"]),
        "wide": m["wide"], "squint": max(0.0, m["squint"] - 0.25 * m["cheek"]), "blink": m["blink"],
        "cheek": m["cheek"], "sneer": m["sneer"], "smile": smile, "smirk": abs(m["smileL"] - m["smileR"]),
        "frown": m["frown"], "press": m["press"], "stretch": m["stretch"], "upper": m["upper"],
        "chin": m["chin"], "pucker": m["pucker"], "lower": m["lower"], "jaw": m["jaw"], "jawfwd": m["jawfwd"],
        "_yaw": m["yaw"], "_hyaw": m["hyaw"], "_hroll": m["hroll"], "_smile_side": m["smileR"] - m["smileL"],
        "_outer_side": m["outerR"] - m["outerL"],
    }


def _side(x: float) -> str:
    """Subject's side for a signed yaw/roll or a right-minus-left difference."""
    return "right" if x > 0 else "left"


def _tier(x: float, low: float = 0.4, high: float = 0.66) -> int:
    return 0 if x < low else 1 if x < high else 2


# feature -> (region order, three degree phrases); "{side}" is filled from the feature's sign.
_PHRASES: dict[str, tuple[int, tuple[str, str, str]]] = {
    "gaze_down": (0, ("the gaze lowers slightly", "the gaze is lowered", "the gaze drops to the floor")),
    "gaze_up": (0, ("the gaze lifts slightly", "the gaze rises", "the eyes roll upward")),
    "gaze_side": (0, ("the gaze drifts slightly to the {side}", "the gaze slides to the {side}",
                      "the eyes dart to the {side}")),
    "head_down": (1, ("the head dips slightly", "the head bows", "the head hangs low")),
    "head_up": (1, ("the chin lifts slightly", "the head tilts back", "the head tips far back")),
    "head_tilt": (1, ("the head tilts slightly to the {side}", "the head tilts to the {side}",
                      "the head leans hard to the {side}")),
    "head_turn": (1, ("the head turns slightly to the {side}", "the head turns to the {side}",
                      "the head turns away to the {side}")),
    "brows_raise": (2, ("both brows lift slightly", "both brows rise", "the brows shoot up")),
    "brows_fear": (2, ("the brows lift and draw together slightly", "the brows rise and pull together",
                       "the brows shoot up and pinch together")),
    "brows_worry": (2, ("the inner brows lift slightly", "the inner brows lift and draw together",
                        "the inner brows pull up hard and pinch together")),
    "brows_inner": (2, ("the inner brows lift slightly", "the inner brows lift", "the inner brows lift high")),
    "brows_down": (2, ("the brows lower slightly", "the brows lower and knit together",
                       "the brows lower hard and knit together")),
    "one_brow": (2, ("the {side} brow arches slightly", "the {side} brow arches", "the {side} brow arches high")),
    "wide": (3, ("the eyes widen slightly", "the eyes widen", "the eyes go wide")),
    "squint": (3, ("the eyes narrow slightly", "the eyes narrow", "the eyes squeeze into a hard squint")),
    "glare": (3, ("the eyes narrow slightly into a stare", "the eyes narrow into a glare",
                  "the eyes narrow into a hard glare")),
    "blink": (3, ("the eyelids droop slightly", "the eyelids grow heavy", "the eyes close")),
    "cheek": (4, ("the cheeks lift slightly", "the cheeks lift and crinkle the eyes",
                  "the cheeks push up and crinkle the eyes")),
    "sneer": (4, ("the nose wrinkles slightly", "the nose wrinkles", "the nose wrinkles hard")),
    "smile": (5, ("the mouth corners lift into a faint smile", "both mouth corners form a small smile",
                  "both mouth corners lift into a broad smile")),
    "smirk": (5, ("the {side} mouth corner lifts slightly", "the {side} mouth corner lifts into a lopsided smirk",
                  "the {side} mouth corner pulls up into a pronounced smirk")),
    "frown": (5, ("the mouth corners turn down slightly", "the mouth corners turn down",
                  "the mouth corners pull down hard")),
    "press": (5, ("the lips press together lightly", "the lips press together",
                  "the lips press together with visible tension")),
    "stretch": (5, ("the lips stretch slightly sideways", "the lips stretch sideways",
                    "the lips stretch back tightly")),
    "upper": (5, ("the upper lip lifts slightly", "the upper lip curls up", "the upper lip curls up in a sneer")),
    "chin": (5, ("the chin tightens slightly", "the chin tightens and pushes the lower lip up",
                 "the chin bunches hard and the lower lip pushes up")),
    "pucker": (5, ("the lips purse slightly", "the lips purse", "the lips pout forward")),
    "lower": (6, ("the lips part slightly", "the lips part", "the lower lip drops")),
    "jaw": (6, ("the mouth falls slightly open", "the jaw drops open", "the jaw drops wide open")),
    "jawfwd": (6, ("the jaw juts forward slightly", "the jaw juts forward", "the jaw juts hard forward")),
}
# Degree thresholds: the default (0.4, 0.66) sits half-way between the pose engine's degree
# values (slightly 0.3, plain 0.55, hard 0.78), so it poses the words back close to the value.
# Exceptions: phrases with their own scale, and the release's "visible tension" for a 0.4 press.
_TIERS: dict[str, tuple[float, float]] = {
    "press": (0.15, 0.3), "jaw": (0.2, 0.45), "gaze_down": (0.15, 0.5), "gaze_up": (0.15, 0.5),
    "head_down": (0.15, 0.5), "head_up": (0.15, 0.5), "head_tilt": (0.22, 0.5), "head_turn": (0.22, 0.5),
    "blink": (0.25, 0.6), "smile": (0.25, 0.55), "lower": (0.2, 0.45), "smirk": (0.15, 0.4),
}
# Words for a feature that was there and is going away (said only when nothing else in its
# region is active: the pose engine reads "relax" as "this region back to rest").
_RELEASE: dict[str, str] = {
    "brows": "the brows relax", "eyes": "the eyes soften", "blink": "the eyes reopen", "cheek": "the cheeks settle",
    "sneer": "the nose smooths", "mouth": "the mouth relaxes", "smile": "the smile fades",
    "smirk": "the smirk fades", "frown": "the mouth corners relax", "jaw": "the jaw relaxes",
    "gaze_down": "the gaze rises",
    "head": "the head straightens", "head_turn": "the head turns back", "gaze_side": "the gaze returns forward",
}
_RELEASE_GROUP: dict[str, str] = {
    "wide": "eyes", "squint": "eyes", "glare": "eyes", "press": "mouth", "stretch": "mouth", "pucker": "mouth",
    "upper": "mouth", "chin": "mouth", "lower": "jaw", "jawfwd": "jaw", "head_down": "head", "head_up": "head",
    "head_tilt": "head", "head_turn": "head",
}
# Continuing leak phrases for a cover beat ("while the brows remain worried").
_REMAIN: dict[str, str] = {
    "brows_worry": "the brows remain worried", "brows_inner": "the inner brows stay lifted",
    "brows_fear": "the brows stay raised and tense", "brows_down": "the brows stay knitted",
    "brows_raise": "the brows stay raised", "squint": "the eyes stay narrowed", "glare": "the eyes keep glaring",
    "wide": "the eyes stay wide",
    "blink": "the eyelids stay heavy", "gaze_down": "the gaze stays lowered",
}
_LEAK_REGIONS = frozenset({2, 3})  # brows, eyes
_HOLDING = frozenset({"settle", "ease", "control", "recover", "falter"})  # beats that say "remain"
_SMILE_WORDS = frozenset("forced fake false strained nervous tight awkward brave pained thin polite social "
                         "professional practiced practised frozen wooden courteous dutiful hollow sad bitter "
                         "melancholy melancholic wistful rueful wry weak shaky tearful teary sheepish embarrassed "
                         "guilty apologetic anxious worried tired weary".split())
_VARIATIONS = ("the head tilts slightly to the left", "the gaze drifts slightly to the right",
               "the chin lifts slightly", "the head dips slightly")


def _brow_key(f: dict[str, float]) -> tuple[str, float] | None:
    """Which brow shape the pose shows, and how strongly."""
    inner, down, outer = f["inner"], f["down"], f["outer"]
    if max(inner, down, outer) < _T:
        return None
    if outer >= _T and inner >= _T:
        if down >= _T:
            return "brows_fear", (inner + outer + down) / 3
        return "brows_raise", (inner + outer) / 2
    if inner >= _T and down >= _T and inner >= 0.6 * down:
        return "brows_worry", inner
    if down >= _T:
        return "brows_down", down
    if inner >= _T:
        return "brows_inner", inner
    return None


def _phrases(f: dict[str, float]) -> dict[str, tuple[int, float, str]]:
    """feature key -> (region order, salience, words) for everything present in a pose."""
    out: dict[str, tuple[int, float, str]] = {}

    def add(key: str, x: float, side: float = 0.0) -> None:
        if x >= _T:
            order, texts = _PHRASES[key]
            out[key] = (order, x, texts[_tier(x, *_TIERS.get(key, (0.4, 0.66)))].format(side=_side(side)))

    for key in ("gaze_down", "gaze_up", "head_down", "head_up"):
        add(key, f[key])
    add("gaze_side", f["gaze_side"] if f["gaze_side"] >= 0.12 else 0.0, f["_yaw"])
    add("head_tilt", f["head_tilt"] if f["head_tilt"] >= 0.12 else 0.0, f["_hroll"])
    add("head_turn", f["head_turn"] if f["head_turn"] >= 0.12 else 0.0, f["_hyaw"])
    brow = _brow_key(f)
    if brow:
        add(*brow)
    if f["one_brow"] >= 0.15:
        add("one_brow", f["one_brow"], f["_outer_side"])
    for key in ("blink", "sneer", "frown", "press", "stretch", "chin", "pucker", "jawfwd"):
        add(key, f[key])
    if f["wide"] >= f["squint"]:  # AU5 with AU7: say the stronger one (fear stares, anger glares)
        add("wide", f["wide"])
    elif f["wide"] >= _T:
        add("glare", f["squint"])
    else:
        add("squint", f["squint"])
    if f["cheek"] >= _T and f["smile"] >= _T:
        add("cheek", f["cheek"])
    if f["smirk"] >= 0.12 and f["smirk"] > 0.5 * f["smile"]:
        add("smirk", max(f["smirk"], f["smile"]), f["_smile_side"])
    else:
        add("smile", f["smile"])
    if f["upper"] >= 0.15 and f["upper"] > f["lower"]:
        add("upper", f["upper"])
    if f["jaw"] >= 0.12:
        add("jaw", f["jaw"])
    elif f["lower"] >= 0.12:
        add("lower", f["lower"])
    return out


def _describe_all(beats: list[_Beat], memo: _Memo) -> list[tuple[_Beat, str]]:
    """Every beat in words, each against the one before it; no two descriptions identical."""
    out: list[tuple[_Beat, str]] = []
    previous: dict[str, tuple[int, float, str]] = {}
    seen: set[str] = set()
    for n, beat in enumerate(beats):
        state = _state(beat, memo)
        features = _features(state)
        current = _phrases(features)
        peak = max(v for k, v in features.items() if not k.startswith("_"))
        if not current and peak > 0.02:  # a faint emotion: still name its strongest movements, "slightly"
            current = _phrases(_features(state * (1.2 * _T / peak)))
        text = _sentence(beat, current, previous)
        base, k = text, 0
        while text in seen:  # more keyframes than distinct poses: add a small piece of life
            extra = _VARIATIONS[(n + k) % len(_VARIATIONS)]
            text = f"{base} {extra[0].upper()}{extra[1:]}{'' if k < len(_VARIATIONS) else f' ({k})'}."
            k += 1
        seen.add(text)
        out.append((beat, text))
        previous = current
    return out


def _sentence(beat: _Beat, current: dict[str, tuple[int, float, str]],
              previous: dict[str, tuple[int, float, str]]) -> str:
    """One beat's description: what is present (strongest first, at most four), what releases."""
    masking = any(p.role == "masked" for p in beat.reading.parts)
    cover = beat.kind in ("cover", "recover") or (beat.kind == "settle" and masking)
    qualifier = _smile_qualifier(beat.reading, "smile" in current and current["smile"][1] >= 0.55)
    if qualifier and "smile" in current:
        order, x, words = current["smile"]
        current = {**current, "smile": (order, x, words.replace(" smile", f" {qualifier} smile"))}
    main: list[tuple[int, float, str]] = []
    leak: list[tuple[int, float, str]] = []
    for key, (order, x, words) in current.items():
        if cover and order in _LEAK_REGIONS and key in _REMAIN:
            leak.append((order, x, _REMAIN[key] if key in previous else words))
        elif key in previous and previous[key][2] == words and key in _REMAIN and beat.kind in _HOLDING:
            main.append((order, x * 0.6, _REMAIN[key]))
        else:
            main.append((order, x, words))
    released: set[str] = set()
    present = {order for order, _, _ in current.values()}  # a release phrase would zero these regions
    for key, (order, x, _) in sorted(previous.items(), key=lambda kv: -kv[1][1]):
        group = "brows" if key.startswith("brows") else _RELEASE_GROUP.get(key, key)
        if key in current or x < 0.15 or order in present or group in released or group not in _RELEASE:
            continue
        released.add(group)
        main.append((order, x * 0.5, _RELEASE.get(key, _RELEASE[group])))
    main = sorted(sorted(main, key=lambda p: -p[1])[:3 if leak else 4])  # the strongest, in face order
    leak = sorted(sorted(leak, key=lambda p: -p[1])[:1])
    if not main and not leak:
        main = [(0, 0.0, "the face rests in a relaxed, neutral expression with the gaze steady")]
    if cover and not leak and not main:
        main = [(5, 0.0, "the mouth settles")]
    text = _join([p[2] for p in main]) if main else ""
    if leak:
        text = f"{text} while {leak[0][2]}" if text else leak[0][2]
    if beat.adverb:
        text = f"{beat.adverb} {text}"
    return text[0].upper() + text[1:] + "."


def _smile_qualifier(reading: EmotionReading, strong: bool) -> str:
    """'restrained', 'forced', 'nervous'... for a smile that covers something, else ''."""
    shown = [p for p in reading.parts if p.role == "shown" and p.label in ("happiness", "amusement")]
    if not shown:
        return ""
    words = shown[0].words.split() + [w for p in reading.parts if p.role == "masked" for w in p.words.split()[:1]]
    named = next((w for w in words if w in _SMILE_WORDS), "")
    return named or ("" if strong else "restrained")  # a broad smile is not a restrained one


def _join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b, and c' (the release's style)."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]
