"""Saving what people answer: respondents' answers, the delegation's figures and charter self-assessment.

Every save compares what the page showed with what is stored now: an item someone else
changed meanwhile is refused (both values are returned for the page to show), the others
are saved, and each change writes an audit entry with its before and after. A save first
takes the lock of the record it hangs on (the respondent, the assessment), so a double
click or a second device waits and is then compared with what the first one saved.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from readiness.domain.collection import AnswerState, Change, TokenStatus, classify_change, token_status
from readiness.domain.workflow import Status, is_frozen
from readiness.extensions import db
from readiness.models import AnswerSource, Answer, Assessment, CharterAnswer, CharterStatus, MeasuredInput, Respondent, SpecialAnswer, User
from readiness.models.types import utcnow
from readiness.questionnaire.schema import Questionnaire
from readiness.services import audit
from readiness.services.locking import lock, retrying

UNKNOWN = "unknown"  # a figure the delegation does not know


@dataclass(frozen=True)
class Submission:
    """One item of a posted page: what the person sent and what the page had shown them."""

    item_id: str
    state: AnswerState
    shown_digest: str
    shown_version: int | None = None  # the record's version when shown; None when there was none


@dataclass(frozen=True)
class Conflict:
    item_id: str
    mine: AnswerState
    theirs: AnswerState


class SavingClosed(Exception):
    """Answers can no longer be taken: the link was withdrawn or ran out, or the result is frozen."""


@dataclass
class SaveOutcome:
    saved: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def _apply(
    submissions: list[Submission],
    current: dict[str, AnswerState],
    versions: dict[str, int],
    write: Callable[[str, AnswerState, AnswerState], None],
) -> SaveOutcome:
    outcome = SaveOutcome()
    for sub in submissions:
        now = current.get(sub.item_id, AnswerState())
        stale = versions.get(sub.item_id) != sub.shown_version
        change = classify_change(sub.state, sub.shown_digest, now, stale)
        if change is Change.SAVE:
            write(sub.item_id, now, sub.state)
            outcome.saved.append(sub.item_id)
        elif change is Change.CONFLICT:
            outcome.conflicts.append(Conflict(sub.item_id, sub.state, now))
    db.session.flush()
    return outcome


# --- Respondents' answers ----------------------------------------------------------


def state_of(answer: Answer | None) -> AnswerState:
    if answer is None:
        return AnswerState()
    special = answer.special.value if answer.special is not None else None
    return AnswerState(answer.value, special, answer.comment or "", answer.evidence_link)


def answers_by_item(respondent: Respondent) -> dict[str, Answer]:
    return {answer.item_id: answer for answer in respondent.answers}


def answered_item_ids(respondent: Respondent) -> set[str]:
    return {a.item_id for a in respondent.answers if state_of(a).answered}


def ensure_answer(respondent: Respondent, questionnaire: Questionnaire, item_id: str) -> Answer:
    """The respondent's answer row for an item, created empty when a file comes before an answer."""
    answer = answers_by_item(respondent).get(item_id)
    if answer is None:
        answer = Answer(item_id=item_id, questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version)
        respondent.answers.append(answer)
        db.session.flush()
    return answer


def save_answers(
    respondent: Respondent, questionnaire: Questionnaire, submissions: list[Submission], actor: str
) -> SaveOutcome:
    """Save one page of a respondent's answers, refusing items changed elsewhere since the page was shown.

    :param actor: the audit label, e.g. "respondent #12 (social worker)".
    :raise SavingClosed: the link was withdrawn or expired, or the assessment stopped collecting,
        possibly while this save was on its way; nothing is saved.
    """
    lock(respondent)
    assessment = db.session.get_one(Assessment, respondent.assessment_id)
    lock(assessment, shared=True)
    # A paper sheet or an imported submission has no usable link (its token was never shown): only
    # answers through a link need the link to be valid.
    through_link = respondent.source in (None, AnswerSource.WEB)
    link = token_status(respondent.token_expires_at, respondent.revoked_at, utcnow())
    if (through_link and link is not TokenStatus.VALID) or assessment.status is not Status.COLLECTING:
        raise SavingClosed()
    return retrying(lambda: _save_answers(respondent, questionnaire, submissions, actor))


def _save_answers(respondent: Respondent, questionnaire: Questionnaire, submissions: list[Submission], actor: str) -> SaveOutcome:
    db.session.expire(respondent, ["answers"])  # a retry must see what the other save wrote
    answers = answers_by_item(respondent)

    def write(item_id: str, before: AnswerState, after: AnswerState) -> None:
        answer = answers.get(item_id)
        if answer is None:
            answer = Answer(item_id=item_id, questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version)
            respondent.answers.append(answer)
        answer.value = None if after.special else after.value
        answer.special = SpecialAnswer(after.special) if after.special else None
        answer.comment = after.comment
        answer.evidence_link = after.evidence_link
        db.session.flush()
        audit.record(actor, "answer.update" if before.answered or before.comment else "answer.create", answer,
                     assessment_id=respondent.assessment_id, before=before.as_dict() or None,
                     after={"item": item_id} | after.as_dict())

    current = {item_id: state_of(answer) for item_id, answer in answers.items()}
    versions = {item_id: answer.version_id for item_id, answer in answers.items()}
    return _apply(submissions, current, versions, write)


