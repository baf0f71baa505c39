"""Configuration classes; values come from the environment with safe defaults."""
from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import orjson

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("READINESS_INSTANCE_DIR", REPO_ROOT / "instance"))

# Usable on a developer's machine only: create_app() refuses it in production.
DEV_SECRET_KEY = "dev-only-insecure-secret-key"
# Production's secret signs every session cookie and CSRF token: at least 256 bits.
MIN_SECRET_KEY_BYTES = 32


def _minutes(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _default_database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'readiness.db'}"


def _days(name: str, default: int) -> int | None:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in ("", "forever", "none"):
        return None
    days = int(value)
    if days < 1:
        raise RuntimeError(f"{name} must be a number of days of at least 1, or 'forever'")
    return days



def json_loads(text: str | bytes | memoryview) -> object:
    """Decode a JSON column (SQLite's text, PostgreSQL's JSONB) with orjson: about five times as fast.

    HQ pages decode one small JSON value per delegation and column, reports a whole stored result.
    Anything orjson refuses and the standard library reads (NaN, numbers beyond 64 bits) goes to the latter.
    """
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(bytes(text) if isinstance(text, memoryview) else text)

class Config:
    READINESS_ENV = os.environ.get("READINESS_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
    # Encrypts second-factor secrets at rest (readiness.models.encrypted); SECRET_KEY when unset.
    # Set it on its own so that SECRET_KEY can change without a rekey; retired values go in
    # TOTP_ENCRYPTION_OLD_KEYS (comma-separated) until `flask users rekey-second-factor` has run.
    TOTP_ENCRYPTION_KEY = os.environ.get("TOTP_ENCRYPTION_KEY") or None
    TOTP_ENCRYPTION_OLD_KEYS = os.environ.get("TOTP_ENCRYPTION_OLD_KEYS", "")

    INSTANCE_PATH = str(INSTANCE_DIR)
    TEMPLATE_FOLDER = os.environ.get("TEMPLATE_FOLDER") or str(REPO_ROOT / "templates")
    QUESTIONNAIRE_DIR = os.environ.get("QUESTIONNAIRE_DIR") or str(REPO_ROOT / "questionnaires")
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR") or str(INSTANCE_DIR / "evidence")
    # "filesystem" keeps evidence in EVIDENCE_DIR; "database" keeps it in PostgreSQL (or SQLite),
    # so several app servers can share it without a shared folder.
    EVIDENCE_STORAGE = os.environ.get("EVIDENCE_STORAGE", "filesystem")

    SQLALCHEMY_DATABASE_URI = _default_database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "json_deserializer": json_loads}
    # Seconds a write waits for another one to finish on SQLite before the request is refused (503).
    SQLITE_BUSY_TIMEOUT = float(os.environ.get("SQLITE_BUSY_TIMEOUT", "15"))

    MAX_CONTENT_LENGTH = 10 * 1024 * 1024

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    # Retention periods in days ("" or "forever" keeps that data for ever); see the README's
    # data-protection section. `flask data purge --apply` applies them.
    RETENTION_ANSWERS_DAYS = _days("RETENTION_ANSWERS_DAYS", 3 * 365)  # respondents, answers, comments
    RETENTION_EVIDENCE_DAYS = _days("RETENTION_EVIDENCE_DAYS", 3 * 365)  # files on answers and charter answers
    RETENTION_PROPOSALS_DAYS = _days("RETENTION_PROPOSALS_DAYS", 6 * 365)  # closed ethics proposals
    RETENTION_AUDIT_DAYS = _days("RETENTION_AUDIT_DAYS", 6 * 365)  # audit entries

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # Interface languages, in menu order. Adding one is a data change: see the README's "Languages".
    LANGUAGES = ["en", "fr", "es", "ar"]
    # Review status of each interface catalogue: "source", "reviewed" by a native-speaking
    # practitioner, or (any language not listed) "draft", which the menu and documents say.
    LANGUAGE_REVIEW = {"en": "source", "fr": "reviewed"}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    # A login ends after this long without a request, and after the absolute limit in any case.
    SESSION_IDLE_MINUTES = _minutes("SESSION_IDLE_MINUTES", 30)
    SESSION_ABSOLUTE_MINUTES = _minutes("SESSION_ABSOLUTE_MINUTES", 12 * 60)
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=SESSION_ABSOLUTE_MINUTES)
    # Administrators, headquarters and committee members must use a second factor (TOTP).
    SECOND_FACTOR_REQUIRED = True
    # werkzeug's method string; the tests use a deliberately cheap one (see TestConfig).
    PASSWORD_HASH_METHOD = "scrypt"
    API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", 90))
    # Below this many peers a comparison says "too few peers" instead of placing the delegation.
    HQ_MIN_PEERS = int(os.environ.get("HQ_MIN_PEERS", 5))

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the signed session

    HSTS_ENABLED = False
    # How many reverse proxies sit in front of the app; their X-Forwarded-For gives the client
    # address used by the login throttle. Zero means requests come straight from clients.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # E-mail invitations and reminders: off unless MAIL_SERVER is set (everything else works without).
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "true").lower() == "true"  # STARTTLS
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "false").lower() == "true"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER") or "readiness@localhost"
    MAIL_TIMEOUT = 20

    # Calibration (HQ): a group with fewer follow-ups than this that could be judged is shown with
    # a plain warning that it is too few to conclude anything.
    CALIBRATION_MIN_CASES = int(os.environ.get("CALIBRATION_MIN_CASES", "5"))

    # Optional Primero API client for follow-up figures (readiness/services/primero.py): off unless set.
    PRIMERO_URL = os.environ.get("PRIMERO_URL") or None
    PRIMERO_USER = os.environ.get("PRIMERO_USER") or None
    PRIMERO_PASSWORD = os.environ.get("PRIMERO_PASSWORD") or None
    PRIMERO_KPI_PATH = os.environ.get("PRIMERO_KPI_PATH") or None
    PRIMERO_KPIS = os.environ.get("PRIMERO_KPIS") or None
    PRIMERO_TIMEOUT = float(os.environ.get("PRIMERO_TIMEOUT", "10"))


