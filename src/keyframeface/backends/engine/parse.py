"""Steps 2-4 of posing: tokens -> clauses -> tagged words -> actions on face parts, written into ``Layers``.

Clauses split at punctuation and conjunctions ("and", "while", "without" -> negated); each word is tagged with its
roles from the lexicon (region, motion, expression, direction, degree, side, negation, size); each action resolves to
a region (nearest in the clause, the verb's default, or the previous clause's) and the (region, motion) pair to a
channel bundle (``lexicon.RULES``), scaled by its degree word and placed on the subject's own side. Parts a clause
says persist ("the smile stays") are marked for continuity."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ...channels import CHANNEL_INDEX, CHANNELS, REGIONS
from ...data import ContributionKind
from . import lexicon as lx
from .compose import LITERAL_RULE, MANNER_WEIGHT, RELAX_CHANNELS, Layers, group
from .normalise import CHANNEL_KEYS, normalise
from .facs import level_value
from .text import closest
from .wording import growth, sizes

__all__ = ["Clause", "Token", "parse", "split_clauses"]

GAZE_ANGLE = 0.6  # eye yaw/pitch (~radians) per unit of EyeLook* blendshape
_GROWTH = frozenset(growth())  # verbs that make an expression grow ("the fear grows")
_SIZES = {w: lx.DEGREE_WORDS[d] for w, d in sizes().items()}  # "shoot" -> the level of "strongly"
_unknown = sorted(d for d in sizes().values() if d not in lx.DEGREE_WORDS)
if _unknown:
    raise ValueError(f"wording.yaml: sizes: {_unknown} are not degree words of the lexicon")

def parse(description: str) -> Layers:
    """Steps 1-4: the description's own values, layer by layer."""
    layers = Layers()
    previous_region: str | None = None
    pending: list[_Region] = []
    just_moved: set[str] = set()  # what the last clause of this sentence moved ("... and stay there")
    clauses = split_clauses(normalise(description))
    _quote(clauses, description)
    for clause in clauses:
        if clause.opener in _SENTENCE_END:
            pending = []  # "his face goes pale; the jaw drops": parts don't wait across sentences
            just_moved = set()
        before = layers.snapshot()
        previous_region, pending = _interpret(clause, layers, previous_region, pending)
        written = layers.written_since(before)
        if _persists(clause):
            released = layers.released_since(before)  # "the brows stay relaxed": the words say where they are
            layers.hold(clause, tuple(n for n in _held_channels(clause, written, just_moved) if n not in released))
        just_moved = written or just_moved
        more = next((float(t.roles["degree"]) for t in clause.tokens if "comparative" in t.roles), None)
        if more is not None:  # type: ignore[arg-type]
            layers.grown.update(dict.fromkeys(layers.written_since(before), more))
    return layers


_BACK_REFERENCE = frozenset({"it", "them", "they", "there", "that", "this", "those", "so", "way", "like", "place",
                             "in", "position", "pose", "then", "just", "she", "he", "i", "we", "you", "her", "his",
                             "their", "the", "a", "for", "moment", "beat", "while", "is", "are", "as", "well",
                             "too", "also", "frozen", "put", "steady", "steadily", "expression", "look"})
_PERSIST_STATES = frozenset({"wide", "widely", "high", "broad", "big", "large", "deep", "wideopen", "visible"})


def _persists(clause: Clause) -> bool:
    """Whether the clause says something holds ("the brows stay raised", "still frowning", "as before")
    without giving it a new degree ("the smile remains, a little broader" is a new value)."""
    toks = clause.tokens
    if clause.negated or not any(t.raw in lx.PERSIST_WORDS or t.lemma in lx.PERSIST_WORDS for t in toks):
        return False
    return not any("number" in t.roles or "intensifier" in t.roles or (
        "degree" in t.roles and t.lemma not in _PERSIST_STATES) for t in toks)


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
        if region.key == "face":
            return CHANNELS  # "the rest of the face is unchanged"
        part = RELAX_CHANNELS.get(region.key, ()) + (REGIONS["gaze"] if region.key in ("eye", "gaze") else ())
        if region.side is not None:
            other = "Right" if region.side == "Left" else "Left"
            part = tuple(n for n in part if other not in n)
        names.update(part)
    groups = {group(n) for n in written}
    names.update(n for n in CHANNELS if group(n) in groups)
    if not names and any(t.raw == "unchanged" for t in clause.tokens):
        return CHANNELS  # "as before"
    return tuple(n for n in CHANNELS if n in names)


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
                t.raw.startswith("au") and words[j][0].startswith(t.raw))), None)  # "AU12C" -> "au12"
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


_SUBJECTS = frozenset({"he", "she", "they", "i", "you", "it", "who", "we"})
_KNOWN = frozenset(
    set(lx.REGION_WORDS) | set(lx.MOTION_WORDS) | set(lx.EXPRESSIONS) | set(lx.EXPRESSION_SYNONYMS)
    | set(lx.DIRECTION_WORDS) | set(lx.DEGREE_WORDS) | set(lx.NEGATIONS)
    | set(lx.ONE_SIDED) | set(lx.SMILE_STYLES) | set(lx.RESULT_WORDS) | set(lx.VERB_REGION)
    | {"left", "right", "suck", "flinch", "lour", "sigh", "strain", "fake"}
)
_BREAK = frozenset(",;.!?()")  # not ":" ("brows: up")
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
            current = Clause([], negated=raw == "without", opener=raw)
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
    joined: list[Clause] = []
    for clause in clauses:  # "a wrinkled, raised chin": a comma inside a noun phrase joins its adjectives
        prev = joined[-1] if joined else None
        second_predicate = prev is not None and prev.opener in lx.SPLITTERS and len(joined) > 1 and any(
            "region" in t.roles for t in joined[-2].tokens)  # "brows raised and pinched, eyes wide": the brows'
        if prev is not None and clause.opener == "," and _adjectives_only(prev) and not second_predicate and any(
                "region" in t.roles for t in clause.tokens[:3]):
            prev.tokens.extend(clause.tokens)
        else:
            joined.append(clause)
    merged: list[Clause] = []
    for clause in joined:  # "winks with his right eye", "he winks, right eye only": a verb-less part refines
        verbless = not any(t.roles.keys() & {"motion", "expression", "bundle"} or (
            "direction" in t.roles and "side" not in t.roles) for t in clause.tokens)
        qualifies = clause.opener == "with" or any(t.roles.keys() & {"side", "onesided"} for t in clause.tokens)
        if clause.opener == "," and any("comparative" in t.roles for t in clause.tokens) and not any(
                t.roles.keys() & {"region", "motion", "expression", "bundle"} for t in clause.tokens):
            verbless = qualifies = True  # "the smile remains, a little broader": the degree of the part before
        if merged and verbless and qualifies and any(
                t.roles.keys() & {"motion", "expression", "bundle", "region"} for t in merged[-1].tokens):
            merged[-1].tokens.extend(clause.tokens)
        else:
            merged.append(clause)
    return merged


