"""An assessment and what its delegation records on it: figures, charter, decision, actions."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from readiness.domain.answers import CharterStatus
from readiness.domain.workflow import Status as AssessmentStatus
from readiness.extensions import db
from readiness.models.people import Delegation, User
from readiness.models.types import UTCDateTime, json_type, str_enum, utcnow


class Outcome(enum.StrEnum):
    GO = "go"
    GO_WITH_CONDITIONS = "go_with_conditions"
    NO_GO = "no_go"
    DEFERRED = "deferred"


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Assessment(db.Model):
    __tablename__ = "assessments"
    # Two presses of "start the 3-month follow-up" can never create two.
    __table_args__ = (UniqueConstraint("followup_of_id", "followup_months", name="uq_assessments_followup"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    tool_name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text, default="")
    target_go_live: Mapped[date | None] = mapped_column(Date)
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[str] = mapped_column(String(50))
    charter_id: Mapped[str] = mapped_column(String(100))
    charter_version: Mapped[str] = mapped_column(String(50))
    status: Mapped[AssessmentStatus] = mapped_column(
        str_enum(AssessmentStatus, "assessment_status"), default=AssessmentStatus.DRAFT, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    collecting_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A follow-up after go-live: the decided assessment it follows, and how many months after go-live.
    followup_of_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    followup_months: Mapped[int | None] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(Integer)

    delegation: Mapped[Delegation] = relationship()
    created_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<Assessment {self.id} {self.title!r} {self.status}>"


class MeasuredInput(db.Model):
    """A figure the delegation reports (social workers, open cases, devices...)."""

    __tablename__ = "measured_inputs"
    __table_args__ = (UniqueConstraint("assessment_id", "input_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    input_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[float | None] = mapped_column(Float)
    unknown: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version_id}


class CharterAnswer(db.Model):
    """The delegation's self-assessment against one ethics-charter item."""

    __tablename__ = "charter_answers"
    __table_args__ = (UniqueConstraint("assessment_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[CharterStatus] = mapped_column(str_enum(CharterStatus, "charter_answer_status"))
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence_link: Mapped[str | None] = mapped_column(String(2000))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version_id}


class Decision(db.Model):
    """What an accountable person decided, next to what the tool recommended."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, "decision_outcome"))
    decided_by_name: Mapped[str] = mapped_column(String(200))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rationale: Mapped[str] = mapped_column(Text)
    conditions: Mapped[str] = mapped_column(Text, default="")
    recommendation_at_decision: Mapped[str] = mapped_column(String(50))
    override_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the tool went (or goes) live: follow-ups fall due from this date.
    go_live_on: Mapped[date | None] = mapped_column(Date)

    amendments: Mapped[list[DecisionAmendment]] = relationship(
        order_by="DecisionAmendment.id", cascade="all, delete-orphan", passive_deletes=True
    )


class DecisionAmendment(db.Model):
    """One change the decision's author made after recording it: what it was, what it became, why."""

    __tablename__ = "decision_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    amended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    amended_by_name: Mapped[str] = mapped_column(String(200))
    amended_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict] = mapped_column(json_type())
    after: Mapped[dict] = mapped_column(json_type())


class ActionItem(db.Model):
    __tablename__ = "action_items"
    __table_args__ = (UniqueConstraint("assessment_id", "origin", name="uq_action_items_assessment_origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    # Where the action came from: a flag code, "condition", or a charter item id.
    source: Mapped[str] = mapped_column(String(100))
    # What a generated action answers (the flag code, or "condition:" and a digest of its text);
    # unique per assessment so that two presses of "actions from flags" can never both insert it.
    # NULL for actions typed in by hand.
    origin: Mapped[str | None] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    # A generated title as a message id ("flag:<flag code>"), rendered in each reader's language
    # from the result's flag; ``title`` keeps the creator's wording for old readers and edits. NULL
    # for a title typed in (or edited) by a person.
    title_key: Mapped[str | None] = mapped_column(String(120))
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        str_enum(ActionStatus, "action_status"), default=ActionStatus.OPEN
    )
    # The question the action works on and the level it aims for; the plan page re-scores with
    # every target met to show the recommendation the plan would reach. NULL: no target.
    target_item: Mapped[str | None] = mapped_column(String(100))
    target_level: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version_id}
