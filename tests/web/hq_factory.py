"""Build a headquarters portfolio straight into the database: results without running the engine.

Fast enough to make 30 delegations in a test, and precise: each result says exactly which
scores, flags and conditions it holds.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select

from readiness.extensions import db
from readiness.services.current_results import refresh_current_result
from readiness.models import (
    ActionItem,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    ContextType,
    Decision,
    Delegation,
    Outcome,
    ResultSnapshot,
    SnapshotDimension,
    SnapshotFlag,
)

DIMENSIONS = ("needs", "system", "ict", "staff", "organisation")
T0 = datetime(2024, 1, 15, tzinfo=timezone.utc)


def make_delegation(name: str, region: str = "West Africa", context: ContextType = ContextType.STABLE) -> Delegation:
    delegation = Delegation(name=name, country=name.split()[0], region=region, context_type=context)
    db.session.add(delegation)
    db.session.flush()
    return delegation


def make_result(
    delegation: Delegation,
    *,
    days: int = 0,
    version: str = "1.0",
    scores: dict[str, float] | None = None,
    flags: dict[str, str] | None = None,
    conditions: list[str] | None = None,
    recommendation: str = "go_with_conditions",
    status: AssessmentStatus = AssessmentStatus.CLOSED,
    decision: Outcome | None = None,
    by_role: dict[str, dict[str, float]] | None = None,
    title: str | None = None,
    intervals: dict[str, tuple[float, float]] | None = None,
) -> Assessment:
    """A closed (or decided) assessment with a stored result; ``days`` after 15 January 2024."""
    started = T0 + timedelta(days=days)
    assessment = Assessment(
        delegation=delegation, title=title or f"Assessment {started:%Y-%m}", tool_name="Primero",
        questionnaire_id="readiness", questionnaire_version=version, charter_id="ethics_charter", charter_version="1.0",
        status=status, created_at=started, closed_at=started + timedelta(days=20),
    )
    db.session.add(assessment)
    db.session.flush()
    scores = scores if scores is not None else {d: 60.0 for d in DIMENSIONS}
    intervals = intervals or {}
    overall_interval = intervals.get("overall", (None, None))
    overall = sum(scores.values()) / len(scores) if scores else None
    result: dict[str, Any] = {
        "recommendation": {"outcome": recommendation, "conditions": conditions or []},
        "dimensions": {d: {"by_role": (by_role or {}).get(d, {})} for d in scores},
    }
    snapshot = ResultSnapshot(
        assessment_id=assessment.id, computed_at=started, questionnaire_id="readiness", questionnaire_version=version,
        recommendation=recommendation, rule_id="conditions", overall_score=overall, coverage=0.9, result=result,
        overall_low=overall_interval[0], overall_high=overall_interval[1],
        dimensions=[
            SnapshotDimension(dimension_id=d, score=s, coverage=0.9, threshold=60,
                              interval_low=intervals.get(d, (None, None))[0], interval_high=intervals.get(d, (None, None))[1],
                              role_scores=(by_role or {}).get(d, {}))
            for d, s in scores.items()
        ],
        flags=[
            SnapshotFlag(code=code, kind=code.split(":")[0], severity=severity, dimension_id=_dimension(code))
            for code, severity in (flags or {}).items()
        ],
    )
    db.session.add(snapshot)
    if decision is not None:
        assessment.status = AssessmentStatus.DECIDED
        db.session.add(Decision(
            assessment_id=assessment.id, outcome=decision, decided_by_name="Mariam", rationale="Agreed.",
            recommendation_at_decision=recommendation,
        ))
    db.session.flush()
    refresh_current_result(delegation.id)  # what closing and deciding do in the services
    return assessment


def _dimension(code: str) -> str | None:
    subject = code.partition(":")[2]
    return subject if subject in DIMENSIONS else None


def make_action(assessment: Assessment, source: str, due: date, status: ActionStatus = ActionStatus.OPEN) -> ActionItem:
    item = ActionItem(assessment_id=assessment.id, source=source, title=f"Fix {source}", due_date=due, status=status)
    db.session.add(item)
    db.session.flush()
    return item


def make_portfolio(count: int, per_delegation: int = 2) -> list[Delegation]:
    """``count`` delegations with ``per_delegation`` results each, flags, decisions and actions."""
    contexts = list(ContextType)
    delegations = []
    existing = db.session.scalar(select(func.count()).select_from(Delegation)) or 0
    for n in range(existing, existing + count):
        delegation = make_delegation(f"Place{n:03d} office", ["West Africa", "Europe"][n % 2], contexts[n % 3])
        for k in range(per_delegation):
            assessment = make_result(
                delegation, days=100 * k + n,
                scores={d: float((n * 7 + k * 11 + i * 13) % 100) for i, d in enumerate(DIMENSIONS)},
                flags={"dimension_floor:ict": "critical", f"unknowns:{DIMENSIONS[n % 5]}": "minor"},
                conditions=["dimension_floor:ict"],
                by_role={"ict": {"manager": 80.0, "social_worker": 40.0 + n % 10}},
                decision=Outcome.GO_WITH_CONDITIONS if k % 2 else None,
            )
            make_action(assessment, "dimension_floor:ict", date(2024, 3, 1))
        delegations.append(delegation)
    db.session.commit()
    return delegations


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