def _explains(tokens: list[str], i: int) -> bool:
    """Whether the colon at ``i`` opens an explanation (3+ words up to the next break), not a value ("brows: up")."""
    run = 0
    for raw in tokens[i + 1:]:
        if raw in _BREAK or raw == ":":
            break
        run += 1
    return run >= 3


def _adjectives_only(clause: Clause) -> bool:
    """A short verb-less run of describing words with no face part ("a wrinkled", "raised")."""
    toks = clause.tokens
    if not 0 < len(toks) <= 3 or clause.negated or any(
            t.roles.keys() & {"region", "expression", "bundle", "direction"} or t.raw in _SUBJECTS for t in toks):
        return False
    motions = [t for t in toks if "motion" in t.roles]
    return bool(motions) and (toks[0].raw in ("a", "an", "the") or all(
        t.raw.endswith(("ed", "en", "y")) for t in motions))  # "a wrinkled", "raised", "puffy"


def _typo(word: str) -> str | None:
    """The one face word ``word`` is a slip of ("smilling", "furowed", "eyebrws"): the engine's one typo matcher."""
    return closest(word, _TYPO_VOCAB)


# Words a typo (in a word of 6+ letters) may be corrected to: face parts and expression words with their
# inflections. Not plain verbs: real words sit one letter from them too ("trained" / "strained").
_EXPRESSION_WORDS = set(lx.EXPRESSIONS) | set(lx.EXPRESSION_SYNONYMS)
_TYPO_VOCAB = frozenset(w for w in set(lx.REGION_WORDS) | _EXPRESSION_WORDS | set(lx.SPELLING)
                        | {k for k, v in lx.IRREGULAR.items() if v in _EXPRESSION_WORDS}
                        if len(w) >= 5 and w.isalpha())


def _tag(clause: Clause) -> None:
    """Give every token its candidate roles (a word may have several: 'wide', 'lower', 'open')."""
    toks = clause.tokens
    for i, t in enumerate(toks):
        w, r = t.lemma, t.roles
        if w.startswith("au") and w[2:].isdigit() and int(w[2:]) in lx.AU_BUNDLES:
            r["bundle"] = lx.AU_BUNDLES[int(w[2:])]
            continue
        if _is_literal(w):
            r["bundle"] = _literal_bundle(w[4:])
            continue
        if w.startswith("angle") and w[5:].isdigit():
            r["angle"] = int(w[5:]) / 1000.0  # radians, from "20 degrees"
            continue
        if w.startswith("viseme") and w[6:] in lx.VISEMES:
            r["bundle"] = lx.VISEMES[w[6:]]
            continue
        if re.fullmatch(r"-?\d*\.?\d+%?", w):
            r["number"] = _number(w)
            continue
        if w in lx.NEGATIONS:
            clause.negated = True
        if w in lx.REGION_WORDS and not (t.raw in ("eyes", "eyed", "eye") and i > 0 and toks[i - 1].raw in _SUBJECTS):
            r["region"] = lx.REGION_WORDS[w]
        elif t.raw in ("eyes", "eyed"):
            t.lemma = w = "eyeing"  # "he eyes the exit": a verb of looking
        if t.raw in lx.POSITION_WORDS:
            r["position"] = t.raw
        if t.raw in ("left", "right"):
            r["side"] = t.raw.capitalize()
        elif t.raw in ("l", "r") and i + 1 < len(toks) and toks[i + 1].lemma in lx.REGION_WORDS:
            r["side"] = "Left" if t.raw == "l" else "Right"  # animator shorthand: "L brow up"
        if w in lx.ONE_SIDED:
            r["onesided"] = lx.ONE_SIDED[w]
        if w in lx.VIEWER_WORDS:
            r["viewer"] = True
        if w.startswith("facslevel") and w[-1] in "abcde":
            r["degree"] = level_value(w[-1].upper())  # "AU12C": the FACS table's level, as given
        elif w in lx.DEGREE_WORDS:
            r["degree"] = lx.DEGREE_WORDS[w]
        elif w in _SIZES:
            r["size"] = _SIZES[w]  # a verb or noun of size: its degree when no degree word says one
        if w in lx.INTENSIFIERS:
            r["intensifier"] = True
        if w in lx.DIRECTION_WORDS:
            r["direction"] = lx.DIRECTION_WORDS[w]
        if w in lx.RESULT_WORDS:
            r["result"] = lx.RESULT_WORDS[w]
        if w in lx.SMILE_STYLES:
            r["style"] = w
        expr = lx.EXPRESSION_SYNONYMS.get(w, w)
        if expr in lx.EXPRESSIONS:
            r["expression"] = expr
        if w in lx.MOTION_WORDS:
            r["motion"] = lx.MOTION_WORDS[w]
        elif w in lx.VERB_REGION:
            r["motion"] = None
    # "lower"/"upper"... directly before a face part is a position, not a verb ("the lower lip").
    for i, t in enumerate(toks):
        if "position" in t.roles:
            ahead = [u.roles.get("region") for u in toks[i + 1:i + 3]]
            if any((t.raw, reg) in lx.REGION_MODIFIERS for reg in ahead if reg):
                t.roles.pop("motion", None)
                t.roles.pop("direction", None)
                t.roles.pop("expression", None)
            elif t.raw in ("lower", "upper", "top", "bottom"):
                t.roles.pop("position")
    for i, t in enumerate(toks):
        if t.raw in lx.COMPARATIVES and "position" not in t.roles:
            _comparative(toks, i)
    if any(t.roles.get("expression") in lx.EMOTIONS for t in toks) and not any("region" in t.roles for t in toks):
        for i, t in enumerate(toks):  # "the fear grows", "the disgust deepens": the emotion grows, no part moves
            if t.lemma in _GROWTH or lx.lemma(t.raw, _GROWTH) in _GROWTH:
                t.roles.pop("motion", None)
                _comparative(toks, i)


def _comparative(toks: list[Token], i: int) -> None:
    """'a little wider' -> a modest degree on 'wider', 'much wider' a high one, 'wider' alone a plain one;
    the modifier word is consumed so it is not read as a second degree."""
    before = toks[i - 1] if i > 0 else None
    key = before.lemma if before is not None and before.lemma in lx.COMPARATIVE_LEVELS else ""
    if before is not None and key:
        before.used = True
    toks[i].roles["degree"] = lx.COMPARATIVE_LEVELS[key]
    toks[i].roles["comparative"] = True


_DISPLAY = {"stickout": "stick out", "wideeyed": "wide-eyed", "wideopen": "wide open", "openmouthed": "open-mouthed",
            "tightlipped": "tight-lipped", "slackjawed": "slack-jawed", "crosseyed": "cross-eyed",
            "sideeye": "side-eye",
            "eyeroll": "eye roll", "puppyeyes": "puppy-dog eyes", "pokerface": "poker face", "duckface": "duck face",
            "raisedbrow": "raised eyebrow", "lipbite": "lip bite", "lipstretch": "mouth stretch", "oshape": "O shape",
            "eeshape": "'ee' shape", "ahshape": "'ah' shape", "suckin": "suck in", "eyecorners": "eye corners",
            "crowsfeet": "crow's feet", "lowerlid": "lower lids", "jawdrop": "jaw drop", "onesided": "one-sided"}


