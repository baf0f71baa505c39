"""Operations: health and readiness checks, JSON logs with a request id, application log lines."""
from __future__ import annotations

import json
import logging

import pytest

from readiness.extensions import db
from readiness.models import Role
from readiness.observability import JsonFormatter, LOGGER_NAME
from readiness.services import audit
from readiness.web.auth import public

from ..helpers import csrf_token_in


@pytest.fixture
def log_lines():
    """The JSON lines the app logger writes during the test."""
    lines: list[dict] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(json.loads(JsonFormatter().format(record)))

    handler = Capture()
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_readyz_is_ready_with_the_database_up(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.text == "ready"


def test_readyz_answers_503_when_the_database_is_down_and_healthz_stays_up(make_app, tmp_path, log_lines):
    app = make_app(f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}")
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.text == "database unavailable"
    assert client.get("/healthz").status_code == 200
    error = next(line for line in log_lines if line["level"] == "ERROR")
    assert "database unreachable" in error["message"] and "OperationalError" in error["exception"]


def test_every_response_carries_a_request_id_and_keeps_a_proxys(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first.headers["X-Request-ID"]) == 32 and first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-0123456789abcdef"})
    assert kept.headers["X-Request-ID"] == "nginx-0123456789abcdef"
    forged = client.get("/healthz", headers={"X-Request-ID": "bad\"id with spaces"})
    assert forged.headers["X-Request-ID"] != "bad\"id with spaces"


def test_a_login_writes_one_json_line_with_the_request_id_and_no_email(client, make_user, log_lines):
    user = make_user(role=Role.HQ, password="correct horse battery", email="someone@example.org")
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery", "csrf_token": token},
                           headers={"X-Request-ID": "req-login-000001"})
    assert response.status_code == 302
    logins = [line for line in log_lines if line.get("event") == "user.login"]
    assert len(logins) == 1
    assert logins[0]["request_id"] == "req-login-000001" and logins[0]["actor_id"] == user.id
    assert "someone@example.org" not in json.dumps(log_lines)


def test_a_rolled_back_change_is_not_logged(app, log_lines):
    with app.app_context():
        audit.record("system", "data.purge", type("T", (), {"id": 1})())
        db.session.rollback()
        audit.record("system", "data.purge", type("T", (), {"id": 2})())
        db.session.commit()
    assert [line["target"] for line in log_lines if line.get("event") == "data.purge"] == ["T 2"]


def test_a_download_is_logged_as_an_export(client, login_as, log_lines):
    user = login_as(Role.HQ)
    assert client.get("/hq/export.csv").status_code == 200
    exports = [line for line in log_lines if line.get("event") == "export"]
    assert exports == [exports[0]] and exports[0]["endpoint"] == "hq.export" and exports[0]["user_id"] == user.id


def test_an_unhandled_error_is_logged_with_its_traceback(app, log_lines):
    @app.get("/boom")
    @public
    def boom():
        raise RuntimeError("kaboom")

    app.testing = False  # let Flask turn the exception into a 500 and log it
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    error = next(line for line in log_lines if line["level"] == "ERROR")
    assert "kaboom" in error["exception"] and error["request_id"] == response.headers["X-Request-ID"]
