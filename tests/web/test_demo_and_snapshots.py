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


def test_closing_freezes_intervals_and_makes_the_result_current(app):
    from readiness.models import CurrentResult
    from readiness.services.assessments import close_assessment, reopen_assessment

    def current_of(delegation_id: int) -> int | None:
        return db.session.scalar(select(CurrentResult.assessment_id).where(CurrentResult.delegation_id == delegation_id))

    with app.app_context():
        load_demo_data(delegations=6, assessments=24, seed=3)
        db.session.commit()
        latest = db.session.scalars(select(Assessment).where(Assessment.status == AssessmentStatus.CLOSED)
                                    .order_by(Assessment.created_at.desc())).first()
        assert current_of(latest.delegation_id) == latest.id  # the loader fills the current results

        reopen_assessment(None, latest)
        assert current_of(latest.delegation_id) != latest.id  # collecting again: an earlier result, or none
        close_assessment(None, latest)

        assert current_of(latest.delegation_id) == latest.id
        snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == latest.id))
        scored = [dim for dim in snapshot.dimensions if dim.score is not None]
        assert scored and all(dim.interval_low <= dim.score <= dim.interval_high for dim in scored)
        assert snapshot.overall_low <= snapshot.overall_score <= snapshot.overall_high
