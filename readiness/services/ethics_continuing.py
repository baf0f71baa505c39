"""Continuing ethics review after approval: the review interval, incidents, reopening, suspension, withdrawal."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from readiness.definitions import get_definitions
from readiness.domain import proposals as workflow
from readiness.domain.incidents import (
    SCALE,
    IncidentKind,
    ReviewState,
    RiskCell,
    SeriousRule,
    is_serious,
    review_due_date,
    review_state,
    risk_map,
)
from readiness.domain.proposals import ProposalTransition
from readiness.extensions import db
from readiness.models import Incident, Proposal, User, utcnow
from readiness.questionnaire.schema import ContinuingReview
from readiness.services import audit
from readiness.services.locking import lock


class ApprovalRefused(ValueError):
    """The incident or the change of approval cannot be recorded; the message says why."""


def _charter_item_ids(proposal: Proposal) -> set[str]:
    assessment = proposal.assessment
    return {item.id for item in get_definitions().charter(assessment.charter_id, assessment.charter_version).items}


def policy() -> ContinuingReview:
    """The continuing-review part of the screening policy file in force."""
    return get_definitions().latest_screening().continuing_review


def serious_rule() -> SeriousRule:
    settings = policy()
    return SeriousRule(severity=settings.serious_severity, score=settings.serious_score)


def start_continuing_review(proposal: Proposal, interval_months: int | None, on: date) -> None:
    """Set the review interval and first due date of a new approval (the policy's interval unless the chair set one)."""
    months = interval_months or policy().interval_months
    proposal.review_interval_months, proposal.review_due = months, review_due_date(on, months)


def state_of(proposal: Proposal, today: date) -> ReviewState:
    return review_state(proposal.review_due, today, policy().notice_days)


@dataclass(frozen=True)
class IncidentInput:
    item_id: str
    kind: IncidentKind
    likelihood: int
    severity: int
    description: str
    occurred_on: date


def log_incident(actor: User, proposal: Proposal, given: IncidentInput, today: date | None = None) -> Incident:
    """Record an incident against a charter item; a serious one reopens the review of an approval.

    :raise ApprovalRefused: the item is not in the proposal's charter, a scale value is out of 1–5,
        the description is empty, the date is in the future, or the proposal is not an approval.
    """
    lock(proposal)
    today = today or utcnow().date()
    if proposal.status not in workflow.UNDER_CONTINUING_REVIEW:
        raise ApprovalRefused(_("Incidents are logged against an approved proposal."))
    if given.item_id not in _charter_item_ids(proposal):
        raise ApprovalRefused(_("Choose the charter commitment the incident concerns."))
    if given.likelihood not in SCALE or given.severity not in SCALE:
        raise ApprovalRefused(_("Likelihood and severity go from 1 to 5."))
    if not given.description.strip():
        raise ApprovalRefused(_("Describe what happened."))
    if given.occurred_on > today:
        raise ApprovalRefused(_("The incident's date cannot be in the future."))
    serious = is_serious(given.likelihood, given.severity, serious_rule())
    incident = Incident(proposal=proposal, item_id=given.item_id, kind=given.kind, likelihood=given.likelihood,
                        severity=given.severity, serious=serious, description=given.description.strip(),
                        occurred_on=given.occurred_on, reported_by_id=actor.id)
    db.session.add(incident)
    db.session.flush()
    audit.record(actor, "incident.log", incident, assessment_id=proposal.assessment_id,
                 after={"item": given.item_id, "kind": given.kind.value, "likelihood": given.likelihood,
                        "severity": given.severity, "serious": serious})
    if serious and proposal.status in workflow.APPROVALS:
        reopen(actor, proposal, _("A serious incident was logged."))
    return incident


def reopen(actor: User | str | None, proposal: Proposal, reason: str) -> None:
    """Reopen the review of an approval (a serious incident, or an overdue continuing review)."""
    before = proposal.status.value
    proposal.status = workflow.advance(proposal.status, ProposalTransition.REOPEN)
    proposal.status_reason = reason
    db.session.flush()
    audit.record(actor, "proposal.reopen", proposal, assessment_id=proposal.assessment_id,
                 before={"status": before}, after={"status": proposal.status.value, "reason": reason})


def reopen_overdue(today: date) -> list[Proposal]:
    """Reopen every approval whose continuing review is overdue (run by ``flask ethics remind``).

    :return: the proposals reopened.
    """
    due = db.session.scalars(select(Proposal).where(
        Proposal.status.in_(workflow.APPROVALS), Proposal.review_due.is_not(None), Proposal.review_due < today))
    reopened = []
    for proposal in due:
        reopen("system", proposal, _("The continuing review was due on %(date)s.", date=proposal.review_due.isoformat() if proposal.review_due else ""))
        reopened.append(proposal)
    return reopened


CHANGES = {"suspend": ProposalTransition.SUSPEND, "withdraw": ProposalTransition.WITHDRAW}


def change_approval(actor: User, proposal: Proposal, action: str, reason: str, today: date | None = None) -> None:
    """The chair suspends, withdraws or reinstates an approval, or completes its continuing review.

    Reinstating (or completing a review) returns the approval to what its conditions allow and sets
    the next review date one interval from today.

    :param action: "suspend", "withdraw" or "reinstate".
    :raise ApprovalRefused: no reason given, or an unknown action.
    :raise ProposalTransitionNotAllowed: the proposal's status does not allow it.
    """
    lock(proposal)
    if not reason.strip():
        raise ApprovalRefused(_("Give the reason; the delegation reads it with the status."))
    before = proposal.status.value
    if action == "reinstate":
        proposal.status = workflow.reinstated(proposal.status, [c.status for c in proposal.conditions])
        start_continuing_review(proposal, proposal.review_interval_months, today or utcnow().date())
    elif action in CHANGES:
        proposal.status = workflow.advance(proposal.status, CHANGES[action])
    else:
        raise ApprovalRefused(_("Choose to suspend, withdraw or reinstate."))
    proposal.status_reason = reason.strip()
    db.session.flush()
    audit.record(actor, f"proposal.{action}", proposal, assessment_id=proposal.assessment_id,
                 before={"status": before}, after={"status": proposal.status.value, "reason": proposal.status_reason,
                                                   "review_due": proposal.review_due.isoformat() if proposal.review_due else None})


def proposal_risk_map(proposal: Proposal) -> list[list[RiskCell]]:
    """The likelihood × severity grid of the proposal's incidents."""
    return risk_map([(i.likelihood, i.severity) for i in proposal.incidents], serious_rule())


def followed_approvals() -> list[Proposal]:
    """Approvals the committee still follows, the next review first."""
    return list(db.session.scalars(
        select(Proposal).where(Proposal.status.in_(workflow.UNDER_CONTINUING_REVIEW))
        .order_by(Proposal.review_due.is_(None), Proposal.review_due, Proposal.id)
    ))
