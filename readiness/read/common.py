"""Building blocks shared by the HQ queries: filtered assessments and each delegation's current result."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.sql import ColumnElement, Subquery

from readiness.definitions import get_definitions
from readiness.domain.workflow import FROZEN
from readiness.extensions import db
from readiness.models import Assessment, CurrentResult, Delegation, ResultSnapshot
from readiness.read.filters import Filters


def _start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def assessment_conditions(filters: Filters, *, with_status: bool = True, readiness_only: bool = True) -> list:
    """WHERE clauses for the filters that narrow assessments and their delegations.

    Follow-ups after go-live are left out: HQ's views compare readiness assessments, and a
    follow-up (its own questionnaire, numbered 1.0 too) is set against its baseline elsewhere.
    """
    conditions: list[ColumnElement[bool]] = [Assessment.followup_of_id.is_(None)] if readiness_only else []
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


def current_results(filters: Filters) -> Subquery:
    """Each delegation's current result; with a date window, the result that was current in it.

    Columns: ``delegation_id``, ``assessment_id``, ``snapshot_id``. Without dates this reads the
    one row per delegation kept in ``current_results``; a date window is a look back in
    history, so it ranks the closed and decided assessments started within it.
    """
    if not (filters.started_from or filters.started_to):
        return select(CurrentResult.delegation_id, CurrentResult.assessment_id, CurrentResult.snapshot_id).subquery("current")
    window = replace(filters, region="", context="", versions=(), status="")
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
        .where(Assessment.status.in_(FROZEN), *assessment_conditions(window))
        .subquery("ranked")
    )
    return select(ranked.c.delegation_id, ranked.c.assessment_id, ranked.c.snapshot_id).where(ranked.c.rank == 1).subquery("current")


def latest_results(filters: Filters, versions: Iterable[str]) -> Subquery:
    """Each delegation's current result, when it is on one of ``versions`` and within the filters.

    Columns: ``delegation_id``, ``assessment_id``, ``snapshot_id``. Built once per request for the same
    filters and versions (a page reads it in several queries; building it cost more than running them).
    """
    versions = tuple(versions)
    built = db.session.info.setdefault("latest_results", {})  # the session lasts one request
    if (filters, versions) not in built:
        built[(filters, versions)] = _latest_results(filters, versions)
    return built[(filters, versions)]


def _latest_results(filters: Filters, versions: tuple[str, ...]) -> Subquery:
    current = current_results(filters)
    # "+ 0" keeps SQLite (which has no table statistics) from scanning every snapshot and probing
    # the current rows: the current rows lead, and each finds its snapshot and assessment by key.
    return (
        select(current.c.delegation_id, current.c.assessment_id, current.c.snapshot_id)
        .join(Assessment, Assessment.id == current.c.assessment_id + 0)
        .join(ResultSnapshot, ResultSnapshot.id == current.c.snapshot_id + 0)
        .join(Delegation, Delegation.id == current.c.delegation_id + 0)
        .where(ResultSnapshot.questionnaire_version.in_(list(versions)), *assessment_conditions(filters))
        .subquery("latest_results")
    )


def distinct_values(column) -> list[str]:
    return [v for v in db.session.scalars(select(column).distinct().order_by(column)) if v]


def all_delegations() -> list[Delegation]:
    """:return: every delegation, by name."""
    return list(db.session.scalars(select(Delegation).order_by(Delegation.name, Delegation.id)))


def versions_in_use() -> list[str]:
    """Questionnaire versions loaded or held by a current result; reads one row per delegation.

    Older results on other versions stay reachable from a delegation's trend.
    """
    loaded = {version for (qid, version) in get_definitions().questionnaires if qid == "readiness"}
    current = db.session.scalars(
        select(ResultSnapshot.questionnaire_version).join(CurrentResult, CurrentResult.snapshot_id == ResultSnapshot.id).distinct()
    )
    return sorted(loaded | set(current))
