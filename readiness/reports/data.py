"""The report as plain, already-translated data: HTML, PDF and charts all render this.

``build_report`` is pure (no Flask, no database, no clock), so the page, the PDF and the
charts can never disagree, and the same stored result always gives the same report.
"""
from __future__ import annotations

from readiness.i18n import N_, format_day

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol


from readiness.domain.explain import (
    SEVERITIES,
    describe_condition,
    describe_flag,
    number,
    outcome_label,
    percent,
    points,
    rounded,
    text,
)
from readiness.domain.headline import below_go, charter_summary, headline, robustness_sentence, unknown_name
from readiness.domain.anonymity import Said
from readiness.domain.decision import differs_from_recommendation
from readiness.domain.result import Flag, Result
from readiness.domain.way_forward import WayForward
from readiness.questionnaire.schema import Charter, Questionnaire

from . import wording
from .after import AfterGoLive, ComparisonLike, after_go_live_all
from .first import AnswerFirst, answer_first, ranked_flags, way_view
from .waiting import Waiting, waiting_view
from .parts import (
    ActionRow,
    AmendmentView,
    CharterRow,
    DecisionView,
    DimensionRow,
    FlagGroup,
    FlagRow,
    Header,
    IndicatorRow,
    PlanReach,
    RecommendationView,
    RobustnessView,
    RoleScore,
    RoleTable,
)
from .subjects import FLAG_TITLE, flag_action_title, flag_anchor, flag_subject
from .sections import charter_rows, flag_evidence, indicator_rows, role_table
from .words import WordsView, words_view

SEVERITY_ORDER = ("critical", "major", "minor")
OPEN_ACTION_STATUSES = frozenset({"open", "in_progress"})
CONDITION_SOURCE = "condition"
TOP_FLAGS = 5


class DecisionLike(Protocol):
    outcome: Any
    decided_by_name: str
    decided_at: datetime
    rationale: str
    conditions: str
    recommendation_at_decision: str
    override_reason: str | None


class ActionLike(Protocol):
    id: int
    source: str
    title: str
    owner: str
    due_date: date | None
    status: Any
    version_id: int


@dataclass(frozen=True)
class AssessmentMeta:
    """What the report needs to know about the assessment, read from the database by the caller."""

    assessment_id: int
    title: str
    delegation: str
    country: str
    tool: str
    scope: str
    status: str
    created_at: datetime
    closed_at: datetime | None
    decided_at: datetime | None
    target_go_live: date | None
    computed_at: datetime | None  # when the snapshot was taken; None for a live preview
    generated_at: datetime  # "now", passed in so the report stays a pure function

    @property
    def is_preview(self) -> bool:
        return self.computed_at is None


@dataclass(frozen=True)
class ReportData:
    lang: str
    header: Header
    first: AnswerFirst
    words: WordsView
    recommendation: RecommendationView
    overall_score: str
    overall_coverage: str
    dimensions: list[DimensionRow]
    flag_groups: list[FlagGroup]
    top_flags: list[FlagRow]
    flag_count: int
    roles: RoleTable
    perception_gaps: list[FlagRow]
    indicators: list[IndicatorRow]
    robustness: RobustnessView
    charter: list[CharterRow]
    charter_counts: dict[str, int]
    blocking_unmet: int
    actions: list[ActionRow]
    open_actions: int
    overdue_actions: int
    decision: DecisionView | None
    method: list[str]
    method_path: str
    chart: dict[str, Any]
    charter_summary: list[str] = field(default_factory=list)  # per level: met / partly / not met / not answered
    blocking_unanswered: int = 0
    plan_reach: PlanReach | None = None
    waiting: Waiting | None = None  # a live preview with too little to judge: what is missing, who must answer
    after: list[AfterGoLive] = field(default_factory=list)  # the follow-ups done since go-live, by months


