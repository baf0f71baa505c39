"""One's own account: password change, preferred language, and the login throttles."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import select

from readiness.extensions import db
from readiness.models import AuditEntry, Locale, LoginAttempt, Role, utcnow
from readiness.services import accounts

from ..helpers import csrf_token_in

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"


def page(client, path):
    """GET a page as a fresh request would see it.

    The fixtures keep one app context for the whole test, so ``g`` (where Flask-WTF caches the
    CSRF token and Flask-Babel the locale) would leak from one request to the next.
    """
    for cached in ("csrf_token", "_flask_babel"):
        g.pop(cached, None)
    return client.get(path).get_data(as_text=True)


def post_form(client, path, data):
    token = csrf_token_in(page(client, path))
    return client.post(path, data={**data, "csrf_token": token})


def post_login(client, email, password, ip="192.0.2.1"):
    token = csrf_token_in(page(client, "/login"))
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}, environ_base={"REMOTE_ADDR": ip}
    )


def audit_actions(db_session, action):
    return list(db_session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, again=None):
    data = {"current_password": current, "new_password": new, "confirm_password": again or new}
    return post_form(client, "/account/password", data)


# --- Password change ---------------------------------------------------------------------------


def test_changing_the_password_logs_out_other_sessions_but_keeps_this_one(app, client, login_as, db_session):
    user = login_as(Role.HQ, email="ana@example.org")
    other_device = app.test_client()
    assert post_login(other_device, "ana@example.org", PASSWORD).status_code == 302

    response = change_password(client)

    assert response.status_code == 302
    assert "Your password is changed" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/account").status_code == 200
    assert other_device.get("/account").headers["Location"].startswith("/login")
    assert post_login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    assert post_login(app.test_client(), user.email, PASSWORD).status_code == 400
    assert len(audit_actions(db_session, "user.password_change")) == 1


@pytest.mark.parametrize(
    ("current", "new", "again", "field_message"),
    [
        ("wrong password", NEW_PASSWORD, None, "This is not your current password."),
        (PASSWORD, "too short", None, "Use at least 12 characters."),
        (PASSWORD, "ana@example.org", None, "Do not use your email address as your password."),
        (PASSWORD, NEW_PASSWORD, "something else entirely", "The two new passwords are not the same."),
        (PASSWORD, PASSWORD, None, "Choose a password different from the current one."),
    ],
)
def test_a_refused_password_change_says_why_and_keeps_the_old_password(
    app, client, login_as, current, new, again, field_message
):
    user = login_as(Role.MEMBER, email="ana@example.org")

    response = change_password(client, current, new, again)

    assert response.status_code == 400
    assert field_message in response.get_data(as_text=True)
    assert post_login(app.test_client(), user.email, PASSWORD).status_code == 302


def test_the_password_page_needs_a_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# --- Preferred language ------------------------------------------------------------------------


def test_the_preferred_language_applies_at_once_and_at_the_next_login(app, client, login_as, db_session):
    user = login_as(Role.MEMBER, email="fr@example.org")
    assert '<html lang="en"' in page(client, "/")

    response = post_form(client, "/account", {"locale": "fr"})

    assert response.status_code == 302
    assert '<html lang="fr"' in page(client, "/")
    db_session.refresh(user)
    assert user.locale is Locale.FR
    fresh = app.test_client()
    post_login(fresh, user.email, PASSWORD)
    assert '<html lang="fr"' in page(fresh, "/")
    [entry] = audit_actions(db_session, "user.locale")
    assert (entry.before, entry.after) == ({"locale": "en"}, {"locale": "fr"})


def test_the_account_page_shows_who_you_are(client, login_as):
    login_as(Role.HQ, name="Henri Quartier", email="henri@example.org")
    page = client.get("/account").get_data(as_text=True)
    assert "Henri Quartier" in page and "henri@example.org" in page and "Headquarters" in page


def test_an_unknown_language_is_refused(client, login_as):
    login_as(Role.MEMBER)
    assert post_form(client, "/account", {"locale": "xx"}).status_code == 400


# --- Throttling --------------------------------------------------------------------------------


def test_an_account_lock_is_in_the_audit_trail(client, make_user, db_session):
    make_user(password=PASSWORD, email="c@example.org")
    for _ in range(accounts.MAX_FAILURES):
        post_login(client, "c@example.org", "nope")
    [entry] = audit_actions(db_session, "user.locked")
    assert entry.target_type == "User" and "locked_until" in entry.after


@pytest.fixture
def waits(monkeypatch):
    """The login's waits, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr("readiness.web.auth.sleep", recorded.append)
    return recorded


