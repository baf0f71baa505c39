"""Read a responses document (the JSON the ``assess score`` command takes) into engine inputs.

The format is described in ``examples/README.md``.
"""
from __future__ import annotations

import codecs
import json
import math
import re
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


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_NOT_A_NUMBER = re.compile(r"-?\b(?:NaN|Infinity)\b")


class _NotFinite(ValueError):
    pass


def decode_responses(raw: bytes) -> Any:
    """Read a responses file's bytes: UTF-8 with or without a byte-order mark, or UTF-16 with one.

    :return: the parsed JSON document.
    :raise MalformedResponses: with one problem naming the line (and column) at fault.
    """
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), "utf-8")
    try:
        content = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MalformedResponses([
            f"line {line}: byte {exc.start + 1} is not valid {encoding.upper()}; save the file as UTF-8 "
            "(with or without a byte-order mark) or UTF-16 with a byte-order mark"
        ]) from None
    try:
        return json.loads(content, parse_constant=_reject, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise MalformedResponses([f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"]) from None
    except _NotFinite as exc:
        raise MalformedResponses([f"{_locate(content, str(exc))}: {exc} is not a number; write a finite number, "
                                  "or null when the figure is not known"]) from None


def _reject(token: str) -> Any:
    raise _NotFinite(token)


def _finite(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise _NotFinite(token)
    return value


def _locate(content: str, token: str) -> str:
    index = content.find(token) if token not in ("NaN", "Infinity", "-Infinity") else -1
    if index < 0:
        match = _NOT_A_NUMBER.search(content)
        index = match.start() if match else 0
    line = content.count("\n", 0, index) + 1
    column = index - (content.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


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
