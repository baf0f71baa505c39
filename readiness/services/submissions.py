"""One way in for answers: web pages, offline sync, paper sheets and Kobo/ODK imports.

Every channel turns what it received into :class:`Entry` objects (one per respondent) and
calls :func:`receive`. Files are checked before anything is written; then each entry's
answers go through the same per-item conflict check (:func:`answers.save_answers`), its
files are attached, and where the respondent stopped is remembered. Nothing commits here.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from readiness.domain.collection import (
    FINISH_PAGE, AnswerState, EvidenceProblem, check_evidence, hash_token,
)
from readiness.extensions import db
from readiness.models import AnswerSource, Assessment, Evidence, Respondent, User
from readiness.models.types import utcnow
from readiness.questionnaire.schema import Questionnaire
from readiness.services import audit
from readiness.services import evidence as evidence_service
from readiness.services.answers import Conflict, Submission, ensure_answer, save_answers
from readiness.services.respondents import respondent_label


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Entry:
    """What one respondent sent: answers, files, and (on the web) where they go next.

    Give ``respondent`` for someone answering through their link; give ``role`` (and
    ``external_id``, the submission's uuid or the sheet's code) for a new respondent.
    """

    submissions: list[Submission]
    uploads: dict[str, Upload] = field(default_factory=dict)
    respondent: Respondent | None = None
    role: str | None = None
    external_id: str | None = None
    stop_at: str | None = None  # the page to remember; FINISH_PAGE when they said they were done


@dataclass
class Received:
    respondent: Respondent
    saved: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    files: list[Evidence] = field(default_factory=list)


@dataclass
class Receipt:
    """What :func:`receive` did: one :class:`Received` per entry saved, or why nothing was."""

    received: list[Received] = field(default_factory=list)
    refused_files: dict[tuple[int, str], EvidenceProblem] = field(default_factory=dict)  # (entry, item) -> why
    already_there: list[str] = field(default_factory=list)  # external ids received before: skipped

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for r in self.received for c in r.conflicts]


def new_answers(answers: dict[str, AnswerState]) -> list[Submission]:
    """Submissions for a respondent who had nothing saved (paper, import): nothing can conflict."""
    empty = AnswerState().digest()
    return [Submission(item_id, state, empty, None) for item_id, state in answers.items()]


def receive(
    source: AnswerSource, assessment: Assessment, questionnaire: Questionnaire,
    entries: list[Entry], actor: User | str,
) -> Receipt:
    """Save answers from any channel.

    :param actor: the person entering them (paper, import) or the respondent's audit label (web).
    :return: what was saved and what conflicted; when a file is refused, nothing is written.
    """
    receipt = Receipt(refused_files=refused_files(entries))
    if receipt.refused_files:
        return receipt
    known = _external_ids(assessment)
    for entry in entries:
        if entry.external_id is not None and entry.external_id in known:
            receipt.already_there.append(entry.external_id)
            continue
        respondent = entry.respondent or _new_respondent(source, assessment, entry, actor)
        receipt.received.append(_save_entry(respondent, questionnaire, entry, actor))
    db.session.flush()
    return receipt


def refused_files(entries: list[Entry]) -> dict[tuple[int, str], EvidenceProblem]:
    """:return: the attached files that cannot be accepted, by (entry index, item id), and why."""
    refused = {}
    for index, entry in enumerate(entries):
        for item_id, upload in entry.uploads.items():
            problem = check_evidence(upload.filename, upload.data).problem
            if problem is not None:
                refused[(index, item_id)] = problem
    return refused


def _external_ids(assessment: Assessment) -> set[str]:
    return set(db.session.scalars(select(Respondent.external_id).where(
        Respondent.assessment_id == assessment.id, Respondent.external_id.is_not(None))))


def _new_respondent(source: AnswerSource, assessment: Assessment, entry: Entry, actor: User | str) -> Respondent:
    """A respondent without a usable link: the hash of a token nobody ever sees, revoked at once."""
    now = utcnow()
    respondent = Respondent(
        assessment_id=assessment.id, role=entry.role, source=source, external_id=entry.external_id,
        token_hash=hash_token(secrets.token_urlsafe(32)), token_expires_at=now + timedelta(days=1),
        revoked_at=now, last_page=FINISH_PAGE, submitted_at=now,
    )
    db.session.add(respondent)
    db.session.flush()
    audit.record(actor, "respondent.receive", respondent, assessment_id=assessment.id,
                 after={"role": entry.role, "source": source.value})
    return respondent


def _save_entry(respondent: Respondent, questionnaire: Questionnaire, entry: Entry, actor: User | str) -> Received:
    role = next((r for r in questionnaire.roles if r.id == respondent.role), None)
    if role is not None and role.anonymous and isinstance(actor, User):
        # A sheet or an import typed in by a member: the trail says who entered it (respondent.receive),
        # but the answers of an anonymous role are recorded as anonymous, values withheld.
        actor = respondent_label(respondent, role.label.get("en", role.id), anonymous=True)
    outcome = save_answers(respondent, questionnaire, entry.submissions, actor)
    received = Received(respondent, outcome.saved, outcome.conflicts)
    for item_id, upload in entry.uploads.items():
        answer = ensure_answer(respondent, questionnaire, item_id)
        received.files.append(evidence_service.attach_to_answer(actor, answer, upload.filename, upload.data))
    if entry.stop_at is not None:
        respondent.last_page = entry.stop_at
        if entry.stop_at == FINISH_PAGE and respondent.submitted_at is None:
            respondent.submitted_at = utcnow()
    return received
