"""At 375 px the action plan and a member's assessments stack into cards: nothing cut, nothing scrolls sideways."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from readiness.extensions import db
from readiness.models import Role
from readiness.services import actions as action_service
from readiness.services.respondents import invite_respondents

from ..web.test_report_page import make_assessment

PASSWORD = "correct horse battery"


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def fits(page: Any, selector: str) -> None:
    """Every cell of the table is inside the 375 px viewport, and the page does not scroll sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 376, page.url
    cells = page.locator(f"{selector} td, {selector} tbody th")
    assert cells.count() > 0
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 376, (page.url, index, box)


def test_the_plan_and_the_members_home_fit_a_phone(page: Any, make_user: Any, db_session: Any,
                                                   axe_violations: Callable[[Any], list[dict[str, Any]]]) -> None:
    assessment = make_assessment()
    action_service.create_action(None, assessment, title="Train the supervisors on the new case plan form",
                                 owner="Sara Diallo", due_date=date(2026, 10, 1))
    db.session.commit()
    user = make_user(role=Role.MEMBER, password=PASSWORD, delegations=[assessment.delegation])
    log_in(page, user.email)
    assert page.url.endswith("/delegations")  # the member lands on their work
    fits(page, "table.assessment-lines")
    assert "Read the report and record the decision" in page.locator("main").inner_text()
    page.goto(f"/assessments/{assessment.id}/actions")
    fits(page, "table.plan-table")
    assert page.locator("table.plan-table td", has_text="Sara Diallo").is_visible()
    assert axe_violations(page) == []
    assert page.csp_violations == []


def test_the_respondents_welcome_page_fits_a_phone(page: Any, make_user: Any, db_session: Any,
                                                   axe_violations: Callable[[Any], list[dict[str, Any]]]) -> None:
    owner = make_user(role=Role.MEMBER)
    assessment = make_assessment(close=False)
    token = invite_respondents(owner, assessment, role="social_worker")[0].token
    db.session.commit()
    page.goto(f"/r/{token}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("A few questions before")
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    assert axe_violations(page) == []
    page.get_by_role("link", name="Start").click()
    assert page.locator("span.level-number").first.inner_text() == "Level 0"
