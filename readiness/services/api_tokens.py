"""API tokens for headquarters tools: issue, revoke, and recognise a presented token."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from readiness.domain.policies import is_headquarters
from readiness.extensions import db, rows_changed
from readiness.models import ApiToken, User
from readiness.models.types import utcnow
from readiness.services import audit

TOKEN_PREFIX = "rdy_"
# Recording every use would turn each read into a write; once a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
DEFAULT_DAYS = 90
MAX_DAYS = 365


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(actor: User, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Create a token for ``actor``, valid ``days`` days for the role the actor has now.

    The plain token is returned once and never stored.

    :raise PermissionError: unless the actor belongs to headquarters.
    :raise ValueError: ``days`` is not between 1 and ``MAX_DAYS``.
    """
    if not is_headquarters(actor):
        raise PermissionError("only headquarters may hold API tokens")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a token lives 1 to {MAX_DAYS} days")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user_id=actor.id, name=name.strip()[:100], token_hash=hash_token(plain),
                     created_at=now, expires_at=now + timedelta(days=days), role=actor.role.value)
    db.session.add(token)
    db.session.flush()
    audit.record(actor, "api_token.issue", token, after={"name": token.name, "expires_at": token.expires_at.isoformat(), "role": token.role})
    return token, plain


def revoke_token(actor: User, token: ApiToken) -> None:
    """Stop a token working at once. Revoking twice changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    db.session.flush()
    audit.record(actor, "api_token.revoke", token, before={"name": token.name}, after={"revoked": True})


def revoke_tokens_of(actor: User | str | None, user: User) -> int:
    """Revoke every live token of ``user`` (their role changed, or the account was deactivated).

    :return: how many were revoked.
    """
    result = db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    revoked = rows_changed(result)
    if revoked:
        audit.record(actor, "api_token.revoke_all", user, after={"revoked": revoked})
    return revoked


def is_live(token: ApiToken) -> bool:
    """Not revoked, not expired, and its holder still has the role it was issued for."""
    user = token.user
    return (token.revoked_at is None and token.expires_at > utcnow() and is_headquarters(user)
            and user.role.value == token.role)


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())))


def user_for_token(plain: str) -> User | None:
    """The user a presented live token (see ``is_live``) belongs to, or None.

    Records when the token was last used (at most once a minute; flushed, not committed).
    """
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None or not is_live(token):
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.flush()
    return token.user
