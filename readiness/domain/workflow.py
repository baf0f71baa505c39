"""The assessment's life: draft -> collecting -> closed -> decided, with guarded transitions."""
from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    COLLECTING = "collecting"
    CLOSED = "closed"
    DECIDED = "decided"


class Transition(StrEnum):
    OPEN = "open"  # start collecting answers
    CLOSE = "close"  # stop collecting; the result is frozen as a snapshot
    REOPEN = "reopen"  # closed by mistake: collect again (the snapshot is replaced at the next close)
    DECIDE = "decide"  # an accountable person records the decision


ALLOWED: dict[Transition, tuple[frozenset[Status], Status]] = {
    Transition.OPEN: (frozenset({Status.DRAFT}), Status.COLLECTING),
    Transition.CLOSE: (frozenset({Status.COLLECTING}), Status.CLOSED),
    Transition.REOPEN: (frozenset({Status.CLOSED}), Status.COLLECTING),
    Transition.DECIDE: (frozenset({Status.CLOSED}), Status.DECIDED),
}


class TransitionNotAllowed(ValueError):
    def __init__(self, current: Status, transition: Transition) -> None:
        allowed = ", ".join(sorted(s.value for s in ALLOWED[transition][0]))
        super().__init__(f"cannot {transition.value} an assessment that is {current.value} (only when {allowed})")
        self.current = current
        self.transition = transition


def advance(current: Status, transition: Transition) -> Status:
    """:return: the status after ``transition``.
    :raise TransitionNotAllowed: when ``transition`` is not allowed from ``current``.
    """
    sources, target = ALLOWED[transition]
    if current not in sources:
        raise TransitionNotAllowed(current, transition)
    return target


FROZEN = frozenset({Status.CLOSED, Status.DECIDED})


def is_frozen(status: Status | str) -> bool:
    """:return: whether the assessment's answers, figures, charter and result can no longer change.

    Closing freezes the result as a snapshot; only a reopen (from closed) unfreezes it.
    """
    return Status(str(getattr(status, "value", status))) in FROZEN


def allowed_transitions(current: Status) -> list[Transition]:
    return [t for t, (sources, _) in ALLOWED.items() if current in sources]
