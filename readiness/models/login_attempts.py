"""Failed logins per client address, kept in the database so every app server sees them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from readiness.extensions import db
from readiness.models.types import UTCDateTime, utcnow


class LoginAttempt(db.Model):
    """One failed login: which address tried, when, and with which email (as typed)."""

    __tablename__ = "login_attempts"
    # The throttle counts one address's failures in a recent window; old rows are pruned by time.
    __table_args__ = (Index("ix_login_attempts_ip_at", "ip", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ip: Mapped[str] = mapped_column(String(45))  # room for an IPv6 address in text form
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    email: Mapped[str] = mapped_column(String(254), default="")

    def __repr__(self) -> str:
        return f"<LoginAttempt {self.ip} {self.at:%Y-%m-%d %H:%M}>"
