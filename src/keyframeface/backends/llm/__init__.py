"""The LLM backend: the KeyframeFace release's model (or any chat LLM) behind an OpenAI-compatible API.

    config.py   settings: options > env vars > config file > defaults
    client.py   chat client over httpx: retries, backoff, structured-output fallback
    prompts.py  the release's exact prompt, a compact style, the planner prompt, schemas
    parse.py    reads real answers (think blocks, fences, truncation) into 61 values
    cache.py    disk cache keyed by the full request
    backend.py  LLMBackend: plan + pose
"""

from .backend import LLMBackend
from .config import LLMSettings, resolve_settings

__all__ = ["LLMBackend", "LLMSettings", "resolve_settings"]
