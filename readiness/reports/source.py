"""Read what a report needs from the database and hand it to the pure ``build_report``."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, func, select

from readiness.domain.anonymity import roles_to_withhold
from readiness.domain.answers import validate_counts
from readiness.domain.engine import score_tally
from readiness.domain.result import Result
from readiness.domain.tally import Tally, tally_counts
from readiness.domain.way_forward import find_way_forward_counted, plan_outcome
from readiness.domain.workflow import is_frozen
from readiness.extensions import db
from readiness.models import ActionItem, ActionStatus, Assessment, Decision, Respondent, ResultSnapshot
from readiness.questionnaire.schema import Charter, Questionnaire
from readiness.read.words import PAGE_SIZE, latest_words, words_counts, words_page
from readiness.models.types import utcnow
from readiness.services.actions import actions_of
from readiness.services.results import (
    Counted,
    compute_result,
    counted_answers,
    definitions_for,
    owner_inputs,
    respondents_by_role,
    silent_respondents,
    stored_result,
)

from .after import ComparisonLike
from .data import AssessmentMeta, ReportData, build_report
from .words import WordsPage, words_page_view


def result_for(assessment: Assessment, counts: Counted | None = None) -> tuple[Result, datetime | None]:
    """:param counts: the answers counted (``counted_answers``), if already read: the live preview re-uses them.
    :return: the frozen snapshot's result and when it was taken; while collecting, a live preview and None."""
    snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
    if snapshot is not None and is_frozen(assessment.status):
        return stored_result(assessment, snapshot), snapshot.computed_at
    return compute_result(assessment, counts), None


def decision_of(assessment: Assessment) -> Decision | None:
    return db.session.scalar(select(Decision).where(Decision.assessment_id == assessment.id))


def load_report(assessment: Assessment, lang: str, now: datetime | None = None,
                followups: Sequence[ComparisonLike] = ()) -> ReportData:
    """:param followups: the follow-ups done, set against this assessment (``services.followups.comparisons``).
    :return: the assessment's report in ``lang``, from its snapshot once closed.
    """
    questionnaire, charter = definitions_for(assessment)
    counts = counted_answers(assessment)  # one GROUP BY for the live preview and every "what if"
    result, computed_at = result_for(assessment, counts)
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
    found = counts_giving(assessment, questionnaire, charter, result, counts, checked=computed_at is None)
    way = None if found is None else find_way_forward_counted(questionnaire, *found, charter, result)
    return build_report(result, questionnaire, charter, meta, decision_of(assessment), actions, lang,
                        invited=invited, unfinished=unfinished, way=way,
                        said=latest_words(assessment.id, questionnaire, result.withheld_roles),
                        said_totals=words_counts(assessment.id, questionnaire, result.withheld_roles),
                        plan_outcome=plan_outcome_for(questionnaire, charter, actions, found),
                        followups=followups)


def counts_giving(assessment: Assessment, q: Questionnaire, charter: Charter, result: Result, counts: Counted,
                  checked: bool = False) -> tuple[Tally, dict[str, float | None], dict[str, str]] | None:
    """The stored answers counted by the database, the figures and the charter answers, when they still
    give ``result``'s recommendation: every "what if" of the report is re-scored from them.

    :param counts: ``counted_answers(assessment)``.
    :param checked: ``result`` was just scored from the stored answers (the live preview), so they give it.
    :return: None when the stored answers no longer give ``result`` (so no promise can be checked).
    """
    rows, people, _answered, heard = counts
    inputs, charter_answers = owner_inputs(assessment)
    if not checked and validate_counts(q, rows, inputs, charter_answers, charter):
        return None
    counted = tally_counts(q, rows, people, heard, silent_respondents(assessment))
    # The recommendation alone: the robustness check and the flags' ranking never change it.
    if not checked and score_tally(q, counted, inputs, charter_answers, charter).recommendation.outcome \
            != result.recommendation.outcome:
        return None
    return counted, inputs, charter_answers


def plan_outcome_for(q: Questionnaire, charter: Charter, actions: list[ActionItem],
                     found: tuple[Tally, dict[str, float | None], dict[str, str]] | None) -> str | None:
    """:param found: the stored inputs that give the report's result (:func:`counts_giving`).
    :return: the recommendation the engine gives once every action not dropped meets its target level;
        None when no action carries one, or the stored answers no longer give the result.
    """
    targets = [(a.target_item, a.target_level) for a in actions
               if a.target_item and a.target_level is not None and a.status is not ActionStatus.DROPPED]
    if not targets or found is None:
        return None
    return plan_outcome(q, *found, charter, targets)


def invitations_of(assessment: Assessment) -> tuple[dict[str, int], dict[str, int]]:
    """:return: role -> people invited (links not withdrawn), and role -> those who have not sent their answers."""
    invited: dict[str, int] = {}
    unfinished: dict[str, int] = {}
    # Counted by the database: an assessment can have thousands of respondents.
    for role, everyone, waiting in db.session.execute(
        select(Respondent.role, func.count(), func.sum(case((Respondent.submitted_at.is_(None), 1), else_=0)))
        .where(Respondent.assessment_id == assessment.id, Respondent.revoked_at.is_(None)).group_by(Respondent.role)
    ):
        invited[role] = everyone
        if waiting:
            unfinished[role] = int(waiting)
    return invited, unfinished


def withheld_roles_of(assessment: Assessment, q: Questionnaire) -> list[str]:
    """:return: the roles whose words the report withholds: the snapshot's once frozen, else the live rule's.
    Cheap (no scoring): the words list applies the report's rule without computing the result."""
    snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
    if snapshot is not None and is_frozen(assessment.status):
        return stored_result(assessment, snapshot).withheld_roles
    _people, answered, _heard = respondents_by_role(assessment)
    return roles_to_withhold(q, answered)


def load_words_page(assessment: Assessment, item_id: str | None, page: int, lang: str) -> WordsPage | None:
    """:return: one page of what was said about a question (or the list of questions), anonymity kept;
        None for an unknown question or a page past the last."""
    questionnaire, _charter = definitions_for(assessment)
    withheld = withheld_roles_of(assessment, questionnaire)
    totals = words_counts(assessment.id, questionnaire, withheld)
    said = words_page(assessment.id, questionnaire, withheld, item_id, page) if item_id else []
    return words_page_view(said, totals, item_id, page, PAGE_SIZE, withheld, questionnaire, lang)
