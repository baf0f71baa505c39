"""Configuration classes; values come from the environment with safe defaults."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("READINESS_INSTANCE_DIR", REPO_ROOT / "instance"))

# Usable on a developer's machine only: create_app() refuses it in production.
DEV_SECRET_KEY = "dev-only-insecure-secret-key"


def _default_database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'readiness.db'}"


class Config:
    READINESS_ENV = os.environ.get("READINESS_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY

    INSTANCE_PATH = str(INSTANCE_DIR)
    TEMPLATE_FOLDER = os.environ.get("TEMPLATE_FOLDER") or str(REPO_ROOT / "templates")
    QUESTIONNAIRE_DIR = os.environ.get("QUESTIONNAIRE_DIR") or str(REPO_ROOT / "questionnaires")
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR") or str(INSTANCE_DIR / "evidence")

    SQLALCHEMY_DATABASE_URI = _default_database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    MAX_CONTENT_LENGTH = 10 * 1024 * 1024

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ["en", "fr"]

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the signed session

    HSTS_ENABLED = False
    # How many reverse proxies sit in front of the app; their X-Forwarded-For gives the client
    # address used by the login throttle. Zero means requests come straight from clients.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Plotly's bundle is large and versioned in its URL, so browsers may keep it a year.
    VENDOR_MAX_AGE = 365 * 24 * 3600

    # E-mail invitations and reminders: off unless MAIL_SERVER is set (everything else works without).
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "true").lower() == "true"  # STARTTLS
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "false").lower() == "true"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER") or "readiness@localhost"
    MAIL_TIMEOUT = 20


class DevConfig(Config):
    READINESS_ENV = "development"
    DEBUG = True


class TestConfig(Config):
    READINESS_ENV = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    EVIDENCE_DIR = os.environ.get("TEST_EVIDENCE_DIR") or Config.EVIDENCE_DIR
    MAIL_SERVER = None  # tests that send e-mail start their own SMTP server


class ProductionConfig(Config):
    READINESS_ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_ENABLED = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for_env() -> type[Config]:
    """Pick the config class named by ``READINESS_ENV`` (default: development).

    :raise RuntimeError: the name is unknown, so we refuse to guess.
    """
    name = os.environ.get("READINESS_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"READINESS_ENV={name!r} is not one of {sorted(CONFIGS)}"
        ) from None


def check_config(config: dict) -> None:
    """Refuse settings that are unsafe in production.

    :raise RuntimeError: production runs with the development secret key.
    """
    production = (
        config.get("READINESS_ENV") == "production"
        or os.environ.get("READINESS_ENV") == "production"
    )
    if production and (not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEV_SECRET_KEY):
        raise RuntimeError("SECRET_KEY must be set in the environment when READINESS_ENV=production")
