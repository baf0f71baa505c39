"""Secrets kept encrypted at rest: the database holds a Fernet token, the app the key.

The key comes from configuration: ``TOTP_ENCRYPTION_KEY`` if set, else ``SECRET_KEY``; either is
stretched with HKDF-SHA256 into a Fernet key (AES-128-CBC with an HMAC-SHA256 tag). Keys being
retired go in ``TOTP_ENCRYPTION_OLD_KEYS`` (comma-separated): they still decrypt, and
``flask users rekey-second-factor`` re-encrypts every secret with the current key (see the README).
"""
from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

_INFO = b"readiness/totp-secret/v1"
PREFIX = "gAAAAA"  # every Fernet token starts so (version byte 0x80, then the timestamp's zero bytes)


class SecretUnreadable(RuntimeError):
    """A stored secret does not open with the configured keys (the key changed without a rekey)."""


def _fernet(material: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def cipher_for(config: Mapping[str, Any]) -> MultiFernet:
    """:return: the cipher that encrypts with the current key and decrypts with it or any old one."""
    current = config.get("TOTP_ENCRYPTION_KEY") or config["SECRET_KEY"]
    old = [k.strip() for k in (config.get("TOTP_ENCRYPTION_OLD_KEYS") or "").split(",") if k.strip()]
    return MultiFernet([_fernet(current)] + [_fernet(k) for k in old])


def encrypt(plain: str, config: Mapping[str, Any]) -> str:
    return cipher_for(config).encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str, config: Mapping[str, Any]) -> str:
    """:raise SecretUnreadable: ``token`` was made with a key that is no longer configured."""
    try:
        return cipher_for(config).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise SecretUnreadable(
            "a stored second-factor secret cannot be decrypted: TOTP_ENCRYPTION_KEY (or SECRET_KEY) changed; "
            "put the previous value in TOTP_ENCRYPTION_OLD_KEYS and run 'flask users rekey-second-factor'") from None


def rotate(token: str, config: Mapping[str, Any]) -> str:
    """:return: ``token`` re-encrypted with the current key."""
    return cipher_for(config).rotate(token.encode("ascii")).decode("ascii")


class EncryptedString(TypeDecorator[str]):
    """A string column stored encrypted with the app's key; reads give the plain value back."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else encrypt(value, current_app.config)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else decrypt(value, current_app.config)
