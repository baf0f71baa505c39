"""``score_assessment``: answers in, scores, flags and a recommendation out."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from readiness.questionnaire.schema import Charter, ItemType, Questionnaire

from .answers import DONT_KNOW, Respondent, validate_responses
from .decision import Facts, recommend
from .flags import assess_charter, raise_flags
from .indicators import compute_indicators
from .result import Result, Robustness
from .scoring import overall_coverage, overall_score, score_dimensions, score_items

LOWEST, HIGHEST = 0, 4


class InvalidResponses(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def score_assessment(
    questionnaire: Questionnaire,
    respondents: Iterable[Respondent],
    measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str],
    charter: Charter | None = None,
) -> Result:
    """Score an assessment.

    :param questionnaire: the pinned questionnaire version.
    :param respondents: everyone's answers; order does not matter.
    :param measured_inputs: figures entered by the owner, by input id (None = not known).
    :param charter_answers: charter item id -> met / partly / not_met / not_applicable.
    :param charter: the pinned charter, needed to judge ``charter_answers``.
    :return: the full result, including robustness to "don't know" answers.
    :raise InvalidResponses: naming the respondent and item of every bad answer.
    """
    respondents = sorted(respondents, key=lambda r: r.id)
    problems = validate_responses(questionnaire, respondents, measured_inputs, charter_answers, charter)
    if problems:
        raise InvalidResponses(problems)
    result = _score(questionnaire, respondents, measured_inputs, charter_answers, charter)
    robustness = assess_robustness(questionnaire, respondents, measured_inputs, charter_answers, charter, result)
    return replace(result, robustness=robustness)


def _score(
    questionnaire: Questionnaire,
    respondents: list[Respondent],
    measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str],
    charter: Charter | None,
) -> Result:
    items = score_items(questionnaire, respondents)
    dimensions = score_dimensions(questionnaire, items)
    overall = overall_score(questionnaire, dimensions)
    coverage = overall_coverage(questionnaire, items)
    indicators = compute_indicators(questionnaire, measured_inputs, items)
    charter_result = assess_charter(charter, charter_answers) if charter is not None else None
    flags = raise_flags(questionnaire, items, dimensions, indicators, charter, charter_result)
    recommendation = recommend(questionnaire, Facts.gather(coverage, overall, dimensions, flags))
    roles = {role.id: sum(1 for r in respondents if r.role == role.id) for role in questionnaire.roles}
    return Result(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        charter_id=charter.id if charter else None,
        charter_version=charter.version if charter else None,
        items=items,
        dimensions=dimensions,
        roles=roles,
        overall_score=overall,
        overall_coverage=coverage,
        indicators=indicators,
        charter=charter_result,
        flags=flags,
        recommendation=recommendation,
        robustness=None,
    )


def assess_robustness(
    questionnaire: Questionnaire,
    respondents: list[Respondent],
    measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str],
    charter: Charter | None,
    result: Result,
) -> Robustness:
    """Would the recommendation change if the "don't know" answers were known?

    Every "don't know" on a scored item is replaced by the lowest level, then the highest;
    then each such item alone is tried at both ends to name the items that decide it.
    """
    unknown = [item.id for item in questionnaire.items if item.scored and result.items[item.id].dont_know]
    current = result.recommendation.outcome
    if not unknown:
        return Robustness(True, [], current, current, [])

    def outcome(items: set[str], level: int) -> str:
        resolved = _resolve(questionnaire, respondents, items, level)
        return _score(questionnaire, resolved, measured_inputs, charter_answers, charter).recommendation.outcome

    every = set(unknown)
    low, high = outcome(every, LOWEST), outcome(every, HIGHEST)
    deciding = [i for i in unknown if outcome({i}, LOWEST) != current or outcome({i}, HIGHEST) != current]
    return Robustness(low == current == high and not deciding, unknown, low, high, deciding)


def _resolve(questionnaire: Questionnaire, respondents: list[Respondent], items: set[str], level: int) -> list[Respondent]:
    replaced = []
    for respondent in respondents:
        answers = dict(respondent.answers)
        for item_id in items & answers.keys():
            if answers[item_id] == DONT_KNOW:
                if questionnaire.item(item_id).type is ItemType.YES_NO:
                    answers[item_id] = "yes" if level == HIGHEST else "no"
                else:
                    answers[item_id] = level
        replaced.append(Respondent(respondent.id, respondent.role, answers))
    return replaced