def test_many_failures_from_one_address_slow_it_down_but_the_right_password_still_works(client, make_user, db_session, waits):
    # An office behind one NAT: someone's failures must not lock out everyone else's right password.
    make_user(password=PASSWORD, email="victim@example.org")
    for n in range(accounts.IP_FREE_FAILURES):
        assert post_login(client, f"guess{n}@example.org", "wrong", ip="203.0.113.9").status_code == 400
    assert waits == []

    assert post_login(client, "victim@example.org", PASSWORD, ip="203.0.113.9").status_code == 302

    assert waits == [accounts.IP_BASE_DELAY]
    assert post_login(client, "victim@example.org", PASSWORD, ip="198.51.100.7").status_code == 302
    assert waits == [accounts.IP_BASE_DELAY]  # another address is not slowed
    [entry] = audit_actions(db_session, "login.address_slowed")
    assert entry.after["ip"] == "203.0.113.9" and entry.after["failures"] == accounts.IP_FREE_FAILURES


def test_the_wait_doubles_with_each_failure_up_to_a_cap(app):
    with app.test_request_context():
        for excess, expected in [(0, 0.5), (1, 1.0), (3, 4.0), (4, 8.0), (10, accounts.IP_MAX_DELAY)]:
            db.session.add_all(LoginAttempt(ip=f"10.0.0.{excess}", email="x") for _ in range(accounts.IP_FREE_FAILURES + excess))
            db.session.flush()
            assert accounts.login_delay(f"10.0.0.{excess}") == expected
        assert accounts.login_delay("10.9.9.9") == 0
        db.session.rollback()


def test_the_address_limit_is_shared_by_every_app_server(app, make_app, database_url, make_user, waits):
    make_user(password=PASSWORD, email="victim@example.org")
    other_server = make_app(database_url)
    for n in range(accounts.IP_FREE_FAILURES):
        post_login(app.test_client(), f"guess{n}@example.org", "wrong", ip="203.0.113.9")

    response = post_login(other_server.test_client(), "victim@example.org", PASSWORD, ip="203.0.113.9")

    assert response.status_code == 302 and waits == [accounts.IP_BASE_DELAY]
    with other_server.app_context():
        db.engine.dispose()  # its pooled connections would otherwise be closed by the garbage collector


def test_failures_older_than_the_window_no_longer_count(client, make_user, db_session, waits):
    make_user(password=PASSWORD, email="victim@example.org")
    long_ago = utcnow() - accounts.IP_WINDOW - timedelta(minutes=1)
    db_session.add_all(LoginAttempt(ip="203.0.113.9", at=long_ago, email="x") for _ in range(accounts.IP_FREE_FAILURES + 5))
    db_session.commit()

    assert post_login(client, "victim@example.org", PASSWORD, ip="203.0.113.9").status_code == 302
    assert waits == []


def test_a_successful_login_records_no_failed_attempt(client, make_user, db_session):
    make_user(password=PASSWORD, email="ok@example.org")
    post_login(client, "ok@example.org", PASSWORD)
    post_login(client, "ok@example.org", "wrong")
    assert [a.email for a in db_session.scalars(select(LoginAttempt))] == ["ok@example.org"]
