"""Arabic, right to left: a delegation member whose browser asks for Arabic (ar-IQ) reads the report, and a
social worker answers through a link on a phone.

The page is ``lang="ar" dir="rtl"``, axe passes, nothing overflows sideways; the PDF's Arabic
text, extracted with pdftotext, holds the expected words, letters joined, in logical order.
Interface wording follows whatever Arabic catalogue the branch has (a draft until reviewed); the
delegation's Arabic name is the fixed text checked in both.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from werkzeug.security import generate_password_hash

from readiness.extensions import db
from readiness.i18n import gettext_in
from readiness.models import Locale, Role, User
from tests.browser.test_delegation_journey import answer_page
from tests.web.test_report_page import make_assessment
from tests.web.test_respond import invite, role_pages  # noqa: F401  (fixture)

PASSWORD = "correct horse battery"
SHOTS = os.environ.get("REPORT_SHOTS")
NAME = "وفد العراق في بغداد"
ARABIC_WORD = re.compile(r"[\u0600-\u06ff]+")


@pytest.fixture
def report_url(db_session: Any) -> str:
    assessment = make_assessment("acute-emergency-no-procedures")
    assessment.delegation.name = NAME
    db.session.add(User(email="member@example.org", name="مريم", role=Role.MEMBER, locale=Locale.AR,
                        password_hash=generate_password_hash(PASSWORD), delegations=[assessment.delegation]))
    db.session.commit()
    return f"/assessments/{assessment.id}/report"


def _login(page: Any) -> None:
    page.goto("/login")
    page.fill("input[name=email]", "member@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _pdf_arabic_words(pdf: bytes) -> list[str]:
    """Arabic words of each line in logical order (pdftotext gives a line as drawn, left to right)."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert any("\ufe70" <= ch <= "\ufefc" for ch in text), "Arabic letters should be joined (presentation forms)"
    lines = [ARABIC_WORD.findall(unicodedata.normalize("NFKC", line)) for line in text.splitlines()]
    return [" ".join(reversed(words)) for words in lines if words]


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}, {"width": 375, "height": 812}],
                         ids=["desktop", "phone"])
def test_a_member_reads_the_report_in_arabic(browser: Any, live_server: str, report_url: str, axe_violations: Any,
                                            viewport: dict[str, int]) -> None:
    context = browser.new_context(base_url=live_server, viewport=viewport, locale="ar-IQ")
    page = context.new_page()
    page.goto("/login")  # before logging in, the browser's ar-IQ chooses Arabic
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    _login(page)  # then the member's saved language (Arabic) applies
    page.goto(report_url)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/arabic-report-{viewport['width']}.png")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    assert NAME in page.locator("body").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []

    pdf = context.request.get(report_url + ".pdf").body()
    context.close()
    if SHOTS:
        Path(f"{SHOTS}/arabic-report.pdf").write_bytes(pdf)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF")
    assert any(NAME in line for line in _pdf_arabic_words(pdf)), _pdf_arabic_words(pdf)


def _in_arabic(page: Any, viewport: dict[str, int], axe_violations: Any, shot: str) -> str:
    """Checks every respondent page the same way; :return: its visible text."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/arabic-{shot}-{viewport['width']}.png", full_page=True)
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"], page.url
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.url
    assert axe_violations(page) == [], page.url
    return unicodedata.normalize("NFC", page.locator("body").inner_text())


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 812}, {"width": 1366, "height": 768}],
                         ids=["phone", "desktop"])
def test_a_social_worker_answers_in_arabic_through_a_link(app: Any, browser: Any, live_server: str, invite: Any,
                                                         axe_violations: Any, viewport: dict[str, int]) -> None:
    _aid, token, _rid = invite("social_worker")
    _q, pages, by_page = role_pages(app, "social_worker")
    context = browser.new_context(base_url=live_server, viewport=viewport, locale="ar-IQ")
    page = context.new_page()

    page.goto(f"/r/{token}")  # the browser's ar-IQ chooses Arabic; the respondent has no account
    welcome = _in_arabic(page, viewport, axe_violations, "welcome")
    assert re.search("\u2068Delegation \\d+\u2069", welcome), "a Latin name sits in its own isolate in Arabic"
    assert gettext_in("ar", "Start") in welcome and gettext_in("ar", "Start") != "Start"
    page.locator(f'main a[href="/r/{token}/{pages[0]}"]').first.click()
    page.wait_for_load_state()

    assert page.url.endswith(f"/r/{token}/{pages[0]}")
    questions = _in_arabic(page, viewport, axe_violations, "questions")
    levelled = [item for item in by_page[pages[0]] if item.type == "level"]
    assert levelled
    for item in levelled:  # the question and every level descriptor, in Arabic
        assert unicodedata.normalize("NFC", item.text["ar"]) in questions
        for descriptor in item.levels.values():
            assert unicodedata.normalize("NFC", descriptor["ar"]) in questions, descriptor
    assert page.locator("main textarea").first.get_attribute("dir") == "auto"  # Latin names typed in stay readable
    answer_page(page, "3")
    page.locator('main button[name="go"][value="next"]').click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/r/{token}/{pages[1]}")
    _in_arabic(page, viewport, axe_violations, "next-page")

    page.goto(f"/r/{token}/finish")
    finish = _in_arabic(page, viewport, axe_violations, "finish")
    # A Latin answer in an Arabic page takes its own direction: its full stop stays at its end.
    latin = page.locator(".answers .free-text", has_text="Visits are written up")
    assert latin.evaluate("e => getComputedStyle(e).unicodeBidi") == "plaintext"
    context.close()
    assert gettext_in("ar", "Thank you") in finish and gettext_in("ar", "Thank you") != "Thank you"
    for item in levelled:  # the summary repeats each saved answer as its Arabic descriptor
        assert unicodedata.normalize("NFC", item.levels[3]["ar"]) in finish
