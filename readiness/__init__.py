"""Readiness: assess whether a delegation is ready for a digital case-management tool."""
from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context, request, session
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix
from sqlalchemy.engine import Engine

from readiness import definitions, models  # noqa: F401  (models register their tables)
from readiness.cli import register_cli
from readiness.config import check_config, config_for_env
from readiness.errors import register_error_handlers
from readiness.sqlite import configure_sqlite_for_concurrency
from readiness.extensions import babel, csrf, db, migrate
from readiness.observability import configure_logging
from readiness.security import register_security_headers
from readiness.web.assets import register_assets
from readiness.web.auth import register_auth
from readiness.web.helpers import register_template_helpers
from readiness.web.inputs import register_input_hygiene

BLUEPRINTS = ["readiness.web.main", "readiness.web.auth", "readiness.web.account", "readiness.web.admin"]
BLUEPRINTS += ["readiness.web.data_admin"]
BLUEPRINTS += ["readiness.web.delegation", "readiness.web.respond"]
BLUEPRINTS += ["readiness.web.reports"]
BLUEPRINTS += ["readiness.web.hq", "readiness.web.api"]
BLUEPRINTS += ["readiness.web.committee", "readiness.web.proposals"]
BLUEPRINTS += ["readiness.web.collect", "readiness.web.paper", "readiness.web.links"]
BLUEPRINTS += ["readiness.web.followups", "readiness.web.calibration"]


def create_app(config: type | Mapping[str, Any] | None = None) -> Flask:
    """Build the app.

    :param config: a config class, or a mapping of overrides applied on top of the
        class named by ``READINESS_ENV``; ``None`` uses that class alone.
    """
    settings = _load_config(config)
    check_config(settings)
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=settings["TEMPLATE_FOLDER"],
        static_folder="static",
    )
    app.config.update(settings)
    configure_logging(app)
    if app.config["TRUSTED_PROXIES"]:
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    with app.app_context():
        _enforce_sqlite_foreign_keys(db.engine)
        configure_sqlite_for_concurrency(db.engine, app.config["SQLITE_BUSY_TIMEOUT"])
    definitions.init_app(app)

    register_assets(app)
    register_blueprints(app)
    register_auth(app)
    register_error_handlers(app)
    register_cli(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_input_hygiene(app)
    return app


def _load_config(config: type | Mapping[str, Any] | None) -> dict[str, Any]:
    base = config if isinstance(config, type) else config_for_env()
    settings = {key: getattr(base, key) for key in dir(base) if key.isupper()}
    if isinstance(config, Mapping):
        settings.update(config)
    return settings


def _select_locale() -> str | None:
    if not has_request_context():
        return None  # commands and background work use the default language
    # An explicit choice (the language switch) wins over the browser's preference.
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


def _enforce_sqlite_foreign_keys(engine: Engine) -> None:
    # SQLite ignores foreign keys unless asked per connection; PostgreSQL always enforces them.
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def register_blueprints(app: Flask) -> None:
    for module_name in BLUEPRINTS:
        app.register_blueprint(import_module(module_name).bp)
