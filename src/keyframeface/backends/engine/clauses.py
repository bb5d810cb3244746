"""Tokens -> clauses, each word tagged with its roles from the lexicon (region, motion, expression, direction, degree,
number, side, negation, size); slips corrected in place (a face word, or a motion of the part just named); the span of
the user's own text each clause came from, for explanations. The closed word sets this module and ``reading.py`` match
beyond the lexicon's tables are data too: ``data/reading.yaml``, read into ``WORDS`` on every vocabulary switch."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NewType, get_type_hints

import numpy as np

from . import lexicon as lx, vocab
from . import frame
from .frame import Role
from ...channels import CHANNELS
from .facs import LEVEL_LETTERS, DataError, level_value
from .normalise import _LEFT, CHANNEL_KEYS, Mark, _left
from .rules import _Action, _rule_for, _special
from .text import closest
from .wording import growth, sizes

LITERAL_RULE = "ARKit channel named in the text"  # the label of a channel named with its value (kind LITERAL)

# The roles the tagger gives a word: the keys of ``Token.roles`` (``frame.Role``, each its lower-case name).
REGION, MOTION, EXPRESSION, BUNDLE, LITERAL = Role.REGION, Role.MOTION, Role.EXPRESSION, Role.BUNDLE, Role.LITERAL
DIRECTION, RESULT, POSITION, SIDE, ONESIDED = Role.DIRECTION, Role.RESULT, Role.POSITION, Role.SIDE, Role.ONESIDED
VIEWER, DEGREE, INTENSIFIER, COMPARATIVE, SIZE = Role.VIEWER, Role.DEGREE, Role.INTENSIFIER, Role.COMPARATIVE, Role.SIZE
NUMBER, STYLE, ANGLE = Role.NUMBER, Role.STYLE, Role.ANGLE
# Tokens the normaliser writes for what is not a word (``normalise.Mark``): "au12", "facslevelc", "angle349",
# "visemeaa", "chanjawopenx0p4" (a channel named with its value; "both" = both sides).
_AU, _LEVEL, _ANGLE, _VISEME, _CHANNEL, _BOTH = Mark.AU, Mark.FACSLEVEL, Mark.ANGLE, Mark.VISEME, Mark.CHAN, Mark.BOTH
_LEVEL_LETTERS = "".join(LEVEL_LETTERS).lower()  # the FACS intensity letters of a "facslevelc" token

# --- the reader's word sets (data/reading.yaml) ---------------------------------------------------------------------
# The kinds of set: what an entry is, how it is checked at load and how it is kept.
Words = NewType("Words", frozenset[str])  # any words
Motions = NewType("Motions", frozenset[str])  # the engine's motion names (motions.yaml)
Regions = NewType("Regions", frozenset[str])  # region names (regions.yaml)
Directions = NewType("Directions", frozenset[str])  # direction names (motions.yaml `directions`)
Results = NewType("Results", frozenset[str])  # result names (motions.yaml `results`)
Expressions = NewType("Expressions", frozenset[str])  # expression names (expressions.yaml)
Endings = NewType("Endings", tuple[str, ...])  # suffixes, as ``str.endswith`` takes them
Rewrites = NewType("Rewrites", dict[str, str])  # "form=reading" entries: form -> reading
Sides = NewType("Sides", dict[str, str])  # "word=Left" / "word=Right" entries: word -> side


class ReaderWords:
    """The closed word sets of the clause reader (``data/reading.yaml``, a file of named lists), one attribute per
    set. ``load`` re-reads them from the active vocabulary (``lexicon.using`` / ``vocab.switch`` run it), so the
    attributes of ``WORDS`` are always the bound vocabulary's; each set's annotation says its kind."""

    # words the tagger knows (clauses.py)
    known: Words
    articles: Words
    adjective_endings: Endings
    verb_endings: Endings
    negating_openers: Words
    with_openers: Words
    # sides and positions
    sides: Sides
    side_letters: Sides
    side_nouns: Words
    leading_positions: Words
    # face parts (reading.py)
    noun_verbs: Words
    verb_readings: Rewrites
    paired_parts: Words
    singular_forms: Words
    one_words: Words
    one_sided_alone: Words
    determiners: Words
    owned_parts: Regions
    default_owners: Regions
    of_words: Words
    lip_regions: Regions
    mouth_parts: Regions
    shown_regions: Regions
    shown_alone: Regions
    directional_regions: Regions
    unsided_regions: Regions
    whole_face: Regions
    # verbs and their motions
    vanish_verbs: Words
    release_motions: Motions
    widening_words: Words
    result_movers: Motions
    open_only: Words
    shape_motions: Motions
    into_words: Words
    person_motions: Motions
    directional_motions: Motions
    grow_motions: Motions
    ease_verbs: Words
    curling: Motions
    curl_directions: Directions
    squeeze_verbs: Words
    shut_results: Results
    roll_verbs: Words
    push_verbs: Words
    look_verbs: Words
    look_directions: Directions
    unattached_motions: Motions
    styled_expressions: Expressions
    # directions
    path_directions: Directions
    tight_results: Results
    back_directions: Directions
    return_targets: Directions
    toward_words: Words
    on_words: Words
    side_directions: Directions
    vague_directions: Directions
    # degrees and manner
    absolute_degrees: Words
    near_degrees: Words
    adverb_endings: Endings
    participle_endings: Endings
    # explanations
    display: Rewrites

    def load(self) -> None:
        """Read every set from the active vocabulary and check it; a ``DataError`` names the file and the set."""
        file = "reading.yaml"
        named = {Motions: {m for _, m in lx.RULES} | set(lx.MOTION_REGION) | set(lx.GENERIC_DIRECTION.values())
                 | {m for m in lx.MOTION_WORDS.values() if m},
                 Regions: set(lx.REGION_WORDS.values()) | set(lx.REGION_MODIFIERS.values()) | {r for r, _ in lx.RULES},
                 Directions: set(lx.DIRECTION_WORDS.values()), Results: set(lx.RESULT_WORDS.values()),
                 Expressions: set(lx.EXPRESSIONS)}
        for name, kind in get_type_hints(ReaderWords).items():
            words = vocab.words(file, name)
            value: object = words
            if kind in named and words - named[kind]:
                raise DataError(file, name, f"{sorted(words - named[kind])} are not {kind.__name__.lower()} the "
                                            f"engine knows")
            if kind is Endings:
                value = tuple(sorted(words))
            elif kind in (Rewrites, Sides):
                pairs = [w.partition("=") for w in words]
                if any(not (form.strip() and sep and reading.strip()) for form, sep, reading in pairs):
                    raise DataError(file, name, f"expected form=reading entries, got {sorted(words)}")
                value = {form.strip(): reading.strip() for form, _, reading in pairs}
                if kind is Sides and set(value.values()) - {"Left", "Right"}:  # type: ignore[attr-defined]
                    raise DataError(file, name, "a side is Left or Right")
            setattr(self, name, value)


WORDS = ReaderWords()
_GROWTH: frozenset[str] = frozenset()  # verbs that make an expression grow ("the fear grows") (``_derive``)
_SIZES: dict[str, float] = {}  # "shoot" -> the level of "strongly" (``_derive``)
_SUBJECTS: frozenset[str] = frozenset()  # pronouns that start a clause about the person (frames.yaml)
_KNOWN: frozenset[str] = frozenset()  # every word the lexicon gives a role, and the reader's ``known`` (``_derive``)


@dataclass
class Token:
    """One word: as written (raw), its base form, and the roles the lexicon gives it."""

    raw: str
    lemma: str
    roles: dict[str, object] = field(default_factory=dict)
    used: bool = False


@dataclass
class Clause:
    """A run of words between punctuation/conjunctions; ``negated`` by no/not/without/fades."""

    tokens: list[Token]
    negated: bool = False
    opener: str = ""  # the conjunction or mark that started the clause
    quote: str = ""  # the span of the user's own text it came from (``_quote``)
    notes: list[str] = field(default_factory=list)  # what reading it did that the user should know (a typo read)

    @property
    def text(self) -> str:
        """The clause in the user's words, for explanations (its normalised tokens when not found)."""
        return self.quote or " ".join(_display(t.raw) for t in self.tokens if t.raw)


