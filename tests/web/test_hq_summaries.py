"""Each current result carries its snapshot's summary, written in the same transaction as the row itself.

The HQ pages read these summaries instead of the snapshots' dimension and flag rows; every use case
that changes a delegation's current result (close, reopen, decide, erase, the loader, the anonymity
rewrite of old snapshots) must leave the summary equal to the snapshot it points at.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from readiness.extensions import db
from readiness.models import Assessment, AssessmentStatus, CurrentResult, Outcome, ResultSnapshot, Role, User
from readiness.read.benchmark import count_flags, flag_overview, latest_scores
from readiness.read.filters import Filters
from readiness.read.summaries import snapshot_summaries
from readiness.services.current_results import fill_summaries
from readiness.services.decisions import record_decision
from readiness.services import erasure
from readiness.services.assessments import close_assessment, reopen_assessment
from readiness.services.demo import load_demo_data

from .hq_factory import make_delegation, make_portfolio, make_result


def _row(delegation_id: int) -> CurrentResult | None:
    db.session.expire_all()
    return db.session.get(CurrentResult, delegation_id)


def _as_stored(row: CurrentResult) -> dict:
    return {"scores": row.scores, "role_scores": row.role_scores, "flags": row.flags,
            "head": (row.questionnaire_version, row.recommendation, row.overall_score, row.coverage,
                     row.overall_low, row.overall_high)}


def _from_snapshot(snapshot_id: int) -> dict:
    found = snapshot_summaries(db.session.connection(), [snapshot_id])[snapshot_id]
    h = found.head
    return {"scores": found.scores, "role_scores": found.role_scores, "flags": found.flags,
            "head": (h["questionnaire_version"], h["recommendation"], h["overall_score"], h["coverage"],
                     h["overall_low"], h["overall_high"])}


def test_a_current_result_carries_its_snapshots_figures_worked_example(db_session):
    goma = make_delegation("Goma office")
    make_result(
        goma, recommendation="no_go",
        scores={"needs": 40.0, "system": 60.0, "ict": 20.0, "staff": 50.0, "organisation": 80.0},
        intervals={"needs": (35.0, 45.0), "overall": (45.0, 55.0)},
        flags={"dimension_floor:ict": "critical", "perception_gap:ict": "major"},
        by_role={"ict": {"manager": 80.0, "social_worker": 40.0}},
    )

    row = _row(goma.id)

    # Overall: (40 + 60 + 20 + 50 + 80) / 5 = 250 / 5 = 50.
    assert (row.questionnaire_version, row.recommendation, row.overall_score, row.coverage) == ("1.0", "no_go", 50.0, 0.9)
    assert (row.overall_low, row.overall_high) == (45.0, 55.0)
    assert row.scores == [["needs", 40.0, 35.0, 45.0], ["system", 60.0, None, None], ["ict", 20.0, None, None],
                          ["staff", 50.0, None, None], ["organisation", 80.0, None, None]]  # in the result's order
    assert row.role_scores == {"ict": {"manager": 80.0, "social_worker": 40.0}}  # dimensions without role scores left out
    assert row.flags == [["dimension_floor:ict", "dimension_floor", "critical", "ict"],
                         ["perception_gap:ict", "perception_gap", "major", "ict"]]


def test_reopening_deciding_and_erasing_leave_the_summary_of_the_result_now_current(db_session):
    dakar = make_delegation("Dakar office")
    first = make_result(dakar, days=0, scores={"needs": 10.0}, flags={"unknowns:needs": "minor"}, recommendation="no_go")
    second = make_result(dakar, days=100, scores={"needs": 90.0}, flags={})
    admin = User(email="admin@example.org", name="Admin", password_hash="x", role=Role.ADMIN)
    db.session.add(admin)
    db.session.flush()
    assert _row(dakar.id).scores == [["needs", 90.0, None, None]] and _row(dakar.id).flags == []

    reopen_assessment(admin, second)
    assert _row(dakar.id).scores == [["needs", 10.0, None, None]]
    assert _row(dakar.id).flags == [["unknowns:needs", "unknowns", "minor", "needs"]]

    record_decision(admin, first, outcome=Outcome.NO_GO, decided_by_name="Awa", rationale="Too many unknowns.")
    assert _row(dakar.id).assessment_id == first.id and _row(dakar.id).scores == [["needs", 10.0, None, None]]

    erasure.erase_assessment(admin, first, "test")
    assert _row(dakar.id) is None


def test_closing_and_the_loader_write_the_summary_of_the_stored_snapshot(app):
    with app.app_context():
        load_demo_data(delegations=3, assessments=9, seed=5)
        db.session.commit()
        rows = db.session.scalars(select(CurrentResult)).all()
        assert rows and all(_as_stored(r) == _from_snapshot(r.snapshot_id) for r in rows)  # the loader's rebuild

        latest = db.session.scalars(select(Assessment).where(Assessment.status == AssessmentStatus.CLOSED)
                                    .order_by(Assessment.created_at.desc())).first()
        reopen_assessment(None, latest)
        close_assessment(None, latest)
        db.session.commit()

        row = _row(latest.delegation_id)
        snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == latest.id))
        assert row.snapshot_id == snapshot.id and _as_stored(row) == _from_snapshot(snapshot.id)
        assert row.scores == [[d.dimension_id, d.score, d.interval_low, d.interval_high]
                              for d in sorted(snapshot.dimensions, key=lambda d: d.id)]
        assert [f[0] for f in row.flags] == [f.code for f in snapshot.flags]
        assert (row.overall_low, row.overall_high) == (snapshot.overall_low, snapshot.overall_high)


def test_the_migration_back_fill_writes_what_closing_writes(db_session):
    make_portfolio(3)
    before = {r.delegation_id: _as_stored(r) for r in db.session.scalars(select(CurrentResult))}
    db.session.execute(update(CurrentResult).values(scores=[], role_scores={}, flags=[], recommendation="", coverage=0))

    assert fill_summaries(db.session.connection()) == 3

    db.session.expire_all()
    assert {r.delegation_id: _as_stored(r) for r in db.session.scalars(select(CurrentResult))} == before


def test_a_date_window_reads_the_same_figures_from_the_snapshots_rows(db_session):
    make_portfolio(6)
    versions = ["1.0"]
    window = Filters(started_from=date(2000, 1, 1), started_to=date(2100, 1, 1))  # every result: the same ones are current
    dims = ["needs", "system", "ict", "staff", "organisation"]

    stored, looked_back = latest_scores(Filters(), versions), latest_scores(window, versions)
    assert looked_back == stored and len(stored) == 6
    assert flag_overview(window, versions, dims) == flag_overview(Filters(), versions, dims)


def test_flags_are_counted_once_per_result_with_the_worst_severity_seen():
    results = [
        [["dimension_floor:ict", "dimension_floor", "major", "ict"], ["unknowns:needs", "unknowns", "minor", "needs"]],
        [["dimension_floor:ict", "dimension_floor", "critical", "ict"], ["dimension_floor:ict", "dimension_floor", "critical", "ict"]],
        [["unknowns:needs", "unknowns", "minor", "needs"], ["charter_advisory", "charter_advisory", "minor", None]],
    ]

    counted = count_flags(results, limit=2)

    # dimension_floor:ict in results 1 and 2 (listed twice in 2: still one result) -> 2, worst "critical";
    # unknowns:needs in results 1 and 3 -> 2; charter_advisory in one -> 1, cut by the limit of 2.
    assert [(f.code, f.delegations, f.severity, f.dimension_id) for f in counted] == [
        ("dimension_floor:ict", 2, "critical", "ict"), ("unknowns:needs", 2, "minor", "needs")]
