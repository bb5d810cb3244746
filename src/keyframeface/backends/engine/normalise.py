"""Step 1 of posing: a description -> tokens (lower case, spellings, FACS names and AU codes, outside wording,
multi-word phrases folded to one token). Vocabulary lives in the lexicon and ``data/``; this is the machinery."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from ...channels import CHANNELS, canonical_name
from . import lexicon as lx, vocab
from .facs import LEVEL_LETTERS
from .frame import lower_names
from .text import fold
from .wording import rewrite

__all__ = ["CHANNEL_KEYS", "Mark", "normalise"]

# --- 1. normalisation ------------------------------------------------------------------------


@lower_names
class Mark:
    """The prefixes of the tokens the normaliser writes for what is not a word (``clauses.py`` reads them): "au12",
    "facslevelc", "angle349", "visemeaa", "chanjawopenx0p4" (a channel named with its value; "both" = both sides,
    "pc" = per cent)."""

    AU: str
    FACSLEVEL: str
    ANGLE: str
    VISEME: str
    CHAN: str
    BOTH: str
    PC: str


_LEFT = "Left"  # the side suffix of a one-sided channel's name ("MouthSmileLeft")
_left = _LEFT.lower()

_FACS_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(n) for n in lx.FACS_NAMES), key=len, reverse=True))
                      + r")s?\b")
_MUSCLE_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(n) for n in lx.MUSCLES), key=len, reverse=True))
                        + r")(?:\s+muscles?)?\b")
_AU_RE = re.compile(r"\b([lr])?(?:au|action unit)\s*(\d{1,2})([a-e])?([lr])?\b"
                    r"((?:\s*(?:\+|and|,)\s*(?:au\s*)?\d{1,2}[a-e]?\b)*)")
_BARE_AU_RE = re.compile(r"(?<![\w.%])(\d{1,2}[a-e]?(?:\s*\+\s*\d{1,2}[a-e]?)+)(?![\w.%])")
_SIDED_AU_RE = re.compile(r"(?<![\w.])([lr])(\d{1,2}[a-e]?)(?![\w.%])")
_LEVEL_RE = re.compile(r"\(\s*([A-E])\s*\)")  # an intensity letter in parentheses, upper case as FACS writes it
_UNEVEN_RE = re.compile(r"(?<![\w.])(l|r|left|right)\s*>\s*(?:l|r|left|right)(?![\w.])")  # "R>L": stronger on the right, both sides
_FACS_LEVEL = {x: f"{Mark.FACSLEVEL}{x}" for x in "".join(LEVEL_LETTERS).lower()}  # FACS A-E intensity -> a token parse reads as the table's level
_PHRASE_RE = re.compile("")  # the lexicon's multi-word phrases (``_derive``)
_AMOUNT_AFTER_RE = re.compile(r"[,(]\s*(?:at\s+)?(\d+(?:\.\d+)?%)\s*\)?(?=\s*(?:[,;.!?]|$))")
_TOKEN_RE = re.compile(r"chan[a-z0-9]+|au\d+|angle\d+|[a-z]+|\d+(?:\.\d+)?%?|-?0?\.\d+|[,;.!?:()]")
_LITERAL_RE = re.compile(r"\b([a-zA-Z]{5,}(?:_[LRlr])?)\b\s*[:=]?\s*(-?\d*\.?\d+%?)?")
_WORD_RE = re.compile(r"[a-z]+")
_DEGREES_RE = re.compile(r"(?<!\d)(\d+(?:\.\d+)?)\s*(?:degrees?|deg\b|\u00b0)")
_VISEME_RE = re.compile("")  # "saying oo", "an f sound" (``_derive``)
_AS_FAR_RE = re.compile(r"\bas (\w+) as (?:possible|(?:they|he|she|it|you|i|we) (?:can|could)"
                        r"(?: go| get| manage)?)\b")
# "out of the (left) corner of her eye(s)": a sideways glance, not the mouth corner
_EYE_CORNER_RE = re.compile(r"\b(?:out of|from|with) (?:the|her|his|their|one) (?:(left|right) )?corners? of "
                            r"(?:the|her|his|their|one|both) eyes?\b")
# The words of these patterns are data (data/normalise.yaml), compiled on every vocabulary switch (``_derive``).
_RETURN_RE = re.compile("")  # "comes back to level", "returns to center", "back to rest": the part goes to neutral
_AHEAD_TARGETS: frozenset[str] = frozenset()  # toward the front/center the eyes also look ahead again
# Eye contact is looking at the viewer: straight ahead ("maintains eye contact", "gaze locked on the listener");
# breaking it is looking away.
_NO_CONTACT_RE = re.compile("")
_CONTACT_RE = re.compile("")
_GAZE_ON_RE = re.compile("")
_TRY_NOT_RE = re.compile("")  # "she tries not to smile"
_CONTRACTION_RE = re.compile("")  # "can't" -> "cannot"
_REST_OF_RE = re.compile(r"\b(?:the rest|everything else|all else)(?: of (?:the|her|his|their) face)?\b")
_STATE_WORDS: frozenset[str] = frozenset()
_EXPRESSION_NOUNS: frozenset[str] = frozenset()


def _any(words: Iterable[str]) -> str:
    """A non-capturing alternation of ``words`` in their order: ``(?:a|b|c)``."""
    return "(?:" + "|".join(re.escape(x) for x in words) + ")"


FILE = "normalise.yaml"
_CONTRACTIONS: Mapping[str, str] = {}
_SIDES: Mapping[str, str] = {}  # "l" -> "left" ("wink R", "AU12L", "smile R>L")


@lx.on_bind
def _derive() -> None:
    """This module's patterns from the bound vocabulary (``lexicon.using`` swaps it)."""
    global _PHRASE_RE, _VISEME_RE, _STATE_WORDS, _EXPRESSION_NOUNS, _RETURN_RE, _AHEAD_TARGETS, _NO_CONTACT_RE
    global _CONTACT_RE, _GAZE_ON_RE, _TRY_NOT_RE, _CONTRACTION_RE, _CONTRACTIONS, _SIDES
    _PHRASE_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(p) for p in lx.PHRASES), key=len, reverse=True))
                            + r")\b")
    keys = "|".join(sorted(lx.VISEMES, key=len, reverse=True))
    w = vocab.shaped(FILE)
    _VISEME_RE = re.compile(r"\b(?:" + _any(w.say_verbs) + r"\s+(?:an?\s+|the\s+)?"
                            r"(" + keys + r")|(?:an?|the)\s+(" + keys + r")\s+(?:sound|shape|viseme))\b")
    _STATE_WORDS = frozenset(w for w, e in lx.EXPRESSION_SYNONYMS.items() if e in lx.EMOTIONS) | lx.EMOTIONS
    _EXPRESSION_NOUNS = frozenset(w for w in (*lx.EXPRESSIONS, *lx.EXPRESSION_SYNONYMS) if w.isalpha())
    verbs, targets = _any(w.return_verbs), "(" + _any(w.return_targets)[3:]
    _RETURN_RE = re.compile(r"\b(?:" + verbs + r"\s+)?back\s+(?:down\s+|up\s+)?(?:to|into)\s+"
                            r"(?:(?:a|the|its|their|her|his)\s+)?" + targets + r"\b(?:\s+(?:position|pose|state))?"
                            r"|\breturns?\s+(?:to\s+(?:(?:a|the|its|their|her|his)\s+)?)?" + targets + r"\b"
                            r"(?:\s+(?:position|pose|state))?"
                            r"|\b(?:comes?|came|coming|settles?|settled|settling)\s+(?:down\s+)?to\s+(rest)\b")
    _AHEAD_TARGETS = w.ahead_targets
    _NO_CONTACT_RE = re.compile(r"\b" + _any(w.no_contact) + r"\s+(?:any\s+|all\s+)?eye\s+contact\b")
    _CONTACT_RE = re.compile(r"\b(?:" + _any(w.contact_adjectives) + r"\s+)?eye\s+contact"
                             r"(?:\s+with\s+(?:the\s+|his\s+|her\s+|their\s+)?[a-z]+)?\b")
    addressees = (r"(?:(?:(?:the|his|her|their|its|my|our|your)\s+)?" + _any(w.addressees) +
                  r"(?:\s+s\s+(?:eyes|face))?"
                  r"|" + _any(w.addressee_pronouns) +
                  r"(?=\s*(?:$|[,;.!?]|(?:as|while|and|when|with|who|without)\b)))")
    _GAZE_ON_RE = re.compile(r"\b(" + _any(w.gaze_words)[3:] + r"\s+((?:[a-z]+\s+){0,2}?)"
                             + _any(w.gaze_prepositions) + r"\s+" + addressees + r"\b")
    _TRY_NOT_RE = re.compile(r"\b" + _any(w.try_verbs) + r" (?:hard )?not to\b")
    _CONTRACTIONS, _SIDES = w.contractions, w.side_letters
    _CONTRACTION_RE = re.compile(r"\b(" + _any(sorted(_CONTRACTIONS, key=len, reverse=True))[3:] + r"\b")

