"""Respondents, their answers and the evidence attached to answers."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from readiness.extensions import db
from readiness.models.people import Locale
from readiness.models.types import UTCDateTime, json_type, str_enum, utcnow


class SpecialAnswer(enum.StrEnum):
    DONT_KNOW = "dont_know"
    NOT_APPLICABLE = "not_applicable"


class AnswerSource(enum.StrEnum):
    """How a respondent's answers reached us."""

    WEB = "web"  # the respondent's own link
    PAPER = "paper"  # a paper sheet typed in by the delegation
    XLSFORM = "xlsform"  # a KoboToolbox / ODK submission, imported


class Respondent(db.Model):
    """One person answering in a role, reached through a hashed, expiring, revocable token."""

    __tablename__ = "respondents"
    __table_args__ = (
        # The same Kobo/ODK submission or paper sheet imported twice is one respondent.
        UniqueConstraint("assessment_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(50))
    # Social workers may answer without giving their name.
    name: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_page: Mapped[str | None] = mapped_column(String(100))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    source: Mapped[AnswerSource] = mapped_column(
        str_enum(AnswerSource, "answer_source"), default=AnswerSource.WEB, server_default=AnswerSource.WEB.value
    )
    # A submission's uuid (Kobo/ODK) or a paper sheet's code; None for people answering by link.
    external_id: Mapped[str | None] = mapped_column(String(100))
    # Where the invitation was e-mailed, for reminders; used by the system only, never shown.
    email: Mapped[str | None] = mapped_column(String(254))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The language of the e-mails this person gets (invitation, reminders), chosen by whoever invited
    # them by e-mail; a respondent has no account, so no saved interface language. None: English.
    locale: Mapped[Locale | None] = mapped_column(str_enum(Locale, "respondent_locale"))

    answers: Mapped[list[Answer]] = relationship(
        back_populates="respondent", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("respondent_id", "item_id"),
        # "Don't know" and "not applicable" sit outside the scale: never both a value and one of them.
        CheckConstraint("value IS NULL OR special IS NULL", name="value_or_special"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(100))
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[str] = mapped_column(String(50))
    # A level 0-4, "yes"/"partly"/"no", a number or a text, as the item's type says.
    value: Mapped[Any | None] = mapped_column(json_type())
    special: Mapped[SpecialAnswer | None] = mapped_column(str_enum(SpecialAnswer, "answer_special"))
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence_link: Mapped[str | None] = mapped_column(String(2000))
    # Set when the delegation masks words that identify someone: reports show them masked; the text stays here.
    masked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer)

    respondent: Mapped[Respondent] = relationship(back_populates="answers")

    __mapper_args__ = {"version_id_col": version_id}


class Evidence(db.Model):
    """A file attached to an answer or a charter answer; the bytes live in EVIDENCE_DIR."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint("answer_id IS NULL OR charter_answer_id IS NULL", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), index=True
    )
    charter_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("charter_answers.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
