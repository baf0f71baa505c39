"""Login sessions kept in the database: started at login, checked on every request, ended at logout.

The cookie holds a random id; only its SHA-256 is stored. A session stops working when it is
ended (logout, password change, reset), after ``idle`` without a request, or ``absolute`` after
it started, whichever comes first. Flushes, never commits.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import contains_eager

from readiness.extensions import db, rows_changed
from readiness.models import User, UserSession
from readiness.models.types import utcnow

# Writing the last request's time on every page would make every read a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
# Between a right password and the second factor.
PENDING_LIFETIME = timedelta(minutes=5)
MAX_FAILED_CODES = 5
# Ended or long-expired sessions are pruned when their user next logs in.
RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class Limits:
    idle: timedelta
    absolute: timedelta


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(user: User, *, second_factor_pending: bool = False) -> str:
    """Open a session for ``user``.

    :return: the session id for the cookie (stored only as a hash).
    """
    now = utcnow()
    db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id,
        or_(UserSession.ended_at < now - timedelta(days=1), UserSession.created_at < now - RETENTION)))
    token = secrets.token_urlsafe(32)
    row = UserSession(user_id=user.id, token_hash=_hash(token), second_factor_pending=second_factor_pending)
    db.session.add(row)
    db.session.flush()
    return token


def find_session(token: Any, limits: Limits) -> UserSession | None:
    """The live session with this id, or None; a timed-out session is ended on the way.

    Records the time of this request (at most once a minute). Changes are left unflushed, so
    the caller sees in ``session.dirty`` whether there is anything to write.
    """
    if not isinstance(token, str) or not token:
        return None
    # The session and its user in one query: every page of a logged-in user starts here.
    row = db.session.scalar(
        select(UserSession).join(UserSession.user).options(contains_eager(UserSession.user))
        .where(UserSession.token_hash == _hash(token))
    )
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    absolute = PENDING_LIFETIME if row.second_factor_pending else limits.absolute
    if now - row.last_seen_at > limits.idle or now - row.created_at > absolute or not row.user.is_active:
        row.ended_at, row.shown_once = now, None
        return None
    if now - row.last_seen_at > LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
    return row


def end_session(row: UserSession) -> None:
    if row.ended_at is None:
        row.ended_at = utcnow()
        row.shown_once = None
        db.session.flush()


def end_sessions_of(user: User) -> int:
    """End every session of ``user`` (password change or reset, second-factor reset).

    :return: how many were still open.
    """
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), shown_once=None)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return rows_changed(result)


def count_failed_code(row: UserSession) -> bool:
    """Count a wrong second-factor code; the session ends after too many.

    :return: whether the session is still usable.
    """
    row.failed_codes += 1
    if row.failed_codes >= MAX_FAILED_CODES:
        end_session(row)
        return False
    db.session.flush()
    return True


def keep_for_next_page(row: UserSession, key: str, value: Any) -> None:
    """Keep something server-side for the next page of this session only (see ``take_kept``)."""
    row.shown_once = {key: value}
    db.session.flush()


def take_kept(row: UserSession, key: str) -> Any:
    """What ``keep_for_next_page`` kept under ``key``, once; None afterwards."""
    kept = row.shown_once or {}
    if key not in kept:
        return None
    row.shown_once = None
    db.session.flush()
    return kept[key]
