"""Read what a report needs from the database and hand it to the pure ``build_report``."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select

from readiness.domain.anonymity import Said
from readiness.domain.answers import Respondent as EngineRespondent
from readiness.domain.result import Result
from readiness.domain.engine import InvalidResponses, score_assessment
from readiness.domain.way_forward import WayForward, find_way_forward, plan_result
from readiness.domain.workflow import is_frozen
from readiness.extensions import db
from readiness.models import ActionItem, ActionStatus, Answer, Assessment, Decision, Respondent, ResultSnapshot
from readiness.questionnaire.schema import Charter, ItemType, Questionnaire
from readiness.models.types import utcnow
from readiness.services.actions import actions_of
from readiness.services.results import compute_result, definitions_for, engine_inputs, stored_result

from .after import ComparisonLike
from .data import AssessmentMeta, ReportData, build_report


def result_for(assessment: Assessment) -> tuple[Result, datetime | None]:
    """:return: the frozen snapshot's result and when it was taken; while collecting, a live preview and None."""
    snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
    if snapshot is not None and is_frozen(assessment.status):
        return stored_result(assessment, snapshot), snapshot.computed_at
    return compute_result(assessment), None


def decision_of(assessment: Assessment) -> Decision | None:
    return db.session.scalar(select(Decision).where(Decision.assessment_id == assessment.id))


def load_report(assessment: Assessment, lang: str, now: datetime | None = None,
                followups: Sequence[ComparisonLike] = ()) -> ReportData:
    """:param followups: the follow-ups done, set against this assessment (``services.followups.comparisons``).
    :return: the assessment's report in ``lang``, from its snapshot once closed.
    """
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
    actions = actions_of(assessment)
    invited, unfinished = invitations_of(assessment)
    return build_report(result, questionnaire, charter, meta, decision_of(assessment), actions, lang,
                        invited=invited, unfinished=unfinished,
                        way=way_forward_for(assessment, questionnaire, charter, result, checked=computed_at is None),
                        said=said_in(assessment, questionnaire),
                        plan_outcome=plan_outcome_for(assessment, questionnaire, charter, result, actions),
                        followups=followups)


def way_forward_for(assessment: Assessment, q: Questionnaire, charter: Charter, result: Result,
                    checked: bool = False) -> WayForward | None:
    """:param checked: ``result`` was just scored from the stored answers (the live preview), so they give it.
    :return: the changes that would move ``result`` up one step, re-scored from the stored answers;
        None when the stored answers no longer give ``result`` (so no promise can be checked).
    """
    found = _inputs_giving(assessment, q, charter, result, checked)
    return None if found is None else find_way_forward(q, *found, charter, result)


def _inputs_giving(assessment: Assessment, q: Questionnaire, charter: Charter, result: Result,
                   checked: bool = False) -> tuple[list[EngineRespondent], dict[str, float | None], dict[str, str]] | None:
    """:return: the stored engine inputs, when re-scoring them still gives ``result``'s recommendation
        (``checked``: ``result`` was just scored from them, so no second scoring is needed)."""
    people, inputs, charter_answers = engine_inputs(assessment)
    if checked:
        return people, inputs, charter_answers
    try:
        again = score_assessment(q, people, inputs, charter_answers, charter)
    except InvalidResponses:
        return None
    return (people, inputs, charter_answers) if again.recommendation.outcome == result.recommendation.outcome else None


def plan_outcome_for(
    assessment: Assessment, q: Questionnaire, charter: Charter, result: Result, actions: list[ActionItem]
) -> str | None:
    """:return: the recommendation the engine gives once every action not dropped meets its target level;
        None when no action carries one, or the stored answers no longer give ``result``.
    """
    targets = [(a.target_item, a.target_level) for a in actions
               if a.target_item and a.target_level is not None and a.status is not ActionStatus.DROPPED]
    if not targets:
        return None
    found = _inputs_giving(assessment, q, charter, result)
    return None if found is None else plan_result(q, *found, charter, targets).recommendation.outcome


def invitations_of(assessment: Assessment) -> tuple[dict[str, int], dict[str, int]]:
    """:return: role -> people invited (links not withdrawn), and role -> those who have not sent their answers."""
    invited: dict[str, int] = {}
    unfinished: dict[str, int] = {}
    rows = db.session.execute(select(Respondent.role, Respondent.submitted_at).where(
        Respondent.assessment_id == assessment.id, Respondent.revoked_at.is_(None))).all()
    for role, submitted_at in rows:
        invited[role] = invited.get(role, 0) + 1
        if submitted_at is None:
            unfinished[role] = unfinished.get(role, 0) + 1
    return invited, unfinished


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
