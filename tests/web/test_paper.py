"""Paper questionnaires: the PDF holds every question and decodable QR codes; sheets typed in once, or twice."""
from __future__ import annotations

import io
import re
import subprocess
from html import unescape

import pytest
import zxingcpp
from flask import g
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from readiness.definitions import get_definitions
from readiness.domain.paper import SheetCode, check_letter, parse_code
from readiness.models import Answer, AnswerSource, ContextType, Delegation, Respondent
from readiness.services.assessments import open_assessment, start_assessment

from ..helpers import csrf_token_in

ROLE = "social_worker"


@pytest.fixture
def world(app, db_session, make_user):
    delegation = Delegation(name="Gao", country="Mali", region="West Africa", context_type=ContextType.STABLE)
    db_session.add(delegation)
    owner = make_user(delegations=[delegation])
    assessment = start_assessment(owner, delegation, title="Primero rollout", tool_name="Primero")
    open_assessment(owner, assessment)
    db_session.commit()
    with app.app_context():
        q = get_definitions().latest_questionnaire("readiness")
    return assessment.id, q, delegation


def test_codes_carry_a_check_letter_that_catches_typing_mistakes():
    code = SheetCode(12, 3, 7)
    assert str(code) == f"12-3-007-{check_letter(code)}" and parse_code(str(code)) == code
    assert parse_code(str(code).lower().replace("-", " - ")) == code
    wrong = {parse_code(f"12-3-{n:03d}-{check_letter(code)}") for n in range(1, 40) if n != 7}
    assert None in wrong and parse_code("12-3-007") is None and parse_code("") is None


def test_the_pdf_has_every_question_and_a_decodable_qr_code_on_every_page(client, login_as, world, tmp_path):
    aid, q, delegation = world
    login_as(delegations=[delegation])
    response = client.get(f"/assessments/{aid}/paper.pdf?role={ROLE}&copies=2&first=7")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(response.data)).pages
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))
    for item in q.items_for_role(ROLE):
        for lang in ("en", "fr"):
            assert re.sub(r"\s+", " ", item.text[lang]) in text, (item.id, lang)
    assert "Don't know" in text and "Ne sait pas" in text and "Comment (optional)" in text
    codes = [str(SheetCode(aid, [r.id for r in q.roles].index(ROLE) + 1, n)) for n in (7, 8)]
    (tmp_path / "paper.pdf").write_bytes(response.data)
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(tmp_path / "paper.pdf"), str(tmp_path / "page")], check=True)
    decoded = []
    for image in sorted(tmp_path.glob("page-*.png")):
        found = [b.text for b in zxingcpp.read_barcodes(Image.open(image)) if b.format == zxingcpp.BarcodeFormat.QRCode]
        assert len(found) == 1, image.name
        decoded.append(found[0])
    assert len(decoded) == len(pages) and set(decoded) == set(codes)
    half = len(pages) // 2
    assert decoded[:half] == [codes[0]] * half and decoded[half:] == [codes[1]] * half
    assert all(f"Sheet {decoded[i]}, page {n}" in pages[i].extract_text() for i, n in ((0, 1), (half - 1, half), (half, 1)))


def answers_form(q, page_html: str, values: dict[str, str]) -> dict[str, str]:
    from ..helpers import csrf_token_in

    return {"csrf_token": csrf_token_in(page_html)} | values


def test_a_sheet_typed_in_becomes_one_paper_respondent_once(client, login_as, world, db_session):
    aid, q, delegation = world
    login_as(delegations=[delegation])
    code = str(SheetCode(aid, [r.id for r in q.roles].index(ROLE) + 1, 3))
    found = client.get(f"/assessments/{aid}/paper?code={code.lower()}")
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/assessments/{aid}/paper/{code}")
    page = client.get(f"/assessments/{aid}/paper/{code}").get_data(as_text=True)
    items = q.items_for_role(ROLE)
    for item in items:
        assert unescape(item.text["en"]) in unescape(page)
    level = next(i for i in items if i.type == "level")
    text_item = next(i for i in items if i.type == "text")
    saved = client.post(f"/assessments/{aid}/paper/{code}", data=answers_form(q, page, {
        level.id: "2", level.id + "__comment": "Written in the margin", text_item.id: "More time with families"}))
    assert saved.status_code == 302
    respondent = db_session.scalar(select(Respondent).where(Respondent.assessment_id == aid))
    assert respondent.source is AnswerSource.PAPER and respondent.external_id == code and respondent.role == ROLE
    assert {a.item_id: a.value for a in respondent.answers} == {level.id: 2, text_item.id: "More time with families"}
    again = client.get(f"/assessments/{aid}/paper/{code}").get_data(as_text=True)
    assert "already been typed in" in again and "transcribe-form" not in again
    client.post(f"/assessments/{aid}/paper/{code}", data=answers_form(q, page, {level.id: "4"}))
    assert db_session.scalar(select(func.count()).select_from(Respondent)) == 1


def test_a_code_of_no_sheet_is_refused_with_a_message(client, login_as, world):
    aid, _q, delegation = world
    login_as(delegations=[delegation])
    response = client.get(f"/assessments/{aid}/paper?code={aid}-1-001-A" if check_letter(SheetCode(aid, 1, 1)) != "A" else f"/assessments/{aid}/paper?code={aid}-1-001-B")
    assert response.status_code == 400 and "No sheet of this assessment has this code" in unescape(response.get_data(as_text=True))
    assert client.get(f"/assessments/{aid}/paper/{aid + 1}-1-001-{check_letter(SheetCode(aid + 1, 1, 1))}").status_code == 404


def test_double_entry_shows_the_differences_before_saving(app, client, login_as, make_user, world, db_session):
    aid, q, delegation = world
    code = str(SheetCode(aid, [r.id for r in q.roles].index(ROLE) + 1, 9))
    a, b = [i for i in q.items_for_role(ROLE) if i.type == "level"][:2]
    url = f"/assessments/{aid}/paper/{code}"
    login_as(delegations=[delegation])
    page = client.get(url).get_data(as_text=True)
    kept = client.post(url, data=answers_form(q, page, {a.id: "3", b.id: "1", "double_entry": "y"}))
    assert kept.status_code == 302 and db_session.scalar(select(func.count()).select_from(Respondent)) == 0

    client = app.test_client()  # a second person types the same sheet
    second = make_user(password="correct horse battery", delegations=[delegation])
    g.pop("csrf_token", None)  # the fixtures keep one app context: Flask-WTF's cached token would leak
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    logged = client.post("/login", data={"email": second.email, "password": "correct horse battery", "csrf_token": token})
    assert logged.status_code == 302, logged.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Someone else has typed this sheet once" in page
    differ = client.post(url, data=answers_form(q, page, {a.id: "3", b.id: "not_applicable"}))
    body = unescape(differ.get_data(as_text=True))
    assert differ.status_code == 409 and "differ on 1 question" in body and f"Level 1: {b.levels[1]['en']}" in body
    assert db_session.scalar(select(func.count()).select_from(Respondent)) == 0
    settled = client.post(url, data=answers_form(q, differ.get_data(as_text=True), {a.id: "3", b.id: "1", "resolved": "1"}))
    assert settled.status_code == 302
    values = {r.item_id: r.value for r in db_session.scalars(select(Answer))}
    assert values == {a.id: 3, b.id: 1}
