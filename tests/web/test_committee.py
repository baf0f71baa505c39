"""The committee's side: screening, reviewers without conflicts, reviews side by side, decision, letter, conditions."""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from readiness.domain.review import Mark, Opinion
from readiness.extensions import db
from readiness.models import AuditEntry, ReviewerAssignment, Role, User
from readiness.services import ethics_review
from readiness.services.ethics_review import ReviewRefused

from .committee_fixtures import (
    PASSWORD, closed_assessment, decided, delegation, in_review, log_in, pdf_bytes, post_form, reviewed, submitted,
)

SECRET = "Committee-only: the country director is under investigation"


@pytest.fixture
def people(make_user: Callable[..., User], db_session: Any) -> dict[str, Any]:
    home = delegation("Kivu")
    return {
        "home": home,
        "member": make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home], name="Mira Member"),
        "hq": make_user(role=Role.HQ, password=PASSWORD, name="Hugo HQ"),
        "chair": make_user(role=Role.CHAIR, password=PASSWORD, name="Chloé Chair"),
        "ana": make_user(role=Role.COMMITTEE, password=PASSWORD, name="Ana Reviewer"),
        "ben": make_user(role=Role.COMMITTEE, password=PASSWORD, name="Ben Reviewer"),
        "insider": make_user(role=Role.COMMITTEE, password=PASSWORD, delegations=[home], name="Iris Insider"),
        "idle": make_user(role=Role.COMMITTEE, password=PASSWORD, name="Ivo Unassigned"),
    }


@pytest.fixture
def proposal(people: dict[str, Any]) -> Any:
    return submitted(closed_assessment(people["home"]), people["member"])


def test_the_chair_records_the_route_and_a_departure_needs_a_reason(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    log_in(client, people["chair"])
    url = f"/committee/proposals/{proposal.id}"

    refused = post_form(client, f"{url}/screening", {"route": "expedited", "note": ""}, page=url, follow_redirects=True)
    accepted = post_form(client, f"{url}/screening", {"route": "full"}, page=url, follow_redirects=True)

    assert "Say why you choose another route" in refused.get_data(as_text=True)
    assert "Route recorded: Full review." in accepted.get_data(as_text=True)
    assert proposal.status.value == "in_review" and proposal.screened_by_id == people["chair"].id
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "proposal.screen")).one()


def test_only_the_chair_screens(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    for who in ("ana", "member"):
        log_in(client, people[who])
        page = "/committee/" if who == "ana" else f"/proposals/{proposal.id}"
        assert post_form(client, f"/committee/proposals/{proposal.id}/screening", {"route": "full"}, page=page).status_code == 403


def test_a_member_of_the_proposing_delegation_cannot_be_assigned(app: Any, client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    in_review(proposal, people["chair"])
    with app.test_request_context(), pytest.raises(ReviewRefused):
        ethics_review.assign_reviewer(people["chair"], proposal, people["insider"])
    db.session.rollback()
    log_in(client, people["chair"])
    url = f"/committee/proposals/{proposal.id}"

    response = post_form(client, f"{url}/reviewers", {"reviewer": people["insider"].id}, page=url, follow_redirects=True)

    assert "Iris Insider belongs to the proposing delegation and cannot review its proposal." in response.get_data(as_text=True)
    assert db.session.scalars(select(ReviewerAssignment)).all() == []
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "review.assign_refused")).first()


def test_a_reviewer_declares_before_reading_and_a_recusal_shuts_the_file(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    in_review(proposal, people["chair"])
    assignment = ethics_review.assign_reviewer(people["chair"], proposal, people["ana"])
    db.session.commit()
    log_in(client, people["ana"])

    before = client.get(f"/committee/assignments/{assignment.id}/review")
    declaration = client.get(before.headers["Location"]).get_data(as_text=True)
    assert "/declaration" in before.headers["Location"]
    assert "A case-management app." not in declaration  # nothing of the proposal's content yet
    assert "Why you declare first" in declaration
    for path in (f"/committee/proposals/{proposal.id}", f"/proposals/{proposal.id}"):
        sent = client.get(path)  # not a bare 403: the declaration page, saying why
        assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/committee/assignments/{assignment.id}/declaration")
    explained = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Declare your conflicts of interest first" in explained and "A case-management app." not in explained

    url = f"/committee/assignments/{assignment.id}/declaration"
    post_form(client, url, {"has_conflict": "yes", "note": "I advise this delegation."})

    assert assignment.recused
    assert client.get(f"/committee/proposals/{proposal.id}").status_code == 403
    assert client.get(f"/committee/assignments/{assignment.id}/review").status_code == 403
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "review.recuse")).one()
    log_in(client, people["chair"])
    assert "I advise this delegation." in client.get(f"/committee/proposals/{proposal.id}").get_data(as_text=True)