_SOURCE_WORD_RE = re.compile(r"[A-Za-z0-9]+")
_QUOTE_EDGE_RE = re.compile(r"^[^\w%]+|[^\w%]+$")  # punctuation, dashes, spaces around a span


def _quote(clauses: list[Clause], description: str) -> None:
    """Give each clause the span of ``description`` it came from, in place, so explanations quote the
    user ("the head relaxes", not "the head relax"): tokens are matched to the original words in order."""
    words = [(m.group(0).lower(), m.start(), m.end()) for m in _SOURCE_WORD_RE.finditer(description)]
    cursor = 0
    found: list[tuple[int, int] | None] = []  # (first word, last word) matched
    for clause in clauses:
        first = last = None
        for t in clause.tokens:
            hit = next((j for j in range(cursor, min(len(words), cursor + 6)) if words[j][0] == t.raw or (
                t.raw.startswith(_AU) and words[j][0].startswith(t.raw))), None)  # "AU12C" -> "au12"
            if hit is None:
                continue
            first = hit if first is None else first
            last, cursor = hit, hit + 1
        found.append(None if first is None or last is None else (first, last))
    bounds: list[tuple[int, int] | None] = []
    previous_last = -1
    for span in found:
        if span is None:
            bounds.append(None)
            continue
        first, last = span
        while first - 1 > previous_last and words[first - 1][0] not in lx.SPLITTERS and not re.search(
                r"[,;.!?()]", description[words[first - 1][2]:words[first][1]]):
            first -= 1  # rewritten first words ("zygomaticus major", "the rest of the face") are its own
        bounds.append((words[first][1], words[last][2]))
        previous_last = last
    for i, (clause, bound) in enumerate(zip(clauses, bounds)):
        if bound is None:
            continue
        later = next((b[0] for b in bounds[i + 1:] if b is not None), len(description))
        text = description[bound[0]:max(bound[1], later)]
        text = _trim(text)
        clause.quote = text if text else ""


