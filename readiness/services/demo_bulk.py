"""Demo assessments written in bulk: a realistic history per delegation, scored by the real engine.

Rows go in with multi-row INSERTs (``insert(...).returning(...)`` where ids are needed), and
results are computed from the answers held in memory rather than read back, so thousands of
assessments load in minutes. The audit trail matches what the services would have written.
"""
from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import insert

from readiness.definitions import get_definitions
from readiness.domain.anonymity import heard_counts, protect_result
from readiness.domain.answers import DONT_KNOW, NOT_APPLICABLE
from readiness.domain.answers import Respondent as EngineRespondent
from readiness.domain.engine import score_assessment
from readiness.domain.explain import describe_flag
from readiness.domain.result import Result, result_to_json
from readiness.domain.uncertainty import OVERALL, Interval, bootstrap_intervals
from readiness.extensions import db
from readiness.models import (
    ActionItem,
    Answer,
    Assessment,
    AuditEntry,
    CharterAnswer,
    CharterStatus,
    ContextType,
    Decision,
    Delegation,
    MeasuredInput,
    Respondent,
    ResultSnapshot,
    SnapshotDimension,
    SnapshotFlag,
    User,
)
from readiness.models.types import utcnow
from readiness.questionnaire.schema import Charter, Item, ItemType, Questionnaire
from readiness.services.audit import actor_label

BATCH = 250
DEMO_REPLICATES = 20  # fewer than at a real close: thousands of assessments load in minutes
TOOLS = ["Primero / CPIMS+", "CommCare case management app", "Excel-based case tracker", "Tdh-built mobile CM app"]
# Profiles: mean level per dimension, how far managers see things more brightly than social workers.
PROFILES = {
    "strong": ({"needs": 3.4, "system": 3.5, "ict": 3.2, "staff": 3.3, "organisation": 3.4}, 0.2),
    "partial": ({"needs": 3.0, "system": 2.6, "ict": 2.0, "staff": 2.5, "organisation": 2.4}, 0.4),
    "weak": ({"needs": 2.2, "system": 1.2, "ict": 1.3, "staff": 1.6, "organisation": 1.5}, 0.3),
    "optimistic": ({"needs": 2.6, "system": 2.6, "ict": 2.4, "staff": 2.4, "organisation": 2.6}, 1.6),
}
COMMENTS = [
    "Power cuts most afternoons in the sub-office.",
    "We still rely on paper forms during home visits.",
    "Supervision happens, but not every week.",
    "Les coupures d'électricité sont fréquentes l'après-midi.",
]
# The stage of a delegation's latest assessment; earlier ones are closed or decided.
LATEST_STAGES = [("draft", 0.1), ("collecting", 0.15), ("closed", 0.4), ("decided", 0.35)]
DECISIONS = {"go": "go", "go_with_conditions": "go_with_conditions", "no_go": "no_go", "insufficient_evidence": "deferred"}


@dataclass
class Plan:
    delegation: Delegation
    number: int  # 0 = the delegation's first assessment
    stage: str
    profile: str
    progress: float  # 0-1: how far along its improvement the delegation is
    created: datetime
    closed: datetime
    decided: datetime


