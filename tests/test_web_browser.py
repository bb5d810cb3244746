"""The studio page in a real browser: Playwright driving Debian's Chromium against a real server.

Skips, saying why, when Playwright or /usr/bin/chromium is absent (scripts/test.sh installs both).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi, uvicorn) is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")

from studio_server import StudioServer

from keyframeface.formats.livelink_csv import read_livelink_csv

CHROMIUM = os.environ.get("KEYFRAMEFACE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} not found (apt-get install chromium; the registry's browser "
                              "download is not reachable here)"),
]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server():
    with StudioServer() as s:
        yield s


@pytest.fixture
def page(browser, server):
    """A page that records console errors, uncaught exceptions and requests off this server; the test fails on any."""
    context = browser.new_context(accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    foreign: list[str] = []
    pg.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((server.url, "data:", f"blob:{server.url}"))
          else None)
    yield pg
    context.close()
    assert errors == [], f"console errors: {errors}"
    assert foreign == [], f"requests off the studio (a CDN?): {foreign}"


def test_write_watch_tweak_and_download(page, server, tmp_path):
    page.goto(server.url + "/")
    page.get_by_label("Background").fill("A student waits outside an interview room.")
    page.get_by_label("Emotion").fill("Anxiety concealed by a restrained smile.")
    page.get_by_role("button", name="Animate").click()
    page.wait_for_selector(".card", timeout=60_000)
    cards = page.locator(".card")
    assert cards.count() >= 2
    assert page.locator(".card .why li").count() > 0  # explanations are shown

    # The face plays by itself after Animate (no Play press): the picture changes and the scrubber follows.
    face = page.locator("#face")
    page.wait_for_function("window.studio.playing && window.studio.frame > 40", timeout=20_000)
    page.get_by_role("button", name="Pause").click()
    page.wait_for_function("document.getElementById('face').complete")
    after = face.screenshot()
    frame = page.evaluate("window.studio.frame")
    assert frame > 40 and int(page.locator("#scrubber").input_value()) == frame
    page.locator("#scrubber").fill("0")
    page.wait_for_function("window.studio.frame === 0 && document.getElementById('face').complete")
    assert face.screenshot() != after
    page.get_by_role("button", name="Play").click()  # Play resumes by hand too
    page.wait_for_function("window.studio.frame > 20", timeout=20_000)
    page.get_by_role("button", name="Pause").click()

    # The 3D head (three.js and facecap.glb ship in the package) follows the same frames.
    assert page.evaluate("fetch('/api/info').then(r => r.json()).then(i => i.head3d)"), "three.js + facecap.glb ship"
    page.wait_for_function("window.studio.head !== null", timeout=30_000)
    assert page.evaluate("window.studio.head.morphs") == 52
    head = page.locator("#head3d")
    page.locator("#scrubber").fill("0")
    rest = head.screenshot()
    page.locator("#scrubber").fill(str(page.evaluate("window.studio.result.keyframes[0].frame")))
    assert head.screenshot() != rest

    # The CSV download is a Live Link Face CSV.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "animation.csv"
    assert path.read_text(encoding="utf-8").startswith("Timecode,BlendShapeCount,EyeBlinkLeft,")
    take = read_livelink_csv(path)
    assert take.frames == page.evaluate("window.studio.result.frames")

    # Editing one keyframe re-poses only it.
    old = page.evaluate("window.studio.result")
    second = cards.nth(1)
    second.locator(".description").fill("The jaw drops wide open in a huge grin.")
    second.get_by_role("button", name="Re-pose").click()
    page.wait_for_function(f"window.studio.result.id !== {old['id']!r}", timeout=30_000)
    new = page.evaluate("window.studio.result")
    changed = [i for i, (a, b) in enumerate(zip(old["keyframes"], new["keyframes"])) if a["values"] != b["values"]]
    assert changed == [1]
    assert page.locator(".card").nth(1).locator(".description").input_value().startswith("The jaw drops")


def test_live_from_the_page(page, server):
    page.goto(server.url + "/")
    page.get_by_label("Live", exact=True).check()
    page.wait_for_function("document.getElementById('live-face').complete && "
                           "document.getElementById('live-face').naturalWidth > 0", timeout=20_000)
    say = page.get_by_label("Say")
    say.fill("the jaw drops wide open")
    say.press("Enter")
    page.wait_for_function("document.getElementById('say').value === ''", timeout=20_000)
    deadline = time.monotonic() + 20
    jaw = 0.0
    while jaw <= 0.3 and time.monotonic() < deadline:  # the streamed face moves to the line
        jaw = page.evaluate("async () => (await (await fetch('/api/live')).json()).values.JawOpen")
        time.sleep(0.05)
    assert jaw > 0.3
    page.get_by_label("Live", exact=True).uncheck()
    page.wait_for_function("document.getElementById('live-face').hidden", timeout=10_000)


def test_the_api_docs_load_without_a_cdn(page, server):
    from importlib import resources

    bundle = resources.files("keyframeface.web") / "static" / "vendor" / "swagger" / "swagger-ui-bundle.js"
    assert bundle.is_file(), "Swagger UI ships in the package (static/vendor/swagger)"
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server.url + "/docs")
    page.get_by_text("/api/animate", exact=True).first.wait_for(timeout=30_000)
    assert requested and all(u.startswith((server.url, "data:")) for u in requested), requested


def test_the_stream_toggle_sends_live_link_as_it_plays(page, server):
    import socket

    from keyframeface.formats.livelink_udp import decode_packet

    page.goto(server.url + "/")
    page.get_by_role("button", name="Animate").click()
    page.wait_for_selector(".card", timeout=60_000)
    page.wait_for_function("!window.studio.playing", timeout=60_000)  # the autoplay after Animate has ended
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(10)
        page.get_by_label("receiver port", exact=True).fill(str(sock.getsockname()[1]))
        page.get_by_label("Stream").check()
        page.get_by_role("button", name="Play").click()
        packets = [decode_packet(sock.recv(2048)) for _ in range(10)]
        page.get_by_role("button", name="Pause").click()
    frames = [p.frame for p in packets]
    assert frames == list(range(frames[0], frames[0] + 10)) and packets[0].subject == "keyframeface"
