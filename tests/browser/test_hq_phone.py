"""At 375 px every headquarters table is whole: it fits, or it scrolls sideways in its own labelled region, headers on top."""
from __future__ import annotations

import os
from typing import Any

import pytest

from .test_hq import hq_page  # noqa: F401 (fixture)

SHOTS = os.environ.get("READINESS_SCREENSHOTS")  # a folder to keep the screenshots in, to look at them

# For each table: its width, its region's width and overflow, the region's edges, and whether a
# header cell's text is clipped inside the cell.
MEASURE = """
(table) => {
  const region = table.closest('.table-wrap');
  const box = (region || table).getBoundingClientRect();
  const style = region ? getComputedStyle(region) : null;
  const heads = [...table.querySelectorAll('thead th')];
  return {
    table: table.scrollWidth, region: region ? region.clientWidth : null,
    scrolls: !!style && ['auto', 'scroll'].includes(style.overflowX),
    focusable: !!region && region.tabIndex >= 0 && !!region.getAttribute('aria-label'),
    left: box.left, right: box.right,
    heads: heads.length, clipped: heads.filter(th => th.scrollWidth > th.clientWidth + 1).map(th => th.innerText),
  };
}
"""


def whole(page: Any, name: str) -> None:
    """No table is cut: each fits its region or scrolls inside it; the page itself never scrolls sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
    tables = page.locator("main table")
    assert tables.count() > 0, name
    for index in range(tables.count()):
        table = tables.nth(index)
        if not table.is_visible():
            continue
        m = table.evaluate(MEASURE)
        where = (name, index, m)
        assert m["left"] >= 0 and m["right"] <= 375, where  # the region sits inside the screen
        assert m["heads"] > 0 and m["clipped"] == [], where  # headers on top, none cut mid-word
        if m["region"] is None or m["table"] > m["region"] + 1:
            assert m["scrolls"] and m["focusable"], where  # wider than the screen: a labelled scroll region
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"hq-{name}-375.png"), full_page=True)


@pytest.mark.parametrize("path", ["/hq/", "/hq/heatmap", "/hq/flags", "peers"])
def test_headquarters_tables_are_whole_on_a_phone(hq_page: Any, path: str) -> None:  # noqa: F811
    page = hq_page
    if path == "peers":
        page.goto("/hq/")
        page.get_by_role("link", name="vs peers").first.click()
        page.wait_for_selector("#peers[data-plotted=yes]")
    else:
        page.goto(path)
    for summary in page.locator("main details > summary").all():
        summary.click()  # tables kept behind "the same figures as a table"
    whole(page, path.removeprefix("/hq").strip("/") or "portfolio")
