"""Every API response is valid against the OpenAPI document the app serves, and nothing is undocumented."""
from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from readiness.models import Role

from .test_api import bearer, issue, portfolio  # noqa: F401  (portfolio is a fixture)


def _validator(document: dict, path: str, status: str) -> Draft202012Validator:
    schema = document["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]
    # "$ref": "#/components/..." resolves against the document root: give the schema the components.
    return Draft202012Validator({**schema, "components": document["components"]})


ENDPOINTS = [
    ("/delegations", "/delegations"),
    ("/portfolio", "/portfolio"),
    ("/results", "/results?limit=2"),
    ("/benchmark", "/benchmark"),
    ("/delegations/{delegation_id}/trend", "/delegations/{id}/trend"),
]


@pytest.mark.parametrize(("path", "url"), ENDPOINTS)
def test_live_responses_match_the_served_document(client, login_as, portfolio, path, url):  # noqa: F811
    token = issue(client, login_as, Role.HQ)
    document = client.get("/api/v1/openapi.json").get_json()

    response = client.get("/api/v1" + url.format(id=portfolio), headers=bearer(token))
    body = response.get_json()

    assert response.status_code == 200
    assert body["data" if "data" in body else "dimensions"], "an empty answer would prove nothing"
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(document, path, "200").iter_errors(body)]
    assert not errors


def test_an_error_matches_the_document_too(client, portfolio):  # noqa: F811
    document = client.get("/api/v1/openapi.json").get_json()

    body = client.get("/api/v1/portfolio").get_json()

    assert list(_validator(document, "/portfolio", "401").iter_errors(body)) == []
    assert body["error"]["status"] == 401


def test_the_document_refuses_a_field_it_does_not_describe(client):
    # additionalProperties is false on every shape, so a field added to a response without
    # being declared in web/api_models.py fails the test above instead of drifting silently.
    document = client.get("/api/v1/openapi.json").get_json()
    row = {"assessment_id": 1, "undocumented": True}

    errors = list(_validator(document, "/results", "200").iter_errors({"data": [row], "next_after": None}))

    assert any("undocumented" in e.message for e in errors)


def test_timestamps_keep_their_utc_offset(client, login_as, portfolio):  # noqa: F811
    token = issue(client, login_as, Role.HQ)

    started = client.get("/api/v1/results", headers=bearer(token)).get_json()["data"][0]["started"]

    assert started.endswith("+00:00")
