"""How actions combine and carry over, loaded from ``data/composition.yaml`` (see the comments there).

FACS is additive, so the pose engine composes actions channel by channel; this module only names the pairs of
channels that pull one part in opposite directions (antagonists) and the continuity constants.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping


from ...channels import CHANNEL_INDEX
from . import vocab
from .vocab import DataError

__all__ = ["Composition", "composition"]

_FILE = Path(__file__).with_name("data") / "composition.yaml"


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


def _sided(base: str, where: str) -> list[str]:
    """'MouthSmile' -> its channels, ['MouthSmileLeft', 'MouthSmileRight'] or ['MouthPucker']."""
    names = [n for n in (base, base + "Left", base + "Right") if n in CHANNEL_INDEX]
    if not names:
        raise DataError(_FILE.name, where, f"{base!r} is not an ARKit channel base")
    return names


def composition(path: Path | None = None) -> Composition:
    """The composition rules of the active vocabulary (or of the file ``path``), validated at load."""
    if path is None:
        return vocab.table(_build)
    return _load(path)


def _build(directory: Path) -> Composition:
    return _load(directory / _FILE.name)


def _load(path: Path) -> Composition:
    """composition.yaml, validated (every name a channel, decays in [0, 1])."""
    doc = vocab.read(path.name, path.parent)
    pairs: dict[str, set[str]] = {}
    for i, pair in enumerate(doc["antagonists"]):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise DataError(path.name, f"antagonists[{i}]", f"expected a pair of channel bases, got {pair!r}")
        a, b = (_sided(p, f"antagonists[{i}]") for p in pair)
        for x, y in ((a, b), (b, a)):
            for n in x:  # a sided channel opposes the same side of its rival; an unsided one opposes both
                side = "Left" if n.endswith("Left") else "Right" if n.endswith("Right") else ""
                pairs.setdefault(n, set()).update(m for m in y if not side or not m.endswith(
                    "Right" if side == "Left" else "Left"))
    ends: dict[str, set[str]] = {}
    for i, pair in enumerate(doc.get("ends", [])):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise DataError(path.name, f"ends[{i}]", f"expected a pair of channel bases, got {pair!r}")
        a, b = (_sided(p, f"ends[{i}]") for p in pair)
        for x, y in ((a, b), (b, a)):
            for n in x:
                ends.setdefault(n, set()).update(y)
    returns = []
    for i, pair in enumerate(doc.get("returns", [])):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(g, list) for g in pair)):
            raise DataError(path.name, f"returns[{i}]", f"expected [[bases...], [bases...]], got {pair!r}")
        returns.append(tuple(tuple(n for b in group for n in _sided(b, f"returns[{i}]")) for group in pair))
    decays = {}
    for key in ("carry_decay", "persist_decay"):
        value = doc.get(key)
        if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise DataError(path.name, key, f"expected a number in [0, 1], got {value!r}")
        decays[key] = float(value)
    momentary = doc.get("momentary")
    if not (isinstance(momentary, list) and all(isinstance(w, str) and w.isalpha() for w in momentary)):
        raise DataError(path.name, "momentary", f"expected a list of words, got {momentary!r}")
    recall = doc.get("recall")
    if not (isinstance(recall, list) and all(isinstance(w, str) and w.strip() for w in recall)):
        raise DataError(path.name, "recall", f"expected a list of words, got {recall!r}")
    released: dict[str, set[str]] = {}
    for i, pair in enumerate(doc.get("released_with", [])):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], list)):
            raise DataError(path.name, f"released_with[{i}]", f"expected [base, [bases...]], got {pair!r}")
        for n in _sided(pair[0], f"released_with[{i}]"):
            released.setdefault(n, set()).update(m for b in pair[1] for m in _sided(b, f"released_with[{i}]"))
    opposes: dict[str, set[str]] = {}
    for i, row in enumerate(doc.get("opposes", [])):
        if not (isinstance(row, dict) and isinstance(row.get("words"), list) and isinstance(row.get("ends"), list)):
            raise DataError(path.name, f"opposes[{i}]", f"expected {{words: [...], ends: [...]}}, got {row!r}")
        ends_now = {m for b in row["ends"] for m in _sided(b, f"opposes[{i}]")}
        for w in row["words"]:
            opposes.setdefault(str(w), set()).update(ends_now)
    return Composition(MappingProxyType({n: frozenset(v) for n, v in pairs.items()}), **decays,
                       momentary=frozenset(w.lower() for w in momentary), recall=tuple(w.lower() for w in recall),
                       ends=MappingProxyType({n: frozenset(v) for n, v in ends.items()}), returns=tuple(returns),
                       cycles_at_rest=frozenset(doc.get("cycles_at_rest") or ()),
                       released_with=MappingProxyType({n: frozenset(v) for n, v in released.items()}),
                       opposes=MappingProxyType({w: frozenset(v) for w, v in opposes.items()}))