def _trim(text: str) -> str:
    """A quoted span without the punctuation and conjunctions around it."""
    while True:
        text = _QUOTE_EDGE_RE.sub("", text)
        head, _, rest = text.partition(" ")
        if rest and head.lower() in lx.SPLITTERS:
            text = rest
            continue
        body, _, tail = text.rpartition(" ")
        if body and tail.lower() in lx.SPLITTERS:
            text = body
            continue
        return text


def _negation_scope(clause: Clause) -> list[Clause]:
    """A negation after the clause's verb and before another action negates only what follows it ("the corner of
    his mouth twitches - not a smile": the twitch stands, the smile is denied): the clause splits there."""
    toks = clause.tokens
    for j, t in enumerate(toks):
        if t.raw not in lx.NEGATIONS or not 0 < j < len(toks) - 1:
            continue
        if any((MOTION in u.roles and EXPRESSION not in u.roles) or BUNDLE in u.roles for u in toks[:j]) and any(
                u.roles.keys() & _ACTING for u in toks[j + 1:]):
            before, after = Clause(toks[:j], opener=clause.opener), Clause(toks[j:], negated=True, opener=t.raw)
            for part in (before, after):
                for u in part.tokens:
                    u.roles = {}
                _tag(part)
            before.negated = clause.negated and any(u.raw in lx.NEGATIONS for u in before.tokens)
            return [before, after]
        return [clause]
    return [clause]


_BREAK = frozenset(",;.!?()")  # not ":" ("brows: up")
_ACTING = frozenset({MOTION, EXPRESSION, BUNDLE})  # roles of a word that acts (a verb, an expression, an AU)
_NAMING = _ACTING | {REGION}  # and of one that names a part
_SENTENCE_END = frozenset(";.!?")


