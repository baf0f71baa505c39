"""Scores of each delegation's latest result, flags across the portfolio, one delegation's history."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from readiness.definitions import get_definitions
from readiness.domain.benchmark import SnapshotFacts, check_comparable, comparable_versions, declared_comparability
from readiness.domain.uncertainty import Rank, ranks_with_ties
from readiness.extensions import db
from readiness.models import Assessment, Decision, ResultSnapshot, SnapshotDimension, SnapshotFlag
from readiness.read.common import latest_results, versions_in_use, with_summaries
from readiness.read.filters import Filters

QUESTIONNAIRE = "readiness"


def declared() -> dict[str, list[str]]:
    """Version -> versions its definition file declares comparable, for the loaded questionnaire."""
    return declared_comparability(get_definitions().questionnaires.values(), QUESTIONNAIRE)


def comparison_versions(filters: Filters) -> list[str]:
    """The questionnaire versions a benchmark may put side by side.

    With versions chosen in the filters, exactly those (refused if they may not be compared);
    otherwise the latest loaded version and every version comparable with it.

    :raise NotComparable: the chosen versions may not be compared.
    """
    rules = declared()
    if filters.versions:
        check_comparable(filters.versions, rules)
        return list(filters.versions)
    anchor = get_definitions().latest_questionnaire(QUESTIONNAIRE).version
    return comparable_versions(anchor, set(rules) | set(versions_in_use()), rules)


@dataclass
class DelegationScores:
    delegation_id: int
    name: str
    region: str
    context_type: str
    assessment_id: int
    questionnaire_version: str
    recommendation: str
    overall_score: float | None
    dimensions: dict[str, float | None] = field(default_factory=dict)
    overall_interval: tuple[float, float] | None = None
    intervals: dict[str, tuple[float, float] | None] = field(default_factory=dict)


def latest_scores(filters: Filters, versions: Sequence[str]) -> list[DelegationScores]:
    """Each delegation's latest result on ``versions`` with its dimension scores; one query, one row per delegation."""
    latest = latest_results(filters, versions)
    rows = db.session.execute(
        select(
            latest.c.delegation_id, latest.c.name, latest.c.region, latest.c.context_type, latest.c.assessment_id,
            latest.c.questionnaire_version, latest.c.recommendation, latest.c.overall_score,
            latest.c.overall_low, latest.c.overall_high, latest.c.snapshot_id, latest.c.scores,
        ).order_by(latest.c.name)
    ).all()
    found = []
    for r, summary in zip(rows, with_summaries(rows, "scores")):
        scores = summary.scores
        found.append(DelegationScores(
            r[0], r[1], r[2], str(r[3].value), r[4], r[5], r[6], r[7],
            dimensions={dim: score for dim, score, _low, _high in scores},
            overall_interval=_pair(r[8], r[9]),
            intervals={dim: _pair(low, high) for dim, _score, low, high in scores},
        ))
    return found


def _pair(low: float | None, high: float | None) -> tuple[float, float] | None:
    return (low, high) if low is not None and high is not None else None


def overall_ranks(scores: Sequence[DelegationScores]) -> dict[int, Rank]:
    """Each delegation's rank by overall score, tied where the intervals overlap."""
    return ranks_with_ties(
        {s.delegation_id: s.overall_interval for s in scores}, {s.delegation_id: s.overall_score for s in scores}
    )


def sort_scores(scores: list[DelegationScores], order: str, descending: bool) -> list[DelegationScores]:
    """Rows by overall score or by name, either way; results without a score always last.

    :param order: ``"score"`` or ``"name"``.
    """
    if order == "name":
        return sorted(scores, key=lambda s: s.name.casefold(), reverse=descending)
    scored = sorted((s for s in scores if s.overall_score is not None), key=lambda s: s.name.casefold())
    scored.sort(key=lambda s: s.overall_score or 0.0, reverse=descending)  # stable: ties keep name order
    return scored + [s for s in scores if s.overall_score is None]


@dataclass(frozen=True)
class FlagCount:
    code: str
    kind: str
    severity: str
    dimension_id: str | None
    delegations: int


@dataclass(frozen=True)
class FlagOverview:
    """What the flags page shows of the delegations' latest results.

    ``total``: how many delegations; ``frequent``: the flags raised in most of them (the worst
    severity seen); ``by_role``: per delegation, dimension -> role -> score; ``flagged``: dimension ->
    delegations whose result raised a perception-gap flag on it.
    """

    total: int
    frequent: list[FlagCount]
    by_role: list[dict[str, dict[str, float] | None]]
    flagged: dict[str, int]


def flag_overview(filters: Filters, versions: Sequence[str], dimensions: Sequence[str], limit: int = 15) -> FlagOverview:
    """Flags and role scores of each delegation's latest result; one query, one row per delegation."""
    latest = latest_results(filters, versions)
    rows = db.session.execute(
        select(latest.c.snapshot_id, latest.c.role_scores, latest.c.flags).order_by(latest.c.delegation_id)
    ).all()
    summaries = with_summaries(rows, "role_scores", "flags")
    return FlagOverview(
        total=len(rows),
        frequent=count_flags([s.flags for s in summaries], limit),
        # Summaries hold role scores as numbers already (read/summaries.py).
        by_role=[{dim: s.role_scores.get(dim) for dim in dimensions} for s in summaries],
        flagged=dict(Counter(
            dim for s in summaries
            for dim in {flag[3] for flag in s.flags if flag[1] == "perception_gap" and flag[3] is not None}
        )),
    )