class DevConfig(Config):
    READINESS_ENV = "development"
    DEBUG = True
    # The demo (`make run`) logs in with printed passwords and no authenticator app; set
    # SECOND_FACTOR_REQUIRED=1 to try the real flow. Production always requires it.
    SECOND_FACTOR_REQUIRED = os.environ.get("SECOND_FACTOR_REQUIRED", "0") == "1"


class TestConfig(Config):
    READINESS_ENV = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    EVIDENCE_DIR = os.environ.get("TEST_EVIDENCE_DIR") or Config.EVIDENCE_DIR
    # Hashing is a third of the suite's CPU with scrypt; one PBKDF2 round tests the same code.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
    # Most tests log in as headquarters or committee members in one step; the second-factor
    # tests switch this on, as production has it.
    SECOND_FACTOR_REQUIRED = False
    MAIL_SERVER = None  # tests that send e-mail start their own SMTP server


class ProductionConfig(Config):
    READINESS_ENV = "production"
    SESSION_COOKIE_SECURE = True
    # "__Host-": the browser keeps it only if Secure, for the whole site, set by this host alone.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
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

    :raise RuntimeError: production runs with the development secret key, a short one, or
        without the second factor.
    """
    production = (
        config.get("READINESS_ENV") == "production"
        or os.environ.get("READINESS_ENV") == "production"
    )
    if not production:
        return
    key = config.get("SECRET_KEY") or ""
    if not key or key == DEV_SECRET_KEY:
        raise RuntimeError("SECRET_KEY must be set in the environment when READINESS_ENV=production")
    size = len(key.encode("utf-8")) if isinstance(key, str) else len(key)
    if size < MIN_SECRET_KEY_BYTES:
        raise RuntimeError(
            f"SECRET_KEY is {size} bytes long; production needs at least {MIN_SECRET_KEY_BYTES} random bytes "
            '(for example: python -c "import secrets; print(secrets.token_hex(32))")'
        )
    totp_key = config.get("TOTP_ENCRYPTION_KEY")
    if totp_key and len(totp_key.encode("utf-8")) < MIN_SECRET_KEY_BYTES:
        raise RuntimeError(f"TOTP_ENCRYPTION_KEY needs at least {MIN_SECRET_KEY_BYTES} random bytes in production")
    if not config.get("SECOND_FACTOR_REQUIRED", True):
        raise RuntimeError("SECOND_FACTOR_REQUIRED cannot be switched off when READINESS_ENV=production")
