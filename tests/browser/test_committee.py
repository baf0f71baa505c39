"""The ethics review journey in a real browser: submission to clearance, accessible at 375 px.

Set SCREENSHOT_DIR to keep a screenshot of each committee page.
"""
from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from readiness.models import Role, User
from readiness.services.ethics_review import charter_of
from tests.web.committee_fixtures import PASSWORD, closed_assessment, delegation

SHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.fixture
def people(make_user: Callable[..., User], db_session: Any) -> dict[str, Any]:
    home = delegation("Kivu")
    return {
        "home": home, "assessment": closed_assessment(home),
        "member": make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home], name="Mira Member"),
        "chair": make_user(role=Role.CHAIR, password=PASSWORD, name="Chloé Chair"),
        "ana": make_user(role=Role.COMMITTEE, password=PASSWORD, name="Ana Reviewer"),
        "ben": make_user(role=Role.COMMITTEE, password=PASSWORD, name="Ben Reviewer"),
        "insider": make_user(role=Role.COMMITTEE, password=PASSWORD, delegations=[home], name="Iris Insider"),
    }


def as_user(page: Any, user: User) -> None:
    page.context.clear_cookies()
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")


def check_page(page: Any, axe: Callable[[Any], list[dict[str, Any]]], name: str) -> None:
    if axe(page):
        Path("/tmp/axe.html").write_text(page.content())
    assert axe(page) == [], name
    assert page.csp_violations == [], name
    wide = page.evaluate("[...document.querySelectorAll('body *')].filter(e => e.scrollWidth > 376 || e.getBoundingClientRect().width > 376).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, (name, wide)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def review(page: Any, item_ids: list[str], mark: str, opinion: str) -> None:
    page.click(".ethics-list a.button")
    for item_id in item_ids:
        page.check(f"input[name=mark_{item_id}][value={mark}]")
    comment = page.locator(f"#comment_{item_ids[0]}")
    # The comment boxes open only where the reviewer marks a concern.
    assert comment.is_visible() is (mark in ("needs_change", "not_acceptable"))
    if comment.is_visible():
        comment.fill(f"{mark} for the delegation")
        page.fill(f"#committee_{item_ids[0]}", f"Committee-only note by a {mark} reviewer")
    page.check(f"input[name=opinion][value={opinion}]")
    page.click("text=Submit my review")
    page.get_by_text("Your review is saved.").first.wait_for()


def test_the_ethics_review_journey(page: Any, people: dict[str, Any], axe_violations: Callable[[Any], list[dict[str, Any]]],
                                   app: Any, tmp_path: Path) -> None:
    assessment = people["assessment"]
    # The delegation submits its proposal.
    as_user(page, people["member"])
    page.goto(f"/assessments/{assessment.id}/proposal")
    page.fill("#summary", "CaseBook for 40 social workers in Kivu.")
    page.check("input[name=subjects][value=children]")
    page.check("input[name=categories][value=case_notes]")
    page.check("input[name=storage][value=cloud_in_country]")
    page.check("input[name=legal_framework][value=weak]")
    for field in ("purpose", "data_detail", "access", "consent"):
        page.fill(f"#{field}", f"Our answer on {field}.")
    page.click("text=Submit to the committee")
    page.get_by_text("Children are data subjects").first.wait_for()
    proposal_url = page.url

    # The chair screens and assigns: the delegation's own member is refused.
    as_user(page, people["chair"])
    page.goto("/committee/")
    page.click("text=CaseBook")
    check_page(page, axe_violations, "committee-file-screening")
    page.check("input[name=route][value=full]")
    page.click("text=Record the route")
    for reviewer in ("insider", "ana", "ben"):
        page.select_option("#reviewer", label=people[reviewer].name)
        page.click("#reviewers button[type=submit]")
    assert "Iris Insider belongs to the proposing delegation" in page.content() or "Iris Insider" not in page.locator("#reviewers table").inner_text()
    committee_url = page.url.split("#")[0]
    check_page(page, axe_violations, "committee-file-reviewers")

    # Two reviewers declare no conflict, then disagree.
    with app.app_context():
        from readiness.extensions import db
        from readiness.models import Proposal

        item_ids = [i.id for i in charter_of(db.session.get(Proposal, int(committee_url.rsplit("/", 1)[1]))).items]
    for who, mark, opinion in (("ana", "acceptable", "approved"), ("ben", "needs_change", "approved_with_conditions")):
        as_user(page, people[who])
        page.goto("/committee/")
        page.click("text=Declare conflicts of interest")
        check_page(page, axe_violations, "declaration")
        page.check("input[name=has_conflict][value=no]")
        page.click("text=Record my declaration")
        check_page(page, axe_violations, "review-form") if who == "ana" else None
        page.goto("/committee/")
        review(page, item_ids, mark, opinion)

    # The chair compares and decides with conditions.
    as_user(page, people["chair"])
    page.goto(committee_url + "/reviews")
    assert page.locator("tbody.disagreement").count() >= len(item_ids)
    check_page(page, axe_violations, "reviews-side-by-side")
    page.goto(committee_url + "/decision")
    page.check("input[name=outcome][value=approved_with_conditions]")
    page.fill("#rationale", "The tool serves daily work; consent and sharing need firming up.")
    conditions = [("Sign the data-sharing agreement with the clinic", "Country director", "2031-03-01", "Signed agreement"),
                  ("Train every worker on consent", "Protection manager", "2031-04-15", "Attendance sheets")]
    for index, (text, owner, due, evidence) in enumerate(conditions):
        page.fill(f"#conditions-{index}-text", text)
        page.fill(f"#conditions-{index}-owner", owner)
        page.fill(f"#conditions-{index}-due_date", due)
        page.fill(f"#conditions-{index}-evidence_required", evidence)
    check_page(page, axe_violations, "decision-form")
    page.click("text=Record the decision")
    page.get_by_text("Decision recorded.").first.wait_for()

    # The letter holds the decision and every condition, and no committee-only note.
    as_user(page, people["member"])
    letter = page.request.get(proposal_url + "/letter.pdf?lang=en")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(letter.body())).pages)
    assert "Approved with conditions" in text and "Committee-only" not in text
    for condition in conditions:
        assert condition[0] in text and condition[1] in text and condition[3] in text
    (tmp_path / "letter.pdf").write_bytes(letter.body())
    if SHOTS:
        (Path(SHOTS) / "letter-en.pdf").write_bytes(letter.body())
        (Path(SHOTS) / "letter-fr.pdf").write_bytes(page.request.get(proposal_url + "/letter.pdf?lang=fr").body())

    # The delegation uploads evidence for each condition; the chair verifies; the proposal is cleared.
    page.goto(proposal_url)
    assert "Committee-only" not in page.content()
    check_page(page, axe_violations, "proposal-delegation-view")
    for _ in conditions:
        page.goto(proposal_url)
        page.click("text=Send evidence")
        page.fill("#note", "Done; see the file.")
        page.set_input_files("#files", str(tmp_path / "letter.pdf"))
        page.click("text=Send to the chair")
        page.get_by_text("Evidence sent to the committee chair.").first.wait_for()
    as_user(page, people["chair"])
    page.goto(committee_url)
    check_page(page, axe_violations, "committee-file-conditions")
    for _ in conditions:
        form = page.locator("#conditions form").first
        form.locator("input[value=verify]").check()
        form.locator("button[type=submit]").click()
    page.get_by_text("Every condition is verified: the proposal is cleared.").first.wait_for()
    assert "Cleared: every condition verified" in page.content()
