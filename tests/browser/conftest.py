"""Browser fixtures: Debian's Chromium through Playwright, a live server, axe-core.

Outside CI a missing Chromium or axe-core skips these tests; with CI=true it fails them.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"
BLOCKING_IMPACTS = {"serious", "critical"}


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(f"{message} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


class Network:
    """The live server's side of the connection: while cut, every request is dropped unanswered.

    Playwright's ``set_offline`` is emulation inside each tab, and it does not hold: a tab that
    navigates away or closes is told it is "online" again while its scripts still run, and a
    request it sends then reaches the server. Cutting here makes "no connection" true for every
    page, service worker and closing tab alike; requests fail as they do on a phone without signal.
    """

    def __init__(self) -> None:
        self._up = threading.Event()
        self._up.set()
        self.dropped = 0

    def cut(self) -> None:
        self._up.clear()

    def restore(self) -> None:
        self._up.set()

    def passes(self) -> bool:
        if self._up.is_set():
            return True
        self.dropped += 1
        return False


@pytest.fixture
def network() -> Network:
    """Switch for the live server's connection: ``network.cut()``, ``network.restore()``."""
    return Network()


def _handler_for(network: Network) -> type[WSGIRequestHandler]:
    class Handler(WSGIRequestHandler):
        def run_wsgi(self) -> None:
            if network.passes():
                super().run_wsgi()
            else:
                self.close_connection = True  # closed without a byte of answer, as a lost connection

    return Handler


@pytest.fixture
def live_server(app: Flask, network: Network) -> Iterator[str]:
    """Serve ``app`` on a free local port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_handler_for(network))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    """A page on the live server, 375 px wide like a field worker's phone."""
    context = browser.new_context(base_url=live_server, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda msg: _record_csp(page, msg))
    yield page
    context.close()


def _record_csp(page: Any, message: Any) -> None:
    if "Content Security Policy" in message.text:
        page.csp_violations.append(message.text)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        _unavailable(f"axe-core not found at {AXE_JS}; run `npm install`")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe_violations(axe_source: str) -> Callable[[Any], list[dict[str, Any]]]:
    """``axe_violations(page)`` -> serious and critical accessibility violations on the page."""

    def check(page: Any) -> list[dict[str, Any]]:
        # A click that navigates returns once the next page starts arriving: axe must see all of it.
        page.wait_for_load_state()
        # Evaluated through DevTools, so our strict CSP stays on for the page itself.
        page.evaluate(axe_source)
        results = page.evaluate("async () => await axe.run(document)")
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results["violations"]
            if v["impact"] in BLOCKING_IMPACTS
        ]

    return check
