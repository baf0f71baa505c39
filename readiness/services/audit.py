"""Audit entries: one per state change and answer edit."""
from __future__ import annotations

from typing import Any

from readiness.domain.anonymity import anonymous_change, is_anonymous_actor
from readiness.extensions import db
from readiness.models import AuditEntry, User
from readiness.observability import remember_for_log


LABEL_MAX = 200  # the column's length: a name (200) and an address (254) together can be longer


def actor_label(actor: User | str | None) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor if len(actor) <= LABEL_MAX else actor[: LABEL_MAX - 1] + "…"
    label = f"{actor.name} <{actor.email}>"
    if len(label) <= LABEL_MAX:
        return label
    room = LABEL_MAX - len(actor.email) - 4  # " <", ">" and "…"
    return f"{actor.name[:room]}… <{actor.email}>" if room > 0 else label[: LABEL_MAX - 1] + "…"


def record(
    actor: User | str | None,
    action: str,
    target: Any,
    *,
    assessment_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the session (the request commits it with the change it records).

    :param actor: the user, a label such as "respondent 12 (social worker)", or None for the system.
    :param action: dotted verb, e.g. ``assessment.close``.
    :param target: the changed model instance (its class name and id are recorded).
    """
    label = actor_label(actor)
    target_id = str(getattr(target, "id", ""))
    if is_anonymous_actor(label):
        # An anonymous respondent's change: the item and the time only (no value, comment, file or row id).
        (before, after), target_id = anonymous_change(action, after), ""
    entry = AuditEntry(
        actor_id=actor.id if isinstance(actor, User) else None,
        actor_label=label,
        action=action,
        target_type=type(target).__name__,
        target_id=target_id,
        assessment_id=assessment_id,
        before=before,
        after=after,
    )
    db.session.add(entry)
    remember_for_log(db.session(), action, {
        "actor_id": entry.actor_id, "target": f"{entry.target_type} {entry.target_id}".strip(), "assessment_id": assessment_id,
    })
    return entry
