"""Respondents and their personal links: invite, revoke, re-issue, find by token.

A link's token is shown once, to the person who creates it; only its sha256 is stored.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from readiness.domain.collection import TokenStatus, hash_token, looks_like_token, token_status
from readiness.extensions import db
from readiness.models import Assessment, Respondent, User
from readiness.models.types import utcnow
from readiness.domain.anonymity import ANONYMOUS_ACTOR
from readiness.services import audit
from readiness.services.locking import lock

DEFAULT_LINK_DAYS = 30


@dataclass(frozen=True)
class Invitation:
    """A respondent with the token of their link: the only moment the token is known."""

    respondent: Respondent
    token: str


def new_token() -> str:
    return secrets.token_urlsafe(32)


def respondent_label(respondent: Respondent, role_label: str, anonymous: bool = False) -> str:
    """The audit trail's name for a respondent: a number and a role, never a personal name.

    :param anonymous: the role answers anonymously: no number either, so no entry maps back to a link.
    """
    if anonymous:
        return ANONYMOUS_ACTOR.format(role=role_label)
    return f"respondent #{respondent.id} ({role_label})"


def invite_respondents(
    actor: User,
    assessment: Assessment,
    *,
    role: str,
    count: int = 1,
    name: str | None = None,
    days: int = DEFAULT_LINK_DAYS,
) -> list[Invitation]:
    """Create ``count`` respondents in ``role``, each with a personal link valid ``days`` days.

    :param name: only when inviting one person; None keeps the respondent anonymous.
    :return: the invitations, with tokens to show once.
    """
    expires = utcnow() + timedelta(days=days)
    invitations = []
    for _ in range(count):
        token = new_token()
        respondent = Respondent(
            assessment_id=assessment.id, role=role, name=name or None,
            token_hash=hash_token(token), token_expires_at=expires,
        )
        db.session.add(respondent)
        invitations.append(Invitation(respondent, token))
    db.session.flush()
    for invitation in invitations:
        audit.record(
            actor, "respondent.invite", invitation.respondent, assessment_id=assessment.id,
            after={"role": role, "named": bool(name), "expires": expires.date().isoformat()},
        )
    return invitations


def revoke_respondent(actor: User, respondent: Respondent) -> None:
    """Withdraw a respondent's link at once; their answers stay (a page being saved finishes first)."""
    lock(respondent)
    if respondent.revoked_at is not None:
        return
    respondent.revoked_at = utcnow()
    db.session.flush()
    audit.record(actor, "respondent.revoke", respondent, assessment_id=respondent.assessment_id,
                 after={"revoked_at": respondent.revoked_at.isoformat()})


def reissue_link(actor: User, respondent: Respondent, *, days: int = DEFAULT_LINK_DAYS) -> Invitation:
    """Give a respondent a new link (the old one stops working); their answers stay."""
    lock(respondent)
    token = new_token()
    before = {"expires": respondent.token_expires_at.date().isoformat(), "revoked": respondent.revoked_at is not None}
    respondent.token_hash = hash_token(token)
    respondent.token_expires_at = utcnow() + timedelta(days=days)
    respondent.revoked_at = None
    db.session.flush()
    audit.record(actor, "respondent.reissue", respondent, assessment_id=respondent.assessment_id,
                 before=before, after={"expires": respondent.token_expires_at.date().isoformat(), "revoked": False})
    return Invitation(respondent, token)


@dataclass(frozen=True)
class TokenLookup:
    respondent: Respondent | None
    status: TokenStatus | None  # None: no such link


def find_by_token(token: str) -> TokenLookup:
    """Find the respondent a link belongs to, and whether the link can still be used."""
    if not looks_like_token(token):
        return TokenLookup(None, None)
    respondent = db.session.scalar(select(Respondent).where(Respondent.token_hash == hash_token(token)))
    if respondent is None:
        return TokenLookup(None, None)
    return TokenLookup(respondent, token_status(respondent.token_expires_at, respondent.revoked_at, utcnow()))


def respondents_of(assessment: Assessment) -> list[Respondent]:
    return list(db.session.scalars(
        select(Respondent).where(Respondent.assessment_id == assessment.id).order_by(Respondent.role, Respondent.id)
    ))