def build_report(
    result: Result,
    questionnaire: Questionnaire,
    charter: Charter | None,
    assessment_meta: AssessmentMeta,
    decision: DecisionLike | None,
    actions: Sequence[ActionLike],
    lang: str,
    way: WayForward | None = None,
    said: Sequence[Said] = (),
    plan_outcome: str | None = None,
    said_totals: Mapping[str, int] | None = None,
    invited: Mapping[str, int] | None = None,
    unfinished: Mapping[str, int] | None = None,
    followups: Sequence[ComparisonLike] = (),
) -> ReportData:
    """Prepare everything a report shows, in ``lang``.

    :param result: the live preview or the stored snapshot's result, anonymity kept.
    :param assessment_meta: the assessment's identity, dates and status.
    :param decision: the recorded decision, if any.
    :param actions: the action plan, in display order.
    :param way: the changes that would move the recommendation up one step, if looked for.
    :param said: free-text answers and comments (the withheld roles' are dropped here).
    :param said_totals: item id -> everything said about it, when ``said`` holds only the newest few.
    :param invited: role -> people invited, and ``unfinished`` those of them who have not sent their answers.
    :param plan_outcome: the recommendation the engine gives with every action's target met; None without targets.
    :param followups: the follow-ups done, each set against this baseline (the comparison page's read model).
    :return: frozen data with every sentence already written in ``lang``.
    """
    flags = [_flag_row(flag, questionnaire, charter, lang) for flag in ranked_flags(result)]
    groups = [
        FlagGroup(severity, text(SEVERITIES[severity], lang), [f for f in flags if f.severity == severity])
        for severity in SEVERITY_ORDER
    ]
    dimensions = _dimensions(result, questionnaire, lang)
    rows = charter_rows(result, charter, lang)
    subjects = {f.code: (flag_subject(f, questionnaire, charter, lang), flag_anchor(f.code)) for f in result.flags}
    subjects[CONDITION_SOURCE] = (text(wording.SENTENCES["about_condition"], lang), "decision")
    titles = {FLAG_TITLE + f.code: flag_action_title(f, questionnaire, charter, lang) for f in result.flags}
    action_rows = [_action_row(a, assessment_meta.generated_at.date(), lang, subjects, titles) for a in actions]
    recommendation = _recommendation(result, questionnaire, charter, dimensions, flags, lang)
    decided = _decision(decision, lang)
    robustness = _robustness(result, questionnaire, charter, lang)
    first = answer_first(recommendation, decided, robustness, flags, action_rows,
                         way_view(way, questionnaire, charter, lang), lang)
    return ReportData(
        lang=lang,
        header=_header(questionnaire, charter, assessment_meta, lang),
        first=first,
        words=words_view(said, result.withheld_roles, questionnaire, lang, said_totals,
                         f"/assessments/{assessment_meta.assessment_id}/words"),
        recommendation=recommendation,
        overall_score=number(result.overall_score, lang=lang),
        overall_coverage=percent(result.overall_coverage, lang=lang),
        dimensions=dimensions,
        flag_groups=[g for g in groups if g.flags],
        top_flags=flags[:TOP_FLAGS],
        flag_count=len(flags),
        roles=role_table(result, questionnaire, lang),
        perception_gaps=[f for f in flags if f.kind == "perception_gap"],
        indicators=indicator_rows(result, questionnaire, lang),
        robustness=robustness,
        charter=rows,
        charter_counts=dict(result.charter.counts) if result.charter else {},
        blocking_unmet=len(result.charter.blocking_unmet) if result.charter else 0,
        actions=action_rows,
        open_actions=sum(1 for a in action_rows if a.status in OPEN_ACTION_STATUSES),
        overdue_actions=sum(1 for a in action_rows if a.overdue),
        plan_reach=_plan_reach(plan_outcome, result, action_rows, lang),
        waiting=waiting_view(result, questionnaire, live=assessment_meta.is_preview, invited=invited or {},
                             unfinished=unfinished or {}, lang=lang),
        decision=decided,
        method=[text(sentence, lang) for sentence in wording.METHOD],
        method_path=f"/method/{questionnaire.id}/{questionnaire.version}",
        chart=_chart(dimensions, result, questionnaire, lang),
        charter_summary=charter_summary(result, lang),
        blocking_unanswered=_blocking_unanswered(result, charter),
        after=after_go_live_all(followups, lang),
    )


def _blocking_unanswered(result: Result, charter: Charter | None) -> int:
    if result.charter is None or charter is None:
        return 0
    # Older snapshots lack the list: count from the statuses, since unanswered is never met.
    return len([i.id for i in charter.items if i.level.value == "blocking" and result.charter.statuses.get(i.id) == "missing"])


