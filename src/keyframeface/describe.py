"""The describer, the inverse of pose: 61 values -> English, from several perspectives.

Every phrasing lives in data: what each facial action is called (per region, with its release and held
forms, and the gaze) in the engine's shared phrase table ``backends/engine/data/phrases.yaml`` (the planner
reads the same rows), read through the engine's vocabulary (``lexicon.using`` swaps it); degree words,
expression nouns, thresholds, the FACS/emotion formats and the LLM prompt in ``describe.yaml``.

- ``describe`` / ``describe_sequence`` (perspective "channels"): every active action region by region,
  sides when they differ, and what relaxed since the previous keyframe said first (the engine carries
  unsaid actions over, and within one description the later words win).
- ``annotate(keys, "animator")`` (the default of ``keyframeface describe`` and of extracted keyframes):
  what an animator notes: a whole expression first when the face matches one of the engine's expression
  patterns or smile styles (sized on its one degree scale), then the few salient parts (both sides said
  once unless the face is asymmetric), nothing below the visible threshold, relative to what the engine
  reads from the notes so far (what relaxed, what changed, one part that holds: "while ... stay ...").
  Of the candidate notes (more or fewer parts; releases listed or "everything else relaxes"), the
  shortest one the engine reads back faithfully is said.
- ``annotate(keys, "facs")``: action units in FACS notation; ``annotate(keys, "emotion")``: the EMFACS
  emotion the face reads as, within the script's emotion.

The degree word of a phrase is the one with which the embedded engine reads the phrase back closest to
the value: each (phrase, degree word) is posed once per process and cached (``degree_word``), so the
wording follows whatever engine is installed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from .channels import CHANNEL_INDEX, CHANNELS, N_BLENDSHAPES, N_CHANNELS

if TYPE_CHECKING:
    from .backends.engine.phrases import PhraseTable

__all__ = ["ACTIONS", "ACTIVE", "DEGREES", "Action", "degree_word", "describe", "describe_sequence"]

ACTIVE = 0.1  # a blendshape (or radians of a pose value) at or above this is said
SIDE_TOLERANCE = 0.12  # a left/right pair closer than this is said once for both sides


@dataclass(frozen=True)
class Action:
    """One facial action: its channels (left, right; or one) and how it is said."""

    left: str  # channel name (the subject's left, or the only channel)
    right: str | None  # the mirrored channel, or None for a single channel
    both: str  # "the mouth corners pull up"
    one: str = ""  # "the {side} mouth corner pulls up" ({side}: left/right)
    release: str = ""  # "the mouth corners relax": said when the action has gone since the previous keyframe
    sign: float = 1.0  # for signed pose values: which sign this phrase is (+1 / -1)
    held: str = ""  # "the mouth corners stay up": said (sized) while the action holds since the previous keyframe


@lru_cache(maxsize=1)
def phrasings() -> dict:
    """The describer's data table (describe.yaml), loaded once."""
    import yaml

    return yaml.safe_load((Path(__file__).with_name("describe.yaml")).read_text(encoding="utf-8"))


def _vocab() -> ModuleType:
    """The engine's vocabulary loader (imported on first use: the engine is heavy to import). The first call
    registers ``_forget``, so what this module derived from the engine's words is emptied when they switch."""
    if not _ENGINE:
        from .backends.engine import vocab
        from .backends.engine.phrases import load_phrases

        vocab.on_switch(_forget)
        _ENGINE.extend((vocab, load_phrases))
    return _ENGINE[0]  # type: ignore[no-any-return]


_ENGINE: list[object] = []  # the engine's vocab module and phrase loader, once imported


def _forget() -> None:
    """Empty what was derived from the engine's vocabulary (posing, degree words, sized expressions, FACS)."""
    for memo in (_posed_tuple, _sized_expression, _au_patterns, degree_word, _levels):
        memo.cache_clear()


