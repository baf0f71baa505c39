"""The way forward and the plan's reach from counted answers: exactly what lifting each respondent gives."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.domain.answers import DONT_KNOW, NOT_APPLICABLE, Respondent
from readiness.domain.engine import score_assessment
from readiness.domain.tally import tally, with_items_raised
from readiness.domain.way_forward import (
    Change,
    apply_changes,
    find_way_forward,
    find_way_forward_by_lifting,
    find_way_forward_counted,
    plan_outcome,
    plan_result,
)
from readiness.questionnaire.schema import ItemType, Questionnaire

from ..budget import examples
from .test_engine_properties import Q
from .test_scenarios import DEFINITIONS

REAL = DEFINITIONS.latest_questionnaire("readiness")
CHARTER = DEFINITIONS.latest_charter()
SPECIAL = st.sampled_from([DONT_KNOW, NOT_APPLICABLE])
CHARTER_STATUS = st.sampled_from(["met", "partly", "not_met", "not_applicable"])
DEFINITION = {"fixture": (Q, None), "readiness": (REAL, CHARTER)}


def _answer(item_type: ItemType) -> st.SearchStrategy:
    if item_type is ItemType.LEVEL:
        return st.one_of(st.integers(0, 4), SPECIAL)
    if item_type is ItemType.YES_NO:
        return st.one_of(st.sampled_from(["yes", "partly", "no"]), SPECIAL)
    if item_type is ItemType.TEXT:
        return st.sampled_from(["", "a note", "another note"])
    return st.one_of(st.integers(0, 200), SPECIAL)


@st.composite
def crowd(draw, name: str, most: int = 9) -> list[Respondent]:
    """Respondents who answer some items, or only "not applicable", or nothing at all (not heard)."""
    q: Questionnaire = DEFINITION[name][0]
    people = []
    for index in range(draw(st.integers(0, most))):
        role = draw(st.sampled_from([r.id for r in q.roles]))
        items = q.items_for_role(role)
        kind = draw(st.sampled_from(["answers", "answers", "answers", "not applicable only", "nothing"]))
        answers: dict[str, object] = {}
        for item in items:
            if kind != "nothing" and draw(st.integers(0, 3)):
                answers[item.id] = NOT_APPLICABLE if kind == "not applicable only" else draw(_answer(item.type))
        people.append(Respondent(f"r{index:02d}", role, answers))
    return people


@st.composite
def fixture_case(draw):
    people = draw(crowd("fixture"))
    inputs = {"workers": draw(st.one_of(st.none(), st.floats(0, 50, allow_nan=False))),
              "cases": draw(st.one_of(st.none(), st.floats(0, 2000, allow_nan=False)))}
    return "fixture", people, inputs, {}


@st.composite
def real_case(draw):
    people = draw(crowd("readiness", most=6))
    inputs = {i.id: draw(st.one_of(st.none(), st.floats(0, 24, allow_nan=False))) for i in REAL.inputs}
    charter_answers = {item.id: draw(CHARTER_STATUS) for item in CHARTER.items if draw(st.booleans())}
    return "readiness", people, inputs, charter_answers


def unpack(case):
    """:return: questionnaire, respondents, figures, charter answers, charter (names keep failure reports short)."""
    name, people, inputs, charter_answers = case
    q, charter = DEFINITION[name]
    return q, people, inputs, charter_answers, charter


SETTINGS = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.one_of(fixture_case(), real_case()), st.data())
def test_counting_the_lifted_answers_gives_the_counts_of_the_lifted_respondents(case, data):
    q, people, inputs, charter_answers, _charter = unpack(case)
    scored = [item for item in q.items if item.scored]
    raised = data.draw(st.dictionaries(st.sampled_from([i.id for i in scored]), st.integers(0, 4), max_size=4))
    by_lifting = tally(q, apply_changes(q, people, inputs, charter_answers,
                                        [Change("item", i, level) for i, level in raised.items()])[0])
    counted = with_items_raised(tally(q, people), q, raised)
    assert (counted.counts, counted.respondents, counted.heard, counted.values) == (
        by_lifting.counts, by_lifting.respondents, by_lifting.heard, by_lifting.values)


@SETTINGS
@given(st.one_of(fixture_case(), real_case()))
def test_the_way_forward_from_counts_is_the_way_forward_from_each_respondent(case):
    q, people, inputs, charter_answers, charter = unpack(case)
    result = score_assessment(q, people, inputs, charter_answers, charter)
    old = find_way_forward_by_lifting(q, people, inputs, charter_answers, charter, result)
    assert find_way_forward_counted(q, tally(q, people), inputs, charter_answers, charter, result) == old
    assert find_way_forward(q, people, inputs, charter_answers, charter, result) == old


@SETTINGS
@given(st.one_of(fixture_case(), real_case()), st.data())
def test_the_plan_reach_from_counts_is_the_engine_outcome_with_every_target_met(case, data):
    q, people, inputs, charter_answers, charter = unpack(case)
    ids = [i.id for i in q.items] + ["unknown_question"]
    targets = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.integers(0, 4)), max_size=4))
    expected = plan_result(q, people, inputs, charter_answers, charter, targets).recommendation.outcome
    assert plan_outcome(q, tally(q, people), inputs, charter_answers, charter, targets) == expected


def test_raising_a_question_worked_example():
    # Fixture item a2 (asked of managers and social workers, critical at level 2), raised to level 3.
    # Social workers: one at level 1, one "don't know", one who did not answer a2 (but answered a1),
    # one who found a2 not applicable, one who said only "not applicable" (on b1: not heard), one who
    # said nothing (not heard). Managers: one at level 4 (stays: above 3), one at level 2.
    people = [
        Respondent("s1", "social_worker", {"a2": 1, "a1": 2}),
        Respondent("s2", "social_worker", {"a2": DONT_KNOW}),
        Respondent("s3", "social_worker", {"a1": 3}),
        Respondent("s4", "social_worker", {"a2": NOT_APPLICABLE, "a1": 2}),
        Respondent("s5", "social_worker", {"b1": NOT_APPLICABLE}),
        Respondent("s6", "social_worker", {}),
        Respondent("m1", "manager", {"a2": 4}),
        Respondent("m2", "manager", {"a2": 2}),
    ]
    base = tally(Q, people)
    assert base.role_counts("a2") == {"social_worker": {1: 1, DONT_KNOW: 1, NOT_APPLICABLE: 1}, "manager": {4: 1, 2: 1}}
    assert base.heard == {"social_worker": 4, "manager": 2}
    raised = with_items_raised(base, Q, {"a2": 3})
    # Social workers: 6 people, 3 answered a2, so 3 did not (s3, s5, s6). Level 1 (1) + don't know (1)
    # + no answer (3) = 5 at level 3; the "not applicable" stays. s5 and s6 now said something: heard 4 + 2 = 6.
    # Managers: level 2 becomes 3, level 4 stays.
    assert raised.role_counts("a2") == {"social_worker": {3: 5, NOT_APPLICABLE: 1}, "manager": {4: 1, 3: 1}}
    assert raised.heard == {"social_worker": 6, "manager": 2}
    # Item score: social workers (5 × 3) / 5 = 3.0, managers (4 + 3) / 2 = 3.5; mean of the roles = 3.25.
    result = score_assessment(Q, people, {}, {})
    assert result.items["a2"].score == 2.0  # before: social workers 1 / 1 = 1.0, managers 6 / 2 = 3.0; mean 2.0
    lifted = plan_result(Q, people, {}, {}, None, [("a2", 3)])
    assert lifted.items["a2"].score == 3.25
    # A yes/no question raised to 3 is answered "yes" (level 4); "partly" (2) is below 3, so it moves too.
    yes_no = with_items_raised(tally(Q, [Respondent("s", "social_worker", {"a3": "partly"})]), Q, {"a3": 3})
    assert yes_no.role_counts("a3") == {"social_worker": {4: 1}}
