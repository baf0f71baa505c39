"""The report answers first: on a desktop and a phone, the recommendation, its reason and the first
three things to do are on the first screen; the PDF's first page holds the same three and a "more" count."""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from werkzeug.security import generate_password_hash

from readiness.extensions import db
from readiness.models import Answer, Role, User
from tests.web.test_report_page import make_assessment

PASSWORD = "correct horse battery"
SHOTS = os.environ.get("REPORT_SHOTS")  # a folder: save screenshots there to look at them


def _login(page: Any, email: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def report_url(db_session: Any) -> str:
    assessment = make_assessment("acute-emergency-no-procedures")
    answer = db.session.query(Answer).first()
    answer.comment = "Forms are filled in at night, after the home visits."
    db.session.add(User(email="member@example.org", name="Mariam", role=Role.MEMBER,
                        password_hash=generate_password_hash(PASSWORD), delegations=[assessment.delegation]))
    db.session.commit()
    return f"/assessments/{assessment.id}/report"


def _in_first_screen(page: Any, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    assert box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"], (selector, box)


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 375, "height": 812}],
                         ids=["desktop", "phone"])
def test_the_first_screen_answers(browser: Any, live_server: str, report_url: str, axe_violations: Any,
                                  viewport: dict[str, int]) -> None:
    context = browser.new_context(base_url=live_server, viewport=viewport)
    page = context.new_page()
    _login(page, "member@example.org")
    page.goto(report_url)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/report-first-{viewport['width']}.png")
        page.screenshot(path=f"{SHOTS}/report-full-{viewport['width']}.png", full_page=True)
    _in_first_screen(page, "#answer .outcome .badge")
    _in_first_screen(page, "#answer .answer-reason")
    things = page.locator("#answer .first-things > li")
    assert things.count() == 3
    for index in range(3):
        _in_first_screen(page, f"#answer .first-things > li:nth-child({index + 1})")
    assert "more, by importance" in page.locator("#answer .more").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []
    if SHOTS:  # scrolls: after the first-screen checks
        page.locator("#words").screenshot(path=f"{SHOTS}/report-words-{viewport['width']}.png")
    first_three = [t.split("\n")[0] for t in things.all_inner_texts()]
    pdf = context.request.get(report_url + ".pdf").body()
    context.close()
    reader = PdfReader(io.BytesIO(pdf))
    page_one = " ".join(reader.pages[0].extract_text().split())
    for thing in first_three:
        words = " ".join(thing.split()[1:6])  # past the severity badge
        assert words in page_one, (words, page_one[:600])
    assert "more, by importance" in page_one
    if SHOTS:
        Path(f"{SHOTS}/report.pdf").write_bytes(pdf)
