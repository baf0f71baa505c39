"""How sure a score is: bootstrap intervals, ranks that only separate what the intervals separate.

A delegation's dimension score rests on a handful of respondents per role; another handful
could have given another score. Resampling respondents within their roles (each role keeps
its size, so equal voice per role holds) and rescoring shows how far the score could move.
"""
from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from readiness.questionnaire.schema import Questionnaire

from .answers import Respondent, level_of
from .scoring import LEVEL_TO_PERCENT, overall_score, score_dimensions, score_items, weighted_mean
from .tally import tally

Interval = tuple[float, float]
OVERALL = "overall"


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """Linear interpolation between the closest ranks (the usual "type 7" percentile)."""
    position = share * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def _by_role(respondents: Sequence[Respondent]) -> dict[str, list[Respondent]]:
    """Respondents grouped by role in id order: both bootstrap paths draw from these same lists."""
    by_role: dict[str, list[Respondent]] = {}
    for person in sorted(respondents, key=lambda r: r.id):
        by_role.setdefault(person.role, []).append(person)
    return by_role


def bootstrap_intervals(
    questionnaire: Questionnaire, respondents: Sequence[Respondent], *, replicates: int = 200, seed: int = 0,
    level: float = 0.9,
) -> dict[str, Interval | None]:
    """Percentile intervals of each dimension score and of the overall score (key ``"overall"``).

    The same draws and the same arithmetic as ``bootstrap_intervals_by_rescoring``, hence the same
    intervals, without building a tally and item results per replicate: each respondent's levels are
    read once, and a replicate only sums, per role and scored item, the levels of the drawn respondents.

    :param respondents: everyone's answers, already validated.
    :param seed: the same seed gives the same intervals (a stored result must be reproducible).
    :param level: the share of resampled scores the interval holds.
    :return: dimension id (and ``"overall"``) -> (low, high), or None where no resample had a score.
    """
    rng = random.Random(seed)
    by_role = _by_role(respondents)
    scored = [item for item in questionnaire.items if item.scored]
    # Per role: for each scored item anyone of the role gave a level, the level of each respondent
    # (0 when none) and whether they gave one (1/0); sums over drawn indices then run in C.
    columns: list[tuple[int, list[tuple[int, list[int], list[int]]]]] = []
    for people in by_role.values():
        per_item = []
        for index, item in enumerate(scored):
            given = [level_of(item.type, p.answers[item.id]) if item.id in p.answers else None for p in people]
            if any(value is not None for value in given):
                per_item.append((index, [value or 0 for value in given], [0 if value is None else 1 for value in given]))
        columns.append((len(people), per_item))
    role_names = list(by_role)
    role_weights = [[(item.role_weights or {}).get(role, 1.0) for role in role_names] for item in scored]
    in_dimension = [
        (dim.id, [(index, item.weight) for index, item in enumerate(scored) if item.dimension == dim.id])
        for dim in questionnaire.dimensions
    ]
    dimension_weights = {dim.id: dim.weight for dim in questionnaire.dimensions}
    samples: dict[str, list[float]] = {d.id: [] for d in questionnaire.dimensions}
    samples[OVERALL] = []
    choice, everyone = rng.choice, [range(size) for size, _ in columns]
    for _ in range(replicates):
        # rng.choice on a range draws exactly as on the list of people: the same stream of picks.
        drawn = [[choice(indices) for _ in indices] for indices in everyone]
        means: list[list[tuple[float, float]]] = [[] for _ in scored]
        for role_index, ((_size, per_item), picks) in enumerate(zip(columns, drawn)):
            for index, levels, gave in per_item:
                count = sum(map(gave.__getitem__, picks))
                if count:
                    total = sum(map(levels.__getitem__, picks))
                    means[index].append((total / count, role_weights[index][role_index]))
        item_scores = [weighted_mean(pairs) for pairs in means]
        dimension_scores = {}
        for dim_id, members in in_dimension:
            mean = weighted_mean((item_scores[i], w) for i, w in members if item_scores[i] is not None)  # type: ignore[misc]
            dimension_scores[dim_id] = None if mean is None else mean * LEVEL_TO_PERCENT
            if mean is not None:
                samples[dim_id].append(mean * LEVEL_TO_PERCENT)
        overall = weighted_mean((score, dimension_weights[d]) for d, score in dimension_scores.items() if score is not None)
        if overall is not None:
            samples[OVERALL].append(overall)
    tail = (1 - level) / 2
    return {key: _interval(sorted(values), tail) for key, values in samples.items()}


def bootstrap_intervals_by_rescoring(
    questionnaire: Questionnaire, respondents: Sequence[Respondent], *, replicates: int = 200, seed: int = 0,
    level: float = 0.9,
) -> dict[str, Interval | None]:
    """The definition ``bootstrap_intervals`` computes faster: each replicate re-tallied and re-scored in full.

    Kept as the reference the fast path is tested against (tests/domain/test_uncertainty.py).

    :param respondents: everyone's answers, already validated.
    :param seed: the same seed gives the same intervals (a stored result must be reproducible).
    :param level: the share of resampled scores the interval holds.
    :return: dimension id (and ``"overall"``) -> (low, high), or None where no resample had a score.
    """
    rng = random.Random(seed)
    by_role = _by_role(respondents)
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
    if all(low <= high for low, high in spans.values()):
        # Counted by bisection (a page ranks a hundred delegations): entries ahead have their low above
        # this high; entries overlapping are those starting at or below this high, less those ending below
        # this low (a subset of them, since every low <= high), this entry included.
        lows, highs = sorted(low for low, _ in spans.values()), sorted(high for _, high in spans.values())
        return {
            key: Rank(len(lows) - bisect_right(lows, high) + 1, bisect_right(lows, high) - bisect_left(highs, low) > 1)
            for key, (low, high) in spans.items()
        }
    ranks = {}
    for key, (low, high) in spans.items():
        ahead = sum(1 for other, (o_low, _) in spans.items() if other != key and o_low > high)
        tied = any(other != key and o_low <= high and low <= o_high for other, (o_low, o_high) in spans.items())
        ranks[key] = Rank(ahead + 1, tied)
    return ranks
