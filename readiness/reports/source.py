"""Read what a report needs from the database and hand it to the pure ``build_report``."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from readiness.domain.anonymity import Said
from readiness.domain.result import Result
from readiness.domain.engine import InvalidResponses, score_assessment
from readiness.domain.way_forward import WayForward, find_way_forward
from readiness.domain.workflow import is_frozen
from readiness.extensions import db
from readiness.models import Answer, Assessment, Decision, Respondent, ResultSnapshot
from readiness.questionnaire.schema import Charter, ItemType, Questionnaire
from readiness.models.types import utcnow
from readiness.services.actions import actions_of
from readiness.services.results import compute_result, definitions_for, engine_inputs, stored_result

from .data import AssessmentMeta, ReportData, build_report


def result_for(assessment: Assessment) -> tuple[Result, datetime | None]:
    """:return: the frozen snapshot's result and when it was taken; while collecting, a live preview and None."""
    snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
    if snapshot is not None and is_frozen(assessment.status):
        return stored_result(assessment, snapshot), snapshot.computed_at
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
    return build_report(result, questionnaire, charter, meta, decision_of(assessment), actions_of(assessment), lang,
                        way=way_forward_for(assessment, questionnaire, charter, result, checked=computed_at is None),
                        said=said_in(assessment, questionnaire))


def way_forward_for(assessment: Assessment, q: Questionnaire, charter: Charter, result: Result,
                    checked: bool = False) -> WayForward | None:
    """:param checked: ``result`` was just scored from the stored answers (the live preview), so they give it.
    :return: the changes that would move ``result`` up one step, re-scored from the stored answers;
        None when the stored answers no longer give ``result`` (so no promise can be checked).
    """
    people, inputs, charter_answers = engine_inputs(assessment)
    if not checked:
        try:
            again = score_assessment(q, people, inputs, charter_answers, charter)
        except InvalidResponses:
            return None
        if again.recommendation.outcome != result.recommendation.outcome:
            return None
    return find_way_forward(q, people, inputs, charter_answers, charter, result)


def said_in(assessment: Assessment, q: Questionnaire) -> list[Said]:
    """:return: every free-text answer and comment of the assessment, with the writer's role only."""
    free_text = [item.id for item in q.items if item.type is ItemType.TEXT]
    # Only the rows that hold words, as plain columns: a large assessment has hundreds of thousands of answers.
    rows = db.session.execute(
        select(Answer.id, Answer.item_id, Answer.value, Answer.comment, Answer.masked_at, Respondent.role)
        .join(Respondent, Answer.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == assessment.id, or_(Answer.item_id.in_(free_text), Answer.comment != ""))
        .order_by(Answer.id)
    ).all()
    said = []
    for answer_id, item_id, value, comment, masked_at, role in rows:
        masked = masked_at is not None
        if item_id in free_text and isinstance(value, str) and value.strip():
            said.append(Said(item_id, role, value.strip(), "answer", answer_id, masked))
        if (comment or "").strip():
            said.append(Said(item_id, role, comment.strip(), "comment", answer_id, masked))
    return said