CHANNEL_KEYS = frozenset(n.lower() for n in CHANNELS)
_SHORT_SIDE_RE = re.compile(r"(?<![\w.])([lr])(?![\w'.])")
_NAME_PARTS = sorted({p.lower() for n in CHANNELS for p in re.findall(r"[A-Z][a-z]+", n)}, key=len, reverse=True)
# A channel name written as words: "brow inner up", "mouth roll lower", "eye blink left", "head yaw -0.3".
_SPLIT_NAME_RE = re.compile(r"\b((?:(?:" + "|".join(_NAME_PARTS) + r")s?\s+){1,4}(?:" + "|".join(_NAME_PARTS)
                            + r"))\b(\s*[:=]?\s*-?\d*\.?\d+%?)?")


def normalise(text: str) -> list[str]:
    """Tokens of ``text``: lower case, spellings fixed, FACS names and phrases folded. Case, accents and quotes go
    through the engine's one normaliser (``text.fold``); channel names are read first, while their case still shows."""
    s = text
    if not s.isascii():
        s = "".join(lx.EMOJI.get(ch, ch) for ch in s)
    s = _LITERAL_RE.sub(_literal_token, s.replace("\u2019", "'").replace("\u2018", "'"))
    s = _LEVEL_RE.sub(lambda m: f" {_FACS_LEVEL[m.group(1).lower()]} ", s)  # "a trace (A) of AU12": FACS level A
    s = fold(s)
    s = _UNEVEN_RE.sub(lambda m: f" {_SIDES[m.group(1)[0]]} mostly ", s)  # "smile R>L"
    s = rewrite(s, _STATE_WORDS, _EXPRESSION_NOUNS)  # nominal and documentation English -> verbs ("upward movement of" -> "moves up")
    s = _CONTRACTION_RE.sub(lambda m: _CONTRACTIONS[m.group(1)], s)
    s = re.sub(r"n't\b", " not", s)
    s = re.sub(r"'s\b|s'(?=\s)", " s", s)
    s = _SPLIT_NAME_RE.sub(_split_name, re.sub(r"(?<=[a-z])-(?=[a-z])", " ", s))  # "left eye look-in"
    s = re.sub(r"[-/'\"]", " ", s)
    s = re.sub(r"\bpercent\b|\bper cent\b", "%", s)
    s = re.sub(r"(\d)\s+%", r"\1%", s)
    s = _AMOUNT_AFTER_RE.sub(r" \1 ", s)  # "AU14 L, 60%", "a smile (60%)": the amount belongs to what it follows
    s = _FACS_RE.sub(lambda m: f" au{lx.FACS_NAMES[m.group(1)]} ", s)
    s = _MUSCLE_RE.sub(lambda m: " " + " ".join(f"{Mark.AU}{n}" for n in lx.MUSCLES[m.group(1)]) + " ", s)
    s = _BARE_AU_RE.sub(r" au\1", s)  # FACS shorthand without "AU": "1+2D", "6+12"
    s = _SIDED_AU_RE.sub(r" \1au\2", s)  # "L12", "R14B": one-sided AUs
    s = _AU_RE.sub(_au_tokens, s)
    s = _SHORT_SIDE_RE.sub(lambda m: f" {_SIDES[m.group(1)]} ", s)  # "wink R", "L brow"
    s = _WORD_RE.sub(lambda m: lx.SPELLING.get(m.group(0), m.group(0)), s)
    s = _NO_CONTACT_RE.sub(" looks away ", s)
    s = _CONTACT_RE.sub(" looking ahead ", s)  # "maintains eye contact"
    s = _GAZE_ON_RE.sub(r"\1 \2 looking ahead ", s)  # "holds his gaze on the listener": at the viewer
    s = _EYE_CORNER_RE.sub(lambda m: f" to the {m.group(1)} " if m.group(1) else " ", s)
    s = _DEGREES_RE.sub(lambda m: f" angle{round(math.radians(float(m.group(1))) * 1000)} ", s)  # "20 degrees"
    s = _VISEME_RE.sub(lambda m: f" viseme{m.group(1) or m.group(2)} ", s)  # "saying 'f'", "an 'm' shape"
    s = _AS_FAR_RE.sub(r" fully \1 ", s)  # "as wide as they can go", "as high as possible"
    s = _TRY_NOT_RE.sub(" suppressed ", s)  # "she tries not to smile": a smile held back
    s = _REST_OF_RE.sub(" face ", s)  # "the rest of the face is unchanged": not a relax
    s = _RETURN_RE.sub(_return_token, s)  # "the head comes back to level"
    s = _PHRASE_RE.sub(lambda m: lx.PHRASES[m.group(1)], s)
    return _TOKEN_RE.findall(s)


