"""Step 5 of posing: compose the layers a description wrote into 61 values (``composition.yaml``: actions add up,
antagonists resolve by source strength and word order), and keep the face physiologically coherent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from ...channels import BLENDSHAPES, CHANNEL_INDEX, N_CHANNELS, REGIONS, region_of
from ...data import Contribution, ContributionKind
from .vocab import DataError
from . import lexicon as lx
from .composition import composition
from .rules import FILE, W, say

if TYPE_CHECKING:
    from .clauses import Clause

__all__ = ["LAYERS", "MANNER_WEIGHT", "Layers", "claimed", "cohere"]

MANNER_WEIGHT = 0.6  # an emotion named as manner ("in fear") counts this much of a plain expression
HEAD_FOLLOW = 0.3  # share of the eye pitch/yaw the head follows when the text leaves the head alone

# The layers a description writes, strongest first: the words' own actions, whole-expression words, emotion words,
# manner words ("smiles sadly", "in fear").
LAYERS = EXPLICIT, EXPRESSION, EMOTION, MANNER = ("explicit", "expression", "emotion", "manner")
_ACTING = frozenset({EXPLICIT, EXPRESSION})  # layers whose later words take a part from earlier ones

# part (regions.yaml key) -> the channels relaxing it puts at rest (``writing.yaml`` ``relaxes_*``)
RELAX_CHANNELS: dict[str, tuple[str, ...]] = {}


@lx.on_bind
def _derive() -> None:
    """RELAX_CHANNELS from the bound vocabulary, refreshed in place (``parse`` imports it)."""
    fresh: dict[str, tuple[str, ...]] = {}
    for name, parts in vars(W).items():
        if not name.startswith("relaxes_"):
            continue
        target = name[len("relaxes_"):]
        channels = REGIONS.get(target) or ((target,) if target in CHANNEL_INDEX else None) or (
            BLENDSHAPES if target == "blendshapes" else None)
        if channels is None:
            raise DataError(FILE, name, f"{target!r} is not a region of channels.py, a channel or "
                            "'blendshapes'")
        for part in parts:
            fresh[part] = fresh.get(part, ()) + tuple(channels)
    RELAX_CHANNELS.update(fresh)
    for part in [k for k in RELAX_CHANNELS if k not in fresh]:
        del RELAX_CHANNELS[part]


class Layers:
    """Explicit (region), expression (whole-face word) and manner (adverb) values, strongest first."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, tuple[float, Contribution]]] = {layer: {} for layer in LAYERS}
        self.last_directional: tuple[str, str, tuple[float, bool] | None, str] | None = None
        self.last_side: str | None = None  # the last left/right a gaze or head move went to
        self.carry: list[tuple[tuple[str, ...], str, tuple[str, ...], int]] = []  # (held, words, moved, clause)
        self.clause = 0  # the clause being read (``parse`` counts them): which clause wrote a value, as a number
        self.origin: dict[tuple[str, str], int] = {}  # (layer, channel) -> the clause that wrote it
        self.grown: dict[str, float] = {}  # channel -> degree of the comparative that moved it ("wider")
        self.previous_side: str | None = None  # the side of the part the last action moved (ellipsis keeps it)
        self.secondary: set[str] = set()  # channels an action moves only in passing (AU10's slight nose wrinkle)
        self.changes: dict[str, tuple[float, str]] = {}  # channel -> (share of its current value kept, words)
        self.returning: set[str] = set()  # channels moved by a clause whose frame is a return ("back")
        self.momentary: dict[tuple[str, str], object] = {}  # what a momentary verb ("blinks") wrote: not carried on
        self.expressions: list[str] = []  # expression keys (expressions.yaml) the words named, in order
        self.notes: list[str] = []  # what the reader did that the user should know (a clause not posed, a typo read)
        self.kept_at_rest: set[str] = set()  # channels a side or a "stays" holds at rest for the whole keyframe

    def scale_since(self, before: dict[tuple[str, str], object], share: float,
                    layers: tuple[str, ...] = LAYERS, note: str = "") -> None:
        """Scale what ``layers`` received since ``before`` by ``share`` (a hedge, a partial action)."""
        for layer in layers:
            store = self.values[layer]
            for n, entry in list(store.items()):
                if before.get((layer, n)) is entry or entry[0] == 0.0:
                    continue
                v, c = entry
                store[n] = (v * share, Contribution(n, v * share, c.words, c.rule + note, c.kind))

    def change_since(self, before: dict[tuple[str, str], object], share: float, words: str, rule: str) -> None:
        """Turn what the clause wrote since ``before`` into a change of the current value: each channel it moved or
        released keeps ``share`` of the value the face has now (``continuity.scale``); here it is a release."""
        for layer, store in self.values.items():
            for n, entry in list(store.items()):
                if before.get((layer, n)) is entry:
                    continue
                del store[n]
                self.origin.pop((layer, n), None)
                self.changes[n] = (share, words)
                self.values[EXPLICIT][n] = (0.0, Contribution(n, 0.0, words, rule, ContributionKind.RELEASE))
                self.origin[(EXPLICIT, n)] = self.clause

    def rest_other_side(self, before: dict[tuple[str, str], object], side: str, words: str) -> None:
        """What the clause moved since ``before`` on ``side`` only: the same channels on the other side, whoever set
        them, go to rest ("he tries to smile, but only the left side of his mouth moves")."""
        other = "Right" if side == "Left" else "Left"
        moved = {n[: -len(side)] for n in self.written_since(before) if n.endswith(side)}
        twins = {base + other for base in moved}
        for layer, store in self.values.items():
            for n in twins & set(store):
                del store[n]
                self.origin.pop((layer, n), None)
        for n in sorted(twins):
            self.values[EXPLICIT][n] = (0.0, Contribution(n, 0.0, words, say(W.label_side_only, side=side.lower()),
                                                         ContributionKind.RELEASE))
            self.origin[(EXPLICIT, n)] = self.clause

    def snapshot(self) -> dict[tuple[str, str], object]:
        """What every layer holds now (compared by identity in ``written_since``)."""
        return {(layer, n): entry for layer, store in self.values.items() for n, entry in store.items()}

    def written_since(self, before: dict[tuple[str, str], object]) -> set[str]:
        """Channels written (non-zero) since ``before`` was taken."""
        return {n for layer, store in self.values.items() for n, entry in store.items()
                if before.get((layer, n)) is not entry and entry[0] != 0.0}

    def released_since(self, before: dict[tuple[str, str], object]) -> set[str]:
        """Channels released (set to zero: relaxed, back to center) since ``before`` was taken."""
        return {n for layer, store in self.values.items() for n, entry in store.items()
                if before.get((layer, n)) is not entry and entry[0] == 0.0 and is_release(entry[1])}

    def hold(self, clause: Clause, names: tuple[str, ...], afresh: bool = True) -> None:
        """Mark channels as persisting from the previous keyframe (the clause's own values stand without one).
        ``afresh``: a part at rest before takes the clause's own values ("the smile remains" after no smile); False
        when the hold governs the action as its object ("he holds the stare"): the part keeps what it had."""
        if names:
            moved = {n: abs(store[n][0]) for layer, store in self.values.items() for n in names
                     if afresh and n in store and self.origin.get((layer, n)) == self.clause and store[n][0] != 0.0}
            self.carry.append((names, clause.text, tuple(sorted(moved, key=moved.__getitem__, reverse=True)),
                               self.clause))

    def written_by_others(self) -> dict[int, set[str]]:
        """For each holding clause's words: the channels other clauses set."""
        return {clause: {n for (_, n), origin in self.origin.items() if origin != clause}
                for _, _, _, clause in self.carry}

    def write(self, layer: str, values: dict[str, float], words: str, rule: str, *, negated: bool = False,
              kind: ContributionKind | None = None) -> None:
        """Store values in a layer: the stronger mention of a channel wins, a negation zeroes, and a later action
        takes the part from an earlier one that pulls it the other way (``composition.yaml``)."""
        store = self.values[layer]
        peak = max((abs(v) for v in values.values()), default=0.0)
        moving = {n for n, v in values.items() if abs(v) >= 0.5 * peak and v != 0.0 and not negated}  # main channels
        rivals = {a for n in moving for a in composition().antagonists.get(n, ())} - set(values)
        for name_of_other in ((EXPLICIT, EXPRESSION) if layer in _ACTING else (layer,)):
            other = self.values[name_of_other]
            for rival in rivals:  # "the corners turn down, then lift into a smile": the smile
                if rival in other and other[rival][0] != 0.0 and self.origin.get((name_of_other, rival)) != self.clause:
                    del other[rival]
                    self.origin.pop((name_of_other, rival), None)
        if layer in (EXPRESSION, EMOTION) or (layer == MANNER and not any(  # "...relaxes. A look of fear."
                c == self.clause for (l, _), c in self.origin.items() if l in _ACTING)):
            # "the face relaxes. A frown.": a later clause's expression ends the rest an earlier clause asked for
            explicit = self.values[EXPLICIT]
            for name in (moving & set(explicit)) - self.kept_at_rest:  # not "the right side stays flat"
                if explicit[name][0] == 0.0 and is_release(explicit[name][1]) and (
                        self.origin.get((EXPLICIT, name), self.clause) < self.clause):
                    del explicit[name]
                    self.origin.pop((EXPLICIT, name), None)
        for name, v in values.items():
            if not negated and 0.0 < abs(v) < 0.5 * peak:
                self.secondary.add(name)
            elif v != 0.0 or negated:
                self.secondary.discard(name)
            if negated:
                v = 0.0
            old = store.get(name)
            if old is not None and not negated and abs(old[0]) >= abs(v) and old[0] != 0.0 and (
                    kind is not ContributionKind.LITERAL):
                continue  # the stronger of two mentions wins; a channel named with a value is taken as given
            if old is not None and old[0] == 0.0 and self.origin.get((layer, name)) != self.clause and (
                    0.0 < abs(v) < 0.5 * peak):
                continue  # "the nose relaxes while the upper lip rises": a release beats a channel moved in passing
            release = v == 0.0  # a zero the words ask for ("eyes open": blink 0) puts the channel at rest
            literal = kind is ContributionKind.LITERAL
            source = (ContributionKind.RELEASE if release else ContributionKind.LITERAL if literal
                      else ContributionKind.ACTION if layer == EXPLICIT else ContributionKind.EXPRESSION
                      if layer == EXPRESSION else ContributionKind.EMOTION)
            label = say(W.label_negated_rule, rule=rule) if (
                negated and v == 0.0 and kind is not ContributionKind.RELEASE) else rule
            store[name] = (v, Contribution(name, v, words, label, source))
            self.origin[(layer, name)] = self.clause

    def relax(self, region: str, words: str, side: str | None = None) -> None:
        """Zero a part (one side of it when named: "the right eye stays relaxed")."""
        names = RELAX_CHANNELS.get(region, ())
        if side is not None:
            other = "Right" if side == "Left" else "Left"
            names = tuple(n for n in names if other not in n)
            self.kept_at_rest.update(names)  # one side at rest is a constraint on the keyframe, not an event
        if region in W.whole_face_parts:  # "the mouth pulls right, the rest of the face relaxed": not the part moved
            moved = {group(n) for n, (v, _) in self.values[EXPLICIT].items() if v != 0.0}
            names = tuple(n for n in names if group(n) not in moved)
        self.write(EXPLICIT, {n: 0.0 for n in names}, words, say(W.label_relaxed, part=region.replace("_", " ")),
                   negated=True, kind=ContributionKind.RELEASE)

    def move_to_side(self, side: str) -> None:
        """Put one-sided values on ``side`` (the user's), mirroring those the phrase put on the other side."""
        other = "Right" if side == "Left" else "Left"
        for layer, store in self.values.items():
            sided = [n for n in store if n.endswith(other) and (n[: -len(other)] + side) not in store]
            for n in sided:
                v, c = store.pop(n)
                twin = n[: -len(other)] + side
                store[twin] = (v, Contribution(twin, c.value, c.words, c.rule, c.kind))
                self.origin[(layer, twin)] = self.origin.pop((layer, n), self.clause)

    def said(self) -> bool:
        """Whether the text moved or released anything at all."""
        return any(self.values.values())

    def relabel(self, words: str, prefix: str) -> None:
        """Credit every value to ``words`` with ``prefix`` on its rule (the encoder fallback)."""
        for store in self.values.values():
            for name, (v, c) in store.items():
                store[name] = (v, Contribution(c.channel, c.value, words, prefix + c.rule, c.kind))

    def momentary_channels(self) -> set[str]:
        """Channels whose value a momentary verb wrote and no later words replaced ("she blinks"): not carried."""
        return {n for (layer, n), entry in self.momentary.items()
                if self.values[layer].get(n) is entry and entry[0] != 0.0}  # type: ignore[index]

    def clause_of(self) -> dict[str, int]:
        """Channel -> the clause whose words wrote it (the acting layers first): coherence tells phrases apart."""
        out: dict[str, int] = {}
        for layer in reversed(LAYERS):
            out.update({n: c for (l, n), c in self.origin.items() if l == layer})
        return out

    def blocked_regions(self) -> set[str]:
        """Regions the text spoke about (the prior stays out of them)."""
        return {region_of(n) for layer in self.values.values() for n in layer}

    def combine(self) -> tuple[np.ndarray, dict[str, Contribution]]:
        """Compose the layers additively: each sets a channel unless a stronger layer set it or an antagonist of it
        (``composition.yaml``), so a smile and a lip stretch from different words both stand."""
        values = np.zeros(N_CHANNELS)  # (61,)
        why: dict[str, Contribution] = {}
        explicit = any(v for v, _ in self.values[EXPLICIT].values())
        for layer in LAYERS:  # strongest first
            scale = MANNER_WEIGHT if layer == EMOTION and explicit else 1.0  # "lips stretched, terrified"
            for name, (v, c) in self.values[layer].items():
                if not claimed(why, name):
                    values[CHANNEL_INDEX[name]] = v * scale
                    why[name] = c
        return values, why


