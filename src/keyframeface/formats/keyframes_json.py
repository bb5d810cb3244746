"""keyframes.json: the posed keyframes with their words, timing and reasons, for people and tools.

Schema (version 2; version 1 files, without "motion", are still read)::

    {
      "format": "keyframeface.keyframes",
      "version": 2,
      "background": str, "emotion": str,
      "fps": number > 0, "seed": int,
      "planned_by": str,                 # what wrote the keyframe descriptions
      "keyframes": [                     # at least one
        {
          "index": int,                  # 0-based, equals the position
          "description": str,
          "time": number >= 0,           # seconds at which the pose is reached (increasing)
          "hold": number >= 0,           # seconds the pose is kept
          "duration": number >= 0,       # seconds of the transition into the next keyframe (0 for the last)
          "posed_by": str,               # backend that posed it
          "values": {name: number},      # all 61 channels, Live Link names, order A, within range
          "warnings": [str],
          "explanation": [{"channel": str, "value": number, "words": str, "rule": str, "kind": str}],
          "motion": {                    # its motion in time as numbers (version 2); the timeline reads only this
            "pace": number > 0 | null,   # seconds of the onset into this keyframe (null: default)
            "hold": number >= 0 | null,  # seconds held (null: default)
            "cycles": [{"name": str, "hz": number > 0, "scale": number > 0, "periods": int >= 1 | null}],
            "order": [[region, ...], ...],   # region groups in the order they move ([]: default lead/lag)
            "lockstep": bool,
            "region_pace": {region: number > 0}
          }
        }
      ],
      "extra": {...}                     # optional, free-form (written only when given)
    }

The reader checks all of it and raises InputError naming the field path
(``keyframes[2].values.JawOpen``, ``keyframes[0].motion.cycles[1].hz``); channel names may use any accepted
spelling. A version 1 file gets each keyframe's motion from the engine's manner reader over its description, once,
at reading (what posing would have stored); a version 2 file's motion is used as written, so editing a description
never changes the converted animation.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any, NoReturn

import numpy as np

from .._io import atomic_write_text
from .._limits import (
    MAX_FRAMES,
    MAX_JSON_BYTES,
    MAX_KEYFRAMES,
    as_finite,
    check_frames,
    check_text,
    loads_json,
    read_text_capped,
)
from ..channels import CHANNEL_INDEX, CHANNELS, HIGH, LOW, N_CHANNELS, canonical_name
from ..channels import REGIONS
from ..data import Contribution, ContributionKind, Cycle, Keyframe, KeyframeSpec, Motion, Script
from ..errors import InputError

__all__ = ["FORMAT", "VERSION", "motion_dict", "read_keyframes_json", "write_keyframes_json"]

FORMAT = "keyframeface.keyframes"
_KINDS = frozenset(k.value for k in ContributionKind)
VERSION = 2
_VERSIONS = (1, 2)
_MAX_CYCLES = 16


def write_keyframes_json(path: str | os.PathLike, script: Script, keyframes: Sequence[Keyframe],
                         key_times: Sequence[float], *, planned_by: str, extra: dict | None = None,
                         timing: Sequence[tuple[float, float]] | None = None) -> None:
    """Write ``keyframes`` and when they happen as keyframes.json, atomically.

    ``timing`` is the (hold, duration) per keyframe the timeline used; None means
    ``timing.choose_timing`` of the keyframes' specs (what ``build_timeline`` does by default).
    """
    if len(key_times) != len(keyframes):
        raise InputError(f"{len(key_times)} key times for {len(keyframes)} keyframes", field="key_times")
    if timing is None:
        from ..timing import choose_timing

        timing = choose_timing([k.spec for k in keyframes], [k.motion for k in keyframes])
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "background": script.background,
        "emotion": script.emotion,
        "fps": script.fps,
        "seed": script.seed,
        "planned_by": planned_by,
        "keyframes": [
            {
                "index": i,
                "description": k.spec.description,
                "time": float(t),
                "hold": float(hold),
                "duration": float(duration),
                "posed_by": k.backend,
                "values": {name: float(v) for name, v in zip(CHANNELS, k.values)},
                "warnings": list(k.warnings),
                "explanation": [
                    {"channel": c.channel, "value": float(c.value), "words": c.words, "rule": c.rule,
                     "kind": c.kind.value}
                    for c in k.explanation
                ],
                "motion": motion_dict(k.motion or Motion()),
            }
            for i, (k, t, (hold, duration)) in enumerate(zip(keyframes, key_times, timing))
        ],
    }
    if extra:
        doc["extra"] = extra
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if len(text.encode("utf-8")) > MAX_JSON_BYTES:  # never write a file the reader refuses
        raise InputError(f"{len(keyframes)} keyframes make a {len(text.encode('utf-8')) / 2**20:.1f} MiB "
                         f"keyframes.json; at most {MAX_JSON_BYTES >> 20} MiB: ask for fewer keys (--keys, --rate, "
                         "--max-error) or split the take into scripts (--max-keys)", path=os.fspath(path),
                         field="keyframes")
    atomic_write_text(path, text)


def read_keyframes_json(path: str | os.PathLike) -> tuple[Script, list[Keyframe], list[float]]:
    """Read keyframes.json back: (Script with the keyframe specs, posed Keyframes, key times in seconds)."""
    name = os.fspath(path)
    doc = loads_json(read_text_capped(path, MAX_JSON_BYTES, "keyframes.json"), path=name)
    r = _Reader(name)
    r.object(doc, "")
    if doc.get("format") != FORMAT:
        r.fail("format", f"expected {FORMAT!r}, got {doc.get('format')!r}")
    version = doc.get("version")
    if isinstance(version, bool) or version not in _VERSIONS:
        r.fail("version", f"unsupported version {_short(version)}; this reader knows {', '.join(map(str, _VERSIONS))}")
    fps = r.number(doc, "fps", "fps", positive=True)
    if not 1 <= fps <= 240:
        r.fail("fps", f"{fps:g} not in [1, 240]")
    seed = r.get(doc, "seed", "seed")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        r.fail("seed", f"expected an integer in [0, 2**63 - 1], got {_short(seed)}")
    items = r.get(doc, "keyframes", "keyframes")
    if not isinstance(items, list) or not items:
        r.fail("keyframes", "expected a non-empty list of keyframes")
    captured = _captured(doc)  # keys extracted from a take: as many as it needs (one per frame at most)
    limit = MAX_FRAMES if captured else MAX_KEYFRAMES
    if len(items) > limit:
        r.fail("keyframes", f"{len(items)} keyframes; at most {limit} are supported"
               + ("" if captured else " (extracted keys, extra.timeline.captured, may hold more)"))
    r.text(doc, "planned_by", "planned_by")
    keyframes, times = [], []
    for i, item in enumerate(items):
        keyframe, time = _keyframe(r, item, f"keyframes[{i}]", i, version)
        if times and time < times[-1]:
            r.fail(f"keyframes[{i}].time", f"{time} is before the previous keyframe's {times[-1]}")
        keyframes.append(keyframe)
        times.append(time)
    last = keyframes[-1].spec
    check_frames(times[-1] + (last.hold or 0.0) + sum((k.spec.hold or 0.0) + (k.spec.duration or 0.0)
                                                      for k in keyframes), fps, path=name)
    script = Script(background=r.text(doc, "background", "background"), emotion=r.text(doc, "emotion", "emotion"),
                    keyframes=tuple(k.spec for k in keyframes), fps=fps, seed=seed, source=name)
    return script, keyframes, times


def _captured(doc: dict) -> bool:
    """Whether keyframes.json says its keys were extracted from a take (``extra.timeline.captured``)."""
    extra = doc.get("extra")
    timeline = extra.get("timeline") if isinstance(extra, dict) else None
    return isinstance(timeline, dict) and timeline.get("captured") is True


def _keyframe(r: _Reader, item: Any, where: str, index: int, version: int) -> tuple[Keyframe, float]:
    """One keyframes[i] object -> (Keyframe, time); version 1 reads the motion from the description."""
    r.object(item, where)
    if r.get(item, "index", f"{where}.index") != index:
        r.fail(f"{where}.index", f"expected {index} (its position), got {item['index']!r}")
    spec = KeyframeSpec(description=r.text(item, "description", f"{where}.description"),
                        hold=r.seconds(item, "hold", f"{where}.hold"),
                        duration=r.seconds(item, "duration", f"{where}.duration"))
    values = _values(r, r.get(item, "values", f"{where}.values"), f"{where}.values")
    warnings = r.get(item, "warnings", f"{where}.warnings")
    if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
        r.fail(f"{where}.warnings", "expected a list of strings")
    for j, w in enumerate(warnings):
        r.checked(w, f"{where}.warnings[{j}]")
    reasons = r.get(item, "explanation", f"{where}.explanation")
    if not isinstance(reasons, list):
        r.fail(f"{where}.explanation", "expected a list")
    explanation = []
    for j, c in enumerate(reasons):
        at = f"{where}.explanation[{j}]"
        r.object(c, at)
        channel = canonical_name(r.text(c, "channel", f"{at}.channel"))
        if channel is None:
            r.fail(f"{at}.channel", f"{c['channel']!r} is not an ARKit channel")
        kind = c.get("kind", ContributionKind.ACTION.value)
        if not isinstance(kind, str) or kind not in _KINDS:
            r.fail(f"{at}.kind", f"{_short(kind)} is not one of {', '.join(sorted(_KINDS))}")
        explanation.append(Contribution(channel, r.number(c, "value", f"{at}.value", signed=True),
                                        r.text(c, "words", f"{at}.words"), r.text(c, "rule", f"{at}.rule"),
                                        ContributionKind(kind)))
    if version >= 2:
        motion = _motion(r, r.get(item, "motion", f"{where}.motion"), f"{where}.motion")
    else:
        from ..backends.engine.manner import read_manner  # a version 1 file: what posing would have stored

        motion = read_manner(spec.description)
    keyframe = Keyframe(spec=spec, values=values, backend=r.text(item, "posed_by", f"{where}.posed_by"),
                        explanation=tuple(explanation), warnings=tuple(warnings), motion=motion)
    time = r.number(item, "time", f"{where}.time")
    if time > 86400:
        r.fail(f"{where}.time", f"{time:g} s is more than a day")
    return keyframe, time


def motion_dict(m: Motion) -> dict[str, Any]:
    """A Motion as keyframes.json's "motion" object (also the web API's)."""
    return {"pace": m.pace, "hold": m.hold,
            "cycles": [{"name": c.name, "hz": c.hz, "scale": c.scale, "periods": c.periods} for c in m.cycles],
            "order": [list(g) for g in m.order], "lockstep": m.lockstep, "region_pace": dict(m.region_pace)}


def _motion(r: _Reader, raw: Any, where: str) -> Motion:
    """A "motion" object -> Motion; every number checked, cycles and regions known."""
    from ..motion import tables

    r.object(raw, where)
    unknown = set(raw) - {"pace", "hold", "cycles", "order", "lockstep", "region_pace"}
    if unknown:
        r.fail(f"{where}.{sorted(unknown)[0]}", "unknown field")

    def optional(key: str, positive: bool) -> float | None:
        if raw.get(key) is None:
            return None
        value = r.seconds(raw, key, f"{where}.{key}")
        if positive and value <= 0:
            r.fail(f"{where}.{key}", f"expected a number of seconds > 0, got {value!r}")
        return value

    cycles_raw = r.get(raw, "cycles", f"{where}.cycles")
    if not isinstance(cycles_raw, list) or len(cycles_raw) > _MAX_CYCLES:
        r.fail(f"{where}.cycles", f"expected a list of at most {_MAX_CYCLES} cycles")
    cycles = []
    for j, c in enumerate(cycles_raw):
        at = f"{where}.cycles[{j}]"
        r.object(c, at)
        name = r.text(c, "name", f"{at}.name")
        if name not in tables().cycles:
            r.fail(f"{at}.name", f"{_short(name)} is not one of {', '.join(tables().cycles)}")
        hz = r.number(c, "hz", f"{at}.hz", positive=True)
        scale = r.number(c, "scale", f"{at}.scale", positive=True)
        if hz > 30 or scale > 3:
            r.fail(f"{at}.hz" if hz > 30 else f"{at}.scale", "expected hz in (0, 30] and scale in (0, 3]")
        periods = c.get("periods")
        if periods is not None and (isinstance(periods, bool) or not isinstance(periods, int)
                                    or not 1 <= periods <= 1000):
            r.fail(f"{at}.periods", f"expected a whole number in [1, 1000] or null, got {_short(periods)}")
        cycles.append(Cycle(name, hz, scale, periods))
    order_raw = r.get(raw, "order", f"{where}.order")
    if not isinstance(order_raw, list) or not all(
            isinstance(g, list) and g and all(isinstance(x, str) and x in REGIONS for x in g) for g in order_raw):
        r.fail(f"{where}.order", f"expected a list of lists of regions ({', '.join(sorted(REGIONS))})")
    lockstep = r.get(raw, "lockstep", f"{where}.lockstep")
    if not isinstance(lockstep, bool):
        r.fail(f"{where}.lockstep", f"expected true or false, got {_short(lockstep)}")
    region_raw = r.get(raw, "region_pace", f"{where}.region_pace")
    r.object(region_raw, f"{where}.region_pace")
    region_pace = []
    for region in region_raw:
        if region not in REGIONS:
            r.fail(f"{where}.region_pace.{region}", f"not a region ({', '.join(sorted(REGIONS))})")
        seconds = r.seconds(region_raw, region, f"{where}.region_pace.{region}")
        if seconds <= 0:
            r.fail(f"{where}.region_pace.{region}", f"expected a number of seconds > 0, got {seconds!r}")
        region_pace.append((region, seconds))
    return Motion(pace=optional("pace", True), hold=optional("hold", False), cycles=tuple(cycles),
                  order=tuple(tuple(g) for g in order_raw), lockstep=lockstep,
                  region_pace=tuple(sorted(region_pace)))


def _values(r: _Reader, raw: Any, where: str) -> np.ndarray:
    """The {name: number} object -> (61,) order A; every channel present once and in range."""
    r.object(raw, where)
    values = np.full(N_CHANNELS, np.nan)
    for key, x in raw.items():
        channel = canonical_name(key)
        if channel is None:
            r.fail(f"{where}.{key}", "not an ARKit channel name")
        c = CHANNEL_INDEX[channel]
        if not np.isnan(values[c]):
            r.fail(f"{where}.{key}", f"channel {channel} is given twice")
        x = r.number(raw, key, f"{where}.{key}", signed=True)
        if not LOW[c] <= x <= HIGH[c]:
            r.fail(f"{where}.{key}", f"{x} not in [{LOW[c]:g}, {HIGH[c]:g}]")
        values[c] = x
    missing = np.flatnonzero(np.isnan(values))
    if missing.size:
        r.fail(f"{where}.{CHANNELS[missing[0]]}", f"missing ({missing.size} of {N_CHANNELS} channels missing)")
    return values


def _short(value: Any, limit: int = 60) -> str:
    """repr of ``value`` cut to ``limit`` characters (never a 5,000-digit integer in a message)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return f"an integer of more than {limit} digits"
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


