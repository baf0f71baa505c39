"""The ethics charter: statuses counted per level, and the flags its answers raise.

Unanswered is never met: a blocking item nobody answered is listed as such and keeps "go" closed.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping

from readiness.questionnaire.schema import Charter, CharterLevel, Stage

from .answers import CharterStatus
from .result import CharterResult, Flag

CRITICAL, MAJOR, MINOR = "critical", "major", "minor"
MISSING = "missing"
UNMET = (CharterStatus.NOT_MET, CharterStatus.PARTLY)
STATUSES = [*(s.value for s in CharterStatus), MISSING]


def assess_charter(charter: Charter, answers: Mapping[str, str]) -> CharterResult:
    """:return: each item's status, with counts overall and per level (met / partly / not met / not answered)."""
    statuses = {item.id: answers.get(item.id, MISSING) for item in charter.items}
    blocking = [item for item in charter.items if item.level is CharterLevel.BLOCKING]
    # A blocking item only partly met is still unmet: go-live waits until it is met in full.
    blocking_unmet = [item.id for item in blocking if statuses[item.id] in UNMET]
    counts = {status: 0 for status in STATUSES}
    by_level = {level.value: {status: 0 for status in STATUSES} for level in CharterLevel}
    for item in charter.items:
        counts[statuses[item.id]] += 1
        by_level[item.level.value][statuses[item.id]] += 1
    return CharterResult(
        statuses=statuses,
        blocking_unmet=blocking_unmet,
        counts=counts,
        by_level=by_level,
        blocking_unanswered=[item.id for item in blocking if statuses[item.id] == MISSING],
        golive_unmet=[i for i in blocking_unmet if charter.item(i).gate_stage is Stage.BEFORE_GO_LIVE],
    )


def charter_flags(charter: Charter, result: CharterResult) -> Iterator[Flag]:
    unanswered: list[str] = []
    advisory: list[str] = []
    for item in charter.items:
        status = result.statuses[item.id]
        evidence: dict[str, object] = {"status": status, "level": item.level.value, "theme": item.theme}
        unmet = status in UNMET
        if status == MISSING and item.level is not CharterLevel.ADVISORY:
            unanswered.append(item.id)
        elif item.level is CharterLevel.BLOCKING and unmet:
            stage = item.gate_stage
            kind = "charter_blocking" if stage is Stage.BEFORE_DECISION else "charter_golive"
            evidence |= {"stage": stage.value, "about_tool_design": item.about_tool_design}
            yield Flag(f"{kind}:{item.id}", kind, CRITICAL, None, item.id, evidence)
        elif unmet and item.level is not CharterLevel.ADVISORY:
            yield Flag(f"charter_condition:{item.id}", "charter_condition", MAJOR, None, item.id, evidence)
        elif unmet:
            advisory.append(item.id)
    if unanswered:
        blocking = [i for i in unanswered if charter.item(i).level is CharterLevel.BLOCKING]
        fundamental = [i for i in blocking if charter.item(i).gate_stage is Stage.BEFORE_DECISION]
        yield Flag("charter_unanswered", "charter_unanswered", MAJOR, None, None,
                   {"items": unanswered, "blocking": blocking, "before_decision": fundamental})
    if advisory:
        yield Flag("charter_advisory", "charter_advisory", MINOR, None, None, {"items": advisory})
