"""Reading a tagged clause: the face parts it names, its actions (verbs, expression words, AU bundles), their
directions, sides and degrees, and which part each action moves. Reads only; ``writing`` turns the result into values."""

from __future__ import annotations

from . import lexicon as lx
from . import clauses
from .clauses import (BUNDLE, COMPARATIVE, DEGREE, DIRECTION, EXPRESSION, INTENSIFIER, LITERAL, MOTION, NUMBER,
                      ONESIDED, POSITION, REGION, RESULT, SIDE, SIZE, STYLE, VIEWER, WORDS, _LEVEL, _NAMING, Clause,
                      Token)
from .frame import frame_words
from .rules import _Action, _PARENT, _RULE_KEYS, _Region, _rule_for, _special

# The reader's word sets are ``clauses.WORDS`` (data/reading.yaml); these come from frames.yaml (``_derive``).
_SUDDEN: frozenset[str] = frozenset()  # verbs that make "open" wide open ("eyes fly open")
_LOOKING: frozenset[str] = frozenset()  # verbs of looking ("she eyes the right side")
_VISIBLE: frozenset[str] = frozenset()  # words of visibility ("teeth visible")
_LOCATIVE: frozenset[str] = frozenset()  # prepositions that place an expression in a part ("fear in his eyes")
_LIP_REGIONS: frozenset[str] = frozenset()  # the lips (``WORDS.lip_regions``; writing.py reads it)
_FILLER_ROLES = frozenset({DEGREE, INTENSIFIER, POSITION, SIDE, ONESIDED, VIEWER})  # of a word that only qualifies
_VERB_ROLES = frozenset({MOTION, EXPRESSION})


@lx.on_bind
def _derive() -> None:
    """This module's constants from the bound vocabulary (``lexicon.using`` swaps it)."""
    global _SUDDEN, _LOOKING, _VISIBLE, _LOCATIVE, _LIP_REGIONS
    sets = frame_words().sets
    _SUDDEN, _LOOKING, _VISIBLE, _LOCATIVE = sets["sudden"], sets["looking"], sets["visible"], sets["locative"]
    _LIP_REGIONS = WORDS.lip_regions


def _implied(clause: Clause, regions: list[_Region], actions: list[_Action], directions: list[str],
             previous: str | None) -> tuple[list[_Region], list[_Action]]:
    """Actions the words imply without a usual verb, and bundles that take the clause's verb."""
    toks = clause.tokens
    gone = next((t for t in toks if t.lemma in WORDS.vanish_verbs), None)
    if gone is not None and any(r.key in WORDS.lip_regions for r in regions) and not any(a.expression for a in actions):
        clause.negated = any(t.lemma in lx.NEGATIONS and t is not gone for t in toks)
        actions.append(_Action(toks.index(gone), motion="in"))  # "the lips disappear": rolled in
    if any(a.bundle and not a.expression for a in actions) and not regions:  # "AU4 / the corrugator contracts"
        if any(a.motion in WORDS.release_motions for a in actions):
            clause.negated = True  # "the corrugator relaxes": that action unit lets go
        actions = [a for a in actions if a.bundle or a.expression]
    if actions:
        return regions, actions
    if any(r.key in WORDS.shown_regions for r in regions) and any(t.lemma in _VISIBLE for t in toks):
        return regions, [_Action(pos=regions[0].pos, motion="show")]  # "teeth visible", "tongue showing"
    if len(regions) == 1 and regions[0].key in WORDS.shown_alone and not directions and not clause.negated:
        return regions, [_Action(pos=regions[0].pos, motion="show")]  # a label: "tongue"
    if regions and (state := _state(regions, toks)) is not None:
        return regions, [_Action(pos=state[0], motion=state[1])]  # "eyes wide", "make the eyes big"
    if regions and directions:  # "brows up", "chin down", "tongue out", "eye target screen-left"
        motions = [lx.GENERIC_DIRECTION.get(d, d) for d in directions]
        usable = [m for m in motions if _rule_for(regions[0].key, m) or _special(regions[0].key, _Action(0, m))]
        return regions, [_Action(pos=regions[0].pos, motion=(usable or motions)[0])]
    if not regions and previous is not None and any(t.lemma in WORDS.widening_words for t in toks):
        return [_Region(previous, 0)], [_Action(pos=0, motion="widen")]  # "eyes go round and wide"
    return regions, actions


