"""A way to go: the promised changes, re-scored with the engine, give the promised recommendation."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings

from readiness.domain.engine import score_assessment
from readiness.domain.responses import parse_responses
from readiness.domain.way_forward import STEPS, Change, apply_changes, figure_change, find_way_forward, next_step

from ..budget import examples
from .conftest import EXAMPLES
from .test_engine_properties import Q, assessments
from .test_scenarios import DEFINITIONS


def rescore(questionnaire, people, inputs, charter_answers, charter, changes):
    people, inputs, answers = apply_changes(questionnaire, people, inputs, charter_answers, changes)
    return score_assessment(questionnaire, people, inputs, answers, charter).recommendation.outcome


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments())
def test_the_promised_changes_give_the_promised_recommendation(case):
    people, inputs = case
    result = score_assessment(Q, people, inputs, {})
    way = find_way_forward(Q, people, inputs, {}, None, result)
    assert way.target == next_step(result.recommendation.outcome)
    if way.reached is None:
        assert way.changes == []
        return
    assert rescore(Q, people, inputs, {}, None, way.changes) == way.reached
    assert STEPS.index(way.reached) >= STEPS.index(way.target)
    for change in way.changes:  # none of them can be left out
        fewer = [c for c in way.changes if c != change]
        found = rescore(Q, people, inputs, {}, None, fewer)
        assert found not in STEPS or STEPS.index(found) < STEPS.index(way.target)


def scenario(name: str):
    document = json.loads((EXAMPLES / "scenarios" / f"{name}.json").read_text(encoding="utf-8"))
    r = parse_responses(document)
    q, c = DEFINITIONS.questionnaire(*r.questionnaire), DEFINITIONS.charter(*r.charter)
    return q, c, r


@pytest.mark.parametrize("name", ["acute-emergency-no-procedures", "partial-readiness", "perception-gap"])
def test_each_scenario_below_go_gets_a_way_up_that_the_engine_confirms(name):
    q, c, r = scenario(name)
    result = score_assessment(q, r.respondents, r.measured_inputs, r.charter_answers, c)
    way = find_way_forward(q, r.respondents, r.measured_inputs, r.charter_answers, c, result)
    assert way.reached == next_step(result.recommendation.outcome)
    assert rescore(q, r.respondents, r.measured_inputs, r.charter_answers, c, way.changes) == way.reached
    assert rescore(q, r.respondents, r.measured_inputs, r.charter_answers, c, way.changes[1:]) != way.reached


def test_a_no_go_on_a_gate_is_lifted_by_meeting_the_gate():
    # Worked example on the fixture: a2 is critical (minimum level 2); everyone else at level 4.
    from readiness.domain.answers import Respondent

    people = [Respondent("m", "manager", {"a1": 4, "a2": 0, "b1": 4, "b2": 4}),
              Respondent("s", "social_worker", {"a1": 4, "a2": 1, "a3": "yes", "b1": 4})]
    result = score_assessment(Q, people, {}, {})
    assert result.recommendation.outcome == "no_go"
    way = find_way_forward(Q, people, {}, {}, None, result)
    assert way.changes == [Change("item", "a2", 3)]
    assert way.reached == "go"  # with a2 at 3 nothing else holds it back: more than one step up, said as found


def test_a_figure_change_lands_in_the_band_it_names():
    change = figure_change(Q, "caseload")
    # Bands: level 4 below 12 cases per FTE: half of 12 is inside it.
    assert change == Change("figure", "caseload", 4, 6.0)
    _people, inputs, _charter = apply_changes(Q, [], {"workers": 10.0, "cases": 300.0}, {}, [change])
    assert inputs == {"workers": 10.0, "cases": 60.0}


def test_go_and_insufficient_evidence_have_no_next_step():
    assert next_step("go") is None and next_step("insufficient_evidence") is None
    assert next_step("no_go") == "go_with_conditions"


def test_the_plan_reaches_what_the_engine_gives_with_every_target_met():
    # Worked example on the fixture (levels score 25 points each; yes = level 4 = 100).
    # a2 is critical (minimum 2): both roles answered 1, so the gate fails: no-go.
    from readiness.domain.answers import Respondent
    from readiness.domain.way_forward import plan_result

    people = [Respondent("m", "manager", {"a1": 2, "a2": 1, "b1": 2, "b2": 2}),
              Respondent("s", "social_worker", {"a1": 2, "a2": 1, "a3": "yes", "b1": 2})]
    assert score_assessment(Q, people, {}, {}).recommendation.outcome == "no_go"

    # One action: "a2 at level 2". Alpha = (a1 50×1 + a2 50×2 + a3 100×1) / 4 = 62.5 (go line 60);
    # beta = (b1 50×1 + b2 50×0.5) / 1.5 = 50.0, under its go line of 55 but over its floor of 30:
    # the gate holds, one dimension is short of go, so go with conditions.
    plan = plan_result(Q, people, {}, {}, None, [("a2", 2)])
    assert plan.dimensions["alpha"].score == pytest.approx(62.5)
    assert plan.dimensions["beta"].score == pytest.approx(50.0)
    assert plan.recommendation.outcome == "go_with_conditions"

    # The same through the one hook, by hand: the plan is exactly "apply these changes, re-score".
    assert rescore(Q, people, {}, {}, None, [Change("item", "a2", 2)]) == plan.recommendation.outcome
    # A target below what was answered lowers nothing; an unknown question changes nothing.
    assert plan_result(Q, people, {}, {}, None, [("a2", 0), ("zz", 4)]).recommendation.outcome == "no_go"