def claimed(why: dict[str, Contribution], name: str) -> bool:
    """Whether a stronger source already set ``name`` or a channel that pulls against it."""
    mine = why.get(name)
    return (mine is not None and (mine.value != 0.0 or mine.kind is ContributionKind.RELEASE)) or any(
        a in why and why[a].value != 0.0 for a in composition().antagonists.get(name, ()))

_CORNER_MUSCLES = ("MouthSmile", "MouthFrown", "MouthDimple", "MouthStretch")


def group(name: str) -> str:
    """Antagonist group an explicit action takes over: a region, with the mouth split into corners and lips."""
    region = region_of(name)
    if region == "mouth":
        return "corners" if name.startswith(_CORNER_MUSCLES) else "lips"
    return region


def is_release(c: Contribution) -> bool:
    """A zero the text asked for (negated or relaxed), worth showing in explanations."""
    return c.kind is ContributionKind.RELEASE


def with_value(c: Contribution, value: float) -> Contribution:
    """The contribution with its final (clipped, cohered) value."""
    return Contribution(c.channel, round(value, 4), c.words, c.rule, c.kind)


def cohere(values: np.ndarray, why: dict[str, Contribution], blocked: set[str],
           clause_of: Mapping[str, int] | None = None) -> None:
    """Physiological coherence, in place: linked muscles and impossible pairs. ``clause_of``: channel -> the clause
    that wrote it (``Layers.clause_of``), to tell a head turn from a gaze held by other words."""
    ix = CHANNEL_INDEX
    for side in ("Left", "Right"):
        smile = values[ix["MouthSmile" + side]]
        cheek = "CheekSquint" + side
        if smile > 0.6 and "CheekSquint" + side not in why:  # a wide smile lifts the cheek (AU6 with AU12)
            values[ix[cheek]] = max(values[ix[cheek]], 0.6 * (smile - 0.35))
            why[cheek] = Contribution(cheek, 0.0, why["MouthSmile" + side].words if "MouthSmile" + side in why
                                      else "", W.label_cheek_lift, ContributionKind.COHERENCE)
        blink = values[ix["EyeBlink" + side]]
        wide = "EyeWide" + side
        if blink > 0.0 and values[ix[wide]] > 1.0 - blink:  # a closed lid cannot be wide open
            values[ix[wide]] = max(0.0, 1.0 - blink)
        for a, b in (("EyeLookIn", "EyeLookOut"), ("EyeLookUp", "EyeLookDown")):
            va, vb = values[ix[a + side]], values[ix[b + side]]
            if va > 0 and vb > 0:
                values[ix[a + side]], values[ix[b + side]] = max(0.0, va - vb), max(0.0, vb - va)
        press = "MouthPress" + side
        jaw = values[ix["JawOpen"]]
        if values[ix[press]] > 1.0 - jaw:  # lips cannot press together over a wide-open jaw
            values[ix[press]] = max(0.0, 1.0 - jaw)
    said = {n for n, c in why.items() if c.kind is not ContributionKind.PRIOR}
    jaw, close = values[ix["JawOpen"]], values[ix["MouthClose"]]
    press = max(values[ix["MouthPressLeft"]], values[ix["MouthPressRight"]])
    if jaw >= 0.25 and "JawOpen" in said and ({"MouthClose", "MouthPressLeft", "MouthPressRight"} & said) and (
            close > 0 or press > 0):  # lips held together over an open jaw: that is what mouthClose means
        values[ix["MouthClose"]] = max(close, min(jaw, max(0.45, press)))
        values[ix["MouthPressLeft"]] *= 0.5
        values[ix["MouthPressRight"]] *= 0.5
        why["MouthClose"] = Contribution("MouthClose", 0.0, why.get("MouthClose", why["JawOpen"]).words,
                                         W.label_lips_held, ContributionKind.COHERENCE)
    _eyes_hold_their_target(values, why, clause_of or {})
    if "head" not in blocked:
        pitch = (values[ix["LeftEyePitch"]] + values[ix["RightEyePitch"]]) / 2
        yaw = (values[ix["LeftEyeYaw"]] + values[ix["RightEyeYaw"]]) / 2
        for name, eye in (("HeadPitch", pitch), ("HeadYaw", yaw)):
            if eye and values[ix[name]] == 0.0:
                values[ix[name]] = round(HEAD_FOLLOW * eye, 3)
                why[name] = Contribution(name, 0.0, why.get("LeftEyePitch" if name == "HeadPitch" else "LeftEyeYaw",
                                                             Contribution(name, 0, "", "")).words,
                                         W.label_head_follows, ContributionKind.COHERENCE)