def _words() -> PhraseTable:
    """The engine's shared phrase table (phrases.yaml of the active vocabulary): actions, gaze, sides."""
    return _vocab().table(_ENGINE[1])  # type: ignore[no-any-return]


def _build_actions(directory: Path) -> tuple[tuple[str, tuple[Action, ...]], ...]:
    return tuple((region, tuple(Action(r.left or "", r.right, r.both, r.one, r.release, r.sign, r.held) for r in rows))
                 for region, rows in _words().regions)


def _actions() -> tuple[tuple[str, tuple[Action, ...]], ...]:
    """Every action the describer says, per region in order (phrases.yaml ``actions``, the rows with channels)."""
    return _vocab().table(_build_actions)  # type: ignore[no-any-return]


def _degrees() -> tuple[str, ...]:
    """``DEGREES``, the degree words said: the engine's degrees.yaml ``say`` column, weakest first ("" = plain)."""
    from .backends.engine import degrees

    if "degrees" in phrasings():
        raise degrees.DataError("describe.yaml", "degrees", "the degree words said are degrees.yaml's `say` column")
    return degrees.said()


def __getattr__(name: str) -> object:
    """ACTIONS and DEGREES are read when asked: they follow the engine's vocabulary (never kept from import time)."""
    if name == "ACTIONS":
        return _actions()
    if name == "DEGREES":
        return _degrees()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def describe(values: np.ndarray, previous: np.ndarray | None = None) -> str:
    """One description of a (61,) keyframe, region by region; ``previous`` adds what relaxed since it."""
    v = np.asarray(values, dtype=float).reshape(N_CHANNELS)
    p = None if previous is None else np.asarray(previous, dtype=float).reshape(N_CHANNELS)
    regions: list[str] = []
    released: list[str] = []  # said first: within a description the later words win, so a release never undoes
    words = _words()
    for region, actions in _actions():  # an action said after it
        said, gone = _gaze(v, p, words.gaze) if region == "gaze" else _clauses(actions, v, p, words.sides)
        released += [r for r in gone if r not in released]
        if said:
            regions.append(_join(said))
    if released:
        regions.insert(0, _join(released))
    if not regions:
        return phrasings()["neutral"]
    return " ".join(s[0].upper() + s[1:] + "." for s in regions)


def describe_sequence(keyframes: Sequence[np.ndarray]) -> list[str]:
    """Descriptions of consecutive keyframes; each says what relaxed since the one before."""
    out, previous = [], None
    for values in keyframes:
        out.append(describe(values, previous))
        previous = np.asarray(values, dtype=float)
    return out


def _clauses(actions: Sequence[Action], v: np.ndarray, p: np.ndarray | None,
             sides: Sequence[str]) -> tuple[list[str], list[str]]:
    """(what the actions do now, releases of actions that were active in ``p`` and are gone)."""
    said: list[str] = []
    released: list[str] = []
    for a in actions:
        left = v[CHANNEL_INDEX[a.left]] * a.sign
        right = v[CHANNEL_INDEX[a.right]] * a.sign if a.right else None
        if right is None:
            if left >= ACTIVE:
                said.append(_with_degree(a.both, a.left, left, a.sign))
        elif max(left, right) >= ACTIVE:
            if abs(left - right) < SIDE_TOLERANCE:
                said.append(_with_degree(a.both, a.left, (left + right) / 2))
            else:
                for side, x, channel in zip(sides, (left, right), (a.left, a.right)):
                    if x >= ACTIVE:
                        said.append(_with_degree(a.one.format(side=side), channel, x))
        if p is not None and a.release and max(left, right or 0.0) < ACTIVE:
            before = max(p[CHANNEL_INDEX[a.left]] * a.sign, p[CHANNEL_INDEX[a.right]] * a.sign if a.right else 0.0)
            if before >= ACTIVE and a.release not in released:
                released.append(a.release)
    return said, released


