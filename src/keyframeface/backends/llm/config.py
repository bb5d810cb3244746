"""LLM settings: explicit options > environment > config file > defaults.

Environment: ``KEYFRAMEFACE_LLM_URL``, ``KEYFRAMEFACE_LLM_MODEL``,
``KEYFRAMEFACE_LLM_API_KEY`` (falls back to ``OPENAI_API_KEY``), and
``KEYFRAMEFACE_CONFIG`` (config file path).

Config file (TOML or YAML, by extension; default
``$XDG_CONFIG_HOME/keyframeface/config.toml``, i.e. ``~/.config/keyframeface/config.toml``)::

    [llm]
    url = "http://127.0.0.1:8000/v1"
    model = "keyframeface"
    prompt_style = "reference"   # or "compact"
    timeout = 120

The API key is kept out of every repr, log line, error, output and cache file.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import InputError

__all__ = ["DEFAULTS", "PROMPT_STYLES", "STRUCTURED", "LLMSettings", "default_config_path", "resolve_settings"]

PROMPT_STYLES = ("reference", "compact")
STRUCTURED = ("auto", "json_schema", "json_object", "none")
# Option defaults; a config-file value replaces one only when the caller left it at this default.
DEFAULTS: dict[str, Any] = {
    "prompt_style": "reference", "structured": "auto", "timeout": 120.0, "retries": 3,
    "temperature": 0.0, "max_tokens": 1024, "cache_dir": None, "plan_model": None, "backoff": 0.5,
}
_FILE_KEYS = ("url", "model", "api_key", *DEFAULTS)


@dataclass(frozen=True)
class LLMSettings:
    """Resolved settings for one OpenAI-compatible server."""

    url: str  # base URL, e.g. http://127.0.0.1:8000/v1
    model: str  # model name the server knows (a vLLM LoRA name, an Ollama tag, ...)
    api_key: str | None = None  # sent as "Authorization: Bearer"; never shown
    prompt_style: str = "reference"  # "reference" (the release's exact prompt) or "compact"
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
        return f"LLMSettings({fields})"

    @property
    def endpoint(self) -> str:
        """The chat-completions URL for ``url`` (accepts .../v1, a bare host, or the full path)."""
        base = self.url.rstrip("/")
        if base.endswith("/chat/completions"):
            return base
        path = base.split("://", 1)[-1].partition("/")[2]
        return base + ("/chat/completions" if path else "/v1/chat/completions")


def default_config_path() -> Path:
    """Where the config file is looked for when none is given."""
    if os.environ.get("KEYFRAMEFACE_CONFIG"):
        return Path(os.environ["KEYFRAMEFACE_CONFIG"])
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
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
    if not v["url"]:
        raise InputError(f"no LLM server URL: {where}", field="llm-url")
    parts = urllib.parse.urlsplit(str(v["url"]))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{v['url']!r} is not an http(s) URL like http://HOST:8000/v1", field="llm-url")
    if not v["model"]:
        raise InputError("no LLM model name: pass --llm-model, set KEYFRAMEFACE_LLM_MODEL, or set model in "
                         f"[llm] of {default_config_path()}", field="llm-model")
    if v["prompt_style"] not in PROMPT_STYLES:
        raise InputError(f"{v['prompt_style']!r}; expected one of {', '.join(PROMPT_STYLES)}", field="prompt-style")
    if v["structured"] not in STRUCTURED:
        raise InputError(f"{v['structured']!r}; expected one of {', '.join(STRUCTURED)}", field="structured")
    try:
        numbers = {"timeout": float(v["timeout"]), "retries": int(v["retries"]), "backoff": float(v["backoff"]),
                   "temperature": float(v["temperature"]), "max_tokens": int(v["max_tokens"])}
    except (TypeError, ValueError) as exc:
        raise InputError(f"LLM option is not a number: {exc}", field="llm") from None
    for name, low in (("timeout", 1e-3), ("retries", 0), ("backoff", 0), ("temperature", 0), ("max_tokens", 1)):
        if numbers[name] < low:
            raise InputError(f"{numbers[name]!r} is below {low}", field=name.replace("_", "-"))
    return LLMSettings(url=str(v["url"]), model=str(v["model"]), api_key=v["api_key"],
                       prompt_style=v["prompt_style"], structured=v["structured"],
                       cache_dir=Path(v["cache_dir"]).expanduser() if v["cache_dir"] else None,
                       plan_model=v["plan_model"] or None, **numbers)


def _read_config(config: str | os.PathLike | None) -> dict[str, Any]:
    """The [llm] table of the config file ({} when no file is given and the default is absent)."""
    path = Path(config).expanduser() if config else default_config_path()
    explicit = bool(config) or "KEYFRAMEFACE_CONFIG" in os.environ
    if not path.is_file():
        if explicit:
            raise InputError("config file not found", path=str(path))
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text) or {}
        else:
            import tomllib

            data = tomllib.loads(text)
    except OSError as exc:
        raise InputError(f"cannot read config: {exc.strerror or exc}", path=str(path)) from None
    except Exception as exc:  # tomllib.TOMLDecodeError / yaml.YAMLError: a user's syntax error
        raise InputError(f"not valid TOML/YAML: {exc}", path=str(path)) from None
    if not isinstance(data, dict):
        raise InputError("expected a mapping with an [llm] table", path=str(path))
    table = data.get("llm", {})  # other tables belong to other parts of keyframeface
    if not isinstance(table, dict):
        raise InputError("expected a table/mapping", path=str(path), field="llm")
    for key in table:
        if key not in _FILE_KEYS:
            raise InputError(f"unknown key; expected one of {', '.join(_FILE_KEYS)}", path=str(path),
                             field=f"llm.{key}")
    return table
