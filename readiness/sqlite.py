"""SQLite, the default database, made to take concurrent requests without losing a write.

Write-ahead logging lets readers (an HQ export) run while respondents save. Every transaction
opened by a state-changing request starts with ``BEGIN IMMEDIATE``: it takes the write lock at
once, waiting up to the busy timeout for other writers, instead of failing half-way when a read
transaction tries to become a write one (which no timeout can fix). A write that still cannot
get the lock raises "database is locked": ``readiness.errors`` answers 503, nothing half-saved.
"""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_sqlite_for_concurrency(engine: Engine, busy_timeout: float) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (below) instead of the sqlite3 module's own guesswork.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; fsync at checkpoints
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writing = has_request_context() and request.method not in SAFE_METHODS
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def is_locked_error(error: BaseException) -> bool:
    """:return: whether ``error`` is SQLite saying another writer holds the lock past the timeout."""
    text = str(getattr(error, "orig", error)).lower()
    return "database is locked" in text or "database table is locked" in text
