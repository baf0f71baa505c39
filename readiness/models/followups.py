"""What headquarters writes after reading the calibration figures, and which reminders went out."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from readiness.extensions import db
from readiness.models.types import UTCDateTime, json_type, utcnow


class CalibrationNote(db.Model):
    """A written reading of the calibration figures; thresholds change only in a new questionnaire version."""

    __tablename__ = "calibration_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    written_by_name: Mapped[str] = mapped_column(String(200))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    # The counts the note was written against, so a later reader sees what the author saw.
    figures: Mapped[dict[str, Any]] = mapped_column(json_type())


class FollowupReminder(db.Model):
    """One reminder about one due follow-up, at most one a day (the command is safe to run again)."""

    __tablename__ = "followup_reminders"
    __table_args__ = (UniqueConstraint("assessment_id", "months", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    months: Mapped[int] = mapped_column(Integer)
    sent_on: Mapped[date] = mapped_column(Date)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
