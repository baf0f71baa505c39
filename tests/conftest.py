"""Shared fixtures: an app on a migrated database, emptied after every test.

The database comes from ``TEST_DATABASE_URL`` (default: a fresh SQLite file). Its schema
is built by running the Alembic migrations, never ``create_all()``; a PostgreSQL test
database is wiped (schema ``public`` dropped) at the start of the run.
"""
from __future__ import annotations

import gc
import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import scoped_session
from werkzeug.security import generate_password_hash

from readiness import create_app
from readiness.config import TestConfig
from readiness.extensions import db
from readiness.models import Role, User

from . import compile_cache
from .helpers import csrf_token_in

compile_cache.install()  # a fresh app per test, without recompiling URL rules and templates (compile_cache.py)

IN_CI = os.environ.get("CI", "").lower() == "true"


def settings_for(database_url: str, tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    """Settings for an app under test on ``database_url``, with its files under ``tmp_path``."""
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    settings.update(
        SQLALCHEMY_DATABASE_URI=database_url,
        INSTANCE_PATH=str(tmp_path / "instance"),
        EVIDENCE_DIR=str(tmp_path / "evidence"),
    )
    settings.update(overrides)
    return settings


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def require_reachable(url: str) -> None:
    """Stop the whole run, loudly, when the configured database cannot be reached."""
    engine = create_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        where = make_url(url).render_as_string(hide_password=True)
        pytest.exit(f"TEST_DATABASE_URL={where} is unreachable: {error.orig}", returncode=3)
    finally:
        engine.dispose()


def worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database, created afresh."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def wipe_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def delete_all_rows() -> None:
    """Empty every model table, children first; much faster than rebuilding the schema."""
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url and is_postgres(url):
        return
    skip = pytest.mark.skip(reason="needs TEST_DATABASE_URL pointing at PostgreSQL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of the test database, migrated to head once per run."""
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )
    require_reachable(url)
    if is_postgres(url):
        url = worker_database(url)
        wipe_postgres(url)
    tmp = tmp_path_factory.mktemp("migrate")
    app = create_app(settings_for(url, tmp))
    with app.app_context():
        flask_migrate.upgrade()
        db.session.remove()
        db.engine.dispose()
    return url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(settings_for(database_url, tmp_path))
    yield app
    with app.app_context():
        delete_all_rows()
    dispose_engines(app)


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Factory for an extra app on another database: ``make_app(url, **settings)``.

    Each app's engines are disposed after the test: a pool left to the garbage collector
    closes its PostgreSQL connections at a random later moment (a ResourceWarning there).
    """
    made: list[Flask] = []

    def make(database_url: str, **overrides: Any) -> Flask:
        made.append(create_app(settings_for(database_url, tmp_path, **overrides)))
        return made[-1]

    yield make
    for extra in made:
        dispose_engines(extra)
    # A connection still held when an engine was disposed goes back to the discarded pool and is closed
    # by the garbage collector, whenever it runs: collect now, so the warning names this test.
    gc.collect()


def dispose_engines(app: Flask) -> None:
    """Close every pooled connection of ``app`` now, rather than when the garbage collector gets to it."""
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def db_session(app: Flask) -> Iterator[scoped_session]:
    """The app's session inside an app context (requests made meanwhile share it)."""
    with app.app_context():
        yield db.session


@pytest.fixture
def make_user(db_session: scoped_session) -> Callable[..., User]:
    """Factory: ``make_user(role=Role.HQ, password="...")`` returns a committed user."""
    numbers = itertools.count(1)

    def make(*, password: str | None = None, **fields: Any) -> User:
        n = next(numbers)
        defaults: dict[str, Any] = {
            "email": f"user{n}@example.org",
            "name": f"User {n}",
            "role": Role.MEMBER,
            # "!" matches no password hash, so the account cannot log in unless given one.
            "password_hash": generate_password_hash(password, method=TestConfig.PASSWORD_HASH_METHOD) if password else "!",
        }
        user = User(**(defaults | fields))
        db_session.add(user)
        db_session.commit()
        return user

    return make


@pytest.fixture
def login_as(client: FlaskClient, make_user: Callable[..., User]) -> Callable[..., User]:
    """Log the test client in as a new user: ``login_as(Role.HQ)`` or ``login_as(Role.MEMBER, delegations=[d])``."""

    def login(role: Role = Role.MEMBER, **fields: Any) -> User:
        password = "correct horse battery"
        user = make_user(role=role, password=password, **fields)
        page = client.get("/login").get_data(as_text=True)
        token = csrf_token_in(page)
        response = client.post("/login", data={"email": user.email, "password": password, "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


@pytest.fixture
def empty_database_url(tmp_path: Path, database_url: str) -> Iterator[str]:
    """A brand-new empty database on the same engine as the test database."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"{url.database}_mig_{uuid.uuid4().hex[:8]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
