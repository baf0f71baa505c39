"""SQLite, the default database, made to take concurrent requests without losing a write.

Write-ahead logging lets readers (an HQ export) run while respondents save, and the busy timeout
makes a writer wait for another one instead of failing at once. A write that still cannot get the
lock raises "database is locked": ``readiness.errors`` answers 503, nothing half-saved, and the
person sends the page again.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_sqlite_for_concurrency(engine: Engine, busy_timeout: float) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; fsync at checkpoints
        cursor.close()


def is_locked_error(error: BaseException) -> bool:
    """:return: whether ``error`` is SQLite saying another writer holds the lock past the timeout."""
    text = str(getattr(error, "orig", error)).lower()
    return "database is locked" in text or "database table is locked" in text
