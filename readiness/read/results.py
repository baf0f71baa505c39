"""One row per assessment for exports and the API: delegation, dates, scores, decision, flags."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from readiness.definitions import get_definitions
from readiness.extensions import db
from readiness.models import Assessment, Decision, Delegation, ResultSnapshot, SnapshotDimension, SnapshotFlag
from readiness.read.common import assessment_conditions
from readiness.read.filters import Filters

QUESTIONNAIRE = "readiness"


@dataclass(frozen=True)
class ResultRow:
    assessment_id: int
    delegation: str
    country: str
    region: str
    context_type: str
    title: str
    tool_name: str
    status: str
    questionnaire_version: str
    started: datetime
    closed: datetime | None
    decided: datetime | None
    overall_score: float | None
    coverage: float | None
    recommendation: str | None
    rule_id: str | None
    decision: str | None
    dimensions: dict[str, float | None]
    flags: list[str]
    overall_interval: tuple[float, float] | None = None
    dimension_intervals: dict[str, tuple[float, float] | None] | None = None


def result_rows(filters: Filters, *, limit: int | None = None, after_id: int = 0) -> list[ResultRow]:
    """Assessments within the filters, by id, with their stored results; three queries.

    :param limit: at most this many rows (the API pages through them with ``after_id``).
    """
    conditions = [*assessment_conditions(filters), Assessment.id > after_id]
    query = (
        select(
            Assessment.id, Delegation.name, Delegation.country, Delegation.region, Delegation.context_type,
            Assessment.title, Assessment.tool_name, Assessment.status, Assessment.questionnaire_version,
            Assessment.created_at, Assessment.closed_at, Assessment.decided_at,
            ResultSnapshot.overall_score, ResultSnapshot.coverage, ResultSnapshot.recommendation,
            ResultSnapshot.rule_id, Decision.outcome, ResultSnapshot.overall_low, ResultSnapshot.overall_high,
        )
        .join(Delegation, Delegation.id == Assessment.delegation_id)
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .outerjoin(Decision, Decision.assessment_id == Assessment.id)
        .where(*conditions)
        .order_by(Assessment.id)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = db.session.execute(query).all()
    if not rows:
        return []
    window = [Assessment.id >= rows[0][0], Assessment.id <= rows[-1][0], *conditions]
    dims = _by_assessment(
        select(Assessment.id, SnapshotDimension.dimension_id, SnapshotDimension.score,
               SnapshotDimension.interval_low, SnapshotDimension.interval_high), window,
    )
    flags = _by_assessment(select(Assessment.id, SnapshotFlag.code, SnapshotFlag.severity), window, flags=True)
    return [
        ResultRow(
            r[0], r[1], r[2], r[3], r[4].value, r[5], r[6], r[7].value, r[8], r[9], r[10], r[11], r[12], r[13],
            r[14], r[15], r[16].value if r[16] else None, {d[0]: d[1] for d in dims.get(r[0], [])},
            [f[0] for f in flags.get(r[0], [])], _pair(r[17], r[18]),
            {d[0]: _pair(d[2], d[3]) for d in dims.get(r[0], [])},
        )
        for r in rows
    ]


def _pair(low: float | None, high: float | None) -> tuple[float, float] | None:
    return (low, high) if low is not None and high is not None else None


def _by_assessment(columns, conditions: list, *, flags: bool = False) -> dict[int, list[tuple]]:
    # Same filters as the main query, bounded to its id range: one query whatever the row count.
    child = SnapshotFlag if flags else SnapshotDimension
    query = (
        columns.join(Delegation, Delegation.id == Assessment.delegation_id)
        .join(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .join(child, child.snapshot_id == ResultSnapshot.id)
        .where(*conditions)
        .order_by(child.id)
    )
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for assessment_id, *values in db.session.execute(query):
        grouped[assessment_id].append(tuple(values))
    return grouped


def iter_result_rows(filters: Filters, *, page: int = 500) -> Iterator[ResultRow]:
    """Every row of :func:`result_rows`, read a page at a time (by id), so an export never holds them all.

    Each page ends its queries before the rows are handed on: the database is not kept waiting
    on a slow download.
    """
    after = 0
    while True:
        rows = result_rows(filters, limit=page, after_id=after)
        yield from rows
        if len(rows) < page:
            return
        after = rows[-1].assessment_id


def dimension_ids() -> list[str]:
    """The dimensions of every loaded version of the questionnaire, the latest version's order first."""
    definitions = get_definitions()
    versions = sorted(
        (q for (qid, _), q in definitions.questionnaires.items() if qid == QUESTIONNAIRE),
        key=lambda q: q.version, reverse=True,
    )
    seen: dict[str, None] = {}
    for questionnaire in versions:
        for dimension in questionnaire.dimensions:
            seen.setdefault(dimension.id, None)
    return list(seen)
