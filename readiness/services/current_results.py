"""Each delegation's current result (its latest closed or decided readiness assessment), kept as one row.

A follow-up after go-live is closed too, but it measures the tool in use, not readiness: it is
never a delegation's current result.

Every use case that changes which result is current calls :func:`refresh_current_result` in
its own transaction: closing, reopening, deciding and erasing an assessment. Bulk writers
(the demo loader) call :func:`rebuild_current_results` once. Nothing else writes the table.
Each row carries its snapshot's summary (``read/summaries.py``), written with it.
"""
from __future__ import annotations

from sqlalchemy import Connection, bindparam, column, delete, select, table, text, update

from readiness.domain.workflow import FROZEN
from readiness.extensions import db
from readiness.models import Assessment, CurrentResult, Delegation, ResultSnapshot
from readiness.models.types import json_type
from readiness.read.summaries import HEAD, snapshot_summaries
from readiness.services.locking import lock

# Also in the migration that created the table (migrations do not import the app); the summaries
# are filled afterwards (``fill_summaries``).
BACKFILL = """
INSERT INTO current_results (delegation_id, assessment_id, snapshot_id, questionnaire_version, recommendation, coverage,
                             scores, role_scores, flags)
SELECT delegation_id, assessment_id, snapshot_id, '', '', 0, '[]', '{}', '[]' FROM (
    SELECT a.delegation_id, a.id AS assessment_id, s.id AS snapshot_id,
           row_number() OVER (PARTITION BY a.delegation_id ORDER BY a.created_at DESC, a.id DESC) AS rank
    FROM assessments a JOIN result_snapshots s ON s.assessment_id = a.id
    WHERE a.status IN ('closed', 'decided') AND a.followup_of_id IS NULL
) ranked WHERE rank = 1
"""


def refresh_current_result(delegation_id: int) -> None:
    """Point the delegation's row at its latest closed or decided assessment (or remove it).

    The delegation's row lock keeps two closings of the same delegation from both inserting.
    :param delegation_id: the delegation whose assessments changed.
    """
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None:
        return
    lock(delegation)
    db.session.execute(delete(CurrentResult).where(CurrentResult.delegation_id == delegation_id))
    latest = db.session.execute(
        select(Assessment.id, ResultSnapshot.id)
        .join(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .where(Assessment.delegation_id == delegation_id, Assessment.status.in_(FROZEN), Assessment.followup_of_id.is_(None))
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    ).first()
    if latest is not None:
        db.session.flush()  # the snapshot's rows, when the same transaction just stored it
        summary = snapshot_summaries(db.session.connection(), [latest[1]])[latest[1]]
        db.session.add(CurrentResult(
            delegation_id=delegation_id, assessment_id=latest[0], snapshot_id=latest[1], **summary.head,
            scores=summary.scores, role_scores=summary.role_scores, flags=summary.flags,
        ))
    db.session.flush()


def rebuild_current_results() -> None:
    """Recompute every delegation's row (after a bulk load): one statement, then the summaries."""
    db.session.execute(delete(CurrentResult))
    db.session.execute(text(BACKFILL))
    fill_summaries(db.session.connection())


# Named columns, so the migration that runs ``fill_summaries`` keeps working as the model changes.
_CURRENT = table("current_results", column("snapshot_id"), *(column(name) for name in HEAD),
                 column("scores", json_type()), column("role_scores", json_type()), column("flags", json_type()))


def fill_summaries(connection: Connection) -> int:
    """Write each current-result row's snapshot summary; also run by the migration that added them.

    :return: how many rows were written.
    """
    ids = list(connection.execute(select(_CURRENT.c.snapshot_id)).scalars())
    summaries = snapshot_summaries(connection, ids)
    rows = [
        {"s": snapshot_id, "d": found.scores, "r": found.role_scores, "f": found.flags}
        | {f"h_{name}": found.head[name] for name in HEAD}
        for snapshot_id, found in summaries.items()
    ]
    if rows:
        connection.execute(
            update(_CURRENT).where(_CURRENT.c.snapshot_id == bindparam("s"))
            .values(scores=bindparam("d"), role_scores=bindparam("r"), flags=bindparam("f"),
                    **{name: bindparam(f"h_{name}") for name in HEAD}),
            rows,
        )
    return len(rows)


def analyze() -> None:
    """Give PostgreSQL's planner fresh statistics after a bulk load (SQLite: nothing to do)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
