"""After go-live in Chromium: a decided assessment reaches its 3-month follow-up on a set clock,
respondents answer through their links, figures come from a KPI export, the delegation sees the
baseline against the follow-up, and headquarters' calibration page counts the case. axe on every page.

Set FOLLOWUP_SHOTS to a folder to keep screenshots of the new pages at 1366 and 375 px.
"""
from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from readiness.extensions import db
from readiness.models import Outcome, Role
from readiness.models.types import set_clock
from readiness.services.decisions import record_decision
from tests.web.test_report_page import make_assessment

from .test_delegation_journey import DESKTOP, PHONE, Journey

PASSWORD = "member passphrase for tests"
SHOTS = os.environ.get("FOLLOWUP_SHOTS")


@pytest.fixture
def clock():
    yield set_clock
    set_clock(None)


def shoot(page: Any, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def answer_followup(journey: Journey, link: str, level: str, hours: str, viewport: dict[str, int]) -> None:
    page = journey.open(viewport)
    page.goto(link)
    journey.check(page)
    assert "in use" in page.locator("h1").inner_text()  # the welcome page speaks of the tool in use
    page.get_by_role("link", name="Start").click()
    while "/finish" not in page.url:
        journey.check(page)
        for question in page.locator("fieldset.question").all():
            radio = question.locator(f'input[type="radio"][value="{level}"]')
            number = question.locator('input[inputmode="decimal"]')
            if radio.count():
                radio.first.check()
            elif number.count():
                number.first.fill(hours)
        page.get_by_role("button", name="Save and continue").or_(page.get_by_role("button", name="Save and finish")).first.click()
        page.wait_for_load_state()
    journey.check(page)
    page.context.close()


def test_a_decided_assessment_is_followed_up_and_counted_by_headquarters(
        browser, live_server, axe_violations, make_user, db_session, clock, tmp_path):
    baseline = make_assessment("partial-readiness")
    record_decision(None, baseline, outcome=Outcome.GO_WITH_CONDITIONS, decided_by_name="Awa Traoré",
                    rationale="Ready enough, with conditions.", conditions="Train the supervisors",
                    go_live_on=date(2026, 1, 15))
    db.session.commit()
    make_user(role=Role.MEMBER, password=PASSWORD, email="awa@example.org", delegations=[baseline.delegation])
    make_user(role=Role.HQ, password=PASSWORD, email="hq@example.org", name="Henri")
    clock(datetime(2026, 4, 16, 8, tzinfo=timezone.utc))  # a day after the 3-month follow-up fell due
    journey = Journey(browser, live_server, axe_violations)

    member = journey.open()
    journey.login(member, "awa@example.org", PASSWORD)
    member.goto(f"/assessments/{baseline.id}")
    section = member.locator("#followups")
    assert "due April 15, 2026" in section.inner_text() and "due now" in section.inner_text()
    journey.check(member)
    shoot(member, "baseline-followups")
    section.get_by_role("button", name="Start the 3-month follow-up").click()
    member.wait_for_load_state()
    journey.check(member)
    followup_url = member.url
    assert "follow-up at 3 months" in member.locator("h1").inner_text()

    links = {}
    for role in ("manager", "social_worker"):
        member.goto(followup_url)
        member.get_by_label("Role", exact=True).select_option(role)
        member.get_by_role("button", name="Create the links").click()
        links[role] = member.locator("input.link-box").first.input_value()
    member.goto(followup_url)
    member.locator('form:has(input[name="transition"][value="open"]) button').click()
    answer_followup(journey, links["manager"], "1", "20", DESKTOP)
    answer_followup(journey, links["social_worker"], "1", "22", PHONE)

    # Figures from the case-management tool's KPI export: a preview, then saved.
    export = tmp_path / "primero-kpis.csv"
    export.write_text("kpi,value,period\nsupervisor_to_caseworker_ratio,12:1,2026-Q1\ncase_load,30,2026-Q1\n"
                      "trained_staff,6,2026-Q1\nworking_devices,3,2026-Q1\n", encoding="utf-8")
    member.goto(followup_url + "/figures")
    member.get_by_role("link", name="Import the figures from the case-management tool").click()
    journey.check(member)
    member.get_by_label("KPI export (CSV)").set_input_files(str(export))
    member.get_by_role("button", name="Preview the figures").click()
    journey.check(member)
    assert "360.0" in member.locator(".kpi-preview").inner_text()  # 30 cases per worker x 12 workers
    shoot(member, "kpi-preview")
    member.get_by_role("button", name="Save 5 figures").click()
    assert member.locator('input[name="open_cases"]').input_value() in ("360", "360.0")

    member.goto(followup_url)
    member.locator("details.confirm > summary", has_text="Close and freeze the result").click()
    member.locator('form:has(input[name="transition"][value="close"]) button').click()
    member.get_by_role("link", name="Compare with the readiness baseline").click()
    journey.check(member)
    text = member.locator("main").inner_text()
    assert "Follow-up against the readiness baseline" in text
    assert "got worse" in text and "Train the supervisors" in text
    shoot(member, "comparison")

    hq = journey.open(PHONE)
    journey.login(hq, "hq@example.org", PASSWORD)
    hq.goto("/hq/calibration/")
    journey.check(hq)
    text = hq.locator("main").inner_text()
    assert "1 case in all." in text and "Too few to conclude" in text
    hq.get_by_label("Calibration note").fill("One follow-up so far: too early to move a threshold.")
    hq.get_by_role("button", name="Save the note").click()
    journey.check(hq)
    assert "too early to move a threshold" in hq.locator(".notes").inner_text()
    shoot(hq, "calibration")
