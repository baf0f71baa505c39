"""Users, delegations and who belongs where."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from readiness.extensions import db
from readiness.models.encrypted import EncryptedString
from readiness.models.types import UTCDateTime, str_enum, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    HQ = "hq"
    MEMBER = "member"
    COMMITTEE = "committee"
    CHAIR = "chair"


class Locale(enum.StrEnum):
    EN = "en"
    FR = "fr"
    ES = "es"
    AR = "ar"


class ContextType(enum.StrEnum):
    ACUTE_EMERGENCY = "acute_emergency"
    PROTRACTED_CRISIS = "protracted_crisis"
    STABLE = "stable"


memberships = Table(
    "memberships",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("delegation_id", ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"), default=Role.MEMBER)
    locale: Mapped[Locale] = mapped_column(str_enum(Locale, "user_locale"), default=Locale.EN)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A temporary password (new account, reset) must be changed before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # TOTP second factor: the secret is set when enrolment starts and counts once confirmed.
    # Encrypted at rest (``readiness.models.encrypted``): the column holds a Fernet token, never the secret.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedString())
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last time step accepted, so a code seen over someone's shoulder cannot be replayed.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(Integer)

    delegations: Mapped[list[Delegation]] = relationship(
        secondary=memberships, back_populates="members", order_by="Delegation.name"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        # One address, one account: "Ana@X.org" and "ana@x.org" must not become two users.
        return value.strip().lower()

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    @property
    def delegation_ids(self) -> frozenset[int]:
        return frozenset(delegation.id for delegation in self.delegations)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class Delegation(db.Model):
    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100))
    context_type: Mapped[ContextType] = mapped_column(str_enum(ContextType, "delegation_context_type"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer)

    members: Mapped[list[User]] = relationship(
        secondary=memberships, back_populates="delegations", order_by="User.name"
    )

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<Delegation {self.id} {self.name}>"
