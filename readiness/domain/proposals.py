"""An ethics proposal's life, with guarded transitions; and its conditions' life.

submitted -> in_review (the chair screened it and chose a route) -> approved | conditions |
revise | rejected; conditions -> cleared when every condition is verified; revise ->
superseded when the delegation resubmits (the new version starts again at submitted).

After approval the review continues: a serious incident or an overdue continuing review reopens
it (review_reopened); the chair may suspend or withdraw the approval, and reinstate it after review.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from readiness.domain.review import Opinion


class ProposalStatus(StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    CONDITIONS = "approved_with_conditions"
    REVISE = "revise_and_resubmit"
    REJECTED = "rejected"
    CLEARED = "cleared"
    SUPERSEDED = "superseded"
    REOPENED = "review_reopened"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class ProposalTransition(StrEnum):
    SCREEN = "screen"
    APPROVE = "approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions"
    REQUEST_REVISION = "request_revision"
    REJECT = "reject"
    CLEAR = "clear"
    SUPERSEDE = "supersede"
    REOPEN = "reopen"
    SUSPEND = "suspend"
    WITHDRAW = "withdraw"


S, T = ProposalStatus, ProposalTransition
ALLOWED: dict[ProposalTransition, tuple[frozenset[ProposalStatus], ProposalStatus]] = {
    T.SCREEN: (frozenset({S.SUBMITTED}), S.IN_REVIEW),
    T.APPROVE: (frozenset({S.IN_REVIEW}), S.APPROVED),
    T.APPROVE_WITH_CONDITIONS: (frozenset({S.IN_REVIEW}), S.CONDITIONS),
    T.REQUEST_REVISION: (frozenset({S.IN_REVIEW}), S.REVISE),
    T.REJECT: (frozenset({S.IN_REVIEW}), S.REJECTED),
    T.CLEAR: (frozenset({S.CONDITIONS}), S.CLEARED),
    T.SUPERSEDE: (frozenset({S.REVISE}), S.SUPERSEDED),
    T.REOPEN: (frozenset({S.APPROVED, S.CONDITIONS, S.CLEARED}), S.REOPENED),
    T.SUSPEND: (frozenset({S.APPROVED, S.CONDITIONS, S.CLEARED, S.REOPENED}), S.SUSPENDED),
    T.WITHDRAW: (frozenset({S.APPROVED, S.CONDITIONS, S.CLEARED, S.REOPENED, S.SUSPENDED}), S.WITHDRAWN),
}

DECISION_TRANSITION = {
    Opinion.APPROVE: T.APPROVE,
    Opinion.APPROVE_WITH_CONDITIONS: T.APPROVE_WITH_CONDITIONS,
    Opinion.REVISE: T.REQUEST_REVISION,
    Opinion.REJECT: T.REJECT,
}

# Where the committee's work is finished, and nothing more can happen to this version.
FINAL = frozenset({S.APPROVED, S.REJECTED, S.CLEARED, S.SUPERSEDED, S.WITHDRAWN})
# The tool may go live: approved outright, or every condition verified.
GO_LIVE = frozenset({S.APPROVED, S.CLEARED})
# An approval the committee still follows: continuing review, incidents, suspension.
APPROVALS = frozenset({S.APPROVED, S.CONDITIONS, S.CLEARED})
UNDER_CONTINUING_REVIEW = APPROVALS | {S.REOPENED, S.SUSPENDED}


class ProposalTransitionNotAllowed(ValueError):
    def __init__(self, current: ProposalStatus, transition: ProposalTransition) -> None:
        allowed = ", ".join(sorted(s.value for s in ALLOWED[transition][0]))
        super().__init__(f"cannot {transition.value} a proposal that is {current.value} (only when {allowed})")
        self.current = current
        self.transition = transition


def advance(current: ProposalStatus, transition: ProposalTransition) -> ProposalStatus:
    """:return: the status after ``transition``.
    :raise ProposalTransitionNotAllowed: when ``transition`` is not allowed from ``current``.
    """
    sources, target = ALLOWED[transition]
    if current not in sources:
        raise ProposalTransitionNotAllowed(current, transition)
    return target


def reinstated(current: ProposalStatus, conditions: Iterable[ConditionStatus]) -> ProposalStatus:
    """The status an approval returns to once the chair completes a continuing review.

    :param conditions: the statuses of the proposal's conditions (none for an outright approval).
    :return: approved without conditions, cleared when every condition is verified, otherwise with conditions.
    :raise ProposalTransitionNotAllowed: the proposal is not an approval under continuing review.
    """
    if current not in UNDER_CONTINUING_REVIEW:
        raise ProposalTransitionNotAllowed(current, ProposalTransition.REOPEN)
    statuses = list(conditions)
    if not statuses:
        return S.APPROVED
    return S.CLEARED if all_verified(statuses) else S.CONDITIONS


def allowed_transitions(current: ProposalStatus) -> list[ProposalTransition]:
    return [t for t, (sources, _) in ALLOWED.items() if current in sources]


class ConditionStatus(StrEnum):
    OPEN = "open"  # waiting for the delegation's evidence
    SUBMITTED = "submitted"  # evidence given, waiting for the chair
    RETURNED = "returned"  # the chair found the evidence insufficient, with a reason
    VERIFIED = "verified"


def can_submit_evidence(status: ConditionStatus) -> bool:
    return status in (ConditionStatus.OPEN, ConditionStatus.RETURNED, ConditionStatus.SUBMITTED)


def can_check_evidence(status: ConditionStatus) -> bool:
    return status is ConditionStatus.SUBMITTED


def all_verified(statuses: Iterable[ConditionStatus]) -> bool:
    """:return: whether there is at least one condition and every one is verified."""
    statuses = list(statuses)
    return bool(statuses) and all(s is ConditionStatus.VERIFIED for s in statuses)


def is_overdue(status: ConditionStatus, due: date | None, today: date) -> bool:
    """A condition is overdue when its date has passed and it is not yet verified."""
    return due is not None and due < today and status is not ConditionStatus.VERIFIED