def split_clauses(tokens: list[str]) -> list[Clause]:
    """Split tokens at punctuation and conjunctions; tag each token with its roles."""
    clauses: list[Clause] = []
    current = Clause([])
    for i, raw in enumerate(tokens):
        if raw == ":" and _explains(tokens, i):
            raw = ","  # "Outer brow up, left: elevates the lateral tail...": a label, then its explanation
        if raw in _BREAK or raw in lx.SPLITTERS:
            if current.tokens:
                clauses.append(current)
            current = Clause([], negated=raw in WORDS.negating_openers, opener=raw)
            continue
        word = lx.lemma(raw, _KNOWN)
        if word not in _KNOWN and len(raw) >= 6 and raw.isalpha():
            fixed = _typo(raw)  # "smilling", "furowed", "eyebrws"
            if fixed is not None:
                raw = lx.SPELLING.get(fixed, fixed)
                word = lx.lemma(raw, _KNOWN)
        current.tokens.append(Token(raw, word))
    if current.tokens:
        clauses.append(current)
    for clause in clauses:
        _tag(clause)
        if _verb_typos(clause):
            for t in clause.tokens:
                t.roles = {}
            _tag(clause)
    clauses = [part for clause in clauses for part in _negation_scope(clause)]
    joined: list[Clause] = []
    for clause in clauses:  # "a wrinkled, raised chin": a comma inside a noun phrase joins its adjectives
        prev = joined[-1] if joined else None
        second_predicate = prev is not None and prev.opener in lx.SPLITTERS and len(joined) > 1 and any(
            REGION in t.roles for t in joined[-2].tokens)  # "brows raised and pinched, eyes wide": the brows'
        if prev is not None and clause.opener == "," and _adjectives_only(prev) and not second_predicate and any(
                REGION in t.roles for t in clause.tokens[:3]):
            prev.tokens.extend(clause.tokens)
            prev.notes.extend(clause.notes)
        else:
            joined.append(clause)
    merged: list[Clause] = []
    for clause in joined:  # "winks with his right eye", "he winks, right eye only": a verb-less part refines
        verbless = not any(t.roles.keys() & _ACTING or (DIRECTION in t.roles and SIDE not in t.roles)
                           for t in clause.tokens)
        qualifies = clause.opener in WORDS.with_openers or any(t.roles.keys() & {SIDE, ONESIDED}
                                                               for t in clause.tokens)
        if clause.opener == "," and any(COMPARATIVE in t.roles for t in clause.tokens) and not any(
                t.roles.keys() & _NAMING for t in clause.tokens):
            verbless = qualifies = True  # "the smile remains, a little broader": the degree of the part before
        if merged and verbless and qualifies and any(
                t.roles.keys() & _NAMING for t in merged[-1].tokens):
            merged[-1].tokens.extend(clause.tokens)
            merged[-1].notes.extend(clause.notes)
        else:
            merged.append(clause)
    return merged


def _explains(tokens: list[str], i: int) -> bool:
    """Whether the colon at ``i`` opens an explanation (3+ words up to the next break; 5+ after a part's name) or
    follows a label that names no face part ("Ugly-happy crying: big smile"), not a part's value ("brows: up",
    "brows: inner up 0.6")."""
    run = 0
    for raw in tokens[i + 1:]:
        if raw in _BREAK or raw == ":":
            break
        run += 1
    label = []
    for raw in reversed(tokens[:i]):
        if raw in _BREAK or raw == ":":
            break
        label.append(raw)
    names_part = len(label) <= 3 and any(lx.lemma(w, _KNOWN) in lx.REGION_WORDS or w in lx.REGION_WORDS
                                         for w in label)
    value = i + 1 < len(tokens) and re.fullmatch(r"-?\d*\.?\d+%?", tokens[i + 1]) is not None  # "JawOpen: 0.2"
    return not value and ((run >= 3 and not (names_part and run <= 4)) or (bool(label) and not names_part and run >= 2))