def _gaze(v: np.ndarray, p: np.ndarray | None, g: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    def amounts(x: np.ndarray) -> dict[str, float]:
        return {d: float(np.mean([x[CHANNEL_INDEX[c]] for c in chans])) for d, chans in g["directions"].items()}

    def axes(x: dict[str, float]) -> list[tuple[str, float]]:
        out = []
        for a, b in g["axes"]:
            net = x[a] - x[b]
            if abs(net) >= ACTIVE:
                out.append((a if net > 0 else b, abs(net)))
        return out

    parts = axes(amounts(v))
    before = {d for d, _ in axes(amounts(p))} if p is not None else set()
    gone = [g["release"]] if before - {d for d, _ in parts} else []  # a direction it left
    if not parts:
        return [], gone
    words = [degree_word(g["turn"].format(direction=d), g["directions"][d][0], round(x, 2)) for d, x in parts]
    if len(parts) == 2 and words[0] == words[1]:  # "the gaze turns down and to the left slightly"
        return [g["both"].format(first=parts[0][0], second=parts[1][0], degree=words[0]).rstrip()], gone
    return [f"{g['turn'].format(direction=d)} {w}".rstrip() for (d, _), w in zip(parts, words)], gone


def _with_degree(phrase: str, channel: str, value: float, sign: float = 1.0) -> str:
    word = degree_word(phrase, channel, round(float(value), 2), sign)
    return f"{phrase} {word}" if word else phrase


@lru_cache(maxsize=4096)
def degree_word(phrase: str, channel: str, value: float, sign: float = 1.0) -> str:
    """The degree word with which the engine reads ``phrase`` back closest to ``value`` on ``channel``."""
    levels = _levels(phrase, channel, sign)
    return min(levels, key=lambda w: abs(levels[w] - value))


@lru_cache(maxsize=512)
def _levels(phrase: str, channel: str, sign: float) -> dict[str, float]:
    """What the engine reads ``channel`` as for ``phrase`` with each degree word (posed once, cached)."""
    from .backends.engine.pose import pose_text

    c = CHANNEL_INDEX[channel]
    return {w: float(pose_text(f"{phrase} {w}".strip(), fallback=False).values[c]) * sign for w in _degrees()}


def _join(clauses: list[str]) -> str:
    return clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]


# ---------------------------------------------------------------- perspectives (issue 16): annotate()

PERSPECTIVES = ("animator", "channels", "facs", "emotion")


def annotate(keyframes: Sequence[np.ndarray], perspective: str = "animator", *, emotion: str = "") -> list[str]:
    """One text per keyframe from a perspective: animator (default), channels, facs, or emotion (in ``emotion``).

    animator: what an animator notes: the expression first, the few salient parts sized on the engine's
    degree scale, relative to the previous keyframe ("while the brows stay lowered"); channels: every
    active action region by region (``describe_sequence``); facs: action units with intensity letters;
    emotion: the EMFACS emotion the face reads as, within the script's emotion.
    """
    keys = [np.asarray(k, dtype=float).reshape(N_CHANNELS) for k in keyframes]
    if perspective == "channels":
        return describe_sequence(keys)
    if perspective == "animator":  # relative to what the engine reads from the notes so far (it carries unsaid
        from .backends.engine.pose import pose_text  # actions over), so each note says what a reader must change

        out, state = [], None
        for v in keys:
            out.append(animator(v, state))
            state = pose_text(out[-1], fallback=False, previous=state).values
        return out
    if perspective == "facs":
        return [facs_codes(v) for v in keys]
    if perspective == "emotion":
        return [emotion_reading(v, emotion) for v in keys]
    from .errors import InputError

    raise InputError(f"unknown perspective {perspective!r}: expected one of {', '.join(PERSPECTIVES)}",
                     field="--perspective")


