"""Continuing ethics review: when a review falls due, which incidents are serious, the likelihood × severity map.

Pure functions: the thresholds come from the screening policy file, the dates from the caller.
"""
from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from readiness.domain.proposals import APPROVALS, ProposalStatus

SCALE = (1, 2, 3, 4, 5)


class IncidentKind(StrEnum):
    BREACH = "breach"
    LOST_DEVICE = "lost_device"
    DATA_REQUESTED = "data_requested"  # by authorities or armed groups
    COMPLAINT = "complaint"  # from a child or family
    AUTOMATED_SCORE = "automated_score"  # used without human judgement
    OTHER = "other"


@dataclass(frozen=True)
class SeriousRule:
    """An incident is serious at ``severity`` or above, or when likelihood × severity reaches ``score``."""

    severity: int = 4
    score: int = 12


def is_serious(likelihood: int, severity: int, rule: SeriousRule) -> bool:
    """:return: whether the incident reopens the ethics review (thresholds are inclusive)."""
    return severity >= rule.severity or likelihood * severity >= rule.score


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has fewer days (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due_date(approved_on: date, interval_months: int) -> date:
    """:return: the date by which the committee reviews the approval again."""
    return add_months(approved_on, interval_months)


class ReviewState(StrEnum):
    NOT_DUE = "not_due"
    DUE = "review_due"  # within the notice period, or on the due date itself
    OVERDUE = "overdue"  # the due date has passed


def review_state(due: date | None, today: date, notice_days: int) -> ReviewState:
    """Where a continuing review stands on ``today``.

    :param notice_days: how many days before the due date the review shows as due.
    """
    if due is None:
        return ReviewState.NOT_DUE
    if today > due:
        return ReviewState.OVERDUE
    return ReviewState.DUE if today >= due - timedelta(days=notice_days) else ReviewState.NOT_DUE


def shown_status(status: ProposalStatus, due: date | None, today: date, notice_days: int) -> str:
    """The status people see: an approval whose continuing review is due shows "review due",
    and one whose review is overdue shows "review reopened" even before the reminder run records it."""
    if status not in APPROVALS:
        return status.value
    state = review_state(due, today, notice_days)
    if state is ReviewState.OVERDUE:
        return ProposalStatus.REOPENED.value
    return ReviewState.DUE.value if state is ReviewState.DUE else status.value


@dataclass(frozen=True)
class RiskCell:
    likelihood: int
    severity: int
    count: int
    serious: bool


def risk_map(incidents: Iterable[tuple[int, int]], rule: SeriousRule) -> list[list[RiskCell]]:
    """A 5 × 5 grid of incident counts: rows by severity from 5 down to 1, columns by likelihood 1 to 5.

    :param incidents: (likelihood, severity) per incident.
    """
    counts = Counter(incidents)
    return [[RiskCell(lk, sv, counts.get((lk, sv), 0), is_serious(lk, sv, rule)) for lk in SCALE]
            for sv in reversed(SCALE)]
