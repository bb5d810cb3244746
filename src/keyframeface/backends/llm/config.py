"""LLM settings: explicit options > environment > config file > defaults.

Environment: ``KEYFRAMEFACE_LLM_URL``, ``KEYFRAMEFACE_LLM_MODEL``,
``KEYFRAMEFACE_LLM_API_KEY`` (falls back to ``OPENAI_API_KEY``), and
``KEYFRAMEFACE_CONFIG`` (config file path).

Config file (TOML or YAML, by extension; default
``$XDG_CONFIG_HOME/keyframeface/config.toml``, i.e. ``~/.config/keyframeface/config.toml``)::

    [llm]
    url = "http://127.0.0.1:8000/v1"
    model = "keyframeface"
    prompt_style = "reference"   # or "compact", or "script" (one request per script)
    timeout = 120

The API key is kept out of every repr, log line, error, output and cache file.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import InputError

__all__ = ["DEFAULTS", "PROMPT_STYLES", "STRUCTURED", "LLMSettings", "default_config_path", "resolve_settings",
           "scrub", "url_secrets"]

PROMPT_STYLES = ("reference", "compact", "script")
STRUCTURED = ("auto", "json_schema", "json_object", "none")
# Option defaults; a config-file value replaces one only when the caller left it at this default.
DEFAULTS: dict[str, Any] = {
    "prompt_style": "reference", "structured": "auto", "timeout": 120.0, "retries": 3,
    "temperature": 0.0, "max_tokens": 1024, "cache_dir": None, "plan_model": None, "backoff": 0.5,
}
_FILE_KEYS = ("url", "model", "api_key", *DEFAULTS)
# name: (low, high, integer?) for every numeric option; anything else is refused with a clear error.
_NUMBERS: dict[str, tuple[float, float, bool]] = {
    "timeout": (1e-3, 86400.0, False), "retries": (0, 100, True), "backoff": (0.0, 60.0, False),
    "temperature": (0.0, 2.0, False), "max_tokens": (1, 1_000_000, True),
}


def scrub(text: str | None, *secrets: str | None) -> str | None:
    """``text`` with every occurrence of each secret (the API key, a URL's password or query values)
    replaced by '[secure]'."""
    if not text:
        return text
    forms = {form for secret in secrets if secret for form in (secret, secret.strip())}
    for form in sorted(forms, key=len, reverse=True):  # longest first: a key inside another stays hidden
        if len(form) >= 4:
            text = text.replace(form, "[secure]")
    return text


def url_secrets(url: str | None) -> tuple[str, ...]:
    """What a URL may carry that must never be shown: the user and password of ``http://user:KEY@host``
    and every query value (``?key=KEY``), as written and percent-decoded."""
    import urllib.parse

    if not url:
        return ()
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket: hide everything after the scheme
        rest = url.strip().split("://", 1)[-1]
        return (rest,) if rest else ()
    found = [parts.username, parts.password]
    for raw in parts.query.split("&"):
        found.append(raw.partition("=")[2])
    found += [urllib.parse.unquote(x) for x in found if x]
    return tuple(x for x in found if x)


@dataclass(frozen=True)
class LLMSettings:
    """Resolved settings for one OpenAI-compatible server."""

    url: str  # base URL, e.g. http://127.0.0.1:8000/v1
    model: str  # model name the server knows (a vLLM LoRA name, an Ollama tag, ...)
    api_key: str | None = None  # sent as "Authorization: Bearer"; never shown
    prompt_style: str = "reference"  # "reference" (the release's exact prompt), "compact", or "script" (one request)
    structured: str = "auto"  # response_format: auto | json_schema | json_object | none
    timeout: float = 120.0  # seconds per HTTP request
    retries: int = 3  # extra attempts on 429/5xx/connection errors, and on unreadable answers
    temperature: float = 0.0
    max_tokens: int = 1024
    cache_dir: Path | None = None  # disk cache of answers keyed by the full request; None: off
    plan_model: str | None = None  # model for planning (default: ``model``), e.g. the base model
    backoff: float = 0.5  # seconds; retry n waits backoff * 2**n plus jitter (or Retry-After)

    def __repr__(self) -> str:
        fields = ", ".join(f"{f.name}={'[secure]' if f.name == 'api_key' and self.api_key else getattr(self, f.name)!r}"
                           for f in dataclasses.fields(self))
        return f"LLMSettings({scrub(fields, *url_secrets(self.url))})"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Everything messages, logs, caches and reports must never show: the API key and the URL's secrets."""
        return tuple(x for x in (self.api_key, *url_secrets(self.url)) if x)

    @property
    def endpoint(self) -> str:
        """The chat-completions URL for ``url`` (accepts .../v1, a bare host, or the full path)."""
        base, mark, query = self.url.partition("?")  # a query (?key=...) stays at the end
        base = base.rstrip("/")
        if not base.endswith("/chat/completions"):
            path = base.split("://", 1)[-1].partition("/")[2]
            base += "/chat/completions" if path else "/v1/chat/completions"
        return base + mark + query


def default_config_path() -> Path:
    """Where the config file is looked for when none is given."""
    if os.environ.get("KEYFRAMEFACE_CONFIG"):
        return Path(os.environ["KEYFRAMEFACE_CONFIG"])
    base = os.environ.get("XDG_CONFIG_HOME")
    if not base:
        try:
            base = Path.home() / ".config"
        except RuntimeError:  # no HOME and no passwd entry (a bare container): no default file
            base = Path("/nonexistent")
    return Path(base) / "keyframeface" / "config.toml"


def resolve_settings(url: str | None = None, model: str | None = None, api_key: str | None = None, *,
                     config: str | os.PathLike | None = None, **options: Any) -> LLMSettings:
    """Merge explicit options, environment and config file into validated settings."""
    unknown = set(options) - set(DEFAULTS)
    if unknown:
        raise InputError(f"unknown LLM option(s): {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    file_values = _read_config(config)
    env = os.environ
    merged: dict[str, Any] = {
        "url": url or env.get("KEYFRAMEFACE_LLM_URL") or file_values.get("url"),
        "model": model or env.get("KEYFRAMEFACE_LLM_MODEL") or file_values.get("model"),
        "api_key": api_key or env.get("KEYFRAMEFACE_LLM_API_KEY") or env.get("OPENAI_API_KEY")
        or file_values.get("api_key") or None,
    }
    for name, default in DEFAULTS.items():
        given = options.get(name, default)
        merged[name] = file_values[name] if given == default and name in file_values else given
    return _validate(merged)


def _validate(v: dict[str, Any]) -> LLMSettings:
    import urllib.parse

    where = "pass --llm-url, set KEYFRAMEFACE_LLM_URL, or set url in [llm] of " + str(default_config_path())
    for name in ("url", "model", "api_key", "prompt_style", "structured", "plan_model"):
        if v[name] is not None and not isinstance(v[name], str):
            raise InputError(f"expected a text, got {type(v[name]).__name__}", field=name.replace("_", "-"))
    if v["cache_dir"] is not None and not isinstance(v["cache_dir"], (str, os.PathLike)):
        raise InputError(f"expected a folder path (text), got {type(v['cache_dir']).__name__}", field="cache-dir")
    if not v["url"]:
        raise InputError(f"no LLM server URL: {where}", field="llm-url")
    url = v["url"].strip()
    shown = repr((scrub(url, *url_secrets(url)) or "")[:200])
    try:
        parts = urllib.parse.urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number in range)
    except ValueError:
        ok = False
    if not ok or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise InputError(f"{shown} is not an http(s) URL like http://HOST:8000/v1", field="llm-url")
    if not v["model"] or not v["model"].strip():
        raise InputError("no LLM model name: pass --llm-model, set KEYFRAMEFACE_LLM_MODEL, or set model in "
                         f"[llm] of {default_config_path()}", field="llm-model")
    if v["prompt_style"] not in PROMPT_STYLES:
        raise InputError(f"{v['prompt_style']!r}; expected one of {', '.join(PROMPT_STYLES)}", field="prompt-style")
    if v["structured"] not in STRUCTURED:
        raise InputError(f"{v['structured']!r}; expected one of {', '.join(STRUCTURED)}", field="structured")
    numbers: dict[str, Any] = {}
    for name, (low, high, integer) in _NUMBERS.items():
        value = v[name]
        field = name.replace("_", "-")
        if isinstance(value, str):
            try:
                value = float(value) if not integer else int(value)
            except ValueError:
                raise InputError(f"{value[:40]!r} is not a number", field=field) from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"expected a number, got {type(value).__name__}", field=field)
        if integer and isinstance(value, float) and not value.is_integer():
            raise InputError(f"{value!r} is not a whole number", field=field)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not (math.isfinite(number) and low <= number <= high):
            raise InputError(f"{number!r} not in [{low:g}, {high:g}]", field=field)
        numbers[name] = int(number) if integer else number
    return LLMSettings(url=url, model=v["model"].strip(), api_key=_checked_key(v["api_key"]),
                       prompt_style=v["prompt_style"], structured=v["structured"],
                       cache_dir=Path(v["cache_dir"]).expanduser() if v["cache_dir"] else None,
                       plan_model=v["plan_model"] or None, **numbers)


