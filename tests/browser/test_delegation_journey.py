"""The delegation journey in Chromium, from an empty system to a decided assessment and its PDF.

Admin creates a delegation and a member; the member creates an assessment and invites three
respondents; each answers through their link (one on a phone, one who stops midway and
resumes); the member enters the figures and the charter, closes, reads the report, records a
decision that overrides the recommendation, and downloads the PDF. axe-core checks every page.
"""
from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from readiness.domain.explain import outcome_label
from readiness.models import Role

ADMIN_PASSWORD = "admin password for tests"
MEMBER_PASSWORD = "member passphrase for tests"
MEMBER_NAME = "Aïcha Traoré أحمد"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


class Journey:
    """One browser context per person, with an axe check on every page they see."""

    def __init__(self, browser: Any, base_url: str, axe_violations: Any) -> None:
        self.browser, self.base_url, self.axe = browser, base_url, axe_violations
        self.checked: list[str] = []

    def open(self, viewport: dict[str, int] = DESKTOP) -> Any:
        context = self.browser.new_context(base_url=self.base_url, viewport=viewport, accept_downloads=True)
        return context.new_page()

    def check(self, page: Any) -> None:
        violations = self.axe(page)
        assert not violations, f"{page.url}: {violations}"
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1, page.url
        self.checked.append(page.url)

    def login(self, page: Any, email: str, password: str) -> None:
        page.goto("/login")
        self.check(page)
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()


def answer_page(page: Any, level: str) -> None:
    """Answer every question on a respondent page: a level, yes/partly/no, or a short text."""
    for question in page.locator("fieldset.question").all():
        for value in (level, {"4": "yes", "3": "yes", "1": "no"}.get(level, "partly")):
            radio = question.locator(f'input[type="radio"][value="{value}"]')
            if radio.count():
                radio.first.check()
                break
        else:
            text = question.locator("textarea").first
            if text.count() and text.is_visible():
                text.fill("Visits are written up on paper at night <b>late</b>.")


def respond(journey: Journey, link: str, level: str, viewport: dict[str, int], stop_after: int | None = None) -> Any:
    """Answer every page through the link; with ``stop_after``, close the browser after that many pages."""
    page = journey.open(viewport)
    page.goto(link)
    start = page.get_by_role("link", name="Start")
    if start.count():  # a fresh link opens on the welcome page
        journey.check(page)
        start.click()
        page.wait_for_load_state()
    pages = 0
    page.visited = []
    while "/finish" not in page.url:
        page.visited.append(page.url)
        journey.check(page)
        answer_page(page, level)
        pages += 1
        page.get_by_role("button", name="Save and continue").or_(page.get_by_role("button", name="Save and finish")).first.click()
        page.wait_for_load_state()
        if stop_after is not None and pages == stop_after:
            page.context.close()  # the tab closes midway
            return page
    journey.check(page)
    return page


