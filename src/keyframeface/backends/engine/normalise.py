"""Step 1 of posing: a description -> tokens (lower case, spellings, FACS names and AU codes, outside wording,
multi-word phrases folded to one token). Vocabulary lives in the lexicon and ``data/``; this is the machinery."""

from __future__ import annotations

import math
import re

from ...channels import CHANNELS, canonical_name
from . import lexicon as lx
from .text import fold
from .wording import rewrite

__all__ = ["CHANNEL_KEYS", "normalise"]

# --- 1. normalisation ------------------------------------------------------------------------

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
_FACS_LEVEL = {x: f"facslevel{x}" for x in "abcde"}  # FACS A-E intensity -> a token parse reads as the table's level
_PHRASE_RE = re.compile("")  # the lexicon's multi-word phrases (``_derive``)
_AMOUNT_AFTER_RE = re.compile(r"\s*[,(]\s*(?:at\s+)?(\d+(?:\.\d+)?%)\s*\)?(?=\s*(?:[,;.!?]|$))")
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
# "comes back to level", "returns to center", "back to rest", "comes down to rest": the part goes to neutral
# (a relax), not "back"; toward the front/center the eyes also look ahead again.
_RETURN_VERBS = (r"(?:comes?|coming|came|goes|go|going|gone|went|moves?|moving|moved|settles?|settling|settled|"
                 r"drifts?|drifting|drifted|sinks?|sank|eases?|easing|eased|falls?|fell|drops?|dropped|slides?|slid|"
                 r"slips?|slipped|gets?|got|swings?|swung|turns?|turned|returns?|returning|returned|is|are)")
_RETURN_TARGETS = r"(level|center|centre|middle|neutral|rest|resting|normal|default|baseline|relaxed|straight|" \
                  r"calm|place|forward|front|ahead|camera|viewer|lens|audience)"
_RETURN_RE = re.compile(r"\b(?:" + _RETURN_VERBS + r"\s+)?back\s+(?:down\s+|up\s+)?(?:to|into)\s+"
                        r"(?:(?:a|the|its|their|her|his)\s+)?" + _RETURN_TARGETS + r"\b(?:\s+(?:position|pose|state))?"
                        r"|\breturns?\s+(?:to\s+(?:(?:a|the|its|their|her|his)\s+)?)?" + _RETURN_TARGETS + r"\b"
                        r"(?:\s+(?:position|pose|state))?"
                        r"|\b(?:comes?|came|coming|settles?|settled|settling)\s+(?:down\s+)?to\s+(rest)\b")
_AHEAD_TARGETS = frozenset({"center", "centre", "middle", "forward", "front", "ahead", "straight", "camera", "viewer",
                            "lens", "audience"})
# Eye contact is looking at the viewer: straight ahead ("maintains eye contact", "gaze locked on the listener");
# breaking it is looking away.
_NO_CONTACT_RE = re.compile(r"\b(?:breaks?|breaking|broke|avoids?|avoiding|avoided|without|no|loses?|losing|lost)"
                            r"\s+(?:any\s+|all\s+)?eye\s+contact\b")
_CONTACT_RE = re.compile(r"\b(?:(?:direct|steady|firm|constant|unbroken|intense|unwavering)\s+)?eye\s+contact"
                         r"(?:\s+with\s+(?:the\s+|his\s+|her\s+|their\s+)?[a-z]+)?\b")
_ADDRESSEES = (r"(?:(?:(?:the|his|her|their|its|my|our|your)\s+)?(?:listeners?|viewers?|camera|lens|audience|"
               r"interviewer|interlocutor|speaker|partner|person|other|opponent|reader|crowd|questioner|"
               r"stranger|friend|host|judge|judges|jury|class|room|man|woman|boy|girl|child|doctor|officer)"
               r"(?:\s+s\s+(?:eyes|face))?"
               r"|(?:him|her|them|you|me|us)(?=\s*(?:$|[,;.!?]|(?:as|while|and|when|with|who|without)\b)))")
_GAZE_ON_RE = re.compile(r"\b(gaze|eyes|stare|look|looks|looking|looked)\s+((?:[a-z]+\s+){0,2}?)"
                         r"(?:on|at|upon|into|to|toward|towards)\s+" + _ADDRESSEES + r"\b")
_TRY_NOT_RE = re.compile(r"\b(?:tries|try|trying|tried|struggles|struggling|struggled|fights|fighting|fought)"
                         r" (?:hard )?not to\b")
_REST_OF_RE = re.compile(r"\b(?:the rest|everything else|all else)(?: of (?:the|her|his|their) face)?\b")
_STATE_WORDS: frozenset[str] = frozenset()
_EXPRESSION_NOUNS: frozenset[str] = frozenset()


