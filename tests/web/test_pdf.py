"""The PDF report: the real document is opened, its text extracted and its pages rendered."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from readiness.models import Role
from tests.helpers import csrf_token_in

from .test_report_decision import SCRIPT, decide
from .test_report_page import make_assessment, switch_language


def pdf_text(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_first_page_has_decision_recommendation_and_top_flags(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    decide(client, assessment, outcome="go", rationale="Ministry deadline, with safeguards.",
           override_reason="Donor funding ends in June.")
    reader, text = pdf_text(client.get(f"/assessments/{assessment.id}/report.pdf"))
    first = flat(reader.pages[0].extract_text())
    assert "Decision: Go" in first and "Ministry deadline, with safeguards." in first
    assert "Override" in first and "Donor funding ends in June." in first
    assert "Recommendation" in first and "No-go" in first
    assert "Critical item “Are written case-management procedures in place" in first
    assert f"page 1 of {len(reader.pages)}" in first and "questionnaire 1.0" in first
    everything = flat(text)
    assert "Ethics charter" in everything and "Method" in everything and "/method/readiness/1.0" in everything


def test_preview_pdf_says_it_is_not_final(client, db_session, login_as):
    assessment = make_assessment("partial-readiness", close=False)
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    _, text = pdf_text(client.get(f"/assessments/{assessment.id}/report.pdf"))
    assert "PREVIEW, NOT FINAL" in text and "No decision yet." in text


def test_pdf_in_french(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    switch_language(client, "fr")
    response = client.get(f"/assessments/{assessment.id}/report.pdf")
    _, text = pdf_text(response)
    text = flat(text)
    assert "Rapport de préparation" in text and "Premières choses à faire" in text
    assert "L'élément critique « Des procédures écrites" in text
    assert "-fr.pdf" in response.headers["Content-Disposition"]


def test_markup_and_non_latin_names_come_out_as_literal_text(client, db_session, login_as):
    assessment = make_assessment(name="Україна – Київ")
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    decide(client, assessment, outcome="go", decided_by_name="Zoë Ørsted-Ніна", rationale=f"{SCRIPT} & <b>bold</b>",
           override_reason="<i>x</i>")
    page = client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True)
    client.post(f"/assessments/{assessment.id}/actions", data={
        "csrf_token": csrf_token_in(page), "title": "<script>steal()</script>", "owner": "", "due_date": "", "status": "open"})
    _, text = pdf_text(client.get(f"/assessments/{assessment.id}/report.pdf"))
    text = flat(text)
    assert SCRIPT in text and "& <b>bold</b>" in text and "<script>steal()</script>" in text
    assert "Zoë Ørsted-Ніна" in text and "Україна – Київ" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")
def test_pdf_pages_render_as_images(client, db_session, login_as, tmp_path):
    assessment = make_assessment("perception-gap")
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    response = client.get(f"/assessments/{assessment.id}/report.pdf")
    (tmp_path / "report.pdf").write_bytes(response.data)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(tmp_path / "report.pdf"),
                    str(tmp_path / "page")], check=True, capture_output=True, timeout=60)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 2 and all(image.stat().st_size > 5_000 for image in images)
    assert images[1].stat().st_size > images[0].stat().st_size / 4  # the charts page is not blank
