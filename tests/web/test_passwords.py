"""Password rules: strength, temporary passwords changed first, uniform login answers and timing."""
from __future__ import annotations

import pytest
from flask import g

from readiness.config import Config, TestConfig
from readiness.models import Role, utcnow
from readiness.services import accounts

from ..helpers import csrf_token_in

PASSWORD = "correct horse battery"


def fresh(client, path):
    for cached in ("csrf_token", "_flask_babel"):
        g.pop(cached, None)
    return client.get(path)


def post_form(client, path, data, page=None):
    token = csrf_token_in(fresh(client, page or path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def login(client, email, password):
    return post_form(client, "/login", {"email": email, "password": password})


@pytest.mark.parametrize("weak", ["123456789012", "qwertyuiopasdf", "password1234", "aaaaaaaaaaaaaaa", "Password2024!", "P@ssw0rd12345", "welcome123456"])
def test_common_and_patterned_passwords_are_refused_with_a_clear_message(app, weak):
    with app.test_request_context():
        [problem] = accounts.password_problems(weak, "ana.diallo@example.org")
    assert "too easy to guess" in problem and "A few unrelated words" in problem


@pytest.mark.parametrize("strong", [PASSWORD, "jumping purple giraffe lamp", "k7mp-x3qa-9dfr-t2wz"])
def test_passphrases_and_temporary_passwords_pass(app, strong):
    with app.test_request_context():
        assert accounts.password_problems(strong, "ana@example.org") == []
        assert accounts.password_problems(accounts.temporary_password(), "ana@example.org") == []


def test_the_password_page_refuses_a_breached_pattern(client, login_as):
    login_as(Role.MEMBER)
    response = post_form(client, "/account/password", {
        "current_password": PASSWORD, "new_password": "123456789012", "confirm_password": "123456789012"})
    assert response.status_code == 400 and "too easy to guess" in response.get_data(as_text=True)


def test_a_temporary_password_must_be_changed_before_anything_else(app, client, make_user, db_session):
    with app.test_request_context():
        user, temporary = accounts.create_user("test", email="new@example.org", name="New", role=Role.HQ)
    db_session.commit()
    assert user.must_change_password

    assert login(client, "new@example.org", temporary).status_code == 302
    for path in ("/", "/hq/", "/account", "/account/two-factor"):
        assert client.get(path).headers["Location"] == "/account/password", path
    assert "You logged in with a temporary password" in fresh(client, "/account/password").get_data(as_text=True)
    changed = post_form(client, "/account/password", {
        "current_password": temporary, "new_password": "a brand new passphrase", "confirm_password": "a brand new passphrase"})

    assert changed.status_code == 302 and not user.must_change_password
    assert client.get("/hq/").status_code == 200


def test_a_reset_password_is_temporary_too(app, make_user, db_session):
    user = make_user(password=PASSWORD)
    with app.test_request_context():
        accounts.reset_password("test", user)
    assert user.must_change_password


@pytest.fixture
def hashes(monkeypatch):
    """Count the password hashes computed: the expensive step whose absence timing reveals."""
    counted: list[str] = []
    real = accounts.check_password_hash

    def counting(stored, password):
        counted.append(stored)
        return real(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return counted


def test_unknown_locked_deactivated_and_passwordless_accounts_answer_alike_after_one_hash(app, client, make_user, db_session, hashes):
    make_user(password=PASSWORD, email="known@example.org")
    make_user(password=PASSWORD, email="locked@example.org", locked_until=utcnow().replace(year=2999))
    make_user(password=PASSWORD, email="gone@example.org", is_active=False)
    make_user(email="nopassword@example.org")  # password_hash "!": nothing to check against
    answers = {}
    for email in ("known@example.org", "unknown@example.org", "locked@example.org", "gone@example.org", "nopassword@example.org"):
        hashes.clear()
        password = "wrong password" if email == "known@example.org" else PASSWORD
        response = login(client, email, password)
        html = response.get_data(as_text=True)
        answers[email] = (response.status_code, html[html.index('class="field-error"'):].split("</p>")[0])
        assert len(hashes) == 1, email
        assert hashes[0].startswith(TestConfig.PASSWORD_HASH_METHOD.split(":")[0]), email  # the same kind of work
    assert len(set(answers.values())) == 1, answers


def test_tests_hash_cheaply_and_production_does_not(app):
    assert Config.PASSWORD_HASH_METHOD == "scrypt"
    assert TestConfig.PASSWORD_HASH_METHOD == "pbkdf2:sha256:1"
    with app.test_request_context():
        assert accounts.hash_password("x").startswith("pbkdf2:sha256:1$")
