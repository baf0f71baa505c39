"""Recording the go / no-go decision: by a named person, next to what the tool recommended."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from readiness.domain.workflow import Transition
from readiness.extensions import db
from readiness.models import Assessment, Decision, DecisionAmendment, Outcome, ResultSnapshot, User
from readiness.domain.decision import differs_from_recommendation
from readiness.services import audit
from readiness.services.assessments import _move
from readiness.services.current_results import refresh_current_result
from readiness.services.locking import check_version, lock


class DecisionRefused(ValueError):
    """The decision cannot be recorded as given; ``field`` names the input at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def recommendation_for(assessment: Assessment) -> str | None:
    """:return: the frozen recommendation of a closed assessment, or None before it closes."""
    return db.session.scalar(
        select(ResultSnapshot.recommendation).where(ResultSnapshot.assessment_id == assessment.id)
    )


def record_decision(
    actor: User | None,
    assessment: Assessment,
    *,
    outcome: Outcome,
    decided_by_name: str,
    rationale: str,
    conditions: str = "",
    override_reason: str | None = None,
    version: int | None = None,
    go_live_on: date | None = None,
) -> Decision:
    """Record the decision and move the assessment from closed to decided.

    :param go_live_on: when the tool goes live; follow-ups fall due from it (it can be given later).
    :param outcome: what the accountable person decided.
    :param override_reason: required when ``outcome`` differs from the recommendation; ignored otherwise.
    :param version: the assessment's ``version_id`` the decider saw; ``None`` skips the check.
    :raise EditConflict: the assessment changed since it was shown (a double submit, once the first is in).
    :raise DecisionRefused: a required text is missing or there is no frozen result to decide on.
    :raise TransitionNotAllowed: the assessment is not closed (still collecting, or already decided).
    """
    lock(assessment)
    check_version(assessment, version)
    if assessment.followup_of_id is not None:
        raise DecisionRefused(_("A follow-up is not decided on: compare it with its readiness baseline instead."))
    recommended = recommendation_for(assessment)
    if recommended is None:
        raise DecisionRefused(_("The assessment has no frozen result yet; close it before deciding."))
    override = differs_from_recommendation(outcome.value, recommended)
    _check(outcome, decided_by_name, rationale, conditions, override_reason if override else "-")
    _move(actor, assessment, Transition.DECIDE)
    decision = Decision(
        assessment_id=assessment.id,
        outcome=outcome,
        decided_by_name=decided_by_name.strip(),
        decided_by_id=actor.id if actor else None,
        rationale=rationale.strip(),
        conditions=conditions.strip(),
        recommendation_at_decision=recommended,
        go_live_on=go_live_on,
        override_reason=override_reason.strip() if override and override_reason else None,
    )
    db.session.add(decision)
    db.session.flush()
    refresh_current_result(assessment.delegation_id)
    audit.record(actor, "decision.record", decision, assessment_id=assessment.id, before={"recommendation": recommended},
                 after=_summary(decision))
    return decision


def amend_decision(
    actor: User, decision: Decision, *, outcome: Outcome, rationale: str, conditions: str,
    override_reason: str | None, reason: str,
) -> DecisionAmendment:
    """Change a recorded decision, keeping what it was and why it changed.

    :param reason: why the decision is amended (required).
    :raise DecisionRefused: a required text is missing.
    """
    if not reason.strip():
        raise DecisionRefused(_("Say why the decision is amended."), "reason")
    override = differs_from_recommendation(outcome.value, decision.recommendation_at_decision)
    _check(outcome, decision.decided_by_name, rationale, conditions, override_reason if override else "-")
    before = _summary(decision)
    decision.outcome, decision.rationale, decision.conditions = outcome, rationale.strip(), conditions.strip()
    decision.override_reason = override_reason.strip() if override and override_reason else None
    amendment = DecisionAmendment(decision_id=decision.id, amended_by_id=actor.id, amended_by_name=actor.name,
                                  reason=reason.strip(), before=before, after=_summary(decision))
    db.session.add(amendment)
    db.session.flush()
    audit.record(actor, "decision.amend", decision, assessment_id=decision.assessment_id, before=before,
                 after=_summary(decision) | {"reason": amendment.reason})
    return amendment


def _check(outcome: Outcome, name: str, rationale: str, conditions: str, override_reason: str | None) -> None:
    if not name.strip():
        raise DecisionRefused(_("Name the person accountable for the decision."), "decided_by_name")
    if not rationale.strip():
        raise DecisionRefused(_("Give the rationale for the decision."), "rationale")
    if outcome is Outcome.GO_WITH_CONDITIONS and not conditions.strip():
        raise DecisionRefused(_("List the conditions of a go with conditions."), "conditions")
    if not (override_reason or "").strip():
        raise DecisionRefused(_("The decision differs from the recommendation: give the reason."), "override_reason")


def _summary(decision: Decision) -> dict[str, object]:
    return {
        "outcome": decision.outcome.value,
        "decided_by": decision.decided_by_name,
        "rationale": decision.rationale,
        "conditions": decision.conditions,
        "override_reason": decision.override_reason,
        "go_live_on": decision.go_live_on.isoformat() if decision.go_live_on else None,
    }
