"""Second factor: TOTP (RFC 6238) from an authenticator app, with single-use recovery codes.

Enrolment starts with a new secret, shown as a QR code, and counts only once a code from the
app is confirmed. Recovery codes are random, shown once and stored as SHA-256 hashes.
Flushes and audits, never commits.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets

import pyotp
import segno
from collections.abc import Mapping
from typing import Any

from sqlalchemy import column, delete, select, table, update

from readiness.domain.policies import needs_second_factor
from readiness.extensions import db
from readiness.models import RecoveryCode, User, encrypted
from readiness.models.types import utcnow
from readiness.services import accounts, audit, sessions

ISSUER = "Readiness"
RECOVERY_CODE_COUNT = 10
# Same alphabet as temporary passwords: no 0/o, 1/l/i; 12 characters are about 59 bits.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# One step either side tolerates a phone clock 30 seconds off.
VALID_WINDOW = 1


def start_enrolment(user: User) -> str:
    """Give ``user`` a new, not yet confirmed secret (any earlier unconfirmed one is replaced).

    :return: the secret, in base32, to type into an app that cannot scan.
    :raise ValueError: the account already has a confirmed second factor.
    """
    if user.has_second_factor:
        raise ValueError("second factor already set up")
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = None
    db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret or "").provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_png(user: User) -> bytes:
    """The enrolment QR code as a PNG image, drawn here: no script, no third-party service."""
    out = io.BytesIO()
    segno.make(provisioning_uri(user), error="m").save(out, kind="png", scale=5, border=4)
    return out.getvalue()


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Turn the second factor on once ``code`` from the app matches the new secret.

    :return: the new recovery codes to show once, or None when the code is wrong.
    """
    if user.has_second_factor or not user.totp_secret or not _accept_totp(user, code):
        return None
    user.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    audit.record(user, "user.second_factor_on", user)
    return codes


def verify(user: User, code: str) -> str | None:
    """Check a code at login: a TOTP code, or an unused recovery code (then used up).

    A wrong code counts as a failed login (see ``accounts.count_failure``).

    :return: ``"totp"`` or ``"recovery"`` for an accepted code, None otherwise.
    """
    if not user.has_second_factor:
        return None
    if _accept_totp(user, code):
        user.failed_login_count = 0
        return "totp"
    if _use_recovery_code(user, code):
        user.failed_login_count = 0
        audit.record(user, "user.recovery_code_used", user, after={"left": remaining_recovery_codes(user)})
        return "recovery"
    # Wrong codes count with wrong passwords towards the account's lock, across login attempts.
    accounts.count_failure(user)
    return None


def regenerate_recovery_codes(user: User, code: str) -> list[str] | None:
    """Replace every recovery code, after a current TOTP code proves the app is at hand.

    :return: the new codes, or None when the code is wrong.
    """
    if not user.has_second_factor or not _accept_totp(user, code):
        return None
    codes = _new_recovery_codes(user)
    audit.record(user, "user.recovery_codes_renewed", user)
    return codes


def turn_off(user: User, code: str) -> bool:
    """Turn one's own second factor off, with a current code; not allowed where it is required.

    :return: whether it was turned off.
    """
    if needs_second_factor(user) or not _accept_totp(user, code):
        return False
    _clear(user)
    audit.record(user, "user.second_factor_off", user)
    return True


def reset(actor: User | str | None, user: User) -> None:
    """An administrator removes a lost second factor: the user sets it up again at next login.

    Every session of the user ends.
    """
    _clear(user)
    sessions.end_sessions_of(user)
    audit.record(actor, "user.second_factor_reset", user)


def remaining_recovery_codes(user: User) -> int:
    query = select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    return len(db.session.scalars(query).all())


def _accept_totp(user: User, code: str) -> bool:
    # Digits typed in another script (Arabic-Indic, say) count as the same digits.
    digits = "".join(str(int(ch)) if ch.isdecimal() else ch for ch in re.sub(r"\s", "", code or ""))
    if not user.totp_secret or not re.fullmatch(r"[0-9]{6}", digits):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now_step = totp.timecode(utcnow())
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        # A step already used cannot be used again (nor an earlier one): no replay.
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            user.totp_last_step = step
            db.session.flush()
            return True
    return False


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4)) for _ in range(3))
             for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_code(code)) for code in codes)
    db.session.flush()
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    wanted = _hash_code(code)
    for row in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))):
        if hmac.compare_digest(row.code_hash, wanted):
            row.used_at = utcnow()
            db.session.flush()
            return True
    return False


def _hash_code(code: str) -> str:
    # Typed codes may come with spaces, capitals or without the dashes.
    normalised = re.sub(r"[^a-z0-9]", "", (code or "").lower())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


_STORED = table("users", column("id"), column("totp_secret"))  # the raw column, as the database holds it


def rekey_secrets(config: Mapping[str, Any]) -> int:
    """Re-encrypt every stored second-factor secret with the current key (after a key change).

    :param config: the app's settings: ``TOTP_ENCRYPTION_KEY`` (or ``SECRET_KEY``) and the old keys.
    :return: how many secrets were re-encrypted.
    :raise SecretUnreadable: a secret opens with none of the configured keys; nothing is changed.
    """
    rows = db.session.execute(select(_STORED.c.id, _STORED.c.totp_secret).where(_STORED.c.totp_secret.is_not(None))).all()
    for user_id, stored in rows:
        db.session.execute(update(_STORED).where(_STORED.c.id == user_id).values(totp_secret=encrypted.rotate(stored, config)))
    db.session.flush()
    return len(rows)
