"""On a slow 3G link (about 400 kbit/s, 400 ms latency) the report's charts appear within 15 seconds."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from tests.browser.test_report_first import _login, report_url  # noqa: F401  (a fixture)

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
BUDGET_S = 15
SHOTS = os.environ.get("REPORT_SHOTS")


def test_the_report_charts_render_within_the_budget_on_slow_3g(browser: Any, live_server: str,
                                                                report_url: str) -> None:  # noqa: F811
    context = browser.new_context(base_url=live_server, viewport={"width": 375, "height": 812})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    plotly: list[Any] = []
    page.on("response", lambda r: plotly.append(r) if "plotly" in r.url else None)
    _login(page, "member@example.org")  # on the slow link too: the stylesheet is fetched here, once
    started = time.monotonic()
    page.goto(report_url, wait_until="commit", timeout=60_000)
    page.wait_for_selector("#radar-chart svg.main-svg", timeout=60_000)
    page.wait_for_selector("#bar-chart svg.main-svg", timeout=60_000)
    elapsed = time.monotonic() - started
    print(f"report charts on slow 3G: {elapsed:.1f} s")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/report-slow-3g-375.png", full_page=True)
    context.close()
    assert plotly and plotly[0].headers.get("content-encoding") == "gzip"
    assert elapsed < BUDGET_S, f"charts after {elapsed:.1f} s on slow 3G"
