"""SQLite under load: WAL mode, a busy timeout, writers that wait their turn, and a 503 (never a 500) past it."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import select, text

from readiness.extensions import db
from readiness.models import Delegation, Role

from ..conftest import is_postgres
from ..helpers import csrf_token_in


@pytest.fixture
def sqlite_app(make_app, tmp_path: Path, database_url: str):
    if is_postgres(database_url):
        pytest.skip("SQLite only")
    url = f"sqlite:///{tmp_path / 'load.db'}"
    app = make_app(url, SQLITE_BUSY_TIMEOUT=0.5)
    with app.app_context():
        flask_migrate.upgrade()
    yield app, tmp_path / "load.db"
    with app.app_context():
        db.engine.dispose()


def _admin_client(app):
    from werkzeug.security import generate_password_hash

    from readiness.models import User

    with app.app_context():
        db.session.add(User(email="admin@example.org", name="Admin", role=Role.ADMIN,
                            password_hash=generate_password_hash("a long enough secret")))
        db.session.commit()
    client = app.test_client()
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"email": "admin@example.org", "password": "a long enough secret",
                                       "csrf_token": token}).status_code == 302
    return client


def _new_delegation(client, name: str):
    token = csrf_token_in(client.get("/admin/delegations/new").get_data(as_text=True))
    return client.post("/admin/delegations/new", data={"csrf_token": token, "name": name, "country": "Mali",
                                                       "region": "West Africa", "context_type": "stable"})


def test_the_default_database_runs_in_wal_mode_with_a_busy_timeout(sqlite_app) -> None:
    app, _path = sqlite_app
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 500


def test_a_save_waits_for_another_writer_to_finish(sqlite_app) -> None:
    app, path = sqlite_app
    client = _admin_client(app)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # someone else is writing
    finisher = threading.Timer(0.2, other.execute, ["COMMIT"])
    finisher.start()

    response = _new_delegation(client, "Gao")

    finisher.join()
    other.close()
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Delegation.name)).all() == ["Gao"]


def test_a_save_that_cannot_get_the_lock_is_refused_with_a_503_and_nothing_half_saved(sqlite_app) -> None:
    app, path = sqlite_app
    client = _admin_client(app)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        response = _new_delegation(client, "Gao")
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "nothing of yours was saved" in response.get_data(as_text=True)
    assert _new_delegation(client, "Gao").status_code == 302  # sent again, it is saved once
    with app.app_context():
        assert db.session.scalars(select(Delegation.name)).all() == ["Gao"]


def test_a_long_read_does_not_block_a_write(sqlite_app) -> None:
    """An HQ export reading while respondents save: with WAL the reader holds no lock a writer needs."""
    app, path = sqlite_app
    client = _admin_client(app)
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM delegations").fetchall()
    try:
        assert _new_delegation(client, "Gao").status_code == 302
    finally:
        reader.execute("COMMIT")
        reader.close()
