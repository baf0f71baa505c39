"""Read what a report needs from the database and hand it to the pure ``build_report``."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from readiness.domain.result import Result, result_from_json
from readiness.domain.workflow import is_frozen
from readiness.extensions import db
from readiness.models import Assessment, Decision, ResultSnapshot
from readiness.models.types import utcnow
from readiness.services.actions import actions_of
from readiness.services.results import compute_result, definitions_for

from .data import AssessmentMeta, ReportData, build_report


def result_for(assessment: Assessment) -> tuple[Result, datetime | None]:
    """:return: the frozen snapshot's result and when it was taken; while collecting, a live preview and None."""
    snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
    if snapshot is not None and is_frozen(assessment.status):
        return result_from_json(snapshot.result), snapshot.computed_at
    return compute_result(assessment), None


def decision_of(assessment: Assessment) -> Decision | None:
    return db.session.scalar(select(Decision).where(Decision.assessment_id == assessment.id))


def load_report(assessment: Assessment, lang: str, now: datetime | None = None) -> ReportData:
    """:return: the assessment's report in ``lang``, from its snapshot once closed."""
    questionnaire, charter = definitions_for(assessment)
    result, computed_at = result_for(assessment)
    delegation = assessment.delegation
    meta = AssessmentMeta(
        assessment_id=assessment.id,
        title=assessment.title,
        delegation=delegation.name,
        country=delegation.country,
        tool=assessment.tool_name,
        scope=assessment.scope,
        status=assessment.status.value,
        created_at=assessment.created_at,
        closed_at=assessment.closed_at,
        decided_at=assessment.decided_at,
        target_go_live=assessment.target_go_live,
        computed_at=computed_at,
        generated_at=now or utcnow(),
    )
    return build_report(result, questionnaire, charter, meta, decision_of(assessment), actions_of(assessment), lang)
