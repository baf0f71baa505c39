"""A delegation member's work: each assessment with its status, recommendation, decision,
ethics review and next step, read in a few queries for all the member's delegations at once."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select

from readiness.domain.journey import Situation, Step, next_step
from readiness.extensions import db
from readiness.models import Assessment, Decision, Proposal, Respondent, ResultSnapshot


@dataclass(frozen=True)
class AssessmentLine:
    assessment: Assessment
    recommendation: str | None
    decision: str | None
    proposal: Proposal | None  # the latest version
    invited: int
    answered: int
    step: Step


def assessment_lines(delegation_ids: Sequence[int]) -> dict[int, list[AssessmentLine]]:
    """:return: per delegation id, its assessments (newest first) with where each stands."""
    if not delegation_ids:
        return {}
    assessments = db.session.scalars(
        select(Assessment).where(Assessment.delegation_id.in_(delegation_ids))
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    ).all()
    ids = [a.id for a in assessments]
    recommendations = {aid: recommendation for aid, recommendation in db.session.execute(
        select(ResultSnapshot.assessment_id, ResultSnapshot.recommendation).where(ResultSnapshot.assessment_id.in_(ids))).all()}
    decisions = {aid: outcome.value for aid, outcome in db.session.execute(
        select(Decision.assessment_id, Decision.outcome).where(Decision.assessment_id.in_(ids))).all()}
    proposals: dict[int, Proposal] = {}
    for proposal in db.session.scalars(select(Proposal).where(Proposal.assessment_id.in_(ids)).order_by(Proposal.version)):
        proposals[proposal.assessment_id] = proposal  # the highest version wins
    counts = {aid: (invited, answered) for aid, invited, answered in db.session.execute(
        select(Respondent.assessment_id, func.count(),
               func.sum(case((Respondent.submitted_at.is_not(None), 1), else_=0)))
        .where(Respondent.assessment_id.in_(ids)).group_by(Respondent.assessment_id)).all()}
    lines: dict[int, list[AssessmentLine]] = {d: [] for d in delegation_ids}
    for a in assessments:
        invited, answered = counts.get(a.id, (0, 0))
        latest = proposals.get(a.id)
        situation = Situation(a.status.value, invited, decisions.get(a.id), latest.status.value if latest else None)
        lines[a.delegation_id].append(AssessmentLine(a, recommendations.get(a.id), decisions.get(a.id), latest,
                                                     invited, int(answered or 0), next_step(situation)))
    return lines
