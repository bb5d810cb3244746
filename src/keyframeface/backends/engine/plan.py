"""The planner: background + emotion -> 2..6 keyframe descriptions in plain facial English.

Steps:
  1. ``read_emotion`` parses the emotion (parts, roles, phases); ``read_scenes`` finds the scene the background
     names (data/scenes.yaml: a letter read, cards in a hand, a sour taste, a bang on the left, a boss watching);
     a social presence makes a negative feeling masked; ``transition_verbs`` finds how phases change ("freezing
     into", "melting into").
  2. An arc of beats is chosen from the reading's shape, each beat at a stage (onset, peak, leak, mask, resolution):
       felt        onset -> (build) -> apex -> settle
       masked      leak -> cover -> (falter -> recover)      the cover owns the mouth,
                                                             the leak the brows and eyes; a poker face's
                                                             cover is an explicit neutral face
       suppressed  flash -> control -> settle
       transition  apex A -> shift -> apex B (-> shift -> apex C) -> settle
     ``count`` trims the lowest-priority beats or inserts in-betweens where the face changes most.
  3. Each beat is a list of clauses, each owning face parts and recording the cue that wrote it: the scene's
     clauses for that stage first, then the transition's, then the emotion's (``emotion_prior`` at the beat's phase
     position and level, described region by region in the KeyframeFace release's style), then the arc's (releases,
     holds). One owner per face part per description, so a description never contradicts itself; each clause is
     chosen from a small pool of phrasings, never repeating one within a plan.
Deterministic: the same input always gives the same plan. Modules: ``plan_arc`` (step 2), ``plan_words`` (step 3);
their words and shapes are data: ``data/plan.yaml`` (arcs, parts, fillers) and ``data/phrases.yaml`` (the phrases of
each facial action, shared with the describer), loaded by ``phrases.py`` for the active vocabulary.
"""

from __future__ import annotations

from ...data import KeyframeSpec
from ...errors import InputError
from .emotions import ROLES, VALENCE, EmotionPart, EmotionReading, read_emotion
from .phrases import PlanTable, plan_table
from .plan_arc import _arc, _arc_name, _fit
from .plan_words import PlannedClause, PlannedKeyframe, _Scene, _Writer
from .scenes import SceneMatch, read_scenes, transition_verbs

__all__ = ["MAX_KEYFRAMES", "PlannedClause", "PlannedKeyframe", "explain_plan", "plan_details", "plan_keyframes"]

MAX_KEYFRAMES = 12
_FELT, _SHOWN, _MASKED = ROLES[:3]  # a plainly felt feeling, a cover's, a concealed one


def plan_keyframes(background: str, emotion: str, count: int | None = None) -> list[KeyframeSpec]:
    """An ordered list of keyframe descriptions for the emotion (``count`` fixes how many, 1..12)."""
    return [KeyframeSpec(k.description) for k in plan_details(background, emotion, count)]


def plan_details(background: str, emotion: str, count: int | None = None) -> list[PlannedKeyframe]:
    """The plan with its reasons: every keyframe's stage and clauses, each clause with the cue that wrote it."""
    return _plan(background, emotion, count)[2]


def explain_plan(background: str, emotion: str, count: int | None = None) -> str:
    """Why the plan is what it is: the emotion reading, the scene, the arc, and each clause's cue."""
    reading, scene, planned, table = _plan(background, emotion, count)
    lines = [f"emotion: {emotion!r}", f"background: {background!r}", f"phases: {reading.phases}"]
    lines += [f"  part: {p.label} ({p.role}, intensity {p.intensity:.2f}, phase {p.phase}) from {p.words!r}"
              for p in reading.parts]
    lines += [f"  cue: {c}" for c in reading.cues]
    lines += [f"  context nudge: {p.label} {p.intensity:.2f} from {p.words!r}" for p in reading.context]
    lines += [f"  scene: {m.cue.name} from {m.thing!r}" + (f", side {m.side}" if m.side else "")
              for m in scene.matches]
    if scene.mask:
        lines.append(f"  social presence: {scene.mask} -> the feeling is masked")
    lines += [f"  transition: {t.verb} ({t.pace})" for t in scene.transitions]
    lines.append(f"arc: {_arc_name(reading, table)}: " + " -> ".join(k.beat for k in planned))
    for i, k in enumerate(planned, 1):
        lines.append(f"  {i}. {k.beat} ({k.stage}): {k.description}")
        lines += [f"       - {c.text!r} [{c.region}] <- {c.cue}" for c in k.clauses]
    return "\n".join(lines)


def _plan(background: str, emotion: str, count: int | None,
          ) -> tuple[EmotionReading, _Scene, list[PlannedKeyframe], PlanTable]:
    """The reading, the scene, the planned keyframes, and the table they were planned with."""
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)
                              or not 1 <= count <= MAX_KEYFRAMES):
        raise InputError(f"{count!r} is not a keyframe count; expected an integer 1..{MAX_KEYFRAMES}",
                         field="keyframes")
    table = plan_table()
    reading = read_emotion(emotion, background or "")
    matches = read_scenes(background or "")
    reading, mask = _social_mask(_poker_mask(reading, table), matches)
    scene = _Scene(matches, tuple(transition_verbs(emotion)), mask)
    beats, memo = _arc(reading, table), {}
    if count is not None:
        beats = _fit(beats, count, memo, table)
    return reading, scene, _Writer(reading, scene, memo, table).describe(beats), table


def _poker_mask(reading: EmotionReading, table: PlanTable) -> EmotionReading:
    """'poker-faced dread': a poker face named beside a feeling is the cover, and the feeling is masked."""
    neutral = table.neutral_label
    poker = [p for p in reading.parts if p.label == neutral and p.role == _FELT
             and any(w in p.words for w in table.poker_words)]
    others = [p for p in reading.parts if p.label != neutral]
    if reading.phases > 1 or not poker or not others or any(p.role != _FELT for p in others):
        return reading
    parts = tuple(EmotionPart(p.label, p.intensity, _SHOWN if p in poker else _MASKED, p.phase, p.words)
                  for p in reading.parts if p.label != neutral or p in poker)
    return EmotionReading(parts, 1, reading.cues, reading.context)


def _social_mask(reading: EmotionReading, matches: tuple[SceneMatch, ...]) -> tuple[EmotionReading, str]:
    """Being watched (a boss, an audience) masks a plainly felt negative feeling behind the scene's cover."""
    social = next((m for m in matches if m.cue.mask), None)
    if social is None or reading.phases > 1 or any(p.role != _FELT for p in reading.parts):
        return reading, ""
    if not any(VALENCE[p.label] < 0 for p in reading.parts):
        return reading, ""
    label, level = social.cue.mask  # type: ignore[misc]
    parts = tuple(EmotionPart(p.label, p.intensity, _MASKED if VALENCE[p.label] < 0 else p.role, p.phase, p.words)
                  for p in reading.parts)
    cover = EmotionPart(label, level, _SHOWN, 0, social.thing)
    return EmotionReading(parts + (cover,), 1, reading.cues, reading.context), f"{social.cue.name} ({social.thing})"