def _relevant(clause: Clause, regions: list[_Region], actions: list[_Action], waiting: bool) -> list[_Action]:
    """Drop verbs that describe something else or only qualify an expression (the words still count)."""
    toks = clause.tokens
    if not regions and not waiting and _other_subject(toks):  # "as the door opens": not the face
        actions = [a for a in actions if a.expression or a.bundle or a.region or a.motion in WORDS.person_motions]
    into = next((i for i, t in enumerate(toks) if t.raw in WORDS.into_words), None)
    if into is not None and any(a.pos > into and (a.expression or a.motion in WORDS.shape_motions) for a in actions):
        actions = [a for a in actions if a.pos > into]  # "the mouth twists into a smirk": the result counts
    if not regions and not waiting and any(a.expression and a.expression not in lx.EMOTIONS
                                           and not _is_manner(toks, a.pos, clause) for a in actions):
        # "the smile widens", "a trembling smile": the verbs qualify the expression
        grow = any(a.motion in WORDS.grow_motions for a in actions if not a.expression)
        ease = any(t.lemma in WORDS.ease_verbs for t in toks)
        actions = [a for a in actions if a.expression or a.bundle or a.region or _shapes_the_mouth(a, toks)]
        if grow or ease:  # "the frown deepens" / "the frown eases"
            toks.append(Token("", "", {DEGREE: 0.7, COMPARATIVE: True} if grow else {DEGREE: 0.25}))
            # implied degree; growing goes past the previous keyframe like "wider"
    return actions


def _shapes_the_mouth(action: _Action, toks: list[Token]) -> bool:
    """A participle that adds a mouth action to a mouth expression ("a dimpled grin", "a pursed smile"): FACS adds
    it (AU12+14), unlike a manner ("a trembling smile") that only qualifies."""
    return bool(action.motion) and toks[action.pos].raw.endswith(WORDS.participle_endings) and lx.MOTION_REGION.get(
        str(action.motion)) in WORDS.mouth_parts


def _other_subject(toks: list[Token]) -> bool:
    """Whether the clause's subject is something else: 'the door opens', 'a car passes' (an unknown noun
    before the first verb; "gapes like a fish" is still about the face)."""
    first_verb = next((i for i, t in enumerate(toks) if t.roles.keys() & _VERB_ROLES), len(toks))
    for a, b in zip(toks[:first_verb], toks[1:first_verb]):
        if a.raw in WORDS.articles and not b.roles and b.lemma not in clauses._KNOWN and b.raw not in lx.FILLERS:
            return True
    return False


def _state(regions: list[_Region], toks: list[Token]) -> tuple[int, str] | None:
    """(position, motion) for a shape adjective about a named part ("eyes big" -> widen)."""
    for r in regions:
        key: str | None = r.key
        while key is not None:
            motion = next((lx.STATE_WORDS[(key, t.lemma)] for t in toks if (key, t.lemma) in lx.STATE_WORDS), None)
            if motion is not None:
                return r.pos, motion
            key = _PARENT.get(key)
    return None


