"""The numbers behind a keyframe's motion in time: pace and hold tiers, and the cyclic motions (nods, trembles, laughs).

The tables live in ``motion.yaml`` (next to this file), loaded once into frozen structures and validated at load
(every cycle channel is an ARKit channel, every number positive). No text is read here: a keyframe's
``data.Motion`` (filled by posing, stored in keyframes.json) names a cycle of this table and carries its own
seconds; ``timing.py``, ``timeline.py`` and ``cycles.py`` read only those numbers. The words that ask for motion
are read on the engine side (``backends/engine/manner.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from .channels import CHANNEL_INDEX
from .data import Cycle, Motion

__all__ = ["Cycle", "CycleSpec", "Motion", "MotionTables", "cycle_spec", "tables"]

_FILE = Path(__file__).with_name("motion.yaml")


@dataclass(frozen=True)
class CycleSpec:
    """One cyclic motion from the table: its rate, waveform, envelope decay and channel amplitudes."""

    name: str
    hz: float  # cycles per second at normal tempo
    wave: str  # 'sine' (both ways) or 'pulse' (one way, 0..1)
    decay: float  # envelope decay rate across the hold + transition (0: sustained until the fade)
    channels: tuple[tuple[int, float], ...]  # (channel index in order A, amplitude at normal degree)


@dataclass(frozen=True)
class MotionTables:
    """motion.yaml: tier seconds and cycle specs by name."""

    pace: Mapping[str, float]  # tier -> seconds of the transition
    hold: Mapping[str, float]  # tier -> seconds held
    cycles: Mapping[str, CycleSpec]  # name -> spec, in data order


def _number(value: object, where: str, *, low: float = 0.0) -> float:
    """A data number > ``low``; ValueError naming ``where`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > low:
        raise ValueError(f"{_FILE.name}: {where}: expected a number > {low}, got {value!r}")
    return float(value)


def _cycle(doc: dict, i: int) -> CycleSpec:
    """One validated cycles[i] entry."""
    where = f"cycles[{i}]"
    wave = doc.get("wave")
    if wave not in ("sine", "pulse"):
        raise ValueError(f"{_FILE.name}: {where}.wave: expected 'sine' or 'pulse', got {wave!r}")
    channels = doc.get("channels")
    if not isinstance(channels, dict) or not channels:
        raise ValueError(f"{_FILE.name}: {where}.channels: expected a mapping of channel -> amplitude")
    amps = []
    for name, amp in channels.items():
        if name not in CHANNEL_INDEX:
            raise ValueError(f"{_FILE.name}: {where}.channels: {name!r} is not an ARKit channel")
        if isinstance(amp, bool) or not isinstance(amp, (int, float)) or amp == 0 or abs(amp) > 1:
            raise ValueError(f"{_FILE.name}: {where}.channels.{name}: expected an amplitude in [-1, 1], not 0")
        amps.append((CHANNEL_INDEX[name], float(amp)))
    decay = doc.get("decay", 0.0)
    if isinstance(decay, bool) or not isinstance(decay, (int, float)) or decay < 0:
        raise ValueError(f"{_FILE.name}: {where}.decay: expected a number >= 0, got {decay!r}")
    return CycleSpec(name=str(doc.get("name")), hz=_number(doc.get("hz"), f"{where}.hz"), wave=wave,
                     decay=float(decay), channels=tuple(amps))


def _tiers(doc: object, where: str) -> dict[str, float]:
    """A {tier: seconds} mapping, validated."""
    if not isinstance(doc, dict) or not doc:
        raise ValueError(f"{_FILE.name}: {where}: expected a mapping of tier -> seconds")
    return {str(k): _number(v, f"{where}.{k}") for k, v in doc.items()}


@functools.cache
def tables(path: Path = _FILE) -> MotionTables:
    """The motion tables, loaded once and validated (channels exist, numbers are positive, names are unique)."""
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    cycles: dict[str, CycleSpec] = {}
    for i, entry in enumerate(doc["cycles"]):
        spec = _cycle(entry, i)
        if spec.name in cycles:
            raise ValueError(f"{_FILE.name}: cycles[{i}]: duplicate name {spec.name!r}")
        cycles[spec.name] = spec
    return MotionTables(pace=MappingProxyType(_tiers(doc["pace"], "pace")),
                        hold=MappingProxyType(_tiers(doc["hold"], "hold")), cycles=MappingProxyType(cycles))


def cycle_spec(name: str) -> CycleSpec:
    """The table's spec of cycle ``name``; KeyError for a name motion.yaml does not have."""
    return tables().cycles[name]
