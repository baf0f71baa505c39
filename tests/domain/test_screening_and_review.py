"""Ethics screening proposes a route with its reasons; reviews are compared item by item."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readiness.domain.review import Change, Mark, Opinion, diff_versions, opinions_disagree, side_by_side
from readiness.domain.screening import (
    FACTS,
    Automation,
    Category,
    DataFlows,
    LegalFramework,
    Recipient,
    RecipientKind,
    Route,
    Storage,
    Subject,
    facts_of,
    screen,
)
from readiness.questionnaire.loader import load_directory

from .conftest import ROOT

POLICY = load_directory(ROOT / "questionnaires").latest_screening()


def flows(**changes) -> DataFlows:
    base = {"subjects": frozenset({Subject.STAFF}), "categories": frozenset({Category.CONTACT}),
            "storage": Storage.ORGANISATION_SERVER, "retention_years": 5.0}
    return DataFlows(**(base | changes))


def test_low_risk_proposal_is_proposed_for_expedited_review():
    result = screen(POLICY, facts_of(flows(), blocking_charter_unmet=False, large_scale_cases=POLICY.large_scale_cases))
    assert result.proposed_route is Route.EXPEDITED
    assert result.reasons == []
    assert not result.dpia_required


def test_typical_case_management_rollout_needs_full_review_with_every_reason_listed():
    proposal = flows(
        subjects=frozenset({Subject.CHILDREN, Subject.CAREGIVERS}),
        categories=frozenset({Category.IDENTITY, Category.HEALTH, Category.SEXUAL_VIOLENCE}),
        storage=Storage.CLOUD_ABROAD,
        recipients=(Recipient("Ministry of Social Affairs", RecipientKind.SOCIAL_SERVICES, "referrals"),),
        automation=Automation.ADVISORY_SCORING,
        legal_framework=LegalFramework.WEAK,
        retention_years=None,
    )
    result = screen(POLICY, facts_of(proposal, blocking_charter_unmet=True, large_scale_cases=1000))
    assert result.proposed_route is Route.FULL
    fired = {reason.trigger_id for reason in result.reasons}
    assert fired == {"children_data", "sensitive_data", "authorities", "automated_scoring", "weak_law",
                     "cross_border", "charter_blocking", "no_retention"}
    assert all(reason.text["fr"] and reason.source for reason in result.reasons)
    assert result.dpia_criteria == 3 and result.dpia_required


def test_every_fact_is_computed():
    facts = facts_of(flows(), blocking_charter_unmet=False, large_scale_cases=10)
    assert set(facts) == set(FACTS)


def test_reviews_side_by_side_highlight_disagreement():
    reviews = {
        "rev-b": {"consent": Mark.ACCEPTABLE, "sharing": Mark.NOT_ACCEPTABLE},
        "rev-a": {"consent": Mark.ACCEPTABLE, "sharing": Mark.ACCEPTABLE, "security": Mark.NEEDS_CHANGE},
    }
    rows = {row.item_id: row for row in side_by_side(["consent", "sharing", "security", "legal"], reviews)}
    assert not rows["consent"].disagreement
    assert rows["sharing"].disagreement and rows["sharing"].strong_disagreement
    assert rows["sharing"].worst is Mark.NOT_ACCEPTABLE
    assert list(rows["sharing"].marks) == ["rev-a", "rev-b"]
    assert rows["security"].marks == {"rev-a": Mark.NEEDS_CHANGE} and not rows["security"].disagreement
    assert rows["legal"].worst is None
    assert opinions_disagree({"a": Opinion.APPROVE, "b": Opinion.REVISE})


def test_diff_shows_exactly_the_changed_items():
    before = {"charter": {"consent": "partly", "sharing": "not_met", "security": "met"},
              "answers": {"cm_procedures": 2}, "description": {"storage": "cloud_abroad"}}
    after = {"charter": {"consent": "met", "sharing": "not_met", "security": "met"},
             "answers": {"cm_procedures": 3}, "description": {"storage": "organisation_server"}}
    assert diff_versions(before, after) == [
        Change("answers", "cm_procedures", 2, 3),
        Change("charter", "consent", "partly", "met"),
        Change("description", "storage", "cloud_abroad", "organisation_server"),
    ]


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 3)), st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 3)))
def test_diff_is_empty_only_for_identical_versions(old, new):
    changes = diff_versions({"s": old}, {"s": new})
    assert (changes == []) == (old == new)
    assert {c.key for c in changes} == {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
