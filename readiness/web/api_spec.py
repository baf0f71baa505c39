"""The OpenAPI 3 description of the read-only API, served at ``/api/v1/openapi.json``."""
from __future__ import annotations

from typing import Any

_FILTERS = [
    {"name": "region", "in": "query", "schema": {"type": "string"}, "description": "Delegation region, exactly as listed."},
    {"name": "context", "in": "query", "schema": {"type": "string", "enum": ["acute_emergency", "protracted_crisis", "stable"]}},
    {"name": "version", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}, "style": "form",
     "explode": True, "description": "Questionnaire version(s); repeat the parameter for several."},
    {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["draft", "collecting", "closed", "decided"]}},
    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "Started on or after."},
    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "Started on or before."},
]
_NUMBER_OR_NULL = {"type": ["number", "null"]}
_INTERVAL = {
    "type": ["array", "null"], "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
    "description": "[low, high]: the range the score could take had other respondents of the same roles "
                   "answered (bootstrap, nine resamples in ten); null for results frozen before intervals existed.",
}
_ERROR = {
    "description": "Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "properties": {"error": {"type": "object", "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}},
    },
    "Delegation": {
        "type": "object",
        "properties": {k: {"type": "string"} for k in ("name", "country", "region", "context_type")} | {"id": {"type": "integer"}},
    },
    "PortfolioRow": {
        "type": "object",
        "description": "A delegation with its current result: its latest closed or decided assessment "
                       "(null fields when it has none), and any newer assessment still in progress.",
        "properties": {
            "delegation_id": {"type": "integer"}, "delegation": {"type": "string"}, "region": {"type": "string"},
            "context_type": {"type": "string"}, "assessment_id": {"type": ["integer", "null"]},
            "status": {"type": ["string", "null"]}, "started": {"type": ["string", "null"], "format": "date-time"},
            "recommendation": {"type": ["string", "null"]}, "decision": {"type": ["string", "null"]},
            "overall_score": _NUMBER_OR_NULL, "critical_flags": {"type": "integer"},
            "overdue_actions": {"type": "integer"}, "ethics": {"type": "string"},
            "in_progress_id": {"type": ["integer", "null"]}, "in_progress_title": {"type": ["string", "null"]},
            "in_progress_status": {"type": ["string", "null"], "enum": ["draft", "collecting", None]},
        },
    },
    "ResultRow": {
        "type": "object",
        "description": "One assessment with its stored result (scores 0-100, coverage 0-1).",
        "properties": {
            "assessment_id": {"type": "integer"}, "delegation": {"type": "string"}, "status": {"type": "string"},
            "questionnaire_version": {"type": "string"}, "started": {"type": "string", "format": "date-time"},
            "closed": {"type": ["string", "null"], "format": "date-time"}, "overall_score": _NUMBER_OR_NULL,
            "coverage": _NUMBER_OR_NULL, "recommendation": {"type": ["string", "null"]},
            "decision": {"type": ["string", "null"]},
            "dimensions": {"type": "object", "additionalProperties": _NUMBER_OR_NULL},
            "flags": {"type": "array", "items": {"type": "string"}},
            "overall_interval": _INTERVAL,
            "dimension_intervals": {"type": ["object", "null"], "additionalProperties": _INTERVAL},
        },
    },
    "DelegationScores": {
        "type": "object",
        "description": "A delegation's current comparable result, its intervals and its rank by overall score.",
        "properties": {
            "delegation_id": {"type": "integer"}, "delegation": {"type": "string"}, "assessment_id": {"type": "integer"},
            "questionnaire_version": {"type": "string"}, "overall_score": _NUMBER_OR_NULL, "overall_interval": _INTERVAL,
            "rank": {"type": ["integer", "null"], "description": "1 + the delegations whose whole interval lies above this one's."},
            "tied": {"type": "boolean", "description": "Another delegation's interval overlaps: their order is not known."},
            "dimensions": {"type": "object", "additionalProperties": {
                "type": "object", "properties": {"score": _NUMBER_OR_NULL, "interval": _INTERVAL}}},
        },
    },
    "Quartiles": {
        "type": ["object", "null"],
        "properties": {k: {"type": "number"} for k in ("minimum", "lower", "median", "upper", "maximum")}
        | {"count": {"type": "integer"}},
    },
}


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


def _list_of(name: str, **extra: Any) -> dict[str, Any]:
    props = {"data": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}} | extra
    return {"type": "object", "properties": props}


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
            "description": "Read-only access to the portfolio, results, benchmarks and trends. "
            "Ask for a token on the app's Headquarters → API page and send it as 'Authorization: Bearer <token>'.",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": _SCHEMAS},
        "paths": {
            "/delegations": _get("List delegations", _list_of("Delegation")),
            "/portfolio": _get("Every delegation with its current result", _list_of("PortfolioRow"), _FILTERS),
            "/results": _get(
                "One row per assessment, paged by id",
                _list_of("ResultRow", next_after={"type": ["integer", "null"]}),
                _FILTERS + paging,
            ),
            "/benchmark": _get(
                "Quartiles per dimension over each delegation's current comparable result, with intervals and ranks",
                {"type": "object", "properties": {
                    "versions": {"type": "array", "items": {"type": "string"}},
                    "delegations": {"type": "integer"},
                    "min_peers": {"type": "integer", "description": "Fewest peers a comparison needs (setting HQ_MIN_PEERS)."},
                    "too_few_peers": {"type": "boolean", "description": "True when each delegation has fewer peers than min_peers: quartiles and ranks place no one."},
                    "dimensions": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Quartiles"}},
                    "scores": {"type": "array", "items": {"$ref": "#/components/schemas/DelegationScores"}},
                }},
                _FILTERS,
            ),
            "/delegations/{delegation_id}/trend": _get(
                "A delegation's stored results, oldest first",
                {"type": "object", "properties": {"data": {"type": "array", "items": {"type": "object"}}}},
                [{"name": "delegation_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            ),
            "/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OK"}}}},
        },
    }
