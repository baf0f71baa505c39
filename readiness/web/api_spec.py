"""The OpenAPI 3.1 description of the read-only API, served at ``/api/v1/openapi.json``.

Response schemas are generated from ``web/api_models.py``, the models every response is serialised through.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from readiness.domain.workflow import Status
from readiness.models import ContextType
from readiness.web import api_models as shapes

_FILTERS: list[dict[str, Any]] = [
    {"name": "region", "in": "query", "schema": {"type": "string"}, "description": "Delegation region, exactly as listed."},
    {"name": "context", "in": "query", "schema": {"type": "string", "enum": [c.value for c in ContextType]}},
    {"name": "version", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}, "style": "form",
     "explode": True, "description": "Questionnaire version(s); repeat the parameter for several."},
    {"name": "status", "in": "query", "schema": {"type": "string", "enum": [s.value for s in Status]}},
    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "Started on or after."},
    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "Started on or before."},
]
_ERROR = {
    "description": "Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _schemas() -> dict[str, Any]:
    """JSON Schemas of the response models, as OpenAPI components (OpenAPI 3.1 is JSON Schema 2020-12)."""
    _top, definitions = models_json_schema(
        [(model, "serialization") for model in shapes.MODELS], ref_template="#/components/schemas/{model}"
    )
    return dict(definitions["$defs"])


def _ref(model: type[BaseModel]) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _get(summary: str, schema: dict[str, Any], parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters or [],
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
                "400": _ERROR,
                "401": _ERROR,
            },
        }
    }


def openapi_document(server_url: str) -> dict[str, Any]:
    """:param server_url: the API's base URL as seen by the caller."""
    paging = [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 200}},
        {"name": "after", "in": "query", "schema": {"type": "integer"}, "description": "Last assessment id of the previous page."},
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Readiness headquarters API",
            "version": "1.0",
            "description": "Read-only access to the portfolio, results, benchmarks, trends and follow-ups. "
            "Ask for a token on the app's Headquarters → API page and send it as 'Authorization: Bearer <token>'.",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": _schemas()},
        "paths": {
            "/delegations": _get("List delegations", _ref(shapes.DelegationList)),
            "/portfolio": _get("Every delegation with its current result (latest closed or decided assessment)", _ref(shapes.PortfolioList), _FILTERS),
            "/results": _get("One row per assessment, paged by id", _ref(shapes.ResultPage), _FILTERS + paging),
            "/benchmark": _get(
                "Quartiles per dimension over each delegation's current comparable result, with intervals and ranks", _ref(shapes.Benchmark), _FILTERS
            ),
            "/delegations/{delegation_id}/trend": _get(
                "A delegation's stored results, oldest first",
                _ref(shapes.Trend),
                [{"name": "delegation_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            ),
            "/assessments/{assessment_id}/followups": _get(
                "An assessment's follow-ups after go-live, each set against it as on the comparison page",
                _ref(shapes.FollowupList),
                [{"name": "assessment_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            ),
            "/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OK"}}}},
        },
    }
