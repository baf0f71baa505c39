"""Accounts: logging in with throttling, passwords, preferences, and the admin's users and delegations.

Every function takes the acting user (or a label such as "command line"), flushes, writes an
audit entry and never commits: the request or the command owns the transaction.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm.attributes import flag_modified
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from readiness.extensions import db
from readiness.models import AuditEntry, ContextType, Delegation, Locale, LoginAttempt, Role, User
from readiness.models.types import utcnow
from readiness.services import api_tokens, audit, sessions
from readiness.services.locking import check_version

Actor = User | str | None

MAX_FAILURES = 5
LOCK_MINUTES = 15
# Per client address, across every account and every app server (the rows live in the database).
# Past the free allowance every attempt from the address waits, longer and longer up to a cap,
# but is still checked: a whole office behind one NAT is slowed, never locked out.
IP_FREE_FAILURES = 20
IP_BASE_DELAY = 0.5  # seconds, doubled per failure past the allowance
IP_MAX_DELAY = 8.0
IP_WINDOW = timedelta(minutes=15)
ATTEMPT_RETENTION = timedelta(days=1)

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 200  # the login form accepts no more
# zxcvbn's scale: 3 is "safely unguessable" (about 10^8 guesses and more); it reads 72 characters.
PASSWORD_MIN_STRENGTH = 3
_STRENGTH_MAX_LENGTH = 72
# No 0/o, 1/l/i: a temporary password is often read aloud or copied from a screen.
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# Checked against when there is no real hash to check (unknown email, account without a
# password), so every path costs one hash: timing tells nothing.
_DUMMY_HASHES: dict[str, str] = {}


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    message: str


class AccountError(ValueError):
    """A change the rules refuse; ``field`` names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- Logging in -------------------------------------------------------------------------------


def login_delay(ip: str | None) -> float:
    """How long an attempt from ``ip`` must wait before its password is checked (0 when not over the limit)."""
    if not ip:
        return 0.0
    excess = _failures_from(ip, utcnow()) - IP_FREE_FAILURES
    return 0.0 if excess < 0 else min(IP_MAX_DELAY, IP_BASE_DELAY * 2 ** min(excess, 16))


def authenticate(email: str, password: str, ip: str | None = None) -> LoginOutcome:
    """Check a login attempt; lock the account for a while after repeated failures.

    Unknown, locked and deactivated accounts get the same answer as a wrong password, after
    the same work (one password hash), so neither the message nor the timing tells them apart.

    :param ip: the client's address; ``None`` (a command, a test) records no failure for it.
    :return: the user on success, otherwise a message that does not reveal whether the email exists.
    """
    now = utcnow()
    outcome = _check_password(email, password, now)
    if outcome.user is None and ip:
        _record_failure(ip, email, now)
    return outcome


def _check_password(email: str, password: str, now: datetime) -> LoginOutcome:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    right = verify_password(user.password_hash if user else None, password)
    generic = LoginOutcome(None, _("Email or password is not right. After %(num)d failed attempts an account waits %(minutes)d minutes.",
                                   num=MAX_FAILURES, minutes=LOCK_MINUTES))
    if user is None or (user.locked_until is not None and user.locked_until > now):
        return generic
    if not user.is_active or not right:
        count_failure(user)
        return generic
    if not user.has_second_factor:
        # With a second factor, the failures count on until the code is right too: a right
        # password must not give a fresh series of code guesses.
        user.failed_login_count = 0
    user.last_login_at = now
    audit.record(user, "user.login", user)
    return LoginOutcome(user, "")


