"""What the engine gives back: plain frozen data, serialisable to JSON and back."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

ANSWERED = "answered"
UNKNOWN = "unknown"  # only "don't know" answers
NOT_APPLICABLE = "not_applicable"
MISSING = "missing"  # nobody who is asked has answered yet


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    dimension: str
    status: str
    score: float | None  # 0-4; None when nobody gave a level
    by_role: dict[str, float]  # role -> mean level of that role's respondents
    respondents: int  # people asked who answered anything
    dont_know: int
    not_applicable: int
    values: list[Any] = field(default_factory=list)  # number and text answers, unscored


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    score: float | None  # 0-100; None when no applicable item was answered
    coverage: float | None  # None when every item is not applicable
    go: float
    floor: float
    margin: float | None  # score - go threshold
    by_role: dict[str, float]
    answered: list[str]
    unknown: list[str]
    missing: list[str]
    not_applicable: list[str]


@dataclass(frozen=True)
class IndicatorResult:
    indicator_id: str
    dimension: str
    value: float | None
    level: int | None
    band_source: str | None
    self_rating_item: str | None
    self_rating: float | None
    gap: float | None
    missing_inputs: list[str]


@dataclass(frozen=True)
class CharterResult:
    statuses: dict[str, str]  # item id -> met / partly / not_met / not_applicable / missing
    blocking_unmet: list[str]
    counts: dict[str, int]


@dataclass(frozen=True)
class Flag:
    code: str  # stable within a result, e.g. "critical_gate:cm_procedures"
    kind: str
    severity: str  # critical / major / minor
    dimension: str | None
    subject: str | None  # the item, indicator or charter item it is about
    evidence: dict[str, Any]


@dataclass(frozen=True)
class RuleCheck:
    rule_id: str
    matched: bool
    reasons: list[str]  # one entry per condition: "coverage_below: 0.42 < 0.6 -> true"


@dataclass(frozen=True)
class Recommendation:
    outcome: str
    rule_id: str
    margins: dict[str, float | None]
    checks: list[RuleCheck]
    conditions: list[str]  # flag codes to resolve before go-live (with "go with conditions")


@dataclass(frozen=True)
class Robustness:
    stable: bool
    dont_know_items: list[str]
    if_lowest: str | None  # outcome if every "don't know" were level 0
    if_highest: str | None  # outcome if every "don't know" were level 4
    deciding_items: list[str]  # items whose answer alone would change the outcome


@dataclass(frozen=True)
class Result:
    questionnaire_id: str
    questionnaire_version: str
    charter_id: str | None
    charter_version: str | None
    items: dict[str, ItemResult]
    dimensions: dict[str, DimensionResult]
    roles: dict[str, int]  # role -> number of respondents
    overall_score: float | None
    overall_coverage: float
    indicators: dict[str, IndicatorResult]
    charter: CharterResult | None
    flags: list[Flag]
    recommendation: Recommendation
    robustness: Robustness | None
    # Anonymous roles heard by fewer than the questionnaire's minimum group size: their own
    # figures, gaps and words are withheld (``readiness.domain.anonymity``).
    withheld_roles: list[str] = field(default_factory=list)

    def flags_by_severity(self, severity: str) -> list[Flag]:
        return [flag for flag in self.flags if flag.severity == severity]


_ADAPTER: TypeAdapter[Result] = TypeAdapter(Result)


def result_to_json(result: Result) -> dict[str, Any]:
    """:return: a JSON-ready dict; ``result_from_json`` turns it back into the same result."""
    return _ADAPTER.dump_python(result, mode="json")


def result_from_json(data: dict[str, Any]) -> Result:
    return _ADAPTER.validate_python(data)
