"""Headquarters in a real browser: filters, charts, downloads and the API, on a phone-sized screen."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from werkzeug.security import generate_password_hash

from readiness.extensions import db
from readiness.models import Role, User
from tests.web.hq_factory import make_portfolio

PASSWORD = "correct horse battery"


@pytest.fixture
def hq_page(page: Any, db_session: Any) -> Any:
    """A browser page logged in as headquarters, over a portfolio of six delegations."""
    make_portfolio(6, per_delegation=2)
    db.session.add(User(email="hq@example.org", name="Henri", role=Role.HQ, password_hash=generate_password_hash(PASSWORD)))
    db.session.commit()
    page.goto("/login")
    page.fill("input[name=email]", "hq@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    return page


def assert_clean(page: Any, axe_violations: Callable[[Any], list[dict[str, Any]]]) -> None:
    assert axe_violations(page) == []
    # Plotly 3 tries one <style> element and carries on without it; nothing else may be refused.
    assert [v for v in page.csp_violations if "style-src" not in v] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_filter_the_portfolio_and_share_the_address(hq_page: Any, axe_violations: Any) -> None:
    page = hq_page
    page.get_by_role("link", name="Headquarters").click()
    assert page.locator("#portfolio-count").inner_text() == "6 delegations"

    page.locator("summary", has_text="Filter and sort").click()
    page.select_option("#f-region", "Europe")
    page.get_by_role("button", name="Apply filters").click()

    assert "region=Europe" in page.url
    assert page.locator("#portfolio-count").inner_text() == "3 delegations"
    page.goto(page.url)  # the same address gives the same view
    assert page.locator("#portfolio-count").inner_text() == "3 delegations"
    assert_clean(page, axe_violations)


def test_open_the_heatmap(hq_page: Any, axe_violations: Any) -> None:
    page = hq_page
    page.goto("/hq/heatmap")
    page.wait_for_selector("#heatmap[data-plotted=yes]")

    assert page.locator("#heatmap .heatmaplayer").count() == 1
    rows = page.locator("#heatmap g.ytick text").all_text_contents()
    assert len(rows) == 6 and "Place000 office" in rows  # one row per delegation
    assert page.locator(".hq-table-alt tbody tr").count() == 6
    assert page.locator(".hq-table-alt tbody tr").first.is_visible()  # the table is open from the start
    assert_clean(page, axe_violations)


def test_compare_a_delegation_with_its_peers(hq_page: Any, axe_violations: Any) -> None:
    page = hq_page
    page.goto("/hq/")
    page.get_by_role("link", name="vs peers").first.click()
    page.wait_for_selector("#peers[data-plotted=yes]")

    assert "against 1 peer delegation" in page.locator("#peer-summary").inner_text()
    page.get_by_role("link", name="region (West Africa)").click()
    page.wait_for_selector("#peers[data-plotted=yes]")
    assert "against 2 peer delegations" in page.locator("#peer-summary").inner_text()
    assert page.locator(".hq-peers tbody tr").count() == 5
    assert_clean(page, axe_violations)


def test_open_a_trend(hq_page: Any, axe_violations: Any) -> None:
    page = hq_page
    page.goto("/hq/")
    page.get_by_role("link", name="Place000 office").click()
    page.wait_for_selector("#trend[data-plotted=yes]")

    assert page.locator("#trend .scatterlayer .trace").count() == 6  # overall + five dimensions
    assert page.get_by_role("heading", name="Since the previous assessment").is_visible()
    assert page.locator(".hq-deltas tbody tr").count() == 6
    assert_clean(page, axe_violations)


def test_download_csv_and_xlsx(hq_page: Any) -> None:
    page = hq_page
    page.goto("/hq/?region=Europe")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download XLSX").click()

    rows = list(csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 6 and {r["region"] for r in rows} == {"Europe"}
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("assessment_id", "delegation") and len(values) == 7


def test_call_the_api_with_and_without_a_token(hq_page: Any, axe_violations: Any) -> None:
    page = hq_page
    page.goto("/hq/api")
    page.fill("#token-name", "Regional dashboard")
    page.get_by_role("button", name="Create a token").click()
    token = page.locator("#new-token").inner_text()
    assert_clean(page, axe_violations)

    refused = page.request.get("/api/v1/portfolio", headers={"Authorization": ""})
    served = page.request.get("/api/v1/portfolio?context=stable", headers={"Authorization": f"Bearer {token}"})
    described = page.request.get("/api/v1/openapi.json")

    assert refused.status == 401 and "token" in refused.json()["error"]["message"]
    assert served.status == 200 and len(served.json()["data"]) == 2
    assert described.json()["openapi"].startswith("3.")


def _add_draft(delegation_name: str) -> int:
    from datetime import datetime, timezone

    from sqlalchemy import select

    from readiness.models import Assessment, AssessmentStatus, Delegation

    delegation = db.session.scalar(select(Delegation).where(Delegation.name == delegation_name))
    draft = Assessment(
        delegation=delegation, title="Next round", tool_name="Primero", questionnaire_id="readiness",
        questionnaire_version="1.0", charter_id="ethics_charter", charter_version="1.0",
        status=AssessmentStatus.DRAFT, created_at=datetime(2030, 1, 1, tzinfo=timezone.utc),
    )
    db.session.add(draft)
    db.session.commit()
    return draft.id


def test_portfolio_counts_badge_and_report_links(hq_page: Any, axe_violations: Any) -> None:
    page = hq_page
    draft = _add_draft("Place000 office")
    page.goto("/hq/")

    counts = {key: page.locator(f'[data-count="{key}"] dd').inner_text()
              for key in ("go", "go_with_conditions", "no_go", "decisions_pending", "overdue_actions")}
    assert counts == {"go": "0", "go_with_conditions": "6", "no_go": "0", "decisions_pending": "0", "overdue_actions": "6"}
    row = page.locator("tbody tr", has_text="Place000 office")
    assert row.locator(f'[data-newer="{draft}"]').inner_text() == "Newer assessment: draft"
    assert "Decision: Go with conditions" in row.inner_text()  # the draft does not hide the decided result
    assert_clean(page, axe_violations)

    row.locator("td a").first.click()
    page.wait_for_url("**/assessments/*/report")
    assert page.locator("h1").count() == 1


def test_fifteen_delegations_fit_on_a_laptop_screen(page: Any, hq_page: Any) -> None:
    make_portfolio(14, per_delegation=1)  # 20 delegations in all
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/hq/")

    heights = page.eval_on_selector_all(".hq-portfolio tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)")
    header = page.eval_on_selector(".hq-portfolio thead", "h => h.getBoundingClientRect().height")

    assert len(heights) == 20
    assert header + sum(sorted(heights)[-15:]) <= 768  # even the 15 tallest rows and the header fit


def test_heatmap_cells_link_to_reports_headers_stick_and_rows_sort_both_ways(hq_page: Any, axe_violations: Any) -> None:
    page = hq_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/hq/heatmap")

    table = page.locator(".hq-heat")
    assert table.locator("thead th").first.evaluate("th => getComputedStyle(th).position") == "sticky"
    best = table.locator("tbody th[scope=row]").all_inner_texts()
    page.get_by_role("link", name="overall score, lowest first").click()
    page.wait_for_load_state()  # all_inner_texts() does not wait: the sorted page must have arrived whole
    worst = page.locator(".hq-heat tbody th[scope=row]").all_inner_texts()
    assert worst == list(reversed(best))
    assert axe_violations(page) == []  # a laptop-sized screen here: the phone-width check is in test_open_the_heatmap

    page.locator(".hq-heat tbody td a").nth(1).click()
    page.wait_for_url("**/assessments/*/report")
