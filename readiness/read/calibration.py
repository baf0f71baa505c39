"""The cases behind HQ's calibration page: each decided assessment with its latest closed follow-up."""
from __future__ import annotations

from sqlalchemy import select

from readiness.definitions import get_definitions
from readiness.domain.calibration import Case
from readiness.domain.followup import is_trouble, mean_number
from readiness.extensions import db
from readiness.models import Assessment, AssessmentStatus, Decision, ResultSnapshot, SnapshotFlag
from readiness.domain.decision import differs_from_recommendation
from readiness.services.results import stored_result

# Minor flags are raised on most assessments; the ones worth calibrating are those a decision weighed.
WEIGHED_SEVERITIES = ("critical", "major")


def calibration_cases() -> list[Case]:
    """:return: one case per decided assessment that has a closed follow-up (its latest one)."""
    followups = db.session.scalars(select(Assessment).where(
        Assessment.followup_of_id.is_not(None),
        Assessment.status.in_([AssessmentStatus.CLOSED, AssessmentStatus.DECIDED])))
    latest: dict[int, Assessment] = {}
    for followup in followups:
        kept = latest.get(followup.followup_of_id)  # type: ignore[arg-type]
        if kept is None or (followup.followup_months or 0) > (kept.followup_months or 0):
            latest[followup.followup_of_id] = followup  # type: ignore[index]
    return [case for baseline_id, followup in sorted(latest.items()) if (case := _case(baseline_id, followup))]


def _case(baseline_id: int, followup: Assessment) -> Case | None:
    decision = db.session.scalar(select(Decision).where(Decision.assessment_id == baseline_id))
    snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == baseline_id))
    after = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == followup.id))
    if decision is None or snapshot is None or after is None:
        return None
    questionnaire = get_definitions().questionnaire(followup.questionnaire_id, followup.questionnaire_version)
    rule = questionnaire.followup.trouble if questionnaire.followup else None
    result = stored_result(followup, after)
    hours_item = next(iter(rule.item_above), None) if rule else None
    flagged = db.session.scalars(select(SnapshotFlag.dimension_id).where(
        SnapshotFlag.snapshot_id == snapshot.id, SnapshotFlag.severity.in_(WEIGHED_SEVERITIES),
        SnapshotFlag.dimension_id.is_not(None)))
    return Case(
        assessment_id=baseline_id, recommendation=snapshot.recommendation, decision=decision.outcome.value,
        override=differs_from_recommendation(decision.outcome.value, snapshot.recommendation),
        flag_groups=frozenset(d for d in flagged if d), trouble=is_trouble(rule, result) if rule else None,
        recording_hours=mean_number(result, hours_item) if hours_item else None,
    )