@lx.on_bind
def _derive() -> None:
    """This module's patterns from the bound vocabulary (``lexicon.using`` swaps it)."""
    global _PHRASE_RE, _VISEME_RE, _STATE_WORDS, _EXPRESSION_NOUNS
    _PHRASE_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(p) for p in lx.PHRASES), key=len, reverse=True))
                            + r")\b")
    keys = "|".join(sorted(lx.VISEMES, key=len, reverse=True))
    _VISEME_RE = re.compile(r"\b(?:(?:saying|say|says|pronouncing|pronounces|mouthing|mouths)\s+(?:an?\s+|the\s+)?"
                            r"(" + keys + r")|(?:an?|the)\s+(" + keys + r")\s+(?:sound|shape|viseme))\b")
    _STATE_WORDS = frozenset(w for w, e in lx.EXPRESSION_SYNONYMS.items() if e in lx.EMOTIONS) | lx.EMOTIONS
    _EXPRESSION_NOUNS = frozenset(w for w in (*lx.EXPRESSIONS, *lx.EXPRESSION_SYNONYMS) if w.isalpha())
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
    s = _UNEVEN_RE.sub(lambda m: " right mostly " if m.group(1)[0] == "r" else " left mostly ", s)  # "smile R>L"
    s = rewrite(s, _STATE_WORDS, _EXPRESSION_NOUNS)  # nominal and documentation English -> verbs ("upward movement of" -> "moves up")
    s = re.sub(r"\bcan't\b", "cannot", s)
    s = re.sub(r"n't\b", " not", s)
    s = re.sub(r"'s\b|s'(?=\s)", " s", s)
    s = _SPLIT_NAME_RE.sub(_split_name, re.sub(r"(?<=[a-z])-(?=[a-z])", " ", s))  # "left eye look-in"
    s = re.sub(r"[-/'\"]", " ", s)
    s = re.sub(r"\bpercent\b|\bper cent\b", "%", s)
    s = re.sub(r"(\d)\s+%", r"\1%", s)
    s = _AMOUNT_AFTER_RE.sub(r" \1 ", s)  # "AU14 L, 60%", "a smile (60%)": the amount belongs to what it follows
    s = _FACS_RE.sub(lambda m: f" au{lx.FACS_NAMES[m.group(1)]} ", s)
    s = _MUSCLE_RE.sub(lambda m: " " + " ".join(f"au{n}" for n in lx.MUSCLES[m.group(1)]) + " ", s)
    s = _BARE_AU_RE.sub(r" au\1", s)  # FACS shorthand without "AU": "1+2D", "6+12"
    s = _SIDED_AU_RE.sub(r" \1au\2", s)  # "L12", "R14B": one-sided AUs
    s = _AU_RE.sub(_au_tokens, s)
    s = _SHORT_SIDE_RE.sub(lambda m: " left " if m.group(1) == "l" else " right ", s)  # "wink R", "L brow"
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
    if name is None and camel and canonical_name(word + "Left") is not None:
        name = "both" + str(canonical_name(word + "Left"))[: -len("Left")]  # "mouthSmile" = both sides
    if name is None:
        return m.group(0)
    number = m.group(2) or ""
    number = number.replace("-", "m").replace(".", "p").replace("%", "pc")
    return f" chan{name.lower()}{('x' + number) if number else ''} "


def _split_name(m: re.Match[str]) -> str:
    """'brow inner up' -> the literal token for BrowInnerUp (plurals allowed); other word runs unchanged."""
    words = [w[:-1] if w.endswith("s") and w[:-1] in _NAME_PARTS else w for w in m.group(1).split()]
    key = "".join(words)
    if key not in CHANNEL_KEYS and key + "left" not in CHANNEL_KEYS:
        return m.group(0)
    if (len(words) < 3 or key.startswith("eyelook")) and not m.group(2):
        return m.group(0)  # plain English too ("eyes blink", "the eyes look up"): the parser knows more
    name = next((c for c in CHANNELS if c.lower() == key), None)
    literal = name if name else "both" + next(c for c in CHANNELS if c.lower() == key + "left")[:-len("Left")]
    number = (m.group(2) or "").strip().lstrip(":=").strip()
    number = number.replace("-", "m").replace(".", "p").replace("%", "pc")
    return f" chan{literal.lower()}{('x' + number) if number else ''} "


def _au_tokens(m: re.Match[str]) -> str:
    """'AU12C' -> 'facslevelc au12', 'AU12L' -> 'left au12', 'AU1+2' -> 'au1 au2'."""
    side = {"l": "left ", "r": "right "}.get((m.group(1) or m.group(4) or "").lower(), "")
    level = _FACS_LEVEL.get(m.group(3) or "", "")
    out = [f"{side}{level} au{m.group(2)}"]
    for n, letter in re.findall(r"(\d{1,2})([a-e]?)\b", m.group(5) or ""):
        out.append(f"{side}{_FACS_LEVEL.get(letter, '')} au{n}")
    return " " + " , ".join(out) + " "


# --- 2/3. clauses and tags -------------------------------------------------------------------