def _adjectives_only(clause: Clause) -> bool:
    """A short verb-less run of describing words with no face part ("a wrinkled", "raised")."""
    toks = clause.tokens
    if not 0 < len(toks) <= 3 or clause.negated or any(
            t.roles.keys() & {REGION, EXPRESSION, BUNDLE, DIRECTION} or t.raw in _SUBJECTS for t in toks):
        return False
    motions = [t for t in toks if MOTION in t.roles]
    return bool(motions) and (toks[0].raw in WORDS.articles or all(
        t.raw.endswith(WORDS.adjective_endings) for t in motions))  # "a wrinkled", "raised", "puffy"


def _verb_typos(clause: Clause) -> bool:
    """Correct, in place, an unknown word in the verb slot after a face part to the one motion of that part it is a
    slip of ("the jaw opns" -> open, "the brows furow" -> furrow): the same part, never another. Returns whether it
    corrected any; a slip with no such match stays unread (the clause says nothing, and ``pose`` warns)."""
    fixed = False
    for i, t in enumerate(clause.tokens):
        if t.roles or len(t.raw) < 4 or not t.raw.isalpha() or t.raw in lx.FILLERS or t.lemma in _KNOWN:
            continue
        region = next((u.roles[REGION] for u in reversed(clause.tokens[max(0, i - 3):i]) if REGION in u.roles), None)
        if region is None:
            continue
        match = closest(t.raw, _motion_forms(str(region)))
        if match is not None and match[0] == t.raw[0] and (len(match) == len(t.raw) + 1 or (
                len(match) == len(t.raw) and sorted(match) == sorted(t.raw))):
            # a letter left out or two swapped, never the first: "form" is not "firm", "floats" not "flats",
            # "trained" not "strained"
            clause.notes.append(f"read {t.raw!r} as {_MOTION_FORM_BASE[match]!r} (a slip of a motion of the {region})")
            t.raw = t.lemma = _MOTION_FORM_BASE[match]
            fixed = True
    return fixed


_MOTION_FORM_BASE: dict[str, str] = {}  # written form -> motion word (``_derive``)


@vocab.cached(maxsize=64)
def _motion_forms(region: str) -> frozenset[str]:
    """Written forms of the motion words that mean something for ``region`` (a rule, or the parser's own gaze/head
    and relax motions)."""
    return frozenset(f for f, w in _MOTION_FORM_BASE.items() if lx.MOTION_WORDS[w] is not None and (
        _rule_for(region, str(lx.MOTION_WORDS[w])) or _special(region, _Action(0, str(lx.MOTION_WORDS[w])))))


def _typo(word: str) -> str | None:
    """The one face word ``word`` is a slip of ("smilling", "furowed", "eyebrws"): the engine's one typo matcher."""
    return closest(word, _TYPO_VOCAB)


# Words a typo (in a word of 6+ letters) may be corrected to: face parts and expression words with their
# inflections. Not plain verbs: real words sit one letter from them too ("trained" / "strained").
_EXPRESSION_WORDS: set[str] = set()
_TYPO_VOCAB: frozenset[str] = frozenset()


@lx.on_bind
def _derive() -> None:
    """This module's constants from the bound vocabulary (``lexicon.using`` swaps it)."""
    global _GROWTH, _SIZES, _SUBJECTS, _KNOWN, _MOTION_FORM_BASE, _EXPRESSION_WORDS, _TYPO_VOCAB
    WORDS.load()
    unknown = sorted(d for d in sizes().values() if d not in lx.DEGREE_WORDS)
    if unknown:
        raise DataError("wording.yaml", "sizes", f"{unknown} have no pose level in degrees.yaml (the degree table)")
    _GROWTH = frozenset(growth())
    _SIZES = {w: lx.DEGREE_WORDS[d] for w, d in sizes().items() if d in lx.DEGREE_WORDS}
    _SUBJECTS = vocab.shaped(frame.FILE).sets.subjects
    _KNOWN = frozenset(
        set(lx.REGION_WORDS) | set(lx.MOTION_WORDS) | set(lx.EXPRESSIONS) | set(lx.EXPRESSION_SYNONYMS)
        | set(lx.DIRECTION_WORDS) | set(lx.DEGREE_WORDS) | set(lx.NEGATIONS)
        | set(lx.ONE_SIDED) | set(lx.SMILE_STYLES) | set(lx.RESULT_WORDS) | set(lx.VERB_REGION) | WORDS.known)
    _MOTION_FORM_BASE = {f: w for w in lx.MOTION_WORDS if w.isalpha() and len(w) >= 4
                         for f in (w, *(w + ending for ending in WORDS.verb_endings))}
    _EXPRESSION_WORDS = set(lx.EXPRESSIONS) | set(lx.EXPRESSION_SYNONYMS)
    _TYPO_VOCAB = frozenset(w for w in set(lx.REGION_WORDS) | _EXPRESSION_WORDS | set(lx.SPELLING)
                            | {k for k, v in lx.IRREGULAR.items() if v in _EXPRESSION_WORDS}
                            if len(w) >= 5 and w.isalpha())
    _motion_forms.cache_clear()