def count_failure(user: User) -> None:
    """Count a wrong password or second-factor code; the account is locked for a while after ``MAX_FAILURES``."""
    user.failed_login_count += 1
    if user.failed_login_count >= MAX_FAILURES:
        user.locked_until = utcnow() + timedelta(minutes=LOCK_MINUTES)
        user.failed_login_count = 0
        audit.record(None, "user.locked", user, after={"locked_until": user.locked_until.isoformat()})
    db.session.flush()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``; costs one hash even when nothing is stored."""
    if stored and stored.count("$") >= 2:
        return check_password_hash(stored, password)
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password)
    return False


def _failures_from(ip: str, now: datetime) -> int:
    query = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.ip == ip, LoginAttempt.at > now - IP_WINDOW)
    return db.session.scalar(query) or 0


def _record_failure(ip: str, email: str, now: datetime) -> None:
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - ATTEMPT_RETENTION))
    attempt = LoginAttempt(ip=ip[:45], at=now, email=email.strip().lower()[:254])
    db.session.add(attempt)
    db.session.flush()
    if _failures_from(ip, now) == IP_FREE_FAILURES:
        audit.record(None, "login.address_slowed", attempt, after={"ip": attempt.ip, "failures": IP_FREE_FAILURES})


# --- Passwords and preferences ----------------------------------------------------------------


def password_problems(password: str, email: str) -> list[str]:
    """Why a new password is refused (an empty list when it is acceptable)."""
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(_("Use at least %(num)d characters.", num=PASSWORD_MIN_LENGTH))
    if len(password) > PASSWORD_MAX_LENGTH:
        problems.append(_("Use at most %(num)d characters.", num=PASSWORD_MAX_LENGTH))
    lowered = password.strip().lower()
    if email and lowered in {email.strip().lower(), email.strip().lower().split("@", 1)[0]}:
        problems.append(_("Do not use your email address as your password."))
    elif not problems and _strength(password, email) < PASSWORD_MIN_STRENGTH:
        problems.append(_(
            "This password is too easy to guess: it is a common password, or close to passwords found in "
            "breaches, or a simple pattern (a sequence, a repeated character, a keyboard row, a date, a word "
            "with digits). A few unrelated words are stronger and easy to remember."
        ))
    return problems


def _strength(password: str, email: str) -> int:
    # Patterns that the person's own address gives away count as guessed too.
    hints = [part for part in re.split(r"[@._\-+]", email.lower()) if len(part) > 2]
    return int(zxcvbn(password[:_STRENGTH_MAX_LENGTH], user_inputs=hints)["score"])


def temporary_password() -> str:
    """A random password to hand over once, e.g. ``k7mp-x3qa-9dfr-t2wz`` (about 80 bits)."""
    groups = ("".join(secrets.choice(_TEMP_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password; every session of the account ends (the caller starts a new one).

    :raise AccountError: the current password is wrong, or the new one is weak or unchanged.
    """
    if not verify_password(user.password_hash, current):
        raise AccountError("current_password", _("This is not your current password."))
    problems = password_problems(new, user.email)
    if problems:
        raise AccountError("new_password", " ".join(problems))
    if check_password_hash(user.password_hash, new):
        raise AccountError("new_password", _("Choose a password different from the current one."))
    user.password_hash = hash_password(new)
    user.must_change_password = False
    db.session.flush()
    sessions.end_sessions_of(user)
    audit.record(user, "user.password_change", user)


def set_locale(user: User, locale: Locale) -> None:
    """Set one's preferred interface language (applied at every login)."""
    if user.locale == locale:
        return
    before = user.locale.value
    user.locale = locale
    db.session.flush()
    audit.record(user, "user.locale", user, before={"locale": before}, after={"locale": locale.value})


# --- Users (administration) -------------------------------------------------------------------


def find_users(search: str = "", role: Role | None = None) -> list[User]:
    """Users by name, optionally filtered by a name/email fragment and a role."""
    query = select(User).order_by(func.lower(User.name), User.id)
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(or_(func.lower(User.name).like(pattern), User.email.like(pattern)))
    if role is not None:
        query = query.where(User.role == role)
    return list(db.session.scalars(query))


def all_delegations() -> list[Delegation]:
    return list(db.session.scalars(select(Delegation).order_by(func.lower(Delegation.name))))


def delegations_named(names: Iterable[str]) -> list[Delegation]:
    """The delegations with these exact names.

    :raise AccountError: a name matches no delegation (the message lists the known ones).
    """
    wanted = list(dict.fromkeys(names))
    found = {d.name: d for d in db.session.scalars(select(Delegation).where(Delegation.name.in_(wanted)))}
    missing = [name for name in wanted if name not in found]
    if missing:
        known = ", ".join(d.name for d in all_delegations()) or _("none yet")
        raise AccountError("delegations", _("Unknown delegation: %(names)s. Known: %(known)s.", names=", ".join(missing), known=known))
    return [found[name] for name in wanted]


def create_user(
    actor: Actor,
    *,
    email: str,
    name: str,
    role: Role,
    delegations: Iterable[Delegation] = (),
    is_active: bool = True,
    password: str | None = None,
) -> tuple[User, str | None]:
    """Create an account, with the given password or a generated temporary one.

    :return: the user, and the temporary password to hand over (``None`` when one was given).
    :raise AccountError: the email is taken or the password is weak.
    """
    _check_email_free(email)
    temporary = None
    if password is None:
        password = temporary = temporary_password()
    problems = password_problems(password, email)
    if problems:
        raise AccountError("password", " ".join(problems))
    user = User(email=email, name=name.strip(), role=role, is_active=is_active, must_change_password=temporary is not None,
                password_hash=hash_password(password), delegations=list(delegations))
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user, after=_user_state(user))
    return user, temporary