def _display(raw: str) -> str:
    """A token as a reader would write it ("au12" -> "AU12", "chanjawopenx0p4" -> "jawOpen 0.4")."""
    if raw.startswith("au") and raw[2:].isdigit():
        return raw.upper()
    if raw.startswith("facslevel"):
        return f"level {raw[-1].upper()}"  # "AU12C": the intensity letter
    if _is_literal(raw):
        name, value = next(iter(_literal_bundle(raw[4:])[0].items()))
        return f"{name} {value:g}" if "x" in raw else name
    return _DISPLAY.get(raw, raw)


def _is_literal(word: str) -> bool:
    """Whether a token is a channel-name token from ``_literal_token`` (not "changes", "chance")."""
    if not word.startswith("chan"):
        return False
    name = word[4:].partition("x")[0]
    name = name[4:] if name.startswith("both") else name
    return name in CHANNEL_KEYS or name + "left" in CHANNEL_KEYS


def _literal_bundle(key: str) -> tuple[dict[str, float], str]:
    """'mouthsmileleftx0p7' -> ({'MouthSmileLeft': 0.7}, 'channel name')."""
    name, _, number = key.partition("x")
    both = name.startswith("both")
    name = name[4:] if both else name
    canon = next((c for c in CHANNELS if c.lower() == name), None)
    if canon is None:
        canon = next(c[: -len("Left")] for c in CHANNELS if c.lower() == name + "left")
    value = lx.PLAIN
    if number:
        value = _number(number.replace("m", "-").replace("pc", "%").replace("p", "."))
    return {canon: value}, LITERAL_RULE


def _number(text: str) -> float:
    """'50%' -> 0.5, '0.7' -> 0.7, '70' -> 0.7 (percent when > 1)."""
    pct = text.endswith("%")
    v = float(text.rstrip("%"))
    if pct or abs(v) > 1.0:
        v /= 100.0
    return float(np.clip(v, -1.0, 1.0))


# --- 4. interpretation -----------------------------------------------------------------------

@dataclass
class _Region:
    """A face part named in a clause, with its position and side."""

    key: str
    pos: int
    side: str | None = None  # "Left"/"Right" when the text names it
    onesided: float | None = None  # other side's share when one-sided


@dataclass
class _Action:
    """A verb, expression word or literal bundle in a clause, with what it implies."""

    pos: int
    motion: str | None = None
    expression: str | None = None
    bundle: tuple[dict[str, float], str] | None = None
    verb: str = ""
    region: str | None = None  # verb's implied region ("look" -> gaze)


_MOVERS = frozenset({None, "down", "droop", "up"})  # verbs a result word may redirect ("drops open")
_SHAPES = frozenset({"shrug", "pout", "pucker", "funnel", "smile", "frown", "snarl", "sneer", "press"})
# Verbs that make "open" wide open ("eyes fly open").
_SUDDEN = frozenset({"fly", "snap", "spring", "pop", "shoot", "jump", "burst", "stretch"})
# Motions only a person makes: kept even after an unknown subject ("the student nods").
_PERSON_MOTIONS = frozenset({"nod", "tilt", "glance", "peer", "stare", "glare", "avert", "eyeroll", "crosseye",
                             "wink", "pout", "sneer", "snarl", "lick", "look", "turn", "shrug"})
_BROW_LOWERING = frozenset({"down", "together", "frown", "angry", "crinkle", "tense", "narrow", "worry", "sad"})
_LOOKING = frozenset({"look", "eyeing", "glance", "gaze", "peer", "stare", "watch", "turn", "peek", "peep"})
_TIPPING = frozenset({"loll", "drop", "fall", "sink", "hang", "tip", "lean", "droop", "sag", "slump", "flop", "roll"})
_SHOWN = frozenset({"teeth", "upper_teeth", "lower_teeth", "tongue"})
_VISIBLE = frozenset({"visible", "showing", "shown", "exposed", "bare", "bared", "show"})
_LIP_REGIONS = frozenset({"lips", "lip", "upper_lip", "lower_lip", "mouth"})
_FILLER_ROLES = frozenset({"degree", "intensifier", "position", "side", "onesided", "viewer"})
_DIRECTIONAL = frozenset({"look", "glance", "peer", "stare", "avert", "turn", "tilt", "lateral", "twist",
                          "shake", "glare"})
_GAZE_MOTIONS = frozenset({"look", "glance", "peer", "stare", "avert", "lateral", "up", "down", "glare",
                           "turn", "back", "in", "out"})
_HEAD_LATERAL = frozenset({"turn", "tilt", "lateral", "twist", "avert", "shake", "glance", "look"})
_PARENT = {
    "inner_brow": "brow", "outer_brow": "brow", "forehead": "brow", "upper_lid": "lid", "lower_lid": "lid",
    "lid": "eye", "eyecorner": "eye", "gaze": "eye", "upper_lip": "lip", "lower_lip": "lip", "lip": "lips",
    "corner": "mouth", "lips": "mouth", "upper_teeth": "teeth", "lower_teeth": "teeth", "teeth": "mouth",
    "chin": "jaw", "face": None, "head": "face",
}


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
        waiting = [r for r in regions if r.key != "face"]  # "his face goes pale" names no part to move
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
            continue
        for region in targets:
            last = region.key
            layers.previous_side = region.side
            _apply(action, region, layers, clause, toks, level, sides, directions)
    return last, []


def _implied(clause: Clause, regions: list[_Region], actions: list[_Action], directions: list[str],
             previous: str | None) -> tuple[list[_Region], list[_Action]]:
    """Actions the words imply without a usual verb, and bundles that take the clause's verb."""
    toks = clause.tokens
    gone = next((t for t in toks if t.lemma in ("disappear", "vanish", "hide")), None)
    if gone is not None and any(r.key in _LIP_REGIONS for r in regions) and not any(a.expression for a in actions):
        clause.negated = any(t.lemma in lx.NEGATIONS and t is not gone for t in toks)
        actions.append(_Action(toks.index(gone), motion="in"))  # "the lips disappear": rolled in
    if any(a.bundle and not a.expression for a in actions) and not regions:  # "AU4 / the corrugator contracts"
        if any(a.motion in ("relax", "soften") for a in actions):
            clause.negated = True  # "the corrugator relaxes": that action unit lets go
        actions = [a for a in actions if a.bundle or a.expression]
    if actions:
        return regions, actions
    if any(r.key in _SHOWN for r in regions) and any(t.lemma in _VISIBLE for t in toks):
        return regions, [_Action(pos=regions[0].pos, motion="show")]  # "teeth visible", "tongue showing"
    if [r.key for r in regions] == ["tongue"] and not directions and not clause.negated:
        return regions, [_Action(pos=regions[0].pos, motion="show")]  # a label: "tongue"
    if regions and (state := _state(regions, toks)) is not None:
        return regions, [_Action(pos=state[0], motion=state[1])]  # "eyes wide", "make the eyes big"
    if regions and directions:  # "brows up", "chin down", "tongue out", "eye target screen-left"
        motions = [lx.GENERIC_DIRECTION.get(d, d) for d in directions]
        usable = [m for m in motions if _rule_for(regions[0].key, m) or _special(regions[0].key, _Action(0, m))]
        return regions, [_Action(pos=regions[0].pos, motion=(usable or motions)[0])]
    if not regions and previous is not None and any(t.lemma == "wide" for t in toks):
        return [_Region(previous, 0)], [_Action(pos=0, motion="widen")]  # "eyes go round and wide"
    return regions, actions


