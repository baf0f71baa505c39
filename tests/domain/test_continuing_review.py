"""Continuing ethics review: due dates, the reopening rule at its thresholds, the likelihood × severity map."""
from __future__ import annotations

from datetime import date

import pytest

from readiness.domain.incidents import (
    ReviewState,
    SeriousRule,
    add_months,
    is_serious,
    review_due_date,
    review_state,
    risk_map,
    shown_status,
)
from readiness.domain.proposals import (
    ConditionStatus,
    ProposalStatus,
    ProposalTransition,
    ProposalTransitionNotAllowed,
    advance,
    reinstated,
)

RULE = SeriousRule(severity=4, score=12)


@pytest.mark.parametrize(("approved", "months", "due"), [
    (date(2026, 3, 15), 12, date(2027, 3, 15)),  # a year on, same day
    (date(2026, 11, 20), 3, date(2027, 2, 20)),  # across the new year
    (date(2026, 8, 31), 6, date(2027, 2, 28)),  # 31 August + 6 months: February has 28 days in 2027
    (date(2027, 8, 31), 6, date(2028, 2, 29)),  # ... and 29 in 2028
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
])
def test_the_review_falls_due_one_interval_after_approval(approved: date, months: int, due: date) -> None:
    assert review_due_date(approved, months) == due == add_months(approved, months)


def test_due_within_the_notice_period_and_overdue_the_day_after() -> None:
    due = date(2027, 3, 15)
    # 30 days' notice: due from 13 February 2027 (15 March - 30 days), overdue from 16 March.
    assert review_state(due, date(2027, 2, 12), 30) is ReviewState.NOT_DUE
    assert review_state(due, date(2027, 2, 13), 30) is ReviewState.DUE
    assert review_state(due, date(2027, 3, 15), 30) is ReviewState.DUE  # on the day itself: due, not late
    assert review_state(due, date(2027, 3, 16), 30) is ReviewState.OVERDUE
    assert review_state(None, date(2030, 1, 1), 30) is ReviewState.NOT_DUE


def test_the_shown_status_follows_the_date_only_for_approvals() -> None:
    due, notice = date(2027, 3, 15), 30
    assert shown_status(ProposalStatus.APPROVED, due, date(2027, 1, 1), notice) == "approved"
    assert shown_status(ProposalStatus.CLEARED, due, date(2027, 3, 1), notice) == "review_due"
    assert shown_status(ProposalStatus.CONDITIONS, due, date(2027, 3, 16), notice) == "review_reopened"
    assert shown_status(ProposalStatus.SUSPENDED, due, date(2027, 3, 16), notice) == "suspended"
    assert shown_status(ProposalStatus.REJECTED, None, date(2027, 3, 16), notice) == "rejected"


@pytest.mark.parametrize(("likelihood", "severity", "serious"), [
    (1, 4, True),  # severity exactly at the threshold (4)
    (2, 3, False),  # severity one below, score 6
    (3, 4, True),
    (4, 3, True),  # score exactly at the threshold: 4 × 3 = 12
    (5, 2, False),  # 10
    (3, 3, False),  # 9: one step below 12 in both directions
    (1, 5, True),
    (5, 1, False),  # almost certain but negligible: 5
])
def test_a_serious_incident_is_at_either_threshold(likelihood: int, severity: int, serious: bool) -> None:
    assert is_serious(likelihood, severity, RULE) is serious


def test_the_thresholds_come_from_the_policy() -> None:
    strict = SeriousRule(severity=5, score=20)
    assert not is_serious(4, 4, strict)  # 16 < 20, severity 4 < 5
    assert is_serious(4, 5, strict)


def test_the_map_counts_incidents_per_cell_with_severity_from_top() -> None:
    incidents = [(2, 3), (2, 3), (4, 5), (1, 1), (2, 3)]
    grid = risk_map(incidents, RULE)
    assert len(grid) == 5 and all(len(row) == 5 for row in grid)
    assert [row[0].severity for row in grid] == [5, 4, 3, 2, 1]
    assert [cell.likelihood for cell in grid[0]] == [1, 2, 3, 4, 5]
    counts = {(c.likelihood, c.severity): c.count for row in grid for c in row if c.count}
    assert counts == {(2, 3): 3, (4, 5): 1, (1, 1): 1}
    assert sum(c.count for row in grid for c in row) == len(incidents)
    assert grid[0][3].serious and not grid[2][1].serious  # (4, 5) serious; (2, 3) is 6, not serious
    assert grid[2][3].serious  # likelihood 4, severity 3: 12


def test_suspension_and_reinstatement_follow_the_conditions() -> None:
    assert advance(ProposalStatus.APPROVED, ProposalTransition.REOPEN) is ProposalStatus.REOPENED
    assert advance(ProposalStatus.REOPENED, ProposalTransition.SUSPEND) is ProposalStatus.SUSPENDED
    assert advance(ProposalStatus.SUSPENDED, ProposalTransition.WITHDRAW) is ProposalStatus.WITHDRAWN
    with pytest.raises(ProposalTransitionNotAllowed):
        advance(ProposalStatus.WITHDRAWN, ProposalTransition.SUSPEND)  # withdrawal is final
    with pytest.raises(ProposalTransitionNotAllowed):
        advance(ProposalStatus.IN_REVIEW, ProposalTransition.SUSPEND)  # only an approval can be suspended
    assert reinstated(ProposalStatus.SUSPENDED, []) is ProposalStatus.APPROVED
    assert reinstated(ProposalStatus.REOPENED, [ConditionStatus.VERIFIED, ConditionStatus.OPEN]) is ProposalStatus.CONDITIONS
    assert reinstated(ProposalStatus.SUSPENDED, [ConditionStatus.VERIFIED]) is ProposalStatus.CLEARED
    with pytest.raises(ProposalTransitionNotAllowed):
        reinstated(ProposalStatus.WITHDRAWN, [])