def _apart(head: str, eyes: tuple[str, ...], clause_of: Mapping[str, int]) -> bool:
    """Whether another clause than the head turn's released the eyes (unknown clauses count as another)."""
    turn = clause_of.get(head)
    return turn is None or all(clause_of.get(e) != turn for e in eyes)


_LOOKS = {("HeadYaw", 1): ("EyeLookInLeft", "EyeLookOutRight"), ("HeadYaw", -1): ("EyeLookOutLeft", "EyeLookInRight"),
          ("HeadPitch", 1): ("EyeLookDownLeft", "EyeLookDownRight"), ("HeadPitch", -1): ("EyeLookUpLeft", "EyeLookUpRight")}


def _eyes_hold_their_target(values: np.ndarray, why: dict[str, Contribution], clause_of: Mapping[str, int]) -> None:
    """The head turns while the words keep the gaze ahead ("the eyes stay on the camera"): the eyes counter-rotate
    to hold their target (the vestibulo-ocular reflex), in place."""
    ix = CHANNEL_INDEX
    for head, eyes in (("HeadYaw", ("LeftEyeYaw", "RightEyeYaw")), ("HeadPitch", ("LeftEyePitch", "RightEyePitch"))):
        turn, held = why.get(head), [why.get(e) for e in eyes]
        if turn is None or turn.kind is not ContributionKind.ACTION or values[ix[head]] == 0.0 or not all(
                c is not None and c.kind is ContributionKind.RELEASE for c in held) or not _apart(
                head, eyes, clause_of):
            continue
        angle = -float(values[ix[head]])  # the eyes turn back by the head's angle
        for e in eyes:
            values[ix[e]] = angle
            why[e] = Contribution(e, angle, held[0].words, W.label_eyes_hold, ContributionKind.COHERENCE)
        for name in _LOOKS[(head, 1 if angle < 0 else -1)] if head == "HeadPitch" else _LOOKS[(head, 1 if angle > 0
                                                                                                 else -1)]:
            values[ix[name]] = min(1.0, abs(angle) / 0.6)
            why[name] = Contribution(name, values[ix[name]], held[0].words, W.label_eyes_hold,
                                     ContributionKind.COHERENCE)
