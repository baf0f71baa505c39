"""Every free text at its form's limit lays out in the page, the report PDF and the decision letter.

Long text flows over pages, inside table cells too; nothing is cut and nothing gives a 500.
"""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from readiness.domain.review import Opinion
from readiness.extensions import db
from readiness.models import Role
from readiness.services import ethics_review
from readiness.services.ethics_review import ConditionInput

from .committee_fixtures import PASSWORD, closed_assessment, delegation, in_review, log_in, reviewed, submitted
from .test_report_decision import decide
from .test_report_page import make_assessment

SHAPES = {
    "words": lambda n, tag: (tag + " " + "Conditionally approved once the agreement is signed. " * (n // 50 + 1))[:n],
    "one_word": lambda n, tag: (tag + "x" * n)[:n],
    "lines": lambda n, tag: (tag + "\nline" * n)[:n],
}


def long_text(shape: str, n: int, tag: str) -> str:
    return SHAPES[shape](n, tag)


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_decision_at_every_limit_lays_out_in_the_report_and_its_pdf(client, db_session, login_as, shape: str) -> None:
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    fields = {"rationale": long_text(shape, 10_000, "RATIONALE"), "conditions": long_text(shape, 10_000, "CONDITIONS"),
              "override_reason": long_text(shape, 10_000, "OVERRIDE"), "decided_by_name": "D" * 200, "outcome": "go"}
    assert decide(client, assessment, **fields).status_code == 302

    html = client.get(f"/assessments/{assessment.id}/report")
    pages = pdf_pages(client.get(f"/assessments/{assessment.id}/report.pdf"))

    assert html.status_code == 200
    text = "".join(pages)
    for tag in ("RATIONALE", "CONDITIONS", "OVERRIDE"):
        assert tag in text
    assert "".join(fields["rationale"].split())[-40:] in text  # the end of the text is printed too, not cut


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_committee_decision_at_every_limit_lays_out_in_the_letter(client, make_user, db_session, shape: str) -> None:
    home = delegation("Kivu")
    member = make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home], name="M" * 200)
    chair = make_user(role=Role.CHAIR, password=PASSWORD, name="C" * 200)
    proposal = in_review(submitted(closed_assessment(home), member, title="T" * 200), chair)
    for n in range(2):
        reviewed(proposal, chair, make_user(role=Role.COMMITTEE, password=PASSWORD, name=f"R{n}"))
    count = 3 if shape == "lines" else 20  # twenty pages of one-word lines take long to lay out: three show the same
    conditions = [ConditionInput(long_text(shape, 2000, f"COND{n}"), "O" * 200, date.today() + timedelta(days=30),
                                 long_text(shape, 2000, f"EVID{n}")) for n in range(count)]
    ethics_review.record_committee_decision(chair, proposal, Opinion.APPROVE_WITH_CONDITIONS,
                                            long_text(shape, 10_000, "RATIONALE"), conditions)
    db.session.commit()
    log_in(client, member)

    pages = pdf_pages(client.get(f"/proposals/{proposal.id}/letter.pdf"))

    text = "".join(pages)
    assert "RATIONALE" in text and "COND0" in text and f"EVID{count - 1}" in text
    assert client.get(f"/proposals/{proposal.id}").status_code == 200