def plan_assessments(rng: random.Random, places: list[Delegation], total: int) -> list[Plan]:
    """Share ``total`` assessments among delegations and date them over the past years."""
    now = utcnow()
    counts = [total // len(places) + (1 if i < total % len(places) else 0) for i in range(len(places))] if places else []
    plans = []
    for place, count in zip(places, counts):
        profile = rng.choice(list(PROFILES))
        if place.context_type is ContextType.ACUTE_EMERGENCY and rng.random() < 0.5:
            profile = "weak"
        span = min(6 * 365, 60 + count * 75)
        step = span / max(count, 1)
        for number in range(count):
            latest = number == count - 1
            stage = _weighted(rng, LATEST_STAGES) if latest else ("decided" if rng.random() < 0.6 else "closed")
            created = now - timedelta(days=span - number * step + rng.uniform(0, step / 3) + (0 if latest else 45))
            closed = created + timedelta(days=rng.randint(20, 40))
            decided = closed + timedelta(days=rng.randint(5, 15))
            plans.append(Plan(place, number, stage, profile, number / max(count - 1, 1), created, closed, decided))
    return plans


def _weighted(rng: random.Random, choices: list[tuple[str, float]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def write_assessments(rng: random.Random, plans: list[Plan], owner: User) -> None:
    """Insert one batch of planned assessments with everything they hold."""
    definitions = get_definitions()
    q = definitions.latest_questionnaire("readiness")
    charter = definitions.latest_charter()
    ids = _insert_assessments(rng, plans, q, charter, owner)
    audit: list[dict[str, Any]] = []
    snapshots: list[tuple[int, Plan, Result, dict[str, Interval | None]]] = []
    respondent_rows, answers_of = [], []
    measured, charter_rows = [], []
    for assessment_id, plan in zip(ids, plans):
        audit.append(_audit(owner, "assessment.create", "Assessment", assessment_id, plan.created, after={"status": "draft"}))
        if plan.stage == "draft":
            continue
        audit.append(_move(owner, "open", assessment_id, plan.created + timedelta(days=2), "draft", "collecting"))
        people = _people(rng, q, plan)
        figures = _figures(rng, plan)
        statuses = _charter(rng, charter, plan)
        for role, name, answers in people:
            respondent_rows.append(_respondent_row(assessment_id, role, name, plan))
            answers_of.append(answers)
        measured += [{"assessment_id": assessment_id, "input_id": k, "value": float(v), "unknown": False, "comment": "", "version_id": 1} for k, v in figures.items()]
        charter_rows += [{"assessment_id": assessment_id, "item_id": k, "status": v, "comment": "", "version_id": 1} for k, v in statuses.items()]
        if plan.stage in ("closed", "decided"):
            engine_people = [EngineRespondent(str(i), role, {k: v for k, v in a.items() if v is not None}) for i, (role, _, a) in enumerate(people)]
            result = score_assessment(q, engine_people, figures, {k: v.value for k, v in statuses.items()}, charter)
            result = protect_result(result, q, heard_counts(engine_people))
            intervals = bootstrap_intervals(q, engine_people, replicates=DEMO_REPLICATES, seed=assessment_id)
            snapshots.append((assessment_id, plan, result, intervals))
    respondent_ids = _returning(Respondent, respondent_rows)
    _bulk(Answer, [
        _answer_row(respondent_id, q, item_id, value)
        for respondent_id, answers in zip(respondent_ids, answers_of)
        for item_id, value in answers.items()
    ])
    _bulk(MeasuredInput, measured)
    _bulk(CharterAnswer, charter_rows)
    _store_results(rng, snapshots, q, charter, owner, audit)
    _bulk(AuditEntry, audit)


def _insert_assessments(rng: random.Random, plans: list[Plan], q: Questionnaire, charter: Charter, owner: User) -> list[int]:
    rows = []
    for plan in plans:
        tool = rng.choice(TOOLS)
        stage = plan.stage
        rows.append({
            "delegation_id": plan.delegation.id,
            "title": f"{tool.split(' ')[0]} readiness {plan.created.year}",
            "tool_name": tool,
            "scope": "Case management for children at risk, from identification to case closure.",
            "target_go_live": (plan.created + timedelta(days=rng.randint(120, 300))).date(),
            "questionnaire_id": q.id, "questionnaire_version": q.version,
            "charter_id": charter.id, "charter_version": charter.version,
            "status": stage, "created_by_id": owner.id, "created_at": plan.created, "updated_at": plan.created,
            "collecting_at": plan.created + timedelta(days=2) if stage != "draft" else None,
            "closed_at": plan.closed if stage in ("closed", "decided") else None,
            "decided_at": plan.decided if stage == "decided" else None,
            "version_id": 1,
        })
    return _returning(Assessment, rows)


def _returning(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    return list(db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def _bulk(model: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        # Core executemany: the ORM's bulk path would run one statement per row for versioned models.
        db.session.execute(model.__table__.insert(), rows)


def _levels(plan: Plan) -> tuple[dict[str, float], float]:
    means, optimism = PROFILES[plan.profile]
    # Delegations improve between assessments, more where they started low.
    lift = plan.progress * 0.9
    return {dim: min(3.8, mean + lift * (4 - mean) / 2.5) for dim, mean in means.items()}, optimism


def _people(rng: random.Random, q: Questionnaire, plan: Plan) -> list[tuple[str, str | None, dict[str, Any]]]:
    means, optimism = _levels(plan)
    counts = {"manager": 1, "social_worker": rng.randint(2, 4), "supervisor": 1, "it_admin": 1, "partner": rng.randint(0, 1)}
    people = []
    for role in q.roles:
        items = q.items_for_role(role.id)
        shift = optimism / 2 if role.id == "manager" else -optimism / 2 if role.id == "social_worker" else 0
        for number in range(counts.get(role.id, 1)):
            anonymous = role.anonymous and rng.random() < 0.5
            name = None if anonymous else f"{role.id.replace('_', ' ').title()} {number + 1}"
            answers = {item.id: _value(rng, item, means.get(item.dimension, 2.5) + shift) for item in items}
            people.append((role.id, name, answers))
    return people


def _value(rng: random.Random, item: Item, mean: float) -> Any:
    roll = rng.random()
    if item.type is ItemType.TEXT:
        return rng.choice(COMMENTS) if roll < 0.5 else None
    if roll < 0.04:
        return DONT_KNOW
    if roll < 0.06 and not item.critical:
        return NOT_APPLICABLE
    level = max(0, min(4, round(rng.gauss(mean, 0.7))))
    if item.type is ItemType.YES_NO:
        return "yes" if level >= 3 else "partly" if level == 2 else "no"
    if item.type is ItemType.NUMBER:
        return rng.randint(0, 40)
    return level


def _respondent_row(assessment_id: int, role: str, name: str | None, plan: Plan) -> dict[str, Any]:
    sent = plan.created + timedelta(days=2)
    return {
        "assessment_id": assessment_id, "role": role, "name": name,
        # Random, never derived from the seed: a guessable token would open the answer pages.
        "token_hash": hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        "token_expires_at": sent + timedelta(days=30), "created_at": sent,
        "submitted_at": sent + timedelta(days=5) if plan.stage != "collecting" else None,
    }


def _answer_row(respondent_id: int, q: Questionnaire, item_id: str, value: Any) -> dict[str, Any]:
    special = value if value in (DONT_KNOW, NOT_APPLICABLE) else None
    return {
        "respondent_id": respondent_id, "item_id": item_id, "questionnaire_id": q.id,
        "questionnaire_version": q.version, "value": None if special else value, "special": special,
        "comment": "", "version_id": 1,
    }


def _figures(rng: random.Random, plan: Plan) -> dict[str, float]:
    workers = rng.randint(6, 40)
    strong = plan.profile == "strong" or plan.progress > 0.8
    return {
        "social_workers_fte": workers,
        "open_cases": workers * (rng.randint(10, 16) if strong else rng.randint(14, 40)),
        "supervisors_fte": max(1, workers // (rng.randint(4, 6) if strong else rng.randint(6, 14))),
        "staff_trained_cm": round(workers * (rng.uniform(0.75, 1) if strong else rng.uniform(0.2, 0.8))),
        "devices_available": round(workers * (rng.uniform(0.9, 1.2) if strong else rng.uniform(0.2, 0.9))),
        "power_hours": rng.randint(8, 12) if strong else rng.randint(2, 10),
        "field_sites_connected_pct": rng.randint(70, 100) if strong else rng.randint(10, 70),
    }


def _charter(rng: random.Random, charter: Charter, plan: Plan) -> dict[str, CharterStatus]:
    quality = _levels(plan)[0]["system"]
    return {
        item.id: CharterStatus.MET if rng.random() < quality / 4 + 0.1 else rng.choice(list(CharterStatus))
        for item in charter.items
    }


def _store_results(
    rng: random.Random, scored: list[tuple[int, Plan, Result, dict[str, tuple[float, float] | None]]], q: Questionnaire, charter: Charter, owner: User,
    audit: list[dict[str, Any]],
) -> None:
    rows = [_snapshot_row(assessment_id, plan, result, intervals) for assessment_id, plan, result, intervals in scored]
    snapshot_ids = _returning(ResultSnapshot, rows)
    dims, flags, decisions, actions = [], [], [], []
    for snapshot_id, (assessment_id, plan, result, intervals), row in zip(snapshot_ids, scored, rows):
        closed = row["computed_at"]
        audit.append(_move(owner, "close", assessment_id, closed, "collecting", "closed"))
        audit.append(_audit(owner, "result.snapshot", "ResultSnapshot", snapshot_id, closed, assessment_id,
                            after={"recommendation": result.recommendation.outcome, "rule": result.recommendation.rule_id}))
        dims += [{"snapshot_id": snapshot_id, "dimension_id": d.dimension, "score": d.score, "coverage": d.coverage or 0.0,
                  "threshold": d.go, "interval_low": _end(intervals, d.dimension, 0),
                  "interval_high": _end(intervals, d.dimension, 1), "role_scores": dict(d.by_role)}
                 for d in result.dimensions.values()]
        flags += [{"snapshot_id": snapshot_id, "code": f.code, "kind": f.kind, "severity": f.severity,
                   "dimension_id": f.dimension} for f in result.flags]
        actions += _actions(rng, assessment_id, plan, result, q, charter, closed)
        if plan.stage == "decided":
            decisions.append(_decision(rng, assessment_id, result, owner, plan.decided))
            audit.append(_move(owner, "decide", assessment_id, plan.decided, "closed", "decided"))
    _bulk(SnapshotDimension, dims)
    _bulk(SnapshotFlag, flags)
    _bulk(Decision, decisions)
    _bulk(ActionItem, actions)


def _end(intervals: dict[str, Interval | None], key: str, end: int) -> float | None:
    interval = intervals.get(key)
    return interval[end] if interval else None


def _snapshot_row(assessment_id: int, plan: Plan, result: Result, intervals: dict[str, Interval | None]) -> dict[str, Any]:
    return {
        "overall_low": _end(intervals, OVERALL, 0), "overall_high": _end(intervals, OVERALL, 1),
        "assessment_id": assessment_id, "computed_at": plan.closed,
        "questionnaire_id": result.questionnaire_id, "questionnaire_version": result.questionnaire_version,
        "recommendation": result.recommendation.outcome, "rule_id": result.recommendation.rule_id,
        "overall_score": result.overall_score, "coverage": result.overall_coverage, "result": result_to_json(result),
    }


def _decision(rng: random.Random, assessment_id: int, result: Result, owner: User, at: datetime) -> dict[str, Any]:
    recommended = result.recommendation.outcome
    override = rng.random() < 0.1
    outcome = "deferred" if override else DECISIONS[recommended]
    return {
        "assessment_id": assessment_id, "outcome": outcome, "decided_by_name": owner.name, "decided_by_id": owner.id,
        "rationale": "Reviewed with the country team and the regional adviser.",
        "conditions": "Resolve the flags listed in the action plan before go-live." if outcome == "go_with_conditions" else "",
        "recommendation_at_decision": recommended,
        "override_reason": "Waiting for the national data-protection law to pass." if override else None,
        "decided_at": at,
    }


def _actions(
    rng: random.Random, assessment_id: int, plan: Plan, result: Result, q: Questionnaire, charter: Charter, closed: datetime
) -> list[dict[str, Any]]:
    rows = []
    for flag in [f for f in result.flags if f.severity in ("critical", "major")][:4]:
        due = (closed + timedelta(days=rng.randint(30, 150))).date()
        # Older plans are mostly finished; recent ones are open, some past their due date.
        status = rng.choice(["done", "done", "done", "dropped"]) if plan.progress < 0.9 else rng.choice(["open", "in_progress", "done"])
        rows.append({
            "assessment_id": assessment_id, "source": flag.code,
            "title": describe_flag(flag, q, charter, "en").message[:300], "owner": "Programme manager",
            "due_date": due, "status": status, "created_at": closed, "updated_at": closed, "version_id": 1,
        })
    return rows


def _move(owner: User, transition: str, assessment_id: int, at: datetime, before: str, after: str) -> dict[str, Any]:
    return _audit(owner, f"assessment.{transition}", "Assessment", assessment_id, at, assessment_id,
                  before={"status": before}, after={"status": after})


def _audit(
    owner: User, action: str, target_type: str, target_id: int, at: datetime, assessment_id: int | None = None,
    before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "at": min(at, utcnow()).astimezone(timezone.utc), "actor_id": owner.id, "actor_label": actor_label(owner),
        "action": action, "target_type": target_type, "target_id": str(target_id),
        "assessment_id": assessment_id if assessment_id is not None else target_id, "before": before, "after": after,
    }
