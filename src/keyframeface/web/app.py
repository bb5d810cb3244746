"""The studio's HTTP shell: the page, the REST API and the OpenAPI docs (/docs) over one ``Studio``.

    create_app(Studio()) -> a FastAPI (ASGI) app;  `keyframeface serve` runs it on uvicorn.

Every error, 404 and 405 included, is a JSON body ``{"error": message, "field": name}``; request
bodies over ``MAX_BODY`` bytes get 413, a body not sent within ``BODY_TIMEOUT`` 408, a Host
header not on the allow-list 403 (DNS rebinding), more than ``MAX_IN_FLIGHT`` requests at once 503; every text field is at most 10,000 characters
of UTF-8, as on the command line. CPU work (plan, pose, animate, drawing, files) runs in a
thread pool sized to the cores under a cooperative deadline (``_deadline``): past ``time_limit``
seconds the client gets 504 and the work itself stops at its next check. ``/values`` streams.
"""

from __future__ import annotations

import asyncio
import importlib.util
import ipaddress
import mimetypes
import os
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .._deadline import DeadlinePassed, deadline
from .._limits import MAX_KEYFRAMES, MAX_TEXT_CHARS
from ..channels import CHANNELS
from ..errors import InputError, KeyframeFaceError
from ..formats.udp import MAX_HOST_CHARS
from .server import BODY_TIMEOUT, MAX_IN_FLIGHT
from .studio import DOWNLOADS, NotFound, Studio

__all__ = ["MAX_BODY", "create_app", "host_allowed"]

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".js")

MAX_BODY = 1_000_000  # bytes; larger request bodies get 413
_MEDIA = {"csv": "text/csv", "json": "application/json", "jsonl": "application/x-ndjson",
          "glb": "model/gltf-binary", "mp4": "video/mp4"}


# ---------------------------------------------------------------- request bodies (also the OpenAPI schema)


