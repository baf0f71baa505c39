"""build_report turns a result into the plain, translated data every report renderer shows."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from readiness.domain.engine import score_assessment
from readiness.domain.responses import parse_responses
from readiness.questionnaire.loader import load_directory
from readiness.reports.data import AssessmentMeta, build_report, differs_from_recommendation

from .conftest import EXAMPLES, ROOT

DEFINITIONS = load_directory(ROOT / "questionnaires")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
META = AssessmentMeta(
    assessment_id=7, title="Primero readiness", delegation="Mali – north sub-office", country="Mali",
    tool="Primero", scope="Case management", status="closed", created_at=NOW, closed_at=NOW, decided_at=None,
    target_go_live=date(2026, 9, 1), computed_at=NOW, generated_at=NOW,
)


def report_for(name: str, lang: str = "en", **kwargs):
    document = json.loads((EXAMPLES / "scenarios" / f"{name}.json").read_text(encoding="utf-8"))
    responses = parse_responses(document)
    q = DEFINITIONS.questionnaire(*responses.questionnaire)
    charter = DEFINITIONS.charter(*responses.charter)
    result = score_assessment(q, responses.respondents, responses.measured_inputs, responses.charter_answers, charter)
    args = {"decision": None, "actions": []} | kwargs
    return build_report(result, q, charter, kwargs.pop("meta", META), args["decision"], args["actions"], lang), result


def test_no_go_names_the_rule_and_how_far_each_dimension_is_from_its_threshold():
    report, _ = report_for("acute-emergency-no-procedures")
    rec = report.recommendation
    assert rec.label == "No-go" and rec.rule_id == "critical-gate"
    assert "critical item that must hold before the decision is below its minimum" in rec.because
    system = next(d for d in report.dimensions if d.id == "system")
    assert system.state == "below_floor"
    assert "points below the go threshold of 60 and under the floor of 35" in system.sentence
    assert system.sentence in rec.margins


def test_flags_are_grouped_critical_first_with_evidence_and_action():
    report, result = report_for("acute-emergency-no-procedures")
    assert [g.severity for g in report.flag_groups][0] == "critical"
    gate = next(f for f in report.flag_groups[0].flags if f.code == "critical_gate:cm_procedures")
    assert "at least 2" in gate.message and gate.action
    assert any(line.startswith("Minimum level 2") for line in gate.evidence)
    assert report.top_flags[0].severity == "critical"
    assert report.flag_count == len(result.flags)


def test_unmet_blocking_charter_items_come_first():
    report, result = report_for("acute-emergency-no-procedures")
    assert result.charter.blocking_unmet
    first = report.charter[: len(result.charter.blocking_unmet)]
    assert {row.item_id for row in first} == set(result.charter.blocking_unmet)
    assert all(row.level == "blocking" and row.unmet for row in first)
    assert report.blocking_unmet == len(result.charter.blocking_unmet)


def test_perception_gap_puts_roles_side_by_side():
    report, _ = report_for("perception-gap")
    labels = [role.label for role in report.roles.roles]
    assert "Social worker" in labels and "Country or programme manager" in labels
    assert all(gap for _name, _values, gap in report.roles.rows)
    assert report.perception_gaps and "a gap of 83 points" in report.perception_gaps[0].message
    assert report.chart["roles"] and len(report.chart["scores"]) == len(report.dimensions)


def test_robustness_names_the_deciding_items_when_dont_knows_could_change_the_outcome():
    report, _ = report_for("mostly-dont-know")
    assert report.recommendation.label == "Insufficient evidence"
    assert not report.robustness.stable
    assert report.robustness.if_lowest == "No-go" and report.robustness.if_highest == "Go"
    assert any("case-management procedures" in item for item in report.robustness.deciding_items)


def test_indicators_sit_next_to_the_self_rating_they_check():
    report, _ = report_for("partial-readiness")
    connectivity = next(i for i in report.indicators if "connectivity" in i.label)
    assert connectivity.level == 1 and connectivity.checks and connectivity.self_rating == "2.0"


def test_french_report_is_written_in_french():
    report, _ = report_for("partial-readiness", "fr")
    assert report.recommendation.label == "Go sous conditions"
    assert "points sous le seuil de go" in " ".join(report.recommendation.margins)
    assert report.header.target_go_live == "1 septembre 2026"


def test_preview_and_snapshot_are_labelled_differently():
    preview, _ = report_for("partial-readiness", meta=replace(META, computed_at=None, status="collecting"))
    frozen, _ = report_for("partial-readiness")
    assert preview.header.is_preview and "Preview, not final" in preview.header.basis
    assert not frozen.header.is_preview and "March 2, 2026" in frozen.header.basis


def test_override_is_shown_with_its_reason_and_overdue_actions_are_counted():
    decision = SimpleNamespace(outcome="go", decided_by_name="Awa", decided_at=NOW, rationale="r", conditions="",
                               recommendation_at_decision="go_with_conditions", override_reason="Donor deadline")
    actions = [
        SimpleNamespace(id=1, source="x", title="Back up", owner="IT", due_date=date(2026, 3, 1), status="open", version_id=1),
        SimpleNamespace(id=2, source="y", title="Train", owner="", due_date=date(2026, 1, 1), status="done", version_id=1),
    ]
    report, _ = report_for("partial-readiness", decision=decision, actions=actions)
    assert report.decision.is_override and report.decision.override_reason == "Donor deadline"
    assert "Go with conditions" in report.decision.override_note
    assert [a.overdue for a in report.actions] == [True, False]  # a done action is never overdue
    assert report.overdue_actions == 1 and report.open_actions == 1


@pytest.mark.parametrize(("outcome", "recommended", "override"), [
    ("go", "go", False), ("no_go", "go", True), ("deferred", "insufficient_evidence", False), ("go", "no_go", True),
])
def test_which_decisions_are_overrides(outcome, recommended, override):
    assert differs_from_recommendation(outcome, recommended) is override


def test_same_result_gives_the_same_report():
    first, _ = report_for("perception-gap")
    second, _ = report_for("perception-gap")
    assert first == second


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Readiness judgement, using the GDHM indicator 17 cut points (phase 3: 26-50)"),
    ("fr", "Appréciation de Readiness, d'après les seuils de l'indicateur GDHM 17 (phase 3 : 26-50)"),
    ("ar", "تقدير Readiness، باستخدام نقاط القطع في مؤشر GDHM \u200f17 (المرحلة 3: \u200f26-50)"),
])
def test_band_sources_are_in_the_readers_language(lang, expected):
    report, result = report_for("partial-readiness", lang)
    assert result.indicators["field_connectivity"].level == 1
    connectivity = report.indicators[[i.id for i in DEFINITIONS.questionnaire("readiness", "1.0").indicators]
                                      .index("field_connectivity")]
    assert connectivity.band_source == expected
    flag = next(f for g in report.flag_groups for f in g.flags if f.code.endswith("field_connectivity"))
    assert any(expected in line for line in flag.evidence), flag.evidence