def update_user(
    actor: Actor,
    user: User,
    *,
    version: int | None,
    email: str,
    name: str,
    role: Role,
    is_active: bool,
    delegations: Iterable[Delegation],
) -> bool:
    """Change an account's details, role, status and memberships.

    :param version: the ``version_id`` the editor saw; ``None`` skips the check (commands).
    :return: whether anything changed.
    :raise EditConflict: someone saved the user since ``version`` was read.
    :raise AccountError: the email is taken, or the change would leave no active administrator.
    """
    check_version(user, version)
    if email.strip().lower() != user.email:
        _check_email_free(email)
    _check_admins_remain(actor, user, role, is_active)
    before = _user_state(user)
    user.email, user.name, user.role, user.is_active = email, name.strip(), role, is_active
    user.delegations = sorted(delegations, key=lambda d: d.name)
    after = _user_state(user)
    if before == after:
        return False
    # Memberships live in another table: touch the row so the version counter moves too.
    flag_modified(user, "name")
    db.session.flush()
    if before["role"] != after["role"] or not user.is_active:
        # A token is bound to the role it was issued for: it dies now and stays dead if the role comes back.
        api_tokens.revoke_tokens_of(actor, user)
    if not user.is_active:
        sessions.end_sessions_of(user)
    changed = [key for key in after if before[key] != after[key]]
    audit.record(actor, "user.update", user, before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return True


def reset_password(actor: Actor, user: User) -> str:
    """Replace a user's password with a temporary one and lift any lock; their sessions end.

    :return: the temporary password, to show once and hand over.
    """
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.failed_login_count = 0
    user.locked_until = None
    db.session.flush()
    sessions.end_sessions_of(user)
    audit.record(actor, "user.password_reset", user)
    return password


def unlock_user(actor: Actor, user: User) -> None:
    """Lift a lock set by failed logins before it runs out."""
    before = user.locked_until.isoformat() if user.locked_until else None
    user.failed_login_count = 0
    user.locked_until = None
    db.session.flush()
    audit.record(actor, "user.unlock", user, before={"locked_until": before}, after={"locked_until": None})


def history_of(record: User | Delegation, limit: int = 20) -> list[AuditEntry]:
    """The latest audit entries about a user or a delegation, newest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.target_type == type(record).__name__, AuditEntry.target_id == str(record.id))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def _user_state(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role.value,
        "is_active": user.is_active,
        "delegations": [d.name for d in user.delegations],
    }


def _check_email_free(email: str) -> None:
    if db.session.scalar(select(User.id).where(User.email == email.strip().lower())) is not None:
        raise AccountError("email", _("Another account already uses this email."))


def _check_admins_remain(actor: Actor, user: User, role: Role, is_active: bool) -> None:
    if isinstance(actor, User) and actor.id == user.id and not is_active:
        raise AccountError("is_active", _("You cannot deactivate your own account."))
    stays_admin = role is Role.ADMIN and is_active
    if user.role is not Role.ADMIN or not user.is_active or stays_admin:
        return
    others = select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.is_active, User.id != user.id)
    if not db.session.scalar(others):
        field = "role" if role is not Role.ADMIN else "is_active"
        raise AccountError(field, _("This is the last active administrator: make someone else an administrator first."))


# --- Delegations (administration) -------------------------------------------------------------


def create_delegation(actor: Actor, *, name: str, country: str, region: str, context_type: ContextType) -> Delegation:
    """Create a delegation.

    :raise AccountError: another delegation has this name.
    """
    _check_delegation_name_free(name)
    delegation = Delegation(name=name.strip(), country=country.strip(), region=region.strip(), context_type=context_type)
    db.session.add(delegation)
    db.session.flush()
    audit.record(actor, "delegation.create", delegation, after=_delegation_state(delegation))
    return delegation


def update_delegation(
    actor: Actor, delegation: Delegation, *, version: int | None, name: str, country: str, region: str, context_type: ContextType
) -> bool:
    """Change a delegation's details.

    :return: whether anything changed.
    :raise EditConflict: someone saved the delegation since ``version`` was read.
    :raise AccountError: another delegation has the new name.
    """
    check_version(delegation, version)
    if name.strip().lower() != delegation.name.lower():
        _check_delegation_name_free(name)
    before = _delegation_state(delegation)
    delegation.name, delegation.country, delegation.region = name.strip(), country.strip(), region.strip()
    delegation.context_type = context_type
    after = _delegation_state(delegation)
    if before == after:
        return False
    db.session.flush()
    changed = [key for key in after if before[key] != after[key]]
    audit.record(actor, "delegation.update", delegation, before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return True


def _delegation_state(delegation: Delegation) -> dict[str, Any]:
    return {
        "name": delegation.name,
        "country": delegation.country,
        "region": delegation.region,
        "context_type": delegation.context_type.value,
    }


def _check_delegation_name_free(name: str) -> None:
    query = select(Delegation.id).where(func.lower(Delegation.name) == name.strip().lower())
    if db.session.scalar(query) is not None:
        raise AccountError("name", _("Another delegation already has this name."))