def _relevant(clause: Clause, regions: list[_Region], actions: list[_Action], waiting: bool) -> list[_Action]:
    """Drop verbs that describe something else or only qualify an expression (the words still count)."""
    toks = clause.tokens
    if not regions and not waiting and _other_subject(toks):  # "as the door opens": not the face
        actions = [a for a in actions if a.expression or a.bundle or a.region or a.motion in _PERSON_MOTIONS]
    into = next((i for i, t in enumerate(toks) if t.raw == "into"), None)
    if into is not None and any(a.pos > into and (a.expression or a.motion in _SHAPES) for a in actions):
        actions = [a for a in actions if a.pos > into]  # "the mouth twists into a smirk": the result counts
    if not regions and not waiting and any(a.expression and a.expression not in lx.EMOTIONS
                                           and not _is_manner(toks, a.pos, clause) for a in actions):
        # "the smile widens", "a trembling smile": the verbs qualify the expression
        grow = any(a.motion == "widen" for a in actions if not a.expression)
        ease = any(t.lemma in ("soften", "ease", "relax", "loosen", "settle") for t in toks)
        actions = [a for a in actions if a.expression or a.bundle or a.region or _shapes_the_mouth(a, toks)]
        if grow or ease:  # "the frown deepens" / "the frown eases"
            toks.append(Token("", "", {"degree": 0.7, "comparative": True} if grow else {"degree": 0.25}))
            # implied degree; growing goes past the previous keyframe like "wider"
    return actions


_MOUTH_PARTS = frozenset({"corner", "lips", "lip", "upper_lip", "lower_lip", "mouth", "jaw"})


def _shapes_the_mouth(action: _Action, toks: list[Token]) -> bool:
    """A participle that adds a mouth action to a mouth expression ("a dimpled grin", "a pursed smile"): FACS adds
    it (AU12+14), unlike a manner ("a trembling smile") that only qualifies."""
    return bool(action.motion) and toks[action.pos].raw.endswith("ed") and lx.MOTION_REGION.get(
        str(action.motion)) in _MOUTH_PARTS


def _other_subject(toks: list[Token]) -> bool:
    """Whether the clause's subject is something else: 'the door opens', 'a car passes' (an unknown noun
    before the first verb; "gapes like a fish" is still about the face)."""
    first_verb = next((i for i, t in enumerate(toks) if t.roles.keys() & {"motion", "expression"}), len(toks))
    for a, b in zip(toks[:first_verb], toks[1:first_verb]):
        if a.raw in ("the", "a", "an") and not b.roles and b.lemma not in _KNOWN and b.raw not in lx.FILLERS:
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
        key = t.roles.get("region")
        if key is None:
            continue
        if key == "corner" and any(u.roles.get("region") not in (None, "mouth", "lips", "lip", "corner")
                                   for u in toks[i + 1:i + 4]) and any(u.raw == "of" for u in toks[i + 1:i + 3]):
            continue  # "the inner corners of the eyebrows": a part of the brows, not the mouth corners
        best: tuple[int, str] | None = None
        for j in range(max(0, i - 4), min(len(toks), i + 4)):
            p = toks[j].roles.get("position")
            if p and (p, key) in lx.REGION_MODIFIERS and (j < i or p not in ("lower", "upper", "top", "bottom")):
                if best is None or abs(j - i) < best[0]:
                    best = (abs(j - i), lx.REGION_MODIFIERS[(p, key)])
        refined = best[1] if best else key
        side = None
        onesided = None
        for j in range(max(0, i - 4), i):
            if "side" in toks[j].roles and not _is_viewer(toks, j):
                side = toks[j].roles["side"]
            elif "side" in toks[j].roles:
                side = "Right" if toks[j].roles["side"] == "Left" else "Left"
        singular = t.lemma in ("brow", "eye", "cheek", "nostril", "corner", "lid") and t.raw in (
            "brow", "eyebrow", "eye", "cheek", "nostril", "corner", "lid", "eyelid")
        before = [u.raw for u in toks[max(0, i - 3):i]]
        determined = any(b in ("the", "her", "his", "their", "its") for b in before)
        if singular and ((t.raw == "corner" and determined) or any(b in ("a", "an", "one", "single") for b in before)):
            onesided = 0.0
        out.append(_Region(refined, i, side, onesided))
    return out


def _actions(toks: list[Token]) -> list[_Action]:
    """Motions, expressions and literal bundles in the clause, with generic verbs resolved."""
    out: list[_Action] = []
    styles = {i: _smile_style(toks, i) for i, t in enumerate(toks)
              if t.roles.get("expression") in ("smile", "grin", "laugh") and "region" not in t.roles}
    for i, t in enumerate(toks):
        r = t.roles
        if t.used:
            continue
        if "bundle" in r:
            out.append(_Action(i, bundle=r["bundle"], verb=t.raw))
            continue
        if "expression" in r and "region" not in r:
            expr = str(r["expression"])
            style = styles.get(i)
            if style is not None:
                out.append(_Action(i, expression=expr, bundle=lx.SMILE_STYLES[style], verb=t.raw,
                                   motion="smile"))
            else:
                out.append(_Action(i, motion=lx.EXPRESSIONS[expr][0], expression=expr, verb=t.raw))
            continue
        if "motion" not in r or "region" in r:
            continue
        motion = r["motion"]
        verb_region, verb_default = lx.VERB_REGION.get(t.lemma, (None, None))
        result = _following(toks, i, "result") if motion in _MOVERS or t.lemma == "stretch" else None
        if t.lemma == "stretch" and result != "open":
            result = None  # only "stretch open" redirects a stretch
        if motion == "curl" and (d := _following(toks, i, "direction", span=3)) in ("in", "inward", "down", "up"):
            motion = {"inward": "in"}.get(str(d), str(d))  # "the lower lip curls inward"
        if t.lemma == "squeeze" and _following(toks, i, "result", span=3) in ("close", "tense"):
            motion = "squeezeshut"  # "squeezes her eyes shut"
        elif result is not None:
            motion = "wideopen" if result == "open" and t.lemma in _SUDDEN else result
        elif motion is None or t.lemma in ("roll", "tuck", "fold"):
            direction = _following(toks, i, "direction", span=6 if verb_region == "gaze" else 4)
            if direction == "back":  # "the eyes slide back over to the right": the return says where to
                direction = next((u.roles["direction"] for u in toks[i + 2:i + 7] if u.roles.get("direction") in (
                    "left", "right", "up", "down") and not u.used), direction)
            if direction is None:
                direction = _preceding_direction(toks, i)
            if direction is not None:
                motion = lx.GENERIC_DIRECTION.get(str(direction), None)
                if direction == "up" and t.lemma in ("push", "bunch", "shove", "force", "press"):
                    motion = "pushup"  # "lower lip pushed up" (AU17), not a smile
                if t.lemma in ("roll", "tuck", "fold") and motion == "together":
                    motion = "rolltogether"  # "rolls his lips together": rolled in and pressed, not just closed
                if t.lemma in ("look", "gaze", "cast", "glance") and motion is not None:
                    motion = "look" if direction in ("left", "right", "aside", "ahead", "forward") else motion
            elif motion is None:
                motion = verb_default
        if motion is None:
            continue
        out.append(_Action(i, motion=str(motion), verb=t.raw, region=verb_region))
    return out


