"""A small, hand-counted world for retention and erasure tests."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from readiness.domain.proposals import ProposalStatus
from readiness.domain.screening import Route
from readiness.extensions import db
from readiness.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    AuditEntry,
    CommitteeDecision,
    ContextType,
    Delegation,
    Proposal,
    ProposalFile,
    Respondent,
    User,
    utcnow,
)
from readiness.services.evidence import attach_to_answer
from readiness.storage import evidence_store

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ITEMS = ["needs_defined", "daily_practice_support", "practice_vs_reporting", "sw_involved_needs"]


@dataclass
class World:
    now: datetime
    delegation: Delegation
    owner: User
    ids: dict[str, Any] = field(default_factory=dict)


def assessment(world: World, title: str, *, closed_days_ago: int | None) -> Assessment:
    closed = world.now - timedelta(days=closed_days_ago) if closed_days_ago is not None else None
    found = Assessment(
        delegation_id=world.delegation.id, title=title, tool_name="Tool", questionnaire_id="readiness",
        questionnaire_version="1.0", charter_id="ethics_charter", charter_version="1.0", created_by_id=world.owner.id,
        status=AssessmentStatus.CLOSED if closed else AssessmentStatus.COLLECTING, closed_at=closed,
    )
    db.session.add(found)
    db.session.flush()
    return found


def respondent(found: Assessment, answers: int, *, name: str | None = None) -> Respondent:
    person = Respondent(assessment_id=found.id, role="manager", name=name, token_hash=secrets.token_hex(32),
                        token_expires_at=utcnow() + timedelta(days=30))
    db.session.add(person)
    db.session.flush()
    for item in ITEMS[:answers]:
        db.session.add(Answer(respondent_id=person.id, item_id=item, questionnaire_id="readiness",
                              questionnaire_version="1.0", value=3, comment=f"comment on {item}"))
    db.session.flush()
    return person


def proposal(world: World, found: Assessment, status: ProposalStatus, *, days_ago: int, version: int = 1, decided: bool = True) -> Proposal:
    at = world.now - timedelta(days=days_ago)
    row = Proposal(assessment_id=found.id, delegation_id=world.delegation.id, title="P", data_flows={}, description={},
                   content={}, version=version, proposed_route=Route.FULL, screening={}, status=status, submitted_at=at - timedelta(days=30))
    db.session.add(row)
    db.session.flush()
    if decided:
        db.session.add(CommitteeDecision(proposal_id=row.id, outcome="approved", rationale="r", decided_by_name="Chair",
                                         decided_at=at))
    key = f"{secrets.token_hex(16)}.pdf"
    evidence_store().save(key, PDF)
    db.session.add(ProposalFile(proposal_id=row.id, filename="p.pdf", content_type="application/pdf", size=len(PDF),
                                storage_key=key))
    db.session.flush()
    return row


def audit_entry(world: World, action: str, days_ago: int, **fields: Any) -> None:
    db.session.add(AuditEntry(at=world.now - timedelta(days=days_ago), actor_label="someone", action=action,
                              target_type="Assessment", target_id="1", **fields))


def build_world(owner: User) -> World:
    """Periods by default: answers and evidence 1095 days, proposals and audit 2190 days.

    - "old": closed 1100 days ago: 2 respondents × 3 answers, 1 evidence file        -> purged
    - "recent": closed 1000 days ago: 1 respondent × 2 answers, 1 evidence file      -> kept
    - "open": still collecting: 1 respondent × 4 answers                             -> kept
    - proposals: approved 2200 days ago (purged), rejected 2000 days ago (kept),
      in review since 3000 days (kept: not closed)
    - audit entries: 2 ordinary ones 2200 days old (purged), a purge record 2200 days old
      (kept) and one ordinary 10 days old (kept), besides those the services write now.
    """
    delegation = Delegation(name="Chad – N'Djamena", country="Chad", region="Central Africa", context_type=ContextType.STABLE)
    db.session.add(delegation)
    db.session.flush()
    world = World(utcnow(), delegation, owner)
    old = assessment(world, "old", closed_days_ago=1100)
    first, second = respondent(old, 3, name="Awa"), respondent(old, 3)
    recent = assessment(world, "recent", closed_days_ago=1000)
    kept = respondent(recent, 2)
    open_one = assessment(world, "open", closed_days_ago=None)
    respondent(open_one, 4)
    attach_to_answer("test", first.answers[0], "old.pdf", PDF)
    attach_to_answer("test", kept.answers[0], "recent.pdf", PDF + b"%recent\n")
    proposal(world, old, ProposalStatus.APPROVED, days_ago=2200)
    proposal(world, old, ProposalStatus.REJECTED, days_ago=2000, version=2)
    proposal(world, recent, ProposalStatus.IN_REVIEW, days_ago=3000, decided=False)
    for action in ("answer.update", "figure.update", "data.purge"):
        audit_entry(world, action, 2200)
    audit_entry(world, "answer.update", 10)
    db.session.commit()
    world.ids = {"old": old.id, "recent": recent.id, "open": open_one.id, "first": first.id, "second": second.id, "kept": kept.id}
    return world
