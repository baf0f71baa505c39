"""The delegation's side of the ethics review: submission, screening shown, resubmission and what changed."""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from readiness.domain.review import Opinion
from readiness.domain.screening import Route
from readiness.extensions import db
from readiness.models import AuditEntry, Proposal, ProposalFile, Role, User
from readiness.services import assessments

from .committee_fixtures import PASSWORD, closed_assessment, decided, delegation, in_review, log_in, pdf_bytes, post_form, reviewed, submitted


@pytest.fixture
def people(make_user: Callable[..., User], db_session: Any) -> dict[str, Any]:
    home, other = delegation("Kivu"), delegation("Sahel")
    return {
        "home": home, "other": other,
        "member": make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home], name="Mira Member"),
        "outsider": make_user(role=Role.MEMBER, password=PASSWORD, delegations=[other]),
        "chair": make_user(role=Role.CHAIR, password=PASSWORD, name="Chloé Chair"),
        "ana": make_user(role=Role.COMMITTEE, password=PASSWORD, name="Ana Reviewer"),
        "ben": make_user(role=Role.COMMITTEE, password=PASSWORD, name="Ben Reviewer"),
    }


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "CaseBook for Kivu", "summary": "A case-management app for 40 social workers.",
        "subjects": ["children", "caregivers"], "categories": ["case_notes", "health"], "storage": "cloud_abroad",
        "recipients-0-name": "Ministry of Social Affairs", "recipients-0-kind": "government_social_services",
        "recipients-0-receives": "monthly aggregates", "retention_years": "7", "automation": "reminders_only",
        "legal_framework": "weak", "cases_per_year": "1200", "purpose": "Daily follow-up of children's cases.",
        "data_detail": "Names, case notes, health needs.", "access": "Case worker and supervisor only.",
        "consent": "Explained in Swahili; a signed form.", "safeguards": "Encrypted phones, 7-year deletion.",
    }
    return data | overrides


def test_a_member_submits_a_closed_assessment_and_sees_the_proposed_route_with_reasons(client: FlaskClient, people: dict[str, Any]) -> None:
    assessment = closed_assessment(people["home"])
    log_in(client, people["member"])
    url = f"/assessments/{assessment.id}/proposal"
    data = form_data(attachments=(io.BytesIO(pdf_bytes()), "consent-form.pdf"))

    response = post_form(client, url, data, content_type="multipart/form-data", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Proposal submitted to the ethics committee." in page
    assert "proposed: Full review, waiting for the chair" in page
    assert "Children are data subjects" in page  # a reason from the screening policy file
    assert "Data would be stored abroad" in page
    assert "Ministry of Social Affairs" in page and "consent-form.pdf" in page
    proposal = db.session.scalars(select(Proposal)).one()
    assert proposal.screening["dpia_required"] is True
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "proposal.submit")).one()


def test_a_file_of_a_refused_type_is_named_and_nothing_is_saved(client: FlaskClient, people: dict[str, Any]) -> None:
    assessment = closed_assessment(people["home"])
    log_in(client, people["member"])
    data = form_data(attachments=(io.BytesIO(b"MZ\x90\x00 program"), "tool.exe"))

    response = post_form(client, f"/assessments/{assessment.id}/proposal", data, content_type="multipart/form-data")

    assert response.status_code == 400
    assert "tool.exe: only PDF, PNG, JPG, DOCX, XLSX or ODT files are accepted." in response.get_data(as_text=True)
    assert "Daily follow-up of children" in response.get_data(as_text=True)  # what was typed is kept
    assert db.session.scalars(select(Proposal)).all() == [] and db.session.scalars(select(ProposalFile)).all() == []


def test_an_assessment_still_collecting_cannot_be_submitted(client: FlaskClient, people: dict[str, Any]) -> None:
    assessment = closed_assessment(people["home"])
    assessments.reopen_assessment(None, assessment)
    db.session.commit()
    log_in(client, people["member"])

    assert client.get(f"/assessments/{assessment.id}/proposal").status_code == 403