def _smile_style(toks: list[Token], i: int) -> str | None:
    """The style adjective just before a smile word ("a polite smile"), consuming it."""
    for j in range(i - 1, max(-1, i - 4), -1):
        style = toks[j].roles.get("style")
        if style is not None and not toks[j].used:
            toks[j].used = True
            return str(style)
    return None


def _following(toks: list[Token], i: int, role: str, span: int = 2) -> object | None:
    """The first ``role`` within ``span`` tokens after i (skipping fillers), consuming it."""
    for j in range(i + 1, min(len(toks), i + 1 + span)):
        u = toks[j]
        if role in u.roles and not u.used:
            if role == "result":
                u.used = True
            return u.roles[role]
        if role == "result" and u.roles.get("direction") in _PATH_DIRECTIONS:
            after = toks[j + 1] if j + 1 < len(toks) else None
            if after is not None and after.roles.get("result") in ("tense", "stretch"):
                after.roles = {"degree": 0.75}  # "the lips pull back tight": the direction says where, "tight" how far
            return None
        if "region" in u.roles and role == "result":
            return None
    return None


_PATH_DIRECTIONS = frozenset({"back", "up", "down", "forward", "left", "right", "aside", "out", "in"})


def _preceding_direction(toks: list[Token], i: int) -> object | None:
    """A direction right before a verb ("upturned" is one word; "up-turned" is two)."""
    if i > 0 and "direction" in toks[i - 1].roles:
        return toks[i - 1].roles["direction"]
    return None


def _is_directional(toks: list[Token], actions: list[_Action]) -> bool:
    """Whether left/right in this clause say where something goes (gaze, head, a sideways shift)."""
    return any(a.motion in _DIRECTIONAL or a.region in ("gaze", "head") for a in actions) or any(
        t.roles.get("region") in ("gaze", "head") for t in toks)


def _directions(toks: list[Token], actions: list[_Action]) -> list[str]:
    """Direction words in the clause; left/right count only where a directional verb uses them."""
    directional = not actions or _is_directional(toks, actions)
    out: list[str] = []
    for j, t in enumerate(toks):
        d = t.roles.get("direction")
        if d is None or t.used:
            continue
        if d in ("left", "right"):
            nxt = _next_noun(toks, j)
            kind = _side_or_direction(toks, j)
            if kind == "side" or (kind is None and (
                    not directional or nxt.get("region") not in (None, "gaze", "head", "face"))):
                continue  # "the left eye", "on the left": a side, not a direction
            if _is_viewer(toks, j):
                d = "right" if d == "left" else "left"
        out.append(str(d))
    if "left" in out or "right" in out:  # "a side glance to the right": the named side wins
        out = [d for d in out if d != "aside"]
    return out


def _next_noun(toks: list[Token], j: int) -> dict[str, object]:
    """Roles of the word after j, skipping position words ("left outer brow" -> the brow)."""
    k = j + 1
    while k < len(toks) and "position" in toks[k].roles and "region" not in toks[k].roles:
        k += 1
    return toks[k].roles if k < len(toks) else {}


def _side_or_direction(toks: list[Token], j: int) -> str | None:
    """'to the right' is a direction, 'on the right' a side; None when the words alone don't say."""
    before = [t.raw for t in toks[max(0, j - 3):j]]
    if any(b in ("to", "toward", "towards", "over", "into") for b in before):
        return "direction"
    if j + 1 < len(toks) and toks[j + 1].lemma in ("side", "half"):
        if any(t.lemma in _LOOKING for t in toks[:j]):
            return "direction"  # "she eyes the right side"
        return "side"  # "the left side of her mouth"
    if "on" in before and any("region" in t.roles for t in toks[max(0, j - 6):j]):
        return "side"  # "the eyebrow on the right" (but "eyes the exit on his left" is a direction)
    return None


def _is_viewer(toks: list[Token], j: int) -> bool:
    """'the viewer's left', 'camera left', 'our left' -> the opposite of the subject's side."""
    return any(toks[k].roles.get("viewer") for k in range(max(0, j - 3), j))


def _clause_side(toks: list[Token], actions: list[_Action]) -> tuple[str | None, float | None]:
    """(named side, other side's share) from left/right words not used as directions."""
    directional = _is_directional(toks, actions)
    side = None
    share = None
    for j, t in enumerate(toks):
        if "side" in t.roles:
            nxt = _next_noun(toks, j)
            kind = _side_or_direction(toks, j)
            if kind == "direction" or (
                    kind is None and directional and nxt.get("region") in (None, "gaze", "head", "face")):
                continue
            s = str(t.roles["side"])
            if _is_viewer(toks, j):
                s = "Right" if s == "Left" else "Left"
            side = "both" if side not in (None, s) else s
        if "onesided" in t.roles:
            share = float(t.roles["onesided"])  # type: ignore[arg-type]
    if side == "both":
        side = None
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
        if "number" in t.roles:
            cand = (abs(j - pos) - 1, abs(float(t.roles["number"])), True)  # type: ignore[arg-type]
        elif "degree" in t.roles:
            level = float(t.roles["degree"])  # type: ignore[arg-type]
            if j > 0 and "intensifier" in toks[j - 1].roles:
                level = level * 0.7 if level < lx.PLAIN else min(1.0, level * 1.2)
            absolute = t.lemma in ("half", "halfway", "almost", "nearly", "fully", "completely") or (
                t.lemma.startswith("facslevel"))
            if t.lemma in ("almost", "nearly"):
                level = -0.8  # "almost closed" = 0.8 of a closure; "almost smiling" = a trace (see _scale)
            cand = (abs(j - pos), level, absolute)
        elif "intensifier" in t.roles and j + 1 < len(toks) and "degree" not in toks[j + 1].roles:
            cand = (abs(j - pos) + 1, 0.72, False)
        else:
            continue
        if best is None or cand[0] < best[0]:
            best = cand
    if best is None:  # no degree word: a word of size ("shoots up", "a flicker of") sets it, the action's own first
        sized = sorted((abs(j - pos), float(t.roles["size"])) for j, t in window  # type: ignore[arg-type]
                       if "size" in t.roles and not t.used)
        return (sized[0][1], False) if sized else None
    return (best[1], best[2]) if best else None


