"""The studio: a web page and REST API over the library (``keyframeface serve``). Needs the ``web`` extra."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["serve"]


def serve(host: str = "127.0.0.1", port: int = 8000, *, time_limit: float = 30.0,
          allow_hosts: Sequence[str] = ()) -> None:
    """Run the studio on uvicorn until interrupted; ListenError (exit 4) when host:port cannot be had."""
    try:
        import uvicorn
    except ImportError:
        from ..errors import MissingExtra

        raise MissingExtra("the studio needs FastAPI and uvicorn: pip install 'keyframeface[web]'") from None
    from .app import create_app
    from .server import bind, config

    sock = bind(host, port)  # before uvicorn: a busy port is our clear error, not uvicorn's exit 3
    app = create_app(time_limit=time_limit, bound_host=host, allow_hosts=allow_hosts)
    try:
        uvicorn.Server(config(app, host, port)).run(sockets=[sock])
    finally:
        sock.close()
