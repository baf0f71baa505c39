"""Tokens for headquarters tools reading the JSON API, and indexes the HQ queries rely on."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from readiness.extensions import db
from readiness.models.assessments import Assessment
from readiness.models.people import User
from readiness.models.types import UTCDateTime, utcnow


class ApiToken(db.Model):
    """A named, revocable bearer token; only its SHA-256 is stored, never the token itself."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The holder's role when the token was issued: the token works only while it is unchanged.
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.name!r}>"


# "Latest assessment per delegation" is the backbone of every HQ page: rank a delegation's
# assessments by date without scanning the table.
Index("ix_assessments_delegation_created", Assessment.delegation_id, Assessment.created_at)