def _special(region: str, action: _Action) -> bool:
    """Region/motion pairs handled in code rather than RULES (gaze, head turns, relaxing)."""
    motion = action.motion or ""
    return motion in ("relax", "soften") or (region in ("gaze", "eye") and motion in _GAZE_MOTIONS) or (
        region in ("head", "face", "chin") and motion in _HEAD_LATERAL)


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
        if toks[action.pos].raw.endswith("ly"):
            return []  # "raises her brows sceptically": a manner adverb colours the face, not the brows
        near = [r for r in regions if abs(r.pos - action.pos) <= 3 and (r.key, motion) in _RULE_KEYS
                and _only_fillers(toks, r.pos, action.pos)]
        return near[:1]
    if regions:  # the nearest region this motion means something for ("dimpled cheeks at the corners")
        ranked = sorted(regions, key=lambda r: (abs(r.pos - action.pos), r.pos > action.pos))
        usable = [r for r in ranked if _rule_for(r.key, action.motion or "") or _special(r.key, action)]
        default = lx.MOTION_REGION.get(action.motion or "")
        if usable or any("expression" in t.roles for t in toks):
            return usable[:1]  # "a warm smile spreads across her face": the verb only carries the smile
        if default and ranked[0].key == "face":
            return [_Region(default, action.pos)]  # "a thin-lipped expression": the face names no part
        return ranked[:1]  # the named part; _apply may still read the clause's direction
    if action.region is not None:
        return [_Region(action.region, action.pos)]
    if previous is not None and (_rule_for(previous, action.motion or "") or _special(previous, action)):
        return [_Region(previous, action.pos)]  # "the brows furrow, then relax"; "chin raised and wrinkled"
    default = lx.MOTION_REGION.get(action.motion or "")
    if default is not None:
        return [_Region(default, action.pos)]
    if previous is not None and action.motion not in ("smile", "frown"):
        return [_Region(previous, action.pos)]
    return []


_RULE_KEYS = frozenset(lx.RULES) | {(child, m) for child, parent in _PARENT.items() if parent
                                    for (reg, m) in lx.RULES if reg == parent}


# --- 4b. turning a resolved action into channel values ----------------------------------------

def _scale(base: float, degree: tuple[float, bool] | None) -> float:
    """A rule's plain-level value scaled by a degree word (closure rules: diminishers only)."""
    if degree is None:
        return base
    level, absolute = degree
    if level < 0:  # "almost"/"nearly": just short of a closure, just short of starting anything else
        return float(np.sign(base)) * 0.8 if abs(base) >= 0.9 else base * 0.45
    if abs(base) >= 0.9:  # closures ("eyes close") are full by default; only diminishers/almost reduce
        return level if (level < lx.PLAIN or absolute) else base
    if absolute and level >= 0.99:
        return float(np.sign(base)) * 1.0 if abs(base) >= 0.5 else base / lx.PLAIN
    return float(np.clip(base * level / lx.PLAIN, -1.0, 1.0))


def _rule_for(region: str, motion: str) -> tuple[dict[str, float], str] | None:
    """The RULES entry for (region, motion), trying the region's parents ("upper_lip" -> "lip" -> "lips")."""
    if motion == "pushup":
        return _rule_for(region, "shrug") or _rule_for(region, "up")
    key: str | None = region
    while key is not None:
        rule = lx.RULES.get((key, motion))
        if rule is not None:
            return rule
        key = _PARENT.get(key)
    return None


def _apply(action: _Action, region: _Region, layers: Layers, clause: Clause, toks: list[Token],
           level: tuple[float, bool] | None, sides: tuple[str | None, float | None],
           directions: list[str]) -> None:
    """Turn one action on one region into layer writes (gaze, head, relax and RULES)."""
    motion = action.motion or ""
    verb = lx.lemma(action.verb, _KNOWN)
    words = _words(clause, action, region)
    side = region.side or sides[0]
    share = region.onesided if region.onesided is not None else sides[1]
    if region.key in ("brow", "inner_brow", "forehead") and motion in _BROW_LOWERING and not any(
            t.raw in ("one", "single") for t in toks):
        share = sides[1]  # "a furrowed brow" is both brows; "a raised brow" is one

    if motion == "relax" and region.key in _LIP_REGIONS and any(t.lemma == "flat" for t in toks):
        wide = any(t.lemma == "wide" for t in toks)
        motion = "stretch" if wide else "press"  # "lips flat": a line; "wide flat mouth": stretched
    if motion == "relax" and region.key in ("eye", "gaze") and {"ahead", "forward"} & set(directions):
        layers.relax("gaze", words)  # "the eyes return to center": gaze ahead, lids as they are
        return
    if motion == "relax" or (motion == "soften" and len(_actions_in(toks)) <= 1):
        layers.relax(region.key, words, side)
        return
    if region.key in ("mouth", "lips", "corner") and motion == "lateral" and not {"left", "right"} & set(
            directions) and verb in ("pull", "draw", "stretch", "spread", "tug", "yank", "drag"):
        motion = "stretch"  # "pull the lips sideways": both corners out, not a shift
    if region.key in ("mouth", "lips", "jaw") and {"left", "right"} & set(directions) and motion not in (
            "lateral", "twist", "quirk", "curl"):
        motion = "lateral"  # "mouth scrunched over to the right"
    vertical = next((d for d in directions if d in ("up", "down")), None)
    if region.key in ("brow", "inner_brow", "forehead") and motion == "together" and vertical == "up":
        motion = "worry"  # "brows knitted upward": pinched up in the middle
    if region.key == "cheek" and motion == "puff" and any(t.raw in ("upward", "upwards") for t in toks):
        motion = "up"  # "the cheeks swell upward": raised, not puffed
    if motion in ("tilt", "turn", "twist") and vertical and region.key not in ("head", "face", "chin", "gaze", "eye"):
        motion = vertical  # "the inner brows tilt up", "the corners turn down"
    if motion == "open" and region.key in ("eye", "lid", "upper_lid") and any("comparative" in t.roles for t in toks):
        motion = "widen"  # "the eyes open a little wider": as far as the comparative says
    elif motion == "open" and region.key in ("eye", "lid", "upper_lid") and (
            any(t.lemma in ("wide", "widely", "big") for t in toks) or (level is not None and level[0] >= 0.7)):
        motion, level = "wideopen", None  # "eyes opened very wide", "eyes very open"
    if motion == "close" and region.key in _LIP_REGIONS and any(
            t.lemma in ("tight", "tightly", "firmly", "hard") for t in toks):
        motion = "press"  # "lips tightly closed"
    if region.key in ("gaze", "eye") and motion in _GAZE_MOTIONS and (region.key == "gaze" or motion != "back"):
        _gaze(action, layers, clause, words, level, directions, negated=clause.negated, angle=_angle(toks))
        return
    if region.key in ("head", "face") and motion in ("lateral", "down", "droop", "out") and {"left", "right"} & set(
            directions) and (any(t.lemma == "shoulder" for t in toks) or verb in _TIPPING):
        motion = "tilt"  # "his head tips toward his right shoulder", "her head lolls to the left"
    if region.key == "chin" and motion == "lateral" and verb not in ("turn", "point", "swivel", "rotate"):
        region = _Region("jaw", region.pos, region.side, region.onesided)  # "the chin moves sideways"
    if region.key in _LIP_REGIONS and motion == "press" and {"in", "inward"} & set(directions):
        motion = "in"  # "presses her upper lip inward"
    if region.key in ("head", "face", "chin") and motion in _HEAD_LATERAL:
        _head(motion, layers, words, level, directions, negated=clause.negated, angle=_angle(toks))
        return
    rule = _rule_for(region.key, motion)
    if rule is None and directions:  # "the cheeks round up", "her tongue peeks out": the direction says it
        rule = _rule_for(region.key, lx.GENERIC_DIRECTION.get(directions[0], directions[0]))
    if rule is None and action.expression is not None:
        _apply_bundle(action, layers, clause, toks, level, sides)
        return
    if rule is None:
        return
    bundle, name = rule
    expanded = _expand(bundle, level, side, share, directions)
    layers.write("explicit", expanded, words, name, negated=clause.negated)