def _regions(toks: list[Token]) -> list[_Region]:
    """Face parts named in the clause, refined by position words and singular determiners."""
    out: list[_Region] = []
    for i, t in enumerate(toks):
        key = t.roles.get(REGION)
        if key is None:
            continue
        if key in WORDS.owned_parts and any(u.roles.get(REGION) not in (None, *WORDS.default_owners)
                                            for u in toks[i + 1:i + 4]) and any(
                u.raw in WORDS.of_words for u in toks[i + 1:i + 3]):
            continue  # "the inner corners of the eyebrows": a part of the brows, not the mouth corners
        best: tuple[int, str] | None = None
        for j in range(max(0, i - 4), min(len(toks), i + 4)):
            p = toks[j].roles.get(POSITION)
            if p and (p, key) in lx.REGION_MODIFIERS and (j < i or p not in WORDS.leading_positions):
                if best is None or abs(j - i) < best[0]:
                    best = (abs(j - i), lx.REGION_MODIFIERS[(p, key)])
        refined = best[1] if best else key
        side = None
        onesided = None
        for j in range(max(0, i - 4), i):
            if SIDE in toks[j].roles and not _is_viewer(toks, j):
                side = toks[j].roles[SIDE]
            elif SIDE in toks[j].roles:
                side = "Right" if toks[j].roles[SIDE] == "Left" else "Left"
        singular = t.lemma in WORDS.paired_parts and t.raw in WORDS.singular_forms
        before = [u.raw for u in toks[max(0, i - 3):i]]
        determined = any(b in WORDS.determiners for b in before)
        if singular and ((t.raw in WORDS.one_sided_alone and determined) or any(b in WORDS.one_words for b in before)):
            onesided = 0.0
        out.append(_Region(refined, i, side, onesided))
    return out


def _actions(toks: list[Token]) -> list[_Action]:
    """Motions, expressions and literal bundles in the clause, with generic verbs resolved."""
    out: list[_Action] = []
    styles = {i: _smile_style(toks, i) for i, t in enumerate(toks)
              if t.roles.get(EXPRESSION) in WORDS.styled_expressions and REGION not in t.roles}
    for i, t in enumerate(toks):
        r = t.roles
        if t.used:
            continue
        if BUNDLE in r:
            out.append(_Action(i, bundle=r[BUNDLE], verb=t.raw, literal=LITERAL in r))
            continue
        if EXPRESSION in r and REGION not in r:
            expr = str(r[EXPRESSION])
            style = styles.get(i)
            if style is not None:
                out.append(_Action(i, expression=expr, bundle=lx.SMILE_STYLES[style], verb=t.raw,
                                   motion="smile"))
            else:
                out.append(_Action(i, motion=lx.EXPRESSIONS[expr][0], expression=expr, verb=t.raw))
            continue
        if MOTION not in r or REGION in r:
            continue
        motion = r[MOTION]
        verb_region, verb_default = lx.VERB_REGION.get(t.lemma, (None, None))
        open_only = t.lemma in WORDS.open_only
        result = _following(toks, i, RESULT) if motion is None or motion in WORDS.result_movers or open_only else None
        if open_only and result != "open":
            result = None  # only "stretch open" redirects a stretch
        if motion in WORDS.curling and (d := _following(toks, i, DIRECTION, span=3)) in WORDS.curl_directions:
            motion = lx.GENERIC_DIRECTION.get(str(d), str(d))  # "the lower lip curls inward": in
        if t.lemma in WORDS.squeeze_verbs and _following(toks, i, RESULT, span=3) in WORDS.shut_results:
            motion = "squeezeshut"  # "squeezes her eyes shut"
        elif result is not None:
            motion = "wideopen" if result == "open" and t.lemma in _SUDDEN else result
        elif motion is None or t.lemma in WORDS.roll_verbs:
            direction = _following(toks, i, DIRECTION, span=6 if verb_region == "gaze" else 4)
            if direction in WORDS.back_directions:  # "the eyes slide back over to the right": the return says where
                direction = next((u.roles[DIRECTION] for u in toks[i + 2:i + 7] if u.roles.get(DIRECTION) in
                                  WORDS.return_targets and not u.used), direction)
            if direction is None:
                direction = _preceding_direction(toks, i)
            if direction is not None:
                motion = lx.GENERIC_DIRECTION.get(str(direction), None)
                if direction == "up" and t.lemma in WORDS.push_verbs:
                    motion = "pushup"  # "lower lip pushed up" (AU17), not a smile
                if t.lemma in WORDS.roll_verbs and motion == "together":
                    motion = "rolltogether"  # "rolls his lips together": rolled in and pressed, not just closed
                if t.lemma in WORDS.look_verbs and motion is not None:
                    motion = "look" if direction in WORDS.look_directions else motion
            elif motion is None:
                motion = verb_default
        if motion is None and any(SIDE in u.roles for u in toks):  # "only the left side of his mouth moves"
            motion = next((frame_words().side_moves.get(str(u.roles[REGION])) for u in toks
                           if REGION in u.roles), None)
        if motion is None:
            continue
        out.append(_Action(i, motion=str(motion), verb=t.raw, region=verb_region))
    return out