def _checked_key(key: str | None) -> str | None:
    """The API key without surrounding whitespace (a file's trailing newline); InputError, never showing
    the key, when it holds a character an HTTP header cannot carry."""
    if key is None:
        return None
    key = key.strip()
    if not key:
        return None
    for i, ch in enumerate(key):
        if not 33 <= ord(ch) <= 126:
            kind = "a non-ASCII character" if ord(ch) > 126 else "a space or control character"
            raise InputError(f"the API key holds {kind} at position {i + 1} (of {len(key)}); an HTTP header "
                             "carries printable ASCII only. Check KEYFRAMEFACE_LLM_API_KEY / OPENAI_API_KEY",
                             field="api-key")
    return key


def _load_yaml(text: str, name: str) -> Any:
    """A YAML config: duplicate keys and base-60 numbers refused; a syntax error names the line and the problem,
    never the line's text (it may hold the api_key)."""
    import yaml

    from ..._limits import check_yaml_node

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        check_yaml_node(node, name)
        return (loader.construct_document(node) if node is not None else None) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise InputError(f"not valid YAML: {problem}", path=name, line=mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()


def _read_config(config: str | os.PathLike | None) -> dict[str, Any]:
    """The [llm] table of the config file ({} when no file is given and the default is absent)."""
    path = Path(config).expanduser() if config else default_config_path()
    explicit = bool(config) or "KEYFRAMEFACE_CONFIG" in os.environ
    if not path.is_file():
        if explicit:
            raise InputError("config file not found", path=str(path))
        return {}
    from ..._limits import MAX_SCRIPT_BYTES, read_text_capped

    text = read_text_capped(path, MAX_SCRIPT_BYTES, "config file")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            data = _load_yaml(text, str(path))
        else:
            import tomllib

            data = tomllib.loads(text)
    except RecursionError:
        raise InputError("nested too deeply", path=str(path)) from None
    except InputError:
        raise
    except Exception as exc:  # tomllib.TOMLDecodeError / yaml.YAMLError / ValueError: a user's syntax error
        raise InputError(f"not valid TOML/YAML: {str(exc)[:200]}", path=str(path)) from None
    if not isinstance(data, dict):
        raise InputError("expected a mapping with an [llm] table", path=str(path))
    table = data.get("llm", {})  # other tables belong to other parts of keyframeface
    if not isinstance(table, dict):
        raise InputError("expected a table/mapping", path=str(path), field="llm")
    for key in table:
        if key not in _FILE_KEYS:
            raise InputError(f"unknown key; expected one of {', '.join(_FILE_KEYS)}", path=str(path),
                             field=f"llm.{str(key)[:40]}")
    for key, value in table.items():  # type errors name the file too
        if key in ("url", "model", "api_key", "prompt_style", "structured", "plan_model", "cache_dir") \
                and not isinstance(value, str):
            raise InputError(f"expected a text, got {type(value).__name__}", path=str(path), field=f"llm.{key}")
    return table
