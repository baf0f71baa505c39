"""``score_assessment``: answers in, scores, flags and a recommendation out."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from readiness.questionnaire.schema import Charter, Questionnaire

from .answers import Respondent, validate_counts, validate_responses
from .decision import Facts, recommend
from .flags import assess_charter, raise_flags
from .indicators import compute_indicators
from .ranking import rank_flags
from .result import Result
from .robustness import assess_robustness
from .scoring import heard_roles, overall_coverage, overall_score, score_dimensions, score_items
from .tally import AnswerCount, Tally, tally, tally_counts


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
    :return: the full result: flags ranked by importance, and what could still change the recommendation.
    :raise InvalidResponses: naming the respondent and item of every bad answer.
    """
    respondents = sorted(respondents, key=lambda r: r.id)
    problems = validate_responses(questionnaire, respondents, measured_inputs, charter_answers, charter)
    if problems:
        raise InvalidResponses(problems)
    return _judge(questionnaire, tally(questionnaire, respondents), measured_inputs, charter_answers, charter)


def score_counts(
    questionnaire: Questionnaire,
    counted: Iterable[AnswerCount],
    respondents: Mapping[str, int],
    heard: Mapping[str, int],
    measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str],
    charter: Charter | None = None,
) -> Result:
    """Score an assessment from its answers counted per role, item and value (a database GROUP BY).

    The same result as ``score_assessment`` on the respondents behind the counts, at a cost that
    depends on the number of distinct answers, not on the number of respondents.

    :param counted: (role, item id, answer, number of respondents who gave it).
    :param respondents: respondents per role; :param heard: those who gave an answer other than "not applicable".
    :raise InvalidResponses: naming the role and item of every bad answer.
    """
    counted = list(counted)
    problems = validate_counts(questionnaire, counted, measured_inputs, charter_answers, charter)
    if problems:
        raise InvalidResponses(problems)
    return _judge(questionnaire, tally_counts(questionnaire, counted, respondents, heard), measured_inputs,
                  charter_answers, charter)


def _judge(questionnaire: Questionnaire, counted: Tally, measured_inputs: Mapping[str, float | None],
           charter_answers: Mapping[str, str], charter: Charter | None) -> Result:
    """Score counted answers, find what could still change the recommendation, and rank the flags."""
    result = score_tally(questionnaire, counted, measured_inputs, charter_answers, charter)
    robustness = assess_robustness(questionnaire, counted, measured_inputs, charter_answers, charter, result)
    result = replace(result, robustness=robustness)
    ranked = rank_flags(result)
    order = {flag.code: index for index, flag in enumerate(ranked)}
    recommendation = result.recommendation
    recommendation = replace(
        recommendation,
        conditions=sorted(recommendation.conditions, key=lambda code: order[code]),
        golive_conditions=sorted(recommendation.golive_conditions, key=lambda code: order[code]),
    )
    return replace(result, flags=ranked, recommendation=recommendation)


def score_tally(
    questionnaire: Questionnaire,
    counted: Tally,
    measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str],
    charter: Charter | None,
    cache: dict | None = None,
) -> Result:
    """:param cache: shared by calls on variants of the same counts (see ``scoring.score_items``).
    :return: the result of answers already counted, without robustness; flags by severity.
    """
    items = score_items(questionnaire, counted, cache)
    dimensions = score_dimensions(questionnaire, items)
    overall = overall_score(questionnaire, dimensions)
    coverage = overall_coverage(questionnaire, items)
    indicators = compute_indicators(questionnaire, measured_inputs, items)
    charter_result = assess_charter(charter, charter_answers) if charter is not None else None
    heard = {role.id: counted.heard_count(role.id) for role in questionnaire.roles}
    flags = raise_flags(questionnaire, items, dimensions, indicators, charter, charter_result, heard)
    facts = Facts.gather(coverage, overall, dimensions, flags, questionnaire.flag_rules.dimension_min_coverage)
    recommendation = recommend(questionnaire, facts)
    not_heard = [role.id for role in questionnaire.roles if role.expected and role.id not in heard_roles(questionnaire, counted)]
    return Result(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        charter_id=charter.id if charter else None,
        charter_version=charter.version if charter else None,
        items=items,
        dimensions=dimensions,
        roles={role.id: counted.respondents.get(role.id, 0) for role in questionnaire.roles},
        overall_score=overall,
        overall_coverage=coverage,
        indicators=indicators,
        charter=charter_result,
        flags=flags,
        recommendation=recommendation,
        robustness=None,
        roles_not_heard=not_heard,
    )
