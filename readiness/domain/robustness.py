"""Could the recommendation still change? Every open question is tried at both ends.

An unknown is one of: an item with "don't know" answers or a role that skipped it (``item:<id>``),
an expected role not heard (``role:<id>``, all its items at level 0, then 4), an unanswered charter
item (``charter:<id>``, not met, then met) and a missing figure (``input:<id>``, at either end of its
range). The answers are already counted (``tally``), so each "what if" costs one re-scoring of counts,
not of respondents.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from readiness.questionnaire.schema import Charter, CharterLevel, Questionnaire, Stage

from .answers import CharterStatus
from .charter import MISSING
from .result import Result, Robustness
from .tally import Tally, with_item_resolved, with_role_heard

LOWEST, HIGHEST = 0, 4
BIG = 1e6  # stands for "very many" when a figure has no upper bound


@dataclass(frozen=True)
class Case:
    """The inputs of one scoring."""

    counted: Tally
    inputs: Mapping[str, float | None]
    charter_answers: Mapping[str, str]


def list_unknowns(questionnaire: Questionnaire, charter: Charter | None, inputs: Mapping[str, float | None],
                  result: Result) -> list[str]:
    """:return: every open question of ``result``, the ones most likely to matter first."""
    not_heard = set(result.roles_not_heard)
    fundamental: list[str] = []
    golive: list[str] = []
    other: list[str] = []
    if charter is not None and result.charter is not None:
        for item in charter.items:
            if result.charter.statuses[item.id] == MISSING and item.level is not CharterLevel.ADVISORY:
                blocking = item.level is CharterLevel.BLOCKING
                target = fundamental if blocking and item.gate_stage is Stage.BEFORE_DECISION else golive if blocking else other
                target.append(f"charter:{item.id}")
    roles = [f"role:{role}" for role in result.roles_not_heard]
    critical: list[str] = []
    items: list[str] = []
    for question in questionnaire.items:
        found = result.items[question.id]
        if question.scored and (found.dont_know or set(found.roles_missing) - not_heard):
            (critical if question.critical else items).append(f"item:{question.id}")
    used = {ref for ind in questionnaire.indicators for ref in (ind.numerator, ind.denominator) if ref}
    figures = [f"input:{entry.id}" for entry in questionnaire.inputs if entry.id in used and inputs.get(entry.id) is None]
    return [*fundamental, *critical, *roles, *golive, *items, *other, *figures]


def assess_robustness(
    questionnaire: Questionnaire,
    counted: Tally,
    measured_inputs: Mapping[str, float | None],
    charter_answers: Mapping[str, str],
    charter: Charter | None,
    result: Result,
) -> Robustness:
    """Try each unknown alone at both ends, then all of them together, and name what decides.

    :return: stable only when no unknown, alone or all together, changes the recommendation.
    """
    from .engine import score_tally  # the engine imports this module

    current = result.recommendation.outcome
    unknowns = list_unknowns(questionnaire, charter, measured_inputs, result)
    dont_know = [item.id for item in questionnaire.items if item.scored and result.items[item.id].dont_know]
    if not unknowns:
        return Robustness(True, dont_know, current, current, [], [], [], [], {})
    base = Case(counted, dict(measured_inputs), dict(charter_answers))
    cache: dict = {}
    score_tally(questionnaire, counted, measured_inputs, charter_answers, charter, cache)  # fills the cache

    def outcome(units: list[str], end: int) -> str:
        case = base
        for unit in units:
            case = _apply(questionnaire, result, case, unit, end)
        scored = score_tally(questionnaire, case.counted, case.inputs, case.charter_answers, charter, cache)
        return scored.recommendation.outcome

    changes: dict[str, list[str]] = {}
    for unit in unknowns:
        found = sorted({outcome([unit], LOWEST), outcome([unit], HIGHEST)} - {current})
        if found:
            changes[unit] = found
    low, high = outcome(unknowns, LOWEST), outcome(unknowns, HIGHEST)
    deciding = list(changes)
    first = deciding or _smallest_set(unknowns, current, low, high, outcome)
    items = [unit.split(":", 1)[1] for unit in deciding if unit.startswith("item:")]
    stable = not deciding and low == current == high
    return Robustness(stable, dont_know, low, high, items, unknowns, deciding, first, changes)


def _smallest_set(unknowns: list[str], current: str, low: str, high: str,
                  outcome: Callable[[list[str], int], str]) -> list[str]:
    """No single unknown decides: grow a set in order until it does, then drop what is not needed."""
    best: list[str] = []
    for end, target in ((LOWEST, low), (HIGHEST, high)):
        if target == current:
            continue
        chosen: list[str] = []
        for unit in unknowns:
            chosen.append(unit)
            if outcome(chosen, end) != current:
                break
        for unit in list(chosen):
            trial = [u for u in chosen if u != unit]
            if trial and outcome(trial, end) != current:
                chosen = trial
        if not best or len(chosen) < len(best):
            best = chosen
    return best


def _apply(questionnaire: Questionnaire, result: Result, case: Case, unit: str, end: int) -> Case:
    kind, key = unit.split(":", 1)
    if kind == "item":
        fill = [role for role in result.items[key].roles_missing if role not in result.roles_not_heard]
        return Case(with_item_resolved(case.counted, key, fill, end), case.inputs, case.charter_answers)
    if kind == "role":
        return Case(with_role_heard(case.counted, questionnaire, key, end), case.inputs, case.charter_answers)
    if kind == "charter":
        status = CharterStatus.MET if end == HIGHEST else CharterStatus.NOT_MET
        return Case(case.counted, case.inputs, {**case.charter_answers, key: status.value})
    entry = next(e for e in questionnaire.inputs if e.id == key)
    value = (entry.max if entry.max is not None else BIG) if end == HIGHEST else max(entry.min, 1e-9)
    return Case(case.counted, {**case.inputs, key: value}, case.charter_answers)
