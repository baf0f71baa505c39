"""Importing KoboToolbox/ODK exports of our XLSForms: same result as the web pages, nothing written on a problem."""
from __future__ import annotations

import io
import re
import zipfile
from html import unescape

import pytest
from sqlalchemy import func, select

from readiness.definitions import get_definitions
from readiness.domain.result import result_to_json
from readiness.domain.collection import role_pages
from readiness.models import Answer, AnswerSource, Assessment, AuditEntry, ContextType, Delegation, Respondent
from readiness.services.assessments import open_assessment, start_assessment
from readiness.services.respondents import invite_respondents
from readiness.services.results import compute_result
from readiness.services.xlsform import xlsform_for

from ..helpers import csrf_token_in
from .kobo_fixtures import answers_for, as_csv, as_xlsx, kobo_rows
from .test_respond import hidden_fields

ROLE = "manager"


@pytest.fixture
def setup(app, db_session, login_as):
    """A delegation member logged in, and ``new()`` making collecting assessments of their delegation."""
    delegation = Delegation(name="Gao", country="Mali", region="West Africa", context_type=ContextType.STABLE)
    db_session.add(delegation)
    db_session.commit()
    user = login_as(delegations=[delegation])

    def new(title: str = "Primero rollout") -> Assessment:
        assessment = start_assessment(user, delegation, title=title, tool_name="Primero")
        open_assessment(user, assessment)
        db_session.commit()
        return assessment

    return user, new


@pytest.fixture
def q(app):
    with app.app_context():
        return get_definitions().latest_questionnaire("readiness")


