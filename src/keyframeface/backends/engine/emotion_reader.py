"""Step 1 of the emotion model: emotion words (and the background's cues) -> a structured reading.

``read_emotion`` parses what people write ("slightly annoyed", "anxiety concealed by a restrained smile", "shock
turning into relief") into parts with a role, an intensity and a phase; ``emotions.emotion_prior`` turns a reading
into values. Vocabulary and patterns are data (``data/emotion_words.yaml``, ``data/background_cues.yaml``,
the ``emotion`` column of ``data/negations.yaml``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ...errors import InputError
from . import vocab
from .vocab import DataError
from .emotion_data import emotion_data
from .text import closest, normalise, stem

__all__ = ["ROLES", "TEMPO", "VALENCE", "EmotionPart", "EmotionReading", "read_emotion"]

ROLES = FELT, SHOWN, MASKED, SUPPRESSED = ("felt", "shown", "masked", "suppressed")
# Prototypes and vocabulary are data (data/emotions.yaml, data/emotion_words.yaml), loaded and validated once per
# vocabulary; ``_bind_data`` re-derives every name below when ``lexicon.using`` swaps the vocabulary. The public
# mappings (VALENCE, TEMPO) and those other modules import are updated in place.
# label: (FACS prototype, valence -1/0/+1, tempo "fast"/"medium"/"slow").
_EMOTIONS: dict[str, tuple[str, int, str]] = {}
VALENCE: dict[str, int] = {}
TEMPO: dict[str, str] = {}
_FALSE_SMILE: dict[str, str | None] = {}  # false-smile qualifiers -> the feeling it usually covers


def _bind_data() -> None:
    """Every name derived from the emotion data, for the active vocabulary."""
    global _DATA, _VOCAB, _COMPOUNDS, _DISPLAY, _FEIGN, _COVER_LABELS, _INWARD_WORDS, _OUTWARD_WORDS, _DIMINISH
    global _INTENSIFY, _NEGATIONS, _SUPPRESS, _SOFTEN_DISPLAY, _AMBIGUOUS, _FUNCTION, _MODIFIERS, _EMOJI, _IDIOMS
    global _WORDS, _PHRASES, _MAX_PHRASE, _VOCABULARY
    _DATA = emotion_data()
    for target, source in ((_EMOTIONS, _DATA.prototypes), (VALENCE, {k: v[1] for k, v in _DATA.prototypes.items()}),
                           (TEMPO, {k: v[2] for k, v in _DATA.prototypes.items()}), (_FALSE_SMILE, _DATA.false_smile)):
        target.clear()
        target.update(source)
    # Vocabulary: label -> "word[:base intensity] ..." (default 0.7). Multi-word phrases use "_".
    # Forms not listed (adverbs, -ness nouns, British spellings) are reached by text.stem.
    _VOCAB = _DATA.words
    _COMPOUNDS = _DATA.compounds  # adjacent pairs that name a Du et al. compound ("happily surprised")
    _DISPLAY = _DATA.display  # words that show an expression rather than name a feeling: the cover in a mask
    _FEIGN = _DATA.feign  # words that make any emotion a display ("feigned indifference", "mock surprise")
    _COVER_LABELS = _DATA.cover_labels
    _INWARD_WORDS, _OUTWARD_WORDS = _DATA.inward, _DATA.outward
    _DIMINISH = _DATA.diminish  # diminishers multiply; intensifiers move toward 1: i + (1 - i) * k
    _INTENSIFY = _DATA.intensify
    _NEGATIONS = _DATA.negations
    _SUPPRESS = _DATA.suppress  # markers that make an emotion suppressed ("suppressed anger", "pent up rage")
    _SOFTEN_DISPLAY = _DATA.soften_display  # of those, the ones that only soften a display ("restrained smile")
    _AMBIGUOUS = _DATA.ambiguous  # emotion words that usually mean something else in a scene ("a blue dress")
    _FUNCTION = _DATA.function  # words that never start a fuzzy match
    _MODIFIERS = frozenset(_DIMINISH) | frozenset(_INTENSIFY) | _NEGATIONS | _SUPPRESS
    _EMOJI = _DATA.emoji
    _IDIOMS = _DATA.idioms  # idioms rewritten into the grammar below before parsing
    _WORDS, _PHRASES = _DATA.lexicon()
    _MAX_PHRASE = max(len(p) for p in _PHRASES)
    _VOCABULARY = frozenset(_WORDS)
    _bind_grammar(_DATA.grammar)


def _bind_grammar(g: vocab.Shaped) -> None:
    """The grammar patterns: skeletons here, their words the named lists of ``data/emotion_grammar.yaml``.

    Plain strings, compiled on first use by ``_rx``; each ``{list}`` is that list's entries joined as alternatives.
    """
    global _TRANSITION, _AFTER, _FROM_TO, _MASKED_BY, _HIDING, _POSING_AS, _PRONOUN, _BEHIND, _NOT_TO, _LOOKING
    global _BEHIND_MASK, _SUPPRESSED_SUFFIX, _CONTRAST, _COMPOUND_TAIL, _STOPS, _BREAKS, _SMILES

    def alt(words: tuple[str, ...], after: str = "", before: str = "") -> str:
        return "|".join(before + w + after for w in words)

    particles = f"(?:{alt(g.particles, before=' ')})?"
    # Phase markers: "A then B", "A turning into B", "A gives way to B", ... ("from A to B" and "B after A" are
    # handled separately). Any verb form before "into" marks a change, so a new transition verb needs no entry.
    into = (f"(?!(?:{alt(g.into_literal)})[a-z]*\\b)[a-z]{{3,}}(?:{alt(g.into_endings)}){particles} into")
    _TRANSITION = (
        f"\\s*(?:[,;]\\s*)?(?<![a-z])(?:{into}|{alt(g.sequence_words)}|"
        f"(?:(?:{alt(g.change_adverbs)}) )?(?:{alt(g.change_verbs)}){particles} (?:{alt(g.change_prepositions)})|"
        f"(?:{alt(g.become_adverbs, after=' ')})?(?:{alt(g.become_verbs)})|"
        f"{alt(g.transition_phrases)})(?![a-z])\\s*")
    # "B after A", "B washing over A": B comes second (the halves are reversed).
    _AFTER = (f"\\s+\\b(?:{alt(g.after_words)}|(?:(?:{alt(g.after_adverbs)}) )?(?:{alt(g.after_verbs)}))\\b\\s+")
    _FROM_TO = f"\\b(?:{alt(g.from_words)}) (.+?) (?:{alt(g.to_words)}) (.+)$"
    # "A concealed by B": A is the masked feeling, B the shown cover.
    _MASKED_BY = (f"^(?P<a>.+?) (?:(?:{alt(g.hedges)}) )?(?:{alt(g.cover_verbs)}) (?:{alt(g.cover_prepositions)}) "
                  f"(?P<b>.+)$")
    # "B hiding A", "trying to hide A", "smiling through tears": B shown (may be empty), A masked.
    _HIDING = (f"^(?P<b>.*?) ?\\b(?:(?:{alt(g.try_verbs)}) to (?:{alt(g.hide_verbs)})|to (?:{alt(g.to_hide_verbs)})|"
               f"(?:{alt(g.relatives)}) (?:{alt(g.hides_verbs)})|{alt(g.hiding_words)})\\s(?P<a>.+)$")
    # "fury masquerading as calm", "grief disguised as indifference": A masked, B shown.
    _POSING_AS = (f"^(?P<a>.+?) (?:(?:{alt(g.wear_verbs)}) (?:{alt(g.articles)}) (?:{alt(g.facade_nouns)}) of|"
                  f"(?:{alt(g.posing_verbs)}) as) (?P<b>.+)$")
    # "... hide it behind B": the hidden thing is named earlier, the cover after the preposition.
    _PRONOUN = (f"^(?:{alt(g.pronouns)}|(?:{alt(g.pronoun_owners)}) (?:{alt(g.pronoun_qualifiers, after=' ')})?"
                f"(?:{alt(g.pronoun_nouns)}))$")
    _BEHIND = f"^(?P<x>.+?) (?:{alt(g.behind_prepositions)}) (?P<y>.+)$"
    # "smiling, trying not to cry", "fighting the urge to laugh": A suppressed.
    _NOT_TO = (f"^(?P<b>.*?) ?\\b(?:(?:{alt(g.not_to_verbs)}) (?:{alt(g.not_to_efforts, after=' ')})?not to|"
               f"(?:{alt(g.urge_verbs)}) (?:{alt(g.urge_articles, after=' ')})?(?:{alt(g.urge_qualifiers, after=' ')})?"
               f"urge to)\\s(?P<a>.+)$")
    # "proud but trying to look humble": A (before) masked, B (the look) shown.
    _LOOKING = (f"^(?P<a>.+?),? (?:{alt(g.looking_joiners, after=' ')})?(?:{alt(g.looking_verbs)}) "
                f"(?:{alt(g.looking_efforts, after=' ')})?(?:to )?(?:{alt(g.seem_verbs)})(?:ing)? (?P<b>.+)$")
    # "seething rage behind a polite mask": A masked, the mask/facade/smile shown.
    _BEHIND_MASK = (f"^(?P<a>.+?) (?:{alt(g.mask_prepositions)}) (?P<b>(?:{alt(g.mask_determiners)}) "
                    f".*\\b(?:{alt(g.mask_nouns)})\\b.*)$")
    # "A, barely contained": A suppressed.
    _SUPPRESSED_SUFFIX = f"^(?P<a>.+?),? (?:(?:{alt(g.suffix_hedges)}) )?(?:{alt(g.suppressed_suffixes)})$"
    # A display smile with one of these around a negative feeling makes a mask ("sad but smiling").
    _CONTRAST = f"\\b(?:{alt(g.contrast)})\\b"
    # Second halves of hyphenated compounds whose first half names the feeling.
    _COMPOUND_TAIL = re.compile(f"([a-z]{{3,}}?)(?:{alt(g.compound_tails)})")
    _STOPS, _BREAKS, _SMILES = g.modifier_stops, g.clause_breaks, _DATA.smile_labels


vocab.on_switch(_bind_data)

@dataclass(frozen=True)
class EmotionPart:
    """One emotion in a reading: what, how strong, whether felt or shown or hidden, and when."""

    label: str  # canonical emotion name, a key of PROTOTYPES
    intensity: float  # 0..1
    role: str  # "felt" | "shown" (the cover) | "masked" (concealed, leaking) | "suppressed"
    phase: int  # 0, 1, 2, ... order in a transition
    words: str  # the source words that named it


@dataclass(frozen=True)
class EmotionReading:
    """A parsed emotion: its parts, how many phases, and the background cues found."""

    parts: tuple[EmotionPart, ...]
    phases: int
    cues: tuple[str, ...] = ()  # "funeral: grief, restraint", ...
    context: tuple[EmotionPart, ...] = ()  # background nudges that agree with the stated emotion

    def phase_parts(self, phase: int) -> tuple[EmotionPart, ...]:
        """The parts of one phase, in reading order."""
        return tuple(p for p in self.parts if p.phase == phase)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label in reading order."""
        return tuple(p.label for p in self.parts)


