"""The pieces of ``ReportData``: frozen, plain values with every sentence already written."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Header:
    assessment_id: int
    title: str
    delegation: str
    country: str
    tool: str
    scope: str
    status: str
    status_label: str
    is_preview: bool
    basis: str  # "preview, not final" or "frozen result computed on ..."
    questionnaire: str
    questionnaire_version: str
    charter: str
    created: str
    closed: str | None
    decided: str | None
    target_go_live: str | None
    generated: str


@dataclass(frozen=True)
class RoleScore:
    role: str
    label: str
    score: float | None


@dataclass(frozen=True)
class DimensionRow:
    id: str
    label: str
    score: float | None
    coverage: float | None
    go: float
    floor: float
    margin: float | None
    state: str  # above_go / at_go / below_go / below_floor / no_score
    sentence: str
    by_role: list[RoleScore]


@dataclass(frozen=True)
class FlagRow:
    code: str
    kind: str
    severity: str
    severity_label: str
    dimension: str | None
    message: str
    evidence: list[str]
    action: str | None


@dataclass(frozen=True)
class FlagGroup:
    severity: str
    label: str
    flags: list[FlagRow]


@dataclass(frozen=True)
class RecommendationView:
    outcome: str
    label: str
    rule_id: str
    rule_text: str
    because: str
    margins: list[str]
    conditions: list[FlagRow]


@dataclass(frozen=True)
class RoleTable:
    """Dimension scores with the roles side by side; ``gaps`` marks rows with a perception gap."""

    roles: list[RoleScore]  # the role columns (score unused; ``label`` and respondent count in ``role``)
    counts: list[int]
    rows: list[tuple[str, list[float | None], bool]]  # (dimension label, score per role, gap flagged)


@dataclass(frozen=True)
class IndicatorRow:
    label: str
    value: str
    unit: str
    level: int | None
    band_source: str | None
    checks: str | None  # the self-rated question it is set against
    self_rating: str
    gap: float | None
    disagrees: bool
    missing_inputs: list[str]


@dataclass(frozen=True)
class RobustnessView:
    stable: bool
    dont_know_count: int
    if_lowest: str | None
    if_highest: str | None
    deciding_items: list[str]
    sentence: str


@dataclass(frozen=True)
class CharterRow:
    item_id: str
    theme: str
    level: str
    level_label: str
    text: str
    status: str
    status_label: str
    unmet: bool
    guidance: str


@dataclass(frozen=True)
class ActionRow:
    id: int
    source: str
    title: str
    owner: str
    due_date: date | None
    due: str
    status: str
    status_label: str
    overdue: bool
    version_id: int
    about: str | None = None  # what a generated action answers: a flag's subject or the decision's conditions
    anchor: str | None = None  # where the report shows it
    target: str | None = None  # "question a2 at level 2 or above", when the action carries a target level


@dataclass(frozen=True)
class PlanReach:
    """The recommendation the plan would reach if every action met its target, re-scored by the engine."""

    outcome: str
    label: str
    current: str  # the recommendation now, labelled
    targeted: int  # how many actions carry a target level


@dataclass(frozen=True)
class DecisionView:
    outcome: str
    label: str
    decided_by: str
    decided_on: str
    rationale: str
    conditions: str
    recommended: str
    is_override: bool
    override_note: str | None
    override_reason: str | None
    history: tuple[AmendmentView, ...] = ()  # earlier versions, oldest first
    decided_by_id: int | None = None  # the author, who alone may amend it


@dataclass(frozen=True)
class AmendmentView:
    """One amendment of the decision: who, when, why, and what the decision said before."""

    amended_by: str
    amended_on: str
    reason: str
    before_label: str
    before_rationale: str
    before_conditions: str
