"""The studio in headless Chromium (Debian's, via Playwright): page load until the page is usable (goal <= 1 s),
and editing one keyframe -> its new face on screen (goal <= 300 ms). Run: python bench/bench_web_browser.py"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from studio_server import StudioServer

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def main() -> None:
    with StudioServer() as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        loads = []
        for _ in range(10):
            t = time.perf_counter()
            page.goto(server.url + "/", wait_until="load")
            loads.append(time.perf_counter() - t)
        page.get_by_role("button", name="Animate").click()
        page.wait_for_selector(".card", timeout=60_000)
        edits = []
        card = page.locator(".card").nth(1)
        for i in range(15):
            old = page.evaluate("window.studio.result.id")
            card.locator(".description").fill(f"A wide grin with the jaw dropping open, take {i}.")
            t = time.perf_counter()
            card.get_by_role("button", name="Re-pose").click()
            page.wait_for_function(
                f"window.studio.result.id !== {old!r} && (() => {{ const img = document.querySelectorAll('.card')[1]"
                ".querySelector('.thumb'); return img.complete && img.naturalWidth > 0 && "
                "img.src.includes(window.studio.result.id); })()", polling="raf", timeout=30_000)
            edits.append(time.perf_counter() - t)
            card = page.locator(".card").nth(1)
        browser.close()
    for name, xs in (("page load (until the load event)", loads), ("edit one keyframe -> new face shown", edits)):
        s = sorted(xs)
        print(f"{name:<38} median {statistics.median(s) * 1000:.0f} ms, max {s[-1] * 1000:.0f} ms (n={len(s)})")


if __name__ == "__main__":
    main()