def read_emotion(emotion: str, background: str = "") -> EmotionReading:
    """Parse emotion words (and background cues) into a reading. Empty emotion -> InputError."""
    if not (emotion or "").strip():
        raise InputError("is empty; expected words such as 'anxiety concealed by a restrained smile'",
                         field="emotion")
    parts: list[EmotionPart] = []
    negated: list[tuple[str, str]] = []
    for segment in _split_phases(_normalize(emotion)):
        found = _read_phase(segment, len({p.phase for p in parts}), negated)
        parts += found
    cues, cue_parts = _read_cues(background)
    if not parts:
        parts = _fallback(emotion, negated, cue_parts)
    stated = {VALENCE[p.label] for p in parts if VALENCE[p.label]}
    labels = {p.label for p in parts}
    context = tuple(c for c in cue_parts if c.label not in labels and -VALENCE[c.label] not in stated)
    phases = 1 + max(p.phase for p in parts)
    return EmotionReading(parts=tuple(parts), phases=phases, cues=cues, context=context)


# --- vocabulary ------------------------------------------------------------------------




def _lookup(word: str) -> tuple[str, float] | None:
    """(label, base intensity) for one word in any listed form, else None.

    A hyphen-joined compound ("dread-filled", "guilt-ridden", "sad-eyed") falls back to its head.
    """
    form = stem(word, _VOCABULARY)
    if form in _WORDS:
        return _WORDS[form]
    m = _COMPOUND_TAIL.fullmatch(word)
    if m and m.group(1) not in _AMBIGUOUS:
        return _WORDS.get(stem(m.group(1), _VOCABULARY))
    return None


