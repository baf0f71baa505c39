"""The README's "How scoring works" quotes numbers from the shipped definition files: they must agree."""
from __future__ import annotations

from readiness.questionnaire.loader import load_directory
from readiness.questionnaire.schema import Stage

from .conftest import ROOT

DEFINITIONS = load_directory(ROOT / "questionnaires")
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## How scoring works"):]


def test_readme_numbers_match_the_questionnaire():
    q = DEFINITIONS.latest_questionnaire("readiness")
    rules = q.flag_rules
    assert f"more than {rules.perception_gap:.0f} points apart" in SECTION
    assert f"at least\n   {rules.min_shared_items} of them" in SECTION
    assert f"less than {rules.dimension_min_coverage:.0%} coverage".replace("%", " %") in SECTION
    assert f"coverage below {rules.min_coverage:.0%}".replace("%", " %") in SECTION
    expected = [r.id for r in q.roles if r.expected]
    assert expected == ["manager", "social_worker", "supervisor", "it_admin"]
    assert {r.min_respondents for r in q.roles if r.expected} == {1} and "at least 1 each" in SECTION
    assert [r.id for r in q.decision_rules] == ["critical-gate", "charter-blocking", "frontline-not-heard",
                                                "insufficient-evidence", "dimension-floor", "ready", "conditions"]
    assert all(i.critical.stage is Stage.BEFORE_DECISION and i.critical.stage_reason for i in q.items if i.critical)


def test_every_blocking_charter_item_declares_its_stage_with_a_reason():
    charter = DEFINITIONS.latest_charter()
    blocking = [i for i in charter.items if i.level.value == "blocking"]
    assert all(i.stage is not None and i.stage_reason for i in blocking)
    golive = {i.id for i in blocking if i.stage is Stage.BEFORE_GO_LIVE}
    assert {"dpia_completed", "information_sharing_protocol"} <= golive
    assert {"human_makes_every_decision", "authorities_sharing_safeguards"}.isdisjoint(golive)
