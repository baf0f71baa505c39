"""Logging in and out, throttling, and deny-by-default."""
from __future__ import annotations

from readiness.models import Role

from ..helpers import csrf_token_in


def post_login(client, email, password):
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def test_login_and_logout(client, make_user):
    user = make_user(role=Role.HQ, password="a long enough secret", email="Ana@Example.org")
    response = post_login(client, "ana@example.org", "a long enough secret")
    assert response.status_code == 302
    assert user.name in client.get("/").get_data(as_text=True)
    token = csrf_token_in(client.get("/").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    assert "Log in" in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_email_get_the_same_message(client, make_user):
    make_user(password="right password here", email="b@example.org")
    wrong = post_login(client, "b@example.org", "wrong").get_data(as_text=True)
    unknown = post_login(client, "nobody@example.org", "wrong").get_data(as_text=True)
    assert "Email or password is not right." in wrong and "Email or password is not right." in unknown


def test_five_failures_lock_the_account_even_for_the_right_password(client, make_user):
    # The lock holds, but says no more than a wrong password does (it used to say "Too many
    # failed attempts", which told an attacker the account exists).
    make_user(password="right password here", email="c@example.org")
    for _ in range(5):
        assert post_login(client, "c@example.org", "nope").status_code == 400
    response = post_login(client, "c@example.org", "right password here")
    unknown = post_login(client, "nobody@example.org", "right password here")
    assert response.status_code == unknown.status_code == 400
    assert _message(response) == _message(unknown)
    assert "Email or password is not right." in _message(response)


def _message(response):
    html = response.get_data(as_text=True)
    return html[html.index('class="field-error"'):].split("</p>", 1)[0]


def test_login_requires_csrf_token(client, make_user):
    make_user(password="right password here", email="d@example.org")
    response = client.post("/login", data={"email": "d@example.org", "password": "right password here"})
    assert response.status_code == 400


def test_unknown_next_target_is_ignored(client, make_user):
    make_user(password="right password here", email="e@example.org")
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=//evil.example/", data={"email": "e@example.org", "password": "right password here", "csrf_token": token}
    )
    assert response.headers["Location"] == "/delegations"  # the member's home, not the foreign site
