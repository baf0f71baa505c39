"""Item, dimension and overall scores (README, "How scoring works", rules 1-3).

Means use ``math.fsum`` so the result does not depend on the order answers arrive in.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from math import fsum

from readiness.questionnaire.schema import Item, Questionnaire

from .answers import DONT_KNOW, NOT_APPLICABLE
from .result import ANSWERED, MISSING, UNKNOWN, DimensionResult, ItemResult
from .result import NOT_APPLICABLE as ITEM_NOT_APPLICABLE
from .tally import VALUE, Tally

LEVEL_TO_PERCENT = 25.0  # a 0-4 level times 25 gives 0-100


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """:return: the mean of ``value`` weighted by ``weight`` over ``(value, weight)`` pairs, or None."""
    pairs = list(pairs)
    total = fsum(weight for _, weight in pairs)
    if not pairs or total == 0:
        return None
    return fsum(value * weight for value, weight in pairs) / total


def heard_roles(questionnaire: Questionnaire, counted: Tally) -> set[str]:
    """:return: the roles with at least their minimum number of respondents who answered something."""
    return {role.id for role in questionnaire.roles if counted.heard_count(role.id) >= role.min_respondents}


def coverage_roles(questionnaire: Questionnaire, item: Item, counted: Tally) -> list[str]:
    """:return: the roles whose answer an item needs: those expected, and any other that answered at all."""
    expected = {role.id for role in questionnaire.roles if role.expected}
    roles = [role for role in item.roles if role in expected or counted.heard_count(role) > 0]
    return roles or list(item.roles)


def score_items(
    questionnaire: Questionnaire, counted: Tally, cache: dict[str, tuple[object, list[str], ItemResult]] | None = None
) -> dict[str, ItemResult]:
    """:param cache: item id -> (its counts, roles asked, result) from an earlier call on a variant of the same
        counts (robustness re-scores many); an item whose counts are the very same object, asked of the same
        roles, is not scored again.
    :return: one result per item, in questionnaire order.
    """
    results = {}
    for item in questionnaire.items:
        by_role, asked = counted.role_counts(item.id), coverage_roles(questionnaire, item, counted)
        cached = cache.get(item.id) if cache is not None else None
        if cached is not None and cached[0] is by_role and cached[1] == asked:
            results[item.id] = cached[2]
            continue
        results[item.id] = score_item(item, by_role, counted.values.get(item.id, []), asked)
        if cache is not None and cached is None:
            cache[item.id] = (by_role, asked, results[item.id])
    return results


def score_item(
    item: Item, by_role_counts: Mapping[str, Mapping[object, int]], values: list[object], asked: list[str]
) -> ItemResult:
    """Score one item from its answers counted per role: mean per role, then a (weighted) mean over roles.

    :param asked: the roles whose answer the item needs; its coverage is the share of them who gave
        an answer, leaving out roles that found it not applicable.
    """
    by_role: dict[str, float] = {}
    answered_roles, applicable_roles = [], []
    dont_know = not_applicable = respondents = 0
    for role, counts in sorted(by_role_counts.items()):
        levels = [(float(key), n) for key, n in counts.items() if isinstance(key, int)]
        dont_know += counts.get(DONT_KNOW, 0)
        not_applicable += counts.get(NOT_APPLICABLE, 0)
        respondents += sum(counts.values())
        if levels:
            by_role[role] = fsum(level * n for level, n in levels) / sum(n for _, n in levels)
        if levels or counts.get(VALUE):
            answered_roles.append(role)
    for role in asked:
        counts = by_role_counts.get(role, {})
        if role in answered_roles or set(counts) != {NOT_APPLICABLE}:
            applicable_roles.append(role)
    role_weights = item.role_weights or {}
    score = weighted_mean((mean, role_weights.get(role, 1.0)) for role, mean in by_role.items())
    status = _status(bool(answered_roles), dont_know, not_applicable)
    covered = [role for role in applicable_roles if role in answered_roles]
    coverage = None if status == ITEM_NOT_APPLICABLE else (len(covered) / len(applicable_roles) if applicable_roles else 1.0)
    return ItemResult(
        item_id=item.id,
        dimension=item.dimension,
        status=status,
        score=score,
        by_role=by_role,
        respondents=respondents,
        dont_know=dont_know,
        not_applicable=not_applicable,
        values=list(values),  # sorted once when counted
        coverage=coverage,
        roles_asked=list(asked),
        roles_missing=[role for role in applicable_roles if role not in answered_roles],
    )


def _status(has_value: bool, dont_know: int, not_applicable: int) -> str:
    if has_value:
        return ANSWERED
    if dont_know:
        return UNKNOWN
    if not_applicable:
        return ITEM_NOT_APPLICABLE
    return MISSING


def score_dimensions(questionnaire: Questionnaire, items: Mapping[str, ItemResult]) -> dict[str, DimensionResult]:
    return {dim.id: _score_dimension(questionnaire, dim.id, items) for dim in questionnaire.dimensions}


def _score_dimension(questionnaire: Questionnaire, dim_id: str, items: Mapping[str, ItemResult]) -> DimensionResult:
    dim = next(d for d in questionnaire.dimensions if d.id == dim_id)
    scored = [(item, items[item.id]) for item in questionnaire.items_in(dim_id) if item.scored]
    by_status: dict[str, list[str]] = defaultdict(list)
    for item, result in scored:
        by_status[result.status].append(item.id)
    answered = [(r.score, i.weight) for i, r in scored if r.status == ANSWERED]
    applicable = fsum(i.weight for i, r in scored if r.status != ITEM_NOT_APPLICABLE)
    covered = fsum(i.weight * (r.coverage or 0.0) for i, r in scored if r.status != ITEM_NOT_APPLICABLE)
    mean = weighted_mean(answered)  # type: ignore[arg-type]
    score = None if mean is None else mean * LEVEL_TO_PERCENT
    roles = sorted({role for _, r in scored for role in r.by_role})
    by_role = {}
    for role in roles:
        role_mean = weighted_mean((r.by_role[role], i.weight) for i, r in scored if role in r.by_role)
        if role_mean is not None:
            by_role[role] = role_mean * LEVEL_TO_PERCENT
    return DimensionResult(
        dimension=dim_id,
        score=score,
        coverage=covered / applicable if applicable else None,
        go=dim.thresholds.go,
        floor=dim.thresholds.floor,
        margin=None if score is None else score - dim.thresholds.go,
        by_role=by_role,
        answered=by_status[ANSWERED],
        unknown=by_status[UNKNOWN],
        missing=by_status[MISSING],
        not_applicable=by_status[ITEM_NOT_APPLICABLE],
    )


def overall_score(questionnaire: Questionnaire, dimensions: Mapping[str, DimensionResult]) -> float | None:
    """:return: the dimensions' scores averaged with the dimensions' weights (unscored ones left out)."""
    return weighted_mean(
        (dimensions[dim.id].score, dim.weight)  # type: ignore[misc]
        for dim in questionnaire.dimensions
        if dimensions[dim.id].score is not None
    )


def overall_coverage(questionnaire: Questionnaire, items: Mapping[str, ItemResult]) -> float:
    """:return: covered applicable item weight over applicable item weight (1.0 if nothing applies).

    An item counts in proportion to the share of its roles that answered it (``ItemResult.coverage``).
    """
    scored = [(item.weight, items[item.id]) for item in questionnaire.items if item.scored]
    applicable = fsum(w for w, r in scored if r.status != ITEM_NOT_APPLICABLE)
    covered = fsum(w * (r.coverage or 0.0) for w, r in scored if r.status != ITEM_NOT_APPLICABLE)
    return covered / applicable if applicable else 1.0