def _header(q: Questionnaire, charter: Charter | None, meta: AssessmentMeta, lang: str) -> Header:
    if meta.is_preview:
        basis = text(wording.SENTENCES["preview"], lang)
    else:
        basis = text(wording.SENTENCES["snapshot"], lang).format(date=format_day(meta.computed_at, lang))
    return Header(
        assessment_id=meta.assessment_id,
        title=meta.title,
        delegation=meta.delegation,
        country=meta.country,
        tool=meta.tool,
        scope=meta.scope,
        status=meta.status,
        status_label=text(wording.ASSESSMENT_STATUSES.get(meta.status), lang) or meta.status,
        is_preview=meta.is_preview,
        basis=basis,
        questionnaire=f"{text(q.title, lang)} {q.version}",
        questionnaire_version=q.version,
        charter=f"{text(charter.title, lang)} {charter.version}" if charter else "–",
        created=format_day(meta.created_at, lang),
        closed=format_day(meta.closed_at, lang) if meta.closed_at else None,
        decided=format_day(meta.decided_at, lang) if meta.decided_at else None,
        target_go_live=format_day(meta.target_go_live, lang) if meta.target_go_live else None,
        generated=format_day(meta.generated_at, lang),
    )


def _dimensions(result: Result, q: Questionnaire, lang: str) -> list[DimensionRow]:
    roles = {role.id: text(role.label, lang) for role in q.roles}
    rows = []
    for dim in q.dimensions:
        d = result.dimensions[dim.id]
        label = text(dim.label, lang)
        state = _state(d.score, d.go, d.floor)
        # Round once and compare what is shown: 59.5 shows as 60 and reads "just below the go threshold".
        shown_margin = None if d.score is None else rounded(d.score) - d.go
        sentence = text(wording.SENTENCES[state], lang).format(
            dimension=label, score=number(d.score, lang=lang), margin=points(abs(shown_margin), lang) if shown_margin is not None else "–",
            go=number(d.go, lang=lang), floor=number(d.floor, lang=lang),
        )
        rows.append(DimensionRow(
            id=dim.id, label=label, score=d.score, coverage=d.coverage, go=d.go, floor=d.floor, margin=shown_margin,
            state=state, sentence=sentence,
            by_role=[RoleScore(r, roles.get(r, r), d.by_role[r]) for r in roles if r in d.by_role],
        ))
    return rows


def _state(score: float | None, go: float, floor: float) -> str:
    if score is None:
        return "no_score"
    if score < floor:
        return "below_floor"
    if below_go(score, go):
        return "below_go"
    if score < go:
        return "just_below_go"
    return "at_go" if rounded(score) == go else "above_go"


def _recommendation(
    result: Result, q: Questionnaire, charter: Charter | None, dims: list[DimensionRow], flags: list[FlagRow], lang: str
) -> RecommendationView:
    rec = result.recommendation
    rule = next(r for r in q.decision_rules if r.id == rec.rule_id)
    condition = describe_condition(rule.when, q, lang)
    by_code = {f.code: f for f in flags}
    return RecommendationView(
        outcome=rec.outcome,
        label=outcome_label(rec.outcome, lang),
        rule_id=rule.id,
        rule_text=headline(result, q, charter, lang),  # written from the facts, not the rule's canned text
        because=text(wording.SENTENCES["rule_fired"], lang).format(rule=rule.id, condition=condition),
        margins=[d.sentence for d in dims],
        conditions=[by_code[code] for code in rec.conditions if code in by_code],
    )


def _flag_row(flag: Flag, q: Questionnaire, charter: Charter | None, lang: str) -> FlagRow:
    described = describe_flag(flag, q, charter, lang)
    dimension = next((text(d.label, lang) for d in q.dimensions if d.id == flag.dimension), None)
    return FlagRow(
        code=flag.code,
        kind=flag.kind,
        severity=flag.severity,
        severity_label=text(SEVERITIES[flag.severity], lang),
        dimension=dimension,
        message=described.message,
        evidence=flag_evidence(flag, q, charter, lang),
        action=described.action,
    )


def _robustness(result: Result, q: Questionnaire, charter: Charter | None, lang: str) -> RobustnessView:
    r = result.robustness
    sentence = robustness_sentence(result, q, charter, lang)
    if r is None or not (r.unknowns or r.dont_know_items):
        return RobustnessView(True, 0, None, None, [], sentence)
    low, high = outcome_label(r.if_lowest or "", lang), outcome_label(r.if_highest or "", lang)
    # Older snapshots name only the deciding "don't know" items.
    first = [unknown_name(u, q, charter, lang) for u in r.find_out_first] or [
        text(q.item(i).text, lang) for i in r.deciding_items]
    return RobustnessView(r.stable, len(r.dont_know_items), low, high, first, sentence)


