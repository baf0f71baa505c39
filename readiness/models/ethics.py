"""Ethics review: proposals and their versions, reviewers, reviews, the committee's decision, conditions."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from readiness.domain.incidents import IncidentKind
from readiness.domain.proposals import ConditionStatus, ProposalStatus
from readiness.domain.review import Mark, Opinion
from readiness.domain.screening import Route
from readiness.extensions import db
from readiness.models.assessments import Assessment
from readiness.models.people import Delegation, User
from readiness.models.types import UTCDateTime, json_type, str_enum, utcnow


class Proposal(db.Model):
    """One version of a delegation's request to the ethics committee; a resubmission is a new row."""

    __tablename__ = "proposals"
    __table_args__ = (UniqueConstraint("assessment_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"))
    status: Mapped[ProposalStatus] = mapped_column(
        str_enum(ProposalStatus, "proposal_status"), default=ProposalStatus.SUBMITTED, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    # The structured description (screening.DataFlows as plain JSON) and the free-text answers.
    data_flows: Mapped[dict[str, Any]] = mapped_column(json_type())
    description: Mapped[dict[str, Any]] = mapped_column(json_type())
    # What the proposal said when submitted (answers, charter, description): the base of "what changed".
    content: Mapped[dict[str, Any]] = mapped_column(json_type())
    changes_note: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    proposed_route: Mapped[Route] = mapped_column(str_enum(Route, "screening_route"))
    screening: Mapped[dict[str, Any]] = mapped_column(json_type())
    route: Mapped[Route | None] = mapped_column(str_enum(Route, "chosen_route"))
    screening_note: Mapped[str] = mapped_column(Text, default="")
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    screened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Continuing review: set when the committee approves, renewed when the chair completes a review.
    review_interval_months: Mapped[int | None] = mapped_column(Integer)
    review_due: Mapped[date | None] = mapped_column(Date, index=True)
    # Why the approval was reopened, suspended or withdrawn (shown with the status).
    status_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    version_id: Mapped[int] = mapped_column(Integer)

    assessment: Mapped[Assessment] = relationship()
    delegation: Mapped[Delegation] = relationship()
    previous: Mapped[Proposal | None] = relationship(remote_side=[id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    screened_by: Mapped[User | None] = relationship(foreign_keys=[screened_by_id])
    assignments: Mapped[list[ReviewerAssignment]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", passive_deletes=True, order_by="ReviewerAssignment.id"
    )
    decision: Mapped[CommitteeDecision | None] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", passive_deletes=True
    )
    conditions: Mapped[list[ProposalCondition]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", passive_deletes=True, order_by="ProposalCondition.id"
    )
    files: Mapped[list[ProposalFile]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ProposalFile.id"
    )
    incidents: Mapped[list[Incident]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Incident.occurred_on.desc(), Incident.id.desc()"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def attachments(self) -> list[ProposalFile]:
        return [f for f in self.files if f.condition_id is None]


class ReviewerAssignment(db.Model):
    """A committee member asked to review one proposal version; they declare conflicts before reading it."""

    __tablename__ = "reviewer_assignments"
    __table_args__ = (UniqueConstraint("proposal_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # None until declared; True means the reviewer recused themselves.
    has_conflict: Mapped[bool | None] = mapped_column(Boolean)
    conflict_note: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opinion: Mapped[Opinion | None] = mapped_column(str_enum(Opinion, "reviewer_opinion"))
    opinion_comment: Mapped[str] = mapped_column(Text, default="")
    committee_comment: Mapped[str] = mapped_column(Text, default="")  # never shown to the delegation
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The reviewer's unfinished review (form field -> value), resumed later; cleared when submitted.
    draft: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    draft_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer)

    proposal: Mapped[Proposal] = relationship(back_populates="assignments")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    items: Mapped[list[ItemReview]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ItemReview.id"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def may_read(self) -> bool:
        """The reviewer declared no conflict, so they may read and review the proposal."""
        return self.has_conflict is False

    @property
    def recused(self) -> bool:
        return self.has_conflict is True


class ItemReview(db.Model):
    """One reviewer's mark on one charter item."""

    __tablename__ = "item_reviews"
    __table_args__ = (UniqueConstraint("assignment_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("reviewer_assignments.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(100))
    mark: Mapped[Mark] = mapped_column(str_enum(Mark, "review_mark"))
    comment: Mapped[str] = mapped_column(Text, default="")
    committee_comment: Mapped[str] = mapped_column(Text, default="")  # never shown to the delegation


class CommitteeDecision(db.Model):
    __tablename__ = "committee_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    outcome: Mapped[Opinion] = mapped_column(str_enum(Opinion, "committee_outcome"))
    rationale: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_name: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="decision")


class ProposalCondition(db.Model):
    """What the delegation must do before go-live, who owns it, by when, and what evidence shows it."""

    __tablename__ = "proposal_conditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    evidence_required: Mapped[str] = mapped_column(Text)
    status: Mapped[ConditionStatus] = mapped_column(
        str_enum(ConditionStatus, "condition_status"), default=ConditionStatus.OPEN
    )
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    evidence_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_reason: Mapped[str] = mapped_column(Text, default="")
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer)

    proposal: Mapped[Proposal] = relationship(back_populates="conditions")
    files: Mapped[list[ProposalFile]] = relationship(viewonly=True, order_by="ProposalFile.id")

    __mapper_args__ = {"version_id_col": version_id}


class ProposalFile(db.Model):
    """An attachment to a proposal, or evidence for one of its conditions; the bytes live in EVIDENCE_DIR."""

    __tablename__ = "proposal_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    condition_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal_conditions.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Incident(db.Model):
    """An event after approval, logged by the delegation against a charter item, with likelihood and severity (1–5)."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[IncidentKind] = mapped_column(str_enum(IncidentKind, "incident_kind"))
    likelihood: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)
    serious: Mapped[bool] = mapped_column(Boolean)  # by the policy in force when it was logged
    description: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="incidents")


class ReminderSent(db.Model):
    """One reminder sent (or shown as sent) to one recipient on one day, so a second run the same day sends nothing."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("kind", "target_id", "recipient", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(String(254))
    sent_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
