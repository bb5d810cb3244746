"""The facial-language knowledge the engine poses from, loaded once from the data files in ``data/``.

No vocabulary lives in this module: it loads, validates and exposes it under the names the parser uses. Where a new
word goes (see docs/engine.md):

  * text.yaml: SPELLING, PHRASES (multi-word phrases read as one token), IRREGULAR forms, EMOJI, SPLITTERS, FILLERS.
  * regions.yaml: REGION_WORDS (nouns for face parts), REGION_MODIFIERS / POSITION_WORDS ("inner", "lower").
  * motions.yaml: MOTION_WORDS (verbs and adjectives -> a canonical motion; None = generic, the motion comes from
    a direction word), MOTION_REGION, VERB_REGION, STATE_WORDS, DIRECTION_WORDS, GENERIC_DIRECTION, RESULT_WORDS.
  * degrees.yaml: DEGREE_WORDS (the `pose` column of its one degree table, degrees.py: FACS levels of facs.yaml,
    slightly = B, plain = C = PLAIN, strongly = D, fully = E), COMPARATIVE_LEVELS (its `comparative` column),
    INTENSIFIERS, COMPARATIVES, ONE_SIDED, VIEWER_WORDS, PERSIST_WORDS, SUPPRESSING.
  * negations.yaml: NEGATIONS (its `clause` column; the emotion reader reads its `emotion` column).
  * expressions.yaml: EXPRESSIONS (grin, wince, EMFACS emotion words; EMOTIONS = those that name an emotion),
    EXPRESSION_SYNONYMS, SMILE_STYLES ("a polite smile"), VISEMES.
  * rules.yaml: RULES, (region, motion) -> channel bundle and the label --explain shows.
  * facs.yaml (facs.py): AU_BUNDLES ("AU12"), FACS_NAMES ("lip corner puller"), MUSCLES ("zygomaticus major").

Every face in rules.yaml and expressions.yaml is written in FACS codes of the one table ("12C", "U2C+1B"), so typed
AUs, rules, expressions and emotion prototypes agree by construction. Validation at load names the file and key of a
bad entry: unknown channel or AU, a name citing AUs (labels derive them from the face), a region or motion that
reaches no channel.

Channel bundles name sided channels by their base ("MouthSmile" -> MouthSmileLeft/Right; "@" = one side, the side
the text names) and signed pose by the pseudo-channels GAZE_* / HEAD_* that the parser turns into values.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any


from ...channels import CHANNEL_INDEX
from . import degrees, facs, vocab
from .facs import ActionUnit, DataError
from .text import stem

__all__ = [
    "AU_BUNDLES",
    "COMPARATIVES",
    "COMPARATIVE_LEVELS",
    "DEFAULT_SIDE",
    "DEGREE_WORDS",
    "DIRECTION_WORDS",
    "EMOJI",
    "EMOTIONS",
    "EXPRESSIONS",
    "EXPRESSION_SYNONYMS",
    "FACS_NAMES",
    "FILLERS",
    "GENERIC_DIRECTION",
    "INTENSIFIERS",
    "IRREGULAR",
    "MOTION_REGION",
    "MOTION_WORDS",
    "MUSCLES",
    "NEGATIONS",
    "ONE_SIDED",
    "PERSIST_WORDS",
    "PHRASES",
    "PLAIN",
    "POSITION_WORDS",
    "REGION_MODIFIERS",
    "REGION_WORDS",
    "RESULT_WORDS",
    "RULES",
    "SMILE_STYLES",
    "SPELLING",
    "SPLITTERS",
    "STATE_WORDS",
    "SUPPRESSING",
    "VERB_REGION",
    "VIEWER_WORDS",
    "VISEMES",
    "DataError",
    "Vocabulary",
    "face_bundle",
    "lemma",
    "load_data",
    "load_tables",
    "on_bind",
    "using",
    "vocabulary",
]

DATA_DIR = vocab.DATA_DIR
DEFAULT_SIDE = "Left"  # an unspecified one-sided action ("smirks", "raises an eyebrow") uses the subject's left

Bundle = Mapping[str, float]
Rule = tuple[Bundle, str]
_HEAD_PSEUDO = {"HeadYaw": "HEAD_YAW", "HeadPitch": "HEAD_PITCH", "HeadRoll": "HEAD_ROLL"}
_PSEUDO = frozenset({"GAZE_UP", "GAZE_DOWN", "GAZE_LEFT", "GAZE_RIGHT", "HEAD_YAW", "HEAD_PITCH", "HEAD_ROLL",
                     "LATERAL:Jaw", "LATERAL:Mouth", "EyeLookIn"})
# a face term: (side, AU, level) of an AU code ("U12C"), or (channel, value) of a channel setting ("MouthClose=B")
_TERM_RE = re.compile(r"(U?)(\d+)([A-E]?)|([A-Za-z_:]+@?)=([A-E]|0)")


# --- loading -----------------------------------------------------------------------------------

def load_data(name: str, directory: Path | None = None) -> dict[str, Any]:
    """One YAML file of the vocabulary (the active directory by default) as a mapping (``vocab.read``)."""
    return vocab.read(name, directory)


def face_bundle(spec: str, where: tuple[str, str] = ("", "")) -> dict[str, float]:
    """A face in FACS codes ("1C+U2B+MouthClose=B") -> the parser's bundle at the plain level.

    ``U`` before an AU = one side, the side the text names (``@`` in a bundle); ``Name=<A-E|0>`` sets a channel no
    AU owns ("MouthClose=B", "LATERAL:Mouth=C", "EyeBlink=0" = released).
    """
    file, key = where
    out: dict[str, float] = {}
    for term in filter(None, (t.strip() for t in str(spec).split("+"))):
        m = _TERM_RE.fullmatch(term)
        if m is None:
            raise DataError(file, key, f"bad face term {term!r} in {spec!r}: expected an AU code ('12C', 'U2B') "
                                       "or 'Channel=<A-E|0>'")
        side, au, level, channel, value = m.groups()
        if au:
            unit = facs.table().units.get(int(au))
            if unit is None:
                raise DataError(file, key, f"unknown action unit AU{au} in {spec!r} (see facs.yaml)")
            part = _au_bundle(unit, level or unit.default_level, one_sided=side == "U")
        else:
            base = channel.rstrip("@")
            if not (base in _PSEUDO or base in CHANNEL_INDEX or base + "Left" in CHANNEL_INDEX):
                raise DataError(file, key, f"unknown channel {channel!r} in {spec!r} (see keyframeface.channels)")
            part = {channel: 0.0 if value == "0" else facs.level_value(value)}
        for name, value in part.items():
            out[name] = round(out.get(name, 0.0) + value, 4)
    if not out:
        raise DataError(file, key, "empty face")
    return out


def _au_bundle(unit: ActionUnit, level: str, one_sided: bool = False) -> dict[str, float]:
    """One AU at a level in bundle notation: "MouthSmile" both sides, "@" one side, GAZE_* / HEAD_* / LATERAL:."""
    amount = facs.level_value(level)
    if unit.gaze:
        return {f"GAZE_{unit.gaze.upper()}": amount}
    out: dict[str, float] = {}
    for name, gain in unit.channels.items():
        if name in _HEAD_PSEUDO:
            # one-sided head turn/tilt: magnitude only, its direction comes from the text
            key, gain = (_HEAD_PSEUDO[name] + "@", abs(gain)) if one_sided and name != "HeadPitch" else (
                _HEAD_PSEUDO[name], gain)
        elif name.endswith("*"):
            key = f"LATERAL:{name[:-1]}" if unit.lateral else name[:-1] + (
                "@" if unit.unilateral or one_sided else "")
        else:
            key = name
        out[key] = out.get(key, 0.0) + gain * amount
    return out


def _label(name: Any, spec: str, file: str, key: str) -> str:
    """The label --explain shows: the entry's name plus the AUs its face is made of, derived ('brow raise (AU1+2)').

    A name may not cite AUs itself: the face is the one source, so label and face cannot disagree.
    """
    if not (isinstance(name, str) and name.strip()):
        raise DataError(file, key, f"expected a name, got {name!r}")
    if re.search(r"\bAU\s*\d", name):
        raise DataError(file, key, f"name {name!r} cites AUs: they are derived from the face, leave them out")
    codes = sorted({(int(m[2]), m[1]) for m in map(_TERM_RE.fullmatch, str(spec).split("+")) if m is not None and m[2]})
    if not codes:
        return name
    aus = "AU" + "+".join(f"{side}{n}" for n, side in codes)
    return f"{name[:-1]}; {aus})" if name.endswith(")") else f"{name} ({aus})"


def _level(value: Any, file: str, key: str) -> float:
    """A degree level: a FACS letter A-E or a number in (0, 1]."""
    if isinstance(value, str) and value in facs.LEVEL_LETTERS:
        return facs.level_value(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0.0 < value <= 1.0:
        return float(value)
    raise DataError(file, key, f"level {value!r}: expected A-E or a number in (0, 1]")


def _frozen(d: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """A read-only view (the tables are shared by every stage)."""
    return MappingProxyType(dict(d))


# --- the tables ------------------------------------------------------------------------------------

def _build_tables(directory: Path) -> dict[str, Any]:
    """Every lexicon table by name, loaded from the data files of ``directory`` and validated."""
    t: dict[str, Any] = {}

    def shaped(name: str) -> Any:  # a file of ``directory`` as attributes, and its keys' names (schema.yaml)
        return vocab.shaped(name, directory / name), vocab.keys(name)

    f = "text.yaml"
    doc, k = shaped(f)
    t["SPELLING"] = dict(doc.spelling)
    phrases = dict(doc.phrases)
    for w in doc.drop:
        if w in phrases:
            raise DataError(f, k.drop, f"{w!r} is also a phrase")
        phrases[w] = ""
    t["PHRASES"] = phrases
    t["IRREGULAR"] = dict(doc.irregular)
    t["EMOJI"] = {ch: f" {word} " for ch, word in doc.emoji.items()}
    t["SPLITTERS"] = doc.splitters
    t["FILLERS"] = doc.fillers

    f = "regions.yaml"
    doc, k = shaped(f)
    t["REGION_WORDS"] = dict(doc.words)
    modifiers: dict[tuple[str, str], str] = {}
    for mod, refined in doc.modifiers.items():
        if not isinstance(refined, dict):
            raise DataError(f, f"{k.modifiers}.{mod}", "expected {region: refined region}")
        for region, new in refined.items():
            modifiers[(str(mod), str(region))] = str(new)
    t["REGION_MODIFIERS"] = modifiers

    f = "motions.yaml"
    doc, k = shaped(f)
    motions = dict(doc.words)
    for w in doc.generic:
        if w in motions:
            raise DataError(f, k.generic, f"{w!r} is also listed under {motions[w]!r}")
        motions[w] = None
    t["MOTION_WORDS"] = motions
    t["MOTION_REGION"] = dict(doc.default_region)
    verb_region: dict[str, tuple[str | None, str | None]] = {}
    for verb, pair in doc.verb_region.items():
        if not (isinstance(pair, list) and len(pair) == 2):
            raise DataError(f, f"{k.verb_region}.{verb}", "expected [region or null, motion or null]")
        verb_region[verb] = (pair[0], pair[1])
    t["VERB_REGION"] = verb_region
    t["STATE_WORDS"] = {(str(r), str(a)): str(m) for r, adjs in doc.states.items() for a, m in adjs.items()}
    t["DIRECTION_WORDS"] = dict(doc.directions)
    t["GENERIC_DIRECTION"] = dict(doc.generic_direction)
    t["RESULT_WORDS"] = dict(doc.results)
    parser_motions, composite = doc.parser_motions, doc.composite_motions

    f = "degrees.yaml"
    doc, k = shaped(f)
    t["DEGREE_WORDS"] = dict(degrees.column(degrees.POSE, directory))  # the one degree table (degrees.py)
    t["INTENSIFIERS"] = doc.intensifiers
    t["COMPARATIVES"] = doc.comparatives
    comparative_levels = dict(degrees.column(degrees.COMPARATIVE, directory))
    comparative_levels[""] = _level(doc.comparative_bare, f, k.comparative_bare)
    t["COMPARATIVE_LEVELS"] = comparative_levels
    for w, share in doc.one_sided.items():
        if not (isinstance(share, (int, float)) and 0.0 <= share < 1.0):
            raise DataError(f, f"{k.one_sided}.{w}", f"share {share!r} not in [0, 1)")
    t["ONE_SIDED"] = {w: float(s) for w, s in doc.one_sided.items()}
    t["VIEWER_WORDS"] = doc.viewer
    t["NEGATIONS"] = facs.negation_table(directory)[facs.CLAUSE]  # negations.yaml's clause column
    t["PERSIST_WORDS"] = doc.persist
    t["SUPPRESSING"] = doc.suppressing

    f = "rules.yaml"
    rules: dict[tuple[str, str], Rule] = {}
    for region, motions_of in load_data(f, directory).items():
        if not isinstance(motions_of, dict):
            raise DataError(f, str(region), "expected {motion: [face, label]}")
        for motion, entry in motions_of.items():
            key = f"{region}.{motion}"
            if not (isinstance(entry, list) and len(entry) == 2):
                raise DataError(f, key, "expected [face in FACS codes, label]")
            face = _frozen(face_bundle(entry[0], (f, key)))
            rules[(str(region), str(motion))] = (face, _label(entry[1], entry[0], f, key))
    t["RULES"] = rules

    f = "expressions.yaml"
    doc, k = shaped(f)
    expressions: dict[str, tuple[str | None, Bundle, str]] = {}
    for word, entry in doc.expressions.items():
        key = f"{k.expressions}.{word}"
        expressions[word] = (entry.motion, _frozen(face_bundle(entry.face, (f, key))),
                             _label(entry.label, entry.face, f, key))
    t["EXPRESSIONS"] = expressions
    t["EMOTIONS"] = frozenset(word for word, entry in doc.expressions.items() if entry.emotion)
    for w, target in doc.synonyms.items():
        if target not in expressions:
            raise DataError(f, f"{k.synonyms}.{target}", f"{target!r} is not an expression")
    t["EXPRESSION_SYNONYMS"] = dict(doc.synonyms)
    for section, key_of, name in ((doc.smile_styles, k.smile_styles, "SMILE_STYLES"),
                                  (doc.visemes, k.visemes, "VISEMES")):
        table: dict[str, Rule] = {}
        for word, entry in section.items():
            key = f"{key_of}.{word}"
            if not (isinstance(entry, list) and len(entry) == 2):
                raise DataError(f, key, "expected [face in FACS codes, label]")
            table[str(word)] = (_frozen(face_bundle(entry[0], (f, key))), _label(entry[1], entry[0], f, key))
        t[name] = table

    _check_reach(t, parser_motions, composite)
    return t


def _check_reach(t: dict[str, Any], parser_motions: frozenset[str], composite: frozenset[str]) -> None:
    """Every region and motion the words name reaches a channel (a rule, or the parser's own gaze/release code)."""
    rule_regions = {r for r, _ in t["RULES"]}
    rule_motions = {m for _, m in t["RULES"]}
    regions, motions, expressions = "regions.yaml", "motions.yaml", "expressions.yaml"
    rk, mk, ek = vocab.keys(regions), vocab.keys(motions), vocab.keys(expressions)
    named_regions: list[tuple[str, str, Iterable[str]]] = [
        (regions, rk.words, t["REGION_WORDS"].values()),
        (regions, rk.modifiers, t["REGION_MODIFIERS"].values()),
        (motions, mk.default_region, (r for r in t["MOTION_REGION"].values() if r)),
        (motions, mk.verb_region, (r for r, _ in t["VERB_REGION"].values() if r)),
        (motions, mk.states, (r for r, _ in t["STATE_WORDS"])),
    ]
    for file, key, named in named_regions:
        for region in named:
            if region not in rule_regions:
                raise DataError(file, key, f"region {region!r} has no rule in rules.yaml: it reaches no channel")
    reachable = rule_motions | parser_motions
    named_motions: list[tuple[str, str, Iterable[str]]] = [
        (motions, mk.words, (m for m in t["MOTION_WORDS"].values() if m)),
        (motions, mk.default_region, t["MOTION_REGION"]),
        (motions, mk.verb_region, (m for _, m in t["VERB_REGION"].values() if m)),
        (motions, mk.states, t["STATE_WORDS"].values()),
        (motions, mk.generic_direction, t["GENERIC_DIRECTION"].values()),
        (motions, mk.results, t["RESULT_WORDS"].values()),
        (expressions, ek.expressions, (e[0] for e in t["EXPRESSIONS"].values() if e[0])),
    ]
    produced: set[str] = set(composite)
    for file, key, named in named_motions:
        for motion in named:
            produced.add(motion)
            if motion not in reachable and motion not in composite:
                raise DataError(file, key, f"motion {motion!r} has no rule in rules.yaml: it reaches no channel")
    for region, motion in t["RULES"]:
        if motion not in produced:
            raise DataError("rules.yaml", f"{region}.{motion}", f"no word produces the motion {motion!r}")


class Vocabulary:
    """The lexicon's tables loaded from one data directory, by the names the parser reads (``SPELLING``, ``RULES``).

    Built for the active directory (``vocab.active()``): other data files read there too (FACS levels, negations).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        t = _build_tables(directory)
        self.names: dict[str, Any] = {k: _frozen(v) if isinstance(v, dict) else v for k, v in t.items()}
        self.names["POSITION_WORDS"] = frozenset(m for m, _ in self.names["REGION_MODIFIERS"])
        self.names["PLAIN"] = facs.level_value("C")
        units = facs.table().units
        self.names["AU_BUNDLES"] = _frozen({n: (_frozen(_au_bundle(u, u.default_level)), u.label)
                                            for n, u in units.items()})
        self.names["FACS_NAMES"] = facs.table().names()
        self.names["MUSCLES"] = facs.table().muscles()


def _resolve(directory: Path | str | None) -> Path:
    return vocab.DATA_DIR if directory is None else Path(directory).resolve()


def vocabulary(directory: Path | str | None = None) -> Vocabulary:
    """The vocabulary of ``directory`` (the active one, ``data/`` by default), loaded and validated once."""
    if directory is None or _resolve(directory) == vocab.active():
        return vocab.table(Vocabulary)
    with using(directory) as chosen:
        return chosen


def load_tables(directory: Path | str | None = None) -> dict[str, Any]:
    """Every lexicon table by name, loaded from ``directory`` (``data/`` by default) and validated; cached."""
    return dict(vocabulary(directory).names)


_LOCK = threading.RLock()


def on_bind(hook: Callable[[], None]) -> Callable[[], None]:
    """Register (and run) a module's hook that derives its constants from the bound tables (a regex of phrases)."""
    return vocab.on_switch(hook)


def _bind() -> None:
    """Bind the active directory's tables to this module's names (the parser reads them as ``lx.SPELLING``)."""
    globals().update(vocab.table(Vocabulary).names)


@contextmanager
def using(vocabulary_or_dir: Vocabulary | Path | str | None) -> Iterator[Vocabulary]:
    """Pose and plan with another vocabulary inside the block (a copy of ``data/`` with new words), then restore;
    None keeps the active one.

    The whole vocabulary swaps: every data file is read from that directory (lexicon, frames, composition, wording,
    manner, FACS, emotions, scenes). Process-wide while the block runs: a lock serialises swaps, but posing elsewhere
    at the same time sees it.
    """
    if vocabulary_or_dir is None:  # whatever is active (an outer block's, else the package's): nothing to swap
        yield vocab.table(Vocabulary)
        return
    directory = (vocabulary_or_dir.directory if isinstance(vocabulary_or_dir, Vocabulary)
                 else _resolve(vocabulary_or_dir))
    if directory == vocab.active():  # already active: nothing to swap, no lock
        yield vocab.table(Vocabulary)
        return
    with _LOCK:
        previous = vocab.active()
        vocab.switch(directory)
        try:
            yield vocab.table(Vocabulary)
        finally:
            vocab.switch(previous)


vocab.on_switch(_bind)  # first hook: every module's hook after it reads the new tables
# The names the parser reads, bound by ``_bind`` (listed for readers and type checkers).
SPELLING: Mapping[str, str]
PHRASES: Mapping[str, str]
IRREGULAR: Mapping[str, str]
EMOJI: Mapping[str, str]
SPLITTERS: frozenset[str]
FILLERS: frozenset[str]
REGION_WORDS: Mapping[str, str]
REGION_MODIFIERS: Mapping[tuple[str, str], str]
POSITION_WORDS: frozenset[str]
MOTION_WORDS: Mapping[str, str | None]
MOTION_REGION: Mapping[str, str | None]
VERB_REGION: Mapping[str, tuple[str | None, str | None]]
STATE_WORDS: Mapping[tuple[str, str], str]
DIRECTION_WORDS: Mapping[str, str]
GENERIC_DIRECTION: Mapping[str, str]
RESULT_WORDS: Mapping[str, str]
DEGREE_WORDS: Mapping[str, float]
INTENSIFIERS: frozenset[str]
COMPARATIVES: frozenset[str]
COMPARATIVE_LEVELS: Mapping[str, float]
ONE_SIDED: Mapping[str, float]
VIEWER_WORDS: frozenset[str]
NEGATIONS: frozenset[str]
PERSIST_WORDS: frozenset[str]
SUPPRESSING: tuple[str, ...]
RULES: Mapping[tuple[str, str], Rule]
EXPRESSIONS: Mapping[str, tuple[str | None, Bundle, str]]
EMOTIONS: frozenset[str]
EXPRESSION_SYNONYMS: Mapping[str, str]
SMILE_STYLES: Mapping[str, Rule]
VISEMES: Mapping[str, Rule]

AU_BUNDLES: Mapping[int, Rule]  # FACS action-unit bundles ("AU12"), from the one FACS table
FACS_NAMES: Mapping[str, int]  # FACS names ("lip corner puller") -> AU
MUSCLES: Mapping[str, tuple[int, ...]]  # muscles ("zygomaticus major") -> AUs
PLAIN: float  # value of an unqualified action ("the brows lift"): FACS C, marked


def lemma(word: str, known: frozenset[str] | set[str]) -> str:
    """Base form of ``word`` if it is a known word or an inflection of one (through IRREGULAR), else the word.

    The one stemmer, ``text.stem``: "lifted" -> "lift", "raising" -> "raise", "knitted" -> "knit".
    """
    return stem(word, known, IRREGULAR)