def _smile_style(toks: list[Token], i: int) -> str | None:
    """The style adjective just before a smile word ("a polite smile"), consuming it."""
    for j in range(i - 1, max(-1, i - 4), -1):
        style = toks[j].roles.get(STYLE)
        if style is not None and not toks[j].used:
            toks[j].used = True
            return str(style)
    return None


def _following(toks: list[Token], i: int, role: str, span: int = 2) -> object | None:
    """The first ``role`` within ``span`` tokens after i (skipping fillers), consuming it."""
    for j in range(i + 1, min(len(toks), i + 1 + span)):
        u = toks[j]
        if role in u.roles and not u.used:
            if role == RESULT:
                u.used = True
            return u.roles[role]
        if role == RESULT and u.roles.get(DIRECTION) in WORDS.path_directions:
            after = toks[j + 1] if j + 1 < len(toks) else None
            if after is not None and after.roles.get(RESULT) in WORDS.tight_results:
                after.roles = {DEGREE: 0.75}  # "the lips pull back tight": the direction says where, "tight" how far
            return None
        if REGION in u.roles and role == RESULT:
            return None
    return None


def _preceding_direction(toks: list[Token], i: int) -> object | None:
    """A direction right before a verb ("upturned" is one word; "up-turned" is two)."""
    if i > 0 and DIRECTION in toks[i - 1].roles:
        return toks[i - 1].roles[DIRECTION]
    return None


def _is_directional(toks: list[Token], actions: list[_Action]) -> bool:
    """Whether left/right in this clause say where something goes (gaze, head, a sideways shift)."""
    return any(a.motion in WORDS.directional_motions or a.region in WORDS.directional_regions for a in actions) or any(
        t.roles.get(REGION) in WORDS.directional_regions for t in toks)


def _directions(toks: list[Token], actions: list[_Action]) -> list[str]:
    """Direction words in the clause; left/right count only where a directional verb uses them."""
    directional = not actions or _is_directional(toks, actions)
    out: list[str] = []
    for j, t in enumerate(toks):
        d = t.roles.get(DIRECTION)
        if d is None or t.used:
            continue
        if d in WORDS.side_directions:
            nxt = _next_noun(toks, j)
            kind = _side_or_direction(toks, j)
            if kind == SIDE or (kind is None and (
                    not directional or nxt.get(REGION) not in (None, *WORDS.unsided_regions))):
                continue  # "the left eye", "on the left": a side, not a direction
            if _is_viewer(toks, j):
                d = "right" if d == "left" else "left"
        out.append(str(d))
    if WORDS.side_directions.intersection(out):  # "a side glance to the right": the named side wins
        out = [d for d in out if d not in WORDS.vague_directions]
    return out


def _next_noun(toks: list[Token], j: int) -> dict[str, object]:
    """Roles of the word after j, skipping position words ("left outer brow" -> the brow)."""
    k = j + 1
    while k < len(toks) and POSITION in toks[k].roles and REGION not in toks[k].roles:
        k += 1
    return toks[k].roles if k < len(toks) else {}


