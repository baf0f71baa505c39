"""Assessment states move only along the allowed transitions."""
from __future__ import annotations

import pytest

from readiness.domain.workflow import Status, Transition, TransitionNotAllowed, advance, allowed_transitions


def test_the_normal_life_of_an_assessment():
    status = Status.DRAFT
    for transition, expected in [
        (Transition.OPEN, Status.COLLECTING),
        (Transition.CLOSE, Status.CLOSED),
        (Transition.DECIDE, Status.DECIDED),
    ]:
        status = advance(status, transition)
        assert status is expected


@pytest.mark.parametrize(
    ("status", "transition"),
    [
        (Status.DRAFT, Transition.CLOSE),
        (Status.DRAFT, Transition.DECIDE),
        (Status.COLLECTING, Transition.DECIDE),
        (Status.DECIDED, Transition.REOPEN),
        (Status.DECIDED, Transition.OPEN),
        (Status.CLOSED, Transition.OPEN),
    ],
)
def test_forbidden_transitions_say_why(status, transition):
    with pytest.raises(TransitionNotAllowed) as caught:
        advance(status, transition)
    assert f"cannot {transition.value} an assessment that is {status.value}" in str(caught.value)


def test_allowed_transitions_match_advance():
    for status in Status:
        for transition in Transition:
            allowed = transition in allowed_transitions(status)
            try:
                advance(status, transition)
                moved = True
            except TransitionNotAllowed:
                moved = False
            assert allowed == moved
