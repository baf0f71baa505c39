"""Conditions of an ethics approval: the delegation's evidence, the chair's check, clearance, overdue ones."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from readiness.domain import proposals as workflow
from readiness.domain.proposals import ConditionStatus, ProposalStatus, ProposalTransition
from readiness.extensions import db
from readiness.models import Delegation, Proposal, ProposalCondition, User, utcnow
from readiness.services import audit
from readiness.services.ethics import ProposalRefused, Upload, check_uploads, store_files
from readiness.services.locking import check_version, lock


def submit_evidence(
    actor: User, condition: ProposalCondition, note: str, uploads: list[Upload], *, version: int | None = None,
) -> None:
    """The delegation shows how it met a condition: a note, files, or both.

    :param version: the condition's ``version_id`` the page showed; ``None`` skips the check.
    :raise EditConflict: the condition changed since it was shown.
    :raise ProposalRefused: nothing given, a file refused, or the condition is already verified.
    """
    lock(condition)
    check_version(condition, version)
    if not workflow.can_submit_evidence(condition.status) or condition.proposal.status is not ProposalStatus.CONDITIONS:
        raise ProposalRefused(_("This condition is no longer waiting for evidence."))
    if not note.strip() and not uploads:
        raise ProposalRefused(_("Attach a file or describe the evidence."))
    checked = check_uploads(uploads)
    before = condition.status.value
    condition.status, condition.evidence_note, condition.evidence_at = ConditionStatus.SUBMITTED, note.strip(), utcnow()
    store_files(actor, condition.proposal, checked, condition_id=condition.id)
    audit.record(actor, "condition.submit_evidence", condition, assessment_id=condition.proposal.assessment_id,
                 before={"status": before}, after={"status": "submitted", "files": [u.filename for u, _ in checked]})


def verify_condition(actor: User, condition: ProposalCondition, *, version: int | None = None) -> bool:
    """Accept the evidence; when it was the last condition, the proposal is cleared.

    :param version: the condition's ``version_id`` the chair saw; ``None`` skips the check.
    :return: whether the proposal is now cleared.
    :raise EditConflict: the condition changed since it was shown.
    :raise ProposalRefused: no evidence is waiting for a check.
    """
    _check_waiting(condition, version)
    condition.status, condition.checked_by_id, condition.checked_at = ConditionStatus.VERIFIED, actor.id, utcnow()
    condition.return_reason = ""
    db.session.flush()
    proposal = condition.proposal
    audit.record(actor, "condition.verify", condition, assessment_id=proposal.assessment_id, after={"status": "verified"})
    if not workflow.all_verified(c.status for c in proposal.conditions):
        return False
    proposal.status = workflow.advance(proposal.status, ProposalTransition.CLEAR)
    proposal.cleared_at = utcnow()
    db.session.flush()
    audit.record(actor, "proposal.clear", proposal, assessment_id=proposal.assessment_id, after={"status": "cleared"})
    return True


def return_condition(actor: User, condition: ProposalCondition, reason: str, *, version: int | None = None) -> None:
    """Send the evidence back with what is missing.

    :param version: the condition's ``version_id`` the chair saw; ``None`` skips the check.
    :raise EditConflict: the condition changed since it was shown.
    :raise ProposalRefused: no reason, or no evidence waiting.
    """
    _check_waiting(condition, version)
    if not reason.strip():
        raise ProposalRefused(_("Say what is missing, so the delegation can act on it."))
    condition.status, condition.return_reason = ConditionStatus.RETURNED, reason.strip()
    condition.checked_by_id, condition.checked_at = actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "condition.return", condition, assessment_id=condition.proposal.assessment_id,
                 after={"status": "returned", "reason": condition.return_reason})


def _check_waiting(condition: ProposalCondition, version: int | None) -> None:
    lock(condition)
    check_version(condition, version)
    if not workflow.can_check_evidence(condition.status):
        raise ProposalRefused(_("There is no evidence waiting for a check on this condition."))


@dataclass(frozen=True)
class OverdueCondition:
    condition: ProposalCondition
    proposal: Proposal
    delegation: Delegation
    days_late: int


def overdue_conditions(today: date | None = None, delegation_ids: frozenset[int] | None = None) -> list[OverdueCondition]:
    """Unverified conditions past their date on current proposals, most late first.

    :param delegation_ids: limit to these delegations (None: all).
    """
    today = today or utcnow().date()
    query = (
        select(ProposalCondition, Proposal, Delegation)
        .join(Proposal, ProposalCondition.proposal_id == Proposal.id)
        .join(Delegation, Proposal.delegation_id == Delegation.id)
        .where(ProposalCondition.due_date < today, ProposalCondition.status != ConditionStatus.VERIFIED,
               # A reopened or suspended approval still owes its conditions.
               Proposal.status.in_([ProposalStatus.CONDITIONS, ProposalStatus.REOPENED, ProposalStatus.SUSPENDED]))
        .order_by(ProposalCondition.due_date)
    )
    if delegation_ids is not None:
        query = query.where(Proposal.delegation_id.in_(delegation_ids))
    return [OverdueCondition(c, p, d, (today - c.due_date).days) for c, p, d in db.session.execute(query)]


def evidence_waiting() -> list[ProposalCondition]:
    """Conditions whose evidence waits for the chair's check, the longest waiting first: the chair's queue."""
    return list(db.session.scalars(
        select(ProposalCondition).join(Proposal, ProposalCondition.proposal_id == Proposal.id)
        .where(ProposalCondition.status == ConditionStatus.SUBMITTED, Proposal.status == ProposalStatus.CONDITIONS)
        .order_by(ProposalCondition.evidence_at, ProposalCondition.id)
    ))
