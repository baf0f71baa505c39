"""The shapes of the API's responses, defined once.

The API serialises every response through these models (``render``), and the OpenAPI document
(``web/api_spec.py``) is generated from the same models, so what is documented is what is sent.
A field the read side adds reaches the API only once it is declared here.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

# ISO 8601 with its UTC offset ("2026-03-01T09:00:00+00:00"), as the API has always written it.
Timestamp = Annotated[
    datetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Score = Annotated[float | None, Field(description="0-100; null when nothing was scored")]
Coverage = Annotated[float | None, Field(description="0-1: the share of expected answers received")]
Interval = Annotated[
    tuple[float, float] | None,
    Field(description="[low, high]: the range the score could take had other respondents of the same roles answered "
                      "(bootstrap, nine resamples in ten); null for results frozen before intervals existed"),
]


class _Shape(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="forbid", frozen=True)


class ErrorBody(_Shape):
    status: int
    message: str


class Error(_Shape):
    error: ErrorBody


class Delegation(_Shape):
    id: int
    name: str
    country: str
    region: str
    context_type: str = Field(description="acute_emergency, protracted_crisis or stable")


class PortfolioRow(_Shape):
    """A delegation with its latest assessment (null fields when it has none)."""

    delegation_id: int
    delegation: str
    country: str
    region: str
    context_type: str
    assessment_id: int | None
    title: str | None
    status: str | None = Field(description="draft, collecting, closed or decided")
    questionnaire_version: str | None
    started: Timestamp | None
    closed: Timestamp | None
    recommendation: str | None
    overall_score: Score
    coverage: Coverage
    decision: str | None
    critical_flags: int = Field(description="critical flags whose action is not done")
    overdue_actions: int
    ethics: str = Field(description="where the ethics review of the latest proposal stands")
    in_progress_id: int | None = Field(description="a newer assessment still in draft or collecting, if any")
    in_progress_title: str | None
    in_progress_status: str | None = Field(description="draft or collecting; null when none is in progress")


class ResultRow(_Shape):
    """One assessment with its stored result."""

    assessment_id: int
    delegation: str
    country: str
    region: str
    context_type: str
    title: str
    tool_name: str
    status: str
    questionnaire_version: str
    started: Timestamp
    closed: Timestamp | None
    decided: Timestamp | None
    overall_score: Score
    coverage: Coverage
    recommendation: str | None
    rule_id: str | None = Field(description="the decision rule that gave the recommendation")
    decision: str | None
    dimensions: dict[str, float | None] = Field(description="dimension id -> score 0-100, in the questionnaire's order")
    flags: list[str] = Field(description="flag codes, e.g. critical_gate:cm_procedures")
    overall_interval: Interval
    dimension_intervals: dict[str, Interval] | None


class Quartiles(_Shape):
    count: int
    minimum: float
    lower: float
    median: float
    upper: float
    maximum: float


class TrendPoint(_Shape):
    assessment_id: int
    title: str
    status: str
    started: Timestamp
    closed: Timestamp | None
    decision: str | None
    questionnaire_version: str
    recommendation: str | None
    overall_score: Score
    coverage: Coverage
    dimensions: dict[str, float | None]
    flags: list[str]


class DelegationList(_Shape):
    data: list[Delegation]


class PortfolioList(_Shape):
    data: list[PortfolioRow]


class ResultPage(_Shape):
    data: list[ResultRow]
    next_after: int | None = Field(description="pass as ``after`` for the next page; null on the last page")


class DimensionScore(_Shape):
    score: Score
    interval: Interval


class DelegationScores(_Shape):
    """A delegation's current comparable result, its intervals and its rank by overall score."""

    delegation_id: int
    delegation: str
    assessment_id: int
    questionnaire_version: str
    overall_score: Score
    overall_interval: Interval
    rank: int | None = Field(description="1 + the delegations whose whole interval lies above this one's")
    tied: bool = Field(description="another delegation's interval overlaps: their order is not known")
    dimensions: dict[str, DimensionScore]


class Benchmark(_Shape):
    versions: list[str]
    delegations: int
    min_peers: int = Field(description="fewest peers a comparison needs (setting HQ_MIN_PEERS)")
    too_few_peers: bool = Field(description="true when each delegation has fewer peers than min_peers: "
                                            "quartiles and ranks place no one")
    dimensions: dict[str, Quartiles | None] = Field(description="null where no delegation has a score")
    scores: list[DelegationScores]


class Trend(_Shape):
    data: list[TrendPoint]


class FollowupChange(_Shape):
    """One line of a follow-up's comparison with its baseline, as on the comparison page."""

    key: str = Field(description="dimension id or indicator id")
    baseline: float | None
    followup: float | None
    baseline_level: int | None = Field(description="indicators: the band level (0-4) the value falls in; null for dimensions")
    followup_level: int | None
    better: str = Field(description="higher or lower: which way is better")
    verdict: str = Field(description="improved, worse, same or unknown (a dimension moves by 5 points, a figure by a band)")


class OpenCondition(_Shape):
    title: str
    due_date: date | None
    status: str = Field(description="open or in_progress")


class Followup(_Shape):
    """One follow-up after go-live: when it falls due, and once started, how it compares with the baseline."""

    months: int = Field(description="months after go-live")
    due_on: date
    state: str = Field(description="upcoming, due, started or done")
    assessment_id: int | None = Field(description="the follow-up assessment, once started")
    title: str | None
    status: str | None
    final: bool = Field(description="true once the follow-up is closed: its figures no longer change")
    dimensions: list[FollowupChange] = Field(description="scores out of 100, in the questionnaire's order")
    indicators: list[FollowupChange] = Field(description="figures, in the questionnaire's order")
    hours_per_week: float | None = Field(description="mean hours a week on the tool, as respondents gave them")
    hours_limit: float | None = Field(description="above it, recording crowds out time with families")
    open_conditions: list[OpenCondition] = Field(description="the decision's conditions tracked as actions and still open")
    decision_conditions: list[str] = Field(description="the decision's conditions as written, one per line")


class FollowupList(_Shape):
    assessment_id: int
    go_live_on: date | None
    data: list[Followup]


# Every model the OpenAPI document names; the response models above refer to the others.
MODELS: tuple[type[BaseModel], ...] = (Error, DelegationList, PortfolioList, ResultPage, Benchmark, Trend, FollowupList)


def render(model: BaseModel) -> dict[str, Any]:
    """:return: the JSON-ready body of ``model``, with keys in their declared order."""
    return model.model_dump(mode="json")
