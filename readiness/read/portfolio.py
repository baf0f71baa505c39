"""The portfolio: every delegation with its current result and any newer assessment in progress."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from functools import lru_cache

from sqlalchemy import Select, bindparam, case, exists, func, select

from readiness.extensions import db
from readiness.models.ethics import Proposal
from readiness.models import (
    ActionItem,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Decision,
    Delegation,
    SnapshotFlag,
)
from readiness.read.common import STATEMENTS, assessment_conditions, current_results, distinct_values, versions_in_use
from readiness.read.filters import Filters

OPEN_ACTIONS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
NOT_SUBMITTED = "not_submitted"


@dataclass(frozen=True)
class PortfolioRow:
    delegation_id: int
    delegation: str
    country: str
    region: str
    context_type: str
    assessment_id: int | None
    title: str | None
    status: str | None
    questionnaire_version: str | None
    started: datetime | None
    closed: datetime | None
    recommendation: str | None
    overall_score: float | None
    coverage: float | None
    decision: str | None
    critical_flags: int
    overdue_actions: int
    ethics: str
    # A newer assessment still in draft or collecting: the current result stays shown beside it.
    in_progress_id: int | None = None
    in_progress_title: str | None = None
    in_progress_status: str | None = None


def critical_open_counts(current):
    """Critical flags per current snapshot, less those whose action item (source = flag code) is done.

    The flags are looked up from the current rows (one per delegation), which also name the
    assessment, so the database walks the flag index from those few snapshots and never reads a
    snapshot or every flag ever raised.
    """
    done = exists().where(
        ActionItem.assessment_id == current.c.assessment_id,
        ActionItem.source == SnapshotFlag.code,
        ActionItem.status == ActionStatus.DONE,
    )
    return (
        select(current.c.snapshot_id, func.count().label("n"))
        # "+ 0": SQLite (no statistics) would otherwise scan every flag and probe the current rows.
        .join(SnapshotFlag, SnapshotFlag.snapshot_id == current.c.snapshot_id + 0)
        .where(SnapshotFlag.severity == "critical", ~done)
        .group_by(current.c.snapshot_id)
        .subquery("critical")
    )


def overdue_counts(current, today: date):
    """Action items past their due date and not finished, per current assessment."""
    return (
        select(ActionItem.assessment_id, func.count().label("n"))
        .where(ActionItem.assessment_id.in_(select(current.c.assessment_id)))
        .where(ActionItem.due_date < today, ActionItem.status.in_(OPEN_ACTIONS))
        .group_by(ActionItem.assessment_id)
        .subquery("overdue")
    )


def portfolio(filters: Filters, today: date) -> list[PortfolioRow]:
    """Every delegation (within the filters) with its current result; three queries, one row per delegation."""
    rows = db.session.execute(_portfolio_query(filters, today)).all()
    ethics = ethics_statuses(r[5] for r in rows if r[5] is not None)
    newer = in_progress()
    return [_row(r, ethics, newer.get(r[0])) for r in rows]


@lru_cache(maxsize=STATEMENTS)
def _portfolio_query(filters: Filters, today: date) -> Select:
    current = current_results(filters)
    critical = critical_open_counts(current)
    overdue = overdue_counts(current, today)
    critical_n = func.coalesce(critical.c.n, 0)
    overdue_n = func.coalesce(overdue.c.n, 0)
    query = (
        select(
            Delegation.id, Delegation.name, Delegation.country, Delegation.region, Delegation.context_type,
            Assessment.id, Assessment.title, Assessment.status, Assessment.questionnaire_version,
            Assessment.created_at, Assessment.closed_at,
            current.c.recommendation, current.c.overall_score, current.c.coverage,
            Decision.outcome, critical_n, overdue_n,
        )
        .select_from(Delegation)
        .outerjoin(current, current.c.delegation_id == Delegation.id)
        .outerjoin(Assessment, Assessment.id == current.c.assessment_id)
        .outerjoin(Decision, Decision.assessment_id == Assessment.id)
        .outerjoin(critical, critical.c.snapshot_id == current.c.snapshot_id)
        .outerjoin(overdue, overdue.c.assessment_id == Assessment.id)
        .where(*_delegation_conditions(filters))
    )
    query = _narrowed(query, filters)
    return query.order_by(*_order(filters, current, critical_n, overdue_n))


def _narrowed(query, filters: Filters):
    """Filters on assessments apply to the current result; draft and collecting to the one in progress."""
    if filters.status in IN_PROGRESS:
        working = select(Assessment.delegation_id).where(Assessment.status == filters.status)
        return query.where(Delegation.id.in_(working))
    # The current result is never a follow-up (services/current_results.py), so only the reader's
    # own filters narrow it: a delegation with no result stays listed while none is chosen.
    conditions = assessment_conditions(replace(filters, region="", context=""), readiness_only=False)
    if conditions:
        query = query.where(Assessment.id.is_not(None), *conditions)
    return query


IN_PROGRESS = (AssessmentStatus.DRAFT.value, AssessmentStatus.COLLECTING.value)


@dataclass(frozen=True)
class InProgress:
    assessment_id: int
    title: str
    status: str
    started: datetime


def in_progress() -> dict[int, InProgress]:
    """The newest draft or collecting assessment per delegation; one query on the status index.

    The database keeps the newest per delegation, so at most one row per delegation comes back
    however many assessments are in progress.
    """
    return {r[0]: InProgress(r[1], r[2], AssessmentStatus(r[3]).value, r[4]) for r in db.session.execute(_in_progress_query())}


@lru_cache(maxsize=1)
def _in_progress_query() -> Select:
    newest = func.row_number().over(
        partition_by=Assessment.delegation_id, order_by=(Assessment.created_at.desc(), Assessment.id.desc())
    )
    ranked = (
        select(Assessment.delegation_id, Assessment.id, Assessment.title, Assessment.status, Assessment.created_at,
               newest.label("rank"))
        # "+ 0": SQLite (no statistics) would otherwise read every assessment through the follow-up index
        # (IS NULL matches nearly all); the few drafts and collecting ones are found on the status index.
        .where(Assessment.status.in_(IN_PROGRESS), (Assessment.followup_of_id + 0).is_(None))
        .subquery("in_progress")
    )
    return select(ranked.c.delegation_id, ranked.c.id, ranked.c.title, ranked.c.status, ranked.c.created_at).where(ranked.c.rank == 1)


def _delegation_conditions(filters: Filters) -> list:
    conditions = []
    if filters.region:
        conditions.append(Delegation.region == filters.region)
    if filters.context:
        conditions.append(Delegation.context_type == filters.context)
    return conditions


_RECOMMENDATION_ORDER = {"no_go": 0, "insufficient_evidence": 1, "go_with_conditions": 2, "go": 3}


def _order(filters: Filters, current, critical_n, overdue_n) -> list:
    recommendation_rank = case(_RECOMMENDATION_ORDER, value=current.c.recommendation, else_=None)
    key = {
        "name": Delegation.name,
        "region": Delegation.region,
        "started": Assessment.created_at,
        "score": current.c.overall_score,
        "recommendation": recommendation_rank,
        "critical": critical_n,
        "overdue": overdue_n,
    }[filters.sort]
    primary = key.desc() if filters.descending else key.asc()
    return [primary.nulls_last(), Delegation.name.asc()]


def _row(r, ethics: dict[int, str], newer: InProgress | None) -> PortfolioRow:
    if newer is not None and r[9] is not None and _aware(newer.started) <= _aware(r[9]):
        newer = None  # an older assessment reopened: not newer than the current result
    return PortfolioRow(
        delegation_id=r[0], delegation=r[1], country=r[2], region=r[3], context_type=str(r[4].value),
        assessment_id=r[5], title=r[6], status=r[7].value if r[7] is not None else None,
        questionnaire_version=r[8], started=r[9], closed=r[10], recommendation=r[11], overall_score=r[12],
        coverage=r[13], decision=r[14].value if r[14] is not None else None,
        critical_flags=r[15], overdue_actions=r[16], ethics=ethics.get(r[5], NOT_SUBMITTED) if r[5] else NOT_SUBMITTED,
        in_progress_id=newer.assessment_id if newer else None, in_progress_title=newer.title if newer else None,
        in_progress_status=newer.status if newer else None,
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def ethics_statuses(assessment_ids: Iterable[int]) -> dict[int, str]:
    """Ethics-review status per assessment: the status of its latest proposal; one query.

    This is the seam between the portfolio and the ethics-committee feature: an assessment
    without a proposal is ``not_submitted``.
    """
    ids = list(assessment_ids)
    statuses = {assessment_id: NOT_SUBMITTED for assessment_id in ids}
    if not ids:
        return statuses
    rows = db.session.execute(_ETHICS, {"ids": ids})
    for assessment_id, status in rows:  # ordered by version: the latest proposal wins
        statuses[assessment_id] = str(getattr(status, "value", status))
    return statuses


_ETHICS = (
    select(Proposal.assessment_id, Proposal.status)
    .where(Proposal.assessment_id.in_(bindparam("ids", expanding=True))).order_by(Proposal.version)
)


@dataclass(frozen=True)
class FilterOptions:
    regions: list[str]
    versions: list[str]


def filter_options() -> FilterOptions:
    """Values offered in the filter form: regions and questionnaire versions in use (two queries)."""
    return FilterOptions(
        regions=distinct_values(Delegation.region),
        versions=versions_in_use(),
    )


ETHICS_PENDING = ("submitted", "in_review")


@dataclass(frozen=True)
class PortfolioCounts:
    go: int
    go_with_conditions: int
    no_go: int
    insufficient_evidence: int
    decisions_pending: int
    overdue_actions: int
    ethics_pending: int


def portfolio_counts(rows: list[PortfolioRow]) -> PortfolioCounts:
    """What the portfolio's rows add up to: current results by recommendation, and what waits on someone.

    :param rows: the portfolio as shown (filters applied), one row per delegation.
    """
    recommended = [r.recommendation for r in rows]
    return PortfolioCounts(
        go=recommended.count("go"),
        go_with_conditions=recommended.count("go_with_conditions"),
        no_go=recommended.count("no_go"),
        insufficient_evidence=recommended.count("insufficient_evidence"),
        decisions_pending=sum(1 for r in rows if r.status == AssessmentStatus.CLOSED.value),
        overdue_actions=sum(r.overdue_actions for r in rows),
        ethics_pending=sum(1 for r in rows if r.ethics in ETHICS_PENDING),
    )
