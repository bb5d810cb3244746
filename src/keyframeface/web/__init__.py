"""The studio: a web page and REST API over the library (``keyframeface serve``). Needs the ``web`` extra."""

from __future__ import annotations

__all__ = ["serve"]


def serve(host: str = "127.0.0.1", port: int = 8000, *, time_limit: float = 30.0) -> None:
    """Run the studio on uvicorn until interrupted."""
    try:
        import uvicorn
    except ImportError:
        from ..errors import MissingExtra

        raise MissingExtra("the studio needs FastAPI and uvicorn: pip install 'keyframeface[web]'") from None
    from .app import create_app

    uvicorn.run(create_app(time_limit=time_limit), host=host, port=port, log_level="warning")