def count_flags(results: Iterable[Sequence[Sequence[Any]]], limit: int) -> list[FlagCount]:
    """The flags raised in most results, most first (then by code), each with the worst severity seen.

    :param results: per result, its flags as ``[code, kind, severity, dimension id]``; a flag counts
        once per result however often it is listed.
    """
    counts: Counter[tuple[Any, Any, Any]] = Counter()
    worst: dict[tuple[Any, Any, Any], Any] = {}
    for flags in results:
        found = {(code, kind, dimension_id): severity for code, kind, severity, dimension_id in flags}
        if len(found) < len(flags):  # a flag listed twice: keep its worst severity
            for code, kind, severity, dimension_id in flags:
                found[(code, kind, dimension_id)] = min(found[(code, kind, dimension_id)], severity)
        counts.update(found.keys())
        for key, severity in found.items():
            # The names sort from worst to mildest: "critical" < "major" < "minor".
            if key not in worst or severity < worst[key]:
                worst[key] = severity
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))[:limit]
    return [FlagCount(code, kind, worst[(code, kind, dim)], dim, n) for (code, kind, dim), n in ranked]


@dataclass
class HistoryPoint:
    assessment_id: int
    title: str
    status: str
    started: datetime
    closed: datetime | None
    decision: str | None
    facts: SnapshotFacts
    tool: str = ""


def delegation_history(delegation_id: int, latest: int | None = None) -> list[HistoryPoint]:
    """Every stored result of one delegation (or its ``latest`` few), oldest first; three queries."""
    query = (
        select(
            Assessment.id, Assessment.title, Assessment.status, Assessment.created_at, Assessment.closed_at,
            Decision.outcome, ResultSnapshot.id, ResultSnapshot.questionnaire_version, ResultSnapshot.recommendation,
            ResultSnapshot.overall_score, ResultSnapshot.coverage,
            ResultSnapshot.result[("recommendation", "conditions")], Assessment.tool_name,
        )
        .join(ResultSnapshot, ResultSnapshot.assessment_id == Assessment.id)
        .outerjoin(Decision, Decision.assessment_id == Assessment.id)
        .where(Assessment.delegation_id == delegation_id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    )
    rows = db.session.execute(query if latest is None else query.limit(latest)).all()[::-1]
    snapshot_ids = [r[6] for r in rows]
    dims = _grouped(
        select(SnapshotDimension.snapshot_id, SnapshotDimension.dimension_id, SnapshotDimension.score)
        .where(SnapshotDimension.snapshot_id.in_(snapshot_ids))
    )
    flags = _grouped(
        select(SnapshotFlag.snapshot_id, SnapshotFlag.code, SnapshotFlag.severity)
        .where(SnapshotFlag.snapshot_id.in_(snapshot_ids))
    )
    points = []
    for r, snapshot_id in zip(rows, snapshot_ids):
        facts = SnapshotFacts(
            assessment_id=r[0], questionnaire_version=r[7], recommendation=r[8], overall_score=r[9], coverage=r[10],
            dimensions=dict(dims.get(snapshot_id, [])), flags=frozenset(code for code, _ in flags.get(snapshot_id, [])),
            conditions=frozenset(r[11] or []),
        )
        points.append(HistoryPoint(r[0], r[1], r[2].value, r[3], r[4], r[5].value if r[5] else None, facts, r[12]))
    return points


def history_length(delegation_id: int) -> int:
    """How many stored results one delegation has; one COUNT."""
    return db.session.scalar(
        select(func.count()).select_from(ResultSnapshot).join(Assessment, Assessment.id == ResultSnapshot.assessment_id)
        .where(Assessment.delegation_id == delegation_id)
    ) or 0


def _grouped(query) -> dict[int, list[tuple[Any, Any]]]:
    grouped: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    for key, a, b in db.session.execute(query):
        grouped[key].append((a, b))
    return grouped


def snapshot_facts(assessment_ids: Iterable[int]) -> dict[int, SnapshotFacts]:
    """Stored results of a few chosen assessments (a comparison); three queries."""
    ids = list(assessment_ids)
    rows = db.session.execute(
        select(
            ResultSnapshot.assessment_id, ResultSnapshot.id, ResultSnapshot.questionnaire_version,
            ResultSnapshot.recommendation, ResultSnapshot.overall_score, ResultSnapshot.coverage,
            ResultSnapshot.result[("recommendation", "conditions")],
        ).where(ResultSnapshot.assessment_id.in_(ids))
    ).all()
    snapshot_ids = [r[1] for r in rows]
    dims = _grouped(
        select(SnapshotDimension.snapshot_id, SnapshotDimension.dimension_id, SnapshotDimension.score)
        .where(SnapshotDimension.snapshot_id.in_(snapshot_ids))
    )
    flags = _grouped(
        select(SnapshotFlag.snapshot_id, SnapshotFlag.code, SnapshotFlag.severity)
        .where(SnapshotFlag.snapshot_id.in_(snapshot_ids))
    )
    return {
        r[0]: SnapshotFacts(
            assessment_id=r[0], questionnaire_version=r[2], recommendation=r[3], overall_score=r[4], coverage=r[5],
            dimensions=dict(dims.get(r[1], [])), flags=frozenset(code for code, _ in flags.get(r[1], [])),
            conditions=frozenset(r[6] or []),
        )
        for r in rows
    }
