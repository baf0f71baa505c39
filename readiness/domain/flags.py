"""Risk flags: each names what raised it and carries the evidence, so a reader can check it."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import combinations
from math import fsum

from readiness.questionnaire.schema import Charter, Questionnaire, Stage

from .charter import assess_charter, charter_flags
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
LEVEL_TO_PERCENT = 25.0

__all__ = ["assess_charter", "raise_flags", "SEVERITY_ORDER"]


def raise_flags(
    questionnaire: Questionnaire,
    items: Mapping[str, ItemResult],
    dimensions: Mapping[str, DimensionResult],
    indicators: Mapping[str, IndicatorResult],
    charter: Charter | None,
    charter_result: CharterResult | None,
    heard: Mapping[str, int] | None = None,
) -> list[Flag]:
    """:param heard: respondents who answered something, per role (None: do not judge who was heard).
    :return: every flag, most severe first, then in questionnaire order (``ranking.rank_flags`` orders them
        by importance once robustness is known).
    """
    flags = [
        *_item_flags(questionnaire, items),
        *(_role_flags(questionnaire, heard) if heard is not None else ()),
        *_purpose_flag(questionnaire, items),
        *_dimension_flags(questionnaire, items, dimensions),
        *_indicator_flags(questionnaire, indicators),
    ]
    if charter is not None and charter_result is not None:
        flags.extend(charter_flags(charter, charter_result))
    return sorted(flags, key=lambda flag: SEVERITY_ORDER[flag.severity])  # stable: keeps definition order


def _item_flags(questionnaire: Questionnaire, items: Mapping[str, ItemResult]) -> Iterator[Flag]:
    for item in questionnaire.items:
        if item.critical is None:
            continue
        result = items[item.id]
        stage = item.critical.stage
        evidence = {"min_level": item.critical.min_level, "score": result.score, "by_role": result.by_role,
                    "stage": stage.value}
        if result.status == ANSWERED and result.score is not None and result.score < item.critical.min_level:
            kind = "critical_gate" if stage is Stage.BEFORE_DECISION else "critical_golive"
            yield Flag(f"{kind}:{item.id}", kind, CRITICAL, item.dimension, item.id, evidence)
        elif result.status != ANSWERED:  # "not applicable" cannot waive a gate
            evidence["status"] = result.status
            yield Flag(f"critical_unknown:{item.id}", "critical_unknown", MAJOR, item.dimension, item.id, evidence)


def _role_flags(questionnaire: Questionnaire, heard: Mapping[str, int]) -> Iterator[Flag]:
    """An expected role with fewer respondents than its minimum was not heard: that is a finding."""
    named = {role for rule in questionnaire.decision_rules for role in rule.when.role_not_heard or []}
    for role in questionnaire.roles:
        count = heard.get(role.id, 0)
        if role.expected and count < role.min_respondents:
            evidence = {"respondents": count, "min_respondents": role.min_respondents,
                        "items": [i.id for i in questionnaire.items_for_role(role.id) if i.scored]}
            severity = CRITICAL if role.id in named else MAJOR
            yield Flag(f"role_not_heard:{role.id}", "role_not_heard", severity, None, role.id, evidence)


def _purpose_flag(questionnaire: Questionnaire, items: Mapping[str, ItemResult]) -> Iterator[Flag]:
    """A tool wanted mainly for reporting rather than daily practice (the seeds' central warning)."""
    rule = questionnaire.purpose_rule
    if rule is None:
        return
    scores = {i: score for i in rule.items if (score := items[i].score) is not None}
    if not scores:
        return
    mean = fsum(scores.values()) / len(scores)
    if mean < rule.below:
        reasons = [str(value) for i in rule.reason_items for value in items[i].values]
        evidence = {"scores": scores, "mean": mean, "below": rule.below, "reasons": reasons, "source": rule.source}
        dimension = questionnaire.item(rule.items[0]).dimension
        yield Flag("purpose", "purpose", MAJOR, dimension, None, evidence)


def _dimension_flags(
    questionnaire: Questionnaire, items: Mapping[str, ItemResult], dimensions: Mapping[str, DimensionResult]
) -> Iterator[Flag]:
    rules = questionnaire.flag_rules
    for dim in questionnaire.dimensions:
        result = dimensions[dim.id]
        thin = result.coverage is not None and result.coverage < rules.dimension_min_coverage
        partly = [i for i in result.answered if (items[i].coverage or 0) < 1]
        if result.score is not None:
            lowest = sorted(result.answered, key=lambda i: (items[i].score, i))[:3]
            evidence = {"score": result.score, "go": result.go, "floor": result.floor, "lowest_items": lowest}
            if result.score < result.floor and thin:
                evidence |= {"coverage": result.coverage, "minimum": rules.dimension_min_coverage,
                             "find_out": [*result.unknown, *result.missing, *partly]}
                yield Flag(f"floor_low_evidence:{dim.id}", "floor_low_evidence", MAJOR, dim.id, None, evidence)
            elif result.score < result.floor:
                yield Flag(f"dimension_floor:{dim.id}", "dimension_floor", CRITICAL, dim.id, None, evidence)
            elif result.score < result.go:
                yield Flag(f"dimension_below_go:{dim.id}", "dimension_below_go", MAJOR, dim.id, None, evidence)
        yield from _gap_flag(questionnaire, dim.id, items, rules.perception_gap, rules.min_shared_items)
        if result.unknown or result.missing or partly:
            evidence = {
                "coverage": result.coverage,
                "minimum": rules.dimension_min_coverage,
                "dont_know_items": result.unknown,
                "unanswered_items": result.missing,
                "partly_covered_items": partly,
            }
            yield Flag(f"unknowns:{dim.id}", "unknowns", MAJOR if thin else MINOR, dim.id, None, evidence)


def shared_gap(
    questionnaire: Questionnaire, dim_id: str, items: Mapping[str, ItemResult], first: str, second: str
) -> tuple[float | None, list[str], dict[str, float]]:
    """Compare two roles on the items of a dimension that both answered.

    :return: (first's mean minus second's, on 0-100; the shared items; each role's mean), or None and no items.
    """
    shared = [(item_id, weight, items[item_id].by_role) for item_id, weight in _scored_in(questionnaire, dim_id)
              if first in items[item_id].by_role and second in items[item_id].by_role]
    if not shared:
        return None, [], {}
    total = fsum(weight for _, weight, _ in shared)
    means = {role: fsum(by_role[role] * weight for _, weight, by_role in shared) / total * LEVEL_TO_PERCENT
             for role in (first, second)}
    return means[first] - means[second], [item_id for item_id, _, _ in shared], means


def _scored_in(questionnaire: Questionnaire, dim_id: str) -> list[tuple[str, float]]:
    """:return: (item id, weight) of the dimension's scored items, computed once per questionnaire."""
    index = questionnaire.cached("_scored_by_dimension", lambda: {
        dim.id: [(item.id, item.weight) for item in questionnaire.items_in(dim.id) if item.scored]
        for dim in questionnaire.dimensions
    })
    return index.get(dim_id, [])


def _gap_flag(
    questionnaire: Questionnaire, dim_id: str, items: Mapping[str, ItemResult], threshold: float, min_shared: int
) -> Iterator[Flag]:
    """The widest gap between two roles, computed only on items both answered (at least ``min_shared``)."""
    roles = sorted({role for item_id, _ in _scored_in(questionnaire, dim_id) for role in items[item_id].by_role})
    widest = None
    for first, second in combinations(roles, 2):
        gap, shared, means = shared_gap(questionnaire, dim_id, items, first, second)
        if gap is None or len(shared) < min_shared:
            continue
        high, low = (first, second) if gap >= 0 else (second, first)
        if widest is None or abs(gap) > widest[0]:
            widest = (abs(gap), high, low, shared, means)
    if widest is not None and widest[0] > threshold:
        size, high, low, shared, means = widest
        evidence = {"high_role": high, "low_role": low, "gap": size, "threshold": threshold,
                    "by_role": means, "items": shared, "min_shared_items": min_shared}
        yield Flag(f"perception_gap:{dim_id}", "perception_gap", MAJOR, dim_id, None, evidence)


def _indicator_flags(questionnaire: Questionnaire, indicators: Mapping[str, IndicatorResult]) -> Iterator[Flag]:
    rules = questionnaire.flag_rules
    missing: list[str] = []
    inputs: list[str] = []
    for ind in questionnaire.indicators:
        result = indicators[ind.id]
        evidence: dict[str, object] = {"value": result.value, "level": result.level, "band_source": result.band_source}
        if result.level is None:
            missing.append(ind.id)
            inputs += [i for i in result.missing_inputs if i not in inputs]
            continue
        if result.level <= rules.indicator_low_level:
            yield Flag(f"indicator_low:{ind.id}", "indicator_low", MAJOR, ind.dimension, ind.id, evidence)
        # Each role's rating is checked on its own: honest colleagues must not hide another role's over-rating.
        contradicting = {
            role: rating for role, rating in sorted(result.self_rating_by_role.items())
            if abs(rating - result.level) >= rules.self_rating_gap
        }
        if contradicting:
            gap = max(abs(rating - result.level) for rating in contradicting.values())
            evidence = {**evidence, "self_rating_item": result.self_rating_item, "self_rating": result.self_rating,
                        "roles": contradicting, "gap": gap}
            yield Flag(f"self_rating:{ind.id}", "self_rating", MAJOR, ind.dimension, ind.id, evidence)
    if missing:
        yield Flag("figures_missing", "figures_missing", MINOR, None, None, {"indicators": missing, "inputs": inputs})
