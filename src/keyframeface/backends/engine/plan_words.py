"""Step 3 of planning: each beat put into words, clause by clause, each clause owning face parts and recording the
cue that wrote it (the scene's, the transition's, the emotion's, the arc's). See ``plan.py``.

The words are data: what each facial action is called comes from the shared phrase table (``data/phrases.yaml``,
the describer's too), the planner's parts, fillers and qualifiers from ``data/plan.yaml`` (both via ``phrases.py``).
This module reads a pose as the features ``plan.yaml`` defines and decides which one owns each face part."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .emotions import ROLES, EmotionReading
from .phrases import PHRASES, PLAN, Phrase, PlanTable
from .plan_arc import _Beat, _Memo, _state
from .scenes import SceneMatch, Transition
from .vocab import DataError

_T = 0.1  # below this a feature goes unmentioned
_MAX_CLAUSES = 5
_SHOWN, _MASKED = ROLES[1:3]  # the roles of the cover's feeling and of a concealed one (a beat covers only then)


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


def _features(v: np.ndarray, t: PlanTable) -> dict[str, float]:
    """Named, describable quantities of a (61,) pose (plan.yaml ``features``: >= 0, but the signed ones for sides)."""
    x = (t.weights @ (t.measures @ v)).tolist()
    for i in t.positive:
        x[i] = max(0.0, x[i])
    for i in t.size:
        x[i] = abs(x[i])
    return dict(zip(t.feature_names, x))


def _tier(x: float, low: float = 0.4, high: float = 0.6) -> int:
    return 0 if x < low else 1 if x < high else 2


class _Named:
    """A table of the data read as attributes (``f.inner``, ``rows.brows_fear``): the names the planner's logic reads
    live in plan.yaml ``features`` and phrases.yaml ``actions``; one the data lacks is a ``DataError`` naming it."""

    def __init__(self, values: Mapping[str, object], file: str, where: str) -> None:
        self.__dict__.update(values)
        self._file, self._where = file, where

    def __getattr__(self, name: str) -> Any:  # only called for a name the data lacks
        raise DataError(self._file, f"{self._where}.{name}", "missing: the planner reads this feature and says it "
                                                             "from the row of its name")


def _brow_key(f: Any, rows: Any) -> tuple[Phrase, float] | None:
    """Which brow shape the pose shows (a row of phrases.yaml), and how strongly."""
    inner, down, outer = f.inner, f.down, f.outer
    if max(inner, down, outer) < _T:
        return None
    if outer >= _T and inner >= _T:
        if down >= _T:
            return rows.brows_fear, (inner + outer + down) / 3
        return rows.brows_raise, (inner + outer) / 2
    if inner >= _T and down >= _T and inner >= 0.6 * down:
        return rows.brows_worry, inner
    if down >= _T:
        return rows.brows_down, down
    if inner >= _T:
        return rows.brows_inner, inner
    return None


def _present(f: dict[str, float], rows: Mapping[str, Phrase]) -> dict[str, tuple[str, float, int, float]]:
    """Face part -> (row, salience, tier, side sign): the one strongest feature per part present in a pose.

    A feature this reads that plan.yaml lacks, or a row of that name phrases.yaml lacks, is a ``DataError``."""
    return _owners(_Named(f, PLAN, "features"), _Named(rows, PHRASES, "actions.*"))


def _owners(f: Any, rows: Any) -> dict[str, tuple[str, float, int, float]]:
    found: list[tuple[Phrase, float, float]] = []

    def add(row: Phrase, x: float, side: float = 0.0, at: float = _T) -> None:
        if x >= max(at, _T):
            found.append((row, x, side))

    for row, x in ((rows.gaze_down, f.gaze_down), (rows.gaze_up, f.gaze_up), (rows.head_down, f.head_down),
                   (rows.head_up, f.head_up)):
        add(row, x)
    for row, x, sign in ((rows.gaze_side, f.gaze_side, f.gaze_yaw), (rows.head_tilt, f.head_tilt, f.head_roll),
                         (rows.head_turn, f.head_turn, f.head_yaw)):
        add(row, x, side=sign, at=0.12)
    brow = _brow_key(f, rows)
    if brow:
        add(*brow)
    add(rows.outer_brows, f.outer_brows, side=f.outer_side, at=0.15)
    for row, x in ((rows.blink, f.blink), (rows.sneer, f.sneer), (rows.frown, f.frown), (rows.press, f.press),
                   (rows.stretch, f.stretch), (rows.chin, f.chin), (rows.pucker, f.pucker), (rows.jawfwd, f.jawfwd)):
        add(row, x)
    if f.wide >= f.squint:  # AU5 with AU7: say the stronger one (fear stares, anger glares)
        add(rows.wide, f.wide)
    elif f.wide >= _T:
        add(rows.glare, f.squint)
    else:
        add(rows.squint, f.squint)
    smile, smirk = f.smile, f.smirk
    if smile >= _T:  # the cheeks are said with a smile only
        add(rows.cheek, f.cheek)
    if smirk >= 0.12 and smirk > 0.5 * smile:
        add(rows.smirk, max(smirk, smile), f.smile_side)
    else:
        add(rows.smile, smile)
    if f.upper > f.lower:
        add(rows.upper, f.upper, at=0.15)
    if f.jaw >= 0.12:
        add(rows.jaw, f.jaw)
    else:
        add(rows.lower, f.lower, at=0.12)
    out: dict[str, tuple[str, float, int, float]] = {}
    for row, x, side in found:  # one owner per part: the strongest (a smile or a frown, never both)
        if row.part not in out or x > out[row.part][1]:
            out[row.part] = (row.name, x, _tier(x, *row.bounds), side)
    return out


class _Writer:
    """Puts a plan's beats into words, remembering every clause said so none repeats."""

    def __init__(self, reading: EmotionReading, scene: _Scene, memo: _Memo, table: PlanTable) -> None:
        self.reading, self.scene, self.memo, self.t = reading, scene, memo, table
        self.rows = table.phrases.rows
        self.sides = table.phrases.sides
        self.mouth = frozenset(name for name, part in table.parts.items() if part.mouth)
        self.used: set[str] = set()
        self.poker = any(p.role == _SHOWN and p.label == table.neutral_label for p in reading.parts)

    def pick(self, pool: tuple[str, ...], side: float = 0.0) -> str:
        """The first phrasing of a pool not yet said in this plan ('' when all are); {side} from the sign."""
        for text in pool:
            text = text.format(side=self.sides[side > 0])
            if text not in self.used:
                return text
        return ""

    def describe(self, beats: list[_Beat]) -> list[PlannedKeyframe]:
        """Every beat in words, each against the one before it; no clause and no description repeated."""
        t = self.t
        out: list[PlannedKeyframe] = []
        previous: dict[str, tuple[str, float, int, float]] = {}
        seen: set[str] = set()
        signed = {t.feature_names[i] for i in t.signed}
        variations = t.variations
        for n, beat in enumerate(beats):
            state = _state(beat, self.memo)
            features = _features(state, t)
            current = _present(features, self.rows)
            peak = max(v for k, v in features.items() if k not in signed)
            if not current and peak > 0.02 and not (self.poker and t.beats[beat.kind].cover):
                current = _present(_features(state * (1.2 * _T / peak), t), self.rows)  # faint: "slightly"
            stage = t.beats[(beat.between[1] if beat.between else beat).kind].stage if n else t.first_stage
            clauses = self._clauses(beat, n, len(beats), stage, current, previous)
            text = self._sentence(beat, clauses)
            k = 0
            while text in seen:  # more keyframes than distinct poses: add a small piece of life
                extra = self.pick(variations[(n + k) % len(variations):] + variations)
                if not extra:
                    extra = f"{variations[(n + k) % len(variations)]} ({k})"
                clauses = clauses + [PlannedClause(extra, t.variation_part, f"arc: {beat.kind} (variation)")]
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
        t, rows = self.t, self.rows
        owned: set[str] = set()
        out: list[tuple[float, PlannedClause]] = []  # (salience, clause)

        def say(text: str, region: str | tuple[str, ...], cue: str, salience: float) -> None:
            regions = (region,) if isinstance(region, str) else region
            if text and not owned.intersection(regions):
                owned.update(regions)
                self.used.add(text)
                out.append((salience, PlannedClause(text, regions[0], cue)))

        def order(clause: PlannedClause) -> int:
            return t.parts[clause.region].order

        # the scene: its clauses for this stage (a later stage keeps owning the parts an earlier one moved)
        for match in self.scene.matches:
            for clause, text in [c for s in t.scene_stages.get(stage, (stage,)) for c in match.clauses(s)]:
                if text in self.used:
                    owned.update(clause.regions)  # said before: the part stays as the scene put it
                    continue
                say(text, clause.regions, f"scene: {match.cue.name} ({match.thing})", 2.0)
        # the transition: said where the face changes from one phase to the next
        verb = self._transition(beat, n)
        if verb and verb.text:
            said = verb.text if verb.text not in self.used else ""
            say(said, verb.region or t.fillers.part, f"transition: {verb.verb}", 1.5)
        # a poker face's neutral phase
        masking = any(p.role == _MASKED for p in beat.reading.parts)
        covers = t.beats[beat.kind].cover
        cover = covers is True or (covers == _MASKED and masking)
        if self.poker and cover:
            say(self.pick(t.fillers.neutral), t.fillers.part, "emotion: neutral (poker face)", 1.8)
            return [c for _, c in sorted(out, key=lambda sc: order(sc[1]))]
        # the emotion, strongest parts first
        smile = rows[t.smile.row]
        shown = current.get(smile.part)
        qualifier = _smile_qualifier(beat.reading, t, shown is not None and shown[0] == smile.name
                                     and shown[1] >= t.smile.broad)
        cue = self._emotion_cue(beat)
        leak: list[PlannedClause] = []
        mains = sorted(current.items(), key=lambda kv: -kv[1][1])
        for region, (key, x, tier, side) in mains:
            if region in owned:
                continue
            row = rows[key]
            held = region in previous and previous[region][:1] == (key,) and previous[region][2] == tier
            if cover and t.parts[region].leak and row.remain and not leak:
                text = self.pick(row.remain) if region in previous else ""
                text = text or self.pick(row.tiers[tier], side)
                if text:
                    owned.add(region)
                    self.used.add(text)
                    leak.append(PlannedClause(text, region, self._emotion_cue(beat, masked=True)))
                continue
            if held and row.remain and t.beats[beat.kind].holds:
                text = self.pick(row.remain)
                say(text, region, cue, x * 0.6)
                owned.add(region)  # nothing left to say: the part carries over as it is
                continue
            pools = row.tiers
            text = self.pick(pools[tier], side) or self.pick(pools[max(tier - 1, 0)] + pools[min(tier + 1, 2)], side)
            if text and key == smile.name and qualifier:
                noun = t.smile.noun
                text = self.pick(tuple(p.replace(f" {noun}", f" {qualifier} {noun}") for p in pools[tier])) or text
            say(text, region, cue, x)
            owned.add(region)
        # the arc: parts that were moved and now go back to rest
        for region, (key, x, _, _) in sorted(previous.items(), key=lambda kv: -kv[1][1]):
            if region in current or region in owned or x < 0.15:
                continue
            part = t.parts[region]
            broad = part.release if not part.mouth or not owned & self.mouth else ()
            text = self.pick(rows[key].fades) or self.pick(broad)
            say(text, region, f"arc: {beat.kind} (release)", x * 0.5)
        scene = [c for s, c in out if s >= 1.5]
        rest = sorted((sc for sc in out if sc[0] < 1.5), key=lambda sc: -sc[0])
        keep = scene + [c for _, c in rest[:max(0, (_MAX_CLAUSES - 1 if leak else _MAX_CLAUSES) - len(scene))]]
        if len(keep) == len(scene) and len(scene) < 2 and not leak:  # at most a scene clause: keep the emotion's best
            keep += [c for _, c in rest[:2 - len(scene)]]
        keep = sorted(keep, key=order)
        for dropped in (c for _, c in out if c not in keep):
            self.used.discard(dropped.text)
        if not keep and not leak:
            hold, rest_ = t.fillers.hold, t.fillers.rest
            filler = self.pick(rest_ if not previous else hold) or self.pick(hold + rest_)
            keep = [PlannedClause(filler or t.fillers.last, t.fillers.part, f"arc: {beat.kind}")]
            self.used.add(keep[0].text)
        return keep + [PlannedClause(t.leak.format(clause=c.text), c.region, c.cue, leak=c.text) for c in leak[:1]]

    def _transition(self, beat: _Beat, n: int) -> Transition | None:
        """The transition verb said at this beat: at a shift, else at the first beat of the next phase."""
        if not self.scene.transitions or self.reading.phases < 2 or beat.position is None or n == 0:
            return None
        f = beat.position * (self.reading.phases - 1)
        steps = self.t.transition
        if beat.kind == steps.shift.beat:
            k = round(f + 0.5) - 1
        elif beat.kind == steps.apex.beat and abs(f - round(f)) < 1e-9:
            k = round(f) - 1
        else:
            return None
        return self.scene.transitions[min(k, len(self.scene.transitions) - 1)] if k >= 0 else None

    def _emotion_cue(self, beat: _Beat, masked: bool = False) -> str:
        """'emotion: sadness' (the labels that pose this beat; the concealed ones for a leak)."""
        parts = [p for p in beat.reading.parts if (p.role == _MASKED) == masked or not any(
            q.role == _MASKED for q in beat.reading.parts)]
        if beat.position is not None and self.reading.phases > 1:
            phase = round(beat.position * (self.reading.phases - 1))
            parts = [p for p in parts if p.phase == phase] or parts
        labels = ", ".join(dict.fromkeys(p.label for p in parts)) or self.t.neutral_label
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
            adverb = self.t.pace_adverbs[verb.pace]
        if adverb:
            text = f"{adverb} {text}"
        return text[0].upper() + text[1:] + "."


def _smile_qualifier(reading: EmotionReading, t: PlanTable, strong: bool) -> str:
    """'restrained', 'forced', 'nervous'... for a smile that covers something, else ''."""
    words = t.smile.words
    shown = [p for p in reading.parts if p.role == _SHOWN and p.label in t.smile.labels]
    if not shown:
        return ""
    said = shown[0].words.split() + [w for p in reading.parts if p.role == _MASKED for w in p.words.split()[:1]]
    named = next((w for w in said if w in words), "")
    return named or ("" if strong else t.smile.otherwise)  # a broad smile is not a restrained one


def _join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b, and c' (the release's style)."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]
