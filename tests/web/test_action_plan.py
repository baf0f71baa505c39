"""The action plan says what each generated action is about, never duplicates one, filters, and fits a phone."""
from __future__ import annotations

import re
from pathlib import Path
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from readiness.extensions import db
from readiness.models import ActionItem, ActionStatus, Role
from readiness.services import actions as action_service
from tests.helpers import csrf_token_in

from .test_report_page import make_assessment


def from_flags(client, assessment):
    token = csrf_token_in(client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True))
    return client.post(f"/assessments/{assessment.id}/actions/from-flags", data={"csrf_token": token})


def test_generated_actions_say_what_they_are_about_and_link_to_it(client, db_session, login_as):
    assessment = make_assessment("perception-gap")
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    from_flags(client, assessment)
    actions = db_session.scalars(select(ActionItem)).all()
    titles = [a.title for a in actions]
    assert len(titles) == len(set(titles)), titles  # no two identical rows
    gaps = [a for a in actions if a.source.startswith("perception_gap")]
    assert gaps and all(" and " in a.title.split(" — ")[0].split("(")[1] for a in gaps)  # the roles, before the action
    page = unescape(client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True))
    for action in gaps:
        anchor = "flag-" + re.sub(r"[^a-z0-9_-]+", "-", action.source.lower())
        assert f'/assessments/{assessment.id}/report#{anchor}' in page
    report = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert all(f'id="flag-{re.sub(r"[^a-z0-9_-]+", "-", a.source.lower())}"' in report for a in gaps)


def test_a_critical_item_action_names_the_question(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    from_flags(client, assessment)
    action = db_session.scalar(select(ActionItem).where(ActionItem.source == "critical_gate:cm_procedures"))
    assert action.origin == "critical_gate:cm_procedures"
    assert action.title.startswith("Child-protection system")  # the dimension, then the question
    page = unescape(client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True))
    assert "question: " in page


def test_the_database_refuses_a_second_action_for_the_same_flag(db_session):
    assessment = make_assessment()
    for _ in range(2):
        db.session.add(ActionItem(assessment_id=assessment.id, source="x", origin="critical_gate:cm_procedures",
                                  title="t", owner="", status=ActionStatus.OPEN))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_double_submit_that_loses_the_race_adds_nothing_and_says_so(client, db_session, login_as, monkeypatch):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    from_flags(client, assessment)
    count = db_session.scalar(select(func.count()).select_from(ActionItem))
    # The second request read the plan before the first one committed: it tries to insert the same actions.
    monkeypatch.setattr(action_service, "_already_planned", lambda assessment: (set(), set()))
    response = from_flags(client, assessment)
    assert response.status_code == 302
    assert db_session.scalar(select(func.count()).select_from(ActionItem)) == count
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "already has an action" in page


def test_the_plan_filters_by_owner_status_and_due_date(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    today = date.today()
    for title, owner, status, due in (("Train supervisors", "Sara", ActionStatus.OPEN, today + timedelta(days=5)),
                                      ("Sign the protocol", "Moussa", ActionStatus.DONE, today + timedelta(days=40)),
                                      ("Back up the server", "Sara", ActionStatus.IN_PROGRESS, today - timedelta(days=2))):
        action_service.create_action(None, assessment, title=title, owner=owner, due_date=due, status=status)
    db_session.commit()
    url = f"/assessments/{assessment.id}/actions"

    def shown(query: str) -> set[str]:
        html = client.get(url + query).get_data(as_text=True)
        body = html.split('class="plan-table', 1)[1].split("</table>", 1)[0] if 'class="plan-table' in html else ""
        return {t for t in ("Train supervisors", "Sign the protocol", "Back up the server") if t in body}

    assert shown("") == {"Train supervisors", "Sign the protocol", "Back up the server"}
    assert shown("?owner=Sara") == {"Train supervisors", "Back up the server"}
    assert shown("?status=done") == {"Sign the protocol"}
    assert shown("?due=overdue") == {"Back up the server"}
    assert shown("?due=30") == {"Train supervisors", "Back up the server"}
    assert shown("?owner=Sara&status=open") == {"Train supervisors"}
    assert "3 actions, 1 shown" in client.get(url + "?status=done").get_data(as_text=True)


def test_the_plan_table_does_not_borrow_the_button_bar_style(client, db_session, login_as, app):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    action_service.create_action(None, assessment, title="Train supervisors")
    db_session.commit()
    html = client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True)
    assert '<table class="plan-table stack-table"' in html
    text = Path(app.static_folder, "css", "app.css").read_text(encoding="utf-8")
    assert not re.search(r"(^|[\s,}])\.actions\s*[{,]", text)  # no bare, page-wide .actions rule
