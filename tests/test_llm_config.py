"""LLM settings: explicit options > env vars > config file (TOML or YAML) > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from keyframeface.backends.llm import LLMBackend, resolve_settings
from keyframeface.backends.llm.config import default_config_path
from keyframeface.errors import InputError

ENV = ("KEYFRAMEFACE_LLM_URL", "KEYFRAMEFACE_LLM_MODEL", "KEYFRAMEFACE_LLM_API_KEY", "OPENAI_API_KEY",
       "KEYFRAMEFACE_CONFIG")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_missing_url_and_model_name_the_option():
    with pytest.raises(InputError) as info:
        resolve_settings(model="m")
    assert info.value.field == "llm-url" and "KEYFRAMEFACE_LLM_URL" in str(info.value)
    with pytest.raises(InputError) as info:
        resolve_settings(url="http://h:8000/v1")
    assert info.value.field == "llm-model" and "--llm-model" in str(info.value)


def test_env_vars(monkeypatch):
    monkeypatch.setenv("KEYFRAMEFACE_LLM_URL", "http://env:8000/v1")
    monkeypatch.setenv("KEYFRAMEFACE_LLM_MODEL", "envmodel")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-1")
    s = resolve_settings()
    assert (s.url, s.model, s.api_key) == ("http://env:8000/v1", "envmodel", "sk-1")
    s = resolve_settings(url="http://arg:1/v1", api_key="sk-arg")
    assert (s.url, s.model, s.api_key) == ("http://arg:1/v1", "envmodel", "sk-arg")


def test_default_toml_config_file_and_precedence(monkeypatch, tmp_path):
    path = write(tmp_path / "xdg" / "keyframeface" / "config.toml",
                 '[llm]\nurl = "http://file:8000/v1"\nmodel = "filemodel"\nprompt_style = "compact"\n'
                 'timeout = 5\nretries = 1\n\n[engine]\nsomething = 1\n')
    assert default_config_path() == path
    s = resolve_settings()
    assert (s.url, s.model, s.prompt_style, s.timeout, s.retries) == ("http://file:8000/v1", "filemodel",
                                                                       "compact", 5.0, 1)
    assert s.structured == "auto" and s.max_tokens == 1024  # defaults for what the file leaves out
    monkeypatch.setenv("KEYFRAMEFACE_LLM_MODEL", "envmodel")
    s = resolve_settings(timeout=30)
    assert s.model == "envmodel" and s.timeout == 30.0 and s.url == "http://file:8000/v1"


def test_yaml_config_given_explicitly(tmp_path):
    path = write(tmp_path / "kf.yaml", "llm:\n  url: http://yaml:9/v1\n  model: y\n  cache_dir: ~/kfcache\n")
    backend = LLMBackend(config=path)
    assert backend.settings.url == "http://yaml:9/v1" and backend.settings.model == "y"
    assert backend.settings.cache_dir == Path("~/kfcache").expanduser()


@pytest.mark.parametrize("text, match", [
    ('[llm]\nurl = "http://x/v1"\nmodle = "typo"\n', "llm.modle"),
    ("[llm\nurl=", "not valid TOML"),
    ('[llm]\nurl = "http://x/v1"\nmodel = "m"\nprompt_style = "fancy"\n', "prompt-style"),
    ('[llm]\nurl = "ftp://x"\nmodel = "m"\n', "not an http"),
    ('[llm]\nurl = "http://"\nmodel = "m"\n', "not an http"),
])
def test_bad_config_files_are_input_errors(tmp_path, text, match):
    path = write(tmp_path / "c.toml", text)
    with pytest.raises(InputError, match=match):
        resolve_settings(config=path)


def test_explicit_config_must_exist(tmp_path):
    with pytest.raises(InputError, match="config file not found"):
        resolve_settings(url="http://x/v1", model="m", config=tmp_path / "nope.toml")


@pytest.mark.parametrize("url, endpoint", [
    ("http://h:8000/v1", "http://h:8000/v1/chat/completions"),
    ("http://h:8000/v1/", "http://h:8000/v1/chat/completions"),
    ("http://h:11434", "http://h:11434/v1/chat/completions"),
    ("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions"),
    ("http://h/proxy/v1/chat/completions", "http://h/proxy/v1/chat/completions"),
])
def test_endpoint(url, endpoint):
    assert resolve_settings(url=url, model="m").endpoint == endpoint


def test_api_key_from_a_config_file_is_hidden(tmp_path):
    path = write(tmp_path / "c.toml", '[llm]\nurl = "http://x/v1"\nmodel = "m"\napi_key = "sk-file-secret"\n')
    s = resolve_settings(config=path)
    assert s.api_key == "sk-file-secret" and "sk-file-secret" not in repr(s) and "[secure]" in repr(s)
