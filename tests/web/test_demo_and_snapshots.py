"""Demo data and result snapshots, on the migrated database."""
from __future__ import annotations

from sqlalchemy import func, select

from readiness.extensions import db
from readiness.models import Assessment, AssessmentStatus, AuditEntry, Delegation, ResultSnapshot, SnapshotDimension, User
from readiness.services.demo import DEMO_DOMAIN, load_demo_data


def test_demo_load_prints_logins_and_is_idempotent(runner, app):
    first = runner.invoke(args=["demo", "load", "--delegations", "3", "--assessments", "6"])
    assert first.exit_code == 0, first.output
    assert f"admin@{DEMO_DOMAIN}" in first.output and "password for all" in first.output
    assert "3 delegations, 6 assessments" in first.output
    second = runner.invoke(args=["demo", "load"])
    assert "already loaded" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Delegation)) == 3
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 6


def test_closing_stores_a_snapshot_flattened_for_sql(app):
    with app.app_context():
        load_demo_data(delegations=2, assessments=8, seed=3)
        db.session.commit()
        closed = db.session.scalars(select(Assessment).where(Assessment.status == AssessmentStatus.CLOSED)).all()
        assert closed
        for assessment in closed:
            snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
            assert snapshot.result["recommendation"]["outcome"] == snapshot.recommendation
            dims = db.session.scalars(select(SnapshotDimension).where(SnapshotDimension.snapshot_id == snapshot.id)).all()
            assert {d.dimension_id for d in dims} == {"needs", "system", "ict", "staff", "organisation"}
            actions = db.session.scalars(
                select(AuditEntry.action).where(AuditEntry.assessment_id == assessment.id).order_by(AuditEntry.id)
            ).all()
            assert actions == ["assessment.create", "assessment.open", "assessment.close", "result.snapshot"]
        assert db.session.scalar(select(func.count()).select_from(User)) == 6
