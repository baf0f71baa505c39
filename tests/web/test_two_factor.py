"""Second factor: enrolment with a QR code, the code at login, recovery codes, the admin's reset."""
from __future__ import annotations

import io
import re

import pyotp
import pytest
import zxingcpp
from flask import g
from PIL import Image
from sqlalchemy import select

from readiness.config import DevConfig, ProductionConfig, TestConfig, check_config
from readiness.models import AuditEntry, RecoveryCode, Role, UserSession, utcnow
from readiness.services import two_factor

from ..helpers import csrf_token_in

PASSWORD = "correct horse battery"


@pytest.fixture
def app(app):
    app.config["SECOND_FACTOR_REQUIRED"] = True  # as in production
    return app


def fresh(client, path):
    for cached in ("csrf_token", "_flask_babel"):
        g.pop(cached, None)
    return client.get(path)


def post_form(client, path, data, page=None):
    token = csrf_token_in(fresh(client, page or path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def enrolled(make_user, db_session, **fields):
    user = make_user(password=PASSWORD, **fields)
    user.totp_secret, user.totp_enabled_at = pyotp.random_base32(), utcnow()
    db_session.commit()
    return user


def password_step(client, user, next_url=None):
    return post_form(client, "/login" + (f"?next={next_url}" if next_url else ""), {"email": user.email, "password": PASSWORD}, page="/login")


def test_an_enrolled_account_needs_the_code_after_the_password(client, make_user, db_session):
    user = enrolled(make_user, db_session, role=Role.HQ)
    response = password_step(client, user, next_url="/account")
    assert response.headers["Location"].startswith("/login/code")
    assert client.get("/account").headers["Location"].startswith("/login")  # the password alone opens nothing

    wrong = post_form(client, response.headers["Location"], {"code": "000000"})
    assert wrong.status_code == 400 and "This code is not right" in wrong.get_data(as_text=True)
    right = post_form(client, response.headers["Location"], {"code": pyotp.TOTP(user.totp_secret).now()})

    assert right.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200
    assert len(db_session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).all()) == 1  # rotated again


def test_a_code_cannot_be_used_twice(app, client, make_user, db_session):
    user = enrolled(make_user, db_session, role=Role.MEMBER)
    code = pyotp.TOTP(user.totp_secret).now()
    password_step(client, user)
    assert post_form(client, "/login/code", {"code": code}).status_code == 302

    other = app.test_client()
    password_step(other, user)
    replay = post_form(other, "/login/code", {"code": code})
    assert replay.status_code == 400


def test_five_wrong_codes_end_the_attempt(client, make_user, db_session):
    user = enrolled(make_user, db_session, role=Role.MEMBER)
    password_step(client, user)
    for _ in range(4):
        assert post_form(client, "/login/code", {"code": "123456"}).status_code == 400
    last = post_form(client, "/login/code", {"code": "123456"})
    assert last.headers["Location"] == "/login"
    assert client.get("/login/code").headers["Location"] == "/login"


def test_the_pending_step_expires(client, make_user, db_session):
    user = enrolled(make_user, db_session, role=Role.MEMBER)
    password_step(client, user)
    row = db_session.scalar(select(UserSession))
    row.created_at = row.last_seen_at = utcnow() - two_factor.sessions.PENDING_LIFETIME
    db_session.commit()
    assert client.get("/login/code").headers["Location"] == "/login"


def test_enrolment_with_the_qr_code_then_a_recovery_code_logs_in_once(app, client, make_user, db_session):
    user = make_user(password=PASSWORD, role=Role.COMMITTEE)
    password_step(client, user)
    # Required for the committee: every page leads to the set-up first.
    assert client.get("/").headers["Location"] == "/account/two-factor"
    assert client.get("/committee/").headers["Location"] == "/account/two-factor"
    start = post_form(client, "/account/two-factor/start", {}, page="/account/two-factor")
    assert start.headers["Location"] == "/account/two-factor/setup"
    setup = fresh(client, "/account/two-factor/setup").get_data(as_text=True)
    assert '<img src="/account/two-factor/qr.png"' in setup and "<script" not in setup.split("</header>", 1)[1]

    qr = client.get("/account/two-factor/qr.png")
    assert qr.mimetype == "image/png" and qr.headers["Cache-Control"] == "no-store"
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.data)))
    totp = pyotp.parse_uri(barcode.text)
    assert totp.issuer == "Readiness" and totp.name == user.email
    assert totp.secret.replace(" ", "") in setup.replace(" ", "")  # the key is also printed, for typing

    done = post_form(client, "/account/two-factor/setup", {"code": totp.now()})
    codes = re.findall(r"<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code>", done.get_data(as_text=True))
    assert done.status_code == 200 and len(codes) == 10 and done.headers["Cache-Control"] == "no-store"
    assert client.get("/").status_code == 200
    stored = set(db_session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not any(code in h for code in codes for h in stored)  # hashed at rest
    assert client.get("/account/two-factor/qr.png").status_code == 404  # a secret in use is never shown again

    other = app.test_client()
    password_step(other, user)
    used = post_form(other, "/login/code", {"code": codes[0].upper().replace("-", " ")})
    assert used.status_code == 302 and "9 are left" in fresh(other, "/").get_data(as_text=True)
    again = app.test_client()
    password_step(again, user)
    assert post_form(again, "/login/code", {"code": codes[0]}).status_code == 400


def test_a_member_may_log_in_without_a_second_factor_and_turn_one_on_and_off(client, make_user, db_session):
    user = make_user(password=PASSWORD, role=Role.MEMBER)
    password_step(client, user)
    assert client.get("/account").status_code == 200
    post_form(client, "/account/two-factor/start", {}, page="/account/two-factor")
    post_form(client, "/account/two-factor/setup", {"code": pyotp.TOTP(user.totp_secret).now()})
    assert user.has_second_factor

    off = post_form(client, "/account/two-factor/off", {"off-code": pyotp.TOTP(user.totp_secret).at(utcnow(), counter_offset=1)}, page="/account/two-factor")
    assert off.status_code == 302 and not user.has_second_factor


def test_a_required_second_factor_cannot_be_turned_off(client, make_user, db_session):
    user = enrolled(make_user, db_session, role=Role.CHAIR)
    password_step(client, user)
    post_form(client, "/login/code", {"code": pyotp.TOTP(user.totp_secret).now()})
    page = fresh(client, "/account/two-factor").get_data(as_text=True)
    assert "Turn the second factor off" not in page
    post_form(client, "/account/two-factor/off", {"off-code": pyotp.TOTP(user.totp_secret).at(utcnow(), counter_offset=1)}, page="/account/two-factor")
    assert user.has_second_factor


def test_an_admin_resets_a_lost_second_factor(app, client, login_as, make_user, db_session):
    victim = enrolled(make_user, db_session, role=Role.HQ, email="lost@example.org")
    phone = app.test_client()
    password_step(phone, victim)
    post_form(phone, "/login/code", {"code": pyotp.TOTP(victim.totp_secret).now()})
    assert phone.get("/account").status_code == 200
    admin = make_user(password=PASSWORD, role=Role.ADMIN)
    admin.totp_secret, admin.totp_enabled_at = pyotp.random_base32(), utcnow()
    db_session.commit()
    password_step(client, admin)
    post_form(client, "/login/code", {"code": pyotp.TOTP(admin.totp_secret).now()})

    page = f"/admin/users/{victim.id}"
    response = post_form(client, f"{page}/reset-two-factor", {}, page=page)

    assert response.status_code == 302
    assert not victim.has_second_factor and db_session.scalar(select(RecoveryCode)) is None
    assert phone.get("/account").headers["Location"].startswith("/login")  # logged out everywhere
    fresh_login = app.test_client()
    password_step(fresh_login, victim)
    assert fresh_login.get("/").headers["Location"] == "/account/two-factor"  # sets it up again
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "user.second_factor_reset")).actor_id == admin.id


