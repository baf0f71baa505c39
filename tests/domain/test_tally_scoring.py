"""Scoring from answers counted by the database gives the very result of scoring the respondents one by one."""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.domain.answers import DONT_KNOW, NOT_APPLICABLE, Respondent
from readiness.domain.engine import InvalidResponses, score_assessment, score_counts
from readiness.domain.result import result_to_json

from .conftest import build_questionnaire
from .test_engine_properties import answer_for

Q = build_questionnaire()


def counted(people: list[Respondent]) -> tuple[list[tuple[str, str, object, int]], Counter, Counter]:
    """What the GROUP BY of ``services.results`` returns: rows per role, item and value, and the head counts."""
    rows: Counter = Counter()
    for person in people:
        for item_id, value in person.answers.items():
            rows[(person.role, item_id, value)] += 1
    respondents = Counter(person.role for person in people)
    heard = Counter(p.role for p in people if any(v != NOT_APPLICABLE for v in p.answers.values()))
    return [(role, item, value, n) for (role, item, value), n in rows.items()], respondents, heard


@st.composite
def crowd(draw) -> list[Respondent]:
    """Up to 60 respondents, often giving the same answers (as a crowd does), "don't know" included."""
    people = []
    for index in range(draw(st.integers(0, 60))):
        role = draw(st.sampled_from([r.id for r in Q.roles]))
        answers = {item.id: draw(answer_for(item.type)) for item in Q.items_for_role(role) if draw(st.booleans())}
        people.append(Respondent(f"r{index}", role, answers))
    return people


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crowd(), st.one_of(st.none(), st.floats(0, 50, allow_nan=False)))
def test_scoring_counts_equals_scoring_answers(people, workers):
    inputs = {"workers": workers, "cases": None}
    rows, respondents, heard = counted(people)
    by_answers = score_assessment(Q, people, inputs, {})
    by_counts = score_counts(Q, rows, respondents, heard, inputs, {})
    assert result_to_json(by_counts) == result_to_json(by_answers)


def test_a_worked_example_of_counts():
    """Three social workers: two say level 3 on a1, one "don't know"; the item scores 3 from two answers."""
    rows = [("social_worker", "a1", 3, 2), ("social_worker", "a1", DONT_KNOW, 1)]
    result = score_counts(Q, rows, {"social_worker": 3}, {"social_worker": 3}, {}, {})
    item = result.items["a1"]
    assert (item.score, item.respondents, item.dont_know) == (3.0, 3, 1)
    assert result.roles["social_worker"] == 3
    assert "item:a1" in result.robustness.unknowns


def test_a_bad_counted_answer_is_refused_with_its_role_and_item():
    rows = [("social_worker", "a1", 7, 12), ("manager", "a3", "yes", 1)]
    with pytest.raises(InvalidResponses) as refused:
        score_counts(Q, rows, {"social_worker": 12, "manager": 1}, {"social_worker": 12, "manager": 1}, {}, {})
    problems = refused.value.problems
    assert any("role 'social_worker'" in p and "'a1'" in p for p in problems)
    assert any("'a3'" in p and "not asked of role 'manager'" in p for p in problems)