def test_a_review_marks_every_charter_item(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    in_review(proposal, people["chair"])
    assignment = ethics_review.assign_reviewer(people["chair"], proposal, people["ana"])
    ethics_review.declare_conflicts(people["ana"], assignment, False, "")
    db.session.commit()
    log_in(client, people["ana"])
    url = f"/committee/assignments/{assignment.id}/review"
    items = [item.id for item in ethics_review.charter_of(proposal).items]
    data = {f"mark_{i}": "acceptable" for i in items[1:]} | {"opinion": "approved"}

    incomplete = post_form(client, url, data)
    complete = post_form(client, url, data | {f"mark_{items[0]}": "needs_change", f"committee_{items[0]}": SECRET})

    assert incomplete.status_code == 400 and "Mark this item." in incomplete.get_data(as_text=True)
    assert complete.status_code == 302
    assert assignment.opinion is Opinion.APPROVE and len(assignment.items) == len(items)


def test_an_unassigned_reviewer_sees_nothing_of_the_file(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    in_review(proposal, people["chair"])
    assignment = reviewed(proposal, people["chair"], people["ana"], committee_note=SECRET)
    log_in(client, people["idle"])

    for path in (f"/committee/proposals/{proposal.id}", f"/committee/proposals/{proposal.id}/reviews",
                 f"/committee/proposals/{proposal.id}/reviews.csv", f"/committee/proposals/{proposal.id}/decision",
                 f"/committee/assignments/{assignment.id}/review", f"/proposals/{proposal.id}"):
        assert client.get(path).status_code == 403, path


def test_reviews_side_by_side_highlight_disagreement(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    in_review(proposal, people["chair"])
    reviewed(proposal, people["chair"], people["ana"], Mark.ACCEPTABLE, opinion=Opinion.APPROVE)
    reviewed(proposal, people["chair"], people["ben"], Mark.NOT_ACCEPTABLE, committee_note=SECRET, opinion=Opinion.REJECT)
    log_in(client, people["chair"])

    page = client.get(f"/committee/proposals/{proposal.id}/reviews").get_data(as_text=True)

    assert page.count('<tbody class="strong-disagreement">') == len(ethics_review.charter_of(proposal).items)
    assert "Ana Reviewer" in page and "Ben Reviewer" in page and SECRET in page


def decided_with_secret(people: dict[str, Any], proposal: Any, due_in: int = 30) -> Any:
    in_review(proposal, people["chair"])
    reviewed(proposal, people["chair"], people["ana"], committee_note=SECRET)
    reviewed(proposal, people["chair"], people["ben"], Mark.NEEDS_CHANGE)
    return decided(proposal, people["chair"], due_in=due_in)


def letter_text(client: FlaskClient, proposal: Any, lang: str) -> str:
    response = client.get(f"/proposals/{proposal.id}/letter.pdf?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_decision_needs_enough_reviews_and_well_formed_conditions(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    in_review(proposal, people["chair"])
    reviewed(proposal, people["chair"], people["ana"])
    log_in(client, people["chair"])
    url = f"/committee/proposals/{proposal.id}/decision"

    too_few = post_form(client, url, {"outcome": "approved", "rationale": "Fine."})
    reviewed(proposal, people["chair"], people["ben"])
    half_condition = post_form(client, url, {"outcome": "approved_with_conditions", "rationale": "Fine.",
                                             "conditions-0-text": "Sign the agreement"})

    assert "needs 2 submitted review(s)" in too_few.get_data(as_text=True)
    assert "Give every part of the condition" in half_condition.get_data(as_text=True)
    assert proposal.decision is None


def test_the_letter_holds_the_decision_and_every_condition_in_english_and_french(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    in_review(proposal, people["chair"])
    reviewed(proposal, people["chair"], people["ana"], committee_note=SECRET)
    reviewed(proposal, people["chair"], people["ben"])
    log_in(client, people["chair"])
    data = {"outcome": "approved_with_conditions", "rationale": "Sound, with two gaps.",
            "conditions-0-text": "Sign the data-sharing agreement", "conditions-0-owner": "Country director",
            "conditions-0-due_date": "2031-03-01", "conditions-0-evidence_required": "The signed agreement",
            "conditions-1-text": "Train every worker on consent", "conditions-1-owner": "Protection manager",
            "conditions-1-due_date": "2031-04-15", "conditions-1-evidence_required": "Attendance sheets"}
    assert post_form(client, f"/committee/proposals/{proposal.id}/decision", data).status_code == 302
    log_in(client, people["member"])

    english, french = letter_text(client, proposal, "en"), letter_text(client, proposal, "fr")

    assert "Approved with conditions" in english and "Approuvée sous conditions" in french
    for text in ("Sign the data-sharing agreement", "Train every worker on consent", "Attendance sheets", "Country director"):
        assert text in english and text in french
    assert "March 1, 2031" in english and "1 mars 2031" in french
    assert SECRET not in english and SECRET not in french


def test_delegation_users_never_see_committee_comments_or_declarations(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    decided_with_secret(people, proposal)
    for who in ("member", "hq"):
        log_in(client, people[who])
        page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
        export = client.get(f"/proposals/{proposal.id}/export.json").get_data(as_text=True)
        assert "fine for the delegation" in page  # comments meant for the delegation do show
        assert SECRET not in page and SECRET not in export and SECRET not in letter_text(client, proposal, "en")
        assert "committee_comment" not in export and "has_conflict" not in export
        assert client.get(f"/committee/proposals/{proposal.id}/reviews.csv").status_code == 403
        assert client.get(f"/committee/proposals/{proposal.id}/reviews").status_code == 403
        assert client.get(f"/committee/proposals/{proposal.id}").status_code == 403
    log_in(client, people["chair"])
    assert SECRET in client.get(f"/committee/proposals/{proposal.id}/reviews.csv").get_data(as_text=True)


def test_evidence_is_verified_or_returned_and_all_verified_clears(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    decided_with_secret(people, proposal)
    condition = proposal.conditions[0]
    log_in(client, people["member"])
    url = f"/proposals/{proposal.id}/conditions/{condition.id}"
    post_form(client, url, {"note": "Signed on 2 May.", "version_id": condition.version_id,
                            "files": (io.BytesIO(pdf_bytes()), "agreement.pdf")}, content_type="multipart/form-data")
    assert condition.status.value == "submitted" and condition.files[0].filename == "agreement.pdf"
    log_in(client, people["chair"])
    file_url = f"/committee/proposals/{proposal.id}"

    returned = post_form(client, f"/committee/conditions/{condition.id}/check",
                         {"action": "return", "reason": "Unsigned copy.", "version_id": condition.version_id}, page=file_url)
    log_in(client, people["member"])
    assert "Unsigned copy." in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    post_form(client, url, {"note": "Now signed.", "version_id": condition.version_id})
    log_in(client, people["chair"])
    verified = post_form(client, f"/committee/conditions/{condition.id}/check",
                         {"action": "verify", "version_id": condition.version_id}, page=file_url, follow_redirects=True)

    assert returned.status_code == 302
    assert "Every condition is verified: the proposal is cleared." in verified.get_data(as_text=True)
    assert proposal.status.value == "cleared"
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert {"condition.submit_evidence", "condition.return", "condition.verify", "proposal.clear"} <= set(actions)


def test_overdue_conditions_stand_out_for_committee_and_headquarters(client: FlaskClient, people: dict[str, Any], proposal: Any) -> None:
    decided_with_secret(people, proposal, due_in=-4)
    for who, path in (("chair", "/committee/"), ("hq", "/committee/overdue"), ("ana", "/committee/overdue")):
        log_in(client, people[who])
        page = client.get(path).get_data(as_text=True)
        assert "4 day(s) late" in page and "Sign the data-sharing agreement" in page, who
    log_in(client, people["member"])
    assert client.get("/committee/overdue").status_code == 403
    assert client.get("/committee/").status_code == 403
