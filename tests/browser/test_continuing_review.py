"""In a real browser: a review saved as a draft and finished later; an incident reopens the review,
the chair suspends the approval, and the delegation and headquarters see "suspended".

Set SCREENSHOT_DIR to keep screenshots at 375 and 1366 px.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from readiness.domain.review import Mark, Opinion
from readiness.extensions import db
from readiness.models import Role, User
from readiness.services import ethics_review
from tests.browser.test_committee import SHOTS, as_user, check_page
from tests.web.committee_fixtures import PASSWORD, closed_assessment, decided, delegation, in_review, reviewed, submitted


@pytest.fixture
def people(make_user: Callable[..., User], db_session: Any) -> dict[str, Any]:
    home = delegation("Kivu")
    member = make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home], name="Mira Member")
    people = {
        "home": home, "member": member,
        "chair": make_user(role=Role.CHAIR, password=PASSWORD, name="Chloé Chair"),
        "ana": make_user(role=Role.COMMITTEE, password=PASSWORD, name="Ana Reviewer"),
        "ben": make_user(role=Role.COMMITTEE, password=PASSWORD, name="Ben Reviewer"),
        "hq": make_user(role=Role.HQ, password=PASSWORD, name="Hugo HQ"),
    }
    people["proposal"] = submitted(closed_assessment(home, charter={"retention_schedule": "not_met"}), member)
    return people


def wide(page: Any, name: str) -> None:
    """Look at the page at 1366 px too, then back to the phone."""
    if SHOTS:
        page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-1366.png", full_page=True)
        page.set_viewport_size({"width": 375, "height": 812})


def test_a_review_saved_as_a_draft_is_finished_later(page: Any, people: dict[str, Any], axe_violations: Callable[[Any], list[dict[str, Any]]]) -> None:
    proposal = people["proposal"]
    in_review(proposal, people["chair"])
    assignment = ethics_review.assign_reviewer(people["chair"], proposal, people["ana"])
    db.session.commit()
    items = [item.id for item in ethics_review.charter_of(proposal).items]

    as_user(page, people["ana"])
    page.goto(f"/committee/assignments/{assignment.id}/review")  # undeclared: sent to the declaration, told why
    page.get_by_text("Declare your conflicts of interest first").first.wait_for()
    page.check("input[name=has_conflict][value=no]")
    page.click("text=Record my declaration")
    page.wait_for_url("**/review")
    page.wait_for_load_state("load")
    comment = page.locator(f"#comment_{items[0]}")
    assert not comment.is_visible()  # no concern yet: no comment box
    page.check(f"input[name=mark_{items[0]}][value=needs_change]")
    assert comment.is_visible()
    comment.fill("Say who may read case notes.")
    page.check(f"input[name=mark_{items[1]}][value=acceptable]")
    assert "2 of" in page.locator(".review-theme .theme-progress").first.inner_text()
    check_page(page, axe_violations, "review-draft")
    wide(page, "review-draft")
    page.click("text=Save draft")
    page.get_by_text("Draft saved.").first.wait_for()

    as_user(page, people["ana"])  # later, another session
    page.goto("/committee/")
    page.get_by_text("draft saved").first.wait_for()
    page.click(".ethics-list a.button")
    page.get_by_text("You are continuing your draft").first.wait_for()
    assert page.locator(f"input[name=mark_{items[0]}][value=needs_change]").is_checked()
    assert comment.input_value() == "Say who may read case notes."
    page.click("text=Submit my review")  # unfinished: the summary at the top says what is missing
    summary = page.locator("#error-summary")
    summary.wait_for()
    expect(summary.locator("a")).to_have_count(len(items) - 2 + 1)  # the unmarked items and the opinion
    check_page(page, axe_violations, "review-errors")
    wide(page, "review-errors")
    page.goto(f"/committee/assignments/{assignment.id}/review?filter=not_met")
    assert page.locator(".review-item:visible").count() == 1
    page.goto(f"/committee/assignments/{assignment.id}/review")
    for item_id in items[2:]:
        page.check(f"input[name=mark_{item_id}][value=acceptable]")
    page.check("input[name=opinion][value=approved_with_conditions]")
    page.click("text=Submit my review")
    page.get_by_text("Your review is saved.").first.wait_for()
    db.session.expire_all()
    assert assignment.submitted_at is not None and assignment.draft is None
    assert {row.item_id: row.mark for row in assignment.items}[items[0]] is Mark.NEEDS_CHANGE


def test_an_incident_reopens_the_review_and_the_chair_suspends(page: Any, people: dict[str, Any], app: Any,
                                                               axe_violations: Callable[[Any], list[dict[str, Any]]]) -> None:
    proposal = people["proposal"]
    in_review(proposal, people["chair"])
    reviewed(proposal, people["chair"], people["ana"])
    reviewed(proposal, people["chair"], people["ben"])
    decided(proposal, people["chair"], Opinion.APPROVE)
    # The clock: the review falls due a year after approval; set "today" to a day within the notice period.
    due = proposal.review_due
    result = app.test_cli_runner().invoke(args=["ethics", "remind", "--dry-run", "--today", due.isoformat()])
    assert f"review_due EC-{proposal.id}" in result.output

    as_user(page, people["member"])
    page.goto(f"/proposals/{proposal.id}")
    page.click("text=Incidents and their likelihood")
    page.select_option("#item_id", value="retention_schedule")
    page.check("input[name=kind][value=data_requested]")
    page.check("input[name=likelihood][value='3']")
    page.check("input[name=severity][value='4']")
    page.fill("#occurred_on", date.today().isoformat())
    page.fill("#description", "The local militia asked for the list of children in care.")
    check_page(page, axe_violations, "incident-form")
    wide(page, "incident-form")
    page.click("text=Log the incident")
    page.get_by_text("It is serious: the ethics review is reopened.").first.wait_for()
    assert "Review reopened" in page.locator(".page-head").inner_text()
    assert page.locator("table.risk-map a").inner_text() == "1"
    check_page(page, axe_violations, "incidents-map")
    wide(page, "incidents-map")
    page.goto(f"/committee/proposals/{proposal.id}/approval")
    assert page.title().startswith("Forbidden") or "403" in page.content() or page.locator("form").count() == 0

    as_user(page, people["chair"])
    page.goto("/committee/")
    page.click(f"text={proposal.title}")
    page.click("text=Review the approval")
    page.check("input[name=action][value=suspend]")
    page.fill("#reason", "Suspended until data is kept off the shared laptop and the militia request is answered.")
    check_page(page, axe_violations, "approval-change")
    wide(page, "approval-change")
    page.click("main button[type=submit]")
    page.get_by_text("Recorded: Approval suspended.").first.wait_for()

    as_user(page, people["member"])
    for path in (f"/proposals/{proposal.id}", f"/assessments/{proposal.assessment_id}", f"/delegations/{people['home'].id}"):
        page.goto(path)
        assert "Approval suspended" in page.content(), path
    check_page(page, axe_violations, "delegation-suspended")
    as_user(page, people["hq"])
    page.goto("/hq/")
    assert page.get_by_text("suspended", exact=True).count() >= 1
    wide(page, "hq-suspended")
