"""The counsellor page in a real browser (issue 13): Debian's Chromium driven by Playwright, no
download at run time and no network beyond the local server. Paste the sample CV, check that the
cards show the fits of POST /api/match, switch the language, and keep screenshots at 375 and 1280
px (tests/artifacts/). Without a browser the run fails with the reason: it never skips."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CV = (ROOT / "examples" / "cv_key_account.txt").read_text(encoding="utf-8")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    path = os.environ.get("MATCHER_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("no Chromium found for the browser tests: install Debian's package (apt-get install chromium; "
                    "`make test` does this) or set MATCHER_CHROMIUM to a Chromium binary")
    return path


@pytest.fixture(scope="module")
def server(matcher):
    import uvicorn

    from matcher.server import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(matcher=matcher), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=FLAGS)
        yield b
        b.close()


def api_match(base: str, body: dict) -> dict:
    req = urllib.request.Request(f"{base}/api/match", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)


@pytest.mark.parametrize("width, height", [(375, 812), (1280, 900)])
def test_the_page_shows_the_api_fits(server, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "de" and page.get_by_text("Auswerten").is_visible()
    page.fill("#cv", CV)
    page.fill("#years", "6")
    page.click("#go")
    page.wait_for_selector(".card")
    want = api_match(server, {"skills": CV, "years": 6})
    cards = page.locator(".card")
    assert cards.count() == len(want["results"])
    shown = [(cards.nth(i).get_attribute("data-role-id"), float(cards.nth(i).locator(".fit-value").get_attribute("data-fit")))
             for i in range(cards.count())]
    assert shown == [(r["role"]["id"], r["fit"]) for r in want["results"]]
    first = cards.nth(0).inner_text().lower()  # headings are upper-cased by the style sheet
    for part in ("voraussetzungen", "es fehlt", "kernanforderungen", "lernplan", "nächster karriereschritt", "bereit"):
        assert part in first, part
    page.click("summary:has-text('So wurde jede Zeile gelesen')")
    assert page.locator(".reading li").count() >= 10
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-{width}.png"), full_page=True)
    page.click("button[data-lang=en]")
    assert "missing" in cards.nth(0).inner_text().lower() and page.locator("html").get_attribute("lang") == "en"
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / f"print-{width}.png"), full_page=True)
    assert page.locator("#form").is_hidden()
    assert not outside, outside  # nothing fetched from anywhere else
    page.close()


def test_keyboard_and_errors(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    page.keyboard.press("Tab")  # the language buttons, then the text area, reachable without a mouse
    page.focus("#cv")
    page.keyboard.type("Kaltakquise, SAP")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.click("#go")
    page.wait_for_selector(".card")
    page.fill("#cv", " ")
    page.click("#go")
    assert page.locator("#error").is_visible() and "einfügen" in page.locator("#error").inner_text()
    page.close()
