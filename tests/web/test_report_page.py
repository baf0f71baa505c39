"""The report page: a labelled live preview while collecting, the frozen snapshot once closed."""
from __future__ import annotations

import json
from pathlib import Path

import flask_babel
import pytest

from readiness.domain.answers import SPECIAL
from readiness.domain.responses import parse_responses
from readiness.extensions import db
from readiness.models import Answer, CharterAnswer, ContextType, Delegation, MeasuredInput, Respondent, Role
from readiness.models.types import utcnow
from readiness.services.assessments import close_assessment, open_assessment, start_assessment
from tests.helpers import csrf_token_in

SCENARIOS = Path(__file__).resolve().parents[2] / "examples" / "scenarios"


def make_assessment(scenario: str = "acute-emergency-no-procedures", *, close: bool = True, name: str = "Mali – Gao"):
    """An assessment answered as in ``examples/scenarios/<scenario>.json``; closed unless asked otherwise."""
    responses = parse_responses(json.loads((SCENARIOS / f"{scenario}.json").read_text(encoding="utf-8")))
    delegation = Delegation(name=name, country="Mali", region="West Africa", context_type=ContextType.ACUTE_EMERGENCY)
    db.session.add(delegation)
    assessment = start_assessment(None, delegation, title="Primero readiness 2026", tool_name="Primero")
    open_assessment(None, assessment)
    for index, person in enumerate(responses.respondents):
        respondent = Respondent(assessment_id=assessment.id, role=person.role, token_hash=f"{assessment.id:04d}{index:060d}",
                                token_expires_at=utcnow())
        respondent.answers = [
            Answer(item_id=item, questionnaire_id="readiness", questionnaire_version="1.0",
                   special=value if value in SPECIAL else None, value=None if value in SPECIAL else value)
            for item, value in person.answers.items()
        ]
        db.session.add(respondent)
    for input_id, value in responses.measured_inputs.items():
        db.session.add(MeasuredInput(assessment_id=assessment.id, input_id=input_id, value=value, unknown=value is None))
    for item_id, status in responses.charter_answers.items():
        db.session.add(CharterAnswer(assessment_id=assessment.id, item_id=item_id, status=status))
    db.session.flush()
    if close:
        close_assessment(None, assessment)
    db.session.commit()
    return assessment


def switch_language(client, lang: str) -> None:
    """Choose the interface language with the language switch, as a reader would."""
    token = csrf_token_in(client.get("/").get_data(as_text=True))
    assert client.post("/language", data={"lang": lang, "next": "/", "csrf_token": token}).status_code == 302
    # The db_session fixture keeps one app context across requests, where Flask-Babel caches the locale.
    flask_babel.refresh()


def test_closed_assessment_shows_the_frozen_recommendation_charts_and_tables(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    page = client.get(f"/assessments/{assessment.id}/report")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Frozen result computed when the assessment closed" in html and "Preview, not final" not in html
    assert "No-go" in html and "critical-gate" in html
    assert "Critical item “Are written case-management procedures in place" in html
    assert 'id="radar-chart"' in html and 'id="bar-chart"' in html
    assert '<script type="application/json" id="report-chart-data">' in html
    assert "/static/vendor/plotly-readiness.min.js?v=" in html and "report-charts.js" in html
    assert "<script>" not in html  # no inline script: the CSP would refuse it
    assert "Scores, coverage and thresholds" in html  # the charts' figures as a table
    assert "Record the decision" in html


def test_snapshot_is_what_the_page_shows_even_if_answers_change_after_closing(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    for answer in db_session.query(Answer).all():
        answer.value, answer.special = 4, None
    db_session.commit()
    html = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "No-go" in html and "critical-gate" in html


def test_collecting_assessment_is_a_preview_clearly_labelled(client, db_session, login_as):
    assessment = make_assessment("partial-readiness", close=False)
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    html = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "Preview, not final." in html
    assert "Go with conditions" in html
    assert "Record the decision" not in html  # nothing to decide on before the result is frozen


def test_report_in_french_follows_the_chosen_language(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    switch_language(client, "fr")
    html = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "La règle «\u202fcritical-gate\u202f»" in html


@pytest.mark.parametrize(("role", "member", "status"), [
    (Role.MEMBER, True, 200), (Role.MEMBER, False, 403), (Role.HQ, False, 200), (Role.COMMITTEE, False, 403),
])
def test_only_the_delegation_and_headquarters_see_the_report(client, db_session, login_as, role, member, status):
    assessment = make_assessment()
    login_as(role, delegations=[assessment.delegation] if member else [])
    assert client.get(f"/assessments/{assessment.id}/report").status_code == status
    assert client.get(f"/assessments/{assessment.id}/report.pdf").status_code == status


def test_logged_out_visitors_are_sent_to_the_login_page(client, db_session):
    assessment = make_assessment()
    response = client.get(f"/assessments/{assessment.id}/report")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_assessment_is_not_found(client, db_session, login_as):
    login_as(Role.HQ)
    assert client.get("/assessments/999/report").status_code == 404


def test_headquarters_sees_the_report_but_no_decision_button(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.HQ)
    html = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "No-go" in html and "Record the decision" not in html
    assert client.get(f"/assessments/{assessment.id}/decision").status_code == 403
