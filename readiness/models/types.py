"""Column types shared by the models: UTC datetimes and string-stored enums."""
from __future__ import annotations

import enum
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Enum
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator


_clock_shift = timedelta(0)


def utcnow() -> datetime:
    """The app's one clock: every "now" and "today" comes from here, so a test can move it."""
    return datetime.now(timezone.utc) + _clock_shift


def utctoday() -> date:
    return utcnow().date()


def set_clock(now: datetime | None) -> None:
    """Make :func:`utcnow` read ``now`` (then run on from it); ``None`` puts the real time back. Tests only."""
    global _clock_shift
    _clock_shift = timedelta(0) if now is None else now - datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every engine.

    SQLite keeps no offset, so values are normalised to UTC on the way in and
    marked UTC on the way out; naive datetimes are refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def str_enum(enum_class: type[enum.StrEnum], name: str) -> Enum:
    """A VARCHAR with a CHECK constraint, storing the members' values, alike on SQLite and PostgreSQL."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        # Room to add members later without widening the column.
        length=max(32, *(len(member.value) for member in enum_class)),
        values_callable=_values,
        validate_strings=True,
    )


def _values(enum_class: Any) -> list[str]:
    return [member.value for member in enum_class]


def json_type() -> JSON:
    """JSON everywhere, JSONB on PostgreSQL (indexable and comparable); Python None is SQL NULL."""
    return JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
