"""No lost or duplicated write: double submits, two devices, two editors, a save racing a revocation.

The ``postgres`` tests release pairs of requests together (a barrier, one thread and one
test client each) against PostgreSQL, where requests really run side by side; the others
pin the same rules one step at a time on any engine.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from readiness.extensions import db
from readiness.models import (
    ActionItem, Answer, AuditEntry, CommitteeDecision, ItemReview, MeasuredInput, Proposal, Respondent, ReviewerAssignment,
    Role, User, utcnow,
)
from readiness.services import answers as answer_service
from readiness.services import ethics_review
from readiness.services.answers import SavingClosed, Submission
from readiness.services.assessments import start_assessment
from readiness.services.respondents import find_by_token
from readiness.domain.collection import AnswerState

from ..helpers import csrf_token_in
from .committee_fixtures import PASSWORD, closed_assessment, delegation, in_review, reviewed, submitted
from .test_proposals import form_data
from .test_respond import first_level_items, hidden_fields, invite, role_pages  # noqa: F401 (fixture)

ROUNDS = 3


def race(*requests: Callable[[], Any]) -> list[Any]:
    """Run the requests in threads released together; :return: each one's response (or exception)."""
    barrier = threading.Barrier(len(requests))
    results: list[Any] = [None] * len(requests)

    def run(index: int, request: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = request()
        except Exception as error:  # a crash is a result to assert on, not a hung test
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def statuses(results: list[Any]) -> list[int | str]:
    """Status codes in order; a request that crashed shows as its exception."""
    return sorted((r.status_code if hasattr(r, "status_code") else repr(r) for r in results), key=str)


def send(client: FlaskClient, method: str, url: str, **kwargs: Any) -> Any:
    """A request in its own app context, as a real one has (the test's own context would share ``g``)."""
    with client.application.app_context():
        return client.open(url, method=method, **kwargs)


def no_crash(results: list[Any]) -> bool:
    """Every request answered, none with a 500 (under TESTING a crash reaches the test as an exception)."""
    return all(hasattr(r, "status_code") and r.status_code < 500 for r in results)


def logged_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    token = csrf_token_in(send(client, "GET", "/login").get_data(as_text=True))
    response = send(client, "POST", "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def page_post(client: FlaskClient, url: str, values: dict[str, str], page: str | None = None) -> Callable[[], Any]:
    """Load the page now (what the person sees), post ``values`` from it later."""
    form = hidden_fields(send(client, "GET", page or url).get_data(as_text=True))
    form = {k: v for k, v in form.items() if k in ("csrf_token", "link_proof", "version_id") or "__" in k}  # one form's own fields
    return lambda: send(client, "POST", url, data=form | values)


# --- One step at a time, any engine ---------------------------------------------------------


def test_a_figure_changed_and_changed_back_meanwhile_is_still_a_conflict(app, make_user, db_session) -> None:
    assessment = start_assessment(None, delegation(), title="CM rollout", tool_name="CaseBook")
    db_session.commit()
    member = make_user(role=Role.MEMBER, password=PASSWORD, delegations=[assessment.delegation])
    url = f"/assessments/{assessment.id}/figures"
    mine, other = logged_in(app, member), logged_in(app, member)
    page_post(other, url, {"power_hours": "6"})()
    stale = page_post(mine, url, {"power_hours": "12"})
    page_post(other, url, {"power_hours": "8"})()
    page_post(other, url, {"power_hours": "6"})()  # back to what my page shows, but not the record I saw

    response = stale()

    assert response.status_code == 409 and "Someone else saved this" in response.get_data(as_text=True)
    assert db_session.scalar(select(MeasuredInput.value).where(MeasuredInput.input_id == "power_hours")) == 6


def test_a_save_in_flight_when_the_link_is_revoked_does_not_land(app, invite, db_session) -> None:
    _aid, token, rid = invite()
    q, pages, by_page = role_pages(app, "social_worker")
    item = first_level_items(by_page[pages[0]], 1)[0]
    respondent = find_by_token(token).respondent  # the request has checked the link...
    with db.engine.begin() as other:  # ...when the delegation withdraws it
        other.execute(update(Respondent).where(Respondent.id == rid).values(revoked_at=utcnow()))

    with pytest.raises(SavingClosed):
        answer_service.save_answers(respondent, q, [Submission(item.id, AnswerState(3), AnswerState().digest())], "r")

    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(Answer)) == 0


def test_a_respondent_page_double_click_saves_once(app, client, invite, db_session) -> None:
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    item = first_level_items(by_page[pages[0]], 1)[0]
    url = f"/r/{token}/{pages[0]}"
    first, second = page_post(client, url, {item.id: "3", "go": "next"}), page_post(client, url, {item.id: "3", "go": "next"})

    assert [first().status_code, second().status_code] == [302, 302]
    assert db_session.scalars(select(Answer.value).where(Answer.respondent_id == rid)).all() == [3]


# --- Pairs released together on PostgreSQL --------------------------------------------------


@pytest.mark.postgres
def test_double_click_and_two_devices_on_a_respondent_page(app, invite, db_session) -> None:
    _q, pages, by_page = role_pages(app, "social_worker")
    a, b = first_level_items(by_page[pages[0]])
    for _round in range(ROUNDS):
        _aid, token, rid = invite()
        url = f"/r/{token}/{pages[0]}"
        click, device = app.test_client(), app.test_client()
        double = race(page_post(click, url, {a.id: "3", "go": "next"}), page_post(click, url, {a.id: "3", "go": "next"}))
        assert statuses(double) == [302, 302]
        both = {a.id: "3", "go": "later"}  # the page shows the saved answer checked
        two = race(page_post(click, url, both | {b.id: "1"}), page_post(device, url, both | {b.id: "4"}))

        # One device saved, the other was shown both answers: nothing lost silently, nothing duplicated.
        assert statuses(two) == [302, 409]
        kept = {r.get_data(as_text=True).count("changed elsewhere with your link") for r in two}
        rows = db_session.scalars(select(Answer).where(Answer.respondent_id == rid)).all()
        assert sorted(r.item_id for r in rows) == sorted([a.id, b.id]) and kept == {0, 1}
        assert {r.item_id: r.value for r in rows}[a.id] == 3
        db_session.expire_all()


@pytest.mark.postgres
def test_two_people_saving_the_same_figure(app, make_user, db_session) -> None:
    assessment = start_assessment(None, delegation(), title="CM rollout", tool_name="CaseBook")
    db_session.commit()
    url = f"/assessments/{assessment.id}/figures"
    ana, ben = (logged_in(app, make_user(role=Role.MEMBER, password=PASSWORD, delegations=[assessment.delegation]))
                for _ in range(2))
    for value_a, value_b in (("6", "10"), ("7", "11"), ("8", "12")):
        results = race(page_post(ana, url, {"power_hours": value_a}), page_post(ben, url, {"power_hours": value_b}))

        assert statuses(results) == [302, 409]
        saved = value_a if results[0].status_code == 302 else value_b
        db_session.expire_all()
        assert db_session.scalar(select(MeasuredInput.value).where(MeasuredInput.input_id == "power_hours")) == float(saved)
    assert db_session.scalar(select(func.count()).select_from(MeasuredInput)) == 1


@pytest.mark.postgres
def test_a_double_submitted_proposal_gives_one_proposal(app, make_user, db_session) -> None:
    assessment = closed_assessment(delegation())
    member = make_user(role=Role.MEMBER, password=PASSWORD, delegations=[assessment.delegation])
    client = logged_in(app, member)
    url = f"/assessments/{assessment.id}/proposal"
    results = race(page_post(client, url, form_data()), page_post(client, url, form_data()))

    assert all(getattr(r, "status_code", 500) in (302, 303) for r in results), statuses(results)
    assert db_session.scalar(select(func.count()).select_from(Proposal)) == 1
    assert db_session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "proposal.submit")) == 1


