"""Outside wording -> plain verbal English, from ``data/wording.yaml``: nominal forms ("upward movement of the inner
brows"), documentation prepositions, copulas before a state ("turns sad"). One rewrite per grammatical form, so
every phrase of that form reads, not just the ones someone wrote down.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from . import vocab
from .vocab import DataError

__all__ = ["growth", "rewrite", "sizes"]

_FILE = Path(__file__).with_name("data") / "wording.yaml"


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation, longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _plain(phrase: str) -> str:
    """An idiom as a key: lower case, no spaces, hyphens or apostrophes ("stink-eye", "stink eye" -> "stinkeye")."""
    return re.sub(r"[\s'\u2019-]+", "", phrase.lower())


def _words(doc: dict, key: str) -> list[str]:
    """A validated list of words from the file."""
    value = doc.get(key)
    if not (isinstance(value, list) and value and all(isinstance(w, str) and w.strip() for w in value)):
        raise DataError(_FILE.name, key, f"expected a list of words, got {value!r}")
    return value


def _mapping(doc: dict, key: str) -> dict[str, str]:
    """A validated word -> words mapping from the file."""
    value = doc.get(key)
    if not (isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())):
        raise DataError(_FILE.name, key, "expected a mapping of words to words")
    return value


@vocab.cached
def _doc() -> dict:
    """wording.yaml of the active vocabulary, read once."""
    return vocab.read(_FILE.name)


@vocab.cached
def _rules(states: frozenset[str], nouns: frozenset[str] = frozenset()
           ) -> tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...]:
    """The rewrites, compiled once; ``states`` adds the lexicon's emotion words to the file's state words;
    ``nouns`` are the expression words a compound adjective may stand before ("a wide-eyed smile")."""
    doc = _doc()
    directions, nominals = _mapping(doc, "directions"), _mapping(doc, "nominals")
    rules: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = []
    for i, pair in enumerate(doc.get("shapes", [])):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise DataError(_FILE.name, f"shapes[{i}]", "expected [pattern, replacement]")
        try:
            rules.append((re.compile(r"\b" + pair[0] + r"\b"), pair[1]))
        except re.error as exc:
            raise DataError(_FILE.name, f"shapes[{i}]", f"bad pattern: {exc}") from None
    compounds = _mapping(doc, "compounds")
    if nouns:  # "a wide-eyed smile" -> "a smile with eyes wide": the part's state, not where the smile is
        rules.append((re.compile(rf"(?<![\w-])([a-z]+)-({_alternatives(compounds)}) ({_alternatives(nouns)})\b"),
                      lambda m: f"{m.group(3)} with {compounds[m.group(2)]} {m.group(1)}"))
    rules.append((re.compile(rf"(?<![\w-])([a-z]+)-({_alternatives(compounds)})\b"),
                  lambda m: f"{m.group(1)} {compounds[m.group(2)]}"))
    idioms = doc.get("idioms", {})
    if idioms:
        idioms = {_plain(k): v for k, v in _mapping(doc, "idioms").items()}
        rules.append((re.compile(r"\b(" + "|".join(
            sorted((r"[\s'-]*".join(map(re.escape, k.split())) for k in doc["idioms"]), key=len, reverse=True))
            + r")s?\b"),
            lambda m: " " + idioms[_plain(m.group(1))] + " "))
    dirs = _alternatives(directions)
    rules.append((re.compile(rf"\b(?:({dirs}) )?({_alternatives(nominals)}) (?:of|in) "),
                  lambda m: f" {nominals[m.group(2)]} {directions.get(m.group(1) or '', '')} "))
    rules.append((re.compile(rf"\b({dirs})\b"), lambda m: directions[m.group(1)]))
    rules.append((re.compile(rf"\b(?:{_alternatives(_words(doc, 'place_prepositions'))}) (?=(?:the|her|his|their|both|"
                             rf"each|its) (?:(?:left|right|upper|lower|inner|outer) )?(?:"
                             rf"{_alternatives(_words(doc, 'face_parts'))})\b)"), "at "))
    rules.append((re.compile(rf"\b(?:{_alternatives(_words(doc, 'copulas'))}) (?=(?:[a-z]+ly |a bit |a little |more )?"
                             rf"(?:{_alternatives(set(_words(doc, 'states')) | states)})\b)"), "looks "))
    return tuple(rules)


def rewrite(text: str, states: frozenset[str] = frozenset(), nouns: frozenset[str] = frozenset()) -> str:
    """``text`` (lower case) in the parser's plain verbal English; ``states``: extra words a copula may precede;
    ``nouns``: expression words ("smile") a compound adjective ("wide-eyed") may describe."""
    for pattern, replacement in _rules(states, nouns):
        text = pattern.sub(replacement, text)
    return text


@vocab.cached
def sizes() -> dict[str, str]:
    """Words that carry a size ("shoot", "flicker") -> the degree word they equal (validated by the lexicon user)."""
    doc = _doc()
    return _mapping(doc, "sizes")


@vocab.cached
def growth() -> tuple[str, ...]:
    """Verbs that make an expression grow when no face part is named ("the fear grows", "the anger escalates")."""
    doc = _doc()
    return tuple(_words(doc, "growth"))
