"""A creating form sent twice (double click, resent form) is carried out once: the one-use form token.

Every creating form carries a token; the second post with it creates nothing and is sent
where the first one led. The ``postgres`` tests release both posts together.
"""
from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from readiness.models import ActionItem, ApiToken, Assessment, Delegation, Proposal, Respondent, Role, SpentFormToken, User
from readiness.services.assessments import start_assessment

from ..helpers import csrf_token_in
from .committee_fixtures import PASSWORD, closed_assessment, delegation
from .test_proposals import form_data
from .test_races import logged_in, race, send, statuses


def once_token_in(html: str) -> str:
    match = re.search(r'name="once"[^>]*value="([^"]+)"', html) or re.search(r'value="([^"]+)"[^>]*name="once"', html)
    assert match, "no one-use token on the page"
    return match.group(1)


def tokens(client, page: str) -> dict[str, str]:
    html = send(client, "GET", page).get_data(as_text=True)
    return {"csrf_token": csrf_token_in(html), "once": once_token_in(html)}


def count(db_session, model: Any, *where: Any) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model).where(*where))


NEW_ASSESSMENT = {"title": "Primero north", "tool_name": "Primero", "questionnaire_version": "1.0"}


def test_a_new_assessment_sent_twice_is_created_once_and_both_posts_land_on_it(app, make_user, db_session) -> None:
    home = delegation()
    client = logged_in(app, make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home]))
    page = f"/delegations/{home.id}"
    form = tokens(client, page) | NEW_ASSESSMENT

    first = send(client, "POST", f"{page}/assessments", data=form)
    second = send(client, "POST", f"{page}/assessments", data=form)

    assert first.status_code == second.status_code == 302
    assert count(db_session, Assessment, Assessment.delegation_id == home.id) == 1
    created = db_session.scalar(select(Assessment.id).where(Assessment.delegation_id == home.id))
    assert first.location == second.location == f"/assessments/{created}"
    assert "sent twice" in send(client, "GET", second.location).get_data(as_text=True)
    # A form shown again is a new form: its new token creates a second assessment.
    again = send(client, "POST", f"{page}/assessments", data=tokens(client, page) | NEW_ASSESSMENT)
    assert again.status_code == 302 and count(db_session, Assessment, Assessment.delegation_id == home.id) == 2


def test_an_invitation_sent_twice_makes_its_links_once(app, make_user, db_session) -> None:
    assessment = start_assessment(None, delegation(), title="CM rollout", tool_name="CaseBook")
    db_session.commit()
    client = logged_in(app, make_user(role=Role.MEMBER, password=PASSWORD, delegations=[assessment.delegation]))
    page = f"/assessments/{assessment.id}"
    form = tokens(client, page) | {"role": "social_worker", "count": "3", "days": "30"}

    first = send(client, "POST", f"{page}/respondents", data=form)
    second = send(client, "POST", f"{page}/respondents", data=form)

    assert first.status_code == second.status_code == 302 and second.location == f"{page}/links"
    assert count(db_session, Respondent, Respondent.assessment_id == assessment.id) == 3
    shown = re.findall(r'value="http://localhost/r/([A-Za-z0-9_-]+)"', send(client, "GET", second.location).get_data(as_text=True))
    assert len(shown) == 3  # the first post's links, kept for the page it led to


def test_an_action_sent_twice_is_added_once(app, make_user, db_session) -> None:
    assessment = closed_assessment(delegation())
    client = logged_in(app, make_user(role=Role.MEMBER, password=PASSWORD, delegations=[assessment.delegation]))
    page = f"/assessments/{assessment.id}/actions"
    form = tokens(client, page) | {"title": "Train supervisors", "owner": "Sara", "status": "open"}
    first = send(client, "POST", page, data=form)
    second = send(client, "POST", page, data=form)
    assert first.status_code == second.status_code == 302
    assert count(db_session, ActionItem, ActionItem.assessment_id == assessment.id) == 1


def test_a_proposal_sent_twice_is_submitted_once(app, make_user, db_session) -> None:
    assessment = closed_assessment(delegation())
    client = logged_in(app, make_user(role=Role.MEMBER, password=PASSWORD, delegations=[assessment.delegation]))
    page = f"/assessments/{assessment.id}/proposal"
    form = tokens(client, page) | form_data()
    first = send(client, "POST", page, data=form)
    second = send(client, "POST", page, data=form)
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert count(db_session, Proposal) == 1


