"""Erasure on request, by an admin, confirmed, recorded; from the admin pages and the command line."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from readiness.extensions import db
from readiness.models import (
    Answer,
    Assessment,
    AuditEntry,
    Decision,
    Evidence,
    Outcome,
    Proposal,
    Respondent,
    ResultSnapshot,
    Role,
    User,
)
from readiness.services import audit, erasure

from ..helpers import csrf_token_in
from .data_fixtures import build_world


def _files(app) -> set[str]:
    folder = Path(app.config["EVIDENCE_DIR"])
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


@pytest.fixture
def world(app, db_session, make_user):
    return build_world(make_user(role=Role.MEMBER, name="Owner Person", email="owner@example.org"))


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.ADMIN, name="Admin", email="admin@example.org")


def test_erasing_a_respondent_removes_answers_files_and_values_and_keeps_the_snapshot(app, world, admin):
    from readiness.services.results import compute_result, store_snapshot

    old = db.session.get(Assessment, world.ids["old"])
    store_snapshot(old, compute_result(old))
    person = db.session.get(Respondent, world.ids["first"])
    answer_ids = [a.id for a in person.answers]
    key = db.session.scalar(select(Evidence.storage_key).where(Evidence.answer_id.in_(answer_ids)))
    for answer in person.answers:
        audit.record("respondent", "answer.update", answer, assessment_id=old.id, after={"value": 3, "comment": "secret"})
    db.session.commit()
    assert key in _files(app)

    erasure.erase_respondent(admin, person, "request 2026-14")
    db.session.commit()

    assert db.session.get(Respondent, world.ids["first"]) is None
    assert db.session.scalar(select(func.count()).where(Answer.id.in_(answer_ids))) == 0
    assert key not in _files(app)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_type == "Answer", AuditEntry.target_id.in_([str(i) for i in answer_ids]))).all()
    assert len(entries) == 3 and all(e.before is None and e.after is None for e in entries)
    record = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "data.erase_respondent"))
    assert record.actor_id == admin.id and record.target_id == str(world.ids["first"])
    # Blanked: the 3 answer edits and the file's "evidence.attach" entry.
    assert record.after == {"reason": "request 2026-14", "answers": 3, "files": 1, "audit_entries_blanked": 4, "snapshot_kept": True}
    assert db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == old.id)) is not None
    assert db.session.get(Respondent, world.ids["second"]) is not None


def test_a_rolled_back_erasure_keeps_the_files(app, world, admin):
    person = db.session.get(Respondent, world.ids["first"])
    before = _files(app)
    erasure.erase_respondent(admin, person, "oops")
    db.session.rollback()
    assert _files(app) == before and db.session.get(Respondent, world.ids["first"]) is not None


def test_erasing_a_user_pseudonymises_them_everywhere(app, world, admin, client):
    owner = world.owner
    audit.record(admin, "user.create", owner, after={"email": owner.email, "name": owner.name})
    audit.record(owner, "user.login", owner)
    audit.record(admin, "review.assign", owner, after={"reviewer": "Owner Person"})
    db.session.add(Decision(assessment_id=world.ids["recent"], outcome=Outcome.GO, decided_by_name=owner.name,
                            decided_by_id=owner.id, rationale="r", recommendation_at_decision="go"))
    db.session.commit()

    erasure.erase_user(admin, owner, "request 2026-15")
    db.session.commit()

    user = db.session.get(User, owner.id)
    assert user.name == f"erased user #{owner.id}" and user.email == f"erased-{owner.id}@invalid"
    assert not user.is_active and user.password_hash == "!" and user.delegations == []
    labels = set(db.session.scalars(select(AuditEntry.actor_label).where(AuditEntry.actor_id == owner.id)))
    assert labels == {f"erased user #{owner.id}"}
    dumped = [str(e.before) + str(e.after) + e.actor_label for e in db.session.scalars(select(AuditEntry))]
    assert not any("Owner Person" in text or "owner@example.org" in text for text in dumped)
    assert db.session.scalar(select(Decision.decided_by_name)) == f"erased user #{owner.id}"
    record = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "data.erase_user"))
    assert record.after["reason"] == "request 2026-15" and record.after["audit_entries_pseudonymised"] >= 1


def test_an_admin_cannot_erase_their_own_account(app, admin):
    with pytest.raises(erasure.ErasureRefused):
        erasure.erase_user(admin, admin, "me")


def test_erasing_an_assessment_removes_it_with_its_files_and_proposals(app, world, admin):
    old_id = world.ids["old"]
    files_before = _files(app)
    erasure.erase_assessment(admin, db.session.get(Assessment, old_id), "request 2026-16")
    db.session.commit()

    assert db.session.get(Assessment, old_id) is None
    assert db.session.scalar(select(func.count()).select_from(Respondent).where(Respondent.assessment_id == old_id)) == 0
    assert db.session.scalar(select(func.count()).select_from(Proposal).where(Proposal.assessment_id == old_id)) == 0
    # The old assessment had 1 evidence file and 2 proposal files; the recent one keeps its 2.
    assert len(files_before - _files(app)) == 3 and len(_files(app)) == 2
    record = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "data.erase_assessment"))
    assert record.target_id == str(old_id) and record.after["respondents"] == 2 and record.after["answers"] == 6
    assert record.after["files"] == 3


def test_command_line_erasure_needs_an_admin_and_a_confirmation(app, runner, world, admin):
    args = ["data", "erase-assessment", str(world.ids["recent"]), "--reason", "r1"]
    refused = runner.invoke(args=[*args, "--admin", "owner@example.org", "--yes"])
    assert refused.exit_code != 0 and "not an active administrator" in refused.output
    aborted = runner.invoke(args=[*args, "--admin", "admin@example.org"], input="n\n")
    assert aborted.exit_code != 0 and db.session.get(Assessment, world.ids["recent"]) is not None
    done = runner.invoke(args=[*args, "--admin", "admin@example.org"], input="y\n")
    assert done.exit_code == 0, done.output
    assert "1 respondents, 2 answers, 2 files" in done.output
    db.session.expire_all()
    assert db.session.get(Assessment, world.ids["recent"]) is None


def test_admin_page_shows_periods_and_erases_after_confirmation(app, client, world, login_as):
    login_as(Role.ADMIN)
    page = client.get("/admin/data")
    assert page.status_code == 200 and "1095" in page.text and "Erase on request" in page.text
    preview = client.get(f"/admin/data/erase/respondent?ref={world.ids['second']}")
    assert preview.status_code == 200 and "3 answers" in preview.text
    token = csrf_token_in(preview.text)
    unconfirmed = client.post("/admin/data/erase/respondent", data={"ref": world.ids["second"], "reason": "r", "csrf_token": token})
    assert unconfirmed.status_code == 400 and db.session.get(Respondent, world.ids["second"]) is not None
    done = client.post("/admin/data/erase/respondent",
                       data={"ref": world.ids["second"], "reason": "request 17", "confirm": "y", "csrf_token": token})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Respondent, world.ids["second"]) is None
    assert "request 17" in client.get("/admin/data").text
    missing = client.get("/admin/data/erase/assessment?ref=999999")
    assert missing.status_code == 302


def test_admin_page_purges_after_confirmation(app, client, world, login_as):
    login_as(Role.ADMIN)
    token = csrf_token_in(client.get("/admin/data").text)
    assert client.post("/admin/data/purge", data={"csrf_token": token}).status_code == 400
    assert client.post("/admin/data/purge", data={"csrf_token": token, "confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Respondent, world.ids["first"]) is None
    assert "Nothing is past its retention period." in client.get("/admin/data").text


@pytest.mark.parametrize("ref", ["a\x00@example.org", "\x00", "１２", "1234567890123", "-1", "", "x" * 300 + "@a.b"])
def test_odd_references_find_nothing(app, client, login_as, ref):
    login_as(Role.ADMIN)
    for kind in erasure.KINDS:
        assert erasure.find_target(kind, ref) is None
        assert client.get(f"/admin/data/erase/{kind}", query_string={"ref": ref}).status_code == 302
