"""The engine's vocabulary directory, and the one loader every data file goes through.

Every module that reads a file of ``data/`` asks ``table(build)`` for it: ``build(directory)`` parses and validates
the files it needs from the *active* directory, and the result is kept per directory. ``cached`` is the cache for
anything derived from those tables (a compiled regex of phrases, a memo of read clauses); ``switch(directory)``
(``lexicon.using``) makes another directory active and empties every such cache, so a copy of ``data/`` with other
words swaps the whole vocabulary — lexicon, frames, composition, wording, manner, FACS, emotions and scenes alike.

Errors are ``DataError`` (an ``InputError`` of the project's error tree) naming the file and the key.
"""

from __future__ import annotations

import difflib
import functools
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml

from ...errors import InputError, KeyframeFaceError

__all__ = ["DATA_DIR", "DataError", "Shaped", "active", "cached", "on_switch", "read", "schema", "shaped", "switch",
           "table", "word_sets", "words"]

DATA_DIR = Path(__file__).resolve().with_name("data")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class DataError(InputError):
    """A bad entry in one of the engine's data files (the project's error tree: an ``InputError``, so a ValueError
    too); the message reads ``file: key: what was wrong``."""

    def __init__(self, file: str, key: str, message: str) -> None:
        KeyframeFaceError.__init__(self, f"{file}: {key}: {message}")
        self.file, self.key = file, key
        self.path, self.line, self.field, self.detail = file, None, key, message


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (C speed where available) that refuses a key written twice in one mapping."""


def _no_duplicates(loader: Any, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)

_LOCK = threading.RLock()
_active: Path = DATA_DIR
_tables: dict[tuple[Path, Callable[..., Any]], Any] = {}
_derived: list[Any] = []  # the caches made by ``cached``
_hooks: list[Callable[[], None]] = []


def active() -> Path:
    """The directory the engine reads its vocabulary from now (``data/`` unless ``lexicon.using`` says otherwise)."""
    return _active


def read(name: str, directory: Path | None = None) -> dict[str, Any]:
    """One YAML file of the vocabulary as a mapping; a syntax error or a repeated key is a ``DataError``."""
    path = (directory or _active) / name
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as exc:
        raise DataError(name, "(file)", f"cannot read {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(top)"
        raise DataError(name, where, f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(doc, dict):
        raise DataError(name, "(top)", "expected a mapping")
    _check_shape(name, doc)
    return doc


_KINDS: dict[str, Callable[[Any], bool]] = {
    "words": lambda v: isinstance(v, list) and all(isinstance(w, str) and w.strip() for w in v),
    "ordered": lambda v: isinstance(v, list) and all(isinstance(w, str) and w.strip() for w in v),
    "list": lambda v: isinstance(v, list),
    "mapping": lambda v: isinstance(v, dict),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "share": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0.0 <= v <= 1.0,
    "text": lambda v: isinstance(v, str),
    "names": lambda v: isinstance(v, str) or isinstance(v, list) and all(isinstance(w, str) for w in v),
    "flag": lambda v: isinstance(v, bool),
}
_MOVED = "moved:"  # a schema kind for a key that used to be here: the rest of the text says where it went
_KIND_NAMES = {"words": "a list of words", "ordered": "a list of words", "list": "a list", "mapping": "a mapping", "number": "a number",
               "share": "a number in [0, 1]", "text": "a string",
               "names": "a word or a list of words", "flag": "true or false"}
_OPTIONAL = "?"  # in a nested shape, ``"?": true`` makes the whole nested key optional


@functools.cache
def schema() -> Mapping[str, Mapping[str, Any]]:
    """``schema.yaml`` (beside this module): file -> {key: kind}, the shape every vocabulary file must have."""
    path = Path(__file__).with_name("schema.yaml")
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    for file, keys in doc.items():
        _check_kinds(path.name, file, keys)
    return MappingProxyType(doc)


def _check_kinds(where: str, path: str, shape: Mapping[str, Any]) -> None:
    """Every kind of a (nested) shape is known: a kind's name, a nested shape ``{key: kind}`` or ``[shape]``."""
    for key, kind in shape.items():
        if isinstance(kind, list) and len(kind) == 1 and isinstance(kind[0], dict):
            _check_kinds(where, f"{path}.{key}[]", kind[0])
        elif isinstance(kind, dict):
            _check_kinds(where, f"{path}.{key}", kind)
        elif key != _OPTIONAL and kind.rstrip("?") not in _KINDS and not kind.startswith(_MOVED):
            raise DataError(where, f"{path}.{key}", f"unknown kind {kind!r}; expected one of {sorted(_KINDS)}")