@pytest.mark.postgres
def test_a_double_actions_from_flags_adds_each_action_once(app, make_user, db_session) -> None:
    assessment = closed_assessment(delegation(), level=0)
    member = make_user(role=Role.MEMBER, password=PASSWORD, delegations=[assessment.delegation])
    client = logged_in(app, member)
    page = f"/assessments/{assessment.id}/actions"

    def press() -> Callable[[], Any]:
        token = csrf_token_in(send(client, "GET", page).get_data(as_text=True))
        return lambda: send(client, "POST", f"{page}/from-flags", data={"csrf_token": token})

    results = race(press(), press())

    assert statuses(results) == [302, 302]
    sources = db_session.scalars(select(ActionItem.source).where(ActionItem.assessment_id == assessment.id)).all()
    assert sources and len(sources) == len(set(sources))


@pytest.mark.postgres
def test_a_save_racing_a_revocation_lands_only_before_it(app, invite, make_user, db_session) -> None:
    _q, pages, by_page = role_pages(app, "social_worker")
    item = first_level_items(by_page[pages[0]], 1)[0]
    for _round in range(ROUNDS):
        aid, token, rid = invite()
        owner = db_session.scalars(select(User).where(User.role == Role.MEMBER).order_by(User.id.desc())).first()
        owner.password_hash = make_user(password=PASSWORD).password_hash
        db_session.commit()
        manager = logged_in(app, owner)
        page = f"/assessments/{aid}"
        revoke_token = csrf_token_in(send(manager, "GET", page).get_data(as_text=True))

        results = race(page_post(app.test_client(), f"/r/{token}/{pages[0]}", {item.id: "2", "go": "later"}),
                       lambda: send(manager, "POST", f"{page}/respondents/{rid}/revoke", data={"csrf_token": revoke_token}))

        assert no_crash(results)
        db_session.expire_all()
        respondent = db_session.get(Respondent, rid)
        answer = db_session.scalar(select(Answer).where(Answer.respondent_id == rid))
        assert respondent.revoked_at is not None
        assert answer is None or answer.updated_at <= respondent.revoked_at  # saved before the revocation took effect


