"""A small OpenAI-compatible chat client (vLLM, SGLang, Ollama, llama.cpp server, OpenAI) over httpx.

    ChatClient(settings).chat(messages, schema=...) -> answer text

* Retries 429, 5xx, timeouts and connection errors with exponential backoff and
  jitter, honouring Retry-After; other HTTP errors fail at once.
* Structured output: asks with ``response_format={"type": "json_schema", ...}``;
  a server that rejects it (llama.cpp answers 500) is asked next with
  ``{"type": "json_object", "schema": ...}``, then with no response_format. The
  form that worked is remembered for the client's life.
* Foreign errors (httpx, JSON) become ``BackendError`` here, naming the URL and
  status and keeping the raw body (truncated). The API key never appears in them:
  every message and body is scrubbed of it (a server may echo it back).
* Hard bounds: every attempt has a wall-clock deadline of ``timeout`` seconds
  (headers and body together; a server trickling a byte at a time is cut off), a
  body is read at most MAX_RESPONSE_BYTES after decompression (gzip bombs and
  endless chunked bodies stop there), and a Retry-After beyond MAX_RETRY_AFTER
  fails the request at once instead of sleeping.

Thread-safe: one client serves a whole batch (httpx.Client pools connections).
"""

from __future__ import annotations

import json
import logging
import math
import random
import re
import threading
import time
import zlib
from typing import Any

from ...errors import BackendError
from .config import LLMSettings, scrub
from .parse import AnswerError

__all__ = ["FORMS", "ChatClient", "response_format"]