def _kind_name(kind: Any) -> str:
    if isinstance(kind, list):
        return "a list of mappings"
    if isinstance(kind, dict):
        return "a mapping"
    return _KIND_NAMES[kind.rstrip("?")]


def _optional(kind: Any) -> bool:
    return kind.get(_OPTIONAL, False) if isinstance(kind, dict) else not isinstance(kind, list) and kind.endswith("?")


def _check_shape(name: str, doc: Mapping[str, Any]) -> None:
    """The file's keys against its schema entry (nested shapes too): none missing, none unknown, each of its kind."""
    shape = schema().get(name)
    if shape is None:
        return  # not a vocabulary file (a test's own YAML)
    _check_keys(name, "", shape, doc)


def _check_keys(name: str, path: str, shape: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    at = f"{path}." if path else ""
    for key, value in doc.items():
        kind = shape.get(str(key), shape.get("*"))
        if kind is None or str(key) == _OPTIONAL:
            known = [k for k, v in shape.items() if k not in ("*", _OPTIONAL) and not _moved(v)]
            near = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            raise DataError(name, f"{at}{key}", f"unknown key; {hint}expected one of: {', '.join(known)}")
        _check_value(name, f"{at}{key}", kind, value)
    for key, kind in shape.items():
        if key not in ("*", _OPTIONAL) and not _optional(kind) and not _moved(kind) and key not in doc:
            raise DataError(name, f"{at}{key}", f"missing: expected {_kind_name(kind)} (see schema.yaml)")


def _moved(kind: Any) -> bool:
    return isinstance(kind, str) and kind.startswith(_MOVED)


def _check_value(name: str, key: str, kind: Any, value: Any) -> None:
    """One value against its kind: a kind's name, a nested shape (a mapping) or ``[shape]`` (a list of them)."""
    if isinstance(kind, list):
        if not isinstance(value, list):
            raise DataError(name, key, f"expected {_kind_name(kind)}, got {type(value).__name__}")
        for i, row in enumerate(value):
            _check_value(name, f"{key}[{i}]", kind[0], row)
    elif isinstance(kind, dict):
        if not isinstance(value, dict):
            raise DataError(name, key, f"expected {_kind_name(kind)}, got {type(value).__name__}")
        _check_keys(name, key, kind, value)
    elif _moved(kind):  # a section that now lives elsewhere: say where
        raise DataError(name, key, kind[len(_MOVED):].strip())
    elif not _KINDS[kind.rstrip("?")](value):
        raise DataError(name, key, f"expected {_KIND_NAMES[kind.rstrip('?')]}, got {type(value).__name__}")


class Shaped:
    """A vocabulary file as attributes, each key converted by its schema kind: ``words`` -> frozenset,
    ``ordered`` -> tuple, ``list`` -> tuple, ``mapping`` -> read-only mapping, ``number``/``share`` -> float, a
    nested shape -> a ``Shaped`` of its own (or, when it names no key but ``*``, a read-only mapping of them), a list
    of shapes -> a tuple of them. Code reads ``shaped("frames.yaml").scene_nouns``: the key names live in the schema,
    not in the code. Iterating a nested ``Shaped`` gives its values in the schema's order (a row's columns)."""

    def __init__(self, name: str, doc: Mapping[str, Any], shape: Mapping[str, Any] | None = None) -> None:
        self._name = name
        shape = schema()[name] if shape is None else shape
        self._keys = tuple(k for k, v in shape.items() if k not in ("*", _OPTIONAL) and not _moved(v))
        for key, value in doc.items():
            setattr(self, str(key), _convert(name, shape.get(str(key), shape.get("*", "list")), value))
        for key in self._keys:  # optional keys the file leaves out: empty of their kind
            if key not in self.__dict__:
                setattr(self, key, _convert(name, shape[key], None))

    def __getattr__(self, key: str) -> Any:  # only called for a key the file does not have
        raise DataError(self.__dict__.get("_name", "?"), key, "missing (not in schema.yaml)")

    def __iter__(self) -> Iterator[Any]:
        return (getattr(self, k) for k in self._keys)


def _convert(name: str, kind: Any, value: Any) -> Any:
    """``value`` (None: left out) as its kind says (see ``Shaped``)."""
    if isinstance(kind, list):
        return tuple(_convert(name, kind[0], row) for row in value or ())
    if isinstance(kind, dict):
        if set(kind) - {"*", _OPTIONAL}:
            return Shaped(name, value or {}, kind)
        return MappingProxyType({k: _convert(name, kind["*"], v) for k, v in (value or {}).items()})
    kind = kind.rstrip("?")
    if value is None:
        value = _EMPTY.get(kind)
    return _CONVERT.get(kind, lambda v: v)(value)


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "words": frozenset, "ordered": tuple, "list": tuple, "mapping": lambda v: MappingProxyType(dict(v)),
    "number": float, "share": float, "text": str,
    "names": lambda v: (v,) if isinstance(v, str) else tuple(v), "flag": lambda v: v}
