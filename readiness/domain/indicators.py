"""Derived indicators: figures computed from measured inputs, banded into 0-4 levels."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from readiness.questionnaire.schema import Band, Indicator, Questionnaire

from .result import IndicatorResult, ItemResult


def band_for(bands: list[Band], value: float) -> Band:
    """:return: the first band whose ``below`` exceeds ``value`` (the last band takes the rest)."""
    for band in bands:
        if band.below is None or value < band.below:
            return band
    return bands[-1]


def compute_indicator(
    indicator: Indicator, inputs: Mapping[str, float | None], items: Mapping[str, ItemResult]
) -> IndicatorResult:
    """Compute one indicator; a missing input or a zero denominator gives no value, never 0."""
    refs = [ref for ref in (indicator.numerator, indicator.denominator) if ref is not None]
    missing = [ref for ref in refs if inputs.get(ref) is None]
    value = None
    if not missing:
        numerator = float(inputs[indicator.numerator])  # type: ignore[arg-type]
        denominator = 1.0 if indicator.denominator is None else float(inputs[indicator.denominator])  # type: ignore[arg-type]
        if denominator > 0:
            value = numerator / denominator * indicator.scale
    band = band_for(indicator.bands, value) if value is not None else None
    rated = items[indicator.checks_item] if indicator.checks_item else None
    self_rating = rated.score if rated else None
    level = band.level if band else None
    return IndicatorResult(
        indicator_id=indicator.id,
        dimension=indicator.dimension,
        value=value,
        level=level,
        band_source=band.source if band else None,
        self_rating_item=indicator.checks_item,
        self_rating=self_rating,
        gap=None if level is None or self_rating is None else self_rating - level,
        missing_inputs=missing,
        self_rating_by_role=dict(rated.by_role) if rated else {},
    )


def compute_indicators(
    questionnaire: Questionnaire, inputs: Mapping[str, float | None], items: Mapping[str, ItemResult]
) -> dict[str, IndicatorResult]:
    return {ind.id: compute_indicator(ind, inputs, items) for ind in questionnaire.indicators}


# --- Entering a figure the way the delegation knows it --------------------------------------
# A delegation may know "about 25 cases per worker" or "60 % trained" rather than the counts.
# Each ratio indicator has one input of its own (the other, such as the number of social workers,
# is shared by several): that input can be given as the ratio, and is derived from it.


def ratio_inputs(questionnaire: Questionnaire) -> dict[str, Indicator]:
    """:return: input id -> the ratio indicator that input alone belongs to."""
    ratios = [ind for ind in questionnaire.indicators if ind.denominator is not None]
    uses = Counter(ref for ind in ratios for ref in (ind.numerator, ind.denominator))
    own: dict[str, Indicator] = {}
    for ind in ratios:
        mine = [ref for ref in (ind.numerator, ind.denominator) if ref is not None and uses[ref] == 1]
        if len(mine) == 1:
            own[mine[0]] = ind
    return own


def input_from_ratio(indicator: Indicator, input_id: str, ratio: float, other: float) -> float | None:
    """Solve ``ratio = numerator / denominator * scale`` for ``input_id``, the other side being ``other``.

    :return: the input's value, rounded to 2 decimals; None when it cannot be solved (a zero ratio as divisor).
    """
    if input_id == indicator.numerator:
        return round(ratio / indicator.scale * other, 2)
    if ratio <= 0:
        return None
    return round(other / (ratio / indicator.scale), 2)


def percent_from_counts(part: float, whole: float) -> float | None:
    """:return: ``part`` as a percentage of ``whole`` (1 decimal), None when ``whole`` is not positive."""
    return round(part / whole * 100, 1) if whole > 0 else None
