"""Steps 2-4 of posing, in order: ``clauses`` splits and tags the words, ``frame`` reads each clause as plain data,
``reading`` finds its parts and actions, ``writing`` turns them into ``Layers``. This module runs them clause by
clause and applies what each frame says: a scene or figurative clause poses nothing, a hedge softens expressions, a
decrease or partial release becomes a change of the current value (``continuity.scale``); parts a clause says
persist ("the smile stays") are marked for continuity."""

from __future__ import annotations

import re

from . import clauses, lexicon as lx, vocab
from ...channels import CHANNELS, REGIONS
from .clauses import Clause, _SENTENCE_END, _quote, split_clauses, Token
from .compose import EMOTION, EXPRESSION, MANNER, RELAX_CHANNELS, Layers, group
from .frame import Change, Frame, frame_words, read_frame
from .manner import words as manner_words
from .normalise import normalise
from .reading import _actions, _clause_side, _degree, _directions, _implied, _regions, _relevant, _targets
from .composition import composition
from .rules import W, _Action, _Region, say
from .writing import _apply, _apply_bundle, _extend_directions

__all__ = ["Clause", "Token", "momentary", "parse", "split_clauses"]


def parse(description: str) -> Layers:
    """Steps 1-4: the description's own values, layer by layer."""
    layers = Layers()
    previous_region: str | None = None
    pending: list[_Region] = []
    just_moved: set[str] = set()  # what the last clause of this sentence moved ("... and stay there")
    clauses = split_clauses(normalise(description))
    layers.notes.extend(note for clause in clauses for note in clause.notes)
    _quote(clauses, description)
    for number, clause in enumerate(clauses):
        layers.clause = number
        if clause.opener in _SENTENCE_END:
            pending = []  # "his face goes pale; the jaw drops": parts don't wait across sentences
            just_moved = set()
        before = layers.snapshot()
        frame = read_frame(clause.tokens, clause.opener, clause.negated)
        if not frame.moves_face:
            layers.notes.append(say(W.label_not_posed_figurative if frame.figurative else W.label_not_posed,
                                    text=clause.text, actor=frame.actor.value))
            continue
        if frame.change in (Change.DECREASE, Change.PARTIAL):
            clause.negated = False  # "the smile fades", "never fully relax": a change of size, not a negation
        previous_region, pending = _interpret(clause, layers, previous_region, pending)
        _frame_effects(frame, clause, layers, before)
        if momentary(clause):
            layers.momentary.update({(layer, n): entry for layer, store in layers.values.items()
                                     for n, entry in store.items() if before.get((layer, n)) is not entry})
        written = layers.written_since(before)
        if frame.change is Change.RETURN:
            layers.returning |= written  # "the brows come back down": read against the previous keyframe
        if _persists(clause):
            released = layers.released_since(before)  # "the brows stay relaxed": the words say where they are
            layers.kept_at_rest |= released  # ... for the whole keyframe ("The brows stay relaxed. She frowns.")
            layers.hold(clause, tuple(n for n in _held_channels(clause, written, just_moved) if n not in released),
                        afresh=not _holds_an_object(clause))
        just_moved = written or just_moved
        more = next((float(t.roles["degree"]) for t in clause.tokens if "comparative" in t.roles), None)
        if more is not None:  # type: ignore[arg-type]
            layers.grown.update(dict.fromkeys(layers.written_since(before), more))
    return layers


def _frame_effects(frame: Frame, clause: Clause, layers: Layers, before: dict[tuple[str, str], object]) -> None:
    """What the clause's frame does to its plain reading: a hedge softens its expressions, a decrease (or a partial
    release) scales the value the face has now, a partial action reaches part of its value."""
    if frame.hedged:
        layers.scale_since(before, frame_words().hedge_share, (EXPRESSION, EMOTION, MANNER),
                           say(W.label_hedged, share=frame_words().hedge_share))
    if frame.exclusive and frame.side is not None:
        layers.rest_other_side(before, frame.side, clause.text)
    share = frame.share if frame.share is not None else 1.0
    if frame.change is Change.DECREASE or (frame.change is Change.PARTIAL and frame.release_verb):
        rule = say(W.label_change, share=share, change=frame.change.value)
        layers.change_since(before, share, clause.text, rule)
    elif frame.change is Change.PARTIAL:
        layers.scale_since(before, share, note=say(W.label_partly, share=share))


_BACK_REFERENCE: frozenset[str] = frozenset()
_PERSIST_STATES: frozenset[str] = frozenset()
_MOMENTARY: frozenset[str] = frozenset()


@lx.on_bind
def _bind() -> None:
    """This module's word sets from the active vocabulary (``lexicon.using`` swaps it)."""
    global _BACK_REFERENCE, _PERSIST_STATES, _MOMENTARY
    _BACK_REFERENCE = frame_words().sets["back_reference"]
    _PERSIST_STATES = frame_words().sets["persist_states"]
    _MOMENTARY = composition().momentary


def _holds_an_object(clause: Clause) -> bool:
    """Whether the clause's persist verb comes before the action it holds ("he holds the stare", "keeps the
    squint"): the action names what is kept, it is not a new one."""
    toks = clause.tokens
    hold_at = next((i for i, t in enumerate(toks) if t.raw in lx.PERSIST_WORDS or t.lemma in lx.PERSIST_WORDS), None)
    act_at = next((i for i, t in enumerate(toks) if "motion" in t.roles or "expression" in t.roles), None)
    return hold_at is not None and act_at is not None and hold_at < act_at - 1 and (
        toks[act_at - 1].raw in clauses.WORDS.determiners)  # a noun: "the stare"; not "still smiling"