_EMPTY: dict[str, Any] = {"words": [], "ordered": [], "list": [], "mapping": {}, "number": 0.0, "share": 0.0,
                          "text": "", "names": [], "flag": None}


def _shaped(directory: Path, name: str) -> Shaped:
    return Shaped(name, read(name, directory))


def shaped(name: str) -> Shaped:
    """A vocabulary file of the active directory as attributes by its schema (``Shaped``), loaded once."""
    if name not in schema():
        raise DataError(name, "(file)", "not a vocabulary file of schema.yaml")
    return table(_shaped, name)


def table(build: Callable[..., T], *args: Any) -> T:
    """``build(directory, *args)`` for the active directory, built once per directory (and args) and kept."""
    key = (_active, build, args)
    try:
        return _tables[key]  # type: ignore[no-any-return]
    except KeyError:
        pass
    with _LOCK:
        if key not in _tables:
            _tables[key] = build(_active, *args)
        return _tables[key]  # type: ignore[no-any-return]


def _word_sets(directory: Path, name: str) -> Mapping[str, frozenset[str]]:
    doc = read(name, directory)
    out: dict[str, frozenset[str]] = {}
    for key, words in doc.items():
        if not (isinstance(words, list) and words and all(isinstance(w, str) and w.strip() for w in words)):
            raise DataError(name, str(key), f"expected a list of words, got {words!r}")
        out[str(key)] = frozenset(words)
    return MappingProxyType(out)


def word_sets(name: str) -> Mapping[str, frozenset[str]]:
    """A data file of named word lists (``{set name: [words]}``) of the active vocabulary, validated."""
    return table(_word_sets, name)


def words(name: str, key: str) -> frozenset[str]:
    """One named word list of a word-set file; a missing one is a ``DataError`` naming file and key."""
    sets = word_sets(name)
    if key not in sets:
        raise DataError(name, key, "missing word list")
    return sets[key]


def cached(fn: F | None = None, *, maxsize: int | None = None) -> Any:
    """``functools.lru_cache`` for values derived from the tables: emptied whenever the vocabulary switches."""
    def wrap(f: F) -> F:
        memo = functools.lru_cache(maxsize=maxsize)(f)
        _derived.append(memo)
        return memo  # type: ignore[return-value]
    return wrap(fn) if fn is not None else wrap


def on_switch(hook: Callable[[], None]) -> Callable[[], None]:
    """Register a hook that re-derives a module's constants from the tables after a switch (and run it now)."""
    _hooks.append(hook)
    hook()
    return hook


def switch(directory: Path | None) -> None:
    """Make ``directory`` (``data/`` for None) the active vocabulary: derived caches empty, hooks re-derive.

    A data error in the new directory is raised after the previous vocabulary is restored."""
    with _LOCK:
        previous = _active
        try:
            _activate(Path(directory).resolve() if directory is not None else DATA_DIR)
        except BaseException:
            _activate(previous)  # a bad directory leaves the engine on the vocabulary it had
            raise


def _activate(directory: Path) -> None:
    global _active
    _active = directory
    for memo in _derived:
        memo.cache_clear()
    for hook in list(_hooks):
        hook()
