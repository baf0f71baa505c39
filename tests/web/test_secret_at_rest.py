"""Second-factor secrets are encrypted at rest with a key from the configuration, and keys can be rotated."""
from __future__ import annotations

import flask_migrate
import pyotp
import pytest
from sqlalchemy import text

from readiness.extensions import db
from readiness.models import Role, User
from readiness.models.encrypted import PREFIX, SecretUnreadable, decrypt
from readiness.models.types import utcnow


def stored_secret(user_id: int) -> str:
    return db.session.execute(text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user_id}).scalar_one()


def enrolled(make_user) -> tuple[User, str]:
    user = make_user(role=Role.HQ)
    secret = pyotp.random_base32()
    user.totp_secret, user.totp_enabled_at = secret, utcnow()
    db.session.commit()
    return user, secret


def test_the_column_holds_a_token_never_the_secret(app, db_session, make_user) -> None:
    user, secret = enrolled(make_user)

    column = stored_secret(user.id)
    assert secret not in column and column.startswith(PREFIX)
    assert decrypt(column, app.config) == secret
    db_session.expire_all()
    assert db_session.get(User, user.id).totp_secret == secret  # the app reads it back in the clear


def test_a_changed_key_needs_the_old_one_until_the_secrets_are_rekeyed(app, db_session, make_user, make_app, database_url) -> None:
    user, secret = enrolled(make_user)
    user_id = user.id
    before = stored_secret(user_id)
    new_key = "a-new-key-of-at-least-thirty-two-bytes-0123456789"

    stranger = make_app(database_url, TOTP_ENCRYPTION_KEY=new_key)
    with stranger.app_context(), pytest.raises(SecretUnreadable, match="TOTP_ENCRYPTION_OLD_KEYS"):
        db.session.get(User, user_id).totp_secret  # noqa: B018 - reading it is the point

    rotating = make_app(database_url, TOTP_ENCRYPTION_KEY=new_key, TOTP_ENCRYPTION_OLD_KEYS=app.config["SECRET_KEY"])
    with rotating.app_context():  # the command runs in the app context it finds
        result = rotating.test_cli_runner().invoke(args=["users", "rekey-second-factor"])
    assert result.exit_code == 0 and "1 second-factor secret(s) re-encrypted" in result.output

    with stranger.app_context():
        after = stored_secret(user_id)
        assert after != before and secret not in after
        assert db.session.get(User, user_id).totp_secret == secret  # the new key alone opens it now


def test_the_migration_encrypts_the_secrets_stored_in_the_clear(make_app, empty_database_url) -> None:
    app = make_app(empty_database_url)
    secret = pyotp.random_base32()
    with app.app_context():
        flask_migrate.upgrade(revision="a7c3e5f1d9b2")  # the schema before secrets were encrypted
        db.session.execute(text(
            "INSERT INTO users (email, name, password_hash, role, locale, is_active, created_at, failed_login_count, "
            "must_change_password, totp_secret, totp_enabled_at, version_id) VALUES ('hq@example.org', 'HQ', 'x', 'hq', "
            "'en', :yes, :now, 0, :no, :secret, :now, 1)"), {"secret": secret, "now": utcnow(), "yes": True, "no": False})
        db.session.commit()
        user_id = db.session.execute(text("SELECT id FROM users")).scalar_one()
        db.session.remove()  # no transaction left open for the migration's ALTER TABLE to wait on

        flask_migrate.upgrade()
        column = stored_secret(user_id)
        db.session.remove()
        assert secret not in column and decrypt(column, app.config) == secret

        flask_migrate.downgrade(revision="a7c3e5f1d9b2")
        assert stored_secret(user_id) == secret
        db.session.remove()
