"""Who may do what: named, pure predicates used by views, templates and tests alike.

Each takes the acting user first (None when nobody is logged in) and starts by refusing
None, so a missing login can never be mistaken for permission.
"""
from __future__ import annotations

from typing import Any, Protocol

from readiness.domain.workflow import is_frozen


class Actor(Protocol):
    id: Any
    role: Any
    is_active: bool

    @property
    def delegation_ids(self) -> frozenset[int]: ...


ADMIN, HQ, MEMBER, COMMITTEE, CHAIR = "admin", "hq", "member", "committee", "chair"


def _role(user: Actor) -> str:
    return str(getattr(user.role, "value", user.role))


def is_admin(user: Actor | None) -> bool:
    return user is not None and user.is_active and _role(user) == ADMIN


def is_headquarters(user: Actor | None) -> bool:
    return user is not None and user.is_active and _role(user) in (ADMIN, HQ)


def can_manage_users(user: Actor | None) -> bool:
    return is_admin(user)


def needs_second_factor(user: Actor | None) -> bool:
    """Accounts that see every delegation or the committee's work must use a second factor."""
    return user is not None and _role(user) in (ADMIN, HQ, COMMITTEE, CHAIR)


def is_member_of(user: Actor | None, delegation_id: int) -> bool:
    return user is not None and user.is_active and _role(user) == MEMBER and delegation_id in user.delegation_ids


def can_view_delegation(user: Actor | None, delegation_id: int) -> bool:
    return is_headquarters(user) or is_member_of(user, delegation_id)


def can_create_assessment(user: Actor | None, delegation_id: int) -> bool:
    return is_admin(user) or is_member_of(user, delegation_id)


def can_view_assessment(user: Actor | None, assessment: Any) -> bool:
    return can_view_delegation(user, assessment.delegation_id)


def can_edit_assessment(user: Actor | None, assessment: Any) -> bool:
    """Run the assessment: invite respondents, enter figures and the charter, move its status."""
    return can_create_assessment(user, assessment.delegation_id)


def can_decide(user: Actor | None, assessment: Any) -> bool:
    """Record the go / no-go decision: the delegation's own accountable people (or an admin)."""
    return can_edit_assessment(user, assessment) and str(getattr(assessment.status, "value", assessment.status)) == "closed"


def can_amend_decision(user: Actor | None, assessment: Any, decision: Any) -> bool:
    """Amend a recorded decision: only the person who recorded it, while they still run the assessment."""
    if user is None or decision is None or decision.decided_by_id is None:
        return False
    return decision.decided_by_id == user.id and can_edit_assessment(user, assessment)


def can_view_audit(user: Actor | None, assessment: Any) -> bool:
    """The owner's delegation and headquarters see the trail of every change."""
    return can_view_assessment(user, assessment)


def can_list_delegations(user: Actor | None) -> bool:
    """Headquarters see every delegation; a member sees their own."""
    return is_headquarters(user) or (user is not None and user.is_active and _role(user) == MEMBER)


def can_collect(user: Actor | None, assessment: Any) -> bool:
    """Invite respondents, enter figures and the charter: the delegation, while the result is not frozen."""
    return can_edit_assessment(user, assessment) and not is_frozen(assessment.status)


def can_edit_actions(user: Actor | None, assessment: Any) -> bool:
    """Follow the action plan: the delegation (or an admin), once the result is frozen."""
    return can_edit_assessment(user, assessment) and is_frozen(assessment.status)

# --- Ethics committee review -------------------------------------------------------------


def is_committee(user: Actor | None) -> bool:
    """A member of the ethics committee, the chair included."""
    return user is not None and user.is_active and _role(user) in (COMMITTEE, CHAIR)


def is_chair(user: Actor | None) -> bool:
    return user is not None and user.is_active and _role(user) == CHAIR


def _status(thing: Any) -> str:
    return str(getattr(thing.status, "value", thing.status))


def can_submit_proposal(user: Actor | None, assessment: Any) -> bool:
    """Send a closed assessment to the ethics committee: the delegation (or an admin)."""
    return can_edit_assessment(user, assessment) and is_frozen(assessment.status)


def _assignment_of(user: Actor | None, proposal: Any) -> Any:
    if user is None:
        return None
    return next((a for a in proposal.assignments if a.reviewer_id == getattr(user, "id", None)), None)


# Committee confidentiality is this one rule: a committee member who belongs to the proposing
# delegation, or who declared a conflict on the proposal, neither reads its confidential parts
# nor acts on it -- the chair included. Another chair (a vice-chair has the chair role) takes over.


def is_conflicted(user: Actor | None, proposal: Any) -> bool:
    """The user is a member of the proposing delegation (now, not only when assigned) or declared a conflict."""
    if user is None:
        return True
    if proposal.delegation_id in user.delegation_ids:
        return True
    assignment = _assignment_of(user, proposal)
    return assignment is not None and assignment.has_conflict is True


def can_chair(user: Actor | None, proposal: Any) -> bool:
    """Screen, assign, decide, verify: a chair free of any conflict with this proposal."""
    return is_chair(user) and not is_conflicted(user, proposal)


def can_read_committee_comments(user: Actor | None, proposal: Any) -> bool:
    """Committee-only comments, reviewers and their marks, declarations: an unconflicted chair, and
    assigned reviewers who declared no conflict and are not in the proposing delegation."""
    if can_chair(user, proposal):
        return True
    assignment = _assignment_of(user, proposal)
    return (is_committee(user) and not is_conflicted(user, proposal)
            and assignment is not None and assignment.has_conflict is False)


