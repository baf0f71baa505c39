"""Retention: how long each kind of data is kept, and the purge that applies it.

Periods come from configuration, in days; ``None`` keeps that kind of data for ever. They run from
the moment the data stopped being worked on:

- respondents, their answers and comments: from the assessment's closing;
- evidence files (on answers and charter answers): from the assessment's closing;
- closed proposals (approved, rejected, cleared or superseded), with their reviews, conditions and
  files: from the last thing that happened to them;
- audit entries: from when they were written (records of purges and erasures are kept).

A closed assessment keeps its frozen result snapshot (aggregates only, no answer, comment or name),
so its report and the HQ benchmarks stay exactly as they were after a purge.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select

from readiness.extensions import db
from readiness.models import (
    Answer,
    Assessment,
    AuditEntry,
    CharterAnswer,
    CommitteeDecision,
    Evidence,
    Proposal,
    ProposalFile,
    Respondent,
    User,
    utcnow,
)
from readiness.domain.proposals import ProposalStatus
from readiness.services import audit
from readiness.services.evidence import discard_files

KINDS = ("answers", "evidence", "proposals", "audit")
SETTINGS = {
    "answers": "RETENTION_ANSWERS_DAYS",
    "evidence": "RETENTION_EVIDENCE_DAYS",
    "proposals": "RETENTION_PROPOSALS_DAYS",
    "audit": "RETENTION_AUDIT_DAYS",
}
CLOSED_PROPOSALS = (ProposalStatus.APPROVED, ProposalStatus.REJECTED, ProposalStatus.CLEARED, ProposalStatus.SUPERSEDED)
# Records of purges, erasures and restores outlive the audit period: they hold counts, not personal data.
KEPT_AUDIT_PREFIX = ("data.", "backup.")


@dataclass
class PurgePlan:
    """What a purge removes (or would remove): row ids per kind, and the file keys that go with them."""

    now: datetime
    respondents: list[int] = field(default_factory=list)
    answers: int = 0
    evidence: list[int] = field(default_factory=list)
    proposals: list[int] = field(default_factory=list)
    audit_entries: int = 0
    file_keys: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"respondents": len(self.respondents), "answers": self.answers, "evidence": len(self.evidence),
                "proposals": len(self.proposals), "audit_entries": self.audit_entries, "files": len(self.file_keys)}

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())


def retention_days() -> dict[str, int | None]:
    """:return: the configured period per kind of data, ``None`` meaning kept for ever."""
    return {kind: current_app.config.get(setting) for kind, setting in SETTINGS.items()}


def _cutoff(now: datetime, kind: str) -> datetime | None:
    days = retention_days()[kind]
    return None if days is None else now - timedelta(days=days)


def plan_purge(now: datetime | None = None) -> PurgePlan:
    """Work out what the configured periods remove at ``now``, without changing anything."""
    plan = PurgePlan(now or utcnow())
    closed_before = _closed_assessments(_cutoff(plan.now, "answers"))
    plan.respondents = list(db.session.scalars(select(Respondent.id).where(Respondent.assessment_id.in_(closed_before))))
    plan.answers = db.session.scalar(select(func.count(Answer.id)).where(Answer.respondent_id.in_(plan.respondents))) or 0
    plan.evidence = _evidence_of(_closed_assessments(_cutoff(plan.now, "evidence")), plan.respondents)
    plan.proposals = _closed_proposals(_cutoff(plan.now, "proposals"))
    if _cutoff(plan.now, "audit") is not None:
        plan.audit_entries = db.session.scalar(select(func.count(AuditEntry.id)).where(*_old_audit(plan.now))) or 0
    plan.file_keys = sorted(
        set(db.session.scalars(select(Evidence.storage_key).where(Evidence.id.in_(plan.evidence))))
        | set(db.session.scalars(select(ProposalFile.storage_key).where(ProposalFile.proposal_id.in_(plan.proposals))))
    )
    return plan


def _closed_assessments(cutoff: datetime | None) -> list[int]:
    if cutoff is None:
        return []
    return list(db.session.scalars(select(Assessment.id).where(Assessment.closed_at.is_not(None), Assessment.closed_at < cutoff)))


def _evidence_of(assessment_ids: list[int], respondent_ids: list[int]) -> list[int]:
    """Evidence past its own period, and evidence on answers that go with their respondents."""
    on_answers = select(Answer.id).join(Respondent).where(
        or_(Respondent.assessment_id.in_(assessment_ids), Respondent.id.in_(respondent_ids)))
    on_charter = select(CharterAnswer.id).where(CharterAnswer.assessment_id.in_(assessment_ids))
    return list(db.session.scalars(select(Evidence.id).where(
        or_(Evidence.answer_id.in_(on_answers), Evidence.charter_answer_id.in_(on_charter))).order_by(Evidence.id)))


def _closed_proposals(cutoff: datetime | None) -> list[int]:
    if cutoff is None:
        return []
    rows = db.session.execute(
        select(Proposal.id, Proposal.submitted_at, Proposal.screened_at, Proposal.cleared_at, CommitteeDecision.decided_at)
        .outerjoin(CommitteeDecision).where(Proposal.status.in_(CLOSED_PROPOSALS))
    ).all()
    # A proposal is as old as the last thing that happened to it.
    return sorted(row.id for row in rows if max(t for t in row[1:] if t is not None) < cutoff)


def _old_audit(now: datetime) -> tuple:
    cutoff = _cutoff(now, "audit")
    return (AuditEntry.at < cutoff, *(AuditEntry.action.not_like(f"{prefix}%") for prefix in KEPT_AUDIT_PREFIX))


def apply_purge(actor: User | str, plan: PurgePlan) -> None:
    """Remove what ``plan`` lists and record one audit entry with the counts (nothing when empty).

    Files leave the evidence store when the caller commits.
    """
    if plan.empty:
        return
    db.session.execute(delete(Evidence).where(Evidence.id.in_(plan.evidence)))
    db.session.execute(delete(Respondent).where(Respondent.id.in_(plan.respondents)))
    db.session.execute(delete(Proposal).where(Proposal.id.in_(plan.proposals)))
    if plan.audit_entries:
        db.session.execute(delete(AuditEntry).where(*_old_audit(plan.now)))
    discard_files(plan.file_keys)
    audit.record(actor, "data.purge", Purge(plan.now.isoformat()),
                 after={"retention_days": retention_days(), **plan.counts()})


@dataclass(frozen=True)
class Purge:
    """The audit target of a purge, named by when it ran."""

    id: str
