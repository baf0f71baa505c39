"""One mechanism against double submits of creating forms: a one-use token per form.

The token is issued with the form (a hidden field) and spent in the same transaction as
the form's write. A second post with the same token (a double click, a resent form, a
second tab) finds it spent: on PostgreSQL its insert waits on the unique key until the first
transaction ends, then fails; on SQLite writers are serialised. Either way the second post
creates nothing and is sent where the first one led.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.exc import IntegrityError

from readiness.extensions import db, rows_changed
from readiness.models import SpentFormToken, User
from readiness.models.types import utcnow

TOKEN_BYTES = 24
# Clocks of several app servers and a request in flight at the session's end: a day covers both.
MARGIN = timedelta(days=1)


def new_token() -> str:
    """:return: a fresh random token for a form about to be shown."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def spend(user: User, token: str | None) -> SpentFormToken | str | None:
    """Spend ``token`` for ``user`` in the current transaction.

    :param token: what the form posted; empty means a client that sends no token (nothing is spent).
    :return: the spent record (first use: give it the result with :func:`lead_to`), ``None`` when no
        token was sent, or the URL the first use led to when the token was spent already.
    """
    if not token:
        return None
    digest = _hash(token)
    try:
        with db.session.begin_nested():
            spent = SpentFormToken(user_id=user.id, token_hash=digest, result_url="")
            db.session.add(spent)
    except IntegrityError:  # spent by a post that committed first (waited for on PostgreSQL)
        earlier = db.session.scalar(select(SpentFormToken.result_url).where(
            SpentFormToken.user_id == user.id, SpentFormToken.token_hash == digest))
        return earlier or "/"
    return spent


def lead_to(spent: SpentFormToken | None, url: str) -> None:
    """Record where the first use of the token led, for a second post to follow."""
    if spent is not None:
        spent.result_url = url[:500]
        db.session.flush()


def kept_for(session_absolute: timedelta) -> timedelta:
    """The one rule for how long a spent token is kept.

    A form can be sent only inside the session that showed it: its CSRF token belongs to that
    session, and logging in starts a new one. A session lives at most ``session_absolute``
    (``SESSION_ABSOLUTE_MINUTES``), so past that and a margin no post can bring the token back.

    :return: how long after its use a spent token still guards its form (12 h sessions: 36 hours).
    """
    return session_absolute + MARGIN


def spent_before(now: datetime, session_absolute: timedelta) -> datetime:
    """:return: the moment before which a spent token guards nothing any more."""
    return now - kept_for(session_absolute)


def _past_use(now: datetime | None) -> ColumnElement[bool]:
    absolute = timedelta(minutes=current_app.config["SESSION_ABSOLUTE_MINUTES"])
    return SpentFormToken.spent_at < spent_before(now or utcnow(), absolute)


def count_spent(now: datetime | None = None) -> int:
    """:return: how many spent tokens :func:`purge_spent` would remove at ``now``."""
    return db.session.scalar(select(func.count()).select_from(SpentFormToken).where(_past_use(now))) or 0


def purge_spent(now: datetime | None = None) -> int:
    """Remove the spent tokens past their use (run weekly by ``flask data purge --apply``).

    No audit entry: a spent token holds no one's data or decision, only a hash and a page address.
    :return: how many were removed.
    """
    return rows_changed(db.session.execute(delete(SpentFormToken).where(_past_use(now))))
