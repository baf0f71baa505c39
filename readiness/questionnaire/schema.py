"""The shape of a definition file: frozen pydantic models, one per YAML mapping.

Field-level rules live here; rules that look across the file (references, translations,
ordering of bands) live in ``checks.py`` so each error can name the exact line.
"""
from __future__ import annotations

from enum import StrEnum
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SCHEMA_VERSION = 1

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = dict[str, str]
"""Text in every language of the file, keyed by language code (``en``, ``fr``)."""

ReviewStatus = Literal["source", "reviewed", "draft"]
Translations = dict[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")], ReviewStatus]
"""Per language: the ``source`` text, ``reviewed`` by a native-speaking practitioner, or a ``draft``.
A declared language missing here is a draft."""
# Finite and bounded, so no weighted sum can overflow into inf or NaN.
PositiveWeight = Annotated[float, Field(gt=0, le=1_000_000, allow_inf_nan=False)]
Level = Annotated[int, Field(ge=0, le=4)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


def review_status(definition: Any, lang: str) -> str:
    """:return: how far ``lang`` can be trusted in a definition file: source, reviewed or draft."""
    if lang not in definition.languages:
        return "missing"
    return definition.translations.get(lang, "source" if lang == "en" else "draft")


class ItemType(StrEnum):
    LEVEL = "level"
    YES_NO = "yes_no"
    NUMBER = "number"
    TEXT = "text"


class Outcome(StrEnum):
    GO = "go"
    GO_WITH_CONDITIONS = "go_with_conditions"
    NO_GO = "no_go"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"


class Role(Frozen):
    id: Identifier
    label: Text
    description: Text | None = None
    anonymous: bool = False
    expected: bool = False  # an assessment should hear this role; not hearing it raises a flag
    min_respondents: Annotated[int, Field(ge=1)] = 1  # fewer than this many and the role is not heard


class Stage(StrEnum):
    """When a requirement must hold: before deciding at all, or before the tool goes live."""

    BEFORE_DECISION = "before_decision"
    BEFORE_GO_LIVE = "before_go_live"


class Thresholds(Frozen):
    go: Annotated[float, Field(ge=0, le=100)]
    floor: Annotated[float, Field(ge=0, le=100)]


class Dimension(Frozen):
    id: Identifier
    label: Text
    description: Text | None = None
    weight: PositiveWeight = 1.0
    thresholds: Thresholds


class Critical(Frozen):
    min_level: Annotated[int, Field(ge=1, le=4)]
    stage: Stage = Stage.BEFORE_DECISION
    stage_reason: str | None = None  # why this stage, with its source


class Evidence(StrEnum):
    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


class Item(Frozen):
    id: Identifier
    dimension: Identifier
    type: ItemType
    roles: Annotated[list[Identifier], Field(min_length=1)]
    text: Text
    help: Text | None = None
    levels: dict[Level, Text] | None = None
    weight: PositiveWeight = 1.0
    role_weights: dict[Identifier, PositiveWeight] | None = None
    critical: Critical | None = None
    evidence: Evidence = Evidence.NONE
    action: Text | None = None
    unit: Text | None = None
    sources: list[str] = []

    @property
    def scored(self) -> bool:
        return self.type in (ItemType.LEVEL, ItemType.YES_NO)


class MeasuredInput(Frozen):
    id: Identifier
    label: Text
    help: Text | None = None
    unit: Text
    min: float = 0
    max: float | None = None


SourceText = Annotated[str, StringConstraints(min_length=3)] | Text
"""Where a figure comes from: a translated text (``{en: ..., fr: ...}``) shown in the reader's language, or a
plain string shown as is in every language (older files, and sources that are only names and years)."""


class Band(Frozen):
    level: Level
    below: float | None = None
    source: SourceText


class Indicator(Frozen):
    id: Identifier
    label: Text
    help: Text | None = None
    unit: Text
    dimension: Identifier
    numerator: Identifier
    denominator: Identifier | None = None
    scale: PositiveWeight = 1.0
    bands: Annotated[list[Band], Field(min_length=2)]
    checks_item: Identifier | None = None
    action: Text | None = None


class Severity(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


class Condition(Frozen):
    """All fields given must hold for the rule to match; an empty condition always holds."""

    critical_failed: bool | None = None
    blocking_unmet: bool | None = None
    role_not_heard: list[Identifier] | None = None  # holds when any of these roles was not heard
    coverage_below: Annotated[float, Field(ge=0, le=1)] | None = None
    any_dimension_below: Literal["go", "floor"] | None = None
    all_dimensions_at_least: Literal["go", "floor"] | None = None
    dimension_below: dict[Identifier, Annotated[float, Field(ge=0, le=100)]] | None = None
    overall_at_least: Annotated[float, Field(ge=0, le=100)] | None = None
    overall_below: Annotated[float, Field(ge=0, le=100)] | None = None
    max_flags: dict[Severity, Annotated[int, Field(ge=0)]] | None = None


class DecisionRule(Frozen):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$", max_length=64)]
    when: Condition
    outcome: Outcome
    text: Text


class FlagRules(Frozen):
    min_coverage: Annotated[float, Field(ge=0, le=1)]
    dimension_min_coverage: Annotated[float, Field(ge=0, le=1)]
    perception_gap: Annotated[float, Field(gt=0, le=100)]
    self_rating_gap: Annotated[int, Field(ge=1, le=4)] = 2
    indicator_low_level: Annotated[int, Field(ge=0, le=4)] = 1
    min_shared_items: Annotated[int, Field(ge=1)] = 1  # a perception gap needs this many items both roles answered


class PurposeRule(Frozen):
    """Judges whether the tool is wanted for daily practice or mainly for reporting."""

    items: Annotated[list[Identifier], Field(min_length=1)]  # scored items on practice versus reporting
    below: Annotated[float, Field(gt=0, le=4)]  # their mean level below this raises the flag
    reason_items: list[Identifier] = []  # text items whose answers are quoted beside the flag
    source: Annotated[str, StringConstraints(min_length=3)]


class Trouble(Frozen):
    """What counts as trouble at a follow-up, so HQ can set outcomes against what was predicted."""

    overall_below: Annotated[float, Field(ge=0, le=100)] | None = None  # the follow-up's overall score
    item_above: dict[Identifier, Annotated[float, Field(ge=0)]] = {}  # a number item's mean above this
    source: Annotated[str, StringConstraints(min_length=3)]


class FollowupPlan(Frozen):
    """A questionnaire asked after go-live: which questionnaire it follows, when, and what is trouble."""

    follows: Identifier  # the id of the readiness questionnaire whose decision starts the clock
    months: Annotated[list[Annotated[int, Field(ge=1, le=120)]], Field(min_length=1)]
    trouble: Trouble
    source: Annotated[str, StringConstraints(min_length=3)]


class Questionnaire(Frozen):
    schema_version: int
    kind: Literal["questionnaire"]
    id: Identifier
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)*$")]
    comparable_with: list[str] = []
    languages: Annotated[list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]], Field(min_length=1)]
    translations: Translations = {}
    title: Text
    description: Text | None = None
    roles: Annotated[list[Role], Field(min_length=1)]
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    items: Annotated[list[Item], Field(min_length=1)]
    inputs: list[MeasuredInput] = []
    indicators: list[Indicator] = []
    flag_rules: FlagRules
    purpose_rule: PurposeRule | None = None
    decision_rules: Annotated[list[DecisionRule], Field(min_length=1)]
    followup: FollowupPlan | None = None  # set on a follow-up questionnaire, asked after go-live
    # Below this many respondents, an anonymous role's own figures and words are withheld everywhere.
    min_group_size: Annotated[int, Field(ge=1, le=50)] = 3

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    def item(self, item_id: str) -> Item:
        return self._by_id()[item_id]

    def cached(self, name: str, build: Callable[[], Any]) -> Any:
        """:return: ``build()``, computed once per list of items (``model_copy`` may replace the list)."""
        found = self.__dict__.get(name)
        if found is None or found[0] is not self.items:
            found = (self.items, build())
            self.__dict__[name] = found
        return found[1]

    def _by_id(self) -> dict[str, Item]:
        return self.cached("_items_index", lambda: {item.id: item for item in self.items})

    def role(self, role_id: str) -> Role:
        return next(role for role in self.roles if role.id == role_id)

    def items_for_role(self, role: str) -> list[Item]:
        return [item for item in self.items if role in item.roles]

    def items_in(self, dimension_id: str) -> list[Item]:
        def build() -> dict[str, list[Item]]:
            index: dict[str, list[Item]] = {}
            for item in self.items:
                index.setdefault(item.dimension, []).append(item)
            return index

        return list(self.cached("_dimension_index", build).get(dimension_id, []))


