"""A proposal's states move only along allowed transitions; conditions clear only when all are verified."""
from __future__ import annotations

from datetime import date

import pytest

from readiness.domain.proposals import (
    DECISION_TRANSITION,
    ConditionStatus,
    ProposalStatus,
    ProposalTransition,
    ProposalTransitionNotAllowed,
    advance,
    all_verified,
    allowed_transitions,
    is_overdue,
)
from readiness.domain.review import Opinion


def test_the_happy_path_with_conditions_ends_cleared() -> None:
    status = advance(ProposalStatus.SUBMITTED, ProposalTransition.SCREEN)
    status = advance(status, DECISION_TRANSITION[Opinion.APPROVE_WITH_CONDITIONS])

    assert advance(status, ProposalTransition.CLEAR) is ProposalStatus.CLEARED


@pytest.mark.parametrize("transition", [ProposalTransition.APPROVE, ProposalTransition.CLEAR, ProposalTransition.SUPERSEDE])
def test_nothing_is_decided_before_screening(transition: ProposalTransition) -> None:
    with pytest.raises(ProposalTransitionNotAllowed, match="only when"):
        advance(ProposalStatus.SUBMITTED, transition)


def test_only_revise_and_resubmit_can_be_superseded() -> None:
    assert advance(ProposalStatus.REVISE, ProposalTransition.SUPERSEDE) is ProposalStatus.SUPERSEDED
    for status in (ProposalStatus.APPROVED, ProposalStatus.REJECTED, ProposalStatus.CLEARED):
        assert ProposalTransition.SUPERSEDE not in allowed_transitions(status)
    assert allowed_transitions(ProposalStatus.REJECTED) == []
    # An approval stays under continuing review: it can be reopened, suspended or withdrawn, nothing else.
    assert set(allowed_transitions(ProposalStatus.APPROVED)) == {
        ProposalTransition.REOPEN, ProposalTransition.SUSPEND, ProposalTransition.WITHDRAW}


def test_every_opinion_maps_to_a_decision() -> None:
    assert {advance(ProposalStatus.IN_REVIEW, DECISION_TRANSITION[o]) for o in Opinion} == {
        ProposalStatus.APPROVED, ProposalStatus.CONDITIONS, ProposalStatus.REVISE, ProposalStatus.REJECTED}


def test_clearance_needs_every_condition_verified() -> None:
    assert all_verified([ConditionStatus.VERIFIED, ConditionStatus.VERIFIED])
    assert not all_verified([ConditionStatus.VERIFIED, ConditionStatus.RETURNED])
    assert not all_verified([])


def test_an_unverified_condition_past_its_date_is_overdue() -> None:
    today = date(2030, 5, 10)
    assert is_overdue(ConditionStatus.SUBMITTED, date(2030, 5, 9), today)
    assert not is_overdue(ConditionStatus.VERIFIED, date(2030, 5, 9), today)
    assert not is_overdue(ConditionStatus.OPEN, date(2030, 5, 10), today)