def animator(values: np.ndarray, previous: np.ndarray | None = None) -> str:
    """The animator's note for one keyframe (see :func:`annotate`); ``previous`` makes it relative to that face.

    Candidate notes say 1..``parts`` parts (every part at ``salient`` or more always), with and without
    "everything else relaxes"; the shortest one the engine reads back (after ``previous``) at activation
    F1 >= ``faithful`` is said, else the most faithful one: as few words as the face needs, never fewer.
    """
    from .backends.engine.pose import pose_text

    cfg = phrasings()["animator"]
    v = np.asarray(values, dtype=float).reshape(N_CHANNELS)
    p = None if previous is None else np.asarray(previous, dtype=float).reshape(N_CHANNELS)
    notes = list(dict.fromkeys(_note(v, p, k, rest) for k in range(1, int(cfg["parts"]) + 1)
                               for rest in (True, False)))
    if len(notes) == 1:
        return notes[0]
    faith: dict[str, float] = {}
    for note in sorted(notes, key=lambda n: len(n.split())):  # shortest first: most keys stop early
        faith[note] = _f1(pose_text(note, fallback=False, previous=p).values, v)
        if faith[note] >= float(cfg["faithful"]):
            return note
    return max(faith, key=faith.__getitem__)


def _f1(posed: np.ndarray, key: np.ndarray) -> float:
    """Activation F1 of a posed note against the key (as ``evaluate.score``; not imported: it imports us)."""
    said, shown = np.abs(posed) >= ACTIVE, np.abs(key) >= ACTIVE
    both = float((said & shown).sum())
    return 1.0 if not said.any() and not shown.any() else 2 * both / float(said.sum() + shown.sum())


def _note(v: np.ndarray, p: np.ndarray | None, count: int, rest_allowed: bool) -> str:
    """One candidate note: the expression first (when one fits), then the ``count`` most salient parts, then
    one part that holds ("while the brows stay lowered"); what has gone since ``p`` relaxes first, all at once
    ("everything else relaxes", when allowed and two or more parts went: then the parts that hold are said
    again, as the engine relaxes all it was not told to keep)."""
    cfg = phrasings()["animator"]
    visible, change = float(cfg["visible"]), float(cfg["change"])
    expression = _expression(v)
    base = _posed(expression[1]) if expression else np.zeros(N_CHANNELS)
    parts, held = [], []
    for part in _parts(v):
        key, channel, value, _, _ = part
        if expression and value - base[CHANNEL_INDEX[channel]] * _sign_of(key) < change:
            continue  # the named expression already says it
        was = _part_value(p, key) if p is not None else 0.0
        (held if p is not None and was >= visible and abs(value - was) < change else parts).append(part)
    parts.sort(key=lambda x: -x[2])
    salient = sum(x[2] >= float(cfg["salient"]) for x in parts)  # what catches the eye is always said
    count = min(max(count, salient), int(cfg["parts"]))
    released = _released(v, p) if p is not None else []
    rest = rest_allowed and len(released) >= 2 and not expression  # the engine relaxes a named expression too
    said = []
    if expression and (rest or p is None or _expression(p) is None or _expression(p)[0] != expression[0]):
        said.append(expression[1])
    said += _phrases(parts[:count])
    held = [x for x in sorted(held, key=lambda x: -x[2]) if x[4]][: int(cfg["held"]) if rest else 1]
    keep = ", " + cfg["while"].format(held=_join([_with_degree(hold, channel, value, _sign_of(key))
                                                  for key, channel, value, _, hold in held])) if held else ""
    sentences = [cfg["rest"] if rest else _join(_grouped(released, cfg["relax"]))] if released else []
    if said:
        sentences.append(_join(said) + keep)
    elif rest:
        sentences[-1] += keep
    if not sentences:
        return phrasings()["neutral"] if p is None or not _parts(p) else phrasings()["still"]
    return " ".join(x[0].upper() + x[1:] + "." for x in sentences)


