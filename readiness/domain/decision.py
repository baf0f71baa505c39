"""Decision rules: ordered, first match wins, every check written down for the report."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from readiness.questionnaire.schema import Condition, Outcome, Questionnaire

from .result import DimensionResult, Flag, Recommendation, RuleCheck

GOLIVE_KINDS = {"critical_golive", "charter_golive"}
# Deferring is what "insufficient evidence" advises, so it is not an override.
_EQUIVALENT = {("deferred", "insufficient_evidence")}


def differs_from_recommendation(outcome: str, recommended: str) -> bool:
    """:return: whether a decision is an override of the recommendation (it then needs a reason)."""
    return outcome != recommended and (outcome, recommended) not in _EQUIVALENT


@dataclass(frozen=True)
class Facts:
    """What the rules may look at."""

    critical_failed: bool  # a critical item that must hold before deciding is below its minimum
    critical_unknown: bool
    blocking_unmet: bool  # a blocking charter item that must hold before deciding is not met
    blocking_unknown: bool
    coverage: float
    overall: float | None
    dimensions: Mapping[str, DimensionResult]
    flags: list[Flag]
    flag_counts: Mapping[str, int]
    golive_unmet: bool = False  # a requirement that must hold before go-live is not met
    roles_not_heard: tuple[str, ...] = ()  # expected roles below their minimum of respondents
    floor_min_coverage: float = 0.0  # a dimension below its floor decides only with this much coverage

    @property
    def gates_closed(self) -> bool:
        return (self.critical_failed or self.critical_unknown or self.blocking_unmet or self.blocking_unknown
                or self.golive_unmet or bool(self.roles_not_heard))

    @classmethod
    def gather(
        cls, coverage: float, overall: float | None, dimensions: Mapping[str, DimensionResult], flags: list[Flag],
        floor_min_coverage: float = 0.0,
    ) -> Facts:
        kinds = {flag.kind for flag in flags}
        return cls(
            critical_failed="critical_gate" in kinds,
            critical_unknown="critical_unknown" in kinds,
            blocking_unmet="charter_blocking" in kinds,
            blocking_unknown=any(flag.kind == "charter_unanswered" and flag.evidence.get("blocking") for flag in flags),
            coverage=coverage,
            overall=overall,
            dimensions=dimensions,
            flags=flags,
            flag_counts=Counter(flag.severity for flag in flags),
            golive_unmet=bool(kinds & GOLIVE_KINDS),
            roles_not_heard=tuple(flag.subject for flag in flags if flag.kind == "role_not_heard"),  # type: ignore[misc]
            floor_min_coverage=floor_min_coverage,
        )


def recommend(questionnaire: Questionnaire, facts: Facts) -> Recommendation:
    """Run the rules in order and stop at the first whose conditions all hold.

    A rule whose outcome is "go" is passed over while a critical item or a blocking charter
    item is unmet or not established, whatever the file says: gates are not negotiable.
    """
    checks = []
    margins = {dim_id: dim.margin for dim_id, dim in facts.dimensions.items()}
    for rule in questionnaire.decision_rules:
        reasons = list(_explain(rule.when, facts))
        matched = all(reason.endswith("true") for reason in reasons)
        if matched and rule.outcome is Outcome.GO and facts.gates_closed:
            reasons.append("gates: a critical or blocking requirement is not met or not established, or an expected "
                           "role was not heard, so no 'go' -> false")
            matched = False
        checks.append(RuleCheck(rule.id, matched, reasons))
        if matched:
            conditions = _conditions(rule.outcome, facts.flags)
            golive = [flag.code for flag in facts.flags if flag.kind in GOLIVE_KINDS and flag.code in conditions]
            return Recommendation(rule.outcome.value, rule.id, margins, checks, conditions, golive)
    raise AssertionError("the loader guarantees an unconditional last rule")


def _conditions(outcome: Outcome, flags: list[Flag]) -> list[str]:
    """With "go with conditions", every critical or major flag becomes a condition to meet.

    Those raised by a requirement that must hold before go-live gate go-live (``golive_conditions``).
    """
    if outcome is not Outcome.GO_WITH_CONDITIONS:
        return []
    return [flag.code for flag in flags if flag.severity in ("critical", "major")]


def _explain(when: Condition, facts: Facts) -> Iterator[str]:
    """Yield one line per condition, ending in "true" or "false"."""
    if when.critical_failed is not None:
        yield _line("critical_failed", facts.critical_failed, facts.critical_failed == when.critical_failed)
    if when.blocking_unmet is not None:
        yield _line("blocking_unmet", facts.blocking_unmet, facts.blocking_unmet == when.blocking_unmet)
    for role in when.role_not_heard or []:
        silent = role in facts.roles_not_heard
        yield _line(f"role_not_heard {role}", "not heard" if silent else "heard", silent)
    if when.coverage_below is not None:
        yield _line("coverage_below", f"{facts.coverage:.2f} < {when.coverage_below}", facts.coverage < when.coverage_below)
    if when.any_dimension_below is not None:
        below = [
            d for d, r in facts.dimensions.items()
            if r.score is not None and r.score < _threshold(r, when.any_dimension_below) and _enough(r, when, facts)
        ]
        yield _line(f"any_dimension_below {when.any_dimension_below}", below or "none", bool(below))
    if when.all_dimensions_at_least is not None:
        short = [
            d for d, r in facts.dimensions.items() if r.score is None or r.score < _threshold(r, when.all_dimensions_at_least)
        ]
        yield _line(f"all_dimensions_at_least {when.all_dimensions_at_least}", short or "all", not short)
    for dim_id, limit in sorted((when.dimension_below or {}).items()):
        score = facts.dimensions[dim_id].score
        yield _line(f"dimension_below {dim_id}", f"{_fmt(score)} < {limit}", score is not None and score < limit)
    if when.overall_at_least is not None:
        holds = facts.overall is not None and facts.overall >= when.overall_at_least
        yield _line("overall_at_least", f"{_fmt(facts.overall)} >= {when.overall_at_least}", holds)
    if when.overall_below is not None:
        holds = facts.overall is not None and facts.overall < when.overall_below
        yield _line("overall_below", f"{_fmt(facts.overall)} < {when.overall_below}", holds)
    for severity, limit in sorted((when.max_flags or {}).items()):
        count = facts.flag_counts.get(severity.value, 0)
        yield _line(f"max_flags {severity.value}", f"{count} <= {limit}", count <= limit)


def _enough(result: DimensionResult, when: Condition, facts: Facts) -> bool:
    """A floor breach decides only on enough evidence: below the minimum coverage it is a flag, not a verdict."""
    if when.any_dimension_below != "floor":
        return True
    return result.coverage is None or result.coverage >= facts.floor_min_coverage


def _threshold(result: DimensionResult, name: str) -> float:
    return result.go if name == "go" else result.floor


def _fmt(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


def _line(condition: str, observed: object, holds: bool) -> str:
    if isinstance(observed, list):
        observed = ", ".join(observed)
    return f"{condition}: {observed} -> {'true' if holds else 'false'}"