def mask_words(actor: User, answer: Answer, masked: bool) -> None:
    """Mask (or show again) an answer's comment and free text in every report; the text itself is kept.

    The audit entry names the item only: the words it hides must not reach the trail either.
    """
    if (answer.masked_at is not None) == masked:
        return
    answer.masked_at = utcnow() if masked else None
    db.session.flush()
    audit.record(actor, "answer.mask" if masked else "answer.unmask", answer,
                 assessment_id=answer.respondent.assessment_id, after={"item": answer.item_id, "masked": masked})


# --- The delegation's figures ------------------------------------------------------


def figure_states(assessment: Assessment) -> dict[str, AnswerState]:
    rows = db.session.scalars(select(MeasuredInput).where(MeasuredInput.assessment_id == assessment.id))
    return {
        row.input_id: AnswerState(None if row.unknown else row.value, UNKNOWN if row.unknown else None, row.comment or "")
        for row in rows
    }


def figure_versions(assessment: Assessment) -> dict[str, int]:
    rows = db.session.scalars(select(MeasuredInput).where(MeasuredInput.assessment_id == assessment.id))
    return {row.input_id: row.version_id for row in rows}


def save_figures(actor: User, assessment: Assessment, submissions: list[Submission]) -> SaveOutcome:
    """Save measured inputs; a figure changed by someone else since the form was shown is refused.

    :raise SavingClosed: the result was frozen meanwhile; nothing is saved.
    """
    _lock_open(assessment)
    return retrying(lambda: _save_figures(actor, assessment, submissions))


def _lock_open(assessment: Assessment) -> None:
    lock(assessment)
    if is_frozen(assessment.status):
        raise SavingClosed()


def _save_figures(actor: User, assessment: Assessment, submissions: list[Submission]) -> SaveOutcome:
    rows = {
        row.input_id: row
        for row in db.session.scalars(select(MeasuredInput).where(MeasuredInput.assessment_id == assessment.id))
    }

    def write(input_id: str, before: AnswerState, after: AnswerState) -> None:
        row = rows.get(input_id) or MeasuredInput(assessment_id=assessment.id, input_id=input_id)
        db.session.add(row)
        row.value = None if after.special else after.value
        row.unknown = after.special == UNKNOWN
        row.comment = after.comment
        row.updated_by_id = actor.id
        audit.record(actor, "figure.update", assessment, assessment_id=assessment.id,
                     before=({"input": input_id} | before.as_dict()) if before.answered or before.comment else None,
                     after={"input": input_id} | after.as_dict())

    return _apply(submissions, figure_states(assessment), figure_versions(assessment), write)


# --- The ethics-charter self-assessment --------------------------------------------


def charter_states(assessment: Assessment) -> dict[str, AnswerState]:
    rows = db.session.scalars(select(CharterAnswer).where(CharterAnswer.assessment_id == assessment.id))
    return {row.item_id: AnswerState(row.status.value, None, row.comment or "", row.evidence_link) for row in rows}


def charter_versions(assessment: Assessment) -> dict[str, int]:
    rows = db.session.scalars(select(CharterAnswer).where(CharterAnswer.assessment_id == assessment.id))
    return {row.item_id: row.version_id for row in rows}


def save_charter(actor: User, assessment: Assessment, submissions: list[Submission]) -> SaveOutcome:
    """Save charter answers (a status is needed to keep a comment or link); conflicts are refused.

    :raise SavingClosed: the result was frozen meanwhile; nothing is saved.
    """
    _lock_open(assessment)
    return retrying(lambda: _save_charter(actor, assessment, submissions))


def _save_charter(actor: User, assessment: Assessment, submissions: list[Submission]) -> SaveOutcome:
    rows = {
        row.item_id: row
        for row in db.session.scalars(select(CharterAnswer).where(CharterAnswer.assessment_id == assessment.id))
    }

    def write(item_id: str, before: AnswerState, after: AnswerState) -> None:
        row = rows.get(item_id)
        if after.value is None:
            if row is not None:
                db.session.delete(row)
        else:
            row = row or CharterAnswer(assessment_id=assessment.id, item_id=item_id)
            db.session.add(row)
            row.status = CharterStatus(after.value)
            row.comment = after.comment
            row.evidence_link = after.evidence_link
            row.updated_by_id = actor.id
        audit.record(actor, "charter.update", assessment, assessment_id=assessment.id,
                     before=({"item": item_id} | before.as_dict()) if before.answered else None,
                     after={"item": item_id} | after.as_dict())

    return _apply(submissions, charter_states(assessment), charter_versions(assessment), write)
