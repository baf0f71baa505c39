"""Erasure on request: a respondent's answers and files, a user's personal data, a whole assessment.

An admin erases, gives the reason (e.g. the request's reference), and an audit entry records that
it happened and how much went, never what was erased. Audit entries about the erased data keep
who-did-what-when but lose their before/after values; an erased user's entries name a pseudonym.

Frozen results: a closed assessment's snapshot holds aggregates only (scores, coverage, counts per
role, flags), no answer, comment or name, so it is kept and its report stays exactly reproducible;
the erasure record says the snapshot was kept. Erasing a respondent of an assessment still
collecting changes its live preview, as any withdrawn answer would.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import ColumnElement, String, cast, delete, func, or_, select, update

from readiness.extensions import db, rows_changed
from readiness.models import (
    Answer,
    ApiToken,
    Assessment,
    AuditEntry,
    CharterAnswer,
    CommitteeDecision,
    Decision,
    Evidence,
    LoginAttempt,
    Proposal,
    ProposalFile,
    ReminderSent,
    Respondent,
    ResultSnapshot,
    User,
    memberships,
)
from readiness.services import audit
from readiness.services.current_results import refresh_current_result
from readiness.services.evidence import discard_files


class ErasureRefused(ValueError):
    """The erasure is not allowed (e.g. an admin erasing their own account); nothing changed."""


@dataclass(frozen=True)
class ErasurePreview:
    """What an erasure removes, shown before the admin confirms."""

    answers: int = 0
    files: int = 0
    respondents: int = 0
    audit_entries: int = 0
    snapshot_kept: bool = False


def _blank_audit(*conditions: ColumnElement[bool]) -> int:
    """Keep who/what/when, drop the recorded values: they may hold the erased data."""
    result = db.session.execute(update(AuditEntry).where(or_(*conditions)).values(before=None, after=None)
                                .execution_options(synchronize_session=False))
    return rows_changed(result)


def _count(query: object) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0  # type: ignore[attr-defined]


def _snapshot_kept(assessment_id: int) -> bool:
    return db.session.scalar(select(ResultSnapshot.id).where(ResultSnapshot.assessment_id == assessment_id)) is not None


# ---- a respondent ----------------------------------------------------------------------------

def _respondent_files(respondent: Respondent) -> list[str]:
    return list(db.session.scalars(select(Evidence.storage_key).join(Answer, Evidence.answer_id == Answer.id)
                                   .where(Answer.respondent_id == respondent.id)))


def preview_respondent(respondent: Respondent) -> ErasurePreview:
    answers = _count(select(Answer.id).where(Answer.respondent_id == respondent.id))
    return ErasurePreview(answers=answers, files=len(_respondent_files(respondent)), respondents=1,
                          snapshot_kept=_snapshot_kept(respondent.assessment_id))


def erase_respondent(actor: User, respondent: Respondent, reason: str) -> None:
    """Delete a respondent with their answers, comments and files; their audit entries lose their values."""
    preview = preview_respondent(respondent)
    answer_ids = select(Answer.id).where(Answer.respondent_id == respondent.id)
    evidence_ids = select(Evidence.id).where(Evidence.answer_id.in_(answer_ids))
    blanked = _blank_audit(
        (AuditEntry.target_type == "Respondent") & (AuditEntry.target_id == str(respondent.id)),
        (AuditEntry.target_type == "Answer") & AuditEntry.target_id.in_(select(cast(Answer.id, String)).where(Answer.respondent_id == respondent.id)),
        (AuditEntry.target_type == "Evidence") & AuditEntry.target_id.in_(select(cast(Evidence.id, String)).where(Evidence.id.in_(evidence_ids))),
    )
    discard_files(_respondent_files(respondent))
    audit.record(actor, "data.erase_respondent", respondent, assessment_id=respondent.assessment_id, after={
        "reason": reason, "answers": preview.answers, "files": preview.files, "audit_entries_blanked": blanked,
        "snapshot_kept": preview.snapshot_kept,
    })
    db.session.delete(respondent)
    db.session.flush()


# ---- a user ----------------------------------------------------------------------------------

def pseudonym(user_id: int) -> str:
    return f"erased user #{user_id}"


def preview_user(user: User) -> ErasurePreview:
    return ErasurePreview(audit_entries=_count(select(AuditEntry.id).where(AuditEntry.actor_id == user.id)))


def erase_user(actor: User, user: User, reason: str) -> None:
    """Replace a user's name and e-mail by a pseudonym everywhere, close the account, drop their tokens.

    :raise ErasureRefused: an admin tries to erase their own account.
    """
    if actor.id == user.id:
        raise ErasureRefused("own account")
    name, email, label = user.name, user.email, pseudonym(user.id)
    entries = _count(select(AuditEntry.id).where(AuditEntry.actor_id == user.id))
    db.session.execute(update(AuditEntry).where(AuditEntry.actor_id == user.id).values(actor_label=label)
                       .execution_options(synchronize_session=False))
    # SQLite stores JSON with non-ASCII characters escaped, PostgreSQL as they are: look for both.
    texts = {name, email, json.dumps(name)[1:-1], json.dumps(email)[1:-1]}
    mentioned = or_(*(cast(column, String).contains(text, autoescape=True)
                      for column in (AuditEntry.before, AuditEntry.after) for text in texts))
    blanked = _blank_audit((AuditEntry.target_type == "User") & (AuditEntry.target_id == str(user.id)), mentioned)
    for model in (Decision, CommitteeDecision):
        db.session.execute(update(model).where(model.decided_by_id == user.id).values(decided_by_name=label)
                           .execution_options(synchronize_session=False))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
    db.session.execute(delete(ReminderSent).where(ReminderSent.recipient == email))
    db.session.execute(delete(memberships).where(memberships.c.user_id == user.id))
    db.session.expire(user, ["delegations"])
    user.name, user.email, user.password_hash, user.is_active = label, f"erased-{user.id}@invalid", "!", False
    user.last_login_at = user.locked_until = None
    db.session.flush()
    audit.record(actor, "data.erase_user", user, after={
        "reason": reason, "audit_entries_pseudonymised": entries, "audit_entries_blanked": blanked,
    })


# ---- an assessment ---------------------------------------------------------------------------

def _assessment_files(assessment: Assessment) -> list[str]:
    answers = select(Answer.id).join(Respondent).where(Respondent.assessment_id == assessment.id)
    charter = select(CharterAnswer.id).where(CharterAnswer.assessment_id == assessment.id)
    proposals = select(Proposal.id).where(Proposal.assessment_id == assessment.id)
    return sorted(set(db.session.scalars(select(Evidence.storage_key).where(
        or_(Evidence.answer_id.in_(answers), Evidence.charter_answer_id.in_(charter)))))
        | set(db.session.scalars(select(ProposalFile.storage_key).where(ProposalFile.proposal_id.in_(proposals)))))


def preview_assessment(assessment: Assessment) -> ErasurePreview:
    return ErasurePreview(
        answers=_count(select(Answer.id).join(Respondent).where(Respondent.assessment_id == assessment.id)),
        files=len(_assessment_files(assessment)),
        respondents=_count(select(Respondent.id).where(Respondent.assessment_id == assessment.id)),
        audit_entries=_count(select(AuditEntry.id).where(AuditEntry.assessment_id == assessment.id)),
    )


def erase_assessment(actor: User, assessment: Assessment, reason: str) -> None:
    """Delete an assessment with everything recorded on it and its files, snapshot and proposals included."""
    preview = preview_assessment(assessment)
    _blank_audit(AuditEntry.assessment_id == assessment.id)
    discard_files(_assessment_files(assessment))
    # Recorded without the assessment's id: that link is cut when the assessment goes.
    audit.record(actor, "data.erase_assessment", assessment, after={
        "reason": reason, "respondents": preview.respondents, "answers": preview.answers, "files": preview.files,
        "audit_entries_blanked": preview.audit_entries,
    })
    db.session.execute(delete(Proposal).where(Proposal.assessment_id == assessment.id))
    delegation_id = assessment.delegation_id
    db.session.delete(assessment)
    db.session.flush()
    refresh_current_result(delegation_id)


# ---- lookups for the admin pages -------------------------------------------------------------

KINDS = ("respondent", "user", "assessment")


def find_target(kind: str, ref: str) -> Respondent | User | Assessment | None:
    """The record an admin names: a respondent or assessment by number, a user by number or e-mail."""
    ref = ref.strip()
    if len(ref) > 254 or any(ord(c) < 32 or ord(c) == 127 for c in ref):
        return None  # no account has such an address; PostgreSQL refuses NUL in a query
    if kind == "user" and "@" in ref:
        return db.session.scalar(select(User).where(User.email == ref.lower()))
    if not ref.isascii() or not ref.isdigit() or kind not in KINDS or len(ref) > 12:
        return None
    model = {"respondent": Respondent, "user": User, "assessment": Assessment}[kind]
    return db.session.get(model, int(ref))  # type: ignore[return-value]  # one of the three kinds above


def preview(target: Respondent | User | Assessment) -> ErasurePreview:
    if isinstance(target, Respondent):
        return preview_respondent(target)
    if isinstance(target, User):
        return preview_user(target)
    return preview_assessment(target)


def erase(actor: User, target: Respondent | User | Assessment, reason: str) -> None:
    """Erase ``target`` with the function for its kind."""
    if isinstance(target, Respondent):
        erase_respondent(actor, target, reason)
    elif isinstance(target, User):
        erase_user(actor, target, reason)
    else:
        erase_assessment(actor, target, reason)


def erasure_records(limit: int = 20) -> list[AuditEntry]:
    """The latest purges and erasures, newest first: the record that they happened."""
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("data.%"))
                                   .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))