def _side_or_direction(toks: list[Token], j: int) -> str | None:
    """'to the right' is a direction, 'on the right' a side; None when the words alone don't say."""
    before = [t.raw for t in toks[max(0, j - 3):j]]
    if any(b in WORDS.toward_words for b in before):
        return DIRECTION
    if j + 1 < len(toks) and toks[j + 1].lemma in WORDS.side_nouns:
        if any(t.lemma in _LOOKING for t in toks[:j]):
            return DIRECTION  # "she eyes the right side"
        return SIDE  # "the left side of her mouth"
    if WORDS.on_words.intersection(before) and any(REGION in t.roles for t in toks[max(0, j - 6):j]):
        return SIDE  # "the eyebrow on the right" (but "eyes the exit on his left" is a direction)
    return None


def _is_viewer(toks: list[Token], j: int) -> bool:
    """'the viewer's left', 'camera left', 'our left' -> the opposite of the subject's side."""
    return any(toks[k].roles.get(VIEWER) for k in range(max(0, j - 3), j))


def _clause_side(toks: list[Token], actions: list[_Action]) -> tuple[str | None, float | None]:
    """(named side, other side's share) from left/right words not used as directions."""
    directional = _is_directional(toks, actions)
    sides: set[str] = set()
    share = None
    for j, t in enumerate(toks):
        if SIDE in t.roles:
            nxt = _next_noun(toks, j)
            kind = _side_or_direction(toks, j)
            if kind == DIRECTION or (
                    kind is None and directional and nxt.get(REGION) in (None, *WORDS.unsided_regions)):
                continue
            s = str(t.roles[SIDE])
            if _is_viewer(toks, j):
                s = "Right" if s == "Left" else "Left"
            sides.add(s)
        if ONESIDED in t.roles:
            share = float(t.roles[ONESIDED])  # type: ignore[arg-type]
    side = next(iter(sides)) if len(sides) == 1 else None  # both sides named: neither
    return side, share


_DEGREE_REACH = 48  # tokens either side searched for a degree word; real clauses are far shorter


def _degree(toks: list[Token], pos: int) -> tuple[float, bool] | None:
    """(level, absolute?) of the degree word nearest to ``pos`` in the clause, if any."""
    best: tuple[int, float, bool] | None = None
    lo = max(0, pos - _DEGREE_REACH)  # a bounded window: linear time on a clause of thousands of actions
    window = [(j, toks[j]) for j in range(lo, min(len(toks), pos + _DEGREE_REACH + 1))]
    for j, t in window:
        if t.used or j == pos:
            continue
        if NUMBER in t.roles:
            cand = (abs(j - pos) - 1, abs(float(t.roles[NUMBER])), True)  # type: ignore[arg-type]
        elif DEGREE in t.roles:
            level = float(t.roles[DEGREE])  # type: ignore[arg-type]
            if j > 0 and INTENSIFIER in toks[j - 1].roles:
                level = level * 0.7 if level < lx.PLAIN else min(1.0, level * 1.2)
            absolute = t.lemma in WORDS.absolute_degrees or t.lemma.startswith(_LEVEL)
            if t.lemma in WORDS.near_degrees:
                level = -0.8  # "almost closed" = 0.8 of a closure; "almost smiling" = a trace (see _scale)
            cand = (abs(j - pos), level, absolute)
        elif INTENSIFIER in t.roles and j + 1 < len(toks) and DEGREE not in toks[j + 1].roles:
            cand = (abs(j - pos) + 1, 0.72, False)
        else:
            continue
        if best is None or cand[0] < best[0]:
            best = cand
    if best is None:  # no degree word: a word of size ("shoots up", "a flicker of") sets it, the action's own first
        sized = sorted((abs(j - pos), float(t.roles[SIZE])) for j, t in window  # type: ignore[arg-type]
                       if SIZE in t.roles and not t.used)
        return (sized[0][1], False) if sized else None
    return (best[1], best[2]) if best else None


def _only_fillers(toks: list[Token], a: int, b: int) -> bool:
    """Whether only articles, degrees and the like stand between positions a and b."""
    lo, hi = min(a, b), max(a, b)
    return all(t.raw in lx.FILLERS or t.roles.keys() & _FILLER_ROLES for t in toks[lo + 1:hi])


