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

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from readiness.extensions import db
from readiness.models import SpentFormToken, User

TOKEN_BYTES = 24


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
