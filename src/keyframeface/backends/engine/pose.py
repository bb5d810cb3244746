"""Pose one keyframe description as 61 ARKit values, with the words behind every value.

The stages, each its own module (plain Python, ~0.3-0.5 ms per description):
  1. ``normalise``: lower case, spellings, FACS names/AU codes, outside wording (``wording.yaml``: nominal forms,
     documentation prepositions, copulas), multi-word phrases -> tokens;
  2-4. ``parse``: clauses, word roles from the lexicon, actions resolved to face parts and channel bundles, written
     into layers by source (the words' own actions, whole-expression words, manner words);
  5. ``compose``: layers added channel by channel (FACS is additive); antagonists (``composition.yaml``) resolve by
     source strength, then word order; the emotion prior fills only the regions nothing else set; physiological
     coherence (a wide smile lifts the cheeks, closed lids are not wide) and clipping;
  6. ``continuity``, given the previous keyframe: untouched parts carry over (decaying), parts said to stay keep
     their value, comparatives go past it, plain moves against the current gaze/head direction return to level.
When the parser reads nothing, the optional sentence encoder (``fallback.py``) may suggest a face part or an
expression; direction and side always come from the parser.

Every value carries a typed ``ContributionKind``; explanations quote the user's own words. Sides are the subject's
own; an unspecified one-sided action ("smirks") uses ``lexicon.DEFAULT_SIDE`` (the subject's left).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ...channels import CHANNEL_INDEX, CHANNELS, HIGH, LOW, region_of
from ...data import Contribution, ContributionKind, Motion
from ...errors import InputError
from . import lexicon as lx, vocab
from ...motion import cycle_spec
from .compose import Layers, cohere, is_release, with_value
from .composition import composition
from .continuity import carry_over, contradicted, grow, hold, recall, relative, scale
from .manner import read_manner
from .normalise import normalise
from .parse import momentary, parse, split_clauses

__all__ = ["PoseResult", "explain", "pose_text"]

PRIOR_WEIGHT = 0.6  # damping of the emotion prior where the description says something


@dataclass(frozen=True)
class PoseResult:
    """61 values in order A and the contributions that produced them."""

    values: np.ndarray  # (61,) order A, within channel ranges
    contributions: tuple[Contribution, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    motion: Motion = field(default=Motion())  # the description's motion in time (manner.read_manner)


def pose_text(description: str, background: str = "", emotion: str = "", *,
              position: float | None = None, fallback: bool = True, previous: np.ndarray | None = None,
              previous_name: str = "the previous keyframe", previous_words: Mapping[str, str] | None = None,
              earlier: Sequence[np.ndarray] = (), previous_description: str = "") -> PoseResult:
    """Pose ``description`` (plus the scene's emotion as a prior for unmentioned regions).

    ``position`` in [0, 1] is the keyframe's place in its sequence; the prior uses it to pick
    the phase of a transition ("shock turning into relief"). None = the whole emotion.
    ``fallback``: when the lexicon reads nothing, pose the nearest known phrase by sentence
    embedding (``fallback.py``; only if its optional packages are installed).
    ``previous``: the previous keyframe's (61,) values, order A: the keyframe starts from it (continuity).
    ``previous_words``: which of its channels words set (channel -> those words); those carry over, decaying, where
    this text leaves them alone; None = every non-zero channel of ``previous``. Parts the text says persist
    ("the smile remains") keep their full value; relative moves ("the gaze rises" after a lowered gaze) go back to
    level; comparatives ("a little wider") go past it. All are credited to ``previous_name``.
    ``previous_description``: the previous keyframe's words; what a momentary verb there moved ("she blinks",
    ``composition.yaml``) is over and does not carry.
    ``earlier``: every keyframe before this one, oldest first ((61,) each); "the smile returns" takes its last value.
    """
    description = description.encode("utf-8", "replace").decode("utf-8")  # lone surrogates (bad argv bytes) -> "?"
    layers = parse(description)
    warnings: list[str] = []
    if fallback and not layers.said() and not layers.carry and description.strip():
        layers = _fallback(description, layers, warnings)
    values, contributions = layers.combine()
    scale(layers, values, contributions, previous, previous_name)
    warnings.extend(layers.notes)
    carried: set[str] = set()
    if previous is not None:
        carried = hold(layers, values, contributions, previous, previous_name)
        grow(layers, values, contributions, previous, previous_name)
        relative(values, contributions, previous, previous_name, layers.returning)
        recall(description, values, contributions, list(earlier) or [previous], previous_name)
        if previous_words is None:
            previous_words = {n: "" for n, v in zip(CHANNELS, previous) if abs(v) >= 0.005}
        carried |= carry_over(values, contributions, previous, previous_words, previous_name, layers.secondary,
                              contradicted(layers, contributions, previous), _momentary(previous_description))
    _at_rest(description, values, contributions, previous)
    text_said = layers.said() or bool(layers.carry)
    blocked = layers.blocked_regions() | {region_of(n) for n in carried}
    if emotion.strip():
        # The background's cues (a funeral, "remembers her childhood") colour only a face the text leaves unsaid:
        # a keyframe that describes the face is not given a nostalgic smile by the scene around it.
        prior = _prior(emotion, "" if text_said else background, position, warnings)
        if prior is not None:
            weight = PRIOR_WEIGHT if contributions or blocked else 1.0
            prior_values, prior_why = prior
            for i, name in enumerate(CHANNELS):
                if region_of(name) in blocked or prior_values[i] == 0.0:
                    continue
                values[i] = prior_values[i] * weight
            contributions.update({c.channel: Contribution(c.channel, float(values[CHANNEL_INDEX[c.channel]]),
                                                          c.words, c.rule + f" (prior x{weight:g})",
                                                          ContributionKind.PRIOR)
                                  for c in prior_why if region_of(c.channel) not in blocked})
    if not text_said and description.strip() and not warnings:
        warnings.append(f"no facial action recognised in {description.strip()!r}")
    held_gaze = {"head"} if any(region_of(n) == "gaze" for n in carried) else set()
    cohere(values, contributions, blocked | held_gaze, layers.clause_of())  # a held gaze keeps the head it had
    values = np.clip(values, LOW, HIGH)
    ordered = tuple(with_value(contributions[n], float(values[CHANNEL_INDEX[n]]))
                    for n in CHANNELS if n in contributions and (
                        abs(values[CHANNEL_INDEX[n]]) >= 0.005 or is_release(contributions[n])))
    return PoseResult(values=values, contributions=ordered, warnings=tuple(warnings), motion=read_manner(description))


def _fallback(description: str, layers: Layers, warnings: list[str]) -> Layers:
    """When the parser read nothing, the encoder's nearest known phrase (needs the 'embed' extra) may suggest a
    region or an expression, never a polarity or a side: if the user's own words carry a direction or a motion, the
    phrase only lends its face part and the parser reads the rest ("upward movement of the inner brows" can't
    become a frown); otherwise the phrase stands in as an expression, on the side the user named."""
    from .fallback import nearest_phrase

    match = nearest_phrase(description)
    if match is None:
        return layers
    phrase, cosine = match
    tokens = [t for c in split_clauses(normalise(description)) for t in c.tokens]
    polar = any(t.roles.get("motion") or "direction" in t.roles or "result" in t.roles for t in tokens)
    side = next((t.roles["side"] for t in tokens if "side" in t.roles), None)
    phrase_tokens = [t for c in split_clauses(normalise(phrase)) for t in c.tokens]
    parts = [t.raw for t in phrase_tokens if "region" in t.roles] + [  # a named part, or the one its verb implies
        lx.VERB_REGION[t.lemma][0] for t in phrase_tokens if t.lemma in lx.VERB_REGION]
    label = f"nearest known phrase {phrase!r} (cosine {cosine:.2f})"
    if polar and parts:
        found = parse(f"the {parts[0]} {description}")
        if found.said():
            found.relabel(description.strip(), f"part from {label}: ")
            warnings.append(f"no face part recognised in {description.strip()!r}; the encoder suggested "
                            f"'{parts[0]}' ({label}); direction and side are read from your words")
            return found
    if polar:
        return layers  # its direction would come from the neighbour, not from the words: say nothing instead
    named = {str(t.roles["region"]) for t in tokens if "region" in t.roles}
    keys = {str(t.roles["region"]) for t in phrase_tokens if "region" in t.roles} | {
        lx.VERB_REGION[t.lemma][0] for t in phrase_tokens if t.lemma in lx.VERB_REGION}
    if named and keys != named:  # "the jaw opns and the brows furow" is not "jaw furrow": a jaw clencher
        warnings.append(f"no facial action recognised in {description.strip()!r}: the {label} is not about the "
                        "parts the words name; not posed")
        return layers
    found = parse(phrase)
    if side is not None:
        found.move_to_side(side)
    found.relabel(description.strip(), f"{label}: ")
    warnings.append(f"no facial action recognised in {description.strip()!r}; posed the {label}")
    return found


def explain(result: PoseResult) -> str:
    """A readable table, one line per channel set: ``words -> channel = value (rule)``."""
    if not result.contributions:
        return "\n".join(["(neutral: nothing recognised)"] + [f"warning: {w}" for w in result.warnings])
    width = min(48, max(len(c.words) for c in result.contributions))
    lines = [f"{c.words[:width]:<{width}} -> {c.channel:<18} = {c.value:+.2f}  ({c.rule})"
             for c in result.contributions]
    return "\n".join(lines + [f"warning: {w}" for w in result.warnings])


def _at_rest(description: str, values: np.ndarray, why: dict[str, Contribution], previous: np.ndarray | None) -> None:
    """Cyclic motions ("she nods", "blinks rapidly") are animated by the timeline around the pose (``cycles.py``): the
    channels their verbs would hold stay where they were, in place."""
    cycles = [c for c in read_manner(description).cycles if c.name in composition().cycles_at_rest]
    directed = _directed_verbs(description) if cycles else set()
    for cycle in cycles:
        if cycle.words.lower() in directed:
            continue  # "the head nods down": a direction says where it goes and stays
        channels = {CHANNELS[i] for i, _ in cycle_spec(cycle.name).channels}
        if cycle.name == "rapid_blink":
            channels |= {"EyeBlinkLeft", "EyeBlinkRight"}  # the lids flutter open, not shut
        for name in sorted(channels):
            c = why.get(name)
            if c is None or c.kind not in (ContributionKind.ACTION, ContributionKind.EXPRESSION):
                continue
            i = CHANNEL_INDEX[name]
            values[i] = 0.0 if previous is None else float(previous[i])
            why[name] = Contribution(name, values[i], c.words, f"{cycle.name}: a cyclic motion the timeline "
                                     "animates around this pose", ContributionKind.RELEASE)


@vocab.cached(maxsize=256)
def _momentary(description: str) -> frozenset[str]:
    """The channels a momentary verb moved in ``description`` (the parser's reading, cached per description); when
    the parser read nothing (the encoder's phrase posed it), every channel if its words are momentary ("jolted")."""
    if not description.strip():
        return frozenset()
    layers = parse(description)
    if not layers.said() and not layers.carry:
        return frozenset(CHANNELS) if any(momentary(c) for c in split_clauses(normalise(description))) else frozenset()
    return frozenset(layers.momentary_channels())



def _directed_verbs(description: str) -> set[str]:
    """The verbs (as written, lower case) a direction word follows: "nods down" -> {"nods"} (the parser's roles)."""
    tokens = [t for c in split_clauses(normalise(description)) for t in c.tokens]
    return {t.raw.lower() for t, after in zip(tokens, tokens[1:]) if "motion" in t.roles and "direction" in after.roles}


def _prior(emotion: str, background: str, position: float | None, warnings: list[str]
           ) -> tuple[np.ndarray, tuple[Contribution, ...]] | None:
    """The emotion prior from ``emotions.py``; None (with a warning) when the emotion can't be read."""
    try:
        return _cached_prior(emotion, background, position)
    except InputError as exc:
        warnings.append(f"emotion prior skipped: {exc}")
        return None


@vocab.cached(maxsize=128)
def _cached_prior(emotion: str, background: str, position: float | None
                  ) -> tuple[np.ndarray, tuple[Contribution, ...]]:
    """Every keyframe of a script shares its emotion: read it once. The array is read-only."""
    from .emotions import emotion_prior, read_emotion

    values, why = emotion_prior(read_emotion(emotion, background), position)
    values = np.array(values, dtype=float)  # (61,)
    values.flags.writeable = False
    return values, tuple(why)
