"""Benchmarking arithmetic: quartiles, peers, changes between assessments, comparability."""
from __future__ import annotations

import pytest

from readiness.domain.benchmark import (
    NotComparable,
    SnapshotFacts,
    change_between,
    check_comparable,
    comparable,
    comparable_versions,
    declared_comparability,
    perception_gaps,
    position_among,
    quartiles,
)


def facts(assessment_id: int, version: str = "1.0", *, dims=None, flags=(), conditions=(), overall=50.0, rec="no_go"):
    return SnapshotFacts(
        assessment_id=assessment_id, questionnaire_version=version, recommendation=rec, overall_score=overall,
        coverage=0.9, dimensions=dims or {}, flags=frozenset(flags), conditions=frozenset(conditions),
    )


def test_quartiles_match_the_spreadsheet_method_and_ignore_missing_scores() -> None:
    q = quartiles([10, None, 20, 30, 40, 50])

    assert (q.count, q.minimum, q.lower, q.median, q.upper, q.maximum) == (5, 10, 20, 30, 40, 50)
    assert quartiles([None, None]) is None
    assert quartiles([42.0]).median == 42.0


def test_a_score_is_placed_below_within_or_above_its_peers() -> None:
    peers = quartiles([40, 50, 60, 70, 80])

    assert position_among(45, peers) == "below"
    assert position_among(60, peers) == "middle"
    assert position_among(75, peers) == "above"
    assert position_among(None, peers) is None and position_among(50, None) is None


def test_versions_are_comparable_only_when_equal_or_declared_by_either_file() -> None:
    declared = {"1.0": [], "1.1": ["1.0"], "2.0": []}

    assert comparable("1.0", "1.0", declared)
    assert comparable("1.0", "1.1", declared) and comparable("1.1", "1.0", declared)
    assert not comparable("1.0", "2.0", declared)
    assert comparable_versions("1.1", ["1.0", "1.1", "2.0"], declared) == ["1.0", "1.1"]


def test_mixing_incomparable_versions_is_refused_with_an_explanation() -> None:
    declared = {"1.0": [], "1.1": ["1.0"], "2.0": []}

    check_comparable(["1.0", "1.1", "1.0"], declared)  # declared comparable: accepted
    with pytest.raises(NotComparable) as refused:
        check_comparable(["1.0", "2.0"], declared)

    assert refused.value.pair == ("1.0", "2.0")
    assert "comparable_with" in refused.value.explanation


def test_declared_comparability_reads_the_definition_files_of_one_questionnaire() -> None:
    class Q:
        def __init__(self, qid, version, comparable_with):
            self.id, self.version, self.comparable_with = qid, version, comparable_with

    loaded = [Q("readiness", "1.0", []), Q("readiness", "1.1", ["1.0"]), Q("other", "9", ["1.0"])]

    assert declared_comparability(loaded, "readiness") == {"1.0": [], "1.1": ["1.0"]}


def test_change_lists_dimension_deltas_flags_resolved_and_new_and_conditions_met() -> None:
    before = facts(1, dims={"ict": 40.0, "staff": 55.0, "needs": None}, overall=48.0,
                   flags={"dimension_floor:ict", "perception_gap:staff", "figures_missing"},
                   conditions={"perception_gap:staff", "figures_missing"})
    after = facts(2, dims={"ict": 62.5, "staff": 50.0, "needs": 70.0}, overall=61.0, rec="go_with_conditions",
                  flags={"figures_missing", "unknowns:needs"})

    change = change_between(before, after, {"1.0": []})

    assert change.dimension_deltas == {"ict": 22.5, "needs": None, "staff": -5.0}
    assert change.overall_delta == 13.0
    assert change.flags_resolved == ["dimension_floor:ict", "perception_gap:staff"]
    assert change.flags_new == ["unknowns:needs"]
    assert change.conditions_met == ["perception_gap:staff"]
    assert change.conditions_open == ["figures_missing"]
    assert (change.recommendation_before, change.recommendation_after) == ("no_go", "go_with_conditions")


def test_change_between_incomparable_versions_is_refused() -> None:
    with pytest.raises(NotComparable):
        change_between(facts(1, "1.0"), facts(2, "2.0"), {"1.0": [], "2.0": []})


def test_perception_gaps_average_role_scores_and_count_flagged_delegations() -> None:
    by_role = [
        {"ict": {"manager": 80.0, "social_worker": 40.0}, "staff": None},
        {"ict": {"manager": 60.0, "social_worker": 50.0, "supervisor": 55.0}, "staff": {"manager": 50.0}},
    ]

    ict, staff = perception_gaps(by_role, {"ict": 1}, ["ict", "staff"])

    assert ict.role_means == {"manager": 70.0, "social_worker": 45.0, "supervisor": 55.0}
    assert ict.mean_gap == 25.0  # (40 + 10) / 2
    assert (ict.flagged, ict.delegations) == (1, 2)
    assert staff.mean_gap is None and staff.delegations == 0  # one role alone shows no gap