def _targets(action: _Action, regions: list[_Region], previous: str | None,
             toks: list[Token]) -> list[_Region]:
    """Which region(s) an action moves."""
    if action.bundle is not None and action.expression is None:
        return []
    if action.expression is not None:  # "worried brows", "the eyes are sad": only when right next to it
        motion = lx.EXPRESSIONS[action.expression][0] or ""
        if toks[action.pos].raw.endswith(WORDS.adverb_endings):
            return []  # "raises her brows sceptically": a manner adverb colours the face, not the brows
        near = [r for r in regions if (r.key, motion) in _RULE_KEYS and (
            abs(r.pos - action.pos) <= 3 and _only_fillers(toks, r.pos, action.pos) or _placed_in(toks, action, r))]
        return near[:1]
    if regions:  # the nearest region this motion means something for ("dimpled cheeks at the corners")
        ranked = sorted(regions, key=lambda r: (abs(r.pos - action.pos), r.pos > action.pos))
        usable = [r for r in ranked if _rule_for(r.key, action.motion or "") or _special(r.key, action)]
        default = lx.MOTION_REGION.get(action.motion or "")
        if usable or any(EXPRESSION in t.roles for t in toks):
            return usable[:1]  # "a warm smile spreads across her face": the verb only carries the smile
        if default and ranked[0].key in WORDS.whole_face:
            return [_Region(default, action.pos)]  # "a thin-lipped expression": the face names no part
        return ranked[:1]  # the named part; _apply may still read the clause's direction
    if action.region is not None:
        return [_Region(action.region, action.pos)]
    if previous is not None and (_rule_for(previous, action.motion or "") or _special(previous, action)):
        return [_Region(previous, action.pos)]  # "the brows furrow, then relax"; "chin raised and wrinkled"
    default = lx.MOTION_REGION.get(action.motion or "")
    if default is not None:
        return [_Region(default, action.pos)]
    if previous is not None and action.motion not in WORDS.unattached_motions:
        return [_Region(previous, action.pos)]
    return []


def _placed_in(toks: list[Token], action: _Action, region: _Region) -> bool:
    """Whether the expression at ``action.pos`` is placed in ``region`` by a locative phrase after its verb ("the
    worry stays in her brow", "fear flickers in his eyes"): nothing else acts between them."""
    if not 0 < region.pos - action.pos <= 6:
        return False
    between = toks[action.pos + 1:region.pos]
    at = next((j for j, t in enumerate(between) if t.raw in _LOCATIVE), None)
    return at is not None and _only_fillers(between, at, len(between)) and not any(
        t.roles.keys() & _NAMING for t in between[:at])


def _actions_in(toks: list[Token]) -> list[Token]:
    """Words with a motion or expression role."""
    return [t for t in toks if MOTION in t.roles or EXPRESSION in t.roles]


def _suppressed(toks: list[Token], pos: int) -> bool:
    """Whether a holding-back verb stands just before the expression at ``pos`` ("fighting a grin",
    "a stifled laugh"; not "a smile hides her fear", not "hidden behind a smile")."""
    for j in range(max(0, pos - 3), pos):
        if toks[j].raw.startswith(lx.SUPPRESSING) and _only_fillers(toks, j, pos):
            return True
    return False


def _has_region_action(toks: list[Token]) -> bool:
    """Whether the clause also moves a named part ("a terrified stretch of the lips")."""
    return any(REGION in t.roles for t in toks) and any(
        MOTION in t.roles and EXPRESSION not in t.roles and REGION not in t.roles for t in toks)


def _is_manner(toks: list[Token], pos: int, clause: Clause) -> bool:
    """An expression word used as manner: an adverb ("sadly"), "in fear", "with a look of disgust"."""
    before = {t.raw for t in toks[max(0, pos - 3):pos]}
    return toks[pos].raw.endswith(WORDS.adverb_endings) or bool(before & frame_words().manner_prepositions) or (
        clause.opener in WORDS.with_openers and pos <= 3)