def _fuzzy(word: str) -> tuple[str, float] | None:
    """A misspelt emotion word ('suprised', 'anxous'), only for longer content words."""
    if len(word) < 5 or word in _FUNCTION or word in _DIMINISH or word in _INTENSIFY:
        return None
    close = closest(word, _VOCABULARY)
    return _WORDS[close] if close else None


# --- parsing ---------------------------------------------------------------------------


@functools.cache
def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a grammar pattern on first use (keeps import fast: the CLI imports this module)."""
    return re.compile(pattern)


def _normalize(text: str) -> str:
    """Lower case, emoji as words, no accents or apostrophes, hyphenated words joined, single spaces (text.py)."""
    return normalise(text, emoji=_EMOJI)


def _split_phases(text: str) -> list[str]:
    """Split on transition markers into ordered phase texts (idioms rewritten first)."""
    for pattern, words in _IDIOMS:
        text = _rx(pattern).sub(words, text)
    m = _rx(_FROM_TO).search(text)
    chunks = [text[: m.start()] + " " + m.group(1), m.group(2)] if m else [text]
    out: list[str] = []
    for chunk in chunks:
        for piece in _rx(_TRANSITION).split(chunk):
            halves = _rx(_AFTER).split(piece)
            out += reversed(halves)  # "relief after a scare": the scare comes first
    return [p.strip(" ,;") for p in out if p.strip(" ,;")]


@dataclass
class _Hit:
    """An emotion word found in a token list."""

    start: int
    end: int
    label: str
    intensity: float
    words: str
    display: bool
    role: str = FELT
    false: bool = False  # a false-smile or feigning word came before it ("forced", "polite", "mock")


def _scan(text: str, negated: list[tuple[str, str]], fuzzy: bool = False) -> list[_Hit]:
    """Emotion words in a text, with modifiers, negation and suppression applied."""
    tokens = text.split()
    hits: list[_Hit] = []
    i = 0
    while i < len(tokens):
        hit = None
        for n in range(min(_MAX_PHRASE, len(tokens) - i), 1, -1):
            item = _PHRASES.get(tuple(tokens[i:i + n]))
            if item:
                hit = _Hit(i, i + n, item[0], item[1], " ".join(tokens[i:i + n]), tokens[i + n - 1] in _DISPLAY
                           or "_".join(tokens[i:i + n]) in _DISPLAY)
                break
        if hit is None and not _starts_modifier(tokens, i):
            item = _lookup(tokens[i]) or (_fuzzy(tokens[i]) if fuzzy else None)
            if item:
                hit = _Hit(i, i + 1, item[0], item[1], tokens[i], tokens[i] in _DISPLAY)
        if hit is None:
            i += 1
            continue
        previous_end = hits[-1].end if hits else 0
        window = tokens[max(previous_end, hit.start - 4):hit.start]
        if _apply_modifiers(hit, window):
            negated.append((" ".join(window + [hit.words]), hit.label))
        else:
            hits.append(hit)
        i = hit.end
    return _merge_compounds(hits, tokens)


def _starts_modifier(tokens: list[str], i: int) -> bool:
    """Whether tokens[i] begins a modifier ('kind of', 'a touch of', 'slightly'), not an emotion."""
    return any("_".join(tokens[i:i + n]) in _MODIFIERS for n in (1, 2, 3))


def _apply_modifiers(hit: _Hit, window: list[str]) -> bool:
    """Scale intensity and set role from the words before a hit; True when negated."""
    keys = _modifier_keys(window)
    stop = max((j for j, k in enumerate(keys) if k in _STOPS), default=-1)
    if any(k in _NEGATIONS for k in keys[stop + 1:]):
        return True
    text = " ".join(window)
    for key in keys:
        if key in _SUPPRESS:
            if hit.display and key in _SOFTEN_DISPLAY:
                hit.intensity *= 0.6
            else:
                hit.role = SUPPRESSED
                hit.words = f"{text} {hit.words}".strip()
            break
    for key in keys:
        if key in _DIMINISH and key not in _SUPPRESS:
            hit.intensity *= _DIMINISH[key]
        elif key in _INTENSIFY:
            hit.intensity += (1.0 - hit.intensity) * _INTENSIFY[key]
    if any(w in _FALSE_SMILE for w in window) and (hit.display or any(w in _FEIGN for w in window)):
        hit.words = f"{' '.join(w for w in window if w in _FALSE_SMILE)} {hit.words}"
        hit.false = True
        if any(w in _FEIGN for w in window):
            hit.role = SHOWN  # "mock surprise", "feigned indifference": displayed, not felt
    elif hit.role == FELT and any(k in _DIMINISH or k in _INTENSIFY for k in keys):
        mods = [k.replace("_", " ") for k in keys if k in _DIMINISH or k in _INTENSIFY]
        hit.words = " ".join(mods + [hit.words])
    hit.intensity = float(min(1.0, max(0.05, hit.intensity)))
    return False


def _modifier_keys(window: list[str]) -> list[str]:
    """Words before a hit as modifier keys, longest known phrase first ('a_hint_of', 'no_longer')."""
    keys: list[str] = []
    j = 0
    while j < len(window):
        n = next((n for n in (3, 2) if "_".join(window[j:j + n]) in _MODIFIERS and j + n <= len(window)), 1)
        keys.append("_".join(window[j:j + n]))
        j += n
    return keys


def _merge_compounds(hits: list[_Hit], tokens: list[str]) -> list[_Hit]:
    """Adjacent basic-emotion words that name a Du et al. compound become one hit."""
    out: list[_Hit] = []
    for hit in hits:
        if out and out[-1].end == hit.start and out[-1].role == hit.role == FELT:
            pair = (out[-1].label, hit.label)
            label = _COMPOUNDS.get(pair) or _COMPOUNDS.get(pair[::-1])
            if label:
                prev = out.pop()
                hit = _Hit(prev.start, hit.end, label, max(prev.intensity, hit.intensity),
                           f"{prev.words} {hit.words}", False)
        out.append(hit)
    return out


def _read_phase(text: str, phase: int, negated: list[tuple[str, str]]) -> list[EmotionPart]:
    """One phase's parts, with masks and suppression resolved."""
    m = _rx(_NOT_TO).match(text)
    if m:  # "smiling, trying not to cry": the held-back feeling is suppressed
        held = [_with_hit_role(h, SUPPRESSED) for h in _scan(m.group("a"), negated)]
        if held:
            hits = _dedupe(_scan(m.group("b"), negated) + held)
            return _infer_mask(hits, text, phase)
    for pattern in (_POSING_AS, _MASKED_BY, _HIDING, _LOOKING, _BEHIND_MASK):
        m = _rx(pattern).match(text)
        if m:
            hidden_text, cover_text = m.group("a"), m.group("b")
            if pattern is _HIDING:  # "hiding A behind B", "A, hiding it with B"
                sub = _rx(_BEHIND).match(hidden_text)
                if sub:
                    hidden_text, cover_text = sub.group("x"), f"{cover_text} {sub.group('y')}"
                if _rx(_PRONOUN).match(hidden_text):
                    hidden_text, cover_text = m.group("b"), sub.group("y") if sub else ""
            hidden = _dedupe(_scan(hidden_text, negated))
            if hidden:
                cover = _dedupe(_scan(cover_text, negated))
                out = [_part(h, MASKED if h.role in (FELT, SHOWN) else h.role, phase) for h in hidden]
                out += [_part(c, SHOWN, phase) for c in cover]
                if not cover:  # "trying to hide A": the cover is a composed face
                    out.append(EmotionPart(_DATA.hidden_cover, 0.5, SHOWN, phase, m.group(0)))
                return out
    m = _rx(_SUPPRESSED_SUFFIX).match(text)
    if m:
        hits = _scan(m.group("a"), negated)
        if hits:
            return [_part(h, SUPPRESSED, phase, suffix=text[m.end("a"):].strip(" ,")) for h in hits]
    hits = _scan(text, negated) or _scan(text, negated, fuzzy=True)
    return _infer_mask(_dedupe(hits), text, phase)


