"""Properties of an honest result (issue 8): who was heard, what decides, what could still change it."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.domain.answers import DONT_KNOW, Respondent
from readiness.domain.engine import score_assessment
from readiness.domain.ranking import FUNDAMENTAL
from readiness.domain.robustness import BIG
from readiness.questionnaire.schema import Charter, ItemType

from ..budget import examples
from .conftest import _text, build_questionnaire
from .test_engine_properties import answer_for

BASE = build_questionnaire()
# Managers and social workers are expected; supervisors may stay silent.
Q = BASE.model_copy(update={"roles": [r.model_copy(update={"expected": r.id != "supervisor"}) for r in BASE.roles]})
CHARTER = Charter.model_validate({
    "schema_version": 1, "kind": "charter", "id": "mini", "version": "1.0", "languages": ["en", "fr"],
    "title": _text("Mini"), "themes": [{"id": "t", "label": _text("T")}],
    "items": [
        {"id": "fundamental", "theme": "t", "level": "blocking", "stage": "before_decision", "stage_reason": "r",
         "text": _text("F"), "guidance": _text("g"), "sources": ["src"]},
        {"id": "golive", "theme": "t", "level": "blocking", "stage": "before_go_live", "stage_reason": "r",
         "text": _text("G"), "guidance": _text("g"), "sources": ["src"]},
        {"id": "condition", "theme": "t", "level": "condition", "text": _text("C"), "guidance": _text("g"),
         "sources": ["src"]},
        {"id": "advice", "theme": "t", "level": "advisory", "text": _text("A"), "guidance": _text("g"),
         "sources": ["src"]},
    ],
})
STATUS = st.sampled_from(["met", "partly", "not_met", "not_applicable"])
PROPERTY = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def person(draw, index: int, roles=None) -> Respondent:
    role = draw(st.sampled_from(roles or [r.id for r in Q.roles]))
    answers = {item.id: draw(answer_for(item.type)) for item in Q.items_for_role(role) if draw(st.booleans())}
    return Respondent(f"r{index}", role, answers)


@st.composite
def cases(draw, max_people: int = 6):
    people = [draw(person(i)) for i in range(draw(st.integers(0, max_people)))]
    inputs = {"workers": draw(st.one_of(st.none(), st.sampled_from([1.0, 4.0, 10.0]))),
              "cases": draw(st.one_of(st.none(), st.sampled_from([5.0, 60.0, 300.0])))}
    charter = {item.id: draw(STATUS) for item in CHARTER.items if draw(st.booleans())}
    return people, inputs, charter


def score(people, inputs, charter):
    return score_assessment(Q, people, inputs, charter, CHARTER)


def contradicting_roles(result) -> set[str]:
    flag = next((f for f in result.flags if f.code == "self_rating:caseload"), None)
    return set(flag.evidence["roles"]) if flag else set()


@PROPERTY
@given(cases(), st.data())
def test_adding_respondents_of_another_role_never_hides_a_contradiction(case, data):
    people, inputs, charter = case
    before = contradicting_roles(score(people, inputs, charter))
    for role in before:
        others = [r.id for r in Q.roles if r.id != role]
        extra = [data.draw(person(100 + i, others)) for i in range(data.draw(st.integers(1, 4)))]
        assert role in contradicting_roles(score(people + extra, inputs, charter))


@PROPERTY
@given(cases())
def test_a_perception_gap_is_only_computed_from_shared_items(case):
    result = score(*case)
    for flag in (f for f in result.flags if f.kind == "perception_gap"):
        high, low, shared = flag.evidence["high_role"], flag.evidence["low_role"], flag.evidence["items"]
        assert len(shared) >= Q.flag_rules.min_shared_items
        assert all(high in result.items[i].by_role and low in result.items[i].by_role for i in shared)
        dim_items = [i for i in Q.items_in(flag.dimension) if i.scored]
        both = [i.id for i in dim_items if high in result.items[i.id].by_role and low in result.items[i.id].by_role]
        assert shared == both
        weights = {i.id: i.weight for i in dim_items}
        mean = {role: sum(result.items[i].by_role[role] * weights[i] for i in shared) / sum(weights[i] for i in shared) * 25
                for role in (high, low)}
        assert abs(mean[high] - mean[low] - flag.evidence["gap"]) < 1e-9


@PROPERTY
@given(cases(), st.sampled_from([r.id for r in Q.roles if r.expected]))
def test_without_an_expected_role_there_is_never_a_go(case, role):
    people, inputs, charter = case
    silent = [p for p in people if p.role != role]
    result = score(silent, inputs, charter)
    assert result.recommendation.outcome != "go"
    assert f"role_not_heard:{role}" in {f.code for f in result.flags}


@PROPERTY
@given(cases())
def test_an_unanswered_charter_item_is_never_met(case):
    people, inputs, charter = case
    result = score(people, inputs, charter)
    missing = [i.id for i in CHARTER.items if i.id not in charter]
    assert all(result.charter.statuses[i] == "missing" for i in missing)
    assert result.charter.counts["met"] == sum(1 for status in charter.values() if status == "met")
    assert sum(counts["met"] for counts in result.charter.by_level.values()) == result.charter.counts["met"]
    if "fundamental" in missing or "golive" in missing:
        assert result.recommendation.outcome != "go"


@PROPERTY
@given(cases())
def test_every_fundamental_blocker_is_ranked_before_any_other_flag(case):
    result = score(*case)
    positions = [i for i, f in enumerate(result.flags) if f.kind in FUNDAMENTAL]
    others = [i for i, f in enumerate(result.flags) if f.kind not in FUNDAMENTAL]
    if positions and others:
        assert max(positions) < min(others)


# --- Robustness, checked by brute force: change one unknown at a time through the respondents themselves.

def single_unknowns(result, people, inputs, charter):
    """:yield: (unknown, answers changed at the worst end, at the best end), built without the engine's tally."""
    heard = {p.role for p in people if any(v != "not_applicable" for v in p.answers.values())}
    for item in (i for i in Q.items if i.scored):
        missing_roles = [r for r in result.items[item.id].roles_missing if r in heard]
        has_dont_know = any(p.answers.get(item.id) == DONT_KNOW for p in people)
        if has_dont_know or missing_roles:
            yield f"item:{item.id}", *(_item_at(item, people, missing_roles, level) for level in (0, 4))
    for role in result.roles_not_heard:
        yield f"role:{role}", *(_role_at(role, people, level) for level in (0, 4))
    for entry in CHARTER.items:
        if entry.id not in charter and entry.level.value != "advisory":
            yield f"charter:{entry.id}", *((people, inputs, {**charter, entry.id: s}) for s in ("not_met", "met"))
    for name in ("workers", "cases"):
        if inputs.get(name) is None:
            yield f"input:{name}", *((people, {**inputs, name: v}, charter) for v in (1e-9, BIG))


