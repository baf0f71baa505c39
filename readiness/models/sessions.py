"""Server-side login sessions and second-factor recovery codes.

The session cookie carries only a random session id; the row here decides whether it still
works, so logging out, changing a password or an administrator's reset ends it everywhere.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from readiness.extensions import db
from readiness.models.people import User
from readiness.models.types import UTCDateTime, json_type, utcnow


class UserSession(db.Model):
    """One login on one device; only the SHA-256 of its id is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The password was right, the second factor is still to come: such a session opens no page.
    second_factor_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_codes: Mapped[int] = mapped_column(Integer, default=0)
    # Something to show once on the next page (new respondent links), kept here and not in the
    # cookie, which the browser can read.
    shown_once: Mapped[dict[str, Any] | None] = mapped_column(json_type())

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id}>"


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app; stored as a SHA-256."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
