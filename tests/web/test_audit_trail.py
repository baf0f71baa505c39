"""The audit trail reads as sentences, shows only what changed, and can be filtered."""
from __future__ import annotations

from datetime import date
from html import unescape

from readiness.models import ActionStatus, Role
from readiness.services import actions as action_service

from .test_report_page import make_assessment


def page(client, assessment, query=""):
    return unescape(client.get(f"/assessments/{assessment.id}/audit{query}").get_data(as_text=True))


def test_an_action_edit_reads_as_a_sentence_with_only_the_changed_field(client, db_session, login_as):
    assessment = make_assessment()
    sara = login_as(Role.MEMBER, delegations=[assessment.delegation], name="Sara Diallo")
    action = action_service.create_action(sara, assessment, title="Train supervisors", owner="Moussa")
    db_session.flush()
    action_service.update_action(sara, action, version_id=action.version_id, title="Train supervisors", owner="Moussa",
                                 due_date=date(2026, 10, 1), status=ActionStatus.OPEN)
    db_session.commit()
    html = page(client, assessment)
    assert "Sara Diallo changed the due date of “Train supervisors” to October 1, 2026" in html
    assert "Sara Diallo added the action “Train supervisors”" in html
    edit = html.split("changed the due date", 1)[1].split("</li>", 1)[0]
    assert "Moussa" not in edit and "owner" not in edit.lower()  # the owner did not change: not shown
    assert sara.email not in html.split("<ol", 1)[1]  # people are named, not their e-mail addresses


def test_status_changes_read_as_sentences(client, db_session, login_as):
    assessment = make_assessment()  # opened and closed by the system
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    html = page(client, assessment)
    assert "opened the assessment for answers" in html and "closed the assessment" in html


def test_the_trail_filters_by_kind_and_by_person(client, db_session, login_as):
    assessment = make_assessment()
    sara = login_as(Role.MEMBER, delegations=[assessment.delegation], name="Sara Diallo")
    action_service.create_action(sara, assessment, title="Train supervisors")
    db_session.commit()
    plan_only = page(client, assessment, "?kind=plan")
    assert "added the action" in plan_only and "closed the assessment" not in plan_only
    status_only = page(client, assessment, "?kind=status")
    assert "closed the assessment" in status_only and "added the action" not in status_only
    by_sara = page(client, assessment, "?who=Sara Diallo <" + sara.email + ">")
    assert "added the action" in by_sara and "closed the assessment" not in by_sara
    assert '<select id="audit-kind"' in page(client, assessment)
    assert client.get(f"/assessments/{assessment.id}/audit?kind=nonsense").status_code == 200