def _timing(toks: list[Token], i: int) -> bool:
    """Whether the word at ``i`` belongs to a length of time ("for two full seconds": "two", "full"), not a degree."""
    mw = manner_words()
    return any(t.raw in mw.units and all(u.raw in mw.unit_fillers for u in toks[i + 1:j])
               for j, t in enumerate(toks[i + 1:i + 3], start=i + 1))


def _persists(clause: Clause) -> bool:
    """Whether the clause says something holds ("the brows stay raised", "still frowning", "as before")
    without giving it a new degree ("the smile remains, a little broader" is a new value)."""
    toks = clause.tokens
    if clause.negated or not any(t.raw in lx.PERSIST_WORDS or t.lemma in lx.PERSIST_WORDS for t in toks):
        return False
    return not any(not _timing(toks, i) and ("number" in t.roles or "intensifier" in t.roles or (
        "degree" in t.roles and t.lemma not in _PERSIST_STATES)) for i, t in enumerate(toks))


def _held_channels(clause: Clause, written: set[str], just_moved: set[str]) -> tuple[str, ...]:
    """Channels a persisting clause holds: its named parts, and the groups of what its words moved.

    A clause that names nothing ("and stay there", "keeps them up", "then holds") refers back to what the
    clause before it moved, or, first in its sentence, to the whole pose ("she stays like that").
    """
    if not written and not _regions(clause.tokens) and all(
            t.raw in _BACK_REFERENCE or t.raw in lx.PERSIST_WORDS or "direction" in t.roles for t in clause.tokens):
        groups = {group(n) for n in just_moved}
        return tuple(n for n in CHANNELS if group(n) in groups) if groups else CHANNELS
    names: set[str] = set()
    for region in _regions(clause.tokens):
        if region.key in W.whole_face_parts:
            return CHANNELS  # "the rest of the face is unchanged"
        part = RELAX_CHANNELS.get(region.key, ()) + (REGIONS["gaze"] if region.key in W.gaze_parts else ())
        if region.side is not None:
            other = "Right" if region.side == "Left" else "Left"
            part = tuple(n for n in part if other not in n)
        names.update(part)
    groups = {group(n) for n in written}
    names.update(n for n in CHANNELS if group(n) in groups)
    if not names and any(t.raw in W.unchanged for t in clause.tokens):
        return CHANNELS  # "as before"
    return tuple(n for n in CHANNELS if n in names)


def _interpret(clause: Clause, layers: Layers, previous: str | None,
               pending: list[_Region]) -> tuple[str | None, list[_Region]]:
    """Resolve one clause into layer writes. Returns (last region used, regions awaiting a verb)."""
    toks = clause.tokens
    regions = _regions(toks)
    actions = _actions(toks)
    directions = _directions(toks, actions)
    regions, actions = _implied(clause, regions, actions, directions, previous)
    if not actions:
        if not regions and directions and layers.last_directional is not None:
            _extend_directions(layers, directions, clause)  # "... looks up and to the left"
            return previous, pending
        if clause.negated:  # "without moving her head": nothing carries over
            return previous, pending
        waiting = [r for r in regions if r.key not in W.whole_face_parts]  # "his face goes pale" names no part
        return (regions[-1].key if regions else previous), pending + waiting
    if not regions and previous is not None and any("side" in t.roles for t in toks) and not any(
            a.region for a in actions):  # "..., looking up to the left": a looking verb names its own part
        regions = [_Region(previous, 0)]  # ellipsis: "the left eye winks while the right stays open"
        regions[0].side, _ = _clause_side(toks, [])
    shared: list[_Region] = []  # "the brows and the lids lift": parts waiting for this clause's verb
    if pending and all(a.expression is None for a in actions):
        shared = [_Region(r.key, actions[0].pos, r.side, r.onesided) for r in pending]
    actions = _relevant(clause, regions, actions, bool(pending or shared))
    sides = _clause_side(toks, actions)
    last = previous
    for action in actions:
        last = _interpret_action(action, clause, layers, regions, shared, previous, sides, directions) or last
    return last, []


_WORD_RE = re.compile(r"[a-z]+")


def momentary(clause: Clause) -> bool:
    """Whether the clause's words name an action that is over by the next keyframe ("she blinks", "a quick nod",
    "she squeezes her eye shut"): what it writes does not carry."""
    return any(map(_momentary_word, _WORD_RE.findall(clause.text.lower())))


@vocab.cached(maxsize=8192)
def _momentary_word(word: str) -> bool:
    """Whether ``word`` is a form of a momentary verb ("blinked", "nods"); cached: words repeat."""
    return lx.lemma(word, _MOMENTARY) in _MOMENTARY



def _interpret_action(action: _Action, clause: Clause, layers: Layers, regions: list[_Region],
                      shared: list[_Region], previous: str | None, sides: tuple[str | None, float | None],
                      directions: list[str]) -> str | None:
    """Write one action of a clause into the layers, on the parts it targets. Returns the last part it moved."""
    toks = clause.tokens
    level = _degree(toks, action.pos)
    targets = _targets(action, regions, previous, toks) if regions or not shared else []
    if not regions and layers.previous_side and not any("side" in t.roles for t in toks):
        for target in targets:  # "the right corner tightens and is drawn inward": still the right one
            if target.key == previous and target.side is None:
                target.side = layers.previous_side
    if action.bundle is None:  # a bundle (AU, viseme, channel name) needs no part
        targets += [r for r in shared if r.key not in {t.key for t in targets}]
    if not targets:
        if action.expression or action.bundle:
            _apply_bundle(action, layers, clause, toks, level, sides)
        return None
    for region in targets:
        layers.previous_side = region.side
        _apply(action, region, layers, clause, toks, level, sides, directions)
    return targets[-1].key