def _utf8(value: str) -> str:
    """Text must be encodable: a lone surrogate (a JSON "\\ud800" escape) is refused, never stored."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"holds U+{ord(value[exc.start]):04X} at character {exc.start}: not UTF-8 text "
                         "(a lone surrogate)") from None
    return value


# Every text field: at most the CLI's 10,000 characters, UTF-8. Hosts and ids are shorter still.
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS), AfterValidator(_utf8)]
Host = Annotated[str, Field(min_length=1, max_length=MAX_HOST_CHARS), AfterValidator(_utf8)]
Id = Annotated[str, Field(max_length=64), AfterValidator(_utf8)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class KeyframeIn(_Body):
    description: Text = Field(description="the keyframe in words")
    hold: float | None = Field(None, description="seconds held at this pose (chosen from the words when absent)")
    duration: float | None = Field(None, description="seconds of transition into the next keyframe")
    intensity: float | None = Field(None, description="this keyframe's expression scale, 0..2 (default 1)")


class PlanIn(_Body):
    background: Text = Field(description="the situation")
    emotion: Text = Field(description="the emotion, simple or complex")
    keyframes: int | None = Field(None, description="how many keyframes to plan (default: chosen, 2-6)")


class PoseIn(_Body):
    description: Text = Field(description="one keyframe description")
    background: Text = Field("", description="context: a prior for what the words leave unsaid")
    emotion: Text = Field("", description="emotion: a prior for what the words leave unsaid")
    intensity: float = Field(1.0, description="expression scale about neutral: 0 neutral, 1 as written, up to 2")


class AnimateIn(_Body):
    background: Text = Field(description="the situation")
    emotion: Text = Field(description="the emotion")
    keyframes: list[Text | KeyframeIn] | None = Field(None, max_length=MAX_KEYFRAMES,
                                                      description="planned when absent")
    fps: float | None = Field(None, description="frames per second (default 30, up to 240)")
    seed: int | None = Field(None, description="seed for blinks, gaze and sway (default 0)")
    intensity: float | None = Field(None, description="expression scale about neutral: 0 neutral, 1 as written "
                                    "(default), up to 2; head and gaze stay as written")


class LiveIn(_Body):
    host: Host = Field("127.0.0.1", description="receiver address (a name, IPv4 or IPv6)")
    port: int | None = Field(None, description="UDP port (Live Link 11111, VMC 39539)")
    protocol: Literal["livelink", "vmc"] = Field("livelink", description="Live Link Face UDP or VMC (OSC)")
    broadcast: bool = Field(False, description="allow a broadcast address as host")
    fps: float = Field(30.0, description="packets per second")
    background: Text = Field("", description="context: a prior for what the lines leave unsaid")
    emotion: Text = Field("", description="starting emotion prior")
    intensity: float = Field(1.0, description="expression scale of every line: 0 neutral, 1 as written, up to 2")


class SayIn(_Body):
    line: Text = Field(description="a keyframe description, or 'emotion: ...' to change the prior")


class StreamIn(_Body):
    id: Id = Field(description="animation id from /api/animate")
    start_frame: int = Field(0, description="frame to start from")
    host: Host = Field("127.0.0.1", description="receiver address (a name, IPv4 or IPv6)")
    port: int | None = Field(None, description="UDP port (Live Link 11111, VMC 39539)")
    protocol: Literal["livelink", "vmc"] = Field("livelink", description="Live Link Face UDP or VMC (OSC)")
    broadcast: bool = Field(False, description="allow a broadcast address as host")


# ---------------------------------------------------------------- the app


def create_app(studio: Studio | None = None, *, time_limit: float = 30.0, workers: int | None = None,
               bound_host: str = "127.0.0.1", allow_hosts: Sequence[str] = ()) -> _Guard:
    """The ASGI app serving the studio page and API over ``studio`` (a new engine Studio by default).

    It is the FastAPI app (``.app``) behind ``_Guard`` (Host allow-list, body size and body time
    limits); attributes pass through to it. Host headers allowed: localhost, loopback addresses,
    ``bound_host`` and ``allow_hosts`` (``"*"`` allows any); with a wildcard bind (0.0.0.0, ::),
    any IP address too (DNS rebinding needs a name).
    """
    from .live_session import LiveSession
    from .streaming import Streamer

    studio = studio if studio is not None else Studio()
    cores = os.cpu_count() or 2
    # Two pools: long work (animate, edit, files) never queues ahead of quick work (pose, plan, face images,
    # live), so a pose keeps its latency while previews render; long work leaves a core to the quick pool.
    pool = ThreadPoolExecutor(max_workers=workers or max(1, cores - 1), thread_name_prefix="keyframeface")
    quick = ThreadPoolExecutor(max_workers=max(2, cores), thread_name_prefix="keyframeface-quick")
    streamer = Streamer()
    live = LiveSession(studio.backend)
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        live.stop()
        streamer.stop()
        pool.shutdown(wait=False, cancel_futures=True)
        quick.shutdown(wait=False, cancel_futures=True)

    static = resources.files("keyframeface.web") / "static"
    swagger = (static / "vendor" / "swagger" / "swagger-ui-bundle.js").is_file()
    app = FastAPI(title="keyframeface studio", version=_version(), lifespan=lifespan,
                  docs_url=None if swagger else "/docs",
                  description="Text -> ARKit facial animation: plan keyframes, pose 61 channels, animate, export.")
    app.state.studio, app.state.pool, app.state.streamer, app.state.live = studio, pool, streamer, live

    def bounded(fn: Callable[..., Any], *args: Any) -> Any:
        with deadline(time_limit):  # the loops inside check it: past the limit the work itself stops
            return fn(*args)

    def heavy(fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return bounded(fn, *args)
        finally:
            _trim()  # hand big freed buffers back to the OS, so RSS follows the caches' bound

    async def work(fn: Callable[..., Any], *args: Any, long: bool = False) -> Any:
        """Run CPU work in a pool, bounded by the time limit (the client's 504 and the work's end)."""
        loop = asyncio.get_running_loop()
        job = partial(heavy, fn, *args) if long else partial(bounded, fn, *args)
        try:
            return await asyncio.wait_for(loop.run_in_executor(pool if long else quick, job), time_limit)
        except (TimeoutError, DeadlinePassed):
            raise _TimeLimit(time_limit) from None

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = sorted(exc.errors(), key=lambda e: -len(e.get("loc", ())))  # the most specific first
        err = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        field = _field_path(err.get("loc", ()))
        if err.get("type") == "json_invalid":
            return _error(400, f"the body is not valid JSON: {err.get('ctx', {}).get('error', err['msg'])}", None)
        return _error(422, f"field '{field}': {err['msg']}" if field else str(err["msg"]), field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:  # 404, 405 ... in our shape
        field = "path" if exc.status_code == 404 else "method" if exc.status_code == 405 else None
        message = {404: f"no such page or API route: {request.url.path[:200]}",
                   405: f"{request.method} is not allowed on {request.url.path[:200]}"}.get(exc.status_code,
                                                                                          str(exc.detail))
        return JSONResponse({"error": message, "field": field}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> JSONResponse:
        return _error(422, str(exc), exc.field)

    @app.exception_handler(NotFound)
    async def _missing(request: Request, exc: NotFound) -> JSONResponse:
        return _error(404, str(exc), "id")

    @app.exception_handler(_TimeLimit)
    async def _slow(request: Request, exc: _TimeLimit) -> JSONResponse:
        return _error(504, str(exc), None)

    @app.exception_handler(KeyframeFaceError)
    async def _backend(request: Request, exc: KeyframeFaceError) -> JSONResponse:
        return _error(502, f"{type(exc).__name__}: {exc}", None)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:  # never a traceback to the client
        return _error(500, f"internal error: {type(exc).__name__}", None)

    @app.post("/api/plan", summary="background + emotion -> keyframe descriptions")
    async def plan(body: PlanIn) -> dict[str, Any]:
        if body.keyframes is not None and not 1 <= body.keyframes <= 12:
            raise InputError(f"{body.keyframes} not in [1, 12]", field="keyframes")
        return {"keyframes": await work(studio.plan, body.background, body.emotion, body.keyframes, long=True)}

    @app.post("/api/pose", summary="one description -> 61 ARKit values and the explanation")
    async def pose(body: PoseIn) -> dict[str, Any]:
        return await work(studio.pose, body.description, body.background, body.emotion, body.intensity)

    @app.post("/api/animate", summary="a script -> keyframes with times and values, frame count, file URLs")
    async def animate(body: AnimateIn) -> dict[str, Any]:
        result = await work(studio.animate, body.model_dump(exclude_none=True), long=True)
        return result.summary()

    @app.get("/api/animations/{id}", summary="a result again, by id")
    async def get(id: str) -> dict[str, Any]:
        return studio.get(id).summary()

    @app.post("/api/animations/{id}/keyframes/{index}", summary="re-pose one keyframe; the others are kept")
    async def edit(id: str, index: int, body: KeyframeIn) -> dict[str, Any]:
        result = await work(studio.edit, id, index, body.model_dump(exclude_none=True), long=True)
        return result.summary()

    @app.get("/api/animations/{id}/values", summary="dense (frames, 61) curves (streamed: bounded memory)")
    async def values(id: str) -> StreamingResponse:
        studio.get(id)  # 404 before the stream starts
        return StreamingResponse(studio.values_json(id), media_type="application/json")

    @app.get("/api/animations/{id}/frames/{n}.jpg", summary="frame n drawn by the preview rig")
    async def frame(id: str, n: int, size: int = 256) -> Response:
        data = await work(studio.frame, id, n, size)
        return Response(data, media_type="image/jpeg", headers={"Cache-Control": "max-age=3600"})

    @app.get("/api/animations/{id}/files/{name}", summary="a download: animation.csv, keyframes.json, "
             "keyframes.jsonl, animation.glb, preview.mp4")
    async def download(id: str, name: str) -> Response:
        kinds = {file: kind for kind, file in DOWNLOADS.items()}
        if name not in kinds:
            raise InputError(f"unknown file {name!r}; expected one of {', '.join(kinds)}", field="name")
        studio.get(id)
        filename, data = await work(studio.file, id, kinds[name], long=True)
        return Response(data, media_type=_MEDIA[kinds[name]],
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @app.post("/api/stream", summary="start sending an animation to Live Link / VMC from a frame")
    async def stream_start(body: StreamIn) -> dict[str, Any]:
        timeline = studio.get(body.id).animation.timeline
        return await work(partial(streamer.start, timeline.values, timeline.fps, start_frame=body.start_frame,
                                  host=body.host, port=body.port, protocol=body.protocol, broadcast=body.broadcast))

    @app.get("/api/stream", summary="whether an animation is streaming, or the error that ended it")
    async def stream_now() -> dict[str, Any]:
        return streamer.state()

    @app.delete("/api/stream", summary="stop streaming")
    async def stream_stop() -> dict[str, Any]:
        return await work(streamer.stop)

    @app.post("/api/live", summary="start live mode: an idle face streaming to Live Link / VMC")
    async def live_start(body: LiveIn) -> dict[str, Any]:
        return await work(partial(live.start, **body.model_dump()))

    @app.post("/api/live/say", summary="one line -> a transition from wherever the live face is now")
    async def live_say(body: SayIn) -> dict[str, Any]:
        return await work(live.say, body.line)

    @app.get("/api/live/face.jpg", summary="the live face now, drawn by the preview rig")
    async def live_face(size: int = 256) -> Response:
        from .studio import face_jpeg

        if not 64 <= size <= 512:
            raise InputError(f"{size} not in [64, 512]", field="size")
        data = await work(face_jpeg, live.current(), size)
        return Response(data, media_type="image/jpeg", headers={"Cache-Control": "no-store"})

    @app.get("/api/live", summary="whether live mode runs, and the face it sent last")
    async def live_now() -> dict[str, Any]:
        state = live.state()
        if live.face is None or not state.get("live"):
            return state
        return {**state, "values": {n: round(float(v), 4) for n, v in zip(CHANNELS, live.current())}}

    @app.delete("/api/live", summary="stop live mode")
    async def live_stop() -> dict[str, Any]:
        return await work(live.stop)

    if swagger:  # the docs page from the package, not from a CDN

        @app.get("/docs", include_in_schema=False)
        async def docs() -> Response:
            from fastapi.openapi.docs import get_swagger_ui_html

            return get_swagger_ui_html(openapi_url="/openapi.json", title="keyframeface studio API",
                                       swagger_js_url="/static/vendor/swagger/swagger-ui-bundle.js",
                                       swagger_css_url="/static/vendor/swagger/swagger-ui.css",
                                       swagger_favicon_url="data:,")

    facecap = facecap_path()
    three = (static / "vendor" / "three" / "build" / "three.module.js").is_file()

    @app.get("/api/info", summary="what this studio can show: the 3D head needs vendored three.js + facecap.glb")
    async def info() -> dict[str, Any]:
        return {"version": _version(), "head3d": bool(three and facecap), "channels": list(CHANNELS)}

    @app.get("/assets/facecap.glb", include_in_schema=False)
    async def head_model() -> FileResponse:
        if facecap is None:
            raise NotFound("facecap.glb is missing from this installation of keyframeface; reinstall it")
        return FileResponse(str(facecap), media_type="model/gltf-binary")

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(str(static / "index.html"), media_type="text/html")

    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    wildcard = bound_host in ("0.0.0.0", "::", "")
    allowed = frozenset(h.lower().strip("[]") for h in ("localhost", "127.0.0.1", "::1", bound_host, *allow_hosts))
    return _Guard(app, MAX_BODY, allowed, any_ip=wildcard)


class _TimeLimit(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"the request took longer than the {seconds:g} s limit")


def host_allowed(header: str, allowed: frozenset[str], *, any_ip: bool = False) -> bool:
    """Whether a request's Host header (name or address, with or without a port) is one we answer."""
    name = header.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1:name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.rsplit(":", 1)[0]
    if name in allowed or "*" in allowed:
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    return ip.is_loopback or any_ip


