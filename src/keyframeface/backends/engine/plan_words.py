"""Step 3 of planning: each beat put into words, clause by clause, each clause owning face parts and recording the
cue that wrote it (the scene's, the transition's, the emotion's, the arc's). See ``plan.py``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...channels import CHANNEL_INDEX
from .emotions import EmotionReading
from .plan_arc import STAGES, _Beat, _Memo, _state
from .scenes import SceneMatch, Transition

_T = 0.1  # below this a feature goes unmentioned


@dataclass(frozen=True)
class PlannedClause:
    """One clause of a planned description: its words, the face part it owns, and the cue that wrote it."""

    text: str
    region: str  # gaze, head, brows, eyes, nose, cheeks, corners, lips, upper, chin, jaw, tongue, face
    cue: str  # "scene: reading (letter)", "emotion: sadness", "transition: melt", "arc: settle"
    leak: str = ""  # a concealed feeling showing through: the clause's words without "while" (``text`` has it)


@dataclass(frozen=True)
class PlannedKeyframe:
    """One planned keyframe: its description, its beat and stage in the arc, and its clauses."""

    description: str
    beat: str
    stage: str
    clauses: tuple[PlannedClause, ...]


@dataclass(frozen=True)
class _Scene:
    """What the background contributes to a plan."""

    matches: tuple[SceneMatch, ...]
    transitions: tuple[Transition, ...]
    mask: str = ""  # the scene that made the feeling masked ("a boss watching (boss)")



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


def _tier(x: float, low: float = 0.4, high: float = 0.6) -> int:
    return 0 if x < low else 1 if x < high else 2


# feature -> (face part, three degree tiers, each a pool of phrasings); "{side}" is filled from the feature's sign.
# Alternatives in a pool pose alike (checked in tests/test_plan.py); a plan says each at most once.
_PHRASES: dict[str, tuple[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = {
    "gaze_down": ("gaze", (("the gaze lowers slightly", "the eyes glance down slightly"),
                           ("the gaze is lowered", "the eyes look down", "the gaze sinks"),
                           ("the gaze drops to the floor", "the eyes drop to the ground"))),
    "gaze_up": ("gaze", (("the gaze lifts slightly", "the eyes glance up slightly"),
                         ("the gaze rises", "the eyes look up"),
                         ("the eyes roll upward", "the gaze shoots up"))),
    "gaze_side": ("gaze", (("the gaze drifts slightly to the {side}", "the eyes slide slightly to the {side}"),
                           ("the gaze slides to the {side}", "the eyes look to the {side}"),
                           ("the eyes dart to the {side}", "the gaze snaps to the {side}"))),
    "head_down": ("head", (("the head dips slightly", "the head lowers slightly"),
                           ("the head bows", "the head lowers"),
                           ("the head hangs low", "the head drops"))),
    "head_up": ("head", (("the head tips up slightly", "the head lifts slightly"),
                         ("the head tilts back", "the head tips up"),
                         ("the head tips far back", "the head throws back"))),
    "head_tilt": ("head", (("the head tilts slightly to the {side}", "the head leans slightly to the {side}"),
                           ("the head tilts to the {side}", "the head leans to the {side}"),
                           ("the head leans hard to the {side}",))),
    "head_turn": ("head", (("the head turns slightly to the {side}", "the head angles slightly to the {side}"),
                           ("the head turns to the {side}", "the head swings to the {side}"),
                           ("the head turns away to the {side}", "the head turns hard to the {side}"))),
    "brows_raise": ("brows", (("both brows lift slightly", "the brows rise slightly"),
                              ("both brows rise", "the brows lift", "the brows go up"),
                              ("the brows shoot up", "the brows fly up"))),
    "brows_fear": ("brows", (("the brows lift and draw together slightly", "the brows rise and pinch slightly"),
                             ("the brows rise and pull together", "the brows lift and draw together"),
                             ("the brows shoot up and pinch together",))),
    "brows_worry": ("brows", (("the inner brows lift slightly", "the inner brows rise slightly"),
                              ("the inner brows lift and draw together", "the inner brows rise and pinch together"),
                              ("the inner brows pull up hard and pinch together",))),
    "brows_inner": ("brows", (("the inner brows lift slightly", "the inner brows rise slightly"),
                              ("the inner brows lift", "the inner brows rise"),
                              ("the inner brows lift high", "the inner brows shoot up"))),
    "brows_down": ("brows", (("the brows lower slightly", "the brows draw down slightly"),
                             ("the brows lower and knit together", "the brows furrow", "the brows knit"),
                             ("the brows lower hard and knit together", "the brows clamp down hard"))),
    "one_brow": ("brows", (("the {side} brow arches slightly", "the {side} outer brow lifts slightly"),
                           ("the {side} brow arches", "the {side} brow lifts"),
                           ("the {side} brow arches high", "the {side} brow shoots up"))),
    "wide": ("eyes", (("the eyes widen slightly", "the eyes open a little wider"),
                      ("the eyes widen", "the eyes open wide"),
                      ("the eyes go wide", "the eyes fly wide open"))),
    "squint": ("eyes", (("the eyes narrow slightly", "the lids tighten slightly"),
                        ("the eyes narrow", "the eyes squint"),
                        ("the eyes squeeze into a hard squint", "the eyes narrow to slits"))),
    "glare": ("eyes", (("the eyes narrow slightly into a stare",),
                       ("the eyes narrow into a glare", "the eyes glare"),
                       ("the eyes narrow into a hard glare",))),
    "blink": ("eyes", (("the eyelids droop slightly", "the lids lower slightly"),
                       ("the eyelids grow heavy", "the eyelids droop"),
                       ("the eyes close", "the eyes fall shut"))),
    "cheek": ("cheeks", (("the cheeks lift slightly", "the cheeks rise a little"),
                         ("the cheeks lift and crinkle the eyes", "the cheeks rise"),
                         ("the cheeks push up and crinkle the eyes", "the cheeks push up high"))),
    "sneer": ("nose", (("the nose wrinkles slightly", "the nose crinkles slightly"),
                       ("the nose wrinkles", "the nose scrunches"),
                       ("the nose wrinkles hard", "the nose scrunches hard"))),
    "smile": ("corners", (("the mouth corners lift into a faint smile", "a faint smile tugs at the lips"),
                          ("both mouth corners form a small smile", "the lips curve into a smile"),
                          ("both mouth corners lift into a broad smile",
                           "the mouth corners pull up hard into a smile"))),
    "smirk": ("corners", (("the {side} mouth corner lifts slightly", "the {side} corner of the mouth tugs up slightly"),
                          ("the {side} mouth corner lifts into a lopsided smirk",
                           "the {side} corner of the mouth lifts into a smirk"),
                          ("the {side} mouth corner pulls up into a pronounced smirk",
                           "the {side} mouth corner pulls up hard into a smirk"))),
    "frown": ("corners", (("the mouth corners turn down slightly", "the mouth corners dip slightly"),
                          ("the mouth corners turn down", "the mouth corners sink"),
                          ("the mouth corners pull down hard", "the mouth corners drag down hard"))),
    "press": ("lips", (("the lips press together lightly", "the lips press lightly together"),
                       ("the lips press together", "the lips press tight"),
                       ("the lips press together with visible tension", "the lips press into a thin line"))),
    "stretch": ("lips", (("the lips stretch slightly sideways", "the lips pull slightly sideways"),
                         ("the lips stretch sideways", "the lips pull wide"),
                         ("the lips stretch back tightly", "the lips pull back hard"))),
    "pucker": ("lips", (("the lips purse slightly", "the lips pucker slightly"),
                        ("the lips purse", "the lips pucker"),
                        ("the lips pout forward", "the lips push forward hard"))),
    "upper": ("upper", (("the upper lip lifts slightly", "the upper lip curls slightly"),
                        ("the upper lip curls up", "the upper lip rises"),
                        ("the upper lip curls up in a sneer", "the upper lip pulls up hard"))),
    "chin": ("chin", (("the chin tightens slightly", "the chin puckers slightly"),
                      ("the chin tightens and pushes the lower lip up", "the chin bunches"),
                      ("the chin bunches hard and the lower lip pushes up", "the chin puckers hard"))),
    "lower": ("jaw", (("the lips part slightly", "the lips come slightly apart"),
                      ("the lips part", "the lips fall apart"),
                      ("the lower lip drops", "the lower lip pulls down"))),
    "jaw": ("jaw", (("the mouth falls slightly open", "the jaw loosens slightly open"),
                    ("the jaw drops open", "the mouth drops open"),
                    ("the jaw drops wide open", "the mouth gapes wide open"))),
    "jawfwd": ("jaw", (("the jaw juts forward slightly",), ("the jaw juts forward", "the jaw pushes forward"),
                       ("the jaw juts hard forward",))),
}
# Face parts in description order (the release's style: gaze and head, brows, eyes, nose and cheeks, mouth, jaw).
_ORDER = {"face": -1, "gaze": 0, "head": 1, "brows": 2, "eyes": 3, "nose": 4, "cheeks": 4, "corners": 5, "lips": 5,
          "upper": 5, "chin": 5, "tongue": 5, "jaw": 6}
# Degree thresholds: the default (0.4, 0.6) sits half-way between the calibrated FACS levels the pose engine gives
# the words (slightly B 0.3, plain C 0.5, hard D 0.7; facs.yaml), so it poses the words back close to the value.
# Exceptions: phrases with their own scale, and the release's "visible tension" for a 0.4 press.
_TIERS: dict[str, tuple[float, float]] = {
    "press": (0.15, 0.3), "jaw": (0.2, 0.45), "gaze_down": (0.15, 0.5), "gaze_up": (0.15, 0.5),
    "head_down": (0.15, 0.5), "head_up": (0.15, 0.5), "head_tilt": (0.22, 0.5), "head_turn": (0.22, 0.5),
    "blink": (0.25, 0.6), "smile": (0.25, 0.55), "lower": (0.2, 0.45), "smirk": (0.15, 0.4),
}
# Words for a face part that was moved and is going back to rest (said only when nothing else owns that part:
# the pose engine reads "relax", "fades", "settle" as "this part back to rest").
_RELEASE: dict[str, tuple[str, ...]] = {
    "brows": ("the brows relax", "the brows settle"), "eyes": ("the eyes soften", "the eyes relax"),
    "cheeks": ("the cheeks settle", "the cheeks relax"), "nose": ("the nose smooths", "the nose relaxes"),
    "corners": ("the mouth corners relax", "the mouth corners settle"), "lips": ("the mouth relaxes",
                                                                               "the lips relax"),
    "upper": ("the upper lip relaxes",), "chin": ("the chin relaxes",), "jaw": ("the jaw relaxes",),
    "gaze": ("the gaze returns forward", "the gaze comes back to level"),
    "head": ("the head straightens", "the head comes back to centre"),
}
# Narrow releases: these leave the rest of the mouth alone (the pose engine reads "the lips relax" or "the mouth
# relaxes" as the whole mouth back to rest, so those are said only when no other mouth part is).
_RELEASE_KEY: dict[str, tuple[str, ...]] = {
    "smile": ("the smile fades", "the smile fades away"), "smirk": ("the smirk fades",), "frown": ("the frown fades",),
    "press": ("the lips stop pressing",), "pucker": ("the lips stop puckering", "the lips stop pursing"),
    "stretch": ("the lips stop stretching",), "upper": ("the sneer fades",), "chin": ("the chin relaxes",),
    "jaw": ("the jaw relaxes",), "blink": ("the eyes reopen", "the eyes open again"),
}
_MOUTH = frozenset({"corners", "lips", "upper", "chin", "tongue", "jaw"})
# A feature that stays while another part changes ("while the brows remain worried").
_REMAIN: dict[str, tuple[str, ...]] = {
    "brows_worry": ("the brows remain worried", "the inner brows stay drawn up", "the brows stay worried"),
    "brows_inner": ("the inner brows stay lifted", "the inner brows stay raised"),
    "brows_fear": ("the brows stay raised and tense", "the brows remain lifted and tense"),
    "brows_down": ("the brows stay knitted", "the brows remain lowered", "the brows stay furrowed"),
    "brows_raise": ("the brows stay raised", "the brows remain lifted"),
    "squint": ("the eyes stay narrowed", "the eyes remain narrow"),
    "glare": ("the eyes keep glaring", "the eyes stay narrowed in a glare"),
    "wide": ("the eyes stay wide", "the eyes remain wide"),
    "blink": ("the eyelids stay heavy", "the eyelids remain low"),
    "gaze_down": ("the gaze stays lowered", "the eyes stay down"),
}
# A poker face's neutral phase: the pose engine reads "neutral"/"blank" as every part back to rest.
_NEUTRAL = ("the face settles into a blank, neutral expression", "the face goes blank again",
            "the features smooth into a neutral face", "the face returns to a neutral expression")
# Fillers when nothing new is said: they keep the face as it is (continuity carries it).
_HOLD = ("the face holds still", "the face holds the expression", "the face keeps the expression")
_REST = ("the face rests in a relaxed, neutral expression with the gaze steady",
         "the face stays relaxed and neutral", "the face stays calm and neutral")
_LEAK_REGIONS = frozenset({"brows", "eyes"})
_HOLDING = frozenset({"settle", "ease", "control", "recover", "falter"})  # beats that say "remain"
_SMILE_WORDS = frozenset(["forced", "fake", "false", "strained", "nervous", "tight", "awkward", "brave", "pained",
                          "thin", "polite", "social", "professional", "practiced", "practised", "frozen", "wooden",
                          "courteous", "dutiful", "hollow", "sad", "bitter", "melancholy", "melancholic", "wistful",
                          "rueful", "wry", "weak", "shaky", "tearful", "teary", "sheepish", "embarrassed", "guilty",
                          "apologetic", "anxious", "worried", "tired", "weary"])
_VARIATIONS = ("the head tilts slightly to the left", "the gaze drifts slightly to the right",
               "the chin lifts slightly", "the head dips slightly", "the head tilts slightly to the right",
               "the gaze drifts slightly to the left")
_PACE_ADVERB = {"sudden": "abruptly", "slow": "slowly", "steady": "gradually"}
_MAX_CLAUSES = 5


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


def _present(f: dict[str, float]) -> dict[str, tuple[str, float, int, float]]:
    """Face part -> (feature, salience, tier, side sign): the one strongest feature per part present in a pose."""
    found: list[tuple[str, float, float]] = []

    def add(key: str, x: float, side: float = 0.0) -> None:
        if x >= _T:
            found.append((key, x, side))

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
    out: dict[str, tuple[str, float, int, float]] = {}
    for key, x, side in found:  # one owner per part: the strongest (a smile or a frown, never both)
        region = _PHRASES[key][0]
        if region not in out or x > out[region][1]:
            out[region] = (key, x, _tier(x, *_TIERS.get(key, (0.4, 0.6))), side)
    return out


class _Writer:
    """Puts a plan's beats into words, remembering every clause said so none repeats."""

    def __init__(self, reading: EmotionReading, scene: _Scene, memo: _Memo) -> None:
        self.reading, self.scene, self.memo = reading, scene, memo
        self.used: set[str] = set()
        self.poker = any(p.role == "shown" and p.label == "neutral" for p in reading.parts)

    def pick(self, pool: tuple[str, ...], side: float = 0.0) -> str:
        """The first phrasing of a pool not yet said in this plan ('' when all are)."""
        for text in pool:
            text = text.format(side=_side(side))
            if text not in self.used:
                return text
        return ""

    def describe(self, beats: list[_Beat]) -> list[PlannedKeyframe]:
        """Every beat in words, each against the one before it; no clause and no description repeated."""
        out: list[PlannedKeyframe] = []
        previous: dict[str, tuple[str, float, int, float]] = {}
        seen: set[str] = set()
        for n, beat in enumerate(beats):
            state = _state(beat, self.memo)
            features = _features(state)
            current = _present(features)
            peak = max(v for k, v in features.items() if not k.startswith("_"))
            if not current and peak > 0.02 and not (self.poker and beat.kind in ("cover", "recover", "settle")):
                current = _present(_features(state * (1.2 * _T / peak)))  # faint: its strongest moves, "slightly"
            stage = "onset" if n == 0 else STAGES[beat.between[1].kind if beat.between else beat.kind]
            clauses = self._clauses(beat, n, len(beats), stage, current, previous)
            text = self._sentence(beat, clauses)
            k = 0
            while text in seen:  # more keyframes than distinct poses: add a small piece of life
                extra = self.pick(_VARIATIONS[(n + k) % len(_VARIATIONS):] + _VARIATIONS)
                if not extra:
                    extra = f"{_VARIATIONS[(n + k) % len(_VARIATIONS)]} ({k})"
                clauses = clauses + [PlannedClause(extra, "head", f"arc: {beat.kind} (variation)")]
                self.used.add(extra)
                text = self._sentence(beat, clauses)
                k += 1
            seen.add(text)
            out.append(PlannedKeyframe(text, beat.kind, stage, tuple(clauses)))
            previous = current
        return out

    def _clauses(self, beat: _Beat, n: int, total: int, stage: str, current: dict[str, tuple[str, float, int, float]],
                 previous: dict[str, tuple[str, float, int, float]]) -> list[PlannedClause]:
        """The clauses of one beat: scene, transition, emotion, arc, one owner per face part."""
        owned: set[str] = set()
        out: list[tuple[float, PlannedClause]] = []  # (salience, clause)

        def say(text: str, region: str | tuple[str, ...], cue: str, salience: float) -> None:
            regions = (region,) if isinstance(region, str) else region
            if text and not owned.intersection(regions):
                owned.update(regions)
                self.used.add(text)
                out.append((salience, PlannedClause(text, regions[0], cue)))

        # the scene: its clauses for this stage (a later stage keeps owning the parts an earlier one moved)
        for match in self.scene.matches:
            stages = [stage] + (["peak"] if stage in ("leak", "mask") else [])
            for clause, text in [c for s in stages for c in match.clauses(s)]:
                if text in self.used:
                    owned.update(clause.regions)  # said before: the part stays as the scene put it
                    continue
                say(text, clause.regions, f"scene: {match.cue.name} ({match.thing})", 2.0)
        # the transition: said where the face changes from one phase to the next
        verb = self._transition(beat, n)
        if verb and verb.text:
            say(verb.text if verb.text not in self.used else "", verb.region or "face", f"transition: {verb.verb}",
                1.5)
        # a poker face's neutral phase
        masking = any(p.role == "masked" for p in beat.reading.parts)
        cover = beat.kind in ("cover", "recover") or (beat.kind == "settle" and masking)
        if self.poker and cover:
            say(self.pick(_NEUTRAL), "face", "emotion: neutral (poker face)", 1.8)
            return [c for _, c in sorted(out, key=lambda sc: _ORDER[sc[1].region])]
        # the emotion, strongest parts first
        qualifier = _smile_qualifier(beat.reading, "corners" in current and current["corners"][0] == "smile"
                                     and current["corners"][1] >= 0.55)
        cue = self._emotion_cue(beat)
        leak: list[PlannedClause] = []
        mains = sorted(current.items(), key=lambda kv: -kv[1][1])
        for region, (key, x, tier, side) in mains:
            if region in owned:
                continue
            held = region in previous and previous[region][:1] == (key,) and previous[region][2] == tier
            if cover and region in _LEAK_REGIONS and key in _REMAIN and not leak:
                text = self.pick(_REMAIN[key]) if region in previous else ""
                text = text or self.pick(_PHRASES[key][1][tier], side)
                if text:
                    owned.add(region)
                    self.used.add(text)
                    leak.append(PlannedClause(text, region, self._emotion_cue(beat, masked=True)))
                continue
            if held and key in _REMAIN and beat.kind in _HOLDING:
                text = self.pick(_REMAIN[key])
                say(text, region, cue, x * 0.6)
                owned.add(region)  # nothing left to say: the part carries over as it is
                continue
            pools = _PHRASES[key][1]
            text = self.pick(pools[tier], side) or self.pick(pools[max(tier - 1, 0)] + pools[min(tier + 1, 2)], side)
            if text and key == "smile" and qualifier:
                text = self.pick(tuple(t.replace(" smile", f" {qualifier} smile")
                                       for t in _PHRASES[key][1][tier])) or text
            say(text, region, cue, x)
            owned.add(region)
        # the arc: parts that were moved and now go back to rest
        for region, (key, x, _, _) in sorted(previous.items(), key=lambda kv: -kv[1][1]):
            if region in current or region in owned or x < 0.15:
                continue
            broad = _RELEASE.get(region, ()) if region not in _MOUTH or not owned & _MOUTH else ()
            text = self.pick(_RELEASE_KEY.get(key, ())) or self.pick(broad)
            say(text, region, f"arc: {beat.kind} (release)", x * 0.5)
        scene = [c for s, c in out if s >= 1.5]
        rest = sorted((sc for sc in out if sc[0] < 1.5), key=lambda sc: -sc[0])
        keep = scene + [c for _, c in rest[:max(0, (_MAX_CLAUSES - 1 if leak else _MAX_CLAUSES) - len(scene))]]
        if len(keep) == len(scene) and len(scene) < 2 and not leak:  # at most a scene clause: keep the emotion's best
            keep += [c for _, c in rest[:2 - len(scene)]]
        keep = sorted(keep, key=lambda c: _ORDER[c.region])
        for dropped in (c for _, c in out if c not in keep):
            self.used.discard(dropped.text)
        if not keep and not leak:
            filler = self.pick(_REST if not previous else _HOLD) or self.pick(_HOLD + _REST)
            keep = [PlannedClause(filler or "the face holds", "face", f"arc: {beat.kind}")]
            self.used.add(keep[0].text)
        return keep + [PlannedClause(f"while {c.text}", c.region, c.cue, leak=c.text) for c in leak[:1]]

    def _transition(self, beat: _Beat, n: int) -> Transition | None:
        """The transition verb said at this beat: at a shift, else at the first beat of the next phase."""
        if not self.scene.transitions or self.reading.phases < 2 or beat.position is None or n == 0:
            return None
        f = beat.position * (self.reading.phases - 1)
        if beat.kind == "shift":
            k = round(f + 0.5) - 1
        elif beat.kind == "apex" and abs(f - round(f)) < 1e-9:
            k = round(f) - 1
        else:
            return None
        return self.scene.transitions[min(k, len(self.scene.transitions) - 1)] if k >= 0 else None

    def _emotion_cue(self, beat: _Beat, masked: bool = False) -> str:
        """'emotion: sadness' (the labels that pose this beat; the concealed ones for a leak)."""
        parts = [p for p in beat.reading.parts if (p.role == "masked") == masked or not any(
            q.role == "masked" for q in beat.reading.parts)]
        if beat.position is not None and self.reading.phases > 1:
            phase = round(beat.position * (self.reading.phases - 1))
            parts = [p for p in parts if p.phase == phase] or parts
        labels = ", ".join(dict.fromkeys(p.label for p in parts)) or "neutral"
        social = f", masked before {self.scene.mask}" if self.scene.mask and masked else ""
        return f"emotion: {labels}{social}"

    def _sentence(self, beat: _Beat, clauses: list[PlannedClause]) -> str:
        """Clauses joined in the release's style, opened by the beat's timing word."""
        main = [c.text for c in clauses if not c.leak]
        leak = [c for c in clauses if c.leak]
        text = _join(main)
        if leak:
            text = f"{text} {leak[0].text}" if text else leak[0].leak
        adverb = beat.adverb
        verb = next((t for t in self.scene.transitions if any(c.cue == f"transition: {t.verb}" for c in clauses)),
                    None)
        if verb is not None:
            adverb = _PACE_ADVERB[verb.pace]
        if adverb:
            text = f"{adverb} {text}"
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

