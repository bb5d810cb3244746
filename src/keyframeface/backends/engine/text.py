"""The engine's one text normaliser, stemmer and typo matcher, shared by the pose parser and the emotion reader.

* ``normalise``: lower case, accents folded, emoji as words, apostrophes dropped, hyphenated words joined
  ("light-hearted" -> "lighthearted"), spellings mapped, punctuation reduced to clause marks (``,`` ``;`` ``->``).
* ``stem``: a word's base form in a known vocabulary ("lifted" -> "lift", "raising" -> "raise", "nodded" -> "nod",
  "angrily" -> "angry", "sadder" -> "sad", "apologising" -> "apologize"), through irregular forms first.
* ``closest``: the one vocabulary word a typo stands for ("suprised" -> "surprised"): one edit (insert, delete,
  change, swap), two for words of 10+ letters; a slip rarely hits the first letter, so a match keeping it wins a tie;
  a typo that stays ambiguous matches nothing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping

from . import vocab

__all__ = ["closest", "edit_distance", "fold", "normalise", "stem", "us_spelling"]

_ACCENT_RE = re.compile(r"[\u0300-\u036f]")
_TOKEN_RE = re.compile(r"[a-z]+|[,;]|->|=>|\u2192")
_APOSTROPHE_RE = re.compile(r"['\u2019\u2018`]")
_HYPHEN_RE = re.compile(r"(?<=[a-z])-(?=[a-z])")



_FILE = "text.yaml"


@vocab.cached
def _inflections() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], Callable[[str], str]]:
    """text.yaml's stemmer tables: the suffixes (in order), the second suffixes, and the British -> American rewrite."""
    t, k = vocab.shaped(_FILE), vocab.keys(_FILE)
    tables = []
    for rows, key in ((t.suffixes, k.suffixes), (t.second_suffixes, k.second_suffixes), (t.british, k.british)):
        for i, pair in enumerate(rows):
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
                raise vocab.DataError(_FILE, f"{key}[{i}]", f"expected [from, to], got {pair!r}")
        tables.append(tuple((a, b) for a, b in rows))
    rewrites = tuple((re.compile(a), b) for a, b in tables[2])

    def american(word: str) -> str:
        for pattern, repl in rewrites:
            word = pattern.sub(repl, word)
        return word
    return tables[0], tables[1], american


def fold(text: str) -> str:
    """Lower case with accents folded ("Café" -> "cafe") and curly quotes straightened."""
    text = unicodedata.normalize("NFKD", text or "")
    return _ACCENT_RE.sub("", text).replace("\u2019", "'").replace("\u2018", "'").lower()


def normalise(text: str, emoji: Mapping[str, str] | None = None, spelling: Mapping[str, str] | None = None) -> str:
    """Text as single-spaced tokens: emoji as words, folded, no apostrophes, hyphens joined, spellings mapped."""
    if emoji and not (text or "").isascii():
        text = "".join(f" {emoji[c].strip()} " if c in emoji else c for c in text)
    text = _HYPHEN_RE.sub("", _APOSTROPHE_RE.sub("", fold(text)))
    tokens = _TOKEN_RE.findall(text)
    if spelling:
        tokens = [spelling.get(t, t) for t in tokens]
    return " ".join(tokens)


def us_spelling(word: str) -> str:
    """The American spelling of a British form ("colour" -> "color", "apologised" -> "apologized")."""
    return _inflections()[2](word)


def stem(word: str, known: Collection[str], irregular: Mapping[str, str] | None = None) -> str:
    """The base form of ``word`` that ``known`` holds (itself, an irregular form, or a stripped inflection).

    Returns ``word`` unchanged (after ``irregular``) when no form of it is known.
    """
    w = irregular.get(word, word) if irregular else word
    if w in known:
        return w
    suffixes, second, american = _inflections()
    us = american(w)
    variants = [w] if us == w else [w, us]
    for v in variants[1:]:
        if v in known:
            return v
    for v in variants:
        for s in _stems(v, suffixes):
            if s in known:
                return s
    for v in variants:  # one suffix more ("hopefully" -> "hopeful" -> "hope")
        for first in _stems(v, suffixes):
            for s in _stems(first, second):
                if s in known:
                    return s
    return w


def _stems(word: str, suffixes: Iterable[tuple[str, str]]) -> Iterable[str]:
    """Candidate stems of ``word`` (at least 2 letters of stem), with doubled consonants undone and e restored."""
    for suffix, repl in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            s = word[: -len(suffix)] + repl
            yield s
            if repl == "" and len(s) >= 3 and s[-1] == s[-2]:
                yield s[:-1]  # doubled consonant: "nodded" -> "nod"
            if repl == "":
                yield s + "e"  # dropped e: "raising" -> "raise"


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (insert, delete, change, swap of neighbours); ``limit + 1`` past limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def closest(word: str, vocabulary: frozenset[str]) -> str | None:
    """The one word of ``vocabulary`` that ``word`` is a typo of, else None (see the module docstring)."""
    if word in vocabulary:
        return word
    if len(word) > _longest(vocabulary) + 2:  # no typo of any word; and keeps this linear on a 10,000-letter run
        return None
    deletes, by_initial = _index(vocabulary)
    candidates = set(deletes.get(word, ()))
    for i in range(len(word)):
        candidates |= deletes.get(word[:i] + word[i + 1:], set())
    found = {c: edit_distance(word, c, 1) for c in candidates}
    if len(word) >= 10:  # long words may carry two slips; search words with the same first letter
        for c in by_initial.get(word[0], ()):
            if abs(len(c) - len(word)) <= 2 and c not in found:
                found[c] = edit_distance(word, c, 2)
    limit = 1 if len(word) < 10 else 2
    found = {c: d for c, d in found.items() if d <= limit}
    if not found:
        return None
    least = min(found.values())
    best = [c for c, d in found.items() if d == least]
    if len(best) > 1:  # slips rarely hit the first letter: "widden" -> "widen", not "hidden"
        best = [c for c in best if c[0] == word[0]]
    return best[0] if len(best) == 1 else None


@functools.lru_cache(maxsize=8)
def _longest(vocabulary: frozenset[str]) -> int:
    """Length of the longest word of ``vocabulary``."""
    return max(map(len, vocabulary), default=0)


@functools.lru_cache(maxsize=8)
def _index(vocabulary: frozenset[str]) -> tuple[dict[str, set[str]], dict[str, tuple[str, ...]]]:
    """Each word and its one-letter deletions -> the words (a symmetric-delete index), and words by first letter."""
    deletes: dict[str, set[str]] = {}
    initial: dict[str, list[str]] = {}
    for w in sorted(vocabulary):
        for key in {w} | {w[:i] + w[i + 1:] for i in range(len(w))}:
            deletes.setdefault(key, set()).add(w)
        initial.setdefault(w[:1], []).append(w)
    return deletes, {k: tuple(v) for k, v in initial.items()}
