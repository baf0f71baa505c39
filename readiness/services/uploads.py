"""A file held between a preview and its confirmation, under a random key in the instance folder."""
from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import current_app

_KEY = re.compile(r"^[0-9a-f]{32}$")


def _path(scope: str, key: str) -> Path:
    return Path(current_app.instance_path) / "pending" / f"{scope}-{key}"


def hold(scope: str, data: bytes) -> str:
    """Keep ``data`` until :func:`take`; :return: its key."""
    key = secrets.token_hex(16)
    path = _path(scope, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return key


def peek(scope: str, key: str) -> bytes | None:
    if not _KEY.match(key or ""):
        return None
    path = _path(scope, key)
    return path.read_bytes() if path.is_file() else None


def drop(scope: str, key: str) -> None:
    if _KEY.match(key or ""):
        _path(scope, key).unlink(missing_ok=True)


def keep(scope: str, key: str, data: bytes) -> None:
    """Keep ``data`` under a key the caller chose (32 hex digits)."""
    if not _KEY.match(key):
        raise ValueError("key must be 32 hex digits")
    path = _path(scope, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
