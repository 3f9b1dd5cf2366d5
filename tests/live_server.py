"""The demo app on its own SQLite file, served on a free local port for the tests that talk
to it over HTTP (the browser walk-throughs and the API tour), and the headless Chromium that
drives it (``browser`` and ``page`` fixtures, loaded by tests/conftest.py for any module that
defines a ``live_server`` fixture)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright
from werkzeug.serving import make_server

from hrms.extensions import db
from hrms.settings import DEFAULT_DEMO_PASSWORD

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask

    def at(self, path: str) -> str:
        return self.url + path


def buffered(app: WSGIApplication) -> WSGIApplication:
    """Reads each response whole and closes it before the development server writes it.

    When Chromium drops a connection mid-response (it abandons its favicon request when a
    page navigates away), werkzeug's development server skips closing the response, so a
    static file stays open and its ResourceWarning fails whichever test is running. Gunicorn,
    which serves the app in production, always closes it.
    """

    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                close()

    return serve


@contextmanager
def serve_demo(folder: Path, environment: Mapping[str, str] | None = None) -> Iterator[LiveServer]:
    """Migrates a fresh database in ``folder``, loads the demo data and serves the app until
    the block ends. ``environment`` adds settings (read once, in create_app)."""
    from hrms.app import create_app

    with pytest.MonkeyPatch.context() as env:
        # settings are read once, in create_app: the environment is restored right after
        env.setenv("HRMS_INSTANCE_PATH", str(folder / "instance"))
        env.setenv("HRMS_DATABASE_URL", f"sqlite:///{folder / 'live.sqlite3'}")
        env.setenv("HRMS_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        for name, value in (environment or {}).items():
            env.setenv(name, value)
        app = create_app({"TESTING": True})
    try:
        with app.app_context():  # the `flask` command pushes one; the test runner does not
            upgrade()
            result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        server = make_server("127.0.0.1", 0, buffered(app), threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        try:
            yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def browser(live_server: LiveServer) -> Iterator[Browser]:
    """Headless Chromium, closed before the live server stops (hence the dependency)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            headless=True, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test.

    Script errors, console errors (a CSP refusal shows up there) and failed stylesheets or
    scripts fail the test. Pages themselves may answer 401/403 on purpose; Chromium's own
    request for /favicon.ico (the app has none) is ignored.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console error: {message.text}")

    def on_response(response: Response) -> None:
        kind = response.request.resource_type
        if kind == "document" or response.url.endswith("/favicon.ico"):
            return
        if response.status >= 400:
            problems.append(f"{response.status} for {kind} {response.url}")

    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("console", on_console)
    tab.on("response", on_response)
    try:
        yield tab
        assert problems == [], problems
    finally:
        context.close()
