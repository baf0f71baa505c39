"""Follow-ups after go-live: due on the clock, answered by link, compared with the baseline, counted by HQ."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from readiness.extensions import db
from readiness.models import Answer, Assessment, AuditEntry, CalibrationNote, Decision, MeasuredInput, Respondent, Role
from readiness.models.types import set_clock, utcnow
from readiness.services.assessments import close_assessment, open_assessment
from readiness.services.respondents import invite_respondents
from tests.helpers import csrf_token_in

from .test_report_decision import decide
from .test_report_page import make_assessment


@pytest.fixture
def clock():
    yield set_clock
    set_clock(None)


def _decided(client, login_as, go_live: str = "2027-01-15"):
    baseline = make_assessment("partial-readiness")  # recommends go with conditions
    user = login_as(Role.MEMBER, delegations=[baseline.delegation])
    response = decide(client, baseline, outcome="go_with_conditions", conditions="Train supervisors\nSign the sharing agreement",
                      go_live_on=go_live)
    assert response.status_code == 302
    return baseline, user


def _post(client, url: str, page_url: str, **data):
    token = csrf_token_in(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_the_decision_carries_the_go_live_date_and_follow_ups_fall_due_on_the_clock(client, db_session, login_as, clock):
    baseline, _user = _decided(client, login_as)
    assert db_session.scalar(select(Decision)).go_live_on == date(2027, 1, 15)
    page_url = f"/assessments/{baseline.id}"
    clock(datetime(2027, 4, 14, 9, tzinfo=timezone.utc))
    login_as(Role.MEMBER, delegations=[baseline.delegation])  # months later: a new session
    html = client.get(page_url).get_data(as_text=True)
    assert "due April 15, 2027" in html and "due July 15, 2027" in html and "due January 15, 2028" in html
    assert "Start the 3-month follow-up" not in html
    refused = _post(client, f"/assessments/{baseline.id}/followups/3", page_url)
    assert refused.status_code == 302 and db_session.scalar(select(Assessment).where(Assessment.followup_of_id.is_not(None))) is None
    clock(datetime(2027, 4, 15, 9, tzinfo=timezone.utc))
    login_as(Role.MEMBER, delegations=[baseline.delegation])
    assert "Start the 3-month follow-up" in client.get(page_url).get_data(as_text=True)
    started = _post(client, f"/assessments/{baseline.id}/followups/3", page_url)
    followup = db_session.scalar(select(Assessment).where(Assessment.followup_of_id == baseline.id))
    assert started.headers["Location"].endswith(f"/assessments/{followup.id}")
    assert (followup.questionnaire_id, followup.followup_months, followup.tool_name) == ("followup", 3, "Primero")
    # A second press does not create a second follow-up.
    _post(client, f"/assessments/{baseline.id}/followups/3", page_url)
    assert len(db_session.scalars(select(Assessment).where(Assessment.followup_of_id == baseline.id)).all()) == 1
    actions = db_session.scalars(select(AuditEntry.action).where(AuditEntry.assessment_id == baseline.id)).all()
    assert "followup.start" in actions


def test_the_go_live_date_can_be_given_after_the_decision(client, db_session, login_as):
    baseline, _user = _decided(client, login_as, go_live="")
    page_url = f"/assessments/{baseline.id}"
    assert "No go-live date yet" in client.get(page_url).get_data(as_text=True)
    _post(client, f"/assessments/{baseline.id}/go-live", page_url, go_live_on="2026-06-30")
    assert db_session.scalar(select(Decision)).go_live_on == date(2026, 6, 30)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "decision.go_live"))
    assert entry.before == {"go_live_on": None} and entry.after == {"go_live_on": "2026-06-30"}


def test_respondents_answer_the_follow_up_through_their_links(client, db_session, login_as, clock):
    baseline, user = _decided(client, login_as, go_live="2026-01-01")
    page_url = f"/assessments/{baseline.id}"
    _post(client, f"/assessments/{baseline.id}/followups/3", page_url)
    followup = db_session.scalar(select(Assessment).where(Assessment.followup_of_id == baseline.id))
    invitation = invite_respondents(user, followup, role="social_worker")[0]
    open_assessment(user, followup)
    db_session.commit()
    welcome = client.get(f"/r/{invitation.token}").get_data(as_text=True)
    # The tool's name sits in its own bidi isolate (FSI ... PDI), as every name in a sentence does.
    assert "A few questions on \u2068Primero\u2069 in use" in welcome
    assert f"/r/{invitation.token}/needs" in welcome  # the same respond pages, one per dimension of the role
    html = "".join(client.get(f"/r/{invitation.token}/{page}").get_data(as_text=True)
                   for page in ("needs", "system", "ict", "staff"))
    assert "how many hours do you spend entering, updating or looking up records" in html


def _answer(followup: Assessment, role: str, answers: dict[str, object], n: int) -> None:
    respondent = Respondent(assessment_id=followup.id, role=role, token_hash=f"f{followup.id:04d}{n:059d}",
                            token_expires_at=utcnow())
    respondent.answers = [Answer(item_id=k, questionnaire_id="followup", questionnaire_version="1.0", value=v)
                          for k, v in answers.items()]
    db.session.add(respondent)


def test_baseline_against_follow_up_and_hq_calibration(client, db_session, login_as, make_user):
    baseline, user = _decided(client, login_as, go_live="2026-01-01")
    _post(client, f"/assessments/{baseline.id}/followups/3", f"/assessments/{baseline.id}")
    followup = db_session.scalar(select(Assessment).where(Assessment.followup_of_id == baseline.id))
    open_assessment(user, followup)
    for n in range(3):  # three social workers: their group is large enough to be shown
        _answer(followup, "social_worker", {"recording_hours": 22, "workarounds": 1, "casework_or_reporting": 1}, n)
    _answer(followup, "manager", {"casework_or_reporting": 3, "family_access": 2, "incidents": 3}, 3)
    for input_id, value in {"social_workers_fte": 10, "open_cases": 400, "supervisors_fte": 2, "staff_trained_cm": 9,
                            "devices_available": 10}.items():
        db.session.add(MeasuredInput(assessment_id=followup.id, input_id=input_id, value=value))
    db.session.flush()
    close_assessment(user, followup)
    db_session.commit()
    assert "Record the decision" not in client.get(f"/assessments/{followup.id}").get_data(as_text=True)
    refused = decide(client, followup, outcome="go", override_reason="x")
    assert "A follow-up is not decided on" in refused.get_data(as_text=True)
    html = client.get(f"/assessments/{followup.id}/comparison").get_data(as_text=True)
    assert "Follow-up against the readiness baseline" in html
    assert "Open cases per social worker" in html and "40.0" in html  # 400 / 10
    assert "got worse" in html and "Better when" in html
    assert "22.0 hours a week" in html and "recording is crowding out time with families" in html
    assert "Train supervisors" in html  # a condition of the decision, still open
    # HQ's portfolio and benchmarks compare readiness results: the follow-up is not the delegation's latest.
    from readiness.read.common import latest_results
    from readiness.read.filters import parse_filters
    latest = db_session.execute(select(latest_results(parse_filters({}), ["1.0"]))).all()
    assert [row.assessment_id for row in latest] == [baseline.id]
    # Headquarters: one case, in trouble (22 hours > 15), and too few to conclude.
    client.post("/logout", data={"csrf_token": csrf_token_in(client.get("/").get_data(as_text=True))})
    login_as(Role.HQ)
    page = client.get("/hq/calibration/").get_data(as_text=True)
    assert "1 case in all." in page and "Too few to conclude: fewer than 5 follow-ups could be judged." in page
    assert "Go with conditions" in page and "100 %" in page
    saved = _post(client, "/hq/calibration/notes", "/hq/calibration/", text="One case: watch staff flags.")
    assert saved.status_code == 302
    note = db_session.scalar(select(CalibrationNote))
    assert note.text == "One case: watch staff flags." and note.figures["cases"] == 1
    assert "One case: watch staff flags." in client.get("/hq/calibration/").get_data(as_text=True)
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "calibration.note")) is not None
    empty = _post(client, "/hq/calibration/notes", "/hq/calibration/", text="  ")
    assert empty.status_code == 400


def test_only_headquarters_open_the_calibration_page(client, db_session, login_as):
    login_as(Role.MEMBER)
    assert client.get("/hq/calibration/").status_code == 403


def test_figures_come_from_a_kpi_export_after_a_preview_all_or_nothing(client, db_session, login_as):
    baseline, user = _decided(client, login_as, go_live="2026-01-01")
    _post(client, f"/assessments/{baseline.id}/followups/3", f"/assessments/{baseline.id}")
    followup = db_session.scalar(select(Assessment).where(Assessment.followup_of_id == baseline.id))
    url = f"/assessments/{followup.id}/figures/import"
    assert "Import the figures from the case-management tool" in client.get(f"/assessments/{followup.id}/figures").get_data(as_text=True)
    token = csrf_token_in(client.get(url).get_data(as_text=True))
    bad = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(b"kpi,value\ncase_workers,ten\nsupervisors,2\n"), "kpis.csv")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422
    assert "Row 2, column “value”: “ten” is not a number." in bad.get_data(as_text=True)
    assert db_session.scalar(select(MeasuredInput).where(MeasuredInput.assessment_id == followup.id)) is None
    good = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(
        b"kpi,value\nsupervisor_to_caseworker_ratio,12:2\ncase_load,20\n"), "kpis.csv")}, content_type="multipart/form-data")
    html = good.get_data(as_text=True)
    assert good.status_code == 200 and "240.0" in html  # 20 cases per worker x 12 workers
    assert db_session.scalar(select(MeasuredInput).where(MeasuredInput.assessment_id == followup.id)) is None  # preview only
    key = re.search(r'name="key" type="hidden" value="([0-9a-f]{32})"', html).group(1)
    saved = client.post(f"{url}/confirm", data={"csrf_token": token, "key": key, "filename": "kpis.csv"})
    assert saved.status_code == 302
    figures = {m.input_id: m.value for m in db_session.scalars(select(MeasuredInput).where(MeasuredInput.assessment_id == followup.id))}
    assert figures == {"social_workers_fte": 12, "supervisors_fte": 2, "open_cases": 240}
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "figures.import")).after["file"] == "kpis.csv"
    again = client.post(f"{url}/confirm", data={"csrf_token": token, "key": key, "filename": "kpis.csv"})
    assert again.status_code == 302 and "/figures/import" in again.headers["Location"]  # the held file is gone