def test_a_delegation_goes_from_nothing_to_a_decided_assessment(browser, live_server, axe_violations, make_user):
    make_user(role=Role.ADMIN, password=ADMIN_PASSWORD, email="admin@example.org", name="Ada Admin")
    journey = Journey(browser, live_server, axe_violations)

    # Admin: a delegation, then a member of it.
    admin = journey.open()
    journey.login(admin, "admin@example.org", ADMIN_PASSWORD)
    admin.goto("/admin/delegations/new")
    journey.check(admin)
    admin.get_by_label("Name").fill("Mali – Mopti")
    admin.get_by_label("Country").fill("Mali")
    admin.get_by_label("Region").fill("West Africa")
    admin.get_by_label("Context").select_option("acute_emergency")
    admin.get_by_role("button", name="Create delegation").click()
    admin.goto("/admin/users/new")
    journey.check(admin)
    admin.get_by_label("Full name").fill(MEMBER_NAME)
    admin.get_by_label("Email").fill("aicha@example.org")
    admin.get_by_label("Role").select_option("member")
    admin.get_by_label("Mali – Mopti").check()
    admin.get_by_role("button", name="Create user").click()
    journey.check(admin)
    temporary = admin.locator(".secret code").inner_text().strip()
    assert len(temporary) >= 12

    # Member: an assessment, opened for answers, three personal links.
    member = journey.open()
    journey.login(member, "aicha@example.org", temporary)
    # A temporary password is changed before anything else.
    assert member.url.endswith("/account/password")
    journey.check(member)
    member.get_by_label("Current password").fill(temporary)
    member.get_by_label("New password", exact=True).fill(MEMBER_PASSWORD)
    member.get_by_label("New password again").fill(MEMBER_PASSWORD)
    member.get_by_role("button", name="Change password").click()
    member.goto("/delegations")
    journey.check(member)
    member.get_by_role("link", name="Mali – Mopti").first.click()
    journey.check(member)
    member.get_by_label("Title").fill("CPIMS+ rollout in Mopti")
    member.get_by_label("Tool under consideration").fill("Primero / CPIMS+")
    member.get_by_role("button", name="Create the draft").click()
    journey.check(member)
    assessment_url = member.url
    member.locator('form:has(input[name="transition"][value="open"]) button').click()
    journey.check(member)
    links = {}
    for role in ("manager", "social_worker", "supervisor"):
        member.goto(assessment_url)
        member.get_by_label("Role", exact=True).select_option(role)
        member.get_by_role("button", name="Create the links").click()
        journey.check(member)
        links[role] = member.locator("input.link-box").first.input_value()
    assert all("/r/" in link for link in links.values())

    # Respondents: a manager on a desktop, a social worker on a phone, a supervisor who resumes.
    respond(journey, links["manager"], "4", DESKTOP)
    phone = respond(journey, links["social_worker"], "1", PHONE)
    assert phone.viewport_size["width"] == 375
    first_page = respond(journey, links["supervisor"], "3", DESKTOP, stop_after=1).visited[0]
    supervisor = journey.open()
    supervisor.goto(links["supervisor"])
    second_page = supervisor.url
    assert second_page != first_page, "reopening the link returns to where they stopped"
    supervisor.goto(first_page)
    assert supervisor.locator('input[type="radio"][value="3"]:checked').count() > 0, "first page answers were kept"
    respond(journey, links["supervisor"], "3", DESKTOP)

    # Member: figures and charter, then close.
    member.goto(assessment_url + "/figures")
    journey.check(member)
    figures = {"social_workers_fte": "6", "open_cases": "150", "supervisors_fte": "1", "staff_trained_cm": "3",
               "devices_available": "4", "power_hours": "6", "field_sites_connected_pct": "40"}
    for name, value in figures.items():
        member.locator(f'input[name="{name}"]').fill(value)
    member.get_by_role("button", name="Save the figures").click()
    journey.check(member)
    member.goto(assessment_url + "/charter")
    for radio in member.locator('input[type="radio"][value="met"]').all():
        radio.check()
    member.get_by_role("button", name="Save the charter").click()
    journey.check(member)
    member.goto(assessment_url)
    member.locator("details.confirm > summary", has_text="Close and freeze the result").click()
    member.locator('form:has(input[name="transition"][value="close"]) button').click()
    journey.check(member)

    # Report, then a decision that overrides the recommendation.
    member.goto(assessment_url + "/report")
    member.wait_for_selector("#content")
    journey.check(member)
    report_text = member.locator("main").inner_text()
    # One social worker answered: below the minimum group size (3) their role is withheld, not shown alone.
    assert "Social worker: fewer than 3 people answered" in report_text
    member.goto(assessment_url + "/decision")
    journey.check(member)
    decision = member.get_by_label("Decision", exact=True)
    recommended = decision.input_value()
    override = "deferred" if recommended != "deferred" else "no_go"
    decision.select_option(override)
    member.get_by_label("Rationale").fill("We wait for the social workers' concerns to be discussed <script>x</script>.")
    member.get_by_label("Reason for departing from the recommendation").fill("The frontline team disagrees with the managers.")
    member.get_by_role("button", name="Record the decision").click()
    member.wait_for_load_state()
    journey.check(member)
    page_text = member.locator("main").inner_text()
    assert "override" in page_text.lower()
    assert "<script>x</script>" in page_text  # shown as text, not run

    # The PDF holds the decision, the recommendation and the flags.
    member.goto(assessment_url + "/report")
    href = member.locator('a[href$="/report.pdf"]').first.get_attribute("href")
    response = member.context.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert outcome_label(override, "en") in text
    assert outcome_label(recommended, "en") in text
    assert "Recommendation" in text
    assert "fewer than 3 people answered" in " ".join(text.split())
    assert len(journey.checked) >= 15