class CharterLevel(StrEnum):
    BLOCKING = "blocking"
    CONDITION = "condition"
    ADVISORY = "advisory"


class Theme(Frozen):
    id: Identifier
    label: Text
    description: Text | None = None


class CharterItem(Frozen):
    id: Identifier
    theme: Identifier
    level: CharterLevel
    text: Text
    guidance: Text
    sources: Annotated[list[Annotated[str, StringConstraints(min_length=3)]], Field(min_length=1)]
    stage: Stage | None = None  # blocking items: before_decision (no-go) or before_go_live (a go-live condition)
    stage_reason: str | None = None
    about_tool_design: bool = False  # no work on the context can fix it: ranked first among blockers

    @property
    def gate_stage(self) -> Stage:
        """:return: when a blocking item must hold (an undeclared stage counts as before the decision)."""
        return self.stage or Stage.BEFORE_DECISION


class Charter(Frozen):
    schema_version: int
    kind: Literal["charter"]
    id: Identifier
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)*$")]
    languages: Annotated[list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]], Field(min_length=1)]
    translations: Translations = {}
    title: Text
    description: Text | None = None
    themes: Annotated[list[Theme], Field(min_length=1)]
    items: Annotated[list[CharterItem], Field(min_length=1)]

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    def item(self, item_id: str) -> CharterItem:
        index = self.__dict__.get("_items_index")
        if index is None:
            index = {item.id: item for item in self.items}
            self.__dict__["_items_index"] = index
        return index[item_id]


class ScreeningTrigger(Frozen):
    id: Identifier
    fact: Identifier
    route: Literal["full", "expedited"]
    reason: Text
    source: Annotated[str, StringConstraints(min_length=3)]
    dpia_criterion: bool = False


class ContinuingReview(Frozen):
    """After approval: how often the committee reviews again, and which incidents reopen the review."""

    interval_months: Annotated[int, Field(gt=0, le=60)] = 12
    notice_days: Annotated[int, Field(ge=0, le=365)] = 30
    serious_severity: Annotated[int, Field(ge=1, le=5)] = 4
    serious_score: Annotated[int, Field(ge=1, le=25)] = 12


class ScreeningPolicy(Frozen):
    """How an ethics committee routes proposals: which facts call for a full review."""

    schema_version: int
    kind: Literal["screening"]
    id: Identifier
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)*$")]
    languages: Annotated[list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]], Field(min_length=1)]
    translations: Translations = {}
    title: Text
    description: Text | None = None
    default_route: Literal["full", "expedited"]
    large_scale_cases: Annotated[int, Field(gt=0)]
    triggers: Annotated[list[ScreeningTrigger], Field(min_length=1)]
    continuing_review: ContinuingReview = ContinuingReview()

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)
