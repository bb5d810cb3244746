"""`keyframeface render --3d`: a preview video of the 3D ARKit head, rendered by headless Chromium.

The studio's own 3D view (three.js's Face Cap head, 52 morph targets by name) is loaded in Debian's
Chromium through Playwright from a studio served on a free loopback port; each frame is posed from
Python and read back from the canvas, then encoded by the same ffmpeg as the 2D previews.
"""

from __future__ import annotations

import base64
import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..errors import InputError, MissingExtra
from ..formats.animation_file import load_animation

__all__ = ["CHROMIUM", "render_3d"]

CHROMIUM = os.environ.get("KEYFRAMEFACE_CHROMIUM", "/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]
BATCH = 24  # frames posed and read back per browser round trip


def render_3d(input_path: str | os.PathLike, out_path: str | os.PathLike, *, size: int = 256,
              fps: float | None = None) -> Path:
    """Render INPUT (folder, CSV or keyframes.json) on the 3D head to OUT (.mp4 or .gif)."""
    from ..render.video import write_frames

    out = Path(out_path)
    if out.suffix.lower() not in (".mp4", ".gif"):
        raise InputError(f"unknown output type '{out.suffix}' for --3d: expected .mp4 or .gif", path=str(out))
    if size % 2 or not 64 <= size <= 1024:
        raise InputError(f"{size} is not an even size in [64, 1024] pixels", field="--size")
    sync_playwright = _requirements()
    anim = load_animation(input_path)
    rate = fps or anim.fps
    n = max(1, round(len(anim.values) * rate / anim.fps))
    values = anim.values[np.minimum(np.round(np.arange(n) * anim.fps / rate).astype(int), len(anim.values) - 1)]
    with _Studio() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.goto(f"{url}/static/render3d.html?size={size}")
            page.wait_for_function("window.ready === true", timeout=60_000)
            return write_frames(out, _frames(page, values), len(values), rate, (size, size), progress=False)
        finally:
            browser.close()


def _frames(page, values: np.ndarray) -> Iterator[np.ndarray]:
    from PIL import Image

    for start in range(0, len(values), BATCH):
        rows = np.round(values[start:start + BATCH], 5).tolist()
        for url in page.evaluate("rows => window.renderFrames(rows)", rows):
            png = base64.b64decode(url.split(",", 1)[1])
            yield np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _requirements():
    """Playwright's sync API, after checking Chromium, three.js and the head model are there."""
    from .app import facecap_path

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise MissingExtra("render --3d (Playwright driving Debian's chromium)", "render3d", "playwright") from None
    if not Path(CHROMIUM).exists():
        raise MissingExtra(f"render --3d needs Chromium at {CHROMIUM} (apt-get install chromium; "
                           "or set KEYFRAMEFACE_CHROMIUM)")
    three = Path(__file__).parent / "static" / "vendor" / "three" / "build" / "three.module.js"
    if not three.is_file() or facecap_path() is None:
        raise MissingExtra("render --3d needs three.js and the Face Cap head, which ship in keyframeface but are "
                           "missing from this installation: reinstall keyframeface")
    return sync_playwright


class _Studio:
    """The studio app on a free loopback port, in a thread, for the browser to load the head from."""

    def __enter__(self) -> str:
        import uvicorn

        from .app import create_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="error")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise MissingExtra("the studio server for render --3d did not start")
            time.sleep(0.02)
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
