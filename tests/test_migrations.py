"""Alembic is the only schema source: migrating an empty database must give the models' schema."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import CheckConstraint, inspect

from readiness.extensions import db


@pytest.fixture
def empty_app(make_app: Callable[..., Flask], empty_database_url: str) -> Iterator[Flask]:
    app = make_app(empty_database_url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def check_constraint_names(table_name: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_check_constraints(table_name)}


def model_check_constraint_names(table_name: str) -> set[str]:
    table = db.metadata.tables[table_name]
    return {str(c.name) for c in table.constraints if isinstance(c, CheckConstraint)}


def table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_gives_the_models_schema(empty_app: Flask) -> None:
    flask_migrate.upgrade()

    assert table_names() == set(db.metadata.tables)
    assert schema_differences() == []


def test_migrated_check_constraints_match_the_models(empty_app: Flask) -> None:
    # Alembic's comparison skips CHECK constraints; enums and answer rules live in them.
    flask_migrate.upgrade()

    for table_name in db.metadata.tables:
        assert check_constraint_names(table_name) == model_check_constraint_names(table_name), table_name
    assert "ck_users_user_role" in check_constraint_names("users")


def test_downgrade_to_base_then_upgrade_again(empty_app: Flask) -> None:
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")
    assert table_names() == set()

    flask_migrate.upgrade()
    assert schema_differences() == []


def test_the_migration_chain_has_a_single_head(empty_app: Flask) -> None:
    from alembic.script import ScriptDirectory

    config = empty_app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1

