"""The shipped questionnaire and charter meet the product's promises (README, "How scoring works"; docs/ARCHITECTURE.md, "Principles")."""
from __future__ import annotations

from readiness.questionnaire.effort import minutes_for_role
from readiness.questionnaire.loader import load_directory
from readiness.questionnaire.schema import CharterLevel, ItemType, Outcome

from .conftest import ROOT

DEFINITIONS = load_directory(ROOT / "questionnaires")
Q = DEFINITIONS.latest_questionnaire("readiness")
CHARTER = DEFINITIONS.latest_charter()


def test_five_dimensions_in_the_designed_order():
    assert [d.id for d in Q.dimensions] == ["needs", "system", "ict", "staff", "organisation"]


def test_no_role_sees_more_than_35_items_and_social_workers_need_minutes_not_hours():
    for role in Q.roles:
        assert 0 < len(Q.items_for_role(role.id)) <= 35, role.id
    assert minutes_for_role(Q, "social_worker") <= 15
    assert next(r for r in Q.roles if r.id == "social_worker").anonymous


def test_gates_on_procedures_and_data_protection_ask_for_evidence():
    critical = {item.id: item for item in Q.items if item.critical}
    assert {"cm_procedures", "data_protection_framework"} <= set(critical)
    assert all(item.evidence.value == "required" for item in critical.values())


def test_needs_asks_whether_the_tool_serves_daily_practice():
    needs = Q.items_in("needs")
    assert "daily_practice_support" in {i.id for i in needs}
    assert "social_worker" in Q.item("daily_practice_support").roles


def test_every_scored_item_has_an_action_and_a_source():
    for item in Q.items:
        if item.type in (ItemType.LEVEL, ItemType.YES_NO):
            assert item.action and item.sources, item.id


def test_measured_inputs_and_indicators_cover_the_figures_that_check_self_ratings():
    inputs = {i.id for i in Q.inputs}
    assert {"social_workers_fte", "open_cases", "supervisors_fte", "staff_trained_cm", "devices_available",
            "power_hours", "field_sites_connected_pct"} <= inputs
    indicators = {i.id: i for i in Q.indicators}
    assert {"caseload", "supervision_ratio", "share_trained", "devices_per_worker"} <= set(indicators)
    assert all(ind.checks_item for ind in indicators.values())


def test_decision_rules_can_give_every_outcome():
    outcomes = {rule.outcome for rule in Q.decision_rules}
    assert outcomes == {Outcome.GO, Outcome.GO_WITH_CONDITIONS, Outcome.NO_GO, Outcome.INSUFFICIENT_EVIDENCE}


def test_several_items_are_answered_by_managers_and_social_workers_so_gaps_can_show():
    shared = [i for i in Q.items if {"manager", "social_worker"} <= set(i.roles) and i.scored]
    assert {i.dimension for i in shared} >= {"needs", "ict", "staff"}


def test_charter_covers_every_theme_with_30_to_45_sourced_items():
    assert 30 <= len(CHARTER.items) <= 45
    assert [t.id for t in CHARTER.themes] == [
        "consent", "confidentiality", "retention", "access", "sharing", "security", "legal",
        "participation", "do_no_harm", "human_judgement", "practitioner_control",
    ]
    for theme in CHARTER.themes:
        assert len([i for i in CHARTER.items if i.theme == theme.id]) >= 2, theme.id
    levels = {i.level for i in CHARTER.items}
    assert levels == {CharterLevel.BLOCKING, CharterLevel.CONDITION, CharterLevel.ADVISORY}
    assert all(i.sources for i in CHARTER.items)


def test_every_level_descriptor_reads_on_its_own():
    """A respondent sees one option at a time: "As level 3, and ..." sends them hunting."""
    import yaml
    from pathlib import Path

    data = yaml.safe_load((Path(__file__).parents[2] / "questionnaires/readiness/1.0.yaml").read_text(encoding="utf-8"))
    leaning = [(item["id"], level, lang) for item in data["items"] for level, texts in (item.get("levels") or {}).items()
               for lang, value in texts.items() if value.startswith(("As level", "Comme au niveau"))]
    assert leaning == []
