"""How sure a score is: bootstrap intervals, ranks that only separate what the intervals separate.

A delegation's dimension score rests on a handful of respondents per role; another handful
could have given another score. Resampling respondents within their roles (each role keeps
its size, so equal voice per role holds) and rescoring shows how far the score could move.
"""
from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from readiness.questionnaire.schema import Questionnaire

from .answers import Respondent
from .scoring import overall_score, score_dimensions, score_items
from .tally import tally

Interval = tuple[float, float]
OVERALL = "overall"


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """Linear interpolation between the closest ranks (the usual "type 7" percentile)."""
    position = share * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def bootstrap_intervals(
    questionnaire: Questionnaire, respondents: Sequence[Respondent], *, replicates: int = 200, seed: int = 0,
    level: float = 0.9,
) -> dict[str, Interval | None]:
    """Percentile intervals of each dimension score and of the overall score (key ``"overall"``).

    :param respondents: everyone's answers, already validated.
    :param seed: the same seed gives the same intervals (a stored result must be reproducible).
    :param level: the share of resampled scores the interval holds.
    :return: dimension id (and ``"overall"``) -> (low, high), or None where no resample had a score.
    """
    rng = random.Random(seed)
    by_role: dict[str, list[Respondent]] = {}
    for person in sorted(respondents, key=lambda r: r.id):
        by_role.setdefault(person.role, []).append(person)
    samples: dict[str, list[float]] = {d.id: [] for d in questionnaire.dimensions}
    samples[OVERALL] = []
    for _ in range(replicates):
        drawn = [rng.choice(people) for people in by_role.values() for _ in people]
        dimensions = score_dimensions(questionnaire, score_items(questionnaire, tally(questionnaire, drawn)))
        for dim_id, dim in dimensions.items():
            if dim.score is not None:
                samples[dim_id].append(dim.score)
        overall = overall_score(questionnaire, dimensions)
        if overall is not None:
            samples[OVERALL].append(overall)
    tail = (1 - level) / 2
    return {key: _interval(sorted(values), tail) for key, values in samples.items()}


def _interval(values: list[float], tail: float) -> Interval | None:
    if not values:
        return None
    return (percentile(values, tail), percentile(values, 1 - tail))


@dataclass(frozen=True)
class Rank:
    rank: int  # 1 + the number of entries clearly ahead (their whole interval above this one's)
    tied: bool  # another entry's interval overlaps this one's: the order between them is not known


def ranks_with_ties(intervals: Mapping[int, Interval | None], scores: Mapping[int, float | None]) -> dict[int, Rank]:
    """Rank entries by score, counting as ahead only those whose interval lies wholly above.

    An entry without an interval stands on its score alone (a zero-width interval).
    :param intervals: entry -> (low, high) or None.
    :param scores: entry -> score; entries without a score are not ranked.
    """
    spans = {
        key: intervals.get(key) or (score, score) for key, score in scores.items() if score is not None
    }
    ranks = {}
    for key, (low, high) in spans.items():
        ahead = sum(1 for other, (o_low, _) in spans.items() if other != key and o_low > high)
        tied = any(other != key and o_low <= high and low <= o_high for other, (o_low, o_high) in spans.items())
        ranks[key] = Rank(ahead + 1, tied)
    return ranks
