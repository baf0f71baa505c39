"""Evidence storage backends: a folder by default, the database for several app servers."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.security import generate_password_hash
from werkzeug.test import encode_multipart

from readiness.domain.collection import role_pages
from readiness.definitions import get_definitions
from readiness.extensions import db
from readiness.models import ContextType, Delegation, Evidence, Role, StoredBlob, User
from readiness.services.assessments import open_assessment, start_assessment
from readiness.services.respondents import invite_respondents
from readiness.storage import DatabaseStore, FilesystemStore, evidence_store

from ..conftest import delete_all_rows
from ..helpers import csrf_token_in
from .test_respond import hidden_fields

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_filesystem_store_round_trip_and_refuses_keys_that_leave_the_folder(tmp_path):
    store = FilesystemStore(tmp_path / "evidence")
    store.save("abc.pdf", PDF)
    assert store.load("abc.pdf") == PDF and list(store.keys()) == ["abc.pdf"]
    store.delete("abc.pdf")
    assert store.load("abc.pdf") is None and list(store.keys()) == []
    for key in ("../x.pdf", "a/b.pdf", ".hidden", ""):
        with pytest.raises(ValueError):
            store.save(key, PDF)


def test_database_store_round_trip(app, db_session):
    store = DatabaseStore()
    store.save("k1.pdf", PDF)
    db_session.commit()
    assert store.load("k1.pdf") == PDF and list(store.keys()) == ["k1.pdf"]
    store.delete("k1.pdf")
    db_session.commit()
    assert store.load("k1.pdf") is None


def test_unknown_backend_is_refused(app):
    app.config["EVIDENCE_STORAGE"] = "s3"
    with app.app_context(), pytest.raises(RuntimeError, match="EVIDENCE_STORAGE"):
        evidence_store()


def _case(app) -> dict:
    """An open assessment, a respondent link for an item asking for evidence, and a member with a password."""
    with app.app_context():
        q = get_definitions().latest_questionnaire("readiness")
        item = next(i for i in q.items if i.evidence != "none" and i.type == "level")
        delegation = Delegation(name="Niger – Niamey", country="Niger", region="West Africa", context_type=ContextType.STABLE)
        member = User(email="member@example.org", name="M", role=Role.MEMBER, delegations=[delegation],
                      password_hash=generate_password_hash("correct horse battery"))
        db.session.add_all([delegation, member])
        assessment = start_assessment(member, delegation, title="T", tool_name="Tool")
        open_assessment(member, assessment)
        token = invite_respondents(member, assessment, role=item.roles[0])[0].token
        db.session.commit()
        page = next(p for p in role_pages(q, item.roles[0]) if item.id in p.item_ids)
        return {"item": item, "url": f"/r/{token}/{page.id}", "assessment_id": assessment.id}


def _upload(client, case) -> None:
    form = hidden_fields(client.get(case["url"]).get_data(as_text=True))
    data = form | {"go": "later", case["item"].id: "3"}
    data[case["item"].id + "__file"] = FileStorage(io.BytesIO(PDF), "policy.pdf", content_type="application/pdf")
    boundary, body = encode_multipart(MultiDict(data))
    response = client.post(case["url"], data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]


def _download(client, case, evidence_id: int):
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    login = client.post("/login", data={"email": "member@example.org", "password": "correct horse battery", "csrf_token": token})
    assert login.status_code == 302
    return client.get(f"/assessments/{case['assessment_id']}/evidence/{evidence_id}")


def test_database_backend_keeps_the_bytes_in_the_database_not_on_disk(make_app, database_url, tmp_path):
    app = make_app(database_url, EVIDENCE_STORAGE="database")
    try:
        case = _case(app)
        _upload(app.test_client(), case)
        with app.app_context():
            evidence = db.session.scalar(select(Evidence))
            blob = db.session.get(StoredBlob, evidence.storage_key)
            assert blob is not None and blob.data == PDF and blob.size == len(PDF)
            evidence_id = evidence.id
        assert not Path(app.config["EVIDENCE_DIR"]).exists() or not any(Path(app.config["EVIDENCE_DIR"]).iterdir())
        response = _download(app.test_client(), case, evidence_id)
        assert response.status_code == 200 and response.data == PDF
    finally:
        with app.app_context():
            delete_all_rows()
            db.engine.dispose()


@pytest.mark.postgres
def test_two_app_servers_on_one_postgresql_share_evidence(make_app, database_url, tmp_path):
    """Upload through one server, download through another with its own (empty) folder."""
    first = make_app(database_url, EVIDENCE_STORAGE="database", EVIDENCE_DIR=str(tmp_path / "server1"))
    second = make_app(database_url, EVIDENCE_STORAGE="database", EVIDENCE_DIR=str(tmp_path / "server2"))
    try:
        case = _case(first)
        _upload(first.test_client(), case)
        with first.app_context():
            evidence_id = db.session.scalar(select(Evidence.id))
        response = _download(second.test_client(), case, evidence_id)
        assert response.status_code == 200 and response.data == PDF
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert not (tmp_path / "server1").exists() and not (tmp_path / "server2").exists()
    finally:
        for app in (first, second):
            with app.app_context():
                delete_all_rows()
                db.engine.dispose()