def _actions_in(toks: list[Token]) -> list[Token]:
    """Words with a motion or expression role."""
    return [t for t in toks if "motion" in t.roles or "expression" in t.roles]


def _apply_bundle(action: _Action, layers: Layers, clause: Clause, toks: list[Token],
                  level: tuple[float, bool] | None, sides: tuple[str | None, float | None]) -> None:
    """Write a whole-expression, AU or literal bundle (no region needed)."""
    if action.bundle is not None:
        bundle, name = action.bundle
    else:
        _, bundle, name = lx.EXPRESSIONS[action.expression or ""]
    layer = "explicit" if action.expression is None else "expression"
    held_back = action.expression in ("smile", "grin", "laugh") and _suppressed(toks, action.pos)
    if held_back:  # "stifles a grin": a trace of it, whatever its size
        level = (min(level[0], 0.3) if level else 0.2, False)
    if action.expression is not None and (_is_manner(toks, action.pos, clause) or (
            action.expression in lx.EMOTIONS and _has_region_action(toks))):
        layer = "manner"  # "smiles sadly", "in fear": colours only what the main words leave free, damped
        level = (MANNER_WEIGHT * (level[0] if level else lx.PLAIN), False)
    elif action.expression in lx.EMOTIONS:
        layer = "emotion"  # "lips stretched, terrified": damped too when the text moves parts explicitly
    layers.write(layer, _expand(bundle, level, sides[0], sides[1], []), _words(clause, action, None), name,
                 negated=clause.negated)
    if held_back:
        layers.write("explicit", {"JawOpen": 0.0}, _words(clause, action, None),
                     "suppressed smile: mouth kept shut (jaw released)", kind=ContributionKind.RELEASE)
        layers.write("explicit", {"MouthPressLeft": 0.35, "MouthPressRight": 0.35, "MouthRollLower": 0.15},
                     _words(clause, action, None), "suppressed smile: lips pressed (AU24+28)",
                     negated=clause.negated)


def _suppressed(toks: list[Token], pos: int) -> bool:
    """Whether a holding-back verb stands just before the expression at ``pos`` ("fighting a grin",
    "a stifled laugh"; not "a smile hides her fear", not "hidden behind a smile")."""
    for j in range(max(0, pos - 3), pos):
        if toks[j].raw.startswith(lx.SUPPRESSING) and _only_fillers(toks, j, pos):
            return True
    return False


def _has_region_action(toks: list[Token]) -> bool:
    """Whether the clause also moves a named part ("a terrified stretch of the lips")."""
    return any("region" in t.roles for t in toks) and any(
        "motion" in t.roles and "expression" not in t.roles and "region" not in t.roles for t in toks)


def _is_manner(toks: list[Token], pos: int, clause: Clause) -> bool:
    """An expression word used as manner: an adverb ("sadly"), "in fear", "with a look of disgust"."""
    before = {t.raw for t in toks[max(0, pos - 3):pos]}
    return toks[pos].raw.endswith("ly") or bool(before & {"in", "of"}) or (clause.opener == "with" and pos <= 3)


def _expand(bundle: dict[str, float], level: tuple[float, bool] | None, side: str | None,
            share: float | None, directions: list[str]) -> dict[str, float]:
    """Base names -> concrete channels: sides, defaults for one-sided, pose pseudo-channels."""
    out: dict[str, float] = {}
    lateral = next((d for d in directions if d in ("left", "right")), "aside" if "aside" in directions else None)
    for base, value in bundle.items():
        v = _scale(value, level)
        one_sided = base.endswith("@")
        base = base.rstrip("@")
        if base.startswith("LATERAL:"):
            d = "Left" if lateral in (None, "aside") and lx.DEFAULT_SIDE == "Left" else (
                lateral.capitalize() if lateral not in (None, "aside") else lx.DEFAULT_SIDE)
            if side is not None and lateral is None:
                d = side
            out[base.split(":")[1] + d] = v
        elif base.startswith(("GAZE_", "HEAD_")):
            out.update(_pose_pseudo(base, v, (side or lx.DEFAULT_SIDE) if one_sided else None))
        elif base + "Left" in CHANNEL_INDEX:
            main = side or (lx.DEFAULT_SIDE if one_sided or share is not None else None)
            if main is None:
                out[base + "Left"] = out[base + "Right"] = v
            else:
                other = "Right" if main == "Left" else "Left"
                out[base + main] = v
                if share:  # a one-sided action leaves the other side alone (a zero would release it)
                    out[base + other] = v * share
        elif base == "EyeLookIn":
            out.update({"EyeLookInLeft": v, "EyeLookInRight": v, "LeftEyeYaw": GAZE_ANGLE * v,
                        "RightEyeYaw": -GAZE_ANGLE * v})
        else:
            out[base] = v
    if "BrowInnerUp" in out and (side or share is not None) and any(b.startswith("BrowOuterUp") for b in bundle):
        out["BrowInnerUp"] *= 0.5  # one brow raised: ARKit's single inner-brow channel moves half as much
    return out


def _pose_pseudo(base: str, v: float, side: str | None) -> dict[str, float]:
    """GAZE_UP/DOWN/LEFT/RIGHT and HEAD_YAW/PITCH/ROLL -> real channels."""
    if base == "HEAD_PITCH":
        return {"HeadPitch": v}
    if base in ("HEAD_YAW", "HEAD_ROLL"):  # signed as written, or toward ``side`` when one-sided
        sign = 1.0 if side is None else (1.0 if side == "Right" else -1.0)
        return {"HeadYaw" if base == "HEAD_YAW" else "HeadRoll": sign * v}
    return _gaze_values({base[5:].lower(): v})


