"""One-use form tokens: a creating form sent twice is carried out once."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from readiness.extensions import db
from readiness.models.types import UTCDateTime, utcnow


class SpentFormToken(db.Model):
    """A form's token, spent in the transaction that made the form's write; only its SHA-256 is kept.

    The unique key is what makes a second post of the same form (a double click, a resent
    form) wait for the first and then find where the first one led.
    """

    __tablename__ = "spent_form_tokens"
    __table_args__ = (UniqueConstraint("user_id", "token_hash", name="uq_spent_form_tokens_user_id_token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    # The page the first post led to; a second post is sent there.
    result_url: Mapped[str] = mapped_column(String(500), default="")
    spent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<SpentFormToken {self.id} user={self.user_id}>"
