"""The decision's author can amend it with a reason; the report keeps every earlier version visible."""
from __future__ import annotations

from html import unescape

from sqlalchemy import select

from readiness.models import AuditEntry, Decision, DecisionAmendment, Role
from tests.helpers import csrf_token_in

from .test_report_decision import decide
from .test_report_page import make_assessment


def amend(client, assessment, **fields):
    url = f"/assessments/{assessment.id}/decision/amend"
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page), "outcome": "deferred", "rationale": "Wait for the new procedures.",
            "conditions": "", "override_reason": "The procedures are being written; decide in March.",
            "reason": "The ministry announced new procedures."} | fields
    return client.post(url, data=data)


def test_the_author_amends_the_decision_and_the_report_shows_the_history(client, db_session, login_as):
    assessment = make_assessment()  # recommends no-go
    login_as(Role.MEMBER, delegations=[assessment.delegation], name="Awa Traoré")
    decide(client, assessment)
    report = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert f'/assessments/{assessment.id}/decision/amend' in report  # the author sees the way to amend
    response = amend(client, assessment)
    assert response.status_code == 302
    decision = db_session.scalar(select(Decision))
    db_session.refresh(decision)
    assert decision.outcome.value == "deferred" and decision.rationale == "Wait for the new procedures."
    amendment = db_session.scalar(select(DecisionAmendment))
    assert amendment.reason == "The ministry announced new procedures."
    assert amendment.before["outcome"] == "no_go" and amendment.after["outcome"] == "deferred"
    assert amendment.before["rationale"] == "Procedures first."
    html = unescape(client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True))
    assert "Wait for the new procedures." in html  # the amended decision
    assert "Amended" in html and "The ministry announced new procedures." in html  # why
    assert "Procedures first." in html and "No-go" in html  # what it was before stays visible
    trail = db_session.scalars(select(AuditEntry.action).where(AuditEntry.assessment_id == assessment.id)).all()
    assert "decision.amend" in trail


def test_an_amendment_needs_a_reason_and_keeps_the_text(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    decide(client, assessment)
    response = amend(client, assessment, reason="  ")
    assert response.status_code == 400
    assert "Wait for the new procedures." in response.get_data(as_text=True)
    assert db_session.scalar(select(DecisionAmendment)) is None


def test_only_the_author_may_amend(client, db_session, login_as, make_user):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    decide(client, assessment)
    client.post("/logout", data={"csrf_token": csrf_token_in(client.get("/").get_data(as_text=True))})
    login_as(Role.MEMBER, delegations=[assessment.delegation])  # a colleague in the same delegation
    assert client.get(f"/assessments/{assessment.id}/decision/amend").status_code == 403
    report = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "/decision/amend" not in report


def test_an_amendment_that_departs_from_the_recommendation_needs_the_override_reason(client, db_session, login_as):
    assessment = make_assessment()  # recommends no-go
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    decide(client, assessment)
    response = amend(client, assessment, outcome="go", override_reason="")
    assert response.status_code == 400
    assert db_session.scalar(select(DecisionAmendment)) is None


def test_the_pdf_shows_the_amendment(client, db_session, login_as):
    from pypdf import PdfReader
    import io

    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation], name="Awa Traoré")
    decide(client, assessment)
    amend(client, assessment)
    pdf = client.get(f"/assessments/{assessment.id}/report.pdf").data
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Amended by Awa Traoré" in " ".join(text.split()) and "before: No-go" in " ".join(text.split())
