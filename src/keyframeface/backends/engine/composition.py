"""How actions combine and carry over, loaded from ``data/composition.yaml`` (see the comments there).

FACS is additive, so the pose engine composes actions channel by channel; this module only names the pairs of
channels that pull one part in opposite directions (antagonists) and the continuity constants.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping


from ...channels import CHANNEL_INDEX
from . import vocab
from .vocab import DataError

__all__ = ["Composition", "composition"]



@dataclass(frozen=True)
class Composition:
    """Antagonist channels (full names, sides paired) and how much a carried value keeps per keyframe."""

    antagonists: Mapping[str, frozenset[str]]
    carry_decay: float  # share a part the words no longer mention keeps per keyframe
    persist_decay: float  # share a part the words say stays keeps
    momentary: frozenset[str]  # verbs whose action is over by the next keyframe (not carried)
    recall: tuple[str, ...]  # words that bring back an earlier keyframe's value ("the smile returns")
    ends: Mapping[str, frozenset[str]]  # channel -> channels whose onset ends it across keyframes (not within one)
    returns: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (up, down) channel groups "back" returns to rest
    cycles_at_rest: frozenset[str]  # cycle names (motion.yaml) whose verbs pose nothing held
    released_with: Mapping[str, frozenset[str]]  # released channel -> carried channels it ends
    opposes: Mapping[str, frozenset[str]]  # expression key (expressions.yaml) -> carried channels it ends


_NAME = "composition.yaml"
_K = vocab.keys(_NAME)  # the file's keys, as schema.yaml names them


def _sided(base: str, where: str) -> list[str]:
    """'MouthSmile' -> its channels, ['MouthSmileLeft', 'MouthSmileRight'] or ['MouthPucker']."""
    names = [n for n in (base, base + "Left", base + "Right") if n in CHANNEL_INDEX]
    if not names:
        raise DataError(_NAME, where, f"{base!r} is not an ARKit channel base")
    return names


def composition(path: Path | None = None) -> Composition:
    """The composition rules of the active vocabulary (or of the file ``path``), validated at load."""
    if path is None:
        return vocab.table(_build)
    return _load(path)


def _build(directory: Path) -> Composition:
    return _load(directory / _NAME)


def _pairs(rows: tuple[Any, ...], key: str, wanted: str, ok: Callable[[list[Any]], bool] | None = None
           ) -> list[list[Any]]:
    """A list of pairs (``[a, b]``), each checked (``ok``); a bad one is named ``key[i]``."""
    for i, pair in enumerate(rows):
        if not (isinstance(pair, list) and len(pair) == 2 and (ok is None or ok(pair))):
            raise DataError(_NAME, f"{key}[{i}]", f"expected {wanted}, got {pair!r}")
    return list(rows)


def _load(path: Path) -> Composition:
    """composition.yaml, validated (every name a channel, decays in [0, 1])."""
    doc = vocab.shaped(_NAME, path)
    pairs: dict[str, set[str]] = {}
    for i, pair in enumerate(_pairs(doc.antagonists, _K.antagonists, "a pair of channel bases")):
        a, b = (_sided(p, f"{_K.antagonists}[{i}]") for p in pair)
        for x, y in ((a, b), (b, a)):
            for n in x:  # a sided channel opposes the same side of its rival; an unsided one opposes both
                side = "Left" if n.endswith("Left") else "Right" if n.endswith("Right") else ""
                pairs.setdefault(n, set()).update(m for m in y if not side or not m.endswith(
                    "Right" if side == "Left" else "Left"))
    ends: dict[str, set[str]] = {}
    for i, pair in enumerate(_pairs(doc.ends, _K.ends, "a pair of channel bases")):
        a, b = (_sided(p, f"{_K.ends}[{i}]") for p in pair)
        for x, y in ((a, b), (b, a)):
            for n in x:
                ends.setdefault(n, set()).update(y)
    returns = []
    for i, pair in enumerate(_pairs(doc.returns, _K.returns, "[[bases...], [bases...]]",
                                    lambda p: all(isinstance(g, list) for g in p))):
        returns.append(tuple(tuple(n for b in group for n in _sided(b, f"{_K.returns}[{i}]"))
                             for group in pair))
    if not all(w.isalpha() for w in doc.momentary):
        raise DataError(path.name, _K.momentary, f"expected a list of words, got {sorted(doc.momentary)!r}")
    released: dict[str, set[str]] = {}
    for i, pair in enumerate(_pairs(doc.released_with, _K.released_with, "[base, [bases...]]",
                                    lambda p: isinstance(p[1], list))):
        for n in _sided(pair[0], f"{_K.released_with}[{i}]"):
            released.setdefault(n, set()).update(m for b in pair[1]
                                                 for m in _sided(b, f"{_K.released_with}[{i}]"))
    opposes: dict[str, set[str]] = {}
    for i, row in enumerate(doc.opposes):
        ends_now = {m for b in row.ends for m in _sided(b, f"{_K.opposes}[{i}]")}
        for w in row.words:
            opposes.setdefault(str(w), set()).update(ends_now)
    return Composition(MappingProxyType({n: frozenset(v) for n, v in pairs.items()}), doc.carry_decay,
                       doc.persist_decay, frozenset(w.lower() for w in doc.momentary),
                       tuple(w.lower() for w in doc.recall),
                       ends=MappingProxyType({n: frozenset(v) for n, v in ends.items()}), returns=tuple(returns),
                       cycles_at_rest=doc.cycles_at_rest,
                       released_with=MappingProxyType({n: frozenset(v) for n, v in released.items()}),
                       opposes=MappingProxyType({w: frozenset(v) for w, v in opposes.items()}))