FORMS = ("json_schema", "json_object", "none")  # structured-output forms, most to least strict
MAX_RETRY_AFTER = 60.0  # seconds; a server asking for a longer wait fails the request at once
MAX_RESPONSE_BYTES = 8 << 20  # a chat answer is a few KB; more is junk (after decompression)
_CHUNK = 64 << 10
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
                form: str | None = None, name: str = "keyframe", max_tokens: int | None = None) -> dict:
        """The JSON body of a chat request (never holds the API key); ``max_tokens`` overrides the setting."""
        body: dict[str, Any] = {"model": model or self.settings.model, "messages": messages,
                                "temperature": self.settings.temperature,
                                "max_tokens": max_tokens or self.settings.max_tokens}
        fmt = response_format(form or self.form, schema, name)
        if fmt is not None:
            body["response_format"] = fmt
        return body

    def chat(self, messages: list[dict], *, schema: dict | None = None, model: str | None = None,
             name: str = "keyframe", max_tokens: int | None = None) -> str:
        """The assistant's answer text; falls back through structured-output forms the server rejects."""
        while True:  # ends: each rejection removes a form, and "none" sends no response_format
            form = self.form
            body = self.payload(messages, schema=schema, model=model, form=form, name=name, max_tokens=max_tokens)
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

                headers = {"User-Agent": "keyframeface", "Accept-Encoding": "gzip, deflate"}
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
        """POST with retries; the answer text, or BackendError / _FormRejected (messages scrubbed of the key)."""
        has_format = "response_format" in body
        error = BackendError(f"{self.endpoint}: no attempt made")  # replaced by the first failure
        delay, last_status = 0.0, 0
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(delay)
            delay = self._backoff(attempt)
            self.requests += 1
            outcome = self._attempt(body)
            if isinstance(outcome, BackendError):
                error, last_status = outcome, 0
                continue
            status, reason, text, retry_after = outcome
            if status == 200:
                return self._answer(text)
            message = self._scrub(f"{self.endpoint}: HTTP {status} {_clip(reason, 60)}: {_clip(text)}")
            if has_format and len(self._forms) > 1 and status != 429 and _MENTIONS_FORMAT.search(text):
                raise _FormRejected(message)
            if status != 429 and status < 500:
                raise BackendError(message, raw=self._scrub(text))
            error, last_status = BackendError(message, raw=self._scrub(text), retryable=True), status
            wait = _retry_after(retry_after)
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise BackendError(f"{message} (the server asks to retry after {_clip(retry_after or '', 40)}; "
                                   f"more than {MAX_RETRY_AFTER:g} s, so giving up)", raw=error.raw, retryable=True)
            delay = wait if wait is not None else delay
        if has_format and len(self._forms) > 1 and last_status >= 500 and last_status != 503:
            # Kept failing (not overloaded) while we asked for a form: maybe the form; try the next one.
            raise _FormRejected(str(error))
        raise BackendError(f"{error} (after {self.settings.retries + 1} attempts)", raw=error.raw,
                           retryable=True)

    def _attempt(self, body: dict) -> tuple[int, str, str, str | None] | BackendError:
        """One POST under a hard wall-clock deadline: (status, reason, body text, Retry-After) or the error.

        The exchange runs on a daemon thread; when the deadline passes it is abandoned (it stops
        at its next received chunk), so a trickling server cannot hold the caller.
        """
        box: list[Any] = []
        cancelled = threading.Event()
        worker = threading.Thread(target=lambda: box.append(self._exchange(body, cancelled)), daemon=True,
                                  name="keyframeface-llm")
        worker.start()
        worker.join(self.settings.timeout)
        if worker.is_alive() or not box:
            cancelled.set()
            return BackendError(f"{self.endpoint}: no answer within {self.settings.timeout:g} s (the whole exchange)",
                                retryable=True)
        return box[0]

    def _exchange(self, body: dict, cancelled: threading.Event) -> tuple[int, str, str, str | None] | BackendError:
        """Send ``body`` and read the answer, at most MAX_RESPONSE_BYTES decoded; errors as values."""
        import httpx

        try:
            client = self._client()
            with client.stream("POST", self.endpoint, json=body) as response:
                data = _read_capped(response, cancelled)
                if data is None:
                    return BackendError(f"{self.endpoint}: the answer is longer than {MAX_RESPONSE_BYTES:,} bytes "
                                        "(decompressed); refused", retryable=True)
                text = data.decode(response.encoding or "utf-8", errors="replace")
                return response.status_code, response.reason_phrase, text, response.headers.get("retry-after")
        except httpx.TimeoutException:
            return BackendError(f"{self.endpoint}: no answer within {self.settings.timeout:g} s", retryable=True)
        except (httpx.HTTPError, httpx.InvalidURL, OSError, zlib.error, ValueError) as exc:
            return BackendError(self._scrub(f"{self.endpoint}: connection failed ({type(exc).__name__}: {exc})"),
                                retryable=True)
        except Exception as exc:  # anything else from the transport: never a traceback with the key in it
            return BackendError(self._scrub(f"{self.endpoint}: request failed ({type(exc).__name__}: {exc})"),
                                retryable=False)

    def _scrub(self, text: str) -> str:
        return scrub(text, *self.settings.secrets)

    def _backoff(self, attempt: int) -> float:
        """Seconds before retry ``attempt + 1``: exponential, with jitter so clients spread out."""
        base = self.settings.backoff * 2 ** attempt
        return base + random.uniform(0, base)

    def _answer(self, text: str) -> str:
        """choices[0].message.content of a chat-completions response."""
        try:
            content = json.loads(text)["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise AnswerError(self._scrub(f"{self.endpoint}: not a chat-completions response: {_clip(text)}"),
                              raw=self._scrub(text)) from None
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
        except (TypeError, ValueError, OverflowError, IndexError):
            return None
    if math.isnan(seconds):
        return None
    return max(seconds, 0.0)  # may be inf: the caller gives up rather than waiting


def _read_capped(response: Any, cancelled: threading.Event) -> bytes | None:
    """The body, decoded from gzip/deflate by us with a bounded output; None when over MAX_RESPONSE_BYTES."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    elif encoding in ("identity", ""):
        inflater = None
    else:
        raise ValueError(f"unsupported Content-Encoding {encoding[:30]!r}")
    out = bytearray()
    for chunk in response.iter_raw(_CHUNK):
        if cancelled.is_set():
            return b""  # abandoned: the caller already gave up
        if inflater is None:
            out += chunk
        else:
            while chunk:  # at most one bounded piece at a time: a bomb never inflates past the cap
                out += inflater.decompress(chunk, MAX_RESPONSE_BYTES + 1 - len(out) or 1)
                chunk = inflater.unconsumed_tail
                if len(out) > MAX_RESPONSE_BYTES:
                    return None
        if len(out) > MAX_RESPONSE_BYTES:
            return None
    return bytes(out)


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."
