"""Builders shared by the ethics-review web and browser tests: a closed assessment, a proposal, logins."""
from __future__ import annotations

import io
import secrets
import zipfile
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient

from readiness.definitions import get_definitions
from readiness.domain.review import Mark, Opinion
from readiness.domain.screening import Route
from readiness.extensions import db
from readiness.models import Answer, Assessment, CharterAnswer, CharterStatus, ContextType, Delegation, Respondent, User, utcnow
from readiness.services import assessments, ethics, ethics_review
from readiness.services.ethics_review import ConditionInput, ItemMark

from ..helpers import csrf_token_in

PASSWORD = "correct horse battery"
ANSWERED_ITEM = "needs_defined"
FLOWS = {
    "subjects": ["caregivers", "children"], "categories": ["case_notes", "health", "identity"],
    "storage": "cloud_in_country", "recipients": [{"name": "Partner clinic", "kind": "partner_ngo", "data": "referrals"}],
    "retention_years": 5.0, "automation": "reminders_only", "new_technology": False, "legal_framework": "weak",
    "cases_per_year": 400, "links_other_systems": False,
}
DESCRIPTION = {"purpose": "Reminders and follow-up for social workers.", "data_detail": "Case notes and health needs.",
               "access": "Case workers and their supervisor.", "sharing": "Referrals only, with consent.",
               "consent": "Families are told in their language and sign.", "safeguards": "Encrypted phones."}


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n% evidence\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def delegation(name: str = "Kivu") -> Delegation:
    row = Delegation(name=f"{name} {secrets.token_hex(3)}", country="DRC", region="Africa", context_type=ContextType.PROTRACTED_CRISIS)
    db.session.add(row)
    db.session.commit()
    return row


def closed_assessment(owner: Delegation, charter: dict[str, str] | None = None, level: int = 2) -> Assessment:
    """A closed assessment with one manager's answer and a charter self-assessment (all met unless given)."""
    assessment = assessments.start_assessment(None, owner, title="CM rollout", tool_name="CaseBook")
    items = get_definitions().charter(assessment.charter_id, assessment.charter_version).items
    statuses = {item.id: "met" for item in items} | (charter or {})
    for item_id, status in statuses.items():
        db.session.add(CharterAnswer(assessment_id=assessment.id, item_id=item_id, status=CharterStatus(status),
                                     comment=f"self-assessed {item_id}"))
    assessments.open_assessment(None, assessment)
    respondent = Respondent(assessment_id=assessment.id, role="manager", token_hash=secrets.token_hex(32),
                            token_expires_at=utcnow() + timedelta(days=5))
    db.session.add(respondent)
    db.session.flush()
    db.session.add(Answer(respondent_id=respondent.id, item_id=ANSWERED_ITEM, questionnaire_id=assessment.questionnaire_id,
                          questionnaire_version=assessment.questionnaire_version, value=level))
    db.session.flush()
    assessments.close_assessment(None, assessment)
    db.session.commit()
    return assessment


def submitted(assessment: Assessment, member: User, **changes: Any) -> Any:
    proposal = ethics.submit_proposal(member, assessment, title=changes.get("title", "CaseBook for Kivu"),
                                      summary=changes.get("summary", "A case-management app."), flows=changes.get("flows", FLOWS),
                                      description=DESCRIPTION, uploads=[], changes_note=changes.get("changes_note", ""))
    db.session.commit()
    return proposal


def in_review(proposal: Any, chair: User, route: Route = Route.FULL) -> Any:
    ethics.record_screening(chair, proposal, route, "" if route is proposal.proposed_route else "chair's choice")
    db.session.commit()
    return proposal


def reviewed(proposal: Any, chair: User, reviewer: User, mark: Mark = Mark.ACCEPTABLE, committee_note: str = "",
             opinion: Opinion = Opinion.APPROVE_WITH_CONDITIONS) -> Any:
    assignment = ethics_review.assign_reviewer(chair, proposal, reviewer)
    ethics_review.declare_conflicts(reviewer, assignment, False, "")
    marks = {item.id: ItemMark(mark, "fine for the delegation", committee_note)
             for item in ethics_review.charter_of(proposal).items}
    ethics_review.save_review(reviewer, assignment, marks, opinion=opinion, opinion_comment="overall for them",
                              committee_comment=committee_note)
    db.session.commit()
    return assignment


def decided(proposal: Any, chair: User, outcome: Opinion = Opinion.APPROVE_WITH_CONDITIONS, due_in: int = 30) -> Any:
    """Decide the proposal; a negative ``due_in`` gives a condition already late, decided 30 days earlier."""
    conditions = [ConditionInput("Sign the data-sharing agreement with the clinic", "Country director",
                                 date.today() + timedelta(days=max(due_in, 0)), "The signed agreement")]
    decision = ethics_review.record_committee_decision(chair, proposal, outcome, "Sound proposal; one gap.",
                                                       conditions if outcome is Opinion.APPROVE_WITH_CONDITIONS else [])
    if due_in < 0:  # a condition cannot be due before its decision: move the whole decision back in time
        decision.decided_at -= timedelta(days=30 - due_in)
        for condition in proposal.conditions:
            condition.due_date = date.today() + timedelta(days=due_in)
    db.session.commit()
    return proposal


def log_in(client: FlaskClient, user: User) -> None:
    client.post("/logout", data={"csrf_token": csrf_token_in(client.get("/login").get_data(as_text=True))})
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


def post_form(client: FlaskClient, url: str, data: dict[str, Any], page: str | None = None, **kwargs: Any) -> Any:
    """Post ``data`` to ``url`` with the CSRF token of the page at ``page`` (default: ``url``)."""
    token = csrf_token_in(client.get(page or url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)
