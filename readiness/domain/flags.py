"""Risk flags: each names what raised it and carries the evidence, so a reader can check it."""
from __future__ import annotations

from collections.abc import Iterator, Mapping

from readiness.questionnaire.schema import Charter, CharterLevel, Questionnaire

from .answers import CharterStatus
from .result import (
    ANSWERED,
    CharterResult,
    DimensionResult,
    Flag,
    IndicatorResult,
    ItemResult,
)

CRITICAL, MAJOR, MINOR = "critical", "major", "minor"
SEVERITY_ORDER = {CRITICAL: 0, MAJOR: 1, MINOR: 2}
MISSING = "missing"
UNMET = (CharterStatus.NOT_MET, CharterStatus.PARTLY)


def assess_charter(charter: Charter, answers: Mapping[str, str]) -> CharterResult:
    statuses = {item.id: answers.get(item.id, MISSING) for item in charter.items}
    # A blocking item only partly met is still unmet: go-live waits until it is met in full.
    blocking_unmet = [
        item.id for item in charter.items if item.level is CharterLevel.BLOCKING and statuses[item.id] in UNMET
    ]
    counts = {status: 0 for status in [*(s.value for s in CharterStatus), MISSING]}
    for status in statuses.values():
        counts[status] += 1
    return CharterResult(statuses=statuses, blocking_unmet=blocking_unmet, counts=counts)


def raise_flags(
    questionnaire: Questionnaire,
    items: Mapping[str, ItemResult],
    dimensions: Mapping[str, DimensionResult],
    indicators: Mapping[str, IndicatorResult],
    charter: Charter | None,
    charter_result: CharterResult | None,
) -> list[Flag]:
    """:return: every flag, most severe first, then in questionnaire order."""
    flags = [
        *_item_flags(questionnaire, items),
        *_dimension_flags(questionnaire, items, dimensions),
        *_indicator_flags(questionnaire, indicators),
    ]
    if charter is not None and charter_result is not None:
        flags.extend(_charter_flags(charter, charter_result))
    return sorted(flags, key=lambda flag: SEVERITY_ORDER[flag.severity])  # stable: keeps definition order


def _item_flags(questionnaire: Questionnaire, items: Mapping[str, ItemResult]) -> Iterator[Flag]:
    for item in questionnaire.items:
        if item.critical is None:
            continue
        result = items[item.id]
        evidence = {"min_level": item.critical.min_level, "score": result.score, "by_role": result.by_role}
        if result.status == ANSWERED and result.score is not None and result.score < item.critical.min_level:
            yield Flag(f"critical_gate:{item.id}", "critical_gate", CRITICAL, item.dimension, item.id, evidence)
        elif result.status != ANSWERED:  # "not applicable" cannot waive a gate
            evidence["status"] = result.status
            yield Flag(f"critical_unknown:{item.id}", "critical_unknown", MAJOR, item.dimension, item.id, evidence)


def _dimension_flags(
    questionnaire: Questionnaire, items: Mapping[str, ItemResult], dimensions: Mapping[str, DimensionResult]
) -> Iterator[Flag]:
    rules = questionnaire.flag_rules
    for dim in questionnaire.dimensions:
        result = dimensions[dim.id]
        if result.score is not None:
            lowest = sorted(result.answered, key=lambda i: (items[i].score, i))[:3]
            evidence = {"score": result.score, "go": result.go, "floor": result.floor, "lowest_items": lowest}
            if result.score < result.floor:
                yield Flag(f"dimension_floor:{dim.id}", "dimension_floor", CRITICAL, dim.id, None, evidence)
            elif result.score < result.go:
                yield Flag(f"dimension_below_go:{dim.id}", "dimension_below_go", MAJOR, dim.id, None, evidence)
        yield from _gap_flag(dim.id, result, rules.perception_gap)
        if result.unknown or result.missing:
            low = result.coverage is not None and result.coverage < rules.dimension_min_coverage
            evidence = {
                "coverage": result.coverage,
                "minimum": rules.dimension_min_coverage,
                "dont_know_items": result.unknown,
                "unanswered_items": result.missing,
            }
            yield Flag(f"unknowns:{dim.id}", "unknowns", MAJOR if low else MINOR, dim.id, None, evidence)


def _gap_flag(dim_id: str, result: DimensionResult, threshold: float) -> Iterator[Flag]:
    if len(result.by_role) < 2:
        return
    high = max(result.by_role, key=lambda role: (result.by_role[role], role))
    low = min(result.by_role, key=lambda role: (result.by_role[role], role))
    gap = result.by_role[high] - result.by_role[low]
    if gap > threshold:
        evidence = {"high_role": high, "low_role": low, "gap": gap, "threshold": threshold, "by_role": result.by_role}
        yield Flag(f"perception_gap:{dim_id}", "perception_gap", MAJOR, dim_id, None, evidence)


def _indicator_flags(questionnaire: Questionnaire, indicators: Mapping[str, IndicatorResult]) -> Iterator[Flag]:
    rules = questionnaire.flag_rules
    missing: list[str] = []
    for ind in questionnaire.indicators:
        result = indicators[ind.id]
        evidence = {"value": result.value, "level": result.level, "band_source": result.band_source}
        if result.level is None:
            missing.append(ind.id)
            continue
        if result.level <= rules.indicator_low_level:
            yield Flag(f"indicator_low:{ind.id}", "indicator_low", MAJOR, ind.dimension, ind.id, evidence)
        if result.gap is not None and abs(result.gap) >= rules.self_rating_gap:
            evidence = {**evidence, "self_rating_item": result.self_rating_item, "self_rating": result.self_rating}
            yield Flag(f"self_rating:{ind.id}", "self_rating", MAJOR, ind.dimension, ind.id, evidence)
    if missing:
        yield Flag("figures_missing", "figures_missing", MINOR, None, None, {"indicators": missing})


def _charter_flags(charter: Charter, result: CharterResult) -> Iterator[Flag]:
    unanswered: list[str] = []
    advisory: list[str] = []
    for item in charter.items:
        status = result.statuses[item.id]
        evidence = {"status": status, "level": item.level.value, "theme": item.theme}
        unmet = status in UNMET
        if status == MISSING and item.level is not CharterLevel.ADVISORY:
            unanswered.append(item.id)
        elif item.level is CharterLevel.BLOCKING and unmet:
            yield Flag(f"charter_blocking:{item.id}", "charter_blocking", CRITICAL, None, item.id, evidence)
        elif unmet and item.level is not CharterLevel.ADVISORY:
            yield Flag(f"charter_condition:{item.id}", "charter_condition", MAJOR, None, item.id, evidence)
        elif unmet:
            advisory.append(item.id)
    if unanswered:
        blocking = [i for i in unanswered if charter.item(i).level is CharterLevel.BLOCKING]
        evidence = {"items": unanswered, "blocking": blocking}
        yield Flag("charter_unanswered", "charter_unanswered", MAJOR, None, None, evidence)
    if advisory:
        yield Flag("charter_advisory", "charter_advisory", MINOR, None, None, {"items": advisory})