def _phrases(parts: list[tuple[str, str, float, str, str]]) -> list[str]:
    """The parts' phrases, sized; a gaze turning two ways is said once ("down and to the left slightly"), and
    so are two parts that have one phrase together ("the brows lift": describe.yaml ``together``)."""
    for rule in phrasings()["animator"]["together"]:
        pair = [x for x in parts if x[3] in rule["parts"]]
        if len(pair) == 2:
            strong = max(pair, key=lambda x: x[2])
            joined = (strong[0], strong[1], strong[2], rule["say"], strong[4])
            parts = [joined if x is pair[0] else x for x in parts if x is not pair[1]]
    g = _words().gaze
    gaze = sorted((x for x in parts if x[0].startswith("gaze ")), key=lambda x: x[0][5:] not in g["axes"][0])
    out = []
    for key, channel, value, phrase, _ in parts:
        if len(gaze) < 2 or not key.startswith("gaze "):
            out.append(_with_degree(phrase, channel, value, _sign_of(key)))
        elif not any(x.startswith(g["turn"].format(direction="")) for x in out):
            word = degree_word(gaze[0][3], gaze[0][1], round(float(max(gaze[0][2], gaze[1][2])), 2))
            out.append(g["both"].format(first=gaze[0][0][5:], second=gaze[1][0][5:], degree=word).rstrip())
    return out


def _released(v: np.ndarray, p: np.ndarray) -> list[str]:
    """Release phrases of the parts ``p`` showed (at least ``release``) that ``v`` no longer shows, grouped."""
    now = {key for key, *_ in _parts(v, ACTIVE)}
    out: list[str] = []
    for key, *_ in _parts(p, float(phrasings()["animator"]["release"])):
        release = _release(key)
        if key not in now and release and release not in out:
            out.append(release)
    return out


def facs_codes(values: np.ndarray) -> str:
    """The FACS perspective: 'FACS 1B+4A+L12C (inner brow raiser, brow lowerer, lip corner puller).'

    Greedy: the action unit (both sides, or one) that brings its movement nearest to what is left of the face,
    at the level all its main channels reach, is taken and subtracted, until none reaches ``min_level``.
    """
    from .backends.engine import facs

    cfg = phrasings()["facs"]
    floor = float(cfg["min_level"])
    rest = np.asarray(values, dtype=float).reshape(N_CHANNELS).copy()
    scale = facs.table().scale
    taken: list[tuple[int, str, str]] = []
    for _ in range(int(cfg.get("max", 8))):
        best = None
        for number, unit, side, gain in _au_patterns():
            main = np.abs(gain) >= 0.5 * np.abs(gain).max()
            level = float(np.min(rest[main] / gain[main]))
            left = rest - min(level, 1.0) * gain
            energy = float(rest @ rest - left @ left)  # how much nearer the face it gets (overshoot counts against)
            if level >= floor and (best is None or energy > best[0]):
                best = (energy, number, unit, side, gain, min(level, 1.0))
        if best is None:
            break
        _, number, unit, side, gain, level = best
        rest -= level * gain
        letter = min(scale, key=lambda x: abs(scale[x] - level))
        taken.append((number, f"{side}{number}{letter}", unit.name))
    if not taken:
        return cfg["none"]
    taken.sort()
    return cfg["format"].format(codes="+".join(c for _, c, _ in taken),
                                names=", ".join(dict.fromkeys(n for _, _, n in taken)))


@lru_cache(maxsize=1)
def _au_patterns() -> tuple:
    """(AU number, unit, side '', 'L' or 'R', (61,) channel gains at full movement) for every action unit."""
    from .backends.engine import facs

    out = []
    for number, unit in facs.table().units.items():
        sided = any(n.endswith("*") for n in unit.channels)
        for side in ("", "L", "R") if sided and not (unit.lateral or unit.unilateral) else ("",):
            gain = np.zeros(N_CHANNELS)
            for channel, g in facs.au_channels(number, 1.0, side).items():
                gain[CHANNEL_INDEX[channel]] += g
            if np.abs(gain).max() > 1e-6:
                out.append((number, unit, side, gain))
    return tuple(out)


