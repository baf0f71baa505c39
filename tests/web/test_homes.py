"""After login each role lands on its own work; a member sees where each assessment stands and what is next."""
from __future__ import annotations

from html import unescape

import pytest

from readiness.extensions import db
from readiness.models import Role
from readiness.services.decisions import record_decision
from readiness.models import Outcome
from tests.helpers import csrf_token_in

from .test_report_page import make_assessment


def log_in(client, make_user, role, next_url=None, **fields):
    user = make_user(role=role, password="correct horse battery", **fields)
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": user.email, "password": "correct horse battery", "csrf_token": token})


@pytest.mark.parametrize(("role", "home"), [
    (Role.MEMBER, "/delegations"), (Role.HQ, "/hq/"), (Role.ADMIN, "/hq/"),
    (Role.COMMITTEE, "/committee/"), (Role.CHAIR, "/committee/"),
])
def test_each_role_lands_on_its_own_home(client, make_user, db_session, role, home):
    response = log_in(client, make_user, role)
    assert response.status_code == 302 and response.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_a_requested_page_still_wins(client, make_user, db_session):
    response = log_in(client, make_user, Role.HQ, next_url="/account")
    assert response.headers["Location"] == "/account"


def test_a_member_sees_status_recommendation_decision_ethics_and_next_step(client, make_user, db_session):
    decided = make_assessment(name="Mali – Gao")  # closed, recommends no-go
    record_decision(None, decided, outcome=Outcome.NO_GO, decided_by_name="Awa", rationale="Procedures first.")
    closed = make_assessment(name="Mali – Kidal")
    db.session.commit()
    log_in(client, make_user, Role.MEMBER, delegations=[decided.delegation, closed.delegation])
    page = unescape(client.get("/delegations").get_data(as_text=True))
    assert "Mali – Gao" in page and "Mali – Kidal" in page
    assert "decided" in page and "closed" in page  # statuses
    assert page.count("No-go") >= 3  # two recommendations and one decision
    assert "not submitted" in page  # ethics review
    assert "Follow the action plan, then re-assess" in page
    assert f'href="/assessments/{decided.id}/actions"' in page
    assert "Read the report and record the decision" in page and f'href="/assessments/{closed.id}/decision"' in page


def test_the_assessment_page_shows_the_ethics_review_and_how_to_submit(client, make_user, db_session):
    assessment = make_assessment()
    log_in(client, make_user, Role.MEMBER, delegations=[assessment.delegation])
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Ethics review" in page and "Not submitted to the ethics committee yet." in page
    assert f'href="/assessments/{assessment.id}/proposal"' in page