@pytest.mark.postgres
def test_double_submits_on_the_committee_side_record_once(app, make_user, db_session) -> None:
    home = delegation()
    member = make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home])
    chair, ana, ben = (make_user(role=role, password=PASSWORD) for role in (Role.CHAIR, Role.COMMITTEE, Role.COMMITTEE))
    proposal = in_review(submitted(closed_assessment(home), member), chair)
    chairs = logged_in(app, chair)
    base = f"/committee/proposals/{proposal.id}"

    assign_results = race(*(page_post(chairs, f"{base}/reviewers", {"reviewer": str(ana.id)}, page=base) for _ in range(2)))
    assert no_crash(assign_results)
    assert db_session.scalar(select(func.count()).select_from(ReviewerAssignment)) == 1

    reviewed(proposal, chair, ben)
    assignment = db_session.scalar(select(ReviewerAssignment).where(ReviewerAssignment.reviewer_id == ana.id))
    ethics_review.declare_conflicts(ana, assignment, False, "")
    db_session.commit()
    reviews = logged_in(app, ana)
    marks = {f"mark_{i.id}": "acceptable" for i in ethics_review.charter_of(proposal).items} | {"opinion": "approved"}
    url = f"/committee/assignments/{assignment.id}/review"
    review_results = race(page_post(reviews, url, marks), page_post(reviews, url, marks))
    assert statuses(review_results) == [302, 302]
    assert db_session.scalar(select(func.count()).select_from(ItemReview)) == 2 * (len(marks) - 1)  # two reviewers

    decision = {"outcome": "approved", "rationale": "Sound."}
    decided_results = race(page_post(chairs, f"{base}/decision", decision), page_post(chairs, f"{base}/decision", decision))
    assert no_crash(decided_results) and 302 in statuses(decided_results)
    assert db_session.scalar(select(func.count()).select_from(CommitteeDecision)) == 1
