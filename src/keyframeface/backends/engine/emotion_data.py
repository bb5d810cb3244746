"""The emotion reader's data: prototypes (data/emotions.yaml), emotion words (data/emotion_words.yaml) and the
intensity modifiers (the ``diminish`` / ``intensify`` columns of the one degree table, data/degrees.yaml).

Loaded once into a frozen ``EmotionData`` and validated at load: every prototype is FACS codes of the one table
(facs.yaml), every emotion word, compound, false-smile cover and cover label names a known emotion, every
intensity and modifier factor lies in (0, 1], every idiom is a valid regular expression. Errors name file and key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import degrees, facs, vocab
from .facs import DataError

__all__ = ["DEFAULT_INTENSITY", "EmotionData", "emotion_data", "load_emotion_data"]

DATA_DIR = vocab.DATA_DIR
DEFAULT_INTENSITY = 0.7  # an emotion word listed without a number
_TEMPOS = ("fast", "medium", "slow")
_COLUMNS = ("face", "valence", "tempo")  # a prototype's row in emotions.yaml
NEGATION_COLUMN = "emotion"  # the column of negations.yaml that denies an emotion word


@dataclass(frozen=True)
class EmotionData:
    """Everything the emotion reader knows, read-only."""

    prototypes: Mapping[str, tuple[str, int, str]]  # label -> (FACS face, valence -1/0/+1, tempo)
    compounds: Mapping[tuple[str, str], str]  # adjacent basic labels -> the Du et al. compound label
    cover_labels: frozenset[str]
    smile_labels: frozenset[str]  # labels whose display words are a smile (the usual cover)
    hidden_cover: str  # the cover of a feeling hidden behind nothing named
    denied_good: str  # the reading of a denied good feeling alone ("not happy")
    no_feeling: str  # the reading of no feeling at all
    words: Mapping[str, str]  # label -> "word[:intensity] ..." as written in the file
    display: frozenset[str]
    false_smile: Mapping[str, str | None]  # smile qualifier -> the feeling it usually covers
    feign: frozenset[str]
    inward: frozenset[str]
    outward: frozenset[str]
    diminish: Mapping[str, float]
    intensify: Mapping[str, float]
    negations: frozenset[str]
    suppress: frozenset[str]
    soften_display: frozenset[str]
    ambiguous: frozenset[str]
    function: frozenset[str]
    emoji: Mapping[str, str]  # emoji character -> feeling word
    idioms: tuple[tuple[str, str], ...]  # (regular expression, replacement)
    grammar: vocab.Shaped  # emotion_grammar.yaml: the grammar patterns' word lists, by name

    def lexicon(self) -> tuple[dict[str, tuple[str, float]], dict[tuple[str, ...], tuple[str, float]]]:
        """Single words and multi-word phrases -> (label, base intensity); the first listing of a word wins."""
        single: dict[str, tuple[str, float]] = {}
        phrases: dict[tuple[str, ...], tuple[str, float]] = {}
        for label, entries in self.words.items():
            for entry in entries.split():
                term, _, value = entry.partition(":")
                item = (label, float(value) if value else DEFAULT_INTENSITY)
                if "_" in term:
                    phrases.setdefault(tuple(term.split("_")), item)
                else:
                    single.setdefault(term, item)
        return single, phrases


def _shaped(directory: Path, name: str) -> tuple[dict[str, Any], vocab.Shaped]:
    """One vocabulary file of ``directory``: as read (``vocab.read``) and as attributes by its schema kinds."""
    doc = vocab.read(name, directory)
    return doc, vocab.Shaped(name, doc)


def _grammar(directory: Path) -> vocab.Shaped:
    """``emotion_grammar.yaml``: named lists of regular-expression alternatives; each one must compile alone."""
    f = "emotion_grammar.yaml"
    _, grammar = _shaped(directory, f)
    for key in vocab.schema()[f]:
        for entry in getattr(grammar, key):
            try:
                re.compile(f"(?:{entry})")
            except re.error as exc:
                raise DataError(f, key, f"bad alternative {entry!r}: {exc}") from None
    return grammar


def load_emotion_data(directory: Path | None = None) -> EmotionData:
    """Load and validate emotions.yaml, emotion_words.yaml and emotion_grammar.yaml (from ``data/`` by default)."""
    directory = directory or vocab.active()
    f = "emotions.yaml"
    _, doc = _shaped(directory, f)
    prototypes: dict[str, tuple[str, int, str]] = {}
    for label, entry in doc.prototypes.items():
        key = f"prototypes.{label}"
        if not (isinstance(entry, dict) and set(_COLUMNS) <= set(entry)):
            raise DataError(f, key, "expected {face, valence, tempo}")
        face, valence, tempo = (entry[c] for c in _COLUMNS)
        face = face or ""
        try:
            facs.facs_vector(face)
        except ValueError as exc:
            raise DataError(f, f"{key}.{_COLUMNS[0]}", str(exc)) from None
        if valence not in (-1, 0, 1):
            raise DataError(f, f"{key}.{_COLUMNS[1]}", f"{valence!r} is not -1, 0 or 1")
        if tempo not in _TEMPOS:
            raise DataError(f, f"{key}.{_COLUMNS[2]}", f"{tempo!r} is not one of {', '.join(_TEMPOS)}")
        prototypes[str(label)] = (face, int(valence), tempo)
    if not prototypes:
        raise DataError(f, "prototypes", "expected label -> {face, valence, tempo}")

    def known(label: Any, file: str, key: str) -> str:
        if label not in prototypes:
            raise DataError(file, key, f"unknown emotion {label!r} (not a prototype in emotions.yaml)")
        return str(label)

    compounds: dict[tuple[str, str], str] = {}
    for i, entry in enumerate(doc.compounds):
        if not (isinstance(entry, list) and len(entry) == 3):
            raise DataError(f, f"compounds[{i}]", "expected [first, second, compound label]")
        a, b, c = (known(x, f, f"compounds[{i}]") for x in entry)
        compounds[(a, b)] = c
    cover = frozenset(known(x, f, "cover_labels") for x in doc.cover_labels)
    smile = frozenset(known(x, f, "smile_labels") for x in doc.smile_labels)
    hidden_cover, denied_good, no_feeling = (known(getattr(doc, k), f, k)
                                             for k in ("hidden_cover", "denied_good", "no_feeling"))

    f = "emotion_words.yaml"
    _, doc = _shaped(directory, f)  # vocab.read refuses the old diminish/intensify sections (schema.yaml: moved)
    for label, entries in doc.words.items():
        known(label, f, f"words.{label}")
        for entry in str(entries).split():
            term, _, value = entry.partition(":")
            if not re.fullmatch(r"[a-z_]+", term):
                raise DataError(f, f"words.{label}", f"bad word {entry!r}: lower-case letters, '_' between words")
            if value and not (re.fullmatch(r"\d*\.?\d+", value) and 0.0 < float(value) <= 1.0):
                raise DataError(f, f"words.{label}", f"intensity of {term!r}: {value!r} not in (0, 1]")
    for word, covered in doc.false_smile.items():
        if covered is not None:
            known(covered, f, f"false_smile.{word}")
    emoji: dict[str, str] = {}
    for word, chars in doc.emoji.items():
        for ch in chars:
            emoji[ch] = str(word)
    idioms = []
    for i, entry in enumerate(doc.idioms):
        if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(x, str) for x in entry)):
            raise DataError(f, f"idioms[{i}]", "expected [regular expression, replacement]")
        try:
            re.compile(entry[0])
        except re.error as exc:
            raise DataError(f, f"idioms[{i}]", f"bad pattern: {exc}") from None
        idioms.append((entry[0], entry[1]))
    return EmotionData(
        prototypes=MappingProxyType(prototypes), compounds=MappingProxyType(compounds), cover_labels=cover,
        smile_labels=smile, hidden_cover=hidden_cover, denied_good=denied_good, no_feeling=no_feeling,
        words=MappingProxyType({str(k): str(v) for k, v in doc.words.items()}), display=doc.display,
        false_smile=doc.false_smile, feign=doc.feign, inward=doc.inward, outward=doc.outward,
        diminish=degrees.column(degrees.DIMINISH, directory),
        intensify=degrees.column(degrees.INTENSIFY, directory),
        negations=facs.negation_table(directory)[NEGATION_COLUMN], suppress=doc.suppress,
        soften_display=doc.soften_display, ambiguous=doc.ambiguous, function=doc.function,
        emoji=MappingProxyType(emoji), idioms=tuple(idioms), grammar=_grammar(directory))


def _build(directory: Path) -> EmotionData:
    return load_emotion_data(directory)


def emotion_data() -> EmotionData:
    """The active vocabulary's emotion data (``data/`` unless ``lexicon.using`` says otherwise), loaded once."""
    return vocab.table(_build)
