"""The anonymity rule as a pure function: small anonymous groups withheld, their answers still counted."""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from readiness.domain.anonymity import (
    Said,
    anonymous_change,
    heard_counts,
    is_anonymous_actor,
    protect_result,
    protect_words,
    redact_entry,
    roles_to_withhold,
)
from readiness.domain.answers import Respondent
from readiness.domain.engine import score_assessment

from .conftest import build_questionnaire

BASE = build_questionnaire()
Q = BASE.model_copy(update={"roles": [r.model_copy(update={"anonymous": r.id == "social_worker"}) for r in BASE.roles]})


def people(social_workers: int) -> list[Respondent]:
    found = [Respondent("m", "manager", {"a1": 0, "a2": 0, "b1": 0, "b2": 0})]
    found += [Respondent(f"s{n}", "social_worker", {"a1": 4, "a2": 4, "a3": "yes", "b1": 4, "b3": "secret"})
              for n in range(social_workers)]
    return found


def test_one_social_worker_is_withheld_but_still_counts():
    crowd = people(1)
    raw = score_assessment(Q, crowd, {}, {})
    safe = protect_result(raw, Q, heard_counts(crowd))
    assert safe.withheld_roles == ["social_worker"]
    # Worked example: alpha's by-role means were manager 0 and social worker 100; only the manager's is left.
    assert raw.dimensions["alpha"].by_role == {"manager": 0.0, "social_worker": 100.0}
    assert safe.dimensions["alpha"].by_role == {"manager": 0.0}
    # The answers still count: a1 = mean of the two role means = (0 + 4) / 2 = 2.
    assert safe.items["a1"].score == raw.items["a1"].score == 2.0
    assert safe.overall_score == raw.overall_score
    assert "social_worker" not in safe.roles
    # The 100-point gap between them names the social worker: withheld with the rest.
    assert any(f.kind == "perception_gap" for f in raw.flags)
    assert not any(f.kind == "perception_gap" for f in safe.flags)
    assert all("social_worker" not in f.evidence.get("by_role", {}) for f in safe.flags)
    # b3 is free text any role may write: its unattributed values go.
    assert safe.items["b3"].values == []
    assert protect_result(safe, Q) == safe  # a stored result protected again stays the same


def test_three_social_workers_are_shown():
    crowd = people(3)
    raw = score_assessment(Q, crowd, {}, {})
    assert protect_result(raw, Q, heard_counts(crowd)) == raw
    assert roles_to_withhold(Q, {"social_worker": 3}) == []
    assert roles_to_withhold(Q, {"social_worker": 0}) == []  # not heard at all: nothing to hide
    assert roles_to_withhold(BASE, {"social_worker": 1}) == []  # a role that is not anonymous


def test_words_follow_the_same_rule():
    said = [Said("b3", "social_worker", "secret", "answer"), Said("b3", "manager", "plain", "comment")]
    assert protect_words(said, ["social_worker"]) == [said[1]]
    assert protect_words(said, []) == said


def test_the_audit_keeps_the_item_and_time_only():
    assert anonymous_change("answer.update", {"item": "a1", "value": 4, "comment": "x"}) == (None, {"item": "a1"})
    assert anonymous_change("evidence.attach", {"file": "me.pdf"}) == (None, None)
    assert is_anonymous_actor("anonymous respondent (Social worker)")
    assert not is_anonymous_actor("respondent #4 (Social worker)")
    old = SimpleNamespace(action="answer.update", at=datetime(2026, 1, 1), actor_label="respondent #61 (Social worker)",
                          target_type="Answer", target_id="901", before={"value": 1}, after={"item": "a1", "value": 2})
    shown = redact_entry(old, ["Social worker"])
    assert (shown.actor_label, shown.target_id, shown.before, shown.after) == (
        "anonymous respondent (Social worker)", "", None, {"item": "a1"})
    manager = SimpleNamespace(**{**vars(old), "actor_label": "respondent #7 (Manager)"})
    assert redact_entry(manager, ["Social worker"]).after == {"item": "a1", "value": 2}
