"""Browser-facing protections: headers, CSP, CSRF, refusal of unsafe production config."""
from __future__ import annotations

import pytest
from readiness.web.auth import public
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf

from readiness import create_app
from readiness.config import DEV_SECRET_KEY, ProductionConfig
from readiness.models import Role


def csp_directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.parametrize("path", ["/healthz", "/no-such-page"])
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_csp_allows_only_our_own_scripts_and_styles(client: FlaskClient) -> None:
    header = client.get("/healthz").headers["Content-Security-Policy"]
    directives = csp_directives(header)

    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"


def test_unknown_page_is_a_readable_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert b"Not Found" in response.data
    assert b"<script" not in response.data


def _add_form_route(app: Flask) -> None:
    bp = Blueprint("csrf_probe", __name__)

    @bp.route("/csrf-probe", methods=["GET", "POST"])
    @public
    def probe() -> str:
        return generate_csrf()

    app.register_blueprint(bp)


def test_post_without_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    _add_form_route(app)

    response = client.post("/csrf-probe", data={"name": "x"})

    assert response.status_code == 400
    assert b"CSRF" in response.data


def test_post_with_csrf_token_is_accepted(app: Flask, client: FlaskClient) -> None:
    _add_form_route(app)
    token = client.get("/csrf-probe").get_data(as_text=True)

    response = client.post("/csrf-probe", data={"csrf_token": token})

    assert response.status_code == 200


def test_production_refuses_the_development_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINESS_ENV", "production")

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": DEV_SECRET_KEY})


def test_production_cookies_are_secure() -> None:
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True


def test_client_address_comes_from_the_trusted_proxy(make_app, database_url):
    """Behind one proxy, the login throttle must see the client, not the proxy."""
    from flask import request

    from readiness.web.auth import public

    app = make_app(database_url, TRUSTED_PROXIES=1)

    @app.get("/whoami")
    @public
    def whoami() -> str:
        return request.remote_addr or ""

    response = app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.get_data(as_text=True) == "203.0.113.7"


@pytest.mark.parametrize("key", ["x", "a" * 31, "é" * 15])
def test_production_refuses_a_secret_key_shorter_than_32_bytes(monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    monkeypatch.setenv("READINESS_ENV", "production")

    with pytest.raises(RuntimeError, match="at least 32 random bytes"):
        create_app({"SECRET_KEY": key})


def test_production_accepts_a_32_byte_secret_key() -> None:
    from readiness.config import check_config

    settings = {key: getattr(ProductionConfig, key) for key in dir(ProductionConfig) if key.isupper()}
    check_config(settings | {"SECRET_KEY": "k" * 32})


def test_production_session_cookie_has_the_host_prefix() -> None:
    # Browsers keep a "__Host-" cookie only when it is Secure, has Path=/ and no Domain.
    assert ProductionConfig.SESSION_COOKIE_NAME.startswith("__Host-")
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_PATH == "/" and ProductionConfig.SESSION_COOKIE_DOMAIN is None


def test_the_host_cookie_is_sent_with_the_attributes_browsers_demand(make_app, database_url, make_user) -> None:
    from tests.helpers import csrf_token_in

    app = make_app(database_url, SESSION_COOKIE_NAME="__Host-session", SESSION_COOKIE_SECURE=True, SESSION_COOKIE_PATH="/")
    with app.app_context():
        make_user(password="correct horse battery", email="host@example.org")
        client = app.test_client()
        token = csrf_token_in(client.get("/login", base_url="https://localhost").get_data(as_text=True))
        response = client.post("/login", base_url="https://localhost", headers={"Referer": "https://localhost/login"},
                               data={"email": "host@example.org", "password": "correct horse battery", "csrf_token": token})
    # No engine.dispose() in here: the session still held its connection, which went back to the
    # discarded pool when the context ended and was closed by the garbage collector. make_app disposes
    # after the test, once the context has given the connection back.
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Path=/;" in cookie and "Domain" not in cookie


def test_logged_in_pages_and_exports_are_not_stored_by_any_cache(client: FlaskClient, login_as) -> None:
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login_as(Role.HQ)
    for path in ("/", "/account", "/hq/", "/hq/export.csv", "/hq/export.xlsx"):
        with client.get(path) as response:  # closed, so a streamed export gives its slot back
            assert response.status_code == 200, path
            assert response.headers["Cache-Control"] == "no-store", path
    # Shared, versioned files stay cacheable.
    with client.get("/static/css/app.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")
