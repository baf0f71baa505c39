"""A live preview with too little to judge says so, what is missing and who must still answer; no verdict, no chart."""
from __future__ import annotations

import io
from datetime import timedelta
from html import unescape

from pypdf import PdfReader

from readiness.models import MeasuredInput, Respondent, Role, utcnow
from readiness.services.assessments import open_assessment

from .test_report_page import make_assessment
from .test_delegation import draft, place  # noqa: F401 (fixtures)


def invite(db_session, assessment, role: str, count: int, submitted: int = 0) -> None:
    for index in range(count):
        db_session.add(Respondent(assessment_id=assessment.id, role=role, token_hash=f"{role[:4]}{assessment.id:04d}{index:056d}",
                                  token_expires_at=utcnow() + timedelta(days=5),
                                  submitted_at=utcnow() if index < submitted else None))
    db_session.commit()


def test_a_preview_without_enough_answers_says_what_is_missing_and_who_must_answer(client, login_as, draft, db_session):
    assessment = draft()
    open_assessment(None, assessment)
    db_session.add(MeasuredInput(assessment_id=assessment.id, input_id="power_hours", value=6))
    invite(db_session, assessment, "social_worker", 3)
    invite(db_session, assessment, "manager", 1, submitted=1)
    login_as(Role.MEMBER, delegations=[assessment.delegation])

    for url in (f"/assessments/{assessment.id}/report", f"/assessments/{assessment.id}"):
        page = " ".join(unescape(client.get(url).get_data(as_text=True)).replace("\u202f", " ").replace("\xa0", " ").split())
        assert "Nothing to judge yet" in page, url
        assert "0 % of the questions that apply are answered; a verdict needs at least 60 %." in page
        assert "Not heard yet: Country or programme manager, Social worker," in page
        assert "Social worker: 3 of the 3 invited have not sent their answers yet." in page
        assert "Manager: " not in page.split("Who must still answer", 1)[1].split("</section>", 1)[0]  # done
        assert "badge insufficient-evidence" not in page and "report-chart-data" not in page  # no verdict, no chart
        assert 'id="dimensions"' not in page


def test_a_preview_with_enough_answers_shows_the_verdict_and_the_chart(client, login_as, db_session):
    assessment = make_assessment("partial-readiness", close=False)
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    page = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "Nothing to judge yet" not in page
    assert "badge go-with-conditions" in page and "report-chart-data" in page and 'id="dimensions"' in page


def test_a_frozen_result_on_too_little_evidence_keeps_its_verdict(client, login_as, db_session):
    assessment = make_assessment("seen-03-manager-alone")
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    page = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "Nothing to judge yet" not in page and "badge insufficient-evidence" in page



def test_the_pdf_of_a_preview_without_enough_answers_prints_no_verdict_but_what_is_missing(client, login_as, draft, db_session):
    assessment = draft()
    open_assessment(None, assessment)
    invite(db_session, assessment, "social_worker", 3)
    invite(db_session, assessment, "manager", 1, submitted=1)
    login_as(Role.MEMBER, delegations=[assessment.delegation])

    response = client.get(f"/assessments/{assessment.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    first = " ".join(reader.pages[0].extract_text().split())
    # The same sentences as the page, from the same report model, on the first page.
    assert "Nothing to judge yet" in first and "PREVIEW, NOT FINAL" in first
    assert "0 % of the questions that apply are answered; a verdict needs at least 60 %." in first
    assert "Not heard yet: Country or programme manager, Social worker," in first
    assert "Social worker: 3 of the 3 invited have not sent their answers yet." in first
    assert "Manager: " not in first.split("Who must still answer", 1)[1]
    # No verdict anywhere: no recommendation's label, no scores, no flags, no way to go.
    for verdict in ("Insufficient evidence", "Recommendation", "First things to do", "A way to go", "Flags",
                    "Dimensions", "Roles side by side", "Figures against self-ratings", "Coverage and robustness"):
        assert verdict not in text, verdict
    assert "Ethics charter" in text and "Method" in text and "Action plan" in text  # what the page keeps, the PDF keeps


def test_the_pdf_of_a_preview_with_enough_answers_keeps_its_verdict(client, login_as, db_session):
    assessment = make_assessment("partial-readiness", close=False)
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        client.get(f"/assessments/{assessment.id}/report.pdf").data)).pages).split())
    assert "Nothing to judge yet" not in text and "Recommendation" in text and "Dimensions" in text
