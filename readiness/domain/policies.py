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
