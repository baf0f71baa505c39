"""Alembic environment, driven by Flask-Migrate (``flask --app wsgi db ...``)."""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy.dialects.postgresql import JSONB

from readiness.models.types import UTCDateTime

config = context.config
if config.config_file_name is not None:
    # Keep loggers configured by the caller (pytest, gunicorn) alive.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def get_metadata():
    return target_db.metadata


def render_item(type_, obj, autogen_context):
    """Write our column types as plain SQLAlchemy types, so migrations never import app code."""
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    variant = getattr(obj, "_variant_mapping", {}).get("postgresql")
    if isinstance(variant, JSONB):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), 'postgresql')"
    return False


def run_migrations_offline():
    url = target_db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True,
                      render_as_batch=True, render_item=render_item)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("render_item", render_item)

    with target_db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch migrations rebuild tables; with foreign keys on, dropping the old table
            # would cascade into its children. Must run before the transaction begins.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            # End the implicit transaction, or Alembic would join it and never commit.
            connection.commit()
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
