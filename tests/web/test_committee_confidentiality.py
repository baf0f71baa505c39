"""Committee confidentiality is one policy: conflicts bind the chair too, and the review stays inside the committee."""
from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from flask.testing import FlaskClient

from readiness.domain import policies
from readiness.domain.review import Mark
from readiness.extensions import db
from readiness.models import Role, User
from readiness.services import ethics_review
from readiness.services.ethics_review import ItemMark, ReviewRefused

from .committee_fixtures import (
    PASSWORD, closed_assessment, decided, delegation, in_review, log_in, post_form, reviewed, submitted,
)

SECRET = "Committee-only: the director is under investigation"


@pytest.fixture
def people(make_user: Callable[..., User], db_session: Any) -> dict[str, Any]:
    home = delegation("Kivu")
    return {
        "home": home,
        "member": make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home], name="Mira Member"),
        "hq": make_user(role=Role.HQ, password=PASSWORD, name="Hugo HQ"),
        "chair": make_user(role=Role.CHAIR, password=PASSWORD, name="Chloé Chair"),
        "vice": make_user(role=Role.CHAIR, password=PASSWORD, name="Victor Vice-chair"),
        "ana": make_user(role=Role.COMMITTEE, password=PASSWORD, name="Ana Reviewer"),
        "ben": make_user(role=Role.COMMITTEE, password=PASSWORD, name="Ben Reviewer"),
    }


def committee_urls(proposal: Any) -> list[str]:
    base = f"/committee/proposals/{proposal.id}"
    return [base, f"{base}/reviews", f"{base}/reviews.csv", f"{base}/decision"]


def test_a_chair_in_the_proposing_delegation_neither_reads_nor_acts(
    client: FlaskClient, people: dict[str, Any],
) -> None:
    people["chair"].delegations = [people["home"]]
    db.session.commit()
    proposal = submitted(closed_assessment(people["home"]), people["member"])
    log_in(client, people["chair"])
    url = f"/committee/proposals/{proposal.id}"

    assert [client.get(u).status_code for u in committee_urls(proposal)] == [403] * 4
    assert post_form(client, f"{url}/screening", {"route": "full"}, page="/").status_code == 403
    assert f'href="{url}"' not in client.get("/committee/").get_data(as_text=True)


def test_a_vice_chair_takes_over_from_a_chair_in_the_proposing_delegation(client: FlaskClient, people: dict[str, Any]) -> None:
    people["chair"].delegations = [people["home"]]
    db.session.commit()
    proposal = submitted(closed_assessment(people["home"]), people["member"])
    log_in(client, people["vice"])
    url = f"/committee/proposals/{proposal.id}"

    assert post_form(client, f"{url}/screening", {"route": "full"}, page=url).status_code == 302
    assert proposal.status.value == "in_review" and proposal.screened_by_id == people["vice"].id


def test_a_chair_who_declared_a_conflict_cannot_read_or_decide_and_another_chair_decides(
    client: FlaskClient, people: dict[str, Any],
) -> None:
    proposal = in_review(submitted(closed_assessment(people["home"]), people["member"]), people["vice"])
    own = ethics_review.assign_reviewer(people["vice"], proposal, people["chair"])
    ethics_review.declare_conflicts(people["chair"], own, True, "My sister runs the partner clinic")
    reviewed(proposal, people["vice"], people["ana"], committee_note=SECRET)
    reviewed(proposal, people["vice"], people["ben"])
    log_in(client, people["chair"])

    assert [client.get(u).status_code for u in committee_urls(proposal)] == [403] * 4
    log_in(client, people["vice"])
    page = client.get(f"/committee/proposals/{proposal.id}/reviews").get_data(as_text=True)
    assert SECRET in page
    assert client.get(f"/committee/proposals/{proposal.id}/decision").status_code == 200


def test_a_reviewer_who_joins_the_proposing_delegation_can_no_longer_review(
    client: FlaskClient, people: dict[str, Any],
) -> None:
    proposal = in_review(submitted(closed_assessment(people["home"]), people["member"]), people["chair"])
    assignment = reviewed(proposal, people["chair"], people["ana"], committee_note=SECRET)
    people["ana"].delegations = [people["home"]]
    db.session.commit()
    log_in(client, people["ana"])

    assert client.get(f"/committee/assignments/{assignment.id}/review").status_code == 403
    assert client.get(f"/committee/proposals/{proposal.id}/reviews").status_code == 403
    assert ethics_review.submitted_reviews(proposal) == []  # their review no longer counts
    marks = {item.id: ItemMark(Mark.ACCEPTABLE) for item in ethics_review.charter_of(proposal).items}
    with pytest.raises(ReviewRefused):
        ethics_review.save_review(people["ana"], assignment, marks, opinion=assignment.opinion,
                                  opinion_comment="", committee_comment="")


@pytest.mark.parametrize("reader", ["member", "hq"])
def test_the_assessment_audit_trail_shows_the_review_happened_never_who_or_how(
    client: FlaskClient, people: dict[str, Any], reader: str,
) -> None:
    assessment = closed_assessment(people["home"])
    proposal = in_review(submitted(assessment, people["member"]), people["chair"])
    recused = ethics_review.assign_reviewer(people["chair"], proposal, people["ben"])
    ethics_review.declare_conflicts(people["ben"], recused, True, "Former employer")
    reviewed(proposal, people["chair"], people["ana"], mark=Mark.NOT_ACCEPTABLE, committee_note=SECRET)
    reviewed(proposal, people["chair"], people["vice"])
    decided(proposal, people["chair"])
    log_in(client, people[reader])

    page = client.get(f"/assessments/{assessment.id}/audit").get_data(as_text=True)

    for secret in ("Ana Reviewer", "Ben Reviewer", "Victor", "not_acceptable", "has_conflict", "marks", SECRET):
        assert secret not in page, secret
    assert page.count("review.submit") + page.count("Review submitted") >= 2
    assert "approved_with_conditions" in page  # the outcome
    assert "9 entries." in page  # created, opened, closed, frozen, submitted, screened, two reviews, decided


def test_the_committee_file_keeps_the_whole_trail_for_committee_readers(client: FlaskClient, people: dict[str, Any]) -> None:
    proposal = in_review(submitted(closed_assessment(people["home"]), people["member"]), people["chair"])
    reviewed(proposal, people["chair"], people["ana"])
    log_in(client, people["chair"])

    page = client.get(f"/committee/proposals/{proposal.id}").get_data(as_text=True)

    assert "review.assign" in page and "Ana Reviewer" in page


def test_the_audit_policy_redacts_without_touching_the_entry() -> None:
    entry = SimpleNamespace(action="review.submit", actor_label="Ana <ana@x.org>", actor_id=3,
                            before=None, after={"marks": {"consent": "concern"}})
    screen = SimpleNamespace(action="proposal.screen", actor_label="Chair", before=None,
                             after={"route": "full", "note": "the director is under investigation"})

    shown = policies.audit_entry_for(None, entry)

    assert (shown.actor_label, shown.after, shown.action) == (policies.COMMITTEE_LABEL, None, "review.submit")
    assert entry.after == {"marks": {"consent": "concern"}}
    assert policies.audit_entry_for(None, SimpleNamespace(action="review.recuse")) is None
    assert policies.audit_entry_for(None, screen).after == {"route": "full"}
