"""Domain tests: no app, no database."""
from __future__ import annotations

from pathlib import Path

import pytest

from readiness.questionnaire.checks import check_questionnaire
from readiness.questionnaire.loader import load_file
from readiness.questionnaire.schema import Charter, Questionnaire

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _text(en: str) -> dict[str, str]:
    return {"en": en, "fr": f"{en} (fr)"}


def _levels() -> dict[int, dict[str, str]]:
    return {level: _text(f"Level {level}") for level in range(5)}


def build_questionnaire() -> Questionnaire:
    """A small questionnaire with every scoring feature: role weights, a gate, yes/no, text, indicators."""
    roles = ["manager", "social_worker", "supervisor"]
    items = [
        {"id": "a1", "dimension": "alpha", "type": "level", "roles": roles, "levels": _levels(), "text": _text("A1")},
        {"id": "a2", "dimension": "alpha", "type": "level", "roles": roles[:2], "weight": 2, "levels": _levels(),
         "critical": {"min_level": 2}, "text": _text("A2")},
        {"id": "a3", "dimension": "alpha", "type": "yes_no", "roles": roles[1:], "text": _text("A3")},
        {"id": "b1", "dimension": "beta", "type": "level", "roles": roles, "levels": _levels(),
         "role_weights": {"social_worker": 3}, "text": _text("B1")},
        {"id": "b2", "dimension": "beta", "type": "level", "roles": ["manager"], "weight": 0.5, "levels": _levels(),
         "text": _text("B2")},
        {"id": "b3", "dimension": "beta", "type": "text", "roles": roles, "text": _text("B3")},
    ]
    data = {
        "schema_version": 1, "kind": "questionnaire", "id": "fixture", "version": "1.0", "languages": ["en", "fr"],
        "title": _text("Fixture"),
        "roles": [{"id": r, "label": _text(r)} for r in roles],
        "dimensions": [
            {"id": "alpha", "label": _text("Alpha"), "thresholds": {"go": 60, "floor": 35}},
            {"id": "beta", "label": _text("Beta"), "weight": 2, "thresholds": {"go": 55, "floor": 30}},
        ],
        "items": items,
        "inputs": [
            {"id": "workers", "label": _text("Workers"), "unit": _text("FTE")},
            {"id": "cases", "label": _text("Cases"), "unit": _text("cases")},
        ],
        "indicators": [{
            "id": "caseload", "label": _text("Caseload"), "unit": _text("per FTE"), "dimension": "beta",
            "numerator": "cases", "denominator": "workers", "checks_item": "b1",
            "bands": [{"level": 4, "below": 12, "source": "CWLA"}, {"level": 2, "below": 18, "source": "Western Australia"},
                      {"level": 0, "source": "Yamatani"}],
        }],
        "flag_rules": {"min_coverage": 0.6, "dimension_min_coverage": 0.5, "perception_gap": 25},
        "decision_rules": [
            {"id": "gate", "when": {"critical_failed": True}, "outcome": "no_go", "text": _text("gate")},
            {"id": "evidence", "when": {"coverage_below": 0.6}, "outcome": "insufficient_evidence", "text": _text("ev")},
            {"id": "floor", "when": {"any_dimension_below": "floor"}, "outcome": "no_go", "text": _text("floor")},
            {"id": "ready", "when": {"all_dimensions_at_least": "go", "max_flags": {"critical": 0, "major": 0}},
             "outcome": "go", "text": _text("ready")},
            {"id": "conditions", "when": {}, "outcome": "go_with_conditions", "text": _text("cond")},
        ],
    }
    questionnaire = Questionnaire.model_validate(data)
    assert not list(check_questionnaire(questionnaire))
    return questionnaire


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return build_questionnaire()


@pytest.fixture(scope="session")
def sample_charter() -> Charter:
    return load_file(EXAMPLES / "definitions" / "annotated-charter.yaml")  # type: ignore[return-value]
