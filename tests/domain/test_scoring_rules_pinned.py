"""One worked example per rule of the README's "How scoring works", numbers computed by hand.

Each test names the wrong engine it catches: these are the mutants that once survived a suite
checking only invariants and outcomes. The fixture questionnaire is described in
test_worked_examples.py (alpha = a1, a2 weight 2 critical at 2, a3 yes/no; beta = b1, b2 weight 0.5).
"""
from __future__ import annotations

import pytest

from readiness.domain.answers import NOT_APPLICABLE, Respondent

from .test_worked_examples import FULL, Q, score


def test_an_item_averages_roles_not_respondents():
    # Rule 2. a1: one manager says 4; three social workers say 1, 2 and 0 (their mean is 1).
    # Roles: (4 + 1) / 2 = 2.5 levels, 62.5 points. Respondents pooled would give (4 + 1 + 2 + 0) / 4 = 1.75.
    people = [Respondent("m", "manager", {"a1": 4}), Respondent("s1", "social_worker", {"a1": 1}),
              Respondent("s2", "social_worker", {"a1": 2}), Respondent("s3", "social_worker", {"a1": 0})]
    result = score(people)
    assert result.items["a1"].by_role == {"manager": 4.0, "social_worker": 1.0}
    assert result.items["a1"].score == 2.5
    assert result.dimensions["alpha"].score == 62.5  # a1 is alpha's only answered item


def test_partly_counts_two_levels_of_four():
    # Rule 1. a1 = 4 (weight 1) and a3 = "partly" (weight 1): (4 + 2) / 2 * 25 = 75; "partly" as 1 would give 62.5.
    people = [Respondent("m", "manager", {"a1": 4}), Respondent("s", "social_worker", {"a3": "partly"})]
    result = score(people)
    assert result.items["a3"].score == 2.0
    assert result.dimensions["alpha"].score == 75.0


def test_a_not_applicable_item_leaves_score_and_coverage():
    # Rule 3. Beta: b1 = 4 from the manager and 2 from the social worker, weighed 3: (4 + 3 * 2) / 4 = 2.5,
    # 62.5 points; b2 (weight 0.5) not applicable. Kept in, b2 would make coverage 1 / 1.5 = 0.67.
    people = [Respondent("m", "manager", {"b1": 4, "b2": NOT_APPLICABLE}), Respondent("s", "social_worker", {"b1": 2})]
    result = score(people)
    beta = result.dimensions["beta"]
    assert (beta.score, beta.coverage, beta.not_applicable) == (62.5, 1.0, ["b2"])
    # Overall coverage: alpha's 4 weights unanswered, beta's b1 covered: 1 / (4 + 1) = 0.2, not 1 / 5.5.
    assert result.overall_coverage == pytest.approx(0.2)


@pytest.mark.parametrize(("threshold", "flagged"), [(25, False), (24, True)])
def test_a_gap_of_exactly_the_threshold_is_not_flagged_one_point_less_is(threshold, flagged):
    # Rule 6. a1: manager 3, social worker 2, a gap of (3 - 2) * 25 = 25 points. "More than" the threshold flags.
    people = [Respondent("m", "manager", {"a1": 3}), Respondent("s", "social_worker", {"a1": 2})]
    rules = Q.flag_rules.model_copy(update={"perception_gap": threshold, "min_shared_items": 1})
    result = score(people, questionnaire=Q.model_copy(update={"flag_rules": rules}))
    assert ("perception_gap:alpha" in {f.code for f in result.flags}) is flagged


def test_a_go_rule_placed_before_the_gates_is_passed_over():
    # Rule 7 and rule 5. a2 (critical, minimum 2) at 1 for both roles: alpha = (4 + 2 * 1 + 4) / 4 * 25 = 62.5 >= 60,
    # beta = 100 >= 55, so a "go" rule looking only at the dimensions would match. Put first, it is still passed
    # over while a gate is closed; the file's gate rule then gives no-go.
    low = [Respondent(p.id, p.role, {**p.answers, "a2": 1} if "a2" in p.answers else p.answers) for p in FULL]
    ready = next(r for r in Q.decision_rules if r.id == "ready")
    eager = ready.model_copy(update={"id": "eager-go", "when": ready.when.model_copy(update={"max_flags": None})})
    result = score(low, {"workers": 10, "cases": 50}, questionnaire=Q.model_copy(
        update={"decision_rules": [eager, *Q.decision_rules]}))
    assert result.dimensions["alpha"].score == 62.5 and result.dimensions["beta"].score == 100.0
    assert (result.recommendation.outcome, result.recommendation.rule_id) == ("no_go", "gate")
    assert result.recommendation.checks[0].rule_id == "eager-go" and not result.recommendation.checks[0].matched
