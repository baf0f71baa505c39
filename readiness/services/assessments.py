"""Use cases of an assessment's life. Each takes the actor, flushes, audits, and never commits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from readiness.definitions import get_definitions
from readiness.domain.policies import is_headquarters
from readiness.domain.workflow import Status, Transition, advance
from readiness.extensions import db
from readiness.models import Assessment, Delegation, User
from readiness.models.types import utcnow
from readiness.services import audit
from readiness.services.current_results import refresh_current_result
from readiness.services.locking import lock
from readiness.services.results import compute_result, score_intervals, store_snapshot

_TIMESTAMP = {Status.COLLECTING: "collecting_at", Status.CLOSED: "closed_at", Status.DECIDED: "decided_at"}


def start_assessment(
    actor: User | None,
    delegation: Delegation,
    *,
    title: str,
    tool_name: str,
    scope: str = "",
    target_go_live: date | None = None,
    questionnaire_version: str | None = None,
    questionnaire_id: str = "readiness",
    followup_of: Assessment | None = None,
    followup_months: int | None = None,
) -> Assessment:
    """Create a draft assessment pinned to a questionnaire version and the latest charter.

    :param followup_of: for a follow-up after go-live, the decided assessment it follows.
    :raise KeyError: when the questionnaire version is not loaded.
    """
    definitions = get_definitions()
    questionnaire = (
        definitions.questionnaire(questionnaire_id, questionnaire_version)
        if questionnaire_version
        else definitions.latest_questionnaire(questionnaire_id)
    )
    charter = definitions.latest_charter()
    assessment = Assessment(
        delegation=delegation,
        title=title,
        tool_name=tool_name,
        scope=scope,
        target_go_live=target_go_live,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        charter_id=charter.id,
        charter_version=charter.version,
        status=Status.DRAFT,
        created_by=actor,
        followup_of_id=followup_of.id if followup_of is not None else None,
        followup_months=followup_months,
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(actor, "assessment.create", assessment, assessment_id=assessment.id, after=_summary(assessment))
    return assessment


def _summary(assessment: Assessment) -> dict[str, object]:
    return {
        "title": assessment.title,
        "tool_name": assessment.tool_name,
        "status": assessment.status.value,
        "questionnaire": f"{assessment.questionnaire_id} {assessment.questionnaire_version}",
    }


def _move(actor: User | None, assessment: Assessment, transition: Transition) -> None:
    # Saves in flight finish first (or see the new status and are refused): the snapshot misses none.
    lock(assessment)
    before = assessment.status
    after = advance(before, transition)
    assessment.status = after
    if after in _TIMESTAMP:
        setattr(assessment, _TIMESTAMP[after], utcnow())
    db.session.flush()
    audit.record(
        actor,
        f"assessment.{transition.value}",
        assessment,
        assessment_id=assessment.id,
        before={"status": before.value},
        after={"status": after.value},
    )


def open_assessment(actor: User | None, assessment: Assessment) -> None:
    """Start collecting answers. :raise TransitionNotAllowed: unless the assessment is a draft."""
    _move(actor, assessment, Transition.OPEN)


def close_assessment(actor: User | None, assessment: Assessment) -> None:
    """Stop collecting and freeze the result as the assessment's snapshot.

    :raise TransitionNotAllowed: unless the assessment is collecting.
    """
    _move(actor, assessment, Transition.CLOSE)
    snapshot = store_snapshot(assessment, compute_result(assessment), score_intervals(assessment))
    audit.record(
        actor,
        "result.snapshot",
        snapshot,
        assessment_id=assessment.id,
        after={"recommendation": snapshot.recommendation, "rule": snapshot.rule_id},
    )
    refresh_current_result(assessment.delegation_id)


def reopen_assessment(actor: User | None, assessment: Assessment) -> None:
    """Collect again after a close made by mistake; the next close replaces the snapshot.

    :raise TransitionNotAllowed: unless the assessment is closed.
    """
    _move(actor, assessment, Transition.REOPEN)
    refresh_current_result(assessment.delegation_id)


def move_assessment(actor: User | None, assessment: Assessment, transition: Transition) -> None:
    """Apply a transition chosen on the assessment page.

    :raise TransitionNotAllowed: when the assessment's status does not allow it.
    :raise ValueError: for a transition that has its own page (the decision).
    """
    actions = {Transition.OPEN: open_assessment, Transition.CLOSE: close_assessment, Transition.REOPEN: reopen_assessment}
    if transition not in actions:
        raise ValueError(f"{transition.value} is not done from the assessment page")
    actions[transition](actor, assessment)


# --- Read side: what the delegation pages list ---------------------------------------


def visible_delegations(user: User) -> list[Delegation]:
    """Headquarters see every delegation; a member sees the ones they belong to."""
    if is_headquarters(user):
        return list(db.session.scalars(select(Delegation).order_by(Delegation.name)))
    return list(user.delegations)
