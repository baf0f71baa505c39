"""Reviewers and reviews: assignment without conflicts of interest, item-by-item reviews, the committee decision."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from readiness.definitions import get_definitions
from readiness.domain import proposals as workflow
from readiness.domain.proposals import DECISION_TRANSITION, ProposalStatus
from readiness.domain.review import ItemReviews, Mark, Opinion, opinions_disagree, side_by_side
from readiness.domain.policies import counts_as_review, is_conflicted
from readiness.domain.screening import Route
from readiness.extensions import db
from readiness.models import (
    CommitteeDecision,
    ItemReview,
    Proposal,
    ProposalCondition,
    ReviewerAssignment,
    Role,
    User,
    utcnow,
)
from readiness.questionnaire.schema import Charter
from readiness.services import audit
from readiness.services.ethics_continuing import start_continuing_review
from readiness.services.locking import lock

COMMITTEE_ROLES = (Role.COMMITTEE, Role.CHAIR)
# A full review needs two independent reviews; an expedited one, one.
REVIEWS_NEEDED = {Route.FULL: 2, Route.EXPEDITED: 1}


class ReviewRefused(ValueError):
    """The assignment, review or decision cannot be recorded; the message says why."""


def charter_of(proposal: Proposal) -> Charter:
    assessment = proposal.assessment
    return get_definitions().charter(assessment.charter_id, assessment.charter_version)


def committee_members() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role.in_(COMMITTEE_ROLES), User.is_active.is_(True)).order_by(User.name)
    ))


def assign_reviewer(actor: User, proposal: Proposal, reviewer: User) -> ReviewerAssignment:
    """Ask a committee member to review the proposal.

    :raise ReviewRefused: the person is not on the committee, belongs to the proposing delegation
        (a conflict of interest by position), is already assigned, or the proposal is not in review.
    """
    lock(proposal)  # a double submit waits, then finds the reviewer already assigned
    if proposal.status is not ProposalStatus.IN_REVIEW:
        raise ReviewRefused(_("Reviewers are assigned once the proposal has been screened, before the decision."))
    if reviewer.role not in COMMITTEE_ROLES or not reviewer.is_active:
        raise ReviewRefused(_("Only active committee members can review."))
    if proposal.delegation_id in reviewer.delegation_ids:
        audit.record(actor, "review.assign_refused", proposal, assessment_id=proposal.assessment_id,
                     after={"reviewer": audit.actor_label(reviewer), "reason": "member of the proposing delegation"})
        raise ReviewRefused(_("%(name)s belongs to the proposing delegation and cannot review its proposal.",
                              name=reviewer.name))
    if any(a.reviewer_id == reviewer.id for a in proposal.assignments):
        raise ReviewRefused(_("%(name)s is already assigned.", name=reviewer.name))
    assignment = ReviewerAssignment(proposal=proposal, reviewer=reviewer, assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record(actor, "review.assign", assignment, assessment_id=proposal.assessment_id,
                 after={"reviewer": audit.actor_label(reviewer), "proposal": proposal.id})
    return assignment


def declare_conflicts(actor: User, assignment: ReviewerAssignment, has_conflict: bool, note: str) -> None:
    """Record the reviewer's declaration; a conflict means they are recused and never see the proposal.

    :raise ReviewRefused: already declared, or a conflict without a description.
    """
    lock(assignment)
    if assignment.has_conflict is not None:
        raise ReviewRefused(_("You have already made your declaration."))
    if has_conflict and not note.strip():
        raise ReviewRefused(_("Describe the conflict of interest, so the chair can record the recusal."))
    assignment.has_conflict, assignment.conflict_note, assignment.declared_at = has_conflict, note.strip(), utcnow()
    db.session.flush()
    audit.record(actor, "review.recuse" if has_conflict else "review.declare_no_conflict", assignment,
                 assessment_id=assignment.proposal.assessment_id, after={"has_conflict": has_conflict})


@dataclass(frozen=True)
class ItemMark:
    mark: Mark
    comment: str = ""
    committee_comment: str = ""


def save_review(
    actor: User, assignment: ReviewerAssignment, marks: dict[str, ItemMark], *, opinion: Opinion,
    opinion_comment: str, committee_comment: str,
) -> None:
    """Record the reviewer's mark on every charter item and their overall opinion (again replaces).

    :raise ReviewRefused: a charter item is unmarked, the reviewer has not declared, or the decision is made.
    """
    lock(assignment)
    db.session.expire(assignment, ["items"])  # a double submit updates the rows the first one created
    _check_may_review(actor, assignment)
    missing = [item.id for item in charter_of(assignment.proposal).items if item.id not in marks]
    if missing:
        raise ReviewRefused(_("Mark every charter item (missing: %(items)s).", items=", ".join(missing)))
    existing = {row.item_id: row for row in assignment.items}
    for item_id, given in marks.items():
        row = existing.get(item_id) or ItemReview(item_id=item_id)
        row.mark, row.comment, row.committee_comment = given.mark, given.comment.strip(), given.committee_comment.strip()
        if item_id not in existing:
            assignment.items.append(row)
    before = assignment.opinion.value if assignment.opinion else None
    assignment.opinion, assignment.opinion_comment = opinion, opinion_comment.strip()
    assignment.committee_comment, assignment.submitted_at = committee_comment.strip(), utcnow()
    assignment.draft, assignment.draft_saved_at = None, None
    db.session.flush()
    audit.record(actor, "review.submit", assignment, assessment_id=assignment.proposal.assessment_id,
                 before={"opinion": before} if before else None,
                 after={"opinion": opinion.value, "marks": {k: v.mark.value for k, v in marks.items()}})


def _check_may_review(actor: User, assignment: ReviewerAssignment) -> None:
    if not assignment.may_read:
        raise ReviewRefused(_("Declare your conflicts of interest before reviewing."))
    if is_conflicted(actor, assignment.proposal):
        raise ReviewRefused(_("You belong to the proposing delegation and can no longer review its proposal."))
    if assignment.proposal.status is not ProposalStatus.IN_REVIEW:
        raise ReviewRefused(_("The committee has decided; reviews can no longer change."))


def save_review_draft(actor: User, assignment: ReviewerAssignment, fields: dict[str, str]) -> None:
    """Keep the reviewer's unfinished review (marks and comments as typed), to resume later; nothing is checked
    for completeness and nothing counts as a review until it is submitted.

    :param fields: form field name -> value, for the review form's own fields only.
    :raise ReviewRefused: the reviewer has not declared, is conflicted, or the decision is made.
    """
    lock(assignment)
    _check_may_review(actor, assignment)
    assignment.draft, assignment.draft_saved_at = dict(fields), utcnow()
    db.session.flush()
    # The draft's content stays out of the trail: it is not the reviewer's word yet.
    audit.record(actor, "review.draft", assignment, assessment_id=assignment.proposal.assessment_id,
                 after={"marked": sum(1 for k, v in fields.items() if k.startswith("mark_") and v)})


def submitted_reviews(proposal: Proposal) -> list[ReviewerAssignment]:
    return [a for a in proposal.assignments if counts_as_review(a)]


@dataclass(frozen=True)
class Comparison:
    reviewers: list[str]
    rows: list[ItemReviews]
    comments: dict[tuple[str, str], ItemReview]  # (reviewer, item) -> the reviewer's row
    opinions: dict[str, Opinion]
    opinions_disagree: bool


def compare_reviews(proposal: Proposal) -> Comparison:
    """Every submitted review side by side, item by item, with disagreements marked."""
    reviews = submitted_reviews(proposal)
    marks = {a.reviewer.name: {row.item_id: row.mark for row in a.items} for a in reviews}
    rows = side_by_side([item.id for item in charter_of(proposal).items], marks)
    comments = {(a.reviewer.name, row.item_id): row for a in reviews for row in a.items}
    opinions = {a.reviewer.name: a.opinion for a in reviews if a.opinion is not None}
    return Comparison(sorted(marks), rows, comments, opinions, opinions_disagree(opinions))


@dataclass(frozen=True)
class ConditionInput:
    text: str
    owner: str
    due_date: date
    evidence_required: str


def record_committee_decision(
    actor: User, proposal: Proposal, outcome: Opinion, rationale: str, conditions: list[ConditionInput],
    review_interval_months: int | None = None,
) -> CommitteeDecision:
    """Decide on the proposal; conditions come only with "approved with conditions" and need all their parts.

    An approval starts its continuing review: ``review_interval_months`` (the policy's interval when None).

    :raise ReviewRefused: too few reviews for the route, no rationale, conditions missing or out of place,
        or a condition due before the decision date.
    :raise ProposalTransitionNotAllowed: the proposal is decided already (a double submit, once the first is in).
    """
    lock(proposal)
    needed = REVIEWS_NEEDED[proposal.route or Route.FULL]
    if len(submitted_reviews(proposal)) < needed:
        raise ReviewRefused(_("This route needs %(n)d submitted review(s) before the decision.", n=needed))
    if not rationale.strip():
        raise ReviewRefused(_("Give the rationale for the decision."))
    if (outcome is Opinion.APPROVE_WITH_CONDITIONS) != bool(conditions):
        raise ReviewRefused(_("Conditions go with “approved with conditions”, which needs at least one."))
    decided_at = utcnow()
    if any(given.due_date < decided_at.date() for given in conditions):
        raise ReviewRefused(_("A condition cannot be due before the decision date (%(date)s).",
                              date=decided_at.date().isoformat()))
    proposal.status = workflow.advance(proposal.status, DECISION_TRANSITION[outcome])
    decision = CommitteeDecision(proposal=proposal, outcome=outcome, rationale=rationale.strip(),
                                 decided_by_id=actor.id, decided_by_name=actor.name, decided_at=decided_at)
    db.session.add(decision)
    if proposal.status in workflow.APPROVALS:
        start_continuing_review(proposal, review_interval_months, decided_at.date())
    for given in conditions:
        proposal.conditions.append(ProposalCondition(text=given.text.strip(), owner=given.owner.strip(),
                                                     due_date=given.due_date, evidence_required=given.evidence_required.strip()))
    db.session.flush()
    audit.record(actor, "proposal.decide", decision, assessment_id=proposal.assessment_id,
                 after={"outcome": outcome.value, "status": proposal.status.value,
                        "review_due": proposal.review_due.isoformat() if proposal.review_due else None,
                        "conditions": [_condition_json(c) for c in proposal.conditions]})
    return decision


def _condition_json(condition: ProposalCondition) -> dict[str, Any]:
    return {"text": condition.text, "owner": condition.owner, "due": condition.due_date.isoformat(),
            "evidence": condition.evidence_required}


def assignments_for(reviewer: User) -> list[ReviewerAssignment]:
    """The reviewer's assignments on proposals still in review, oldest first."""
    return list(db.session.scalars(
        select(ReviewerAssignment).join(Proposal)
        .where(ReviewerAssignment.reviewer_id == reviewer.id, Proposal.status == ProposalStatus.IN_REVIEW)
        .order_by(ReviewerAssignment.assigned_at)
    ))
