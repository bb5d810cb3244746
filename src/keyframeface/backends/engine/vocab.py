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
import keyword
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

import yaml

from ...errors import InputError, KeyframeFaceError

__all__ = ["DATA_DIR", "DataError", "Entry", "Record", "Shaped", "active", "cached", "keys", "on_switch", "read",
           "schema", "shaped", "switch", "table", "word_sets", "words"]

DATA_DIR = Path(__file__).resolve().with_name("data")
MAX_BYTES = 4_000_000  # the largest vocabulary file read (the shipped ones are under 100 kB)
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


def read(name: str, directory: Path | None = None, *, schema_of: str | None = None) -> dict[str, Any]:
    """One YAML file of the vocabulary as a mapping; a syntax error or a repeated key is a ``DataError``.

    ``schema_of``: check it against that file's schema (a copy under another name), errors naming ``name``."""
    path = (directory or _active) / name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DataError(name, "(file)", f"{path.stat().st_size} bytes: a vocabulary file is at most {MAX_BYTES}")
        doc = yaml.load(path.read_bytes().decode("utf-8"), Loader=_Loader)
    except DataError:
        raise
    except OSError as exc:
        raise DataError(name, "(file)", f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise DataError(name, f"byte {exc.start}", "not UTF-8 text") from None
    except ValueError as exc:  # a number too long to read (Python's limit on integer digits)
        raise DataError(name, "(value)", f"unreadable value: {str(exc)[:80]}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(top)"
        raise DataError(name, where, f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(doc, dict):
        raise DataError(name, "(top)", "expected a mapping")
    _check_shape(schema_of or name, doc, name)
    return doc


def _is_words(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(w, str) and w.strip() for w in v)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class _Kind(NamedTuple):
    """A schema kind: how to check a value, how errors name it, what code gets, and its empty value."""

    check: Callable[[Any], bool]
    said: str
    convert: Callable[[Any], Any]
    empty: Any


_KIND: dict[str, _Kind] = {
    "words": _Kind(_is_words, "a list of words", frozenset, []),
    "ordered": _Kind(_is_words, "a list of words", tuple, []),
    "list": _Kind(lambda v: isinstance(v, list), "a list", tuple, []),
    "mapping": _Kind(lambda v: isinstance(v, dict), "a mapping", lambda v: MappingProxyType(dict(v)), {}),
    "number": _Kind(_is_number, "a number", float, 0.0),
    "share": _Kind(lambda v: _is_number(v) and 0.0 <= v <= 1.0, "a number in [0, 1]", float, 0.0),
    "text": _Kind(lambda v: isinstance(v, str), "a string", str, ""),
    "word": _Kind(lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty string", str, ""),
    "flag": _Kind(lambda v: isinstance(v, bool), "true or false", bool, False),
    # {name: [words]} in the file, a word under one name only; the code reads word -> name
    "groups": _Kind(lambda v: isinstance(v, dict), "a mapping: name -> list of words",
                    lambda v: MappingProxyType({w: k for k, ws in v.items() for w in ws}), {}),
    "whole": _Kind(lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number", int, 0),
}
# Nested kinds, written in schema.yaml as a one-key mapping: {entries: {field: kind}} = a mapping whose every value
# is an entry with those fields (facs.yaml's AUs), {rows: {field: kind}} = a list of such entries. The code reads an
# entry as attributes (``Entry``), a missing optional field as the empty value of its kind.
_NESTED = ("entries", "rows")
_MOVED = "moved:"  # a schema kind for a key that used to be here: the rest of the text says where it went


@functools.cache
def schema() -> Mapping[str, Mapping[str, str]]:
    """``schema.yaml`` (beside this module): file -> {key: kind}, the shape every vocabulary file must have."""
    path = Path(__file__).with_name("schema.yaml")
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    _SHAPES.update({name: shape for name, shape in doc.items() if not name.endswith(".yaml")})
    doc = {file: keys for file, keys in doc.items() if file.endswith(".yaml")}
    for name, shape in _SHAPES.items():
        _check_kind(path.name, name, shape)
    for file, keys in doc.items():
        for key, kind in keys.items():
            if not isinstance(kind, str) or not kind.startswith(_MOVED):
                _check_kind(path.name, f"{file}.{key}", kind)
    return MappingProxyType(doc)


def _fields(kind: Any) -> tuple[str, Mapping[str, str]] | None:
    """A nested kind ``{entries|rows: {field: kind}}`` -> (entries|rows, {field: kind}); None for any other kind."""
    if not (isinstance(kind, dict) and len(kind) == 1):
        return None
    how, fields = next(iter(kind.items()))
    if str(how).rstrip("?") not in _NESTED or not isinstance(fields, dict):
        return None
    return str(how).rstrip("?"), fields


def _optional(kind: Any) -> bool:
    """A key the file may leave out ("words?", "a_shape?", {rows?: ...})."""
    if isinstance(kind, dict):
        return _fields(kind) is not None and str(next(iter(kind))).endswith("?")
    return isinstance(kind, str) and kind.endswith("?")


def _plain(kind: Any) -> str:
    """A plain kind without its optional mark (a nested kind: ``mapping`` or ``list``, what its file holds)."""
    nested = _fields(kind)
    if nested is not None:
        return "mapping" if nested[0] == "entries" else "list"
    return str(kind).rstrip("?")


def _check_deep(file: str, key: str, kind: Any, value: Any) -> None:
    """Inside a key: a ``groups`` mapping's lists (no word twice), a nested kind's entries and their fields."""
    if kind == "groups":
        seen: dict[str, Any] = {}
        for target, words in value.items():
            if not _is_words(words):
                raise DataError(file, f"{key}.{target}", f"expected a list of words, got {words!r}")
            for w in words:
                if w in seen:
                    raise DataError(file, f"{key}.{target}", f"{w!r} is already listed under {seen[w]!r}")
                seen[w] = target
        return
    nested = _fields(kind)
    if nested is None:
        return
    how, fields = nested
    items = value.items() if how == "entries" else ((f"[{i}]", v) for i, v in enumerate(value))
    required = [f for f, k in fields.items() if not k.endswith("?")]
    for name, entry in items:
        where = f"{key}.{name}" if how == "entries" else f"{key}{name}"
        if not isinstance(entry, dict):
            raise DataError(file, where, f"expected a mapping with {', '.join(required)}, got {entry!r}")
        unknown = [str(f) for f in entry if f not in fields]
        if unknown:
            raise DataError(file, where, f"unknown field(s) {sorted(unknown)}; expected among {', '.join(fields)}")
        for field, k in fields.items():
            if field not in entry:
                if not k.endswith("?"):
                    raise DataError(file, f"{where}.{field}", f"missing: expected {_KIND[k].said}")
            elif not _KIND[k.rstrip("?")].check(entry[field]):
                raise DataError(file, f"{where}.{field}",
                                f"expected {_KIND[k.rstrip('?')].said}, got {entry[field]!r}")
            else:
                _check_deep(file, f"{where}.{field}", k.rstrip("?"), entry[field])


def _check_shape(name: str, doc: Mapping[str, Any], file: str | None = None) -> None:
    """The file's top-level keys against its schema entry: none missing, none unknown, each of its kind (and inside
    a key, its entries: ``_check_deep``); errors name ``file`` (``name`` unless a copy has another name)."""
    shape = schema().get(name)
    if shape is None:
        return  # not a vocabulary file (a test's own YAML)
    name = file or name
    for key, value in doc.items():
        kind = shape.get(str(key), shape.get("*"))
        if kind is None:
            known = [k for k, v in shape.items() if k != "*" and not str(v).startswith(_MOVED)]
            near = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            raise DataError(name, str(key), f"unknown key; {hint}expected one of: {', '.join(known)}")
        if str(kind).startswith(_MOVED):  # a section that now lives elsewhere: say where
            raise DataError(name, str(key), kind[len(_MOVED):].strip())
        problem = _problem(name, str(key), kind, value)
        if problem is not None:
            raise problem
    for key, kind in shape.items():
        if key != "*" and not _optional(kind) and not str(kind).startswith(_MOVED) and key not in doc:
            raise DataError(name, key, f"missing: expected {_said(kind)} (see schema.yaml)")


# --- nested shapes ------------------------------------------------------------------------------------------
# An entry of schema.yaml that is not a file names a shape (``phrase_row: {left: text?, ...}``); a kind is then a
# kind of the table above, a shape's name, several kinds joined by "|" (any one of them), ``[kind]`` (a list of
# that kind) or an inline ``{key: kind}`` (a mapping with those keys; ``"*"`` alone: any keys, each of that kind).
# A mapping of named keys reads as a ``Record`` (attributes), one of any keys as a read-only mapping, a list as a
# tuple. Errors name the path: ``actions.brows.brows_inner.part``, ``arcs.masked[1].beat``.
_SHAPES: dict[str, Any] = {}


def _check_kind(file: str, key: str, kind: Any) -> None:
    """A kind of schema.yaml is known (every alternative, every nested key)."""
    nested = _fields(kind)
    if nested is not None:  # {entries|rows: {field: plain kind}}
        for field, sub in nested[1].items():
            if str(sub).rstrip("?") not in _KIND:
                raise DataError(file, f"{key}.{field}", f"unknown kind {sub!r}; expected one of {sorted(_KIND)}")
        return None
    if isinstance(kind, list) and len(kind) == 1:
        return _check_kind(file, key, kind[0])
    if isinstance(kind, dict):
        for name, sub in kind.items():
            _check_kind(file, f"{key}.{name}", sub)
        return None
    for alt in kind.rstrip("?").split("|") if isinstance(kind, str) else [kind]:
        if alt not in _KIND and alt not in _SHAPES:
            raise DataError(file, key, f"unknown kind {alt!r}; expected one of {sorted(_KIND)} or a shape")
    return None


def _said(kind: Any) -> str:
    """How an error names what a kind expects."""
    if isinstance(kind, str):
        return " or ".join(_KIND[a].said if a in _KIND else _said(_SHAPES[a]) for a in kind.rstrip("?").split("|"))
    return "a list" if isinstance(kind, list) or _plain(kind) == "list" else "a mapping"


def _problem(file: str, key: str, kind: Any, value: Any) -> DataError | None:
    """What is wrong with ``value`` against ``kind`` (None: nothing), naming the path of the entry at fault."""
    got = type(value).__name__
    if _fields(kind) is not None or kind in ("groups", "groups?"):  # entries, rows, groups: checked inside too
        if not _KIND[_plain(kind)].check(value):
            return DataError(file, key, f"expected {_KIND[_plain(kind)].said}, got {got}")
        try:
            _check_deep(file, key, kind if _fields(kind) else _plain(kind), value)
        except DataError as problem:
            return problem
        return None
    if isinstance(kind, str):
        alts = kind.rstrip("?").split("|")
        problems = []
        for alt in alts:
            if alt in _SHAPES:
                problem = _problem(file, key, _SHAPES[alt], value)
            else:
                problem = None if _KIND[alt].check(value) else DataError(file, key, f"expected {_said(alt)}, got {got}")
            if problem is None:
                return None
            problems.append(problem)
        deep = [p for p, a in zip(problems, alts) if a in _SHAPES  # a shape of the value's sort: its finding
                and isinstance(value, list if isinstance(_SHAPES[a], list) else dict)]
        if deep or len(problems) == 1:
            return (deep or problems)[0]
        return DataError(file, key, f"expected {_said(kind)}, got {got}")
    if isinstance(kind, list):
        if not isinstance(value, list):
            return DataError(file, key, f"expected a list, got {got}")
        return next((p for i, v in enumerate(value) if (p := _problem(file, f"{key}[{i}]", kind[0], v))), None)
    if not isinstance(value, dict):
        return DataError(file, key, f"expected a mapping, got {got}")
    for name, item in value.items():
        sub = kind.get(str(name), kind.get("*"))
        if sub is None:
            known = [k for k in kind if k != "*"]
            near = difflib.get_close_matches(str(name), known, n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            return DataError(file, f"{key}.{name}", f"unknown key; {hint}expected one of: {', '.join(known)}")
        problem = _problem(file, f"{key}.{name}", sub, item)
        if problem is not None:
            return problem
    for name, sub in kind.items():
        if name != "*" and not (isinstance(sub, str) and sub.endswith("?")) and name not in value:
            return DataError(file, f"{key}.{name}", f"missing: expected {_said(sub)} (see schema.yaml)")
    return None


def _convert(kind: Any, value: Any) -> Any:
    """A checked value as code reads it (the first alternative of a kind that fits it)."""
    if _fields(kind) is not None:
        return _convert_nested(kind, value)
    if isinstance(kind, list):
        return tuple(_convert(kind[0], v) for v in value)
    if isinstance(kind, dict):
        if set(kind) == {"*"}:
            return MappingProxyType({k: _convert(kind["*"], v) for k, v in value.items()})
        return Record(kind, value)
    for alt in kind.rstrip("?").split("|"):
        if alt in _SHAPES and _problem("", "", _SHAPES[alt], value) is None:
            return _convert(_SHAPES[alt], value)
        if alt in _KIND and _KIND[alt].check(value):
            return _KIND[alt].convert(value)
    return value


class Record:
    """A mapping of a nested shape as attributes: each named key of the shape converted by its kind; an optional
    key the data leaves out is None (the module gives its default); a key that is a Python keyword reads with a
    trailing ``_`` (``from`` -> ``from_``)."""

    def __init__(self, shape: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
        for key, kind in shape.items():
            if key != "*":
                name = f"{key}_" if keyword.iskeyword(key) else key
                setattr(self, name, _convert(kind, doc[key]) if key in doc else None)

    def __repr__(self) -> str:
        return f"Record({vars(self)})"


class Shaped:
    """A vocabulary file as attributes, each top-level key converted by its schema kind: ``words`` -> frozenset,
    ``ordered`` -> tuple, ``list`` -> tuple, ``mapping`` -> read-only mapping, ``number``/``share`` -> float.
    Code reads ``shaped("frames.yaml").scene_nouns``: the key names live in the schema, not in the code."""

    def __init__(self, name: str, doc: Mapping[str, Any], file: str | None = None) -> None:
        self._name = file or name
        shape = schema()[name]
        for key, value in doc.items():
            setattr(self, str(key), _convert(shape.get(str(key), shape.get("*", "list")), value))
        for key, kind in shape.items():  # optional keys the file leaves out: empty of their kind
            if key != "*" and not str(kind).startswith(_MOVED) and key not in self.__dict__:
                if _fields(kind) is not None:
                    setattr(self, key, _convert(kind, _KIND[_plain(kind)].empty))
                else:
                    empty = _KIND.get(str(kind).rstrip("?"))
                    setattr(self, key, empty.convert(empty.empty) if empty else None)

    def __getattr__(self, key: str) -> Any:  # only called for a key the file does not have
        raise DataError(self.__dict__.get("_name", "?"), key, "missing (not in schema.yaml)")


class Entry:
    """One entry of a nested kind (an AU of facs.yaml, a row of a list) as attributes, one per field of its schema;
    a field the entry leaves out reads as the empty value of its kind (``False``, ``""``, an empty set)."""

    def __init__(self, fields: Mapping[str, str], entry: Mapping[str, Any]) -> None:
        for field, kind in fields.items():
            setattr(self, field, _convert(kind, entry[field] if field in entry else _KIND[_plain(kind)].empty))

    def __repr__(self) -> str:
        return f"Entry({self.__dict__!r})"


def _convert_nested(kind: Any, value: Any) -> Any:
    """A checked value -> what code reads: by its plain kind, or a nested kind's entries as ``Entry``s."""
    nested = _fields(kind)
    if nested is None:
        k = _plain(kind)
        return _KIND[k].convert(value) if k in _KIND else value
    how, fields = nested
    if how == "entries":
        return MappingProxyType({k: Entry(fields, v) for k, v in value.items()})
    return tuple(Entry(fields, v) for v in value)


def _shaped(directory: Path, name: str) -> Shaped:
    return Shaped(name, read(name, directory))


def shaped(name: str, path: Path | None = None) -> Shaped:
    """A vocabulary file of the active directory as attributes by its schema (``Shaped``), loaded once.

    ``path``: read that file instead (a copy, under any name, checked by ``name``'s schema; errors name the copy),
    not kept."""
    if name not in schema():
        raise DataError(name, "(file)", "not a vocabulary file of schema.yaml")
    if path is None:
        return table(_shaped, name)
    path = Path(path)
    if path.resolve() == (_active / name).resolve():
        return table(_shaped, name)
    return Shaped(name, read(path.name, path.parent, schema_of=name), path.name)


class _Keys:
    """The key names of one file's schema (or one nested kind's fields) as attributes: ``keys(f).aus == "aus"``,
    so an error names a key without the code spelling it; a name the schema lacks is an ``AttributeError``."""

    def __init__(self, where: str, names: Any) -> None:
        self._where = where
        self.__dict__.update({str(n): str(n) for n in names if n != "*"})

    def __getattr__(self, key: str) -> str:
        raise AttributeError(f"{self.__dict__.get('_where', '?')} has no key {key!r} in schema.yaml")


@functools.cache
def keys(name: str, key: str | None = None) -> _Keys:
    """The key names of ``name``'s schema as attributes; with ``key``, the field names of that nested kind."""
    shape = schema()[name]
    if key is None:
        return _Keys(name, shape)
    nested = _fields(shape[key])
    return _Keys(f"{name} {key}", nested[1] if nested else ())


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
    # read() has checked every list against schema.yaml (each key a list of words)
    return MappingProxyType({str(k): frozenset(v) for k, v in read(name, directory).items()})


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