def _action_row(action: ActionLike, today: date, lang: str, subjects: dict[str, tuple[str, str]],
                titles: dict[str, str] | None = None) -> ActionRow:
    status = str(getattr(action.status, "value", action.status))
    about, anchor = subjects.get(action.source, (None, None))
    overdue = action.due_date is not None and action.due_date < today and status in OPEN_ACTION_STATUSES
    return ActionRow(
        id=action.id, source=action.source, owner=action.owner, due_date=action.due_date,
        title=(titles or {}).get(getattr(action, "title_key", None) or "", action.title),
        due=format_day(action.due_date, lang) if action.due_date else "–", status=status,
        status_label=text(wording.ACTION_STATUSES.get(status), lang) or status, overdue=overdue,
        version_id=action.version_id, about=about, anchor=anchor, target=_target(action, lang),
    )


def _target(action: ActionLike, lang: str) -> str | None:
    item, level = getattr(action, "target_item", None), getattr(action, "target_level", None)
    if not item or level is None:
        return None
    return text(wording.SENTENCES["action_target"], lang).format(item=item, level=level)


def _plan_reach(outcome: str | None, result: Result, rows: Sequence[ActionRow], lang: str) -> PlanReach | None:
    if outcome is None:
        return None
    return PlanReach(outcome=outcome, label=outcome_label(outcome, lang),
                     current=outcome_label(result.recommendation.outcome, lang),
                     targeted=sum(1 for row in rows if row.target and row.status != "dropped"))


def _decision(decision: DecisionLike | None, lang: str) -> DecisionView | None:
    if decision is None:
        return None
    outcome = str(getattr(decision.outcome, "value", decision.outcome))
    recommended = decision.recommendation_at_decision
    override = differs_from_recommendation(outcome, recommended)
    return DecisionView(
        outcome=outcome,
        label=outcome_label(outcome, lang),
        decided_by=decision.decided_by_name,
        decided_on=format_day(decision.decided_at, lang),
        rationale=decision.rationale,
        conditions=decision.conditions or "",
        recommended=outcome_label(recommended, lang),
        is_override=override,
        override_note=text(wording.SENTENCES["override"], lang).format(recommended=outcome_label(recommended, lang))
        if override else None,
        override_reason=decision.override_reason,
        history=tuple(_amendment(a, lang) for a in getattr(decision, "amendments", ())),
        decided_by_id=getattr(decision, "decided_by_id", None),
    )


def _amendment(amendment: Any, lang: str) -> AmendmentView:
    before = amendment.before
    return AmendmentView(
        amended_by=amendment.amended_by_name, amended_on=format_day(amendment.amended_at, lang),
        reason=amendment.reason, before_label=outcome_label(before.get("outcome", ""), lang),
        before_rationale=before.get("rationale", ""), before_conditions=before.get("conditions", "") or "",
    )


def _chart(dims: list[DimensionRow], result: Result, q: Questionnaire, lang: str) -> dict[str, Any]:
    """The numbers both chart renderers draw: Plotly in the page, ReportLab in the PDF."""
    roles = [
        {"id": role.id, "label": text(role.label, lang),
         "scores": [result.dimensions[d.id].by_role.get(role.id) for d in dims]}
        for role in q.roles if role.id in result.roles
    ]
    return {
        "dimensions": [d.label for d in dims],
        "scores": [d.score for d in dims],
        "go": [d.go for d in dims],
        "floor": [d.floor for d in dims],
        "roles": roles,
        "labels": {"overall": text(_CHART_LABELS["overall"], lang), "go": text(_CHART_LABELS["go"], lang),
                   "floor": text(_CHART_LABELS["floor"], lang), "score": text(_CHART_LABELS["score"], lang)},
    }


_CHART_LABELS = {
    "overall": N_("All roles"),
    "go": N_("Go threshold"),
    "floor": N_("Floor"),
    "score": N_("Score"),
}

__all__ = ["AssessmentMeta", "ReportData", "build_report", "differs_from_recommendation", "format_day"]
