"""Score documents and assessments against the loaded definitions."""
from __future__ import annotations

from typing import Any

from readiness.definitions import get_definitions
from readiness.domain.engine import InvalidResponses, score_assessment
from readiness.domain.responses import MalformedResponses, parse_responses
from readiness.domain.result import Result
from readiness.questionnaire.schema import Charter, Questionnaire
from readiness.reports.text import render_text

__all__ = ["ScoringInputError", "render_text", "score_document"]


class ScoringInputError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def score_document(document: Any) -> tuple[Result, Questionnaire, Charter | None]:
    """Score a responses document (see ``examples/README.md``).

    :return: the result with the questionnaire and charter it was scored against.
    :raise ScoringInputError: naming every respondent, item or reference at fault.
    """
    try:
        responses = parse_responses(document)
    except MalformedResponses as exc:
        raise ScoringInputError(exc.problems) from None
    definitions = get_definitions()
    try:
        questionnaire = (
            definitions.questionnaire(*responses.questionnaire) if responses.questionnaire else definitions.latest_questionnaire("readiness")
        )
    except KeyError:
        raise ScoringInputError([f"unknown questionnaire {' '.join(responses.questionnaire or ())}"]) from None
    charter = None
    if responses.charter or responses.charter_answers:
        try:
            charter = definitions.charter(*responses.charter) if responses.charter else definitions.latest_charter()
        except KeyError:
            raise ScoringInputError([f"unknown charter {' '.join(responses.charter or ())}"]) from None
    try:
        result = score_assessment(
            questionnaire, responses.respondents, responses.measured_inputs, responses.charter_answers, charter
        )
    except InvalidResponses as exc:
        raise ScoringInputError(exc.problems) from None
    return result, questionnaire, charter
