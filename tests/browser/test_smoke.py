"""The app renders in a real browser under its strict CSP, readable at 375 px."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from readiness.web.auth import public
from flask import Blueprint, Flask, render_template_string


def test_error_page_is_accessible_and_fits_a_phone(
    page: Any, axe_violations: Callable[[Any], list[dict[str, Any]]]
) -> None:
    response = page.goto("/no-such-page")

    assert response.status == 404
    assert page.locator("h1").inner_text().startswith("404")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    assert page.csp_violations == []


def test_our_stylesheet_loads_under_the_csp(page: Any) -> None:
    page.goto("/no-such-page")

    font_family = page.evaluate("getComputedStyle(document.documentElement).fontFamily")

    assert "system-ui" in font_family
    assert page.csp_violations == []


def _add_chart_page(app: Flask) -> None:
    bp = Blueprint("chart_probe", __name__)

    @bp.get("/chart-probe")
    @public
    def chart_page() -> str:
        return render_template_string(CHART_PAGE)

    @bp.get("/chart-probe.js")
    @public
    def chart_script() -> tuple[str, int, dict[str, str]]:
        return CHART_JS, 200, {"Content-Type": "text/javascript"}

    app.register_blueprint(bp)


CHART_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>chart</title>
<script src="{{ plotly_js_url() }}"></script><script src="/chart-probe.js" defer></script>
</head><body><main><div id="chart"></div></main></body></html>"""
CHART_JS = """Plotly.newPlot("chart", [{type: "bar", x: ["a", "b"], y: [1, 2]}])
  .then(() => document.body.dataset.plotted = "yes");"""


def test_plotly_draws_a_chart_under_our_csp(app: Flask, page: Any) -> None:
    _add_chart_page(app)

    page.goto("/chart-probe")
    page.wait_for_selector("body[data-plotted=yes]")

    assert page.locator("#chart svg.main-svg").count() > 0
    # Plotly 3 tries one <style> element, is refused and carries on without it (logged).
    assert [v for v in page.csp_violations if "style-src" not in v] == []