def emotion_reading(values: np.ndarray, emotion: str = "") -> str:
    """The emotion perspective: the EMFACS emotion the face reads as (sized), within the script's emotion."""
    cfg = phrasings()["emotion"]
    v = np.asarray(values, dtype=float).reshape(N_CHANNELS)[:N_BLENDSHAPES]
    best, score, size = None, 0.0, ""
    for word, (label, pattern) in _templates(emotion=True).items():
        c = _cosine(v, pattern[:N_BLENDSHAPES])
        if c > score:
            best, score = label, c
            main = int(np.argmax(pattern[:N_BLENDSHAPES]))
            size = _size_of(v[main] / max(pattern[main], 1e-6) * 0.5)
    reading = f"{size} {best}".strip() if best and score >= float(cfg["match"]) else cfg["none"]
    context = cfg["context"].format(emotion=emotion.strip().rstrip(".")) if emotion.strip() else ""
    return cfg["format"].format(reading=reading, context=context)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b) / (na * nb) if na > 1e-9 and nb > 1e-9 else 0.0


def _size_of(level: float) -> str:
    """The size adjective nearest a share of full movement (the engine's degree scale)."""
    from .backends.engine import facs

    scale = facs.table().scale
    points = [scale["A"], 0.2, scale["B"], 0.4, scale["C"], 0.6, scale["D"], 0.85, scale["E"]]
    sizes = phrasings()["sizes"]
    return sizes[int(np.argmin([abs(level - x) for x in points]))]


def _templates(emotion: bool = False) -> dict[str, tuple[str, np.ndarray]]:
    """Expression word -> (label, (61,) pattern at the word's FACS levels) from the engine's expressions.yaml."""
    return _vocab().table(_build_templates, emotion)  # type: ignore[no-any-return]


def _build_templates(directory: Path, emotion: bool) -> dict[str, tuple[str, np.ndarray]]:
    from .backends.engine import facs

    data = _vocab().read("expressions.yaml", directory)
    rows = data["expressions"]

    def pattern(face: str) -> np.ndarray:  # "U12C" (one side, either) is matched as the subject's left
        return facs.facs_vector("+".join("L" + c[1:] if c.startswith("U") else c for c in face.split("+")))

    if emotion:
        return {w: (r["label"], pattern(r["face"])) for w, r in rows.items() if r.get("emotion")}
    said, styles = phrasings()["animator"]["expressions"], data[phrasings()["animator"]["styles"]]
    return {w: (said[w], pattern(rows[w]["face"] if w in rows else styles[w][0])) for w in said
            if w in rows or w in styles}


def _expression(v: np.ndarray | None) -> tuple[str, str] | None:
    """(engine word, sized phrase "a small smile") of the expression the face shows, or None."""
    if v is None:
        return None
    cfg = phrasings()["animator"]
    face = np.where(v[:N_BLENDSHAPES] >= float(cfg["visible"]), v[:N_BLENDSHAPES], 0.0)
    face[_NOT_EXPRESSION] = 0.0  # blinks and gaze come and go on their own: they do not make an expression
    best, score = None, float(cfg["match"])
    for word, (_, pattern) in _templates().items():
        c = _cosine(face, pattern[:N_BLENDSHAPES])
        if c >= score:
            best, score = word, c
    if best is None:
        return None
    pattern = _templates()[best][1][:N_BLENDSHAPES]
    main = int(np.argmax(pattern))
    return best, _sized_expression(best, CHANNELS[main], round(float(v[main]), 2))


_NOT_EXPRESSION = [CHANNEL_INDEX[c] for c in CHANNELS[:N_BLENDSHAPES] if c.startswith(("EyeBlink", "EyeLook"))]


