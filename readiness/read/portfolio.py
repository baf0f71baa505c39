"""The portfolio: every delegation with its latest assessment, in one query."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, exists, func, select

from readiness.extensions import db
from readiness.models.ethics import Proposal
from readiness.models import (
    ActionItem,
    ActionStatus,
    Assessment,
    Decision,
    Delegation,
    ResultSnapshot,
    SnapshotFlag,
)
from readiness.read.common import distinct_values, latest_assessments
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


def critical_open_counts():
    """Critical flags per snapshot, less those whose action item (source = flag code) is done."""
    done = exists().where(
        ActionItem.assessment_id == ResultSnapshot.assessment_id,
        ActionItem.source == SnapshotFlag.code,
        ActionItem.status == ActionStatus.DONE,
    )
    return (
        select(SnapshotFlag.snapshot_id, func.count().label("n"))
        .join(ResultSnapshot, ResultSnapshot.id == SnapshotFlag.snapshot_id)
        .where(SnapshotFlag.severity == "critical", ~done)
        .group_by(SnapshotFlag.snapshot_id)
        .subquery("critical")
    )


def overdue_counts(today: date):
    """Action items past their due date and not finished, per assessment."""
    return (
        select(ActionItem.assessment_id, func.count().label("n"))
        .where(ActionItem.due_date < today, ActionItem.status.in_(OPEN_ACTIONS))
        .group_by(ActionItem.assessment_id)
        .subquery("overdue")
    )


def portfolio(filters: Filters, today: date) -> list[PortfolioRow]:
    """Every delegation (within the filters) with its latest assessment; one query."""
    latest = latest_assessments(filters)
    critical = critical_open_counts()
    overdue = overdue_counts(today)
    critical_n = func.coalesce(critical.c.n, 0)
    overdue_n = func.coalesce(overdue.c.n, 0)
    query = (
        select(
            Delegation.id, Delegation.name, Delegation.country, Delegation.region, Delegation.context_type,
            Assessment.id, Assessment.title, Assessment.status, Assessment.questionnaire_version,
            Assessment.created_at, Assessment.closed_at,
            ResultSnapshot.recommendation, ResultSnapshot.overall_score, ResultSnapshot.coverage,
            Decision.outcome, critical_n, overdue_n,
        )
        .select_from(Delegation)
        .outerjoin(latest, latest.c.delegation_id == Delegation.id)
        .outerjoin(Assessment, Assessment.id == latest.c.assessment_id)
        .outerjoin(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .outerjoin(Decision, Decision.assessment_id == Assessment.id)
        .outerjoin(critical, critical.c.snapshot_id == ResultSnapshot.id)
        .outerjoin(overdue, overdue.c.assessment_id == Assessment.id)
        .where(*_delegation_conditions(filters))
    )
    if filters.on_assessments:
        query = query.where(Assessment.id.is_not(None))
    if filters.status:
        query = query.where(Assessment.status == filters.status)
    query = query.order_by(*_order(filters, critical_n, overdue_n))
    rows = db.session.execute(query).all()
    ethics = ethics_statuses(r[5] for r in rows if r[5] is not None)
    return [_row(r, ethics) for r in rows]


def _delegation_conditions(filters: Filters) -> list:
    conditions = []
    if filters.region:
        conditions.append(Delegation.region == filters.region)
    if filters.context:
        conditions.append(Delegation.context_type == filters.context)
    return conditions


_RECOMMENDATION_ORDER = {"no_go": 0, "insufficient_evidence": 1, "go_with_conditions": 2, "go": 3}


def _order(filters: Filters, critical_n, overdue_n) -> list:
    recommendation_rank = case(_RECOMMENDATION_ORDER, value=ResultSnapshot.recommendation, else_=None)
    key = {
        "name": Delegation.name,
        "region": Delegation.region,
        "started": Assessment.created_at,
        "score": ResultSnapshot.overall_score,
        "recommendation": recommendation_rank,
        "critical": critical_n,
        "overdue": overdue_n,
    }[filters.sort]
    primary = key.desc() if filters.descending else key.asc()
    return [primary.nulls_last(), Delegation.name.asc()]


def _row(r, ethics: dict[int, str]) -> PortfolioRow:
    return PortfolioRow(
        delegation_id=r[0], delegation=r[1], country=r[2], region=r[3], context_type=str(r[4].value),
        assessment_id=r[5], title=r[6], status=r[7].value if r[7] is not None else None,
        questionnaire_version=r[8], started=r[9], closed=r[10], recommendation=r[11], overall_score=r[12],
        coverage=r[13], decision=r[14].value if r[14] is not None else None,
        critical_flags=r[15], overdue_actions=r[16], ethics=ethics.get(r[5], NOT_SUBMITTED) if r[5] else NOT_SUBMITTED,
    )


def ethics_statuses(assessment_ids: Iterable[int]) -> dict[int, str]:
    """Ethics-review status per assessment: the status of its latest proposal; one query.

    This is the seam between the portfolio and the ethics-committee feature: an assessment
    without a proposal is ``not_submitted``.
    """
    ids = list(assessment_ids)
    statuses = {assessment_id: NOT_SUBMITTED for assessment_id in ids}
    if not ids:
        return statuses
    rows = db.session.execute(
        select(Proposal.assessment_id, Proposal.status).where(Proposal.assessment_id.in_(ids)).order_by(Proposal.version)
    )
    for assessment_id, status in rows:  # ordered by version: the latest proposal wins
        statuses[assessment_id] = str(getattr(status, "value", status))
    return statuses


@dataclass(frozen=True)
class FilterOptions:
    regions: list[str]
    versions: list[str]


def filter_options() -> FilterOptions:
    """Values offered in the filter form: regions and questionnaire versions in use (two queries)."""
    return FilterOptions(
        regions=distinct_values(Delegation.region),
        versions=distinct_values(Assessment.questionnaire_version),
    )