def _tag(clause: Clause) -> None:
    """Give every token its candidate roles (a word may have several: 'wide', 'lower', 'open')."""
    toks = clause.tokens
    for i, t in enumerate(toks):
        w, r = t.lemma, t.roles
        if w.startswith(_AU) and w[2:].isdigit() and int(w[2:]) in lx.AU_BUNDLES:
            r[BUNDLE] = lx.AU_BUNDLES[int(w[2:])]
            continue
        if _is_literal(w):
            r[BUNDLE] = _literal_bundle(w[4:])
            r[LITERAL] = True  # a channel named with its value: taken as given (ContributionKind.LITERAL)
            continue
        if w.startswith(_ANGLE) and w[5:].isdigit():
            r[ANGLE] = int(w[5:]) / 1000.0  # radians, from "20 degrees"
            continue
        if w.startswith(_VISEME) and w[6:] in lx.VISEMES:
            r[BUNDLE] = lx.VISEMES[w[6:]]
            continue
        if re.fullmatch(r"-?\d*\.?\d+%?", w):
            r[NUMBER] = _number(w)
            continue
        if w in lx.NEGATIONS:
            clause.negated = True
        if w in lx.REGION_WORDS and not (t.raw in WORDS.noun_verbs and i > 0 and toks[i - 1].raw in _SUBJECTS):
            r[REGION] = lx.REGION_WORDS[w]
        elif t.raw in WORDS.verb_readings:
            t.lemma = w = WORDS.verb_readings[t.raw]  # "he eyes the exit": a verb of looking
        if t.raw in lx.POSITION_WORDS:
            r[POSITION] = t.raw
        if t.raw in WORDS.sides:
            r[SIDE] = WORDS.sides[t.raw]
        elif t.raw in WORDS.side_letters and i + 1 < len(toks) and toks[i + 1].lemma in lx.REGION_WORDS:
            r[SIDE] = WORDS.side_letters[t.raw]  # animator shorthand: "L brow up"
        if w in lx.ONE_SIDED:
            r[ONESIDED] = lx.ONE_SIDED[w]
        if w in lx.VIEWER_WORDS:
            r[VIEWER] = True
        if w.startswith(_LEVEL) and w[-1] in _LEVEL_LETTERS:
            r[DEGREE] = level_value(w[-1].upper())  # "AU12C": the FACS table's level, as given
        elif w in lx.DEGREE_WORDS:
            r[DEGREE] = lx.DEGREE_WORDS[w]
        elif w in _SIZES:
            r[SIZE] = _SIZES[w]  # a verb or noun of size: its degree when no degree word says one
        if w in lx.INTENSIFIERS:
            r[INTENSIFIER] = True
        if w in lx.DIRECTION_WORDS:
            r[DIRECTION] = lx.DIRECTION_WORDS[w]
        if w in lx.RESULT_WORDS:
            r[RESULT] = lx.RESULT_WORDS[w]
        if w in lx.SMILE_STYLES:
            r[STYLE] = w
        expr = lx.EXPRESSION_SYNONYMS.get(w, w)
        if expr in lx.EXPRESSIONS:
            r[EXPRESSION] = expr
        if w in lx.MOTION_WORDS:
            r[MOTION] = lx.MOTION_WORDS[w]
        elif w in lx.VERB_REGION:
            r[MOTION] = None
    for i, t in enumerate(toks[1:], 1):
        if t.lemma in WORDS.side_nouns and toks[i - 1].raw in WORDS.sides:
            t.roles.pop(DIRECTION, None)  # "the left side of his mouth": a side, not "aside"
    # "lower"/"upper"... directly before a face part is a position, not a verb ("the lower lip").
    for i, t in enumerate(toks):
        if POSITION in t.roles:
            ahead = [u.roles.get(REGION) for u in toks[i + 1:i + 3]]
            if any((t.raw, reg) in lx.REGION_MODIFIERS for reg in ahead if reg):
                t.roles.pop(MOTION, None)
                t.roles.pop(DIRECTION, None)
                t.roles.pop(EXPRESSION, None)
            elif t.raw in WORDS.leading_positions:
                t.roles.pop(POSITION)
    for i, t in enumerate(toks):
        if t.raw in lx.COMPARATIVES and POSITION not in t.roles:
            _comparative(toks, i)
    if any(t.roles.get(EXPRESSION) in lx.EMOTIONS for t in toks) and not any(REGION in t.roles for t in toks):
        for i, t in enumerate(toks):  # "the fear grows", "the disgust deepens": the emotion grows, no part moves
            if t.lemma in _GROWTH or lx.lemma(t.raw, _GROWTH) in _GROWTH:
                t.roles.pop(MOTION, None)
                _comparative(toks, i)


