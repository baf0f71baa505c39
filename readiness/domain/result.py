"""What the engine gives back: plain frozen data, serialisable to JSON and back."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

if TYPE_CHECKING:
    from readiness.questionnaire.schema import Questionnaire

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
    coverage: float | None = None  # share of the roles asked that answered (None: not applicable)
    roles_asked: list[str] = field(default_factory=list)  # roles whose answer the item needs
    roles_missing: list[str] = field(default_factory=list)  # of those, the ones without an answer


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
    band_source: str | dict[str, str] | None  # the band's source as in the file: rendered with explain.text
    self_rating_item: str | None
    self_rating: float | None
    gap: float | None
    missing_inputs: list[str]
    self_rating_by_role: dict[str, float] = field(default_factory=dict)  # role -> its mean rating


@dataclass(frozen=True)
class CharterResult:
    statuses: dict[str, str]  # item id -> met / partly / not_met / not_applicable / missing
    blocking_unmet: list[str]  # blocking items partly or not met, whatever their stage
    counts: dict[str, int]
    by_level: dict[str, dict[str, int]] = field(default_factory=dict)  # level -> status -> count
    blocking_unanswered: list[str] = field(default_factory=list)  # never counted as met
    golive_unmet: list[str] = field(default_factory=list)  # blocking items unmet that gate go-live only


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
    conditions: list[str]  # flag codes to resolve (with "go with conditions"), most important first
    golive_conditions: list[str] = field(default_factory=list)  # those of them that gate go-live


@dataclass(frozen=True)
class Robustness:
    """Could the recommendation still change once what is unknown becomes known?

    Unknowns are named ``item:<id>`` (don't know or unanswered), ``role:<id>`` (an expected role not
    heard), ``charter:<id>`` (a charter item not answered) and ``input:<id>`` (a missing figure).
    """

    stable: bool
    dont_know_items: list[str]
    if_lowest: str | None  # outcome if every unknown were at its worst (level 0, charter not met)
    if_highest: str | None  # outcome if every unknown were at its best (level 4, charter met)
    deciding_items: list[str]  # items whose answer alone would change the outcome
    unknowns: list[str] = field(default_factory=list)  # every unknown considered
    deciding: list[str] = field(default_factory=list)  # unknowns that alone would change the outcome
    find_out_first: list[str] = field(default_factory=list)  # the smallest set found that decides it
    changes: dict[str, list[str]] = field(default_factory=dict)  # deciding unknown -> outcomes it could give


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
    roles_not_heard: list[str] = field(default_factory=list)  # expected roles below their minimum
    # Anonymous roles heard by fewer than the questionnaire's minimum group size: their own
    # figures, gaps and words are withheld (``readiness.domain.anonymity``).
    withheld_roles: list[str] = field(default_factory=list)

    def flags_by_severity(self, severity: str) -> list[Flag]:
        return [flag for flag in self.flags if flag.severity == severity]


_ADAPTER: TypeAdapter[Result] = TypeAdapter(Result)


def result_to_json(result: Result) -> dict[str, Any]:
    """:return: a JSON-ready dict; ``result_from_json`` turns it back into the same result."""
    return _ADAPTER.dump_python(result, mode="json")


def result_from_json(data: dict[str, Any], questionnaire: Questionnaire | None = None) -> Result:
    """:param questionnaire: the pinned questionnaire; with it, dimensions, items, indicators and roles come back
        in its order (a JSON column may return keys in any order: PostgreSQL's ``jsonb`` sorts them).
    :return: the result; fields added since the snapshot was stored take their defaults.
    """
    result = _ADAPTER.validate_python(data)
    return result if questionnaire is None else in_definition_order(result, questionnaire)


def in_definition_order(result: Result, questionnaire: Questionnaire) -> Result:
    """:return: ``result`` with every mapping keyed by dimension, item, indicator or role in the file's order."""

    def ordered(mapping: dict[str, Any], ids: list[str]) -> dict[str, Any]:
        position = {key: index for index, key in enumerate(ids)}
        return {key: mapping[key] for key in sorted(mapping, key=lambda k: (position.get(k, len(position)), k))}

    dims = [d.id for d in questionnaire.dimensions]
    roles = [r.id for r in questionnaire.roles]
    recommendation = replace(result.recommendation, margins=ordered(result.recommendation.margins, dims))
    return replace(
        result,
        items=ordered(result.items, [i.id for i in questionnaire.items]),
        dimensions={k: replace(v, by_role=ordered(v.by_role, roles)) for k, v in ordered(result.dimensions, dims).items()},
        indicators=ordered(result.indicators, [i.id for i in questionnaire.indicators]),
        roles=ordered(result.roles, roles),
        recommendation=recommendation,
    )
