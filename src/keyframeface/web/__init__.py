"""The studio: a web page and REST API over the library (``keyframeface serve``). Needs the ``web`` extra."""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["serve"]


def serve(host: str = "127.0.0.1", port: int = 8000, *, time_limit: float = 30.0,
          allow_hosts: Sequence[str] = (), on_listening: Callable[[str], None] | None = None) -> None:
    """Run the studio on uvicorn until interrupted; ListenError (exit 4) when host:port cannot be had.

    ``on_listening(url)`` is called once it accepts connections (after the app's startup, with the real port when
    ``port`` is 0), so a banner never announces a dead server."""
    try:
        import uvicorn
    except ImportError:
        from ..errors import MissingExtra

        raise MissingExtra("the studio (FastAPI on uvicorn)", "web", "fastapi") from None
    from .app import create_app
    from .server import bind, config

    class _Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:  # type: ignore[no-untyped-def]
            await super().startup(sockets=sockets)
            if self.started and on_listening is not None:
                bound = self.servers[0].sockets[0].getsockname() if self.servers else (host, port)
                on_listening(f"http://{host}:{bound[1]}/")

    sock = bind(host, port)  # before uvicorn: a busy port is our clear error, not uvicorn's exit 3
    app = create_app(time_limit=time_limit, bound_host=host, allow_hosts=allow_hosts)
    try:
        _Server(config(app, host, port)).run(sockets=[sock])
    finally:
        sock.close()
