"""Item, dimension and overall scores (DESIGN.md §4).

Means use ``math.fsum`` so the result does not depend on the order answers arrive in.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from math import fsum

from readiness.questionnaire.schema import Item, Questionnaire

from .answers import DONT_KNOW, NOT_APPLICABLE, Respondent, level_of
from .result import ANSWERED, MISSING, UNKNOWN, DimensionResult, ItemResult
from .result import NOT_APPLICABLE as ITEM_NOT_APPLICABLE

LEVEL_TO_PERCENT = 25.0  # a 0-4 level times 25 gives 0-100


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """:return: the mean of ``value`` weighted by ``weight`` over ``(value, weight)`` pairs, or None."""
    pairs = list(pairs)
    total = fsum(weight for _, weight in pairs)
    if not pairs or total == 0:
        return None
    return fsum(value * weight for value, weight in pairs) / total


def score_items(questionnaire: Questionnaire, respondents: Iterable[Respondent]) -> dict[str, ItemResult]:
    """:return: one result per item, in questionnaire order."""
    answers: dict[str, list[tuple[str, object]]] = defaultdict(list)
    for respondent in respondents:
        for item_id, value in respondent.answers.items():
            answers[item_id].append((respondent.role, value))
    return {item.id: score_item(item, answers.get(item.id, [])) for item in questionnaire.items}


def score_item(item: Item, answers: list[tuple[str, object]]) -> ItemResult:
    """Score one item from ``(role, value)`` pairs: mean per role, then a (weighted) mean over roles."""
    levels: dict[str, list[float]] = defaultdict(list)
    dont_know = sum(1 for _, value in answers if value == DONT_KNOW)
    not_applicable = sum(1 for _, value in answers if value == NOT_APPLICABLE)
    values: list[object] = []
    for role, value in answers:
        if value in (DONT_KNOW, NOT_APPLICABLE):
            continue
        if item.scored:
            levels[role].append(float(level_of(item.type, value)))  # type: ignore[arg-type]
        else:
            values.append(value)
    by_role = {role: fsum(found) / len(found) for role, found in sorted(levels.items())}
    role_weights = item.role_weights or {}
    score = weighted_mean((mean, role_weights.get(role, 1.0)) for role, mean in by_role.items())
    return ItemResult(
        item_id=item.id,
        dimension=item.dimension,
        status=_status(bool(by_role) or bool(values), dont_know, not_applicable),
        score=score,
        by_role=by_role,
        respondents=len(answers),
        dont_know=dont_know,
        not_applicable=not_applicable,
        values=sorted(values, key=repr),
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
        coverage=fsum(w for _, w in answered) / applicable if applicable else None,
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
    """:return: answered applicable item weight over applicable item weight (1.0 if nothing applies)."""
    scored = [(item.weight, items[item.id].status) for item in questionnaire.items if item.scored]
    applicable = fsum(w for w, status in scored if status != ITEM_NOT_APPLICABLE)
    answered = fsum(w for w, status in scored if status == ANSWERED)
    return answered / applicable if applicable else 1.0