class _Reader:
    """Typed field access that raises InputError naming the file and field path."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, field: str, message: str) -> NoReturn:
        raise InputError(message, path=self.path, field=field or None)

    def object(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            self.fail(where, f"expected a JSON object, got {type(value).__name__}")

    def get(self, obj: dict, key: str, where: str) -> Any:
        if key not in obj:
            self.fail(where, "missing")
        return obj[key]

    def text(self, obj: dict, key: str, where: str) -> str:
        value = self.get(obj, key, where)
        if not isinstance(value, str):
            self.fail(where, f"expected a string, got {_short(value)}")
        return self.checked(value, where)

    def checked(self, value: str, where: str) -> str:
        """``value`` if it is real text (no lone surrogates, not over the length limit)."""
        try:
            return check_text(value, where, limit=100_000)
        except InputError as exc:
            self.fail(where, exc.detail)

    def seconds(self, obj: dict, key: str, where: str) -> float:
        """A number of seconds in [0, 600] (what scripts allow for hold and duration)."""
        value = self.number(obj, key, where)
        if value > 600:
            self.fail(where, f"{value:g} s; at most 600")
        return value

    def number(self, obj: dict, key: str, where: str, *, positive: bool = False, signed: bool = False) -> float:
        value = self.get(obj, key, where)
        if as_finite(value) is None:
            self.fail(where, f"expected a finite number, got {_short(value)}")
        if positive and value <= 0:
            self.fail(where, f"expected a number > 0, got {value!r}")
        if not signed and value < 0:
            self.fail(where, f"expected a number >= 0, got {value!r}")
        return float(value)
