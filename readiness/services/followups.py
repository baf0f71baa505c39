"""Follow-ups after go-live: the go-live date, starting a due follow-up, and what changed since the baseline.

A follow-up is an assessment pinned to the follow-up questionnaire that names the decided
assessment it follows: respondents, links, answers, figures and closing are the same as for
any assessment. Nothing commits here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from readiness.definitions import get_definitions
from readiness.domain.followup import DUE, Change, Scheduled, compare, mean_number, schedule
from readiness.domain.result import Result
from readiness.domain.workflow import Status
from readiness.extensions import db
from readiness.models import ActionItem, ActionStatus, Assessment, Decision, Outcome, ResultSnapshot, User
from readiness.models.types import utctoday
from readiness.questionnaire.schema import Questionnaire
from readiness.services import audit
from readiness.services.assessments import start_assessment
from readiness.services.locking import lock
from readiness.services.results import compute_result, stored_result

GOING_AHEAD = (Outcome.GO, Outcome.GO_WITH_CONDITIONS)
CLOSED = (Status.CLOSED, Status.DECIDED)


class FollowupRefused(ValueError):
    """The follow-up cannot be started (not due, no go-live date, no follow-up questionnaire)."""


def followup_questionnaire(baseline_questionnaire_id: str) -> Questionnaire | None:
    """:return: the latest follow-up questionnaire that follows ``baseline_questionnaire_id``, if any."""
    found = [q for q in get_definitions().questionnaires.values()
             if q.followup is not None and q.followup.follows == baseline_questionnaire_id]
    return max(found, key=lambda q: tuple(int(p) for p in q.version.split(".")), default=None)


def decision_for(assessment: Assessment) -> Decision | None:
    return db.session.scalar(select(Decision).where(Decision.assessment_id == assessment.id))


def followups_of(baseline: Assessment) -> dict[int, Assessment]:
    """:return: the baseline's follow-ups by months after go-live."""
    rows = db.session.scalars(select(Assessment).where(Assessment.followup_of_id == baseline.id))
    return {row.followup_months: row for row in rows if row.followup_months is not None}


def plan(baseline: Assessment, today: date | None = None) -> list[Scheduled]:
    """:return: the baseline's follow-ups and where each stands; empty without a go-ahead and a go-live date."""
    decision = decision_for(baseline)
    questionnaire = followup_questionnaire(baseline.questionnaire_id)
    if decision is None or decision.go_live_on is None or decision.outcome not in GOING_AHEAD or questionnaire is None:
        return []
    started = {months: f.status in CLOSED for months, f in followups_of(baseline).items()}
    return schedule(decision.go_live_on, questionnaire.followup.months, started, today or utctoday())  # type: ignore[union-attr]


def set_go_live(actor: User, decision: Decision, day: date) -> None:
    """Record when the tool went or goes live; follow-ups fall due from it."""
    before = decision.go_live_on.isoformat() if decision.go_live_on else None
    decision.go_live_on = day
    db.session.flush()
    audit.record(actor, "decision.go_live", decision, assessment_id=decision.assessment_id,
                 before={"go_live_on": before}, after={"go_live_on": day.isoformat()})


def start_followup(actor: User, baseline: Assessment, months: int, today: date | None = None) -> Assessment:
    """Create the draft follow-up due ``months`` after go-live, pinned to the follow-up questionnaire.

    :raise FollowupRefused: the follow-up is not due yet, already started, or cannot exist.
    """
    lock(baseline)
    entry = next((s for s in plan(baseline, today) if s.months == months), None)
    if entry is None or entry.state != DUE:
        raise FollowupRefused(_("This follow-up is not due, or has already been started."))
    questionnaire = followup_questionnaire(baseline.questionnaire_id)
    assert questionnaire is not None  # plan() is empty without one
    followup = start_assessment(
        actor, baseline.delegation, title=_("%(title)s: follow-up at %(months)d months", title=baseline.title, months=months),
        tool_name=baseline.tool_name, scope=baseline.scope, questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version, followup_of=baseline, followup_months=months,
    )
    audit.record(actor, "followup.start", followup, assessment_id=baseline.id,
                 after={"followup_id": followup.id, "months": months, "due_on": entry.due_on.isoformat()})
    return followup


def result_of(assessment: Assessment) -> Result:
    """:return: the frozen result once closed, else the live one; anonymity kept either way."""
    snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
    return stored_result(assessment, snapshot) if snapshot is not None else compute_result(assessment)


@dataclass(frozen=True)
class Comparison:
    baseline: Assessment
    followup: Assessment
    questionnaire: Questionnaire
    changes: list[Change]
    followup_result: Result
    open_conditions: list[ActionItem]
    conditions_text: str  # the decision's conditions as written
    hours: float | None = None  # mean hours a week on the tool, as respondents gave them
    hours_limit: float | None = None  # above it, the questionnaire reads trouble

    @property
    def final(self) -> bool:
        """Whether the follow-up is closed, so its figures no longer change."""
        return self.followup.status in CLOSED


def comparison(followup: Assessment) -> Comparison:
    """Set a follow-up against its baseline: dimensions and figures, and the conditions still open."""
    baseline = db.session.get(Assessment, followup.followup_of_id)
    assert baseline is not None
    questionnaire = get_definitions().questionnaire(followup.questionnaire_id, followup.questionnaire_version)
    after = result_of(followup)
    changes = compare(result_of(baseline), after, questionnaire.indicators)
    open_actions = list(db.session.scalars(select(ActionItem).where(
        ActionItem.assessment_id == baseline.id, ActionItem.source == "condition",
        ActionItem.status.in_([ActionStatus.OPEN, ActionStatus.IN_PROGRESS])).order_by(ActionItem.id)))
    decision = decision_for(baseline)
    trouble = questionnaire.followup.trouble if questionnaire.followup else None
    hours_item = next(iter(trouble.item_above), None) if trouble else None
    return Comparison(baseline, followup, questionnaire, changes, after, open_actions, decision.conditions if decision else "",
                      hours=mean_number(after, hours_item) if hours_item else None,
                      hours_limit=trouble.item_above.get(hours_item) if trouble and hours_item else None)


def comparisons(baseline: Assessment, closed_only: bool = False) -> list[Comparison]:
    """:param closed_only: only the follow-ups done (closed), whose figures no longer change.
    :return: each follow-up of ``baseline`` set against it, by months after go-live.
    """
    found = sorted(followups_of(baseline).items())
    return [comparison(f) for _months, f in found if not closed_only or f.status in CLOSED]
