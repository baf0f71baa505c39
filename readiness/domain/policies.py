"""Who may do what: named, pure predicates used by views, templates and tests alike.

Each takes the acting user first (None when nobody is logged in) and starts by refusing
None, so a missing login can never be mistaken for permission.
"""
from __future__ import annotations

from typing import Any, Protocol


class Actor(Protocol):
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


def can_view_audit(user: Actor | None, assessment: Any) -> bool:
    """The owner's delegation and headquarters see the trail of every change."""
    return can_view_assessment(user, assessment)


def can_list_delegations(user: Actor | None) -> bool:
    """Headquarters see every delegation; a member sees their own."""
    return is_headquarters(user) or (user is not None and user.is_active and _role(user) == MEMBER)


def can_collect(user: Actor | None, assessment: Any) -> bool:
    """Invite respondents, enter figures and the charter: the delegation, while the result is not frozen."""
    status = str(getattr(assessment.status, "value", assessment.status))
    return can_edit_assessment(user, assessment) and status in ("draft", "collecting")


def can_edit_actions(user: Actor | None, assessment: Any) -> bool:
    """Follow the action plan: the delegation (or an admin), once the result is frozen."""
    status = str(getattr(assessment.status, "value", assessment.status))
    return can_edit_assessment(user, assessment) and status in ("closed", "decided")

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
    return can_edit_assessment(user, assessment) and _status(assessment) in ("closed", "decided")


def _assignment_of(user: Actor | None, proposal: Any) -> Any:
    if user is None:
        return None
    return next((a for a in proposal.assignments if a.reviewer_id == getattr(user, "id", None)), None)


def can_read_committee_comments(user: Actor | None, proposal: Any) -> bool:
    """Committee-only comments and conflict declarations: the chair and reviewers who declared no conflict."""
    if is_chair(user):
        return True
    assignment = _assignment_of(user, proposal)
    return is_committee(user) and assignment is not None and assignment.has_conflict is False


def can_view_proposal(user: Actor | None, proposal: Any) -> bool:
    """The delegation's view (no committee-only content): its delegation, headquarters, the committee readers."""
    return can_view_delegation(user, proposal.delegation_id) or can_read_committee_comments(user, proposal)


def can_screen(user: Actor | None, proposal: Any) -> bool:
    return is_chair(user) and _status(proposal) == "submitted"


def can_assign_reviewers(user: Actor | None, proposal: Any) -> bool:
    return is_chair(user) and _status(proposal) == "in_review"


def can_declare_conflicts(user: Actor | None, assignment: Any) -> bool:
    """Only the assigned reviewer makes their own declaration."""
    return is_committee(user) and assignment.reviewer_id == getattr(user, "id", None)


def can_review(user: Actor | None, assignment: Any) -> bool:
    """The assigned reviewer, once they declared no conflict of interest."""
    return can_declare_conflicts(user, assignment) and assignment.has_conflict is False


def can_decide_proposal(user: Actor | None, proposal: Any) -> bool:
    return is_chair(user) and _status(proposal) == "in_review"


def can_verify_condition(user: Actor | None, proposal: Any) -> bool:
    return is_chair(user) and _status(proposal) == "approved_with_conditions"


def can_submit_condition_evidence(user: Actor | None, proposal: Any) -> bool:
    return can_create_assessment(user, proposal.delegation_id) and _status(proposal) == "approved_with_conditions"


def can_see_overdue_conditions(user: Actor | None) -> bool:
    """Overdue conditions stand out for the committee and headquarters."""
    return is_committee(user) or is_headquarters(user)
