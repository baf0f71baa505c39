"""Evidence bytes kept in the database, for deployments where several app servers share files."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from readiness.extensions import db
from readiness.models.types import UTCDateTime, utcnow


class StoredBlob(db.Model):
    """The bytes of one evidence file, under the same random key the evidence row names."""

    __tablename__ = "stored_blobs"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