@lru_cache(maxsize=4096)
def _sized_expression(word: str, channel: str, value: float) -> str:
    """The sized phrase whose engine pose reads ``channel`` closest to ``value``."""
    noun = _templates()[word][0]
    options = [_article(f"{size} {noun}" if size else noun) for size in phrasings()["sizes"]]
    return min(options, key=lambda o: abs(_posed(o)[CHANNEL_INDEX[channel]] - value))


def _article(phrase: str) -> str:
    return ("an " if phrase[0] in "aeiou" else "a ") + phrase


@lru_cache(maxsize=1024)
def _posed_tuple(text: str) -> tuple[float, ...]:
    from .backends.engine.pose import pose_text

    return tuple(float(x) for x in pose_text(text, fallback=False).values)


def _posed(text: str) -> np.ndarray:
    return np.array(_posed_tuple(text))


def _parts(v: np.ndarray, floor: float | None = None) -> list[tuple[str, str, float, str, str]]:
    """Salient parts (key, channel, value, phrase, held phrase) at or above ``floor`` (default: visible)."""
    cfg = phrasings()["animator"]
    floor = float(cfg["visible"]) if floor is None else floor
    sides = float(cfg["sides"])  # both sides said once unless they differ by this share of the stronger
    out = []
    words = _words()
    for _, actions in _actions():
        for a in actions:
            left = v[CHANNEL_INDEX[a.left]] * a.sign
            right = v[CHANNEL_INDEX[a.right]] * a.sign if a.right else None
            key = f"{a.left}{'-' if a.sign < 0 else '+'}"
            if right is None or abs(left - right) < max(SIDE_TOLERANCE, sides * max(left, right)):
                x = left if right is None else (left + right) / 2
                if x >= floor:
                    out.append((key, a.left, x, a.both, a.held))
            else:
                for side, x, channel in zip(words.sides, (left, right), (a.left, a.right)):
                    if x >= floor:
                        out.append((f"{channel}{'-' if a.sign < 0 else '+'}", channel, x,
                                    a.one.format(side=side), a.held))
    g = words.gaze
    opposites = {a: b for pair in g["axes"] for a, b in (pair, pair[::-1])}
    for direction, channels in g["directions"].items():
        x = float(np.mean([v[CHANNEL_INDEX[c]] for c in channels]))
        net = x - float(np.mean([v[CHANNEL_INDEX[c]] for c in g["directions"][opposites[direction]]]))
        if net >= floor:
            out.append((f"gaze {direction}", channels[0], net, g["turn"].format(direction=direction),
                        g["held"].format(direction=direction)))
    return out


def _part_value(p: np.ndarray, key: str) -> float:
    for k, _, x, _, _ in _parts(p, 0.0):
        if k == key:
            return x
    base = key.rstrip("+-")
    if base in CHANNEL_INDEX:  # a side that was said for both sides before
        return float(p[CHANNEL_INDEX[base]] * (-1 if key.endswith("-") else 1))
    return 0.0


def _grouped(releases: list[str], form: str) -> list[str]:
    """'the brows relax', 'the lips relax' -> 'the brows and lips relax' (other releases kept as they are)."""
    import re

    nouns, others = [], []
    for r in releases:
        m = re.fullmatch(r"the (.+?) relax(?:es)?", r)
        if m and m.group(1) not in nouns:
            nouns.append(m.group(1))
        elif not m:
            others.append(r)
    if len(nouns) < 2:
        return releases
    return [form.format(parts=_join(nouns))] + others


def _sign_of(key: str) -> float:
    return -1.0 if key.endswith("-") else 1.0


def _release(key: str) -> str:
    if key.startswith("gaze "):
        return str(_words().gaze["release"])
    channel, sign = key[:-1], _sign_of(key)
    for _, actions in _actions():
        for a in actions:
            if channel in (a.left, a.right) and a.sign == sign:
                return a.release
    return ""