def test_another_delegation_cannot_read_or_submit(client: FlaskClient, people: dict[str, Any]) -> None:
    assessment = closed_assessment(people["home"])
    proposal = submitted(assessment, people["member"])
    log_in(client, people["outsider"])

    assert client.get(f"/proposals/{proposal.id}").status_code == 403
    assert client.get(f"/assessments/{assessment.id}/proposal").status_code == 403
    assert client.get(f"/proposals/{proposal.id}/export.json").status_code == 403


def test_a_second_submission_while_one_is_under_review_is_turned_back(client: FlaskClient, people: dict[str, Any]) -> None:
    assessment = closed_assessment(people["home"])
    proposal = submitted(assessment, people["member"])
    log_in(client, people["member"])

    response = client.get(f"/assessments/{assessment.id}/proposal", follow_redirects=True)

    assert "already with the ethics committee" in response.get_data(as_text=True)
    assert response.request.path == f"/proposals/{proposal.id}"


def test_resubmission_is_a_new_linked_version_and_shows_exactly_what_changed(client: FlaskClient, people: dict[str, Any]) -> None:
    assessment = closed_assessment(people["home"], level=1)
    first = submitted(assessment, people["member"], summary="First summary.")
    in_review(first, people["chair"])
    reviewed(first, people["chair"], people["ana"], opinion=Opinion.REVISE)
    reviewed(first, people["chair"], people["ben"], opinion=Opinion.REVISE)
    decided(first, people["chair"], Opinion.REVISE)
    # Three changes: one answer, one charter item, one line of the description.
    assessments.reopen_assessment(None, assessment)
    answer = assessment_answer(assessment.id)
    answer.value = 3
    charter_row = next(c for c in charter_rows(assessment.id) if c.item_id == "retention_schedule")
    charter_row.status = charter_row.status.__class__("partly")
    assessments.close_assessment(None, assessment)
    db.session.commit()
    log_in(client, people["member"])
    form = client.get(f"/assessments/{assessment.id}/proposal").get_data(as_text=True)
    assert "First summary." in form  # the previous answers are filled in
    second = submitted(assessment, people["member"], summary="Second summary.", changes_note="Retention set.")

    page = client.get(f"/proposals/{second.id}/changes").get_data(as_text=True)

    assert second.previous_id == first.id and second.version == 2 and first.status.value == "superseded"
    assert page.count('<tr class="change">') == 3
    assert "needs_defined" in page and "Second summary." in page
    assert "A written retention schedule sets how long" in page and "retention_schedule" not in page  # text, not the id
    assert "Retention set." in page


def assessment_answer(assessment_id: int) -> Any:
    from readiness.models import Answer, Respondent

    return db.session.scalars(select(Answer).join(Respondent).where(Respondent.assessment_id == assessment_id)).one()


def charter_rows(assessment_id: int) -> list[Any]:
    from readiness.models import CharterAnswer

    return list(db.session.scalars(select(CharterAnswer).where(CharterAnswer.assessment_id == assessment_id)))


def test_the_report_partial_shows_the_ethics_status(app: Any, client: FlaskClient, people: dict[str, Any]) -> None:
    assessment = closed_assessment(people["home"])
    proposal = submitted(assessment, people["member"])
    in_review(proposal, people["chair"])
    reviewed(proposal, people["chair"], people["ana"])
    reviewed(proposal, people["chair"], people["ben"])
    decided(proposal, people["chair"], due_in=-3)
    log_in(client, people["member"])
    client.get("/")  # a request context with the member logged in

    with app.test_request_context():
        from flask import g, render_template

        g.user = people["member"]
        html = render_template("proposals/_status.html", assessment=assessment)

    assert "Approved with conditions" in html
    assert "0 of 1 condition(s) verified." in html and "1 overdue." in html
    assert "may not go live" in html



def test_the_assessment_report_shows_the_ethics_status(client: FlaskClient, people: dict[str, Any]) -> None:
    assessment = closed_assessment(people["home"])
    log_in(client, people["member"])
    before = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "Not submitted to the ethics committee yet." in before
    proposal = in_review(submitted(assessment, people["member"]), people["chair"], Route.EXPEDITED)
    reviewed(proposal, people["chair"], people["ana"])
    decided(proposal, people["chair"])
    after = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "The tool may not go live until the ethics committee approves it or verifies every condition." in after
    assert f"/proposals/{proposal.id}" in after
