"""Accounts: checking passwords with throttling, creating users, changing passwords."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from readiness.extensions import db
from readiness.models import User
from readiness.models.types import utcnow
from readiness.services import audit

MAX_FAILURES = 5
LOCK_MINUTES = 15
# Checked against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    message: str


def authenticate(email: str, password: str) -> LoginOutcome:
    """Check a login attempt; lock the account for a while after repeated failures.

    :return: the user on success, otherwise a message that does not reveal whether the email exists.
    """
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    generic = _("Email or password is not right.")
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return LoginOutcome(None, generic)
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        return LoginOutcome(None, _("Too many failed attempts. Try again in a few minutes."))
    if not user.is_active or not check_password_hash(user.password_hash, password):
        user.failed_login_count += 1
        if user.failed_login_count >= MAX_FAILURES:
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            user.failed_login_count = 0
            audit.record(None, "user.locked", user, after={"locked_until": user.locked_until.isoformat()})
        return LoginOutcome(None, generic)
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record(user, "user.login", user)
    return LoginOutcome(user, "")
