"""Retention: `flask data purge` removes what is past its period, and only that; dry run by default."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from readiness.extensions import db
from readiness.models import Answer, AuditEntry, Evidence, Proposal, ProposalFile, Respondent, Role
from readiness.services import retention

from .data_fixtures import build_world


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _files(app) -> int:
    folder = Path(app.config["EVIDENCE_DIR"])
    return len([p for p in folder.iterdir() if p.is_file()]) if folder.exists() else 0


@pytest.fixture
def world(app, db_session, make_user):
    return build_world(make_user(role=Role.MEMBER))


def test_the_plan_counts_what_is_past_each_period(app, world):
    plan = retention.plan_purge(world.now)
    # 2 respondents × 3 answers of the assessment closed 1100 days ago; its 1 file; 1 approved proposal
    # (with 1 file) 2200 days old; 2 ordinary audit entries 2200 days old.
    assert plan.counts() == {"respondents": 2, "answers": 6, "evidence": 1, "proposals": 1, "audit_entries": 2, "files": 2}
    assert sorted(plan.respondents) == sorted([world.ids["first"], world.ids["second"]])


def test_dry_run_changes_nothing(app, runner, world):
    before = (_count(Respondent), _count(Answer), _count(Evidence), _count(Proposal), _count(AuditEntry), _files(app))
    result = runner.invoke(args=["data", "purge"])
    assert result.exit_code == 0, result.output
    assert "Would remove: 2 respondents, 6 answers, 1 evidence, 1 proposals, 2 audit entries, 2 files" in result.output
    assert "answers    kept 1095 days" in result.output
    db.session.expire_all()
    assert (_count(Respondent), _count(Answer), _count(Evidence), _count(Proposal), _count(AuditEntry), _files(app)) == before


def test_apply_removes_exactly_the_plan_and_records_it_once(app, runner, world):
    respondents, answers, audit_rows, files = _count(Respondent), _count(Answer), _count(AuditEntry), _files(app)
    result = runner.invoke(args=["data", "purge", "--apply"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _count(Respondent) == respondents - 2 and _count(Answer) == answers - 6
    assert _count(Evidence) == 1 and _count(Proposal) == 2 and _count(ProposalFile) == 2
    assert _files(app) == files - 2
    assert db.session.scalar(select(Respondent.id).where(Respondent.id == world.ids["kept"])) is not None
    records = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "data.purge").order_by(AuditEntry.id)).all()
    assert len(records) == 2  # the old record is kept, and this purge adds one
    assert records[-1].actor_label == "command line"
    assert records[-1].after["respondents"] == 2 and records[-1].after["answers"] == 6 and records[-1].after["files"] == 2
    assert _count(AuditEntry) == audit_rows - 2 + 1
    again = runner.invoke(args=["data", "purge", "--apply"])
    assert "Removed: 0 respondents, 0 answers" in again.output
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "data.purge")) == 2


def test_a_closed_report_is_unchanged_after_its_answers_are_purged(app, world):
    from readiness.models import Assessment
    from readiness.reports.source import result_for
    from readiness.services.results import compute_result, store_snapshot

    old = db.session.get(Assessment, world.ids["old"])
    store_snapshot(old, compute_result(old))
    db.session.commit()
    before, _ = result_for(old)
    retention.apply_purge("test", retention.plan_purge(world.now))
    db.session.commit()
    after, _ = result_for(db.session.get(Assessment, world.ids["old"]))
    assert after == before and after.overall_score is not None


def test_forever_keeps_that_kind(app, world):
    app.config["RETENTION_ANSWERS_DAYS"] = None
    app.config["RETENTION_AUDIT_DAYS"] = None
    plan = retention.plan_purge(world.now)
    assert plan.counts()["respondents"] == 0 and plan.counts()["audit_entries"] == 0
    assert plan.counts()["evidence"] == 1  # the evidence period still applies on its own


def test_periods_come_from_the_environment(monkeypatch):
    from readiness.config import _days

    monkeypatch.setenv("RETENTION_AUDIT_DAYS", "forever")
    assert _days("RETENTION_AUDIT_DAYS", 5) is None
    monkeypatch.setenv("RETENTION_AUDIT_DAYS", "400")
    assert _days("RETENTION_AUDIT_DAYS", 5) == 400
    monkeypatch.setenv("RETENTION_AUDIT_DAYS", "0")
    with pytest.raises(RuntimeError):
        _days("RETENTION_AUDIT_DAYS", 5)