def _with_hit_role(hit: _Hit, role: str) -> _Hit:
    hit.role = role
    return hit


def _dedupe(hits: list[_Hit]) -> list[_Hit]:
    """One hit per (label, role): 'furiously livid' is one anger, at the stronger intensity."""
    out: dict[tuple[str, str], _Hit] = {}
    for hit in hits:
        key = (hit.label, hit.role)
        if key in out:
            first = out[key]
            first.intensity = max(first.intensity, hit.intensity)
            first.words = f"{first.words} {hit.words}"
        else:
            out[key] = hit
    return list(out.values())


def _infer_mask(hits: list[_Hit], text: str, phase: int) -> list[EmotionPart]:
    """Masks the grammar did not spell out.

    A false smile ("forced smile", "forced cheerfulness") is shown; a smile or a calm face set
    against a negative feeling ("sad but smiling", "outwardly calm, inwardly panicking",
    "a sad smile") is the cover and the feeling leaks; "inwardly/underneath" marks what is hidden.
    """
    tokens = text.split()
    inner = _clause_marks(tokens, _INWARD_WORDS)
    outer = _clause_marks(tokens, _OUTWARD_WORDS)
    false = [h for h in hits if h.false]
    covers = [h for h in hits if h.role in (FELT, SHOWN) and (
        (h.display and h.label in _SMILES) or h.label in _COVER_LABELS
        or h in false or outer[h.start])]
    hidden = [h for h in hits if h not in covers and h.role in (FELT, SUPPRESSED)
              and (VALENCE[h.label] < 0 or inner[h.start])]
    adjacent = any(c.display and any(h.end == c.start for h in hidden) for c in covers)  # "a sad smile"
    contrast = _rx(_CONTRAST).search(text) or any(inner) or any(outer)
    if covers and hidden and (false or contrast or adjacent):
        return [_part(h, SHOWN if h in covers else MASKED if h in hidden else h.role, phase) for h in hits]
    out = []
    for h in hits:
        role = SHOWN if h in false or h.role == SHOWN else h.role
        out.append(_part(h, role, phase))
        covered = _FALSE_SMILE.get(h.words.split()[0]) if h in false else None
        if covered and not hidden and h.label in _SMILES:
            out.append(EmotionPart(covered, 0.3, MASKED, phase, h.words))
    return out