def upload(client, assessment_id: int, data: bytes, filename: str):
    page = client.get(f"/assessments/{assessment_id}/import").get_data(as_text=True)
    return client.post(f"/assessments/{assessment_id}/import", data={
        "csrf_token": csrf_token_in(page), "file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def confirm(client, assessment_id: int, preview_html: str):
    fields = hidden_fields(preview_html.split(f'action="/assessments/{assessment_id}/import/confirm"', 1)[1])
    return client.post(f"/assessments/{assessment_id}/import/confirm", data=fields)


def counts(db_session) -> tuple[int, int]:
    return (db_session.scalar(select(func.count()).select_from(Respondent)),
            db_session.scalar(select(func.count()).select_from(Answer)))


def stored_answers(db_session, assessment_id: int) -> list[tuple]:
    """Every answer of the assessment with its comment and link, independent of respondent ids."""
    rows = db_session.execute(select(Answer.item_id, Answer.value, Answer.special, Answer.comment, Answer.evidence_link)
                              .join(Respondent).where(Respondent.assessment_id == assessment_id)).all()
    return sorted(tuple(str(v) for v in row) for row in rows)


def type_in_web_pages(client, token: str, q, answers) -> None:
    """Answer every page of the role through the respondent's link, as a person would."""
    pages = {page.id: page for page in role_pages(q, ROLE)}
    location = f"/r/{token}/{next(iter(pages))}"  # past the welcome page
    while location.rstrip("/").split("/")[-1] != "finish":
        page_id = location.rstrip("/").split("/")[-1]
        form = hidden_fields(client.get(location).get_data(as_text=True))
        for item in [q.item(item_id) for item_id in pages[page_id].item_ids]:
            state = answers.get(item.id)
            if state is None:
                continue
            if item.type in ("number", "text"):
                form[item.id] = "" if state.value is None else str(state.value)
                form[item.id + "__special"] = state.special or ""
            else:
                form[item.id] = "" if state is None else (state.special or str(state.value))
            form[item.id + "__comment"] = state.comment
            if item.evidence != "none":
                form[item.id + "__link"] = state.evidence_link or ""
        response = client.post(location, data=form | {"go": "next"})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        location = response.headers["Location"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_gives_the_same_result_as_the_same_answers_typed_in_the_web_pages(app, client, db_session, setup, q, kind):
    user, new = setup
    web, imported = new("Typed in"), new("Imported")
    first = answers_for(q, ROLE)
    second = {k: a for k, a in answers_for(q, ROLE).items() if k != "needs_defined"}  # one question left blank
    tokens = [i.token for i in invite_respondents(user, web, role=ROLE, count=2)]
    db_session.commit()
    login_cookie = client.get_cookie("session")
    for token, answers in zip(tokens, (first, second)):
        type_in_web_pages(client, token, q, answers)

    form = xlsform_for(q, ROLE)
    rows = kobo_rows(form, [("4b1d3c1e-0001", first), ("4b1d3c1e-0002", second)])
    data, name = (as_csv(rows), "kobo.csv") if kind == "csv" else (as_xlsx(rows), "kobo.xlsx")
    assert login_cookie is not None
    preview = upload(client, imported.id, data, name)
    page = unescape(preview.get_data(as_text=True))
    assert preview.status_code == 200 and "2 new respondents will be created." in page
    assert "Country or programme manager" in page and "Less paperwork, item 9" in page
    assert counts(db_session)[0] == 2  # the preview wrote nothing
    done = confirm(client, imported.id, preview.get_data(as_text=True))
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/assessments/{imported.id}#respondents")

    db_session.expire_all()
    people = db_session.scalars(select(Respondent).where(Respondent.assessment_id == imported.id)).all()
    assert {p.source for p in people} == {AnswerSource.XLSFORM} and {p.external_id for p in people} == {"4b1d3c1e-0001", "4b1d3c1e-0002"}
    assert result_to_json(compute_result(db_session.get(Assessment, imported.id))) == result_to_json(compute_result(db_session.get(Assessment, web.id)))
    assert stored_answers(db_session, imported.id) == stored_answers(db_session, web.id)
    assert len(stored_answers(db_session, imported.id)) == 2 * len(first) - 1
    audit = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "assessment.import"))
    assert audit.after["respondents"] == 2 and audit.after["role"] == ROLE


def test_the_same_file_twice_creates_nothing_new(client, db_session, setup, q):
    _user, new = setup
    target = new()
    data = as_csv(kobo_rows(xlsform_for(q, ROLE), [("u-1", answers_for(q, ROLE))]))
    confirm(client, target.id, upload(client, target.id, data, "export.csv").get_data(as_text=True))
    before = counts(db_session)
    again = unescape(upload(client, target.id, data, "export.csv").get_data(as_text=True))
    assert "1 submission was imported before and will be skipped." in again and "nothing new to import" in again
    assert 'import/confirm"' not in again and counts(db_session) == before


def test_odk_central_columns_are_understood(client, db_session, setup, q):
    """ODK Central joins groups with "-" and names the submission id meta-instanceID."""
    _user, new = setup
    target = new()
    rows = kobo_rows(xlsform_for(q, ROLE), [("uuid:77", answers_for(q, ROLE))])
    rows[0] = [h.replace("/", "-") if "/" in h else ("meta-instanceID" if h == "_uuid" else h) for h in rows[0]]
    preview = upload(client, target.id, as_csv(rows, ","), "central.csv")
    assert preview.status_code == 200, unescape(preview.get_data(as_text=True))[-2000:]
    confirm(client, target.id, preview.get_data(as_text=True))
    assert db_session.scalar(select(Respondent.external_id).where(Respondent.assessment_id == target.id)) == "77"


def problems(response) -> list[str]:
    page = unescape(response.get_data(as_text=True))
    return [re.sub(r"\s+", " ", p) for p in re.findall(r"<li>(.*?)</li>", page.split('class="import-problems"', 1)[-1].split("</ul>", 1)[0], re.S)]


def test_a_form_of_another_version_is_refused_with_an_explanation(client, db_session, setup, q):
    _user, new = setup
    target = new()
    before = counts(db_session)
    rows = kobo_rows(xlsform_for(q, ROLE), [("u-1", answers_for(q, ROLE))], pin=f"readiness/0.9/{ROLE}")
    response = upload(client, target.id, as_csv(rows), "old.csv")
    assert response.status_code == 422
    (message,) = problems(response)
    assert message.startswith("Row 2, column C (readiness_form): ") and "readiness/0.9/manager" in message
    assert "not this assessment's questionnaire version" in message
    assert "import/confirm" not in response.get_data(as_text=True) and counts(db_session) == before


def test_an_unknown_role_and_mixed_forms_are_refused(client, setup, q):
    _user, new = setup
    target = new()
    rows = kobo_rows(xlsform_for(q, ROLE), [("u-1", {}), ("u-2", {}), ("u-3", {})])
    rows[2][2] = f"readiness/{q.version}/donor"
    rows[3][2] = f"readiness/{q.version}/partner"
    found = problems(upload(client, target.id, as_csv(rows), "x.csv"))
    assert found[0].startswith("Row 3, column C") and "“donor” is not a role" in found[0]
    assert found[1].startswith("Row 4, column C") and "Import one form (one role) per file" in found[1]


def test_unknown_choices_and_duplicates_are_located_and_nothing_is_written(client, db_session, setup, q):
    _user, new = setup
    target = new()
    rows = kobo_rows(xlsform_for(q, ROLE), [("u-1", answers_for(q, ROLE)), ("u-1", answers_for(q, ROLE))])
    column = rows[0].index("needs/needs_defined")
    rows[1][column] = "7"
    before = counts(db_session)
    found = problems(upload(client, target.id, as_csv(rows), "x.csv"))
    assert found[0] == f"Row 2, column {_letter(column)} (needs/needs_defined): “7” is not one of this question's choices."
    assert found[1].startswith(f"Row 3, column {_letter(rows[0].index('_uuid'))} (_uuid): The submission “u-1” appears twice")
    assert counts(db_session) == before


def _letter(index: int) -> str:
    from readiness.questionnaire.kobo_export import letter

    return letter(index)


def zip_bomb() -> bytes:
    """A tiny XLSX-looking zip whose one member unpacks to 200 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                member.write(chunk)
    return out.getvalue()


@pytest.mark.parametrize("data,name,expected", [
    (b"\x00\x01\x02 not text \xff\xfe", "export.csv", "This is not a CSV or XLSX file we can read."),
    (b"PK\x03\x04 broken zip", "export.xlsx", "This is not a CSV or XLSX file we can read."),
    (b"name;age\nAda;3\n", "export.csv", "The column “readiness_form” is missing"),
    (b"readiness_form;x\n", "export.csv", "The file holds no submissions."),
    (None, "bomb.xlsx", "would unpack to far more than its size"),
])
def test_malformed_files_are_refused_and_write_nothing(client, db_session, setup, data, name, expected):
    _user, new = setup
    target = new()
    before = counts(db_session)
    response = upload(client, target.id, zip_bomb() if data is None else data, name)
    assert response.status_code == 422
    assert any(expected in p for p in problems(response)), problems(response)
    assert counts(db_session) == before


def test_a_confirmation_cannot_be_replayed_or_forged(client, db_session, setup, q):
    _user, new = setup
    target = new()
    data = as_csv(kobo_rows(xlsform_for(q, ROLE), [("u-1", answers_for(q, ROLE))]))
    preview = upload(client, target.id, data, "export.csv").get_data(as_text=True)
    confirm(client, target.id, preview)
    before = counts(db_session)
    replay = confirm(client, target.id, preview)
    assert replay.status_code == 302 and replay.headers["Location"].endswith(f"/assessments/{target.id}/import")
    assert counts(db_session) == before
