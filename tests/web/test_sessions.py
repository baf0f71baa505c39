"""Server-side sessions: logout and password changes end them, timeouts, rotation, cookie content."""
from __future__ import annotations

import re
from datetime import timedelta

from flask import g
from sqlalchemy import select

from readiness.extensions import db
from readiness.models import ContextType, Delegation, Role, UserSession, utcnow
from readiness.services.assessments import start_assessment

from ..helpers import csrf_token_in

PASSWORD = "correct horse battery"


def fresh(client, path):
    for cached in ("csrf_token", "_flask_babel"):
        g.pop(cached, None)
    return client.get(path)


def cookie_data(app, client):
    """What the signed session cookie holds: anyone with the cookie can read it."""
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    assert cookie is not None
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def copy_cookie(app, source, target):
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    target.set_cookie(name, source.get_cookie(name).value)


def logout(client):
    token = csrf_token_in(fresh(client, "/account").get_data(as_text=True))
    return client.post("/logout", data={"csrf_token": token})


def test_a_cookie_copied_before_logout_stops_working_after_it(app, client, login_as):
    login_as(Role.HQ)
    thief = app.test_client()
    copy_cookie(app, client, thief)
    assert thief.get("/account").status_code == 200

    logout(client)

    assert thief.get("/account").headers["Location"].startswith("/login")


def test_a_cookie_copied_before_a_password_change_stops_working(app, client, login_as):
    login_as(Role.MEMBER)
    thief = app.test_client()
    copy_cookie(app, client, thief)
    token = csrf_token_in(fresh(client, "/account/password").get_data(as_text=True))
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a brand new passphrase", "confirm_password": "a brand new passphrase",
        "csrf_token": token})
    assert response.status_code == 302
    assert thief.get("/account").headers["Location"].startswith("/login")
    assert client.get("/account").status_code == 200


def test_a_session_ends_after_the_idle_timeout(app, client, login_as, db_session):
    login_as(Role.MEMBER)
    assert client.get("/account").status_code == 200
    row = db_session.scalar(select(UserSession))
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"], seconds=5)
    db_session.commit()

    assert client.get("/account").headers["Location"].startswith("/login")
    db_session.refresh(row)
    assert row.ended_at is not None


def test_activity_keeps_a_session_alive_until_the_absolute_timeout(app, client, login_as, db_session):
    login_as(Role.MEMBER)
    row = db_session.scalar(select(UserSession))
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 1)
    db_session.commit()
    assert client.get("/account").status_code == 200  # still within the idle time: and now refreshed
    db_session.refresh(row)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)

    row.created_at = utcnow() - timedelta(minutes=app.config["SESSION_ABSOLUTE_MINUTES"], seconds=5)
    db_session.commit()
    assert client.get("/account").headers["Location"].startswith("/login")


def test_the_idle_timeout_is_a_setting(make_app, database_url, make_user):
    app = make_app(database_url, SESSION_IDLE_MINUTES=5)
    with app.app_context():
        make_user(password=PASSWORD, email="five@example.org")
        client = app.test_client()
        token = csrf_token_in(fresh(client, "/login").get_data(as_text=True))
        client.post("/login", data={"email": "five@example.org", "password": PASSWORD, "csrf_token": token})
        row = db.session.scalar(select(UserSession))
        row.last_seen_at = utcnow() - timedelta(minutes=6)
        db.session.commit()
        assert client.get("/account").headers["Location"].startswith("/login")
    # make_app disposes the engine after the test, once this context has given its connection back.


def test_logging_in_gives_a_new_session_id_and_stores_only_its_hash(app, client, make_user, db_session):
    make_user(password=PASSWORD, email="ana@example.org")
    html = fresh(client, "/login").get_data(as_text=True)
    before = cookie_data(app, client)
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": csrf_token_in(html)})
    after = cookie_data(app, client)

    assert after["sid"] != before.get("sid")
    assert before.get("csrf_token") != after.get("csrf_token")  # the anonymous CSRF token does not survive
    [row] = db_session.scalars(select(UserSession))
    assert after["sid"] not in row.token_hash and len(row.token_hash) == 64


def test_a_session_id_planted_before_login_is_not_kept(app, client, make_user, login_as):
    # Session fixation: an attacker's own valid session id given to the victim is replaced at login.
    attacker = app.test_client()
    login_as_attacker = make_user(password=PASSWORD, email="attacker@example.org")
    token = csrf_token_in(fresh(attacker, "/login").get_data(as_text=True))
    attacker.post("/login", data={"email": login_as_attacker.email, "password": PASSWORD, "csrf_token": token})
    copy_cookie(app, attacker, client)
    planted = cookie_data(app, client)["sid"]

    login_as(Role.MEMBER, email="victim@example.org")

    assert cookie_data(app, client)["sid"] != planted


def test_respondent_links_never_travel_in_the_session_cookie(app, client, login_as, db_session):
    delegation = Delegation(name="Tchad", country="Chad", region="Africa", context_type=ContextType.PROTRACTED_CRISIS)
    db_session.add(delegation)
    db_session.commit()
    assessment = start_assessment(None, delegation, title="CPIMS+ rollout", tool_name="CPIMS+")
    db_session.commit()
    login_as(Role.MEMBER, delegations=[delegation])
    page = fresh(client, f"/assessments/{assessment.id}").get_data(as_text=True)
    response = client.post(f"/assessments/{assessment.id}/respondents",
                           data={"role": "social_worker", "count": "2", "days": "14", "csrf_token": csrf_token_in(page)})
    assert response.status_code == 302

    assert "/r/" not in repr(cookie_data(app, client))
    links_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert len(re.findall(r'value="http://localhost/r/[A-Za-z0-9_-]+"', links_page)) == 2  # shown once ...
    assert "/r/" not in client.get(response.headers["Location"]).get_data(as_text=True)  # ... and only once
    assert db_session.scalar(select(UserSession.shown_once)) is None  # and forgotten server-side too


def test_old_sessions_are_pruned_at_the_next_login(app, client, make_user, db_session):
    user = make_user(password=PASSWORD, email="ana@example.org")
    long_ago = utcnow() - timedelta(days=40)
    db_session.add_all([
        UserSession(user_id=user.id, token_hash="a" * 64, created_at=long_ago, last_seen_at=long_ago),
        UserSession(user_id=user.id, token_hash="b" * 64, ended_at=utcnow() - timedelta(days=2)),
        UserSession(user_id=user.id, token_hash="c" * 64, ended_at=utcnow() - timedelta(hours=1)),  # kept a day
    ])
    db_session.commit()
    token = csrf_token_in(fresh(client, "/login").get_data(as_text=True))
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": token})

    left = {s.token_hash for s in db_session.scalars(select(UserSession))}
    assert len(left) == 2 and "c" * 64 in left and not left & {"a" * 64, "b" * 64}  # the new one and the recent one