def _clause_marks(tokens: list[str], words: frozenset[str]) -> list[bool]:
    """Per token: whether its clause (between commas/'but'/'yet'/'and') holds one of ``words``."""
    marks = [False] * (len(tokens) + 1)
    start = 0
    for i in range(len(tokens) + 1):
        if i == len(tokens) or tokens[i] in _BREAKS:
            if any(t in words for t in tokens[start:i]):
                marks[start:i] = [True] * (i - start)
            start = i + 1
    return marks


def _part(hit: _Hit, role: str, phase: int, suffix: str = "") -> EmotionPart:
    words = f"{hit.words} {suffix}".strip()
    return EmotionPart(hit.label, round(hit.intensity, 3), role, phase, words)


def _fallback(emotion: str, negated: list[tuple[str, str]], cue_parts: list[EmotionPart]) -> list[EmotionPart]:
    """No emotion word understood: lean on the background, else a near-neutral face.

    Only negations ("not angry"): a near-neutral face; "not happy" (a denied good feeling)
    reads as mild disappointment, as people mean it.
    """
    if cue_parts and not negated:
        return [EmotionPart(p.label, min(1.0, p.intensity * 2.0), FELT, 0, p.words) for p in cue_parts]
    words = "; ".join(dict.fromkeys(w for w, _ in negated)) if negated else emotion.strip()
    if any(VALENCE[label] > 0 for _, label in negated):
        return [EmotionPart(_DATA.denied_good, 0.35, FELT, 0, words)]
    return [EmotionPart(_DATA.no_feeling, 0.3, FELT, 0, words)]


