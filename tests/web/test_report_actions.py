"""The action plan: proposed from flags without duplicates, edited with a version check, audited."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from readiness.models import ActionItem, ActionStatus, AuditEntry, Role
from tests.helpers import csrf_token_in

from .test_report_page import make_assessment


def token(client, assessment) -> str:
    return csrf_token_in(client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True))


def add(client, assessment, **fields):
    data = {"csrf_token": token(client, assessment), "title": "Test a backup restore", "owner": "IT team",
            "due_date": "", "status": "open"} | fields
    return client.post(f"/assessments/{assessment.id}/actions", data=data)


def test_actions_from_flags_cover_critical_and_major_flags_once(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    first = client.post(f"/assessments/{assessment.id}/actions/from-flags", data={"csrf_token": token(client, assessment)},
                        follow_redirects=True)
    assert "action(s) added" in first.get_data(as_text=True)
    sources = db_session.scalars(select(ActionItem.source)).all()
    assert "critical_gate:cm_procedures" in sources
    assert not any(s.startswith("unknowns:") or s == "figures_missing" for s in sources)  # minor flags stay out
    count = len(sources)
    second = client.post(f"/assessments/{assessment.id}/actions/from-flags", data={"csrf_token": token(client, assessment)},
                         follow_redirects=True)
    assert "already has an action" in second.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(ActionItem)) == count
    html = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "open action(s)" in html


def test_add_edit_and_delete_an_action_with_audit_entries(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    assert add(client, assessment, due_date=(date.today() - timedelta(days=3)).isoformat()).status_code == 302
    action = db_session.scalar(select(ActionItem))
    page = client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True)
    assert "Test a backup restore" in page and "1 open action(s), 1 overdue." in page
    edit = client.get(f"/assessments/{assessment.id}/actions/{action.id}/edit").get_data(as_text=True)
    saved = client.post(f"/assessments/{assessment.id}/actions/{action.id}/edit", data={
        "csrf_token": csrf_token_in(edit), "version_id": action.version_id, "title": "Test a backup restore",
        "owner": "Moussa", "due_date": "", "status": "done"})
    assert saved.status_code == 302
    db_session.refresh(action)
    assert action.status is ActionStatus.DONE and action.owner == "Moussa"
    assert "0 open action(s), 0 overdue." in client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True)
    deleted = client.post(f"/assessments/{assessment.id}/actions/{action.id}/delete",
                          data={"csrf_token": csrf_token_in(edit), "version_id": action.version_id})
    assert deleted.status_code == 302 and db_session.scalar(select(ActionItem)) is None
    trail = db_session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("action.%")).order_by(AuditEntry.id)).all()
    assert trail == ["action.create", "action.update", "action.delete"]


def test_second_editor_is_refused_and_keeps_their_input(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    add(client, assessment)
    action = db_session.scalar(select(ActionItem))
    stale_version = action.version_id
    edit = client.get(f"/assessments/{assessment.id}/actions/{action.id}/edit").get_data(as_text=True)
    fields = {"csrf_token": csrf_token_in(edit), "title": "Test a backup restore", "due_date": "", "status": "in_progress"}
    first = client.post(f"/assessments/{assessment.id}/actions/{action.id}/edit",
                        data=fields | {"version_id": stale_version, "owner": "First editor"})
    assert first.status_code == 302
    second = client.post(f"/assessments/{assessment.id}/actions/{action.id}/edit",
                         data=fields | {"version_id": stale_version, "owner": "Second editor"})
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "someone else changed this action" in html
    assert 'value="Second editor"' in html and "First editor" in html  # their input kept, the saved value shown
    db_session.refresh(action)
    assert action.owner == "First editor"


def test_action_plan_is_read_only_for_headquarters_and_before_closing(client, db_session, login_as):
    closed = make_assessment()
    collecting = make_assessment("partial-readiness", close=False, name="Mali – Mopti")
    login_as(Role.HQ)
    page = client.get(f"/assessments/{closed.id}/actions").get_data(as_text=True)
    assert "Create actions from flags" not in page
    assert add(client, closed).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token_in(page)})
    login_as(Role.MEMBER, delegations=[collecting.delegation])
    page = client.get(f"/assessments/{collecting.id}/actions").get_data(as_text=True)
    assert "can be edited once the assessment is closed" in page
    assert add(client, collecting).status_code == 403


def test_markup_in_an_action_title_is_shown_as_text(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    add(client, assessment, title="<img src=x onerror=alert(1)>")
    html = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_an_action_generated_in_french_reads_in_english_for_an_english_reader_until_edited(client, db_session, login_as):
    from tests.web.test_translations import choose

    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    choose(client, "fr")
    client.post(f"/assessments/{assessment.id}/actions/from-flags", data={"csrf_token": token(client, assessment)})
    action = db_session.scalar(select(ActionItem).where(ActionItem.source == "critical_gate:cm_procedures"))
    assert action.title_key == "flag:critical_gate:cm_procedures"
    assert action.title.startswith("Système de protection de l")  # stored in its creator's language
    assert "Système de protection de l" in client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True)
    choose(client, "en")
    page = client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True)
    assert "Système de protection de l" not in page  # the same action, titled in English from its flag
    assert ", question: " in page
    # Once a person edits the title, their words are the title in every language.
    edit = client.get(f"/assessments/{assessment.id}/actions/{action.id}/edit").get_data(as_text=True)
    client.post(f"/assessments/{assessment.id}/actions/{action.id}/edit", data={
        "csrf_token": csrf_token_in(edit), "version_id": action.version_id, "title": "Écrire les procédures avec Amina",
        "owner": "", "due_date": "", "status": "open"})
    db_session.refresh(action)
    assert action.title_key is None
    assert "Écrire les procédures avec Amina" in client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True)