def test_a_user_and_a_delegation_sent_twice_are_created_once(app, make_user, db_session) -> None:
    client = logged_in(app, make_user(role=Role.ADMIN, password=PASSWORD))
    form = tokens(client, "/admin/users/new") | {"name": "Sara Diallo", "email": "sara@example.org", "role": "hq", "is_active": "y"}
    first = send(client, "POST", "/admin/users/new", data=form)
    second = send(client, "POST", "/admin/users/new", data=form)
    assert first.status_code == 200 and "sara@example.org" in first.get_data(as_text=True)
    user_id = db_session.scalar(select(User.id).where(User.email == "sara@example.org"))
    assert second.status_code == 302 and second.location == f"/admin/users/{user_id}"  # the password is not shown again
    assert count(db_session, User, User.email == "sara@example.org") == 1

    form = tokens(client, "/admin/delegations/new") | {"name": "Goma", "country": "DRC", "region": "Africa",
                                                       "context_type": "protracted_crisis"}
    results = [send(client, "POST", "/admin/delegations/new", data=form) for _ in range(2)]
    assert [r.status_code for r in results] == [302, 302]
    assert count(db_session, Delegation, Delegation.name == "Goma") == 1


def test_an_api_token_sent_twice_is_issued_once_and_shown_on_the_page_both_posts_lead_to(app, make_user, db_session) -> None:
    user = make_user(role=Role.HQ, password=PASSWORD)
    client = logged_in(app, user)
    form = tokens(client, "/hq/api") | {"name": "Regional dashboard"}

    first = send(client, "POST", "/hq/api/tokens", data=form)
    second = send(client, "POST", "/hq/api/tokens", data=form)

    assert first.status_code == second.status_code == 302 and first.location == second.location == "/hq/api"
    assert count(db_session, ApiToken, ApiToken.user_id == user.id) == 1
    # A double click shows the browser the second answer: it leads to the one token, shown once.
    page = send(client, "GET", second.location)
    html = page.get_data(as_text=True)
    assert "sent twice" in html and 'id="new-token"' in html and page.headers["Cache-Control"] == "no-store"
    assert 'id="new-token"' not in send(client, "GET", "/hq/api").get_data(as_text=True)  # once, never again
    again = send(client, "POST", "/hq/api/tokens", data=tokens(client, "/hq/api") | {"name": "Regional dashboard"})
    assert again.status_code == 302 and count(db_session, ApiToken, ApiToken.user_id == user.id) == 2


def test_the_token_is_stored_hashed_and_bound_to_its_user(app, make_user, db_session) -> None:
    home = delegation()
    ana, ben = (logged_in(app, make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home])) for _ in range(2))
    form = tokens(ana, f"/delegations/{home.id}") | NEW_ASSESSMENT
    assert send(ana, "POST", f"/delegations/{home.id}/assessments", data=form).status_code == 302
    # Another person posting the same token (copied, guessed) is not sent to the first one's page.
    mine = form | {"csrf_token": tokens(ben, f"/delegations/{home.id}")["csrf_token"]}
    assert send(ben, "POST", f"/delegations/{home.id}/assessments", data=mine).status_code == 302
    assert count(db_session, Assessment, Assessment.delegation_id == home.id) == 2
    stored = db_session.scalars(select(SpentFormToken.token_hash)).all()
    assert form["once"] not in stored and len(stored) == 2


@pytest.mark.postgres
def test_double_clicks_on_creating_forms_create_once_on_postgres(app, make_user, db_session) -> None:
    home = delegation()
    client = logged_in(app, make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home]))
    page = f"/delegations/{home.id}"
    for round_ in range(3):
        form = tokens(client, page) | NEW_ASSESSMENT
        results = race(*(lambda: send(client, "POST", f"{page}/assessments", data=form) for _ in range(2)))
        assert statuses(results) == [302, 302]
        assert results[0].location == results[1].location
        assert count(db_session, Assessment, Assessment.delegation_id == home.id) == round_ + 1

    assessment_id = db_session.scalar(select(func.min(Assessment.id)).where(Assessment.delegation_id == home.id))
    form = tokens(client, f"/assessments/{assessment_id}") | {"role": "manager", "count": "2", "days": "30"}
    results = race(*(lambda: send(client, "POST", f"/assessments/{assessment_id}/respondents", data=form) for _ in range(2)))
    assert statuses(results) == [302, 302]
    assert count(db_session, Respondent, Respondent.assessment_id == assessment_id) == 2
