"""Properties of the engine that must hold for any answers (README, "How scoring works")."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.domain.answers import DONT_KNOW, NOT_APPLICABLE, Respondent
from readiness.domain.engine import score_assessment
from readiness.domain.result import result_to_json
from readiness.questionnaire.schema import ItemType, Questionnaire

from ..budget import examples
from .conftest import build_questionnaire

Q = build_questionnaire()
SPECIAL = st.sampled_from([DONT_KNOW, NOT_APPLICABLE])


def answer_for(item_type: ItemType) -> st.SearchStrategy:
    if item_type is ItemType.LEVEL:
        return st.one_of(st.integers(0, 4), SPECIAL)
    if item_type is ItemType.YES_NO:
        return st.one_of(st.sampled_from(["yes", "partly", "no"]), SPECIAL)
    return st.text(max_size=20)


@st.composite
def respondent(draw, index: int) -> Respondent:
    role = draw(st.sampled_from([r.id for r in Q.roles]))
    answers = {}
    for item in Q.items_for_role(role):
        if draw(st.booleans()):
            answers[item.id] = draw(answer_for(item.type))
    return Respondent(f"r{index}", role, answers)


@st.composite
def assessments(draw):
    count = draw(st.integers(0, 7))
    people = [draw(respondent(i)) for i in range(count)]
    inputs = {
        "workers": draw(st.one_of(st.none(), st.floats(0, 50, allow_nan=False))),
        "cases": draw(st.one_of(st.none(), st.floats(0, 2000, allow_nan=False))),
    }
    return people, inputs


def score(people, inputs, questionnaire: Questionnaire = Q):
    return score_assessment(questionnaire, people, inputs, {})


PROPERTY = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(assessments(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_order(case, rnd):
    people, inputs = case
    shuffled = []
    for person in people:
        items = list(person.answers.items())
        rnd.shuffle(items)
        shuffled.append(Respondent(person.id, person.role, dict(items)))
    rnd.shuffle(shuffled)
    assert result_to_json(score(shuffled, inputs)) == result_to_json(score(people, inputs))


@PROPERTY
@given(assessments(), st.data())
def test_raising_one_answer_never_lowers_its_dimension(case, data):
    people, inputs = case
    raisable = [
        (i, item_id) for i, p in enumerate(people) for item_id, v in p.answers.items()
        if isinstance(v, int) and v < 4 and Q.item(item_id).type is ItemType.LEVEL
    ]
    if not raisable:
        return
    index, item_id = data.draw(st.sampled_from(raisable))
    person = people[index]
    raised = dict(person.answers)
    raised[item_id] = data.draw(st.integers(person.answers[item_id] + 1, 4))
    changed = people[:index] + [Respondent(person.id, person.role, raised)] + people[index + 1:]
    dimension = Q.item(item_id).dimension
    before = score(people, inputs).dimensions[dimension].score
    after = score(changed, inputs).dimensions[dimension].score
    assert before is not None and after is not None
    assert after >= before


@PROPERTY
@given(assessments())
def test_scores_stay_within_bounds(case):
    result = score(*case)
    scores = [d.score for d in result.dimensions.values()] + [result.overall_score]
    scores += [s for d in result.dimensions.values() for s in d.by_role.values()]
    assert all(0 <= s <= 100 for s in scores if s is not None)
    assert all(0 <= i.score <= 4 for i in result.items.values() if i.score is not None)
    coverages = [d.coverage for d in result.dimensions.values()] + [result.overall_coverage]
    assert all(0 <= c <= 1 for c in coverages if c is not None)


@PROPERTY
@given(assessments())
def test_failed_critical_item_never_yields_go(case):
    result = score(*case)
    gate = result.items["a2"]
    if gate.score is not None and gate.score < 2:
        assert result.recommendation.outcome != "go"
        assert any(f.kind == "critical_gate" for f in result.flags)
    if result.recommendation.outcome == "go":
        assert gate.score is not None and gate.score >= 2


@PROPERTY
@given(assessments(), st.sampled_from([i.id for i in Q.items if i.scored]))
def test_not_applicable_leaves_other_items_unchanged(case, item_id):
    """Marking an item N/A for everyone scores the rest exactly as if the item did not exist."""
    people, inputs = case
    marked = [
        Respondent(p.id, p.role, {**p.answers, item_id: NOT_APPLICABLE} if item_id in {i.id for i in Q.items_for_role(p.role)} else p.answers)
        for p in people
    ]
    indicators = [i.model_copy(update={"checks_item": None}) if i.checks_item == item_id else i for i in Q.indicators]
    without_item = Q.model_copy(update={"items": [i for i in Q.items if i.id != item_id], "indicators": indicators})
    pruned = [Respondent(p.id, p.role, {k: v for k, v in p.answers.items() if k != item_id}) for p in people]
    with_na = score(marked, inputs)
    reference = score(pruned, inputs, without_item)
    for other in without_item.items:
        assert with_na.items[other.id] == reference.items[other.id]
    dimension = Q.item(item_id).dimension
    assert with_na.dimensions[dimension].score == reference.dimensions[dimension].score
    if any(p.role in Q.item(item_id).roles for p in people):
        assert with_na.items[item_id].status == "not_applicable"


@PROPERTY
@given(assessments())
def test_dont_know_is_counted_never_scored_as_zero(case):
    people, inputs = case
    result = score(people, inputs)
    for item in Q.items:
        if not item.scored:
            continue
        answers = [p.answers[item.id] for p in people if item.id in p.answers]
        assert result.items[item.id].dont_know == answers.count(DONT_KNOW)
        if answers and all(a == DONT_KNOW for a in answers):
            assert result.items[item.id].score is None
            assert result.items[item.id].status == "unknown"


@PROPERTY
@given(assessments())
def test_robustness_bounds_contain_the_outcome_when_stable(case):
    result = score(*case)
    robustness = result.robustness
    assert robustness is not None
    if robustness.stable:
        assert robustness.if_lowest == robustness.if_highest == result.recommendation.outcome
    items = {unit.split(":", 1)[1] for unit in robustness.unknowns if unit.startswith("item:")}
    assert set(robustness.deciding_items) <= items
    assert set(robustness.deciding) <= set(robustness.unknowns)