def counts_as_review(assignment: Any) -> bool:
    """A submitted review by a reviewer who declared no conflict and is outside the proposing delegation.

    Only such reviews count towards the decision and reach the delegation (anonymously) in pages and letters.
    """
    return (assignment.has_conflict is False and assignment.submitted_at is not None
            and assignment.proposal.delegation_id not in assignment.reviewer.delegation_ids)


def can_view_proposal(user: Actor | None, proposal: Any) -> bool:
    """The delegation's view (no committee-only content): its delegation, headquarters, the committee readers."""
    return can_view_delegation(user, proposal.delegation_id) or can_read_committee_comments(user, proposal)


def can_screen(user: Actor | None, proposal: Any) -> bool:
    return can_chair(user, proposal) and _status(proposal) == "submitted"


def can_assign_reviewers(user: Actor | None, proposal: Any) -> bool:
    return can_chair(user, proposal) and _status(proposal) == "in_review"


def can_declare_conflicts(user: Actor | None, assignment: Any) -> bool:
    """Only the assigned reviewer makes their own declaration."""
    return is_committee(user) and assignment.reviewer_id == getattr(user, "id", None)


def can_review(user: Actor | None, assignment: Any) -> bool:
    """The assigned reviewer, once they declared no conflict of interest, while outside the proposing delegation."""
    return (can_declare_conflicts(user, assignment) and assignment.has_conflict is False
            and not is_conflicted(user, assignment.proposal))


def can_decide_proposal(user: Actor | None, proposal: Any) -> bool:
    return can_chair(user, proposal) and _status(proposal) == "in_review"


def can_verify_condition(user: Actor | None, proposal: Any) -> bool:
    return can_chair(user, proposal) and _status(proposal) == "approved_with_conditions"


def can_submit_condition_evidence(user: Actor | None, proposal: Any) -> bool:
    return can_create_assessment(user, proposal.delegation_id) and _status(proposal) == "approved_with_conditions"


_FOLLOWED = ("approved", "approved_with_conditions", "cleared", "review_reopened", "suspended")


def can_log_incident(user: Actor | None, proposal: Any) -> bool:
    """The delegation (or an admin) logs incidents against an approval the committee still follows."""
    return can_create_assessment(user, proposal.delegation_id) and _status(proposal) in _FOLLOWED


def can_change_approval(user: Actor | None, proposal: Any) -> bool:
    """Suspend, withdraw or reinstate an approval, or complete its continuing review: an unconflicted chair."""
    return can_chair(user, proposal) and _status(proposal) in _FOLLOWED


def awaits_declaration(user: Actor | None, proposal: Any) -> bool:
    """The user is assigned to review the proposal and has not declared their conflicts yet."""
    assignment = _assignment_of(user, proposal)
    return is_committee(user) and assignment is not None and assignment.has_conflict is None


def can_see_overdue_conditions(user: Actor | None) -> bool:
    """Overdue conditions stand out for the committee and headquarters."""
    return is_committee(user) or is_headquarters(user)


# --- What the audit trail shows of the ethics review ---------------------------------------

# Who was asked to review, who declared a conflict: never outside the committee.
_REVIEWERS_ONLY = frozenset({"review.assign", "review.assign_refused", "review.recuse", "review.declare_no_conflict",
                             "review.draft"})
# That a review came in, yes; who wrote it and how they marked, no.
_REVIEW_WORK = frozenset({"review.submit"})
_COMMITTEE_ONLY_FIELDS = {"proposal.screen": frozenset({"note"})}
COMMITTEE_LABEL = "ethics committee"


class _Redacted:
    """An audit entry as a reader outside the committee sees it; the stored entry is left untouched."""

    def __init__(self, entry: Any, **shown: Any) -> None:
        self._entry, self._shown = entry, shown

    def __getattr__(self, name: str) -> Any:
        return self._shown[name] if name in self._shown else getattr(self._entry, name)


def audit_entry_for(user: Actor | None, entry: Any, proposal: Any = None) -> Any:
    """:return: ``entry`` as ``user`` may see it: whole, redacted, or None (hidden).

    :param proposal: the proposal the trail is read for; a reader of its committee-only content sees
        the review whole. The delegation's and headquarters' trail passes none: they see that the
        review happened and its outcome, never who reviewed, who recused, or how anyone marked.
    """
    if proposal is not None and can_read_committee_comments(user, proposal):
        return entry
    if entry.action in _REVIEWERS_ONLY:
        return None
    if entry.action in _REVIEW_WORK:
        return _Redacted(entry, actor_label=COMMITTEE_LABEL, actor_id=None, before=None, after=None)
    hidden = _COMMITTEE_ONLY_FIELDS.get(entry.action)
    if hidden:
        return _Redacted(entry, before=_without(entry.before, hidden), after=_without(entry.after, hidden))
    return entry


def audit_actors_hidden_from(user: Actor | None, proposal: Any = None) -> frozenset[str]:
    """The audit actions whose actor ``user`` never learns (for lists of people in a trail)."""
    return audit_actions_hidden_from(user, proposal) | (frozenset() if proposal is not None and
                                                         can_read_committee_comments(user, proposal) else _REVIEW_WORK)


def audit_actions_hidden_from(user: Actor | None, proposal: Any = None) -> frozenset[str]:
    """The audit actions ``user`` never sees, for a query to leave out (so counts and pages stay right)."""
    if proposal is not None and can_read_committee_comments(user, proposal):
        return frozenset()
    return _REVIEWERS_ONLY


def _without(values: dict[str, Any] | None, keys: frozenset[str]) -> dict[str, Any] | None:
    return None if values is None else {k: v for k, v in values.items() if k not in keys}
