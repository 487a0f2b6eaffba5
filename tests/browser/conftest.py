"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live server.

Also the outside checkers every page type must pass: axe-core for accessibility and the Nu Html
Checker for valid HTML, both installed from npm by `make test`.
"""

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from ..conftest import load_seeds

# Playwright's sync API runs an event loop in the test thread; the ORM is still used synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def shared_live_server(request) -> Iterator:
    """pytest-django's live server, but static files come from WhiteNoise and STATIC_ROOT, as
    in production (Django's test handler would look for the hashed names with the finders)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(request.config.getvalue("liveserver") or "localhost", start=False)
    server.thread.static_handler = lambda handler: handler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server(shared_live_server) -> Iterator:
    """The server, under the name for which pytest-django gives each test a database of its
    own, emptied after it."""
    return shared_live_server


@pytest.fixture(scope="module")
def seeded_server(django_db_setup, django_db_blocker, shared_live_server) -> Iterator[str]:
    """The curated seed, committed once for a module whose tests only read, and the server's
    address. Those tests are marked `django_db`: each runs in a transaction of its own, which the
    server never sees, rather than asking for `live_server`, whose database is emptied after
    every test. When the module is done, the database is put back as it was."""
    with django_db_blocker.unblock():
        before = connection.creation.serialize_db_to_string()
        load_seeds()
        try:
            yield shared_live_server.url
        finally:
            call_command(
                "flush",
                interactive=False,
                verbosity=0,
                reset_sequences=False,
                inhibit_post_migrate=True,
            )
            connection.creation.deserialize_db_from_string(before)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; `make test` installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh browser tab, 1280 px wide; console errors are collected in page.console_errors.
    The data it shows comes from `live_server` (a database per test) or `seeded_server`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=False)
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
    yield tab
    context.close()


@pytest.fixture
def checker_page(browser) -> Iterator:
    """A tab that may inject axe-core, which a strict Content-Security-Policy would refuse."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.x A/AA violations on the current page, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}
        })"""
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]


def html_errors(pages: dict[str, str]) -> dict[str, list[str]]:
    """The Nu Html Checker's errors in each page that has any, by the page's name. The pages
    are checked as files (it refuses localhost URLs), all in one run: each run starts a JVM."""
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for name, html in pages.items():
            files.append(Path(folder) / f"{name}.html")
            files[-1].write_text(html, encoding="utf-8")
        completed = subprocess.run(
            ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files)],
            capture_output=True,
            check=True,
            timeout=300,
        )
    errors: dict[str, list[str]] = {}
    for message in json.loads(completed.stderr or completed.stdout)["messages"]:
        if message["type"] in {"error", "non-document-error"}:
            name = Path(unquote(urlparse(message.get("url", "")).path)).stem
            line = f"line {message.get('lastLine')}: {message['message']}"
            errors.setdefault(name, []).append(line)
    return errors


def horizontal_overflow(page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits the viewport)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
