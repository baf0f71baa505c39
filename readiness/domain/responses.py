"""Read a responses document (the JSON the ``assess score`` command takes) into engine inputs.

The format is described in ``examples/README.md``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answers import Respondent

FORMAT_HINT = "see examples/README.md for the responses format"


@dataclass(frozen=True)
class Responses:
    questionnaire: tuple[str, str] | None
    charter: tuple[str, str] | None
    respondents: list[Respondent]
    measured_inputs: dict[str, float | None]
    charter_answers: dict[str, str]


class MalformedResponses(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_responses(data: Any) -> Responses:
    """Turn a parsed JSON document into engine inputs.

    :raise MalformedResponses: naming the respondent (by id or position) and the field at fault.
    """
    if not isinstance(data, dict):
        raise MalformedResponses([f"the document must be a JSON object; {FORMAT_HINT}"])
    problems: list[str] = []
    unknown = sorted(set(data) - {"questionnaire", "charter", "context", "respondents", "measured_inputs", "charter_answers"})
    problems += [f"unknown key {key!r} at the top level; {FORMAT_HINT}" for key in unknown]
    respondents = []
    raw_respondents = data.get("respondents", [])
    if not isinstance(raw_respondents, list):
        problems.append("'respondents' must be a list")
        raw_respondents = []
    for index, raw in enumerate(raw_respondents, 1):
        respondent, found = _respondent(raw, index)
        problems += found
        if respondent is not None:
            respondents.append(respondent)
    inputs = data.get("measured_inputs", {})
    charter_answers = data.get("charter_answers", {})
    for key, value in (("measured_inputs", inputs), ("charter_answers", charter_answers)):
        if not isinstance(value, dict):
            problems.append(f"'{key}' must be an object")
    if problems:
        raise MalformedResponses(problems)
    return Responses(_ref(data.get("questionnaire")), _ref(data.get("charter")), respondents, inputs, charter_answers)


def _respondent(raw: Any, index: int) -> tuple[Respondent | None, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"respondent #{index}: must be an object with id, role and answers"]
    who = f"respondent {raw['id']!r}" if "id" in raw else f"respondent #{index}"
    problems = [f"{who}: unknown key {key!r}" for key in sorted(set(raw) - {"id", "role", "name", "answers"})]
    for key in ("id", "role"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            problems.append(f"{who}: '{key}' must be a non-empty string")
    answers = raw.get("answers", {})
    if not isinstance(answers, dict):
        problems.append(f"{who}: 'answers' must be an object of item id to answer")
    if problems:
        return None, problems
    return Respondent(raw["id"], raw["role"], answers), []


def _ref(raw: Any) -> tuple[str, str] | None:
    if isinstance(raw, dict) and "id" in raw and "version" in raw:
        return (str(raw["id"]), str(raw["version"]))
    return None
