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


@dataclass(frozen=True)
class EmotionData:
    """Everything the emotion reader knows, read-only."""

    prototypes: Mapping[str, tuple[str, int, str]]  # label -> (FACS face, valence -1/0/+1, tempo)
    compounds: Mapping[tuple[str, str], str]  # adjacent basic labels -> the Du et al. compound label
    cover_labels: frozenset[str]
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


def _load(path: Path) -> dict[str, Any]:
    """One YAML file as a mapping (``vocab.read``)."""
    return vocab.read(path.name, path.parent)


def _set(doc: Mapping[str, Any], key: str, file: str) -> frozenset[str]:
    """A required list of words as a set."""
    value = doc.get(key)
    if not (isinstance(value, list) and all(isinstance(w, str) and w.strip() for w in value)):
        raise DataError(file, key, f"expected a list of words, got {value!r}")
    return frozenset(value)


def load_emotion_data(directory: Path | None = None) -> EmotionData:
    """Load and validate emotions.yaml and emotion_words.yaml (from ``data/`` by default)."""
    directory = directory or vocab.active()
    f = "emotions.yaml"
    doc = _load(directory / f)
    prototypes: dict[str, tuple[str, int, str]] = {}
    for label, entry in (doc.get("prototypes") or {}).items():
        key = f"prototypes.{label}"
        if not (isinstance(entry, dict) and {"face", "valence", "tempo"} <= set(entry)):
            raise DataError(f, key, "expected {face, valence, tempo}")
        face = entry["face"] or ""
        try:
            facs.facs_vector(face)
        except ValueError as exc:
            raise DataError(f, f"{key}.face", str(exc)) from None
        if entry["valence"] not in (-1, 0, 1):
            raise DataError(f, f"{key}.valence", f"{entry['valence']!r} is not -1, 0 or 1")
        if entry["tempo"] not in _TEMPOS:
            raise DataError(f, f"{key}.tempo", f"{entry['tempo']!r} is not one of {', '.join(_TEMPOS)}")
        prototypes[str(label)] = (face, int(entry["valence"]), entry["tempo"])
    if not prototypes:
        raise DataError(f, "prototypes", "expected label -> {face, valence, tempo}")

    def known(label: Any, file: str, key: str) -> str:
        if label not in prototypes:
            raise DataError(file, key, f"unknown emotion {label!r} (not a prototype in emotions.yaml)")
        return str(label)

    compounds: dict[tuple[str, str], str] = {}
    for i, entry in enumerate(doc.get("compounds") or []):
        if not (isinstance(entry, list) and len(entry) == 3):
            raise DataError(f, f"compounds[{i}]", "expected [first, second, compound label]")
        a, b, c = (known(x, f, f"compounds[{i}]") for x in entry)
        compounds[(a, b)] = c
    cover = frozenset(known(x, f, "cover_labels") for x in _set(doc, "cover_labels", f))

    f = "emotion_words.yaml"
    doc = _load(directory / f)
    degrees.refuse_old(doc, f)  # diminishers and intensifiers: the one degree table
    words = doc.get("words")
    if not isinstance(words, dict):
        raise DataError(f, "words", "expected label -> words")
    for label, entries in words.items():
        known(label, f, f"words.{label}")
        for entry in str(entries).split():
            term, _, value = entry.partition(":")
            if not re.fullmatch(r"[a-z_]+", term):
                raise DataError(f, f"words.{label}", f"bad word {entry!r}: lower-case letters, '_' between words")
            if value and not (re.fullmatch(r"\d*\.?\d+", value) and 0.0 < float(value) <= 1.0):
                raise DataError(f, f"words.{label}", f"intensity of {term!r}: {value!r} not in (0, 1]")
    false_smile = doc.get("false_smile")
    if not isinstance(false_smile, dict):
        raise DataError(f, "false_smile", "expected qualifier -> covered feeling or null")
    for word, covered in false_smile.items():
        if covered is not None:
            known(covered, f, f"false_smile.{word}")
    emoji: dict[str, str] = {}
    for word, chars in (doc.get("emoji") or {}).items():
        for ch in chars:
            emoji[ch] = str(word)
    idioms = []
    for i, entry in enumerate(doc.get("idioms") or []):
        if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(x, str) for x in entry)):
            raise DataError(f, f"idioms[{i}]", "expected [regular expression, replacement]")
        try:
            re.compile(entry[0])
        except re.error as exc:
            raise DataError(f, f"idioms[{i}]", f"bad pattern: {exc}") from None
        idioms.append((entry[0], entry[1]))
    return EmotionData(
        prototypes=MappingProxyType(prototypes), compounds=MappingProxyType(compounds), cover_labels=cover,
        words=MappingProxyType({str(k): str(v) for k, v in words.items()}), display=_set(doc, "display", f),
        false_smile=MappingProxyType(dict(false_smile)), feign=_set(doc, "feign", f),
        inward=_set(doc, "inward", f), outward=_set(doc, "outward", f),
        diminish=degrees.column(degrees.DIMINISH, directory),
        intensify=degrees.column(degrees.INTENSIFY, directory),
        negations=facs.negation_table(directory)["emotion"], suppress=_set(doc, "suppress", f),
        soften_display=_set(doc, "soften_display", f), ambiguous=_set(doc, "ambiguous", f),
        function=_set(doc, "function", f), emoji=MappingProxyType(emoji), idioms=tuple(idioms))


def _build(directory: Path) -> EmotionData:
    return load_emotion_data(directory)


def emotion_data() -> EmotionData:
    """The active vocabulary's emotion data (``data/`` unless ``lexicon.using`` says otherwise), loaded once."""
    return vocab.table(_build)