def _gaze_values(amounts: dict[str, float]) -> dict[str, float]:
    """{'up': v, 'left': v, ...} -> EyeLook* blendshapes plus matching eye yaw/pitch."""
    out: dict[str, float] = {}
    yaw = pitch = 0.0
    for d, v in amounts.items():
        if d == "up":
            out["EyeLookUpLeft"] = out["EyeLookUpRight"] = v
            pitch += GAZE_ANGLE * v
        elif d == "down":
            out["EyeLookDownLeft"] = out["EyeLookDownRight"] = v
            pitch -= GAZE_ANGLE * v
        elif d == "left":  # toward the subject's left: left eye looks out, right eye looks in
            out["EyeLookOutLeft"] = out["EyeLookInRight"] = v
            yaw -= GAZE_ANGLE * v
        elif d == "right":
            out["EyeLookInLeft"] = out["EyeLookOutRight"] = v
            yaw += GAZE_ANGLE * v
    if yaw:
        out["LeftEyeYaw"] = out["RightEyeYaw"] = yaw
    if pitch:
        out["LeftEyePitch"] = out["RightEyePitch"] = pitch
    return out


def _angle(toks: list[Token]) -> float | None:
    """An angle given in degrees in the clause, in radians."""
    return next((float(t.roles["angle"]) for t in toks if "angle" in t.roles), None)  # type: ignore[arg-type]


def _gaze(action: _Action, layers: Layers, clause: Clause, words: str, level: tuple[float, bool] | None,
          directions: list[str], negated: bool, angle: float | None = None) -> None:
    """Gaze moves: EyeLook* blendshapes and eye yaw/pitch together; no direction = straight ahead."""
    motion = action.motion or ""
    dirs = list(dict.fromkeys(("ahead" if d == "forward" else d) for d in directions
                              if d in ("up", "down", "left", "right", "aside", "ahead", "forward")))
    if not dirs and ({"inward", "outward"} & set(directions) or motion in ("in", "out")):
        _vergence(action, layers, clause, words, level, directions, negated)
        return
    if not dirs and motion in ("up", "down"):
        dirs = [motion]
    if not dirs and motion in ("glance", "avert", "lateral"):
        dirs = ["aside"] + (["down"] if motion == "avert" else [])
    v = _scale(lx.PLAIN, level) if angle is None else min(1.0, angle / GAZE_ANGLE)
    amounts: dict[str, float] = {}
    for d in dirs:
        if d == "aside":
            d = lx.DEFAULT_SIDE.lower()
        if d == "ahead":
            continue
        amounts[d] = v * (0.6 if motion == "avert" and d == "down" else 1.0)
    values = {n: 0.0 for n in REGIONS["gaze"]} if (not amounts or "ahead" in dirs) else {}
    values.update(_gaze_values(amounts))
    if motion == "stare" and not negated:
        values["EyeWideLeft"] = values["EyeWideRight"] = _scale(0.25, level)
    if motion == "peer" and not negated:
        values["EyeSquintLeft"] = values["EyeSquintRight"] = _scale(0.3, level)
    layers.last_side = next((d for d in dirs if d in ("left", "right")), layers.last_side)
    name = "gaze " + ("+".join(dirs) if dirs else "ahead") + " (AU61-64)"
    if not amounts:
        name = "gaze ahead (released to center)"
    layers.write("explicit", values, words, name, negated=negated,
                 kind=None if amounts else ContributionKind.RELEASE)
    layers.last_directional = ("gaze", motion, level, words)


def _vergence(action: _Action, layers: Layers, clause: Clause, words: str, level: tuple[float, bool] | None,
              directions: list[str], negated: bool) -> None:
    """One or both eyes turned in toward the nose (crossed) or out (AU65/66)."""
    inward = "inward" in directions or action.motion == "in"
    side, _ = _clause_side(clause.tokens, [])
    v = _scale(lx.PLAIN, level)
    values: dict[str, float] = {}
    for eye in ([side] if side else ["Left", "Right"]):
        toward_right = (eye == "Left") == inward  # the left eye turns in toward the subject's right
        values[f"EyeLook{'In' if inward else 'Out'}{eye}"] = v
        values[f"{eye}EyeYaw"] = GAZE_ANGLE * v * (1 if toward_right else -1)
    layers.write("explicit", values, words, ("eyes turned in (AU65-66)" if inward else "eyes turned out (AU65)"),
                 negated=negated)


def _head(motion: str, layers: Layers, words: str, level: tuple[float, bool] | None,
          directions: list[str], negated: bool, angle: float | None = None) -> None:
    """Head turn/tilt/nod as HeadYaw/HeadRoll/HeadPitch (signs per channels.py)."""
    v = _scale(0.3 if motion != "shake" else 0.15, level) if angle is None else min(1.0, angle)
    values: dict[str, float] = {}
    lateral = "HeadRoll" if motion == "tilt" else "HeadYaw"
    if not {"left", "right"} & set(directions) and layers.last_side and motion != "tilt":
        directions = [layers.last_side] + [d for d in directions if d != "aside"]  # "..., turning her head"
    for d in directions or ["aside"]:
        if d in ("left", "right", "aside"):
            side = lx.DEFAULT_SIDE.lower() if d == "aside" else d
            values[lateral] = v if side == "right" else -v
        elif d in ("up", "back"):
            values["HeadPitch"] = v
        elif d in ("down", "forward"):
            values["HeadPitch"] = -v
    if not values:
        values[lateral] = -v if lx.DEFAULT_SIDE == "Left" else v
    name = {"tilt": "head tilt (AU55/56)", "shake": "head shake"}.get(motion, "head turn (AU51/52)")
    if "HeadPitch" in values and lateral not in values:
        name = "head up/down (AU53/54)"
    layers.write("explicit", values, words, name, negated=negated)
    layers.last_directional = ("head", motion, level, words)


def _words(clause: Clause, action: _Action, region: _Region | None) -> str:
    """The phrase shown in explanations: the clause text (short enough to read)."""
    text = clause.text
    return ("not: " + text) if clause.negated and not text.lower().startswith(("not", "no", "without")) else text


# --- 5. combining -----------------------------------------------------------------------------


def _extend_directions(layers: Layers, directions: list[str], clause: Clause) -> None:
    """A clause of bare directions continues the last gaze/head move ("and to the left")."""
    assert layers.last_directional is not None
    kind, motion, level, words = layers.last_directional
    words = words + " / " + clause.text
    if kind == "gaze":
        v = _scale(lx.PLAIN, level)
        amounts = {(lx.DEFAULT_SIDE.lower() if d == "aside" else d): v
                   for d in directions if d in ("up", "down", "left", "right", "aside")}
        layers.write("explicit", _gaze_values(amounts), words, "gaze " + "+".join(amounts) + " (AU61-64)")
    else:
        _head(motion, layers, words, level, directions, negated=False)
