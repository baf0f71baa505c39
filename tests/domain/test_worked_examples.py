"""Worked examples with numbers computed by hand, one per rule issue 8 added or changed.

The fixture questionnaire (conftest): alpha = a1 (weight 1), a2 (weight 2, critical at 2), a3 (yes/no);
beta = b1 (social workers weigh 3), b2 (manager only, weight 0.5); caseload = cases / workers with
bands below 12 -> 4, below 18 -> 2, else 0, checking b1. Managers and social workers are expected here.
"""
from __future__ import annotations

import pytest

from readiness.domain.answers import DONT_KNOW, NOT_APPLICABLE, Respondent
from readiness.domain.decision import Facts, recommend
from readiness.domain.engine import score_assessment
from readiness.domain.explain import describe_condition, describe_flag, number, points
from readiness.domain.result import DimensionResult, Flag
from readiness.questionnaire.schema import Stage

from .test_engine_honesty import CHARTER, Q

ALL_MET = {"fundamental": "met", "golive": "met", "condition": "met", "advice": "met"}


def score(people, inputs=None, charter=None, questionnaire=Q):
    return score_assessment(questionnaire, people, inputs or {}, ALL_MET if charter is None else charter, CHARTER)


def test_self_rating_is_checked_for_each_role():
    # 250 cases / 10 workers = 25 per worker: level 0. Managers say 4; two social workers say 0 and 1 (mean 0.5).
    people = [Respondent("m", "manager", {"b1": 4}), Respondent("s1", "social_worker", {"b1": 0}),
              Respondent("s2", "social_worker", {"b1": 1})]
    result = score(people, {"workers": 10, "cases": 250})
    indicator = result.indicators["caseload"]
    assert indicator.value == 25 and indicator.level == 0
    # Over roles, social workers weighing 3: (4 * 1 + 0.5 * 3) / 4 = 1.375, only 1.375 levels from 0.
    assert indicator.self_rating == pytest.approx(1.375)
    flag = next(f for f in result.flags if f.kind == "self_rating")
    assert flag.evidence["roles"] == {"manager": 4.0} and flag.evidence["gap"] == 4.0


def test_perception_gap_uses_only_the_items_both_roles_answered():
    # Manager: a1 = 4, a2 = 3. Social worker: a1 = 2, a2 = 1, and a3 = "no" (0), which managers are not asked.
    people = [Respondent("m", "manager", {"a1": 4, "a2": 3}),
              Respondent("s", "social_worker", {"a1": 2, "a2": 1, "a3": "no"})]
    result = score(people)
    flag = next(f for f in result.flags if f.code == "perception_gap:alpha")
    # Shared a1 (weight 1) and a2 (weight 2): manager (4 + 2 * 3) / 3 * 25 = 83.33, social worker (2 + 2 * 1) / 3 * 25
    # = 33.33, a gap of 50. Their own-item means would give 83.33 - 25 = 58.33.
    assert flag.evidence["items"] == ["a1", "a2"]
    assert flag.evidence["by_role"] == {"manager": pytest.approx(250 / 3), "social_worker": pytest.approx(100 / 3)}
    assert flag.evidence["gap"] == pytest.approx(50.0)
    assert result.dimensions["alpha"].by_role["social_worker"] == pytest.approx(25.0)
    stricter = Q.model_copy(update={"flag_rules": Q.flag_rules.model_copy(update={"min_shared_items": 3})})
    assert "perception_gap" not in {f.kind for f in score(people, questionnaire=stricter).flags}


def test_role_coverage_counts_each_role_asked():
    # Beta: b1 asked of manager and social worker (supervisors are not expected and did not answer), b2 of manager.
    manager = Respondent("m", "manager", {"b1": 3, "b2": 2})
    worker = Respondent("s", "social_worker", {"a1": 3})
    result = score([manager, worker])
    assert result.items["b1"].roles_asked == ["manager", "social_worker"]
    assert result.items["b1"].coverage == 0.5 and result.items["b2"].coverage == 1.0
    # (0.5 * 1 + 1.0 * 0.5) / (1 + 0.5) = 2/3, where "any role answered" said 1.0.
    assert result.dimensions["beta"].coverage == pytest.approx(2 / 3)
    # Social workers silent altogether: they are expected, so b1 is still half covered, not fully.
    alone = score([manager])
    assert alone.items["b1"].coverage == 0.5 and alone.items["b1"].roles_missing == ["social_worker"]
    # A social worker who finds b1 not applicable takes the role out of b1's denominator.
    worker_na = Respondent("s", "social_worker", {"a1": 3, "b1": NOT_APPLICABLE})
    assert score([manager, worker_na]).items["b1"].coverage == 1.0
    # An item every role found not applicable leaves the denominator: b2 out, beta is b1 alone, fully covered.
    na_item = score([Respondent("m", "manager", {"b1": 3, "b2": NOT_APPLICABLE}), Respondent("s", "social_worker", {"b1": 2})])
    assert na_item.items["b2"].status == "not_applicable" and na_item.items["b2"].coverage is None
    assert na_item.dimensions["beta"].coverage == 1.0
    # Overall: alpha (weight 4) unanswered, beta's b1 (weight 1) covered: 1 / 5, not 1 / 5.5.
    assert na_item.overall_coverage == pytest.approx(1 / 5)
    # A critical item none of its roles answered is not established.
    assert "critical_unknown:a2" in {f.code for f in result.flags}


