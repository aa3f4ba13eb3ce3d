"""Browser tests: Python Playwright driving Debian's Chromium (never a downloaded browser).

Every page's requests are recorded; a request to any host but the test server fails the test.
"""

import contextlib
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ALLOWED_HOSTS = {"127.0.0.1"}

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make around it are
# ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = (
            f"Chromium is not installed at {CHROMIUM} (apt-get install chromium): browser tests skipped."
        )
        if os.environ.get("GROUNDSWELL_REQUIRE_BROWSER"):
            pytest.fail(message.replace("skipped", "required by GROUNDSWELL_REQUIRE_BROWSER"))
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RequestLog(list):
    def foreign(self):
        return [
            url
            for url in self
            if urlsplit(url).scheme in {"http", "https", "ws", "wss"}
            and urlsplit(url).hostname not in ALLOWED_HOSTS
        ]


@pytest.fixture
def requests_made():
    return RequestLog()


@pytest.fixture
def page(browser, live_server, requests_made):
    assert urlsplit(live_server.url).hostname == "127.0.0.1"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.on("request", lambda request: requests_made.append(request.url))
    console_errors = []
    page.on(
        "console", lambda message: console_errors.append(message.text) if message.type == "error" else None
    )
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert requests_made.foreign() == [], "pages asked the browser for another host"
    csp_errors = [text for text in console_errors if "Content Security Policy" in text]
    assert csp_errors == [], csp_errors


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextlib.contextmanager
def page_in(browser, **context_options):
    """A page in a context of its own (a time zone, a phone), held to the `page` fixture's rules: no host
    but ours, no Content-Security-Policy error."""
    options = {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB", **context_options}
    context = browser.new_context(**options)
    page = context.new_page()
    requests_made, console_errors = RequestLog(), []
    page.on("request", lambda request: requests_made.append(request.url))
    page.on(
        "console", lambda message: console_errors.append(message.text) if message.type == "error" else None
    )
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()
    assert requests_made.foreign() == [], "pages asked the browser for another host"
    assert [text for text in console_errors if "Content Security Policy" in text] == []
