"""Building blocks shared by the HQ queries: filtered assessments and each delegation's latest."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.sql import ColumnElement, Subquery

from readiness.extensions import db
from readiness.models import Assessment, Delegation, ResultSnapshot
from readiness.read.filters import Filters


def _start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def assessment_conditions(filters: Filters, *, with_status: bool = True) -> list:
    """WHERE clauses for the filters that narrow assessments and their delegations.

    Follow-ups after go-live are left out: HQ's views compare readiness assessments, and a
    follow-up (its own questionnaire, numbered 1.0 too) is set against its baseline elsewhere.
    """
    conditions: list[ColumnElement[bool]] = [Assessment.followup_of_id.is_(None)]
    if filters.region:
        conditions.append(Delegation.region == filters.region)
    if filters.context:
        conditions.append(Delegation.context_type == filters.context)
    if filters.versions:
        conditions.append(Assessment.questionnaire_version.in_(filters.versions))
    if filters.started_from:
        conditions.append(Assessment.created_at >= _start(filters.started_from))
    if filters.started_to:
        conditions.append(Assessment.created_at < _start(filters.started_to + timedelta(days=1)))
    if with_status and filters.status:
        conditions.append(Assessment.status == filters.status)
    return conditions


def latest_assessments(filters: Filters) -> Subquery:
    """Each delegation's latest assessment within the version and date filters.

    Columns: ``delegation_id``, ``assessment_id``. A window function ranks assessments per
    delegation, which SQLite and PostgreSQL both run in one pass over the index.
    """
    ranked = (
        select(
            Assessment.delegation_id,
            Assessment.id.label("assessment_id"),
            func.row_number()
            .over(partition_by=Assessment.delegation_id, order_by=(Assessment.created_at.desc(), Assessment.id.desc()))
            .label("rank"),
        )
        .join(Delegation, Delegation.id == Assessment.delegation_id)
        .where(*assessment_conditions(filters, with_status=False))
        .subquery("ranked")
    )
    return select(ranked.c.delegation_id, ranked.c.assessment_id).where(ranked.c.rank == 1).subquery("latest")


def latest_results(filters: Filters, versions: Iterable[str]) -> Subquery:
    """Each delegation's latest assessment with a stored result on one of ``versions``.

    Columns: ``delegation_id``, ``assessment_id``, ``snapshot_id``.
    """
    ranked = (
        select(
            Assessment.delegation_id,
            Assessment.id.label("assessment_id"),
            ResultSnapshot.id.label("snapshot_id"),
            func.row_number()
            .over(partition_by=Assessment.delegation_id, order_by=(Assessment.created_at.desc(), Assessment.id.desc()))
            .label("rank"),
        )
        .join(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .join(Delegation, Delegation.id == Assessment.delegation_id)
        .where(ResultSnapshot.questionnaire_version.in_(list(versions)), *assessment_conditions(filters))
        .subquery("ranked_results")
    )
    return (
        select(ranked.c.delegation_id, ranked.c.assessment_id, ranked.c.snapshot_id)
        .where(ranked.c.rank == 1)
        .subquery("latest_results")
    )


def distinct_values(column) -> list[str]:
    return [v for v in db.session.scalars(select(column).distinct().order_by(column)) if v]


def all_delegations() -> list[Delegation]:
    """:return: every delegation, by name."""
    return list(db.session.scalars(select(Delegation).order_by(Delegation.name, Delegation.id)))