# --- background cues -------------------------------------------------------------------

_CUES_FILE = "background_cues.yaml"
_CUE_COLUMNS = ("name", "pattern", "nudges")  # a cue's row in background_cues.yaml


@vocab.cached
def _cues() -> tuple[tuple[str, str, tuple[tuple[str, float], ...]], ...]:
    """(pattern, cue name, ((label, intensity), ...)) from ``data/background_cues.yaml``, validated at load."""
    out = []
    for i, cue in enumerate(vocab.shaped(_CUES_FILE).cues):
        where = f"cues[{i}]"
        name, pattern, nudges = (cue.get(k) if isinstance(cue, dict) else None for k in _CUE_COLUMNS)
        if not (isinstance(pattern, str) and isinstance(name, str) and isinstance(nudges, dict) and nudges):
            raise DataError(_CUES_FILE, where, "expected {name, pattern, nudges}")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise DataError(_CUES_FILE, f"{where}.{_CUE_COLUMNS[1]}", str(exc)) from None
        for label, value in nudges.items():
            if label not in VALENCE:
                raise DataError(_CUES_FILE, f"{where}.{_CUE_COLUMNS[2]}",
                                f"{label!r} is not an emotion of emotions.yaml")
            if not isinstance(value, (int, float)) or not 0.0 < value <= 0.3:
                raise DataError(_CUES_FILE, f"{where}.{_CUE_COLUMNS[2]}.{label}",
                                f"expected a nudge in (0, 0.3], got {value!r}")
        out.append((rf"\b(?:{pattern})\b", name, tuple((k, float(v)) for k, v in nudges.items())))
    return tuple(out)


def _read_cues(background: str) -> tuple[tuple[str, ...], list[EmotionPart]]:
    """Cue names found in the background, and the small nudges they imply."""
    text = _normalize(background)
    if not text:
        return (), []
    names: list[str] = []
    parts: list[EmotionPart] = []
    for pattern, name, labels in _cues():
        m = _rx(pattern).search(text)
        if m:
            names.append(f"{m.group(0).strip()}: {name}")
            for label, intensity in labels:
                if all(p.label != label for p in parts):
                    parts.append(EmotionPart(label, intensity, FELT, 0, m.group(0).strip()))
    for hit in _scan(text, []):  # feelings the background names ("tries to hide their anxiety")
        ambiguous = (hit.words.replace(" ", "_") in _AMBIGUOUS
                     or stem(hit.words, _AMBIGUOUS) in _AMBIGUOUS)
        if not ambiguous and all(p.label != hit.label for p in parts):
            names.append(f"{hit.words}: mentions {hit.label}")
            parts.append(EmotionPart(hit.label, round(0.3 * hit.intensity, 3), FELT, 0, hit.words))
    return tuple(names), parts