def test_production_requires_the_second_factor_and_the_demo_does_not():
    assert ProductionConfig.SECOND_FACTOR_REQUIRED and DevConfig.SECOND_FACTOR_REQUIRED is False
    settings = {key: getattr(ProductionConfig, key) for key in dir(ProductionConfig) if key.isupper()}
    settings.update(SECRET_KEY="x" * 32, SECOND_FACTOR_REQUIRED=False)
    with pytest.raises(RuntimeError, match="SECOND_FACTOR_REQUIRED"):
        check_config(settings)
    assert TestConfig.SECOND_FACTOR_REQUIRED is False  # tests switch it on where they test it (see the fixture above)


def test_new_recovery_codes_replace_the_old_ones(app, client, make_user, db_session):
    user = enrolled(make_user, db_session, role=Role.HQ)
    password_step(client, user)
    post_form(client, "/login/code", {"code": pyotp.TOTP(user.totp_secret).now()})
    with app.test_request_context():
        old = two_factor._new_recovery_codes(user)
    db_session.commit()

    wrong = post_form(client, "/account/two-factor/recovery-codes", {"renew-code": "000000"}, page="/account/two-factor")
    assert wrong.headers["Location"] == "/account/two-factor"
    renewed = post_form(client, "/account/two-factor/recovery-codes",
                        {"renew-code": pyotp.TOTP(user.totp_secret).at(utcnow(), counter_offset=1)}, page="/account/two-factor")
    new = re.findall(r"<code>([a-z0-9-]{14})</code>", renewed.get_data(as_text=True))

    assert len(new) == 10 and not set(new) & set(old)
    with app.test_request_context():
        assert two_factor.verify(user, old[0]) is None
        assert two_factor.verify(user, new[0]) == "recovery"


def test_the_command_line_resets_a_lost_second_factor(runner, make_user, db_session):
    user = enrolled(make_user, db_session, role=Role.ADMIN, email="last.admin@example.org")

    result = runner.invoke(args=["users", "reset-second-factor", "Last.Admin@example.org"])

    assert result.exit_code == 0, result.output
    db_session.refresh(user)
    assert not user.has_second_factor
    assert runner.invoke(args=["users", "reset-second-factor", "nobody@example.org"]).exit_code != 0


def test_wrong_codes_lock_the_account_across_login_attempts(app, make_user, db_session):
    # Logging in again with the right password must not give a fresh series of code guesses.
    user = enrolled(make_user, db_session, role=Role.HQ)
    first, second = app.test_client(), app.test_client()
    password_step(first, user)
    for _ in range(3):
        post_form(first, "/login/code", {"code": "123456"})
    password_step(second, user)
    for _ in range(2):
        post_form(second, "/login/code", {"code": "123456"})

    assert user.locked_until is not None
    third = app.test_client()
    refused = password_step(third, user)
    assert refused.status_code == 400 and "Email or password is not right." in refused.get_data(as_text=True)


def test_a_code_in_other_digits_is_read_and_a_hostile_one_refused(client, make_user, db_session):
    user = enrolled(make_user, db_session, role=Role.MEMBER)
    password_step(client, user)
    # Digits that look like a code but are not ASCII once gave a 500 (hmac refuses non-ASCII text).
    assert post_form(client, "/login/code", {"code": "²²²²²²"}).status_code == 400
    arabic = pyotp.TOTP(user.totp_secret).now().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert post_form(client, "/login/code", {"code": arabic}).status_code == 302