class _Guard:
    """ASGI middleware in front of the app: the Host allow-list (403), requests in flight (503), the body size
    (413) and time (408), each answered in the JSON error shape."""

    def __init__(self, app: FastAPI, limit: int, allowed: frozenset[str], *, any_ip: bool = False) -> None:
        self.app, self.limit, self.allowed, self.any_ip = app, limit, allowed, any_ip
        self.in_flight = 0

    def __getattr__(self, name: str) -> Any:  # app.state, app.routes ... for tests and tools
        return getattr(self.app, name)

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= MAX_IN_FLIGHT:
            await _send_error(send, 503, f"the studio is busy ({self.in_flight} requests in flight); try again",
                              None)
            return
        self.in_flight += 1  # one event loop: no lock needed
        try:
            await self._guarded(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def _guarded(self, scope: dict, receive: Callable, send: Callable) -> None:
        headers = dict(scope.get("headers") or ())
        host = headers.get(b"host")
        if host is not None and not host_allowed(host.decode("latin-1"), self.allowed, any_ip=self.any_ip):
            shown = host.decode("latin-1")[:100]
            await _send_error(send, 403, f"Host {shown!r} is not allowed: the studio answers localhost, loopback "
                                         "addresses and the address it listens on (add names with --allow-host)",
                              "host")
            return
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _send_error(send, 413, f"request body over {self.limit} bytes", "body")
            return
        body, more = b"", True
        loop = asyncio.get_running_loop()
        give_up = loop.time() + BODY_TIMEOUT
        while more:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, give_up - loop.time()))
            except TimeoutError:
                await _send_error(send, 408, f"the request body did not arrive within {BODY_TIMEOUT:g} s", "body")
                return
            if message["type"] != "http.request":
                await self.app(scope, receive, send)
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await _send_error(send, 413, f"request body over {self.limit} bytes", "body")
                return
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _send_error(send: Callable, status: int, message: str, field: str | None) -> None:
    """An error answered before the app runs, in the same JSON shape; the connection is closed after it."""
    import json

    payload = json.dumps({"error": message, "field": field}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})


def _trim() -> None:
    """glibc's malloc_trim(0): freed memory goes back to the OS instead of staying in per-thread arenas."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):  # not glibc: nothing to do
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim: Any = None


def _error(status: int, message: str, field: str | None) -> JSONResponse:
    return JSONResponse({"error": message, "field": field}, status_code=status)


def _field_path(loc: Any) -> str:
    """('body', 'keyframes', 1, 'hold') -> 'keyframes[1].hold'."""
    out = ""
    for part in loc:
        if part in ("body", "query", "path") and not out:
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("str", "KeyframeIn", "int", "float") or "[" in str(part):  # union member names pydantic adds
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def facecap_path() -> Path | None:
    """three.js's Face Cap head, shipped in keyframeface's assets (sha256-checked); None if missing or damaged."""
    from ..assets import asset_path

    try:
        return asset_path("facecap.glb")
    except KeyframeFaceError:
        return None


def _version() -> str:
    from .. import __version__

    return __version__
