"""The studio's HTTP shell: the page, the REST API and the OpenAPI docs (/docs) over one ``Studio``.

    create_app(Studio()) -> a FastAPI (ASGI) app;  `keyframeface serve` runs it on uvicorn.

Every error is a JSON body ``{"error": message, "field": name}`` with a 4xx status; request
bodies over ``MAX_BODY`` bytes get 413; CPU work (plan, pose, animate, drawing) runs in a
thread pool sized to the cores, each call bounded by ``time_limit`` seconds (504 past it).
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from ..channels import CHANNELS
from ..errors import InputError, KeyframeFaceError
from .studio import DOWNLOADS, NotFound, Studio

__all__ = ["MAX_BODY", "create_app"]

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".js")

MAX_BODY = 1_000_000  # bytes; larger request bodies get 413
_MEDIA = {"csv": "text/csv", "json": "application/json", "jsonl": "application/x-ndjson",
          "glb": "model/gltf-binary", "mp4": "video/mp4"}


# ---------------------------------------------------------------- request bodies (also the OpenAPI schema)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class KeyframeIn(_Body):
    description: str = Field(description="the keyframe in words")
    hold: float | None = Field(None, description="seconds held at this pose (chosen from the words when absent)")
    duration: float | None = Field(None, description="seconds of transition into the next keyframe")
    intensity: float | None = Field(None, description="this keyframe's expression scale, 0..2 (default 1)")


class PlanIn(_Body):
    background: str = Field(description="the situation")
    emotion: str = Field(description="the emotion, simple or complex")
    keyframes: int | None = Field(None, description="how many keyframes to plan (default: chosen, 2-6)")


class PoseIn(_Body):
    description: str = Field(description="one keyframe description")
    background: str = Field("", description="context: a prior for what the words leave unsaid")
    emotion: str = Field("", description="emotion: a prior for what the words leave unsaid")
    intensity: float = Field(1.0, description="expression scale about neutral: 0 neutral, 1 as written, up to 2")


class AnimateIn(_Body):
    background: str = Field(description="the situation")
    emotion: str = Field(description="the emotion")
    keyframes: list[str | KeyframeIn] | None = Field(None, description="planned when absent")
    fps: float | None = Field(None, description="frames per second (default 30, up to 240)")
    seed: int | None = Field(None, description="seed for blinks, gaze and sway (default 0)")
    intensity: float | None = Field(None, description="expression scale about neutral: 0 neutral, 1 as written "
                                    "(default), up to 2; head and gaze stay as written")


class LiveIn(_Body):
    host: str = Field("127.0.0.1", description="receiver address")
    port: int | None = Field(None, description="UDP port (Live Link 11111, VMC 39539)")
    protocol: Literal["livelink", "vmc"] = Field("livelink", description="Live Link Face UDP or VMC (OSC)")
    fps: float = Field(30.0, description="packets per second")
    background: str = Field("", description="context: a prior for what the lines leave unsaid")
    emotion: str = Field("", description="starting emotion prior")
    intensity: float = Field(1.0, description="expression scale of every line: 0 neutral, 1 as written, up to 2")


class SayIn(_Body):
    line: str = Field(description="a keyframe description, or 'emotion: ...' to change the prior")


class StreamIn(_Body):
    id: str = Field(description="animation id from /api/animate")
    start_frame: int = Field(0, description="frame to start from")
    host: str = Field("127.0.0.1", description="receiver address")
    port: int | None = Field(None, description="UDP port (Live Link 11111, VMC 39539)")
    protocol: Literal["livelink", "vmc"] = Field("livelink", description="Live Link Face UDP or VMC (OSC)")


# ---------------------------------------------------------------- the app


def create_app(studio: Studio | None = None, *, time_limit: float = 30.0, workers: int | None = None) -> _BodyLimit:
    """The ASGI app serving the studio page and API over ``studio`` (a new engine Studio by default).

    It is the FastAPI app (``.app``) behind the body-size limit; attributes pass through to it.
    """
    from .live_session import LiveSession
    from .streaming import Streamer

    studio = studio if studio is not None else Studio()
    pool = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2, thread_name_prefix="keyframeface")
    streamer = Streamer()
    live = LiveSession(studio.backend)
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        live.stop()
        streamer.stop()
        pool.shutdown(wait=False, cancel_futures=True)

    static = resources.files("keyframeface.web") / "static"
    swagger = (static / "vendor" / "swagger" / "swagger-ui-bundle.js").is_file()
    app = FastAPI(title="keyframeface studio", version=_version(), lifespan=lifespan,
                  docs_url=None if swagger else "/docs",
                  description="Text -> ARKit facial animation: plan keyframes, pose 61 channels, animate, export.")
    app.state.studio, app.state.pool, app.state.streamer = studio, pool, streamer

    async def work(fn: Callable[..., Any], *args: Any) -> Any:
        """Run CPU work in the pool, bounded by the time limit."""
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.run_in_executor(pool, partial(fn, *args)), time_limit)
        except TimeoutError:
            raise _TimeLimit(time_limit) from None

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = sorted(exc.errors(), key=lambda e: -len(e.get("loc", ())))  # the most specific first
        err = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        field = _field_path(err.get("loc", ()))
        if err.get("type") == "json_invalid":
            return _error(400, f"the body is not valid JSON: {err.get('ctx', {}).get('error', err['msg'])}", None)
        return _error(422, f"field '{field}': {err['msg']}" if field else str(err["msg"]), field)

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
        return {"keyframes": await work(studio.plan, body.background, body.emotion, body.keyframes)}

    @app.post("/api/pose", summary="one description -> 61 ARKit values and the explanation")
    async def pose(body: PoseIn) -> dict[str, Any]:
        return await work(studio.pose, body.description, body.background, body.emotion, body.intensity)

    @app.post("/api/animate", summary="a script -> keyframes with times and values, frame count, file URLs")
    async def animate(body: AnimateIn) -> dict[str, Any]:
        result = await work(studio.animate, body.model_dump(exclude_none=True))
        return result.summary()

    @app.get("/api/animations/{id}", summary="a result again, by id")
    async def get(id: str) -> dict[str, Any]:
        return studio.get(id).summary()

    @app.post("/api/animations/{id}/keyframes/{index}", summary="re-pose one keyframe; the others are kept")
    async def edit(id: str, index: int, body: KeyframeIn) -> dict[str, Any]:
        result = await work(studio.edit, id, index, body.model_dump(exclude_none=True))
        return result.summary()

    @app.get("/api/animations/{id}/values", summary="dense (frames, 61) curves")
    async def values(id: str) -> dict[str, Any]:
        return await work(studio.values, id)

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
        filename, data = await work(studio.file, id, kinds[name])
        return Response(data, media_type=_MEDIA[kinds[name]],
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @app.post("/api/stream", summary="start sending an animation to Live Link / VMC from a frame")
    async def stream_start(body: StreamIn) -> dict[str, Any]:
        timeline = studio.get(body.id).animation.timeline
        return streamer.start(timeline.values, timeline.fps, start_frame=body.start_frame, host=body.host,
                              port=body.port, protocol=body.protocol)

    @app.delete("/api/stream", summary="stop streaming")
    async def stream_stop() -> dict[str, Any]:
        return streamer.stop()

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
        if live.face is None or not live.where.get("live"):
            return {"live": False}
        return {**live.where, "values": {n: round(float(v), 4) for n, v in zip(CHANNELS, live.current())}}

    @app.delete("/api/live", summary="stop live mode")
    async def live_stop() -> dict[str, Any]:
        return live.stop()

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

    return _BodyLimit(app, MAX_BODY)


class _TimeLimit(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"the request took longer than the {seconds:g} s limit")


class _BodyLimit:
    """ASGI middleware: bodies over ``limit`` bytes get 413 before the app reads them."""

    def __init__(self, app: FastAPI, limit: int) -> None:
        self.app, self.limit = app, limit

    def __getattr__(self, name: str) -> Any:  # app.state, app.routes ... for tests and tools
        return getattr(self.app, name)

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _send_413(send, self.limit)
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await _send_413(send, self.limit)
                return
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _send_413(send: Callable, limit: int) -> None:
    import json

    payload = json.dumps({"error": f"request body over {limit} bytes", "field": "body"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})


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
        elif part in ("str", "KeyframeIn", "int", "float"):  # union member names pydantic adds
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
