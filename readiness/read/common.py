"""Building blocks shared by the HQ queries: filtered assessments and each delegation's current result."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, Select, func, null, select, type_coerce
from sqlalchemy.sql import ColumnElement, Subquery

from readiness.definitions import get_definitions
from readiness.domain.workflow import FROZEN
from readiness.extensions import db
from readiness.models import Assessment, CurrentResult, Delegation, ResultSnapshot
from readiness.models.types import json_type
from readiness.read.filters import Filters
from readiness.read.summaries import HEAD, Summary, snapshot_summaries


def _start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def assessment_conditions(
    filters: Filters, *, with_status: bool = True, readiness_only: bool = True, current_only: bool = False
) -> list:
    """WHERE clauses for the filters that narrow assessments and their delegations.

    Follow-ups after go-live are left out: HQ's views compare readiness assessments, and a
    follow-up (its own questionnaire, numbered 1.0 too) is set against its baseline elsewhere.
    :param current_only: the assessments are current results, never follow-ups (no clause needed).
    """
    conditions: list[ColumnElement[bool]] = [Assessment.followup_of_id.is_(None)] if readiness_only and not current_only else []
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


SUMMARY = ("scores", "role_scores", "flags")
# Statements are built once per process for each set of filters (a few hundred at most are kept): they
# hold no data, only the shape of a query and the filters' values, and SQLAlchemy then finds the
# compiled SQL without walking the whole statement again. Building them cost more than running them.
STATEMENTS = 256


def current_results(filters: Filters) -> Subquery:
    """Each delegation's current result; with a date window, the result that was current in it.

    Columns: ``delegation_id``, ``assessment_id``, ``snapshot_id``, the snapshot's figures named in
    ``summaries.HEAD`` and its summary (``scores``, ``role_scores``, ``flags``, see ``read/summaries.py``).
    Without dates this reads the one row per delegation kept in ``current_results``; a date window
    is a look back in history, so it ranks the closed and decided assessments started within it,
    and leaves the summary columns NULL (:func:`with_summaries` builds them from the snapshots' rows).
    """
    if not (filters.started_from or filters.started_to):
        return select(
            CurrentResult.delegation_id, CurrentResult.assessment_id, CurrentResult.snapshot_id,
            *(getattr(CurrentResult, name) for name in (*HEAD, *SUMMARY)),
        ).subquery("current")
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
    return (
        # The snapshot's figures only for the one result kept per delegation (on SQLite the intervals
        # sit after the whole stored result).
        select(ranked.c.delegation_id, ranked.c.assessment_id, ranked.c.snapshot_id,
               *(getattr(ResultSnapshot, name) for name in HEAD),
               *(type_coerce(null(), json_type()).label(name) for name in SUMMARY))
        .join(ResultSnapshot, ResultSnapshot.id == ranked.c.snapshot_id)
        .where(ranked.c.rank == 1).subquery("current")
    )


def latest_results(filters: Filters, versions: Iterable[str]) -> Subquery:
    """Each delegation's current result, when it is on one of ``versions`` and within the filters.

    Columns: those of :func:`current_results`, and the delegation's ``name``, ``region`` and
    ``context_type``. Built once per process for the same filters and versions (see ``STATEMENTS``).
    """
    return _latest_results(filters, tuple(versions))


@lru_cache(maxsize=STATEMENTS)
def _latest_results(filters: Filters, versions: tuple[str, ...]) -> Subquery:
    current = current_results(filters)
    # "+ 0" keeps SQLite (which has no table statistics) from scanning every delegation and probing
    # the current rows: the current rows lead, and each finds its delegation and assessment by key.
    query = (
        select(*current.c, Delegation.name, Delegation.region, Delegation.context_type)
        .join(Delegation, Delegation.id == current.c.delegation_id + 0)
        .where(current.c.questionnaire_version.in_(list(versions)), *assessment_conditions(filters, current_only=True))
    )
    if _needs_assessment(filters):
        query = query.join(Assessment, Assessment.id == current.c.assessment_id + 0)
    return query.subquery("latest_results")


def _needs_assessment(filters: Filters) -> bool:
    """Whether the filters read the assessment itself (a current result is never a follow-up)."""
    return bool(filters.status or filters.versions or filters.started_from or filters.started_to)


def with_summaries(rows: Sequence[Row[Any]], *parts: str) -> list[Summary]:
    """Each row's snapshot summary: the stored one, or (over a date window) built from the snapshot's rows.

    :param rows: rows with ``snapshot_id`` and the summary columns named in ``parts``, as selected
        from :func:`latest_results`; the parts not selected are left empty.
    """
    missing = [row.snapshot_id for row in rows if getattr(row, parts[0]) is None]
    built = snapshot_summaries(db.session.connection(), missing) if missing else {}
    return [
        built[row.snapshot_id] if getattr(row, parts[0]) is None else Summary(**{part: getattr(row, part) for part in parts})
        for row in rows
    ]


def distinct_values(column) -> list[str]:
    return [v for v in db.session.scalars(_distinct(column)) if v]


@lru_cache(maxsize=16)
def _distinct(column) -> Select:
    return select(column).distinct().order_by(column)


def all_delegations() -> list[Delegation]:
    """:return: every delegation, by name."""
    return list(db.session.scalars(select(Delegation).order_by(Delegation.name, Delegation.id)))


def versions_in_use() -> list[str]:
    """Questionnaire versions loaded or held by a current result; reads one row per delegation.

    Older results on other versions stay reachable from a delegation's trend.
    """
    loaded = {version for (qid, version) in get_definitions().questionnaires if qid == "readiness"}
    return sorted(loaded | set(db.session.scalars(_CURRENT_VERSIONS)))


_CURRENT_VERSIONS = select(CurrentResult.questionnaire_version).distinct()
