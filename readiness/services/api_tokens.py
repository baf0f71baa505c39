"""API tokens for headquarters tools: issue, revoke, and recognise a presented token."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from readiness.domain.policies import is_headquarters
from readiness.extensions import db
from readiness.models import ApiToken, User
from readiness.models.types import utcnow
from readiness.services import audit

TOKEN_PREFIX = "rdy_"
# Recording every use would turn each read into a write; once a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``actor``; the plain token is returned once and never stored.

    :raise PermissionError: unless the actor belongs to headquarters.
    """
    if not is_headquarters(actor):
        raise PermissionError("only headquarters may hold API tokens")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name.strip()[:100], token_hash=hash_token(plain))
    db.session.add(token)
    db.session.flush()
    audit.record(actor, "api_token.issue", token, after={"name": token.name})
    return token, plain


def revoke_token(actor: User, token: ApiToken) -> None:
    """Stop a token working at once. Revoking twice changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    db.session.flush()
    audit.record(actor, "api_token.revoke", token, before={"name": token.name}, after={"revoked": True})


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())))


def user_for_token(plain: str) -> User | None:
    """The active headquarters user a presented token belongs to, or None.

    Records when the token was last used (at most once a minute; flushed, not committed).
    """
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None or token.revoked_at is not None or not is_headquarters(token.user):
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.flush()
    return token.user