def _return_token(m: re.Match[str]) -> str:
    """'comes back to center' -> ' relax ahead ' (a return to neutral; ahead again when toward the front)."""
    target = next((g for g in m.groups() if g), "")
    return " relax ahead " if target in _AHEAD_TARGETS else " relax "


def _literal_token(m: re.Match[str]) -> str:
    """ARKit channel names written in the text ("jawOpen 0.4") -> one 'chanjawopenx0p4' token."""
    word = m.group(1)
    camel = re.search(r"[a-z][A-Z]|_", word) is not None
    if not camel and word.lower() not in CHANNEL_KEYS:
        return m.group(0)  # plain English ("mouth") is never read as a channel name
    name = canonical_name(word)
    if name is None and camel and canonical_name(word + _LEFT) is not None:
        name = Mark.BOTH + str(canonical_name(word + _LEFT))[: -len(_LEFT)]  # "mouthSmile" = both sides
    if name is None:
        return m.group(0)
    number = m.group(2) or ""
    number = number.replace("-", "m").replace(".", "p").replace("%", Mark.PC)
    return f" chan{name.lower()}{('x' + number) if number else ''} "


def _split_name(m: re.Match[str]) -> str:
    """'brow inner up' -> the literal token for BrowInnerUp (plurals allowed); other word runs unchanged."""
    words = [w[:-1] if w.endswith("s") and w[:-1] in _NAME_PARTS else w for w in m.group(1).split()]
    key = "".join(words)
    if key not in CHANNEL_KEYS and key + _left not in CHANNEL_KEYS:
        return m.group(0)
    if (len(words) < 3 or key.startswith("eyelook")) and not m.group(2):
        return m.group(0)  # plain English too ("eyes blink", "the eyes look up"): the parser knows more
    name = next((c for c in CHANNELS if c.lower() == key), None)
    literal = name if name else Mark.BOTH + next(c for c in CHANNELS if c.lower() == key + _left)[:-len(_LEFT)]
    number = (m.group(2) or "").strip().lstrip(":=").strip()
    number = number.replace("-", "m").replace(".", "p").replace("%", Mark.PC)
    return f" chan{literal.lower()}{('x' + number) if number else ''} "


def _au_tokens(m: re.Match[str]) -> str:
    """'AU12C' -> 'facslevelc au12', 'AU12L' -> 'left au12', 'AU1+2' -> 'au1 au2'."""
    letter = (m.group(1) or m.group(4) or "").lower()
    side = f"{_SIDES[letter]} " if letter in _SIDES else ""
    level = _FACS_LEVEL.get(m.group(3) or "", "")
    out = [f"{side}{level} au{m.group(2)}"]
    for n, letter in re.findall(r"(\d{1,2})([a-e]?)\b", m.group(5) or ""):
        out.append(f"{side}{_FACS_LEVEL.get(letter, '')} au{n}")
    return " " + " , ".join(out) + " "


# --- 2/3. clauses and tags -------------------------------------------------------------------
