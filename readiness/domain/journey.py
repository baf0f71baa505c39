"""Where an assessment stands in the whole journey, and what its delegation does next.

draft -> invite -> collect -> close -> decide -> ethics review -> conditions -> go-live.
Pure: the caller counts respondents and reads the decision and the latest proposal.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Step(StrEnum):
    INVITE = "invite"  # a draft with nobody invited yet
    OPEN = "open"  # a draft with links ready: open it for answers
    COLLECT = "collect"  # collecting: wait for answers, then close
    DECIDE = "decide"  # closed: read the report, record the decision
    PROPOSE = "propose"  # decided go (with conditions): submit the ethics proposal
    AWAIT_COMMITTEE = "await_committee"  # the committee has the proposal
    REVISE = "revise"  # the committee asked for a revised proposal
    MEET_CONDITIONS = "meet_conditions"  # approved with conditions: send their evidence
    GO_LIVE = "go_live"  # approved, or every condition verified: follow the plan to go-live
    REASSESS = "reassess"  # no-go, deferred, or the proposal was rejected: follow the plan, then re-assess


@dataclass(frozen=True)
class Situation:
    status: str  # the assessment's workflow status
    invited: int  # respondents invited
    decision: str | None  # the decision's outcome, once recorded
    proposal: str | None  # the latest ethics proposal's status, if any


_PROPOSAL_STEPS = {
    "submitted": Step.AWAIT_COMMITTEE,
    "in_review": Step.AWAIT_COMMITTEE,
    "revise_and_resubmit": Step.REVISE,
    "superseded": Step.AWAIT_COMMITTEE,  # only an older version; the newest one is the one that counts
    "approved_with_conditions": Step.MEET_CONDITIONS,
    "approved": Step.GO_LIVE,
    "cleared": Step.GO_LIVE,
    "rejected": Step.REASSESS,
}


def next_step(s: Situation) -> Step:
    """:return: what the delegation should do next with this assessment."""
    if s.status == "draft":
        return Step.OPEN if s.invited else Step.INVITE
    if s.status == "collecting":
        return Step.COLLECT
    if s.status == "closed" or s.decision is None:
        return Step.DECIDE
    if s.decision not in ("go", "go_with_conditions"):
        return Step.REASSESS
    if s.proposal is None:
        return Step.PROPOSE
    return _PROPOSAL_STEPS.get(s.proposal, Step.AWAIT_COMMITTEE)
