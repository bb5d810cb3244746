"""LLMBackend: plan and pose through any OpenAI-compatible chat server.

    pose:  script, index -> prompts.pose_messages -> ChatClient.chat -> parse_keyframe -> Keyframe
           (prompt_style "script": ONE request for all keyframes, prompts.script_messages -> parse_script,
           remembered per script; later indices are answered from it)
    plan:  background, emotion -> prompts.plan_messages -> ChatClient.chat -> parse_plan -> [KeyframeSpec]

An answer that cannot be read is asked for again (same request, at most
``retries`` more times), then that keyframe fails with ``BackendError``.
Readable answers go to the disk cache (when ``cache_dir`` is set).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from ...data import Keyframe, KeyframeSpec, Motion, Script
from ...errors import BackendError, InputError, KeyframeFaceError
from ...formats.reference import answer_key
from . import prompts
from .cache import AnswerCache
from .client import ChatClient
from .config import LLMSettings, resolve_settings, scrub
from ..engine.manner import read_manner
from .parse import AnswerError, ScriptReading, parse_keyframe, parse_plan, parse_script

__all__ = ["LLMBackend"]

T = TypeVar("T")
TOKENS_PER_KEYFRAME = 400  # answer budget per keyframe of a whole-script request (~15 sparse channels + timing)
_REMEMBERED_SCRIPTS = 64  # whole-script answers kept in memory (the "script" style), most recent
log = logging.getLogger("keyframeface.llm")


class LLMBackend:
    """Poses keyframes (and plans them) with an LLM behind an OpenAI-compatible API.

    With ``prompt_style="reference"`` the messages are byte-identical to the
    KeyframeFace release's, so its LoRA adapter served by vLLM reproduces the
    paper's model. Settings: explicit arguments > env vars > config file > defaults
    (see ``config``).
    """

    name = "llm"

    def __init__(self, url: str | None = None, model: str | None = None, api_key: str | None = None, *,
                 prompt_style: str = "reference", structured: str = "auto", timeout: float = 120,
                 retries: int = 3, temperature: float = 0.0, max_tokens: int = 1024,
                 cache_dir: str | Path | None = None, config: str | os.PathLike | None = None,
                 plan_model: str | None = None, backoff: float = 0.5) -> None:
        self.settings: LLMSettings = resolve_settings(
            url, model, api_key, config=config, prompt_style=prompt_style, structured=structured,
            timeout=timeout, retries=retries, temperature=temperature, max_tokens=max_tokens,
            cache_dir=cache_dir, plan_model=plan_model, backoff=backoff)
        self.client = ChatClient(self.settings)
        self.cache = AnswerCache(self.settings.cache_dir) if self.settings.cache_dir else None
        self._scripts: OrderedDict[str, list[ScriptReading]] = OrderedDict()  # "script" style answers, recent
        self._scripts_lock = threading.Lock()

    def __repr__(self) -> str:
        s = self.settings
        key = ", api_key='[secure]'" if s.api_key else ""
        return scrub(f"LLMBackend(url={s.url!r}, model={s.model!r}, prompt_style={s.prompt_style!r}{key})",
                     *s.secrets) or ""

    def __enter__(self) -> LLMBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections."""
        self.client.close()

    def pose(self, script: Script, index: int, previous: Sequence[Keyframe] = ()) -> Keyframe:
        """61 values for ``script.keyframes[index]``; every request carries the whole sequence.

        ``previous`` is not sent: the release's prompt already holds every keyframe's
        description, and independent requests can be cached and run in parallel.
        """
        if not 0 <= index < len(script.keyframes):
            raise InputError(f"keyframe index {index} not in [0, {len(script.keyframes) - 1}]", field="keyframes")
        style = self.settings.prompt_style
        if style == "script":
            return self._pose_from_script(script, index)
        key = answer_key(index)
        messages = prompts.pose_messages(script, index, style)
        with self._scrubbed():
            reading = self._ask(messages, prompts.pose_schema(style, index), "keyframe", self.settings.model,
                                lambda text: parse_keyframe(text, expected=key, sparse=style == "compact"),
                                what=f"keyframe {index + 1}")
        warnings = tuple(self._scrub(w) for w in reading.warnings)
        for w in warnings:  # repairs are said, not only written into keyframes.json
            log.warning("keyframe %d: repaired answer: %s", index + 1, w)
        return Keyframe(spec=script.keyframes[index], values=reading.values,
                        backend=f"llm:{self.settings.model}", warnings=warnings,
                        motion=_motion(script.keyframes[index], reading.onset, reading.hold))

    def _pose_from_script(self, script: Script, index: int) -> Keyframe:
        """Keyframe ``index`` from the one answer for the whole script (asked on first use, then remembered)."""
        key = json.dumps([script.background, script.emotion, [s.description for s in script.keyframes]])
        with self._scripts_lock:
            readings = self._scripts.get(key)
        if readings is None:
            count = len(script.keyframes)
            with self._scrubbed():
                readings = self._ask(prompts.script_messages(script), prompts.script_schema(count), "keyframes",
                                     self.settings.model, lambda text: parse_script(text, count),
                                     what=f"all {count} keyframes",
                                     max_tokens=max(self.settings.max_tokens, TOKENS_PER_KEYFRAME * count))
            with self._scripts_lock:
                self._scripts[key] = readings
                while len(self._scripts) > _REMEMBERED_SCRIPTS:
                    self._scripts.popitem(last=False)
        got = readings[index]
        warnings = tuple(self._scrub(w) for w in got.reading.warnings)
        for w in warnings:
            log.warning("keyframe %d: repaired answer: %s", index + 1, w)
        spec = script.keyframes[index]
        return Keyframe(spec=spec, values=got.reading.values, backend=f"llm:{self.settings.model}",
                        warnings=warnings, motion=_motion(spec, got.onset, got.hold))

    def plan(self, background: str, emotion: str, count: int | None = None) -> list[KeyframeSpec]:
        """Keyframe descriptions in the release's style (2..6, or exactly ``count``)."""
        model = self.settings.plan_model or self.settings.model
        with self._scrubbed():
            descriptions = self._ask(prompts.plan_messages(background, emotion, count), prompts.plan_schema(count),
                                     "plan", model, lambda text: parse_plan(text, count), what="plan")
        return [KeyframeSpec(self._scrub(d)) for d in descriptions]

    def _scrub(self, text: str) -> str:
        return scrub(text, *self.settings.secrets) or ""

    @contextlib.contextmanager
    def _scrubbed(self) -> Iterator[None]:
        """Errors leave with the API key scrubbed out; foreign errors become BackendError."""
        try:
            yield
        except BackendError as exc:
            raise BackendError(self._scrub(str(exc)), raw=scrub(exc.raw, *self.settings.secrets),
                               retryable=exc.retryable) from None
        except (KeyframeFaceError, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug or a transport surprise: still no traceback holding the key
            raise BackendError(self._scrub(f"{self.client.endpoint}: {type(exc).__name__}: {exc}")) from None

    def _ask(self, messages: list[dict], schema: dict, name: str, model: str, read: Callable[[str], T], *,
             what: str, max_tokens: int | None = None) -> T:
        """Ask until an answer reads (bounded); cache it. The cache key is the request as configured."""
        request = {"url": self.client.endpoint, "structured": self.settings.structured,
                   **self.client.payload(messages, schema=schema, model=model, form="json_schema", name=name,
                                         max_tokens=max_tokens)}
        if self.cache is not None:
            cached = self.cache.get(request)
            if cached is not None:
                try:
                    return read(cached)
                except AnswerError:
                    log.warning("ignoring an unreadable cached answer for %s", what)
        error: AnswerError | None = None
        for attempt in range(self.settings.retries + 1):
            try:
                text = self.client.chat(messages, schema=schema, model=model, name=name, max_tokens=max_tokens)
                result = read(text)
            except AnswerError as exc:
                error = exc
                log.warning("%s: unreadable answer (try %d): %s", what, attempt + 1, self._scrub(str(exc)))
                continue
            if self.cache is not None:
                self.cache.put(request, self._scrub(text))  # a server may echo the key; files never hold it
            return result
        assert error is not None
        raise BackendError(f"{what}: {model} at {self.client.endpoint} gave no usable answer in "
                           f"{self.settings.retries + 1} tries: {error}", raw=error.raw)


def _motion(spec: KeyframeSpec, onset: float | None, hold: float | None) -> Motion:
    """The keyframe's timing: the engine's reader of its description; the model's own seconds win when given."""
    motion = read_manner(spec.description)
    if onset is None and hold is None:
        return motion
    return dataclasses.replace(motion, pace=onset if onset is not None else motion.pace,
                               hold=hold if hold is not None else motion.hold,
                               region_pace=() if onset is not None else motion.region_pace)
