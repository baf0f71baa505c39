"""The next step of an assessment along the journey: draft -> ... -> go-live."""
from __future__ import annotations

import pytest

from readiness.domain.journey import Situation, Step, next_step


@pytest.mark.parametrize(("situation", "step"), [
    (Situation("draft", 0, None, None), Step.INVITE),
    (Situation("draft", 4, None, None), Step.OPEN),
    (Situation("collecting", 4, None, None), Step.COLLECT),
    (Situation("closed", 4, None, None), Step.DECIDE),
    (Situation("decided", 4, "no_go", None), Step.REASSESS),
    (Situation("decided", 4, "deferred", None), Step.REASSESS),
    (Situation("decided", 4, "go", None), Step.PROPOSE),
    (Situation("decided", 4, "go_with_conditions", "submitted"), Step.AWAIT_COMMITTEE),
    (Situation("decided", 4, "go_with_conditions", "in_review"), Step.AWAIT_COMMITTEE),
    (Situation("decided", 4, "go", "revise_and_resubmit"), Step.REVISE),
    (Situation("decided", 4, "go", "approved_with_conditions"), Step.MEET_CONDITIONS),
    (Situation("decided", 4, "go", "cleared"), Step.GO_LIVE),
    (Situation("decided", 4, "go", "approved"), Step.GO_LIVE),
    (Situation("decided", 4, "go", "rejected"), Step.REASSESS),
])
def test_next_step_follows_the_journey(situation, step):
    assert next_step(situation) is step