def _comparative(toks: list[Token], i: int) -> None:
    """'a little wider' -> a modest degree on 'wider', 'much wider' a high one, 'wider' alone a plain one;
    the modifier word is consumed so it is not read as a second degree."""
    before = toks[i - 1] if i > 0 else None
    key = before.lemma if before is not None and before.lemma in lx.COMPARATIVE_LEVELS else ""
    if before is not None and key:
        before.used = True
    toks[i].roles[DEGREE] = lx.COMPARATIVE_LEVELS[key]
    toks[i].roles[COMPARATIVE] = True


def _display(raw: str) -> str:
    """A token as a reader would write it ("au12" -> "AU12", "chanjawopenx0p4" -> "jawOpen 0.4")."""
    if raw.startswith(_AU) and raw[2:].isdigit():
        return raw.upper()
    if raw.startswith(_LEVEL):
        return f"level {raw[-1].upper()}"  # "AU12C": the intensity letter
    if _is_literal(raw):
        name, value = next(iter(_literal_bundle(raw[4:])[0].items()))
        return f"{name} {value:g}" if "x" in raw else name
    return WORDS.display.get(raw, raw)


def _is_literal(word: str) -> bool:
    """Whether a token is a channel-name token from ``_literal_token`` (not "changes", "chance")."""
    if not word.startswith(_CHANNEL):
        return False
    name = word[4:].partition("x")[0]
    name = name[4:] if name.startswith(_BOTH) else name
    return name in CHANNEL_KEYS or name + _left in CHANNEL_KEYS


def _literal_bundle(key: str) -> tuple[dict[str, float], str]:
    """'mouthsmileleftx0p7' -> ({'MouthSmileLeft': 0.7}, 'channel name')."""
    name, _, number = key.partition("x")
    both = name.startswith(_BOTH)
    name = name[4:] if both else name
    canon = next((c for c in CHANNELS if c.lower() == name), None)
    if canon is None:
        canon = next(c[: -len(_LEFT)] for c in CHANNELS if c.lower() == name + _left)
    value = lx.PLAIN
    if number:
        value = _number(number.replace("m", "-").replace(Mark.PC, "%").replace("p", "."))
    return {canon: value}, LITERAL_RULE


def _number(text: str) -> float:
    """'50%' -> 0.5, '0.7' -> 0.7, '70' -> 0.7 (percent when > 1)."""
    pct = text.endswith("%")
    v = float(text.rstrip("%"))
    if pct or abs(v) > 1.0:
        v /= 100.0
    return float(np.clip(v, -1.0, 1.0))
