"""A small OpenAI-compatible chat client (vLLM, SGLang, Ollama, llama.cpp server, OpenAI) over httpx.

    ChatClient(settings).chat(messages, schema=...) -> answer text

* Retries 429, 5xx, timeouts and connection errors with exponential backoff and
  jitter, honouring Retry-After; other HTTP errors fail at once.
* Structured output: asks with ``response_format={"type": "json_schema", ...}``;
  a server that rejects it (llama.cpp answers 500) is asked next with
  ``{"type": "json_object", "schema": ...}``, then with no response_format. The
  form that worked is remembered for the client's life.
* Foreign errors (httpx, JSON) become ``BackendError`` here, naming the URL and
  status and keeping the raw body (truncated). The API key never appears in them.

Thread-safe: one client serves a whole batch (httpx.Client pools connections).
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from typing import Any

from ...errors import BackendError
from .config import LLMSettings
from .parse import AnswerError

__all__ = ["FORMS", "ChatClient", "response_format"]

FORMS = ("json_schema", "json_object", "none")  # structured-output forms, most to least strict
MAX_RETRY_AFTER = 120.0  # seconds; a longer Retry-After is capped
_MENTIONS_FORMAT = re.compile(r"response_format|json_schema|json_object|schema|grammar", re.IGNORECASE)
log = logging.getLogger("keyframeface.llm")


def response_format(form: str, schema: dict | None, name: str = "keyframe") -> dict | None:
    """The ``response_format`` request field for a structured-output form ("none": no field)."""
    if schema is None or form == "none":
        return None
    if form == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
    return {"type": "json_object", "schema": schema}  # llama.cpp / vLLM extension of json_object


class _FormRejected(Exception):
    """The server refused the response_format we sent (internal: triggers the fallback)."""


class ChatClient:
    """Sends chat requests to one server; remembers which structured-output form it accepts."""

    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings
        self.endpoint = settings.endpoint
        self._forms = list(FORMS) if settings.structured == "auto" else [settings.structured]
        self._lock = threading.Lock()
        self._http: Any = None  # httpx.Client, created on first use (keeps `import keyframeface` light)
        self.requests = 0  # HTTP requests sent, for tests and benchmarks

    def __repr__(self) -> str:
        return f"ChatClient(endpoint={self.endpoint!r}, form={self.form!r})"

    @property
    def form(self) -> str:
        """The structured-output form the next request will use."""
        return self._forms[0]

    def payload(self, messages: list[dict], *, schema: dict | None = None, model: str | None = None,
                form: str | None = None, name: str = "keyframe") -> dict:
        """The JSON body of a chat request (never holds the API key)."""
        body: dict[str, Any] = {"model": model or self.settings.model, "messages": messages,
                                "temperature": self.settings.temperature, "max_tokens": self.settings.max_tokens}
        fmt = response_format(form or self.form, schema, name)
        if fmt is not None:
            body["response_format"] = fmt
        return body

    def chat(self, messages: list[dict], *, schema: dict | None = None, model: str | None = None,
             name: str = "keyframe") -> str:
        """The assistant's answer text; falls back through structured-output forms the server rejects."""
        while True:  # ends: each rejection removes a form, and "none" sends no response_format
            form = self.form
            body = self.payload(messages, schema=schema, model=model, form=form, name=name)
            try:
                return self._send(body)
            except _FormRejected:
                self._drop_form(form)
                log.info("%s rejected response_format %r; now using %r", self.endpoint, form, self.form)

    def close(self) -> None:
        """Close pooled connections."""
        if self._http is not None:
            self._http.close()
            self._http = None

    # ------------------------------------------------------------ private

    def _client(self) -> Any:
        with self._lock:
            if self._http is None:
                import httpx

                headers = {"User-Agent": "keyframeface"}
                if self.settings.api_key:
                    headers["Authorization"] = f"Bearer {self.settings.api_key}"
                timeout = httpx.Timeout(self.settings.timeout, connect=min(10.0, self.settings.timeout))
                limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
                self._http = httpx.Client(headers=headers, timeout=timeout, limits=limits)
            return self._http

    def _drop_form(self, form: str) -> None:
        """Stop using ``form`` (another thread may have dropped it already)."""
        with self._lock:
            if form in self._forms and len(self._forms) > 1:
                self._forms.remove(form)

    def _send(self, body: dict) -> str:
        """POST with retries; the answer text, or BackendError / _FormRejected."""
        import httpx

        client = self._client()
        has_format = "response_format" in body
        error = BackendError(f"{self.endpoint}: no attempt made")  # replaced by the first failure
        delay, last_status = 0.0, 0
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(delay)
            delay = self._backoff(attempt)
            self.requests += 1
            try:
                response = client.post(self.endpoint, json=body)
            except httpx.TimeoutException:
                error, last_status = BackendError(f"{self.endpoint}: no answer within {self.settings.timeout:g} s",
                                                  retryable=True), 0
                continue
            except httpx.TransportError as exc:
                error, last_status = BackendError(
                    f"{self.endpoint}: connection failed ({type(exc).__name__}: {exc})", retryable=True), 0
                continue
            status, text = response.status_code, response.text
            if status == 200:
                return self._answer(text)
            message = f"{self.endpoint}: HTTP {status} {response.reason_phrase}: {_clip(text)}"
            if has_format and len(self._forms) > 1 and status != 429 and _MENTIONS_FORMAT.search(text):
                raise _FormRejected(message)
            if status != 429 and status < 500:
                raise BackendError(message, raw=text)
            error, last_status = BackendError(message, raw=text, retryable=True), status
            delay = _retry_after(response.headers.get("retry-after")) or delay
        if has_format and len(self._forms) > 1 and last_status >= 500 and last_status != 503:
            # Kept failing (not overloaded) while we asked for a form: maybe the form; try the next one.
            raise _FormRejected(str(error))
        raise BackendError(f"{error} (after {self.settings.retries + 1} attempts)", raw=error.raw,
                           retryable=True)

    def _backoff(self, attempt: int) -> float:
        """Seconds before retry ``attempt + 1``: exponential, with jitter so clients spread out."""
        base = self.settings.backoff * 2 ** attempt
        return base + random.uniform(0, base)

    def _answer(self, text: str) -> str:
        """choices[0].message.content of a chat-completions response."""
        try:
            content = json.loads(text)["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise AnswerError(f"{self.endpoint}: not a chat-completions response: {_clip(text)}",
                              raw=text) from None
        return content if isinstance(content, str) else ""


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date), capped."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        import email.utils  # only servers that send an HTTP date pay for this import

        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."
