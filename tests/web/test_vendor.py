"""Plotly's JavaScript is served by the app itself, so charts work without internet access."""
from __future__ import annotations

from importlib import metadata

from flask import Flask
from flask.testing import FlaskClient

from readiness.web.vendor import plotly_js_url


def test_plotly_bundle_is_served_as_javascript_with_a_long_cache(client: FlaskClient) -> None:
    with client.get("/static/vendor/plotly.min.js") as response:
        body = response.get_data()

    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.cache_control.max_age >= 365 * 24 * 3600
    assert b"plotly" in body[:2000].lower()
    assert len(body) > 1_000_000


def test_plotly_url_names_the_version_so_upgrades_bust_the_cache(app: Flask) -> None:
    with app.test_request_context():
        url = plotly_js_url()

    assert url == f"/static/vendor/plotly.min.js?v={metadata.version('plotly')}"


def test_healthz_answers_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
