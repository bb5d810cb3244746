"""Outside wording -> plain verbal English, from ``data/wording.yaml``: nominal forms ("upward movement of the inner
brows"), documentation prepositions, copulas before a state ("turns sad"). One rewrite per grammatical form, so
every phrase of that form reads, not just the ones someone wrote down.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from . import vocab
from .vocab import DataError

__all__ = ["growth", "rewrite", "sizes"]

_NAME = "wording.yaml"


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation, longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _plain(phrase: str) -> str:
    """An idiom as a key: lower case, no spaces, hyphens or apostrophes ("stink-eye", "stink eye" -> "stinkeye")."""
    return re.sub(r"[\s'\u2019-]+", "", phrase.lower())


@vocab.cached
def _doc() -> Any:
    """wording.yaml of the active vocabulary as attributes (``vocab.shaped``), its word -> words mappings checked."""
    doc, k = vocab.shaped(_NAME), vocab.keys(_NAME)
    for key in (k.directions, k.nominals, k.sizes, k.idioms, k.compounds):
        if not all(isinstance(a, str) and isinstance(b, str) for a, b in getattr(doc, key).items()):
            raise DataError(_NAME, key, "expected a mapping of words to words")
    for key in (k.nominal_links, k.place_prepositions, k.owners, k.part_sides, k.face_parts, k.copulas, k.hedges,
                k.states, k.growth):
        if not getattr(doc, key):
            raise DataError(_NAME, key, "expected a list of words, got []")
    return doc


def _either(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` in their order."""
    return "|".join(map(re.escape, words))


@vocab.cached
def _rules(states: frozenset[str], nouns: frozenset[str] = frozenset()
           ) -> tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...]:
    """The rewrites, compiled once; ``states`` adds the lexicon's emotion words to the file's state words;
    ``nouns`` are the expression words a compound adjective may stand before ("a wide-eyed smile")."""
    doc = _doc()
    directions, nominals, compounds = doc.directions, doc.nominals, doc.compounds
    rules: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = []
    for i, pair in enumerate(doc.shapes):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise DataError(_NAME, f"{vocab.keys(_NAME).shapes}[{i}]", "expected [pattern, replacement]")
        try:
            rules.append((re.compile(r"\b" + pair[0] + r"\b"), pair[1]))
        except re.error as exc:
            raise DataError(_NAME, f"{vocab.keys(_NAME).shapes}[{i}]", f"bad pattern: {exc}") from None
    if nouns:  # "a wide-eyed smile" -> "a smile with eyes wide": the part's state, not where the smile is
        rules.append((re.compile(rf"(?<![\w-])([a-z]+)-({_alternatives(compounds)}) ({_alternatives(nouns)})\b"),
                      lambda m: f"{m.group(3)} {doc.compound_word} {compounds[m.group(2)]} {m.group(1)}"))
    rules.append((re.compile(rf"(?<![\w-])([a-z]+)-({_alternatives(compounds)})\b"),
                  lambda m: f"{m.group(1)} {compounds[m.group(2)]}"))
    if doc.idioms:
        idioms = {_plain(k): v for k, v in doc.idioms.items()}
        rules.append((re.compile(r"\b(" + "|".join(
            sorted((r"[\s'-]*".join(map(re.escape, k.split())) for k in doc.idioms), key=len, reverse=True))
            + r")s?\b"),
            lambda m: " " + idioms[_plain(m.group(1))] + " "))
    dirs = _alternatives(directions)
    rules.append((re.compile(rf"\b(?:({dirs}) )?({_alternatives(nominals)}) (?:{_either(doc.nominal_links)}) "),
                  lambda m: f" {nominals[m.group(2)]} {directions.get(m.group(1) or '', '')} "))
    rules.append((re.compile(rf"\b({dirs})\b"), lambda m: directions[m.group(1)]))
    rules.append((re.compile(rf"\b(?:{_alternatives(doc.place_prepositions)}) (?=(?:{_either(doc.owners)}) "
                             rf"(?:(?:{_either(doc.part_sides)}) )?(?:{_alternatives(doc.face_parts)})\b)"),
                  doc.place_word + " "))
    hedges = "".join(re.escape(h + " ") + "|" for h in doc.hedges)  # "a bit ", "a little ", or an -ly adverb
    rules.append((re.compile(rf"\b(?:{_alternatives(doc.copulas)}) (?=(?:{hedges}[a-z]+ly )?"
                             rf"(?:{_alternatives(set(doc.states) | states)})\b)"), doc.copula_word + " "))
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
    return dict(_doc().sizes)


@vocab.cached
def growth() -> tuple[str, ...]:
    """Verbs that make an expression grow when no face part is named ("the fear grows", "the anger escalates")."""
    return tuple(_doc().growth)
