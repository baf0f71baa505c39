"""Read-side of the ethics review: what the proposal pages, the change view and the export show."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from readiness.domain.explain import describe_flag, text
from readiness.domain.policies import counts_as_review
from readiness.extensions import db
from readiness.models import AuditEntry, CharterAnswer, Proposal, ResultSnapshot
from readiness.services.results import definitions_for, stored_result


@dataclass(frozen=True)
class ResultSummary:
    outcome: str
    overall_score: float | None
    coverage: float
    dimensions: list[tuple[str, float | None]]
    flags: list[tuple[str, str]]  # (severity, message), most severe first


@dataclass(frozen=True)
class CharterRow:
    item_id: str
    theme: str
    level: str
    text: str
    guidance: str
    status: str  # the delegation's self-assessment, or "missing"
    comment: str


def result_summary(proposal: Proposal, lang: str) -> ResultSummary | None:
    """The frozen readiness result the proposal rests on, in ``lang``."""
    snapshot = db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == proposal.assessment_id))
    if snapshot is None:
        return None
    questionnaire, charter = definitions_for(proposal.assessment)
    result = stored_result(proposal.assessment, snapshot)
    labels = {d.id: text(d.label, lang) for d in questionnaire.dimensions}
    flags = result.flags  # already ranked by importance (readiness.domain.ranking)
    return ResultSummary(
        outcome=result.recommendation.outcome, overall_score=result.overall_score, coverage=result.overall_coverage,
        dimensions=[(labels.get(d.dimension, d.dimension), d.score) for d in result.dimensions.values()],
        flags=[(f.severity, describe_flag(f, questionnaire, charter, lang).message) for f in flags
               if f.severity in ("critical", "major")],
    )


def charter_rows(proposal: Proposal, lang: str) -> list[CharterRow]:
    """The charter, item by item, with the delegation's self-assessment."""
    _, charter = definitions_for(proposal.assessment)
    answers = {a.item_id: a for a in db.session.scalars(
        select(CharterAnswer).where(CharterAnswer.assessment_id == proposal.assessment_id))}
    themes = {theme.id: text(theme.label, lang) for theme in charter.themes}
    rows = []
    for item in charter.items:
        answer = answers.get(item.id)
        rows.append(CharterRow(item.id, themes.get(item.theme, item.theme), item.level.value, text(item.text, lang),
                               text(item.guidance, lang), answer.status.value if answer else "missing",
                               answer.comment if answer else ""))
    return rows


def comments_for_delegation(proposal: Proposal) -> list[tuple[str, str, str]]:
    """Reviewers' comments meant for the delegation, anonymous: (item id or "", mark, comment). Never committee-only text."""
    if proposal.decision is None:
        return []
    rows = []
    for assignment in proposal.assignments:
        if not counts_as_review(assignment):
            continue
        rows += [(row.item_id, row.mark.value, row.comment) for row in assignment.items if row.comment]
        if assignment.opinion_comment:
            rows.append(("", assignment.opinion.value if assignment.opinion else "", assignment.opinion_comment))
    return rows


def delegation_export(proposal: Proposal) -> dict[str, Any]:
    """The proposal as the delegation may read it: no committee-only comment, no conflict declaration."""
    decision = proposal.decision
    return {
        "proposal": {"id": proposal.id, "version": proposal.version, "previous_id": proposal.previous_id,
                     "status": proposal.status.value, "title": proposal.title, "summary": proposal.summary,
                     "submitted_at": proposal.submitted_at.isoformat(), "data_flows": proposal.data_flows,
                     "description": proposal.description, "changes_note": proposal.changes_note,
                     "attachments": [f.filename for f in proposal.attachments]},
        "screening": {"proposed_route": proposal.proposed_route.value, "route": proposal.route.value if proposal.route else None,
                      **proposal.screening},
        "decision": None if decision is None else {
            "outcome": decision.outcome.value, "rationale": decision.rationale, "decided_by": decision.decided_by_name,
            "decided_at": decision.decided_at.isoformat()},
        "conditions": [{"text": c.text, "owner": c.owner, "due_date": c.due_date.isoformat(),
                        "evidence_required": c.evidence_required, "status": c.status.value,
                        "evidence_note": c.evidence_note, "return_reason": c.return_reason,
                        "files": [f.filename for f in c.files]} for c in proposal.conditions],
        "reviewer_comments": [{"item": item, "mark": mark, "comment": comment}
                              for item, mark, comment in comments_for_delegation(proposal)],
    }


def trail(proposal: Proposal) -> list[AuditEntry]:
    """Every recorded step on the proposal's assessment that concerns the ethics review, oldest first."""
    prefixes = ("proposal.", "review.", "condition.", "incident.", "reminder.")
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.assessment_id == proposal.assessment_id).order_by(AuditEntry.at, AuditEntry.id)
    )
    return [e for e in entries if e.action.startswith(prefixes)]
