"""Browser journeys: a real Chromium, driven by Playwright, against Django's live server.

The browser is the machine's own Chromium (Debian's ``chromium``, or the program named by
KAYNAK_CHROMIUM); Playwright's browser downloads are never used. Where no Chromium is found the
journeys are reported as not run, with the reason; KAYNAK_REQUIRE_BROWSER=1 (as in CI) or
KAYNAK_REQUIRE_TOOLS=1 turns that into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from django.db import connections
from playwright.sync_api import Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

# The live server listens on the loopback address only (pytest-django's default is "localhost").
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

# Generous for a busy two-core CI machine; a passing journey never waits this long.
expect.set_options(timeout=10_000)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ARGS = [
    # CI runs as root, where Chromium's sandbox cannot start.
    "--no-sandbox",
    "--disable-gpu",
    # Nothing but the live server should be contacted.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = "no Chromium found (install Debian's chromium or set KAYNAK_CHROMIUM)"


def find_chromium() -> str | None:
    """The Chromium to drive: KAYNAK_CHROMIUM when set, otherwise the first on PATH."""
    configured = os.environ.get("KAYNAK_CHROMIUM", "").strip()
    if configured:
        found = shutil.which(configured)
        if found is None:
            pytest.fail(
                f"KAYNAK_CHROMIUM is {configured!r}, which is not an executable program.",
                pytrace=False,
            )
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    executable = find_chromium()
    if executable is None:
        # Only reached where browser tests are required (see pytest_collection_modifyitems).
        pytest.fail(f"Browser tests are required here, but {NO_CHROMIUM}.", pytrace=False)
    return executable


def browser_required() -> bool:
    return "1" in (os.environ.get("KAYNAK_REQUIRE_BROWSER"), os.environ.get("KAYNAK_REQUIRE_TOOLS"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser journeys are reported as not run, with the reason, where no Chromium is found,
    unless they are required here (then the ``chromium_executable`` fixture fails them)."""
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if browser_items and not browser_required() and find_chromium() is None:
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=f"not run: {NO_CHROMIUM}"))


@pytest.fixture(scope="session")
def live_server(django_db_setup: None, live_server: LiveServer) -> LiveServer:
    """pytest-django's live server, started once the test database exists.

    Otherwise it starts first (session fixtures are set up before the database) and, with
    SQLite, does not see that the test database is in memory: instead of sharing the test's
    connection, each request then opens one of its own and leaves it open.
    """
    return live_server


@pytest.fixture
def page(
    chromium_executable: str, live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Page]:
    """A fresh browser tab whose relative URLs go to the live server.

    While Playwright's sync API is started it keeps an asyncio loop marked as running in this
    thread. Django then refuses database calls here, and keeps the connections it opens apart
    from the thread's usual ones, as for async code. The refusal is lifted for the browser test
    alone (the loop only waits for the browser, so it is safe), the connections the test opened
    are closed before Playwright stops (nothing else would close them, and PostgreSQL cannot
    drop the test database while one is open), and the browser lives for one test, not the
    session, so that every other test keeps Django's checks.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(base_url=live_server.url)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
            connections.close_all()
