"""What the engine takes in: respondents' answers, measured figures and charter answers."""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from readiness.questionnaire.schema import Charter, ItemType, Questionnaire

DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
SPECIAL = (DONT_KNOW, NOT_APPLICABLE)
YES_NO_LEVELS = {"yes": 4, "partly": 2, "no": 0}

AnswerValue = int | float | str


class CharterStatus(StrEnum):
    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Respondent:
    """One person's answers, keyed by item id. ``id`` only has to be unique in an assessment."""

    id: str
    role: str
    answers: Mapping[str, AnswerValue] = field(default_factory=dict)


def level_of(item_type: ItemType, value: AnswerValue) -> int | None:
    """:return: the 0-4 level an answer stands for, or None for don't know / not applicable."""
    if value in SPECIAL:
        return None
    if item_type is ItemType.YES_NO:
        return YES_NO_LEVELS[str(value)]
    return int(value)


def validate_responses(
    questionnaire: Questionnaire,
    respondents: Iterable[Respondent],
    measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str],
    charter: Charter | None = None,
) -> list[str]:
    """Check answers against the questionnaire.

    :return: one message per problem, naming the respondent and the item; empty when all is well.
    """
    problems: list[str] = []
    check = _AnswerCheck(questionnaire)
    seen: set[str] = set()
    for respondent in respondents:
        who = f"respondent {respondent.id!r}"
        if respondent.id in seen:
            problems.append(f"{who}: the id is used twice")
        seen.add(respondent.id)
        if respondent.role not in check.roles:
            problems.append(check.unknown_role(who, respondent.role))
            continue
        for item_id, value in respondent.answers.items():
            message = check.problem(respondent.role, item_id, value)
            if message:
                problems.append(f"{who}, item {item_id!r}: {message}")
    problems.extend(_input_problems(questionnaire, measured_inputs))
    problems.extend(_charter_problems(charter, charter_answers))
    return problems


def validate_counts(
    questionnaire: Questionnaire,
    counted: Iterable[tuple[str, str, object, int]],
    measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str],
    charter: Charter | None = None,
) -> list[str]:
    """Check answers already counted per role, item and value, as ``validate_responses`` checks them one by one.

    :param counted: (role, item id, answer, number of respondents who gave it).
    :return: one message per problem, naming the role and the item (counted answers carry no respondent).
    """
    problems: list[str] = []
    check = _AnswerCheck(questionnaire)
    for role, item_id, value, number in counted:
        who = f"{number} respondent(s) of role {role!r}"
        if role not in check.roles:
            problems.append(check.unknown_role(who, role))
            continue
        message = check.problem(role, item_id, value)  # type: ignore[arg-type]
        if message:
            problems.append(f"{who}, item {item_id!r}: {message}")
    problems.extend(_input_problems(questionnaire, measured_inputs))
    problems.extend(_charter_problems(charter, charter_answers))
    return problems


class _AnswerCheck:
    """What one answer is checked against: the roles, and the items each role is asked."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.roles = {role.id for role in questionnaire.roles}
        self.items = {item.id: item for item in questionnaire.items}
        self.asked_of = {role: {item.id: item.type for item in questionnaire.items_for_role(role)} for role in self.roles}

    def unknown_role(self, who: str, role: str) -> str:
        return f"{who}: unknown role {role!r} (expected one of {', '.join(sorted(self.roles))})"

    def problem(self, role: str, item_id: str, value: AnswerValue) -> str | None:
        kind = self.asked_of.get(role, {}).get(item_id)
        # Fast path for the common answers: large assessments have hundreds of thousands of them.
        if kind is ItemType.LEVEL and type(value) is int and 0 <= value <= 4:
            return None
        if kind is not None and value in SPECIAL:
            return None
        if item_id not in self.items:
            return "unknown item id"
        if kind is None:
            return f"this item is not asked of role {role!r}"
        return answer_problem(kind, value)


def answer_problem(item_type: ItemType, value: AnswerValue) -> str | None:
    """:return: why ``value`` is not a valid answer for an item of this type, or None."""
    if value in SPECIAL:
        return None
    if item_type is ItemType.LEVEL:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
            return f"answer {value!r} is outside the scale (0 to 4, {DONT_KNOW} or {NOT_APPLICABLE})"
    elif item_type is ItemType.YES_NO:
        if value not in YES_NO_LEVELS:
            return f"answer {value!r} is not one of yes, partly, no, {DONT_KNOW}, {NOT_APPLICABLE}"
    elif item_type is ItemType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"answer {value!r} is not a number"
        if not math.isfinite(value):
            return f"answer {value!r} is not a finite number"
    elif not isinstance(value, str):
        return f"answer {value!r} is not text"
    return None


def _input_problems(questionnaire: Questionnaire, measured_inputs: Mapping[str, float | None]) -> list[str]:
    problems = []
    known = {entry.id: entry for entry in questionnaire.inputs}
    for input_id, value in measured_inputs.items():
        entry = known.get(input_id)
        if entry is None:
            problems.append(f"measured input {input_id!r}: unknown input id")
        elif value is None:
            continue
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"measured input {input_id!r}: {value!r} is not a number")
        elif not math.isfinite(value):
            problems.append(f"measured input {input_id!r}: {value!r} is not a finite number")
        elif value < entry.min or (entry.max is not None and value > entry.max):
            upper = f" to {entry.max:g}" if entry.max is not None else " or more"
            problems.append(f"measured input {input_id!r}: {value:g} is outside {entry.min:g}{upper}")
    return problems


def _charter_problems(charter: Charter | None, charter_answers: Mapping[str, str]) -> list[str]:
    if charter is None:
        return ["charter answers given but no charter to check them against"] if charter_answers else []
    known = {item.id for item in charter.items}
    allowed = {status.value for status in CharterStatus}
    problems = []
    for item_id, status in charter_answers.items():
        if item_id not in known:
            problems.append(f"charter item {item_id!r}: unknown item id")
        elif status not in allowed:
            problems.append(f"charter item {item_id!r}: status {status!r} is not one of {', '.join(sorted(allowed))}")
    return problems