def _value(item, level):
    return ("yes" if level == 4 else "no") if item.type is ItemType.YES_NO else level


def _item_at(item, people, missing_roles, level):
    changed = [Respondent(p.id, p.role, {k: (_value(item, level) if k == item.id and v == DONT_KNOW else v)
                                         for k, v in p.answers.items()}) for p in people]
    changed += [Respondent(f"late-{role}", role, {item.id: _value(item, level)}) for role in missing_roles]
    return changed


def _role_at(role, people, level):
    answers = {i.id: _value(i, level) for i in Q.items_for_role(role) if i.scored}
    return people + [Respondent(f"late-{role}", role, answers)]


@settings(max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_people=4))
def test_any_single_unknown_that_changes_the_recommendation_is_named(case):
    people, inputs, charter = case
    result = score(people, inputs, charter)
    current = result.recommendation.outcome
    named = set(result.robustness.deciding)
    for unit, worst, best in single_unknowns(result, people, inputs, charter):
        outcomes = set()
        for changed in (worst, best):
            if isinstance(changed, tuple):
                outcomes.add(score(*changed).recommendation.outcome)
            else:
                outcomes.add(score(changed, inputs, charter).recommendation.outcome)
        if outcomes - {current}:
            assert not result.robustness.stable
            assert unit in named, (unit, outcomes, current)
        else:
            assert unit not in named
    assert set(result.robustness.find_out_first) <= set(result.robustness.unknowns)
