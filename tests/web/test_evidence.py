"""Evidence attached by respondents: files checked by type and size, links by scheme."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from readiness.definitions import get_definitions
from readiness.domain.collection import role_pages
from readiness.models import Answer, ContextType, Delegation, Evidence, Role
from readiness.services.assessments import open_assessment, start_assessment
from readiness.services.respondents import invite_respondents

from .test_respond import hidden_fields

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def evidence_case(app, db_session, make_user):
    """An open assessment and a respondent whose role has an item asking for evidence."""
    with app.app_context():
        q = get_definitions().latest_questionnaire("readiness")
    item = next(i for i in q.items if i.evidence != "none" and i.type == "level")
    delegation = Delegation(name="Guinea – capital", country="Guinea", region="West Africa", context_type=ContextType.STABLE)
    db_session.add(delegation)
    owner = make_user(delegations=[delegation])
    assessment = start_assessment(owner, delegation, title="T", tool_name="Tool")
    open_assessment(owner, assessment)
    token = invite_respondents(owner, assessment, role=item.roles[0])[0].token
    db_session.commit()
    page = next(p for p in role_pages(q, item.roles[0]) if item.id in p.item_ids)
    return {"item": item, "url": f"/r/{token}/{page.id}", "assessment_id": assessment.id, "delegation": delegation}


def _post(client, case, upload=None, **fields):
    form = hidden_fields(client.get(case["url"]).get_data(as_text=True))
    data = form | {"go": "later"} | fields
    if upload is not None:
        data[case["item"].id + "__file"] = FileStorage(io.BytesIO(upload[1]), upload[0], content_type="application/octet-stream")
    # Encoded in memory: the test client's own temporary file for large bodies is never closed.
    boundary, body = encode_multipart(MultiDict(data))
    return client.post(case["url"], data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _stored_files(app) -> list[Path]:
    folder = Path(app.config["EVIDENCE_DIR"])
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_pdf_is_stored_under_a_random_name_and_listed(app, client, evidence_case, db_session):
    item = evidence_case["item"]
    response = _post(client, evidence_case, upload=("../../Policy on consent.pdf", PDF), **{item.id: "3"})
    assert response.status_code == 302
    evidence = db_session.scalar(select(Evidence))
    assert evidence.filename == "Policy on consent.pdf" and evidence.content_type == "application/pdf"
    files = _stored_files(app)
    assert [p.name for p in files] == [evidence.storage_key]
    assert "Policy" not in evidence.storage_key and files[0].read_bytes() == PDF
    page = client.get(evidence_case["url"]).get_data(as_text=True)
    assert "Policy on consent.pdf" in page


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("big.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
        ("tool.exe", b"MZ\x90\x00\x03", "This type of file is not accepted"),
        ("page.html", b"<html><script>alert(1)</script>", "This type of file is not accepted"),
        ("fake.pdf", b"<html><script>alert(1)</script>", "does not match its type"),
        ("photo.jpg", PDF, "does not match its type"),
    ],
)
def test_a_refused_file_says_why_and_the_answers_on_the_page_are_kept(app, client, evidence_case, db_session, filename, data, message):
    item = evidence_case["item"]
    response = _post(client, evidence_case, upload=(filename, data), **{item.id: "2", item.id + "__comment": "see file"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and "Your answers on this page are saved, but a file could not be attached" in page
    assert "see file" in page  # what was typed is still in the form
    assert db_session.scalar(select(func.count()).select_from(Evidence)) == 0
    answer = db_session.scalar(select(Answer))  # one bad file never discards the other answers
    assert answer.value == 2 and answer.comment == "see file"
    assert _stored_files(app) == []
    again = _post(client, evidence_case, upload=("ok.pdf", PDF))  # the page is still usable: no conflict, file attached
    assert again.status_code == 302 and db_session.scalar(select(func.count()).select_from(Evidence)) == 1


def test_an_upload_past_the_request_limit_is_refused(app, client, evidence_case, db_session):
    response = _post(client, evidence_case, upload=("huge.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024)))
    assert response.status_code == 413
    assert db_session.scalar(select(func.count()).select_from(Evidence)) == 0


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://files.example/x.pdf", "not a link"])
def test_an_evidence_link_must_be_a_web_address(client, evidence_case, db_session, link):
    item = evidence_case["item"]
    response = _post(client, evidence_case, **{item.id: "2", item.id + "__link": link})
    assert response.status_code == 400
    assert "starting with http:// or https://" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(Answer)) == 0


def test_a_web_link_is_kept_as_evidence(client, evidence_case, db_session):
    item = evidence_case["item"]
    response = _post(client, evidence_case, **{item.id: "2", item.id + "__link": "https://intranet.example/sop.pdf"})
    assert response.status_code == 302
    assert db_session.scalar(select(Answer.evidence_link)) == "https://intranet.example/sop.pdf"


def test_the_delegation_downloads_evidence_and_others_cannot(app, client, evidence_case, login_as, make_user):
    _post(client, evidence_case, upload=("sop.pdf", PDF), **{evidence_case["item"].id: "3"})
    with app.app_context():
        from readiness.extensions import db

        evidence_id = db.session.scalar(select(Evidence.id))
    url = f"/assessments/{evidence_case['assessment_id']}/evidence/{evidence_id}"
    assert client.get(url).status_code == 302  # a respondent's link gives no access to the file
    other = Delegation(name="Elsewhere", country="Iraq", region="Middle East", context_type=ContextType.STABLE)
    login_as(Role.MEMBER, delegations=[other])
    assert client.get(url).status_code == 403
    login_as(Role.MEMBER, delegations=[evidence_case["delegation"]])
    page = client.get(f"/assessments/{evidence_case['assessment_id']}").get_data(as_text=True)
    assert "sop.pdf" in page
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    response.close()
    assert client.get(f"/assessments/{evidence_case['assessment_id']}/evidence/{evidence_id + 99}").status_code == 404


def test_evidence_files_are_readable_by_the_app_alone(app, client, evidence_case, db_session):
    item = evidence_case["item"]
    assert _post(client, evidence_case, upload=("consent.pdf", PDF), **{item.id: "3"}).status_code == 302
    [stored] = _stored_files(app)
    assert stored.stat().st_mode & 0o777 == 0o600
    assert stored.parent.stat().st_mode & 0o077 == 0


def test_a_file_written_in_a_transaction_that_fails_is_removed(app, evidence_case, db_session):
    from readiness.services import evidence as evidence_service

    with app.test_request_context():
        evidence_service.write_file("abc123.pdf", PDF)
        path = Path(app.config["EVIDENCE_DIR"]) / "abc123.pdf"
        assert path.exists()
        db_session.rollback()
        assert not path.exists()

        evidence_service.write_file("def456.pdf", PDF)
        kept = Path(app.config["EVIDENCE_DIR"]) / "def456.pdf"
        db_session.commit()
        assert kept.exists()


def test_a_failing_request_leaves_no_file_behind(app, client, evidence_case, db_session, monkeypatch):
    from readiness.services import audit

    item = evidence_case["item"]
    real = audit.record

    def broken(actor, action, *args, **kwargs):
        # Fails after the file is written and its row flushed, before the request commits.
        if action == "evidence.attach":
            raise RuntimeError("the database went away")
        return real(actor, action, *args, **kwargs)

    monkeypatch.setattr(audit, "record", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = _post(client, evidence_case, upload=("consent.pdf", PDF), **{item.id: "3"})

    assert response.status_code == 500
    # The request's teardown closes its database session; the fixtures' shared app context
    # defers that to here.
    db_session.remove()
    assert _stored_files(app) == []


def test_a_discarded_file_goes_only_when_its_transaction_commits(app, evidence_case, db_session):
    from readiness.services import evidence as evidence_service

    with app.test_request_context():
        evidence_service.write_file("ghi789.pdf", PDF)
        path = Path(app.config["EVIDENCE_DIR"]) / "ghi789.pdf"
        db_session.commit()
        stored = Evidence(storage_key="ghi789.pdf")
        evidence_service.discard_file(stored)
        db_session.rollback()
        assert path.exists()
        evidence_service.discard_file(stored)
        db_session.commit()
        assert not path.exists()
