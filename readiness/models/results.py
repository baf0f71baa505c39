"""Result snapshots taken when an assessment closes, flattened so HQ can aggregate in SQL."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from readiness.extensions import db
from readiness.models.types import UTCDateTime, json_type, utcnow


class ResultSnapshot(db.Model):
    __tablename__ = "result_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One snapshot per assessment: closing again replaces it.
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[str] = mapped_column(String(50))
    recommendation: Mapped[str] = mapped_column(String(50), index=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    overall_score: Mapped[float | None] = mapped_column(Float)
    coverage: Mapped[float] = mapped_column(Float)
    # Bootstrap interval of the overall score (see domain.uncertainty); None for older snapshots.
    overall_low: Mapped[float | None] = mapped_column(Float)
    overall_high: Mapped[float | None] = mapped_column(Float)
    # The engine's full result, so the report can be rebuilt exactly as it was.
    result: Mapped[dict[str, Any]] = mapped_column(json_type())

    dimensions: Mapped[list[SnapshotDimension]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SnapshotDimension.dimension_id"
    )
    flags: Mapped[list[SnapshotFlag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SnapshotFlag.id"
    )


class SnapshotDimension(db.Model):
    __tablename__ = "snapshot_dimensions"
    __table_args__ = (UniqueConstraint("snapshot_id", "dimension_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("result_snapshots.id", ondelete="CASCADE"))
    dimension_id: Mapped[str] = mapped_column(String(100), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    coverage: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    # A bootstrap interval around the score (respondents resampled within roles), frozen with it.
    interval_low: Mapped[float | None] = mapped_column(Float)
    interval_high: Mapped[float | None] = mapped_column(Float)
    # The dimension's score per role (role id -> 0-100), as in the stored result once the anonymity
    # rule has run: the perception gaps read these rows instead of parsing every stored result.
    role_scores: Mapped[dict[str, float] | None] = mapped_column(json_type())


class SnapshotFlag(db.Model):
    __tablename__ = "snapshot_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("result_snapshots.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    severity: Mapped[str] = mapped_column(String(20))
    dimension_id: Mapped[str | None] = mapped_column(String(100))


class CurrentResult(db.Model):
    """Each delegation's current result: its latest closed or decided assessment, one row per delegation.

    Kept by ``services.current_results`` in the transaction that closes, reopens, decides or erases
    an assessment, so HQ pages read one row per delegation whatever the number of assessments.
    The decision is joined from its own row, so an amended decision shows at once. What the HQ pages
    read of the snapshot's dimension and flag rows is copied here when the row is written
    (``read/summaries.py``): a snapshot never changes once stored, and closing again rewrites this row.
    """

    __tablename__ = "current_results"

    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), unique=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("result_snapshots.id", ondelete="CASCADE"), unique=True)
    # The snapshot's own figures, as in ``ResultSnapshot``.
    questionnaire_version: Mapped[str] = mapped_column(String(50))
    recommendation: Mapped[str] = mapped_column(String(50))
    overall_score: Mapped[float | None] = mapped_column(Float)
    coverage: Mapped[float] = mapped_column(Float)
    overall_low: Mapped[float | None] = mapped_column(Float)
    overall_high: Mapped[float | None] = mapped_column(Float)
    # [dimension id, score, interval low, interval high] per dimension, in the result's order
    scores: Mapped[list[list[Any]]] = mapped_column(json_type(), default=list)
    # dimension id -> role id -> score (already through the anonymity rule, as in the snapshot)
    role_scores: Mapped[dict[str, dict[str, float]]] = mapped_column(json_type(), default=dict)
    # [code, kind, severity, dimension id] per flag
    flags: Mapped[list[list[str | None]]] = mapped_column(json_type(), default=list)
