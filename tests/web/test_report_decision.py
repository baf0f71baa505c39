"""Recording the decision: required texts, overrides with a reason, only on a closed assessment."""
from __future__ import annotations

from sqlalchemy import select

from readiness.models import AssessmentStatus, AuditEntry, Decision, Role
from tests.helpers import csrf_token_in

from .test_report_page import make_assessment

SCRIPT = '<script>alert("x")</script>'


def decide(client, assessment, **fields):
    page = client.get(f"/assessments/{assessment.id}/decision").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page), "version_id": assessment.version_id, "decided_by_name": "Awa Traoré",
            "outcome": "no_go", "rationale": "Procedures first.", "conditions": "", "override_reason": ""} | fields
    return client.post(f"/assessments/{assessment.id}/decision", data=data)


def test_decision_that_follows_the_recommendation_is_recorded_and_shown(client, db_session, login_as):
    assessment = make_assessment()  # recommends no-go
    user = login_as(Role.MEMBER, delegations=[assessment.delegation])
    form = client.get(f"/assessments/{assessment.id}/decision").get_data(as_text=True)
    assert f'value="{user.name}"' in form  # decided-by defaults to the user's name
    response = decide(client, assessment)
    assert response.status_code == 302
    db_session.refresh(assessment)
    assert assessment.status is AssessmentStatus.DECIDED
    decision = db_session.scalar(select(Decision))
    assert decision.recommendation_at_decision == "no_go" and decision.override_reason is None
    html = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "Procedures first." in html and "Override." not in html
    actions = db_session.scalars(select(AuditEntry.action).where(AuditEntry.assessment_id == assessment.id)).all()
    assert "assessment.decide" in actions and "decision.record" in actions
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "assessment.decide"))
    assert entry.before == {"status": "closed"} and entry.after == {"status": "decided"}


def test_override_needs_a_reason_and_the_report_shows_it(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    refused = decide(client, assessment, outcome="go")
    assert refused.status_code == 400
    assert "differs from the recommendation: say why" in refused.get_data(as_text=True)
    assert "Procedures first." in refused.get_data(as_text=True)  # nothing typed is lost
    assert db_session.scalar(select(Decision)) is None
    accepted = decide(client, assessment, outcome="go", override_reason="The ministry requires it by June.")
    assert accepted.status_code == 302
    html = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "Override." in html and "The ministry requires it by June." in html
    assert "This decision differs from the recommendation (“No-go”)" in html


def test_go_with_conditions_requires_conditions(client, db_session, login_as):
    assessment = make_assessment("partial-readiness")
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    response = decide(client, assessment, outcome="go_with_conditions")
    assert response.status_code == 400 and "List the conditions" in response.get_data(as_text=True)


def test_rationale_is_required(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    assert decide(client, assessment, rationale="  ").status_code == 400
    assert db_session.scalar(select(Decision)) is None


def test_decision_is_refused_while_collecting_and_the_text_is_kept(client, db_session, login_as):
    assessment = make_assessment("partial-readiness", close=False)
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    page = client.get(f"/assessments/{assessment.id}/decision").get_data(as_text=True)
    assert "only be recorded once the assessment is closed" in page
    response = decide(client, assessment, outcome="go_with_conditions", conditions="Backups first",
                      override_reason="Because")
    assert response.status_code == 409
    assert "Backups first" in response.get_data(as_text=True)
    db_session.refresh(assessment)
    assert assessment.status is AssessmentStatus.COLLECTING and db_session.scalar(select(Decision)) is None


def test_a_second_decision_is_not_recorded(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    assert decide(client, assessment).status_code == 302
    again = client.get(f"/assessments/{assessment.id}/decision", follow_redirects=True)
    assert "already been recorded" in again.get_data(as_text=True)


def test_headquarters_and_other_delegations_cannot_decide(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER)
    token = csrf_token_in(client.get("/").get_data(as_text=True))
    response = client.post(f"/assessments/{assessment.id}/decision", data={"csrf_token": token, "outcome": "go"})
    assert response.status_code == 403


def test_markup_in_free_text_is_shown_as_text(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    assert decide(client, assessment, outcome="go", rationale=SCRIPT, override_reason=f"<b>{SCRIPT}</b>").status_code == 302
    html = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
