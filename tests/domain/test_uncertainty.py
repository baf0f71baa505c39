"""Bootstrap intervals and ranks with ties: worked by hand, and properties that hold for any input."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from readiness.domain.answers import Respondent
from readiness.domain.uncertainty import (
    Rank,
    bootstrap_intervals,
    bootstrap_intervals_by_rescoring,
    percentile,
    ranks_with_ties,
)


def test_percentile_interpolates_between_ranks():
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    # position = 0.05 * 4 = 0.2: 10 + 0.2 * (20 - 10) = 12; position 0.95 * 4 = 3.8: 40 + 0.8 * 10 = 48
    assert percentile(values, 0.05) == 12.0
    assert percentile(values, 0.95) == 48.0
    assert percentile(values, 0.5) == 30.0


def test_ranks_count_only_entries_clearly_ahead_and_mark_overlaps_as_ties():
    # A (70, 60-80) and B (65, 58-72) overlap: neither is clearly ahead. C (40, 35-45) lies wholly
    # below both, so two are ahead of it. D has no interval: 90 stands alone, above A's 80.
    intervals = {1: (60.0, 80.0), 2: (58.0, 72.0), 3: (35.0, 45.0), 4: None}
    scores = {1: 70.0, 2: 65.0, 3: 40.0, 4: 90.0, 5: None}

    ranks = ranks_with_ties(intervals, scores)

    assert ranks == {4: Rank(1, False), 1: Rank(2, True), 2: Rank(2, True), 3: Rank(4, False)}


def test_every_respondent_saying_the_same_gives_a_zero_width_interval(questionnaire):
    items = {item.id: 3 for item in questionnaire.items if item.id in ("a1", "a2")}
    roles = sorted({role for item in questionnaire.items if item.id in items for role in item.roles})
    people = [Respondent(f"{role}{n}", role, {i: 3 for i in items if role in _roles(questionnaire, i)})
              for role in roles for n in range(3)]

    intervals = bootstrap_intervals(questionnaire, people, replicates=30, seed=1)

    low, high = intervals["alpha"]
    assert low == high == 75.0  # level 3 of 0-4 is 75 on 0-100 whichever respondents are drawn


def test_the_same_seed_gives_the_same_intervals_and_disagreement_widens_them(questionnaire):
    item = next(i for i in questionnaire.items if i.dimension == "alpha" and i.type.value == "level")
    role = item.roles[0]
    split = [Respondent(f"p{n}", role, {item.id: 0 if n % 2 else 4}) for n in range(6)]

    first = bootstrap_intervals(questionnaire, split, replicates=50, seed=7)
    again = bootstrap_intervals(questionnaire, split, replicates=50, seed=7)

    assert first == again
    low, high = first["alpha"]
    assert low < 50.0 < high  # half say 0, half say 4: the score could fall on either side of 50


def _roles(questionnaire, item_id):
    return next(i.roles for i in questionnaire.items if i.id == item_id)


spans = st.tuples(st.floats(0, 100), st.floats(0, 30)).map(lambda t: (t[0], min(100.0, t[0] + t[1])))


@settings(max_examples=60, deadline=None)
@given(st.lists(spans, min_size=1, max_size=12))
def test_a_rank_never_puts_an_entry_behind_one_it_overlaps(entries):
    intervals = dict(enumerate(entries))
    scores = {k: (low + high) / 2 for k, (low, high) in intervals.items()}

    ranks = ranks_with_ties(intervals, scores)

    for a, (a_low, a_high) in intervals.items():
        for b, (b_low, b_high) in intervals.items():
            if a != b and a_low > b_high:
                assert ranks[a].rank < ranks[b].rank  # clearly ahead ranks strictly higher
            if a != b and a_low <= b_high and b_low <= a_high:
                assert ranks[a].tied and ranks[b].tied


def _ranks_pair_by_pair(intervals, scores):
    """The definition, compared pair by pair."""
    spans = {k: intervals.get(k) or (s, s) for k, s in scores.items() if s is not None}
    return {
        k: Rank(1 + sum(1 for o, (o_low, _) in spans.items() if o != k and o_low > high),
                any(o != k and o_low <= high and low <= o_high for o, (o_low, o_high) in spans.items()))
        for k, (low, high) in spans.items()
    }


whole_spans = st.tuples(st.integers(0, 100), st.integers(0, 30)).map(lambda t: (float(t[0]), float(min(100, t[0] + t[1]))))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), whole_spans), st.one_of(st.none(), st.integers(0, 100).map(float))), max_size=15))
def test_ranks_counted_by_bisection_equal_the_pair_by_pair_definition(entries):
    # Integer scores and interval ends collide often: ties at the edges (low == other's high) are exercised.
    intervals = {k: span for k, (span, _) in enumerate(entries)}
    scores = {k: score for k, (_, score) in enumerate(entries)}

    assert ranks_with_ties(intervals, scores) == _ranks_pair_by_pair(intervals, scores)


def _answer(item_type, pick):
    if pick < 2:
        return ("dont_know", "not_applicable")[pick]
    if item_type == "yes_no":
        return ("yes", "partly", "no")[pick % 3]
    if item_type == "text":
        return f"note {pick}"
    return pick - 2  # levels 0-4


people_answers = st.lists(
    st.tuples(st.integers(0, 2), st.lists(st.tuples(st.integers(0, 5), st.integers(0, 6)), max_size=8)),
    min_size=1, max_size=15,
)


@settings(max_examples=60, deadline=None)
@given(people_answers, st.integers(0, 10_000), st.integers(1, 12))
def test_the_fast_bootstrap_gives_exactly_the_intervals_of_rescoring_every_replicate(questionnaire, people, seed, replicates):
    # Random respondents in random roles, answering random items (levels, yes/no, text, don't know,
    # not applicable, or nothing): the fast path must draw the same respondents and do the same
    # arithmetic as re-tallying and re-scoring each replicate, so the intervals are equal, not close.
    roles = [role.id for role in questionnaire.roles]
    items = questionnaire.items
    respondents = []
    for n, (role_index, answers) in enumerate(people):
        role = roles[role_index % len(roles)]
        given_answers = {}
        for item_index, pick in answers:
            item = items[item_index % len(items)]
            if role in item.roles:
                given_answers[item.id] = _answer(item.type.value, pick)
        respondents.append(Respondent(f"r{n:03d}", role, given_answers))

    fast = bootstrap_intervals(questionnaire, respondents, replicates=replicates, seed=seed)
    reference = bootstrap_intervals_by_rescoring(questionnaire, respondents, replicates=replicates, seed=seed)

    assert fast == reference