def test_a_floor_breach_on_thin_evidence_does_not_decide():
    # Alpha: a1 and a2 "don't know", a3 "no" (0). Coverage (0 * 1 + 0 * 2 + 1 * 1) / 4 = 0.25 < 0.5.
    people = [Respondent("m", "manager", {"b1": 3, "b2": 3}),
              Respondent("s", "social_worker", {"a1": DONT_KNOW, "a2": DONT_KNOW, "a3": "no", "b1": 3})]
    result = score(people)
    alpha = result.dimensions["alpha"]
    assert alpha.score == 0 and alpha.coverage == pytest.approx(0.25)
    flag = next(f for f in result.flags if f.dimension == "alpha" and "floor" in f.kind)
    assert flag.kind == "floor_low_evidence" and flag.evidence["find_out"] == ["a1", "a2"]
    # The rule "any dimension below its floor" counts alpha only from 50 % coverage.
    dims = {"alpha": _dimension(20.0, 0.25), "beta": _dimension(80.0, 1.0)}
    assert recommend(Q, Facts.gather(0.7, 50.0, dims, [], 0.5)).outcome == "go_with_conditions"
    dims["alpha"] = _dimension(20.0, 0.5)
    assert recommend(Q, Facts.gather(0.7, 50.0, dims, [], 0.5)).rule_id == "floor"


def _dimension(score: float, coverage: float) -> DimensionResult:
    return DimensionResult("x", score, coverage, 60, 35, score - 60, {}, [], [], [], [])


FULL = [Respondent("m", "manager", {"a1": 4, "a2": 4, "b1": 4, "b2": 4}),
        Respondent("s", "social_worker", {"a1": 4, "a2": 4, "a3": "yes", "b1": 4}),
        Respondent("v", "supervisor", {"a1": 4, "a3": "yes", "b1": 4})]


def test_the_stage_of_a_requirement_decides_between_no_go_and_a_go_live_condition():
    assert score(FULL, {"workers": 10, "cases": 50}).recommendation.outcome == "go"
    golive = score(FULL, {"workers": 10, "cases": 50}, {**ALL_MET, "golive": "not_met"})
    assert golive.recommendation.outcome == "go_with_conditions"
    assert golive.recommendation.golive_conditions == ["charter_golive:golive"]
    # With the shipped rule "charter-blocking" (blocking_unmet -> no-go), only the before-decision item decides.
    rule = Q.decision_rules[0].model_copy(update={"id": "charter", "when": Q.decision_rules[0].when.model_copy(
        update={"critical_failed": None, "blocking_unmet": True})})
    with_rule = Q.model_copy(update={"decision_rules": [rule, *Q.decision_rules]})
    fundamental = score(FULL, {"workers": 10, "cases": 50}, {**ALL_MET, "fundamental": "partly"}, with_rule)
    assert (fundamental.recommendation.outcome, fundamental.recommendation.rule_id) == ("no_go", "charter")
    golive = score(FULL, {"workers": 10, "cases": 50}, {**ALL_MET, "golive": "not_met"}, with_rule)
    assert (golive.recommendation.outcome, golive.recommendation.rule_id) == ("go_with_conditions", "conditions")
    # A critical item declared "before go-live": a2 at (1 + 1) / 2 = 1 < 2 is a go-live condition, not a no-go.
    items = [i.model_copy(update={"critical": i.critical.model_copy(update={"stage": Stage.BEFORE_GO_LIVE})})
             if i.id == "a2" else i for i in Q.items]
    staged = Q.model_copy(update={"items": items})
    low = [Respondent(p.id, p.role, {**p.answers, "a2": 1} if "a2" in p.answers else p.answers) for p in FULL]
    result = score(low, {"workers": 10, "cases": 50}, questionnaire=staged)
    assert result.recommendation.outcome == "go_with_conditions"
    assert result.recommendation.golive_conditions == ["critical_golive:a2"]
    assert score(low, {"workers": 10, "cases": 50}).recommendation.outcome == "no_go"


def test_numbers_are_rounded_once_and_compared_as_shown():
    assert number(59.5) == "60" and number(60.5) == "61" and number(34.6) == "35"
    assert points(1, "en") == "1 point" and points(12.4, "fr") == "12 points"
    flag = Flag("dimension_below_go:alpha", "dimension_below_go", "major", "alpha", None,
                {"score": 59.5, "go": 60, "floor": 35, "lowest_items": []})
    assert describe_flag(flag, Q, None, "en").message == "Alpha scores 60 once rounded, but just below the go threshold of 60."
    fallback = Q.decision_rules[-1]
    assert describe_condition(fallback.when, Q, "en") == "no earlier rule applied (this is the fallback rule)"


@pytest.mark.parametrize("levels, flagged", [((3, 2), False), ((4, 3), False), ((3, 1), True)])
def test_the_gap_threshold_is_the_files(levels, flagged):
    # One shared item a1: 25 points per level. A gap of 25 is not above the file's 25; 50 is.
    manager, worker = levels
    people = [Respondent("m", "manager", {"a1": manager}), Respondent("s", "social_worker", {"a1": worker})]
    gap = (manager - worker) * 25
    assert Q.flag_rules.perception_gap == 25
    assert ("perception_gap:alpha" in {f.code for f in score(people).flags}) is flagged, gap
    near = [Respondent("m", "manager", {"a1": 4, "a2": 4}), Respondent("s", "social_worker", {"a1": 4, "a2": 2})]
    # (4 + 2 * 4) / 3 - (4 + 2 * 2) / 3 = 4/3 levels = 33.3 points: flagged at 25, not at 25 + 10.
    assert "perception_gap:alpha" in {f.code for f in score(near).flags}
    narrow = [Respondent("m", "manager", {"a1": 4, "a2": 4}), Respondent("s", "social_worker", {"a1": 4, "a2": 3})]
    # (12 - 10) / 3 = 2/3 level = 16.7 points: not flagged at 25, flagged if the threshold dropped to 15.
    assert "perception_gap:alpha" not in {f.code for f in score(narrow).flags}
