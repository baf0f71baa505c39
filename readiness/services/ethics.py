"""Ethics proposals: submission (and resubmission), screening, what changed, files, and the ethics status.

Reviewers and decisions are in ``ethics_review``; conditions in ``ethics_conditions``.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from readiness.definitions import get_definitions
from readiness.domain import proposals as workflow
from readiness.domain.collection import EvidenceProblem, check_evidence, display_filename
from readiness.domain.proposals import ConditionStatus, ProposalStatus, ProposalTransition
from readiness.domain.incidents import shown_status
from readiness.domain.review import Change, diff_versions
from readiness.domain.workflow import is_frozen
from readiness.domain.screening import (
    Automation,
    Category,
    DataFlows,
    LegalFramework,
    Recipient,
    RecipientKind,
    Route,
    Storage,
    Subject,
    facts_of,
    screen,
)
from readiness.extensions import db
from readiness.models import Assessment, CharterAnswer, Proposal, ProposalFile, ResultSnapshot, User, utcnow
from readiness.services import audit
from readiness.services.ethics_continuing import policy
from readiness.storage import evidence_store
from readiness.services.locking import check_version, lock

# The free-text part of a proposal, in the order the form and the pages show it.
DESCRIPTION_FIELDS = ("purpose", "data_detail", "access", "sharing", "consent", "safeguards")


class ProposalRefused(ValueError):
    """The proposal cannot be submitted or changed now; the message says why, for the person acting."""


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def flows_from_json(data: dict[str, Any]) -> DataFlows:
    """Rebuild the structured description stored as JSON."""
    return DataFlows(
        subjects=frozenset(Subject(s) for s in data.get("subjects", [])),
        categories=frozenset(Category(c) for c in data.get("categories", [])),
        storage=Storage(data["storage"]),
        recipients=tuple(Recipient(r["name"], RecipientKind(r["kind"]), r.get("data", "")) for r in data.get("recipients", [])),
        retention_years=data.get("retention_years"),
        automation=Automation(data.get("automation", "none")),
        new_technology=bool(data.get("new_technology")),
        legal_framework=LegalFramework(data.get("legal_framework", "strong")),
        cases_per_year=data.get("cases_per_year"),
        links_other_systems=bool(data.get("links_other_systems")),
    )


def latest_proposal(assessment_id: int) -> Proposal | None:
    return db.session.scalars(
        select(Proposal).where(Proposal.assessment_id == assessment_id).order_by(Proposal.version.desc()).limit(1)
    ).first()


def versions_of(proposal: Proposal) -> list[Proposal]:
    """:return: every version submitted for the proposal's assessment, oldest first."""
    return list(db.session.scalars(
        select(Proposal).where(Proposal.assessment_id == proposal.assessment_id).order_by(Proposal.version)
    ))


def check_uploads(uploads: list[Upload]) -> list[tuple[Upload, Any]]:
    """Check every file before any is written, so a bad file leaves nothing half-saved.

    :raise ProposalRefused: naming the first refused file.
    """
    checked = []
    for upload in uploads:
        check = check_evidence(upload.filename, upload.data)
        if check.problem is not None:
            raise ProposalRefused(file_problem(upload.filename, check.problem))
        checked.append((upload, check))
    return checked


def file_problem(filename: str, problem: EvidenceProblem) -> str:
    name = display_filename(filename)
    messages = {
        EvidenceProblem.EMPTY: _("%(name)s is empty.", name=name),
        EvidenceProblem.TOO_LARGE: _("%(name)s is larger than 5 MB.", name=name),
        EvidenceProblem.EXTENSION: _("%(name)s: only PDF, PNG, JPG, DOCX, XLSX or ODT files are accepted.", name=name),
        EvidenceProblem.CONTENT: _("%(name)s does not contain what its extension says.", name=name),
        EvidenceProblem.ARCHIVE: _("%(name)s expands to far more than any real document (over 200 MB or 20,000 parts).", name=name),
    }
    return messages[problem]


def store_files(actor: User, proposal: Proposal, checked: list[tuple[Upload, Any]], condition_id: int | None = None) -> list[ProposalFile]:
    """Write checked files under random keys; the uploader's name is kept only as a label."""
    stored = []
    for upload, check in checked:
        key = f"{secrets.token_hex(16)}.{check.kind}"
        evidence_store().save(key, upload.data)
        row = ProposalFile(proposal_id=proposal.id, condition_id=condition_id, filename=display_filename(upload.filename),
                           content_type=check.content_type or "", size=len(upload.data), storage_key=key,
                           uploaded_by_id=actor.id)
        db.session.add(row)
        stored.append(row)
    db.session.flush()
    return stored


def submit_proposal(
    actor: User, assessment: Assessment, *, title: str, summary: str, flows: dict[str, Any],
    description: dict[str, str], uploads: list[Upload], changes_note: str = "",
) -> Proposal:
    """Submit the assessment to the ethics committee, or resubmit it after "revise and resubmit".

    :raise ProposalRefused: the assessment is not closed, or a proposal is already under way
        (a double submit waits for the first one, then is refused here).
    """
    lock(assessment)
    snapshot = _snapshot(assessment)
    previous = latest_proposal(assessment.id)
    if previous is not None and previous.status is not ProposalStatus.REVISE:
        raise ProposalRefused(_("A proposal for this assessment is already with the committee."))
    checked = check_uploads(uploads)
    proposal = Proposal(
        assessment_id=assessment.id, delegation_id=assessment.delegation_id, title=title.strip(),
        summary=summary.strip(), data_flows=flows, description={k: description.get(k, "").strip() for k in DESCRIPTION_FIELDS},
        changes_note=changes_note.strip(), submitted_by_id=actor.id,
        version=previous.version + 1 if previous else 1, previous_id=previous.id if previous else None,
    )
    proposal.content = content_of(proposal, snapshot, _charter_answers(assessment.id))
    _apply_screening(proposal, snapshot)
    if previous is not None:
        previous.status = workflow.advance(previous.status, ProposalTransition.SUPERSEDE)
        audit.record(actor, "proposal.supersede", previous, assessment_id=assessment.id,
                     after={"status": previous.status.value})
    db.session.add(proposal)
    db.session.flush()
    store_files(actor, proposal, checked)
    audit.record(actor, "proposal.submit", proposal, assessment_id=assessment.id,
                 after={"version": proposal.version, "proposed_route": proposal.proposed_route.value,
                        "attachments": [u.filename for u, _ in checked]})
    return proposal


def _snapshot(assessment: Assessment) -> ResultSnapshot:
    snapshot = db.session.scalars(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id)).first()
    if not is_frozen(assessment.status) or snapshot is None:
        raise ProposalRefused(_("Close the assessment first: the committee reviews a frozen result."))
    return snapshot


def _charter_answers(assessment_id: int) -> dict[str, str]:
    rows = db.session.scalars(select(CharterAnswer).where(CharterAnswer.assessment_id == assessment_id))
    return {row.item_id: row.status.value for row in rows}


def content_of(proposal: Proposal, snapshot: ResultSnapshot, charter: dict[str, str]) -> dict[str, dict[str, Any]]:
    """What the proposal says, section by section, as compared between versions."""
    items = snapshot.result.get("items", {})
    answers = {item_id: (None if r.get("score") is None else round(r["score"], 2)) for item_id, r in items.items()}
    flows = proposal.data_flows
    text = {
        "title": proposal.title, "summary": proposal.summary, **proposal.description,
        "subjects": ", ".join(sorted(flows.get("subjects", []))),
        "categories": ", ".join(sorted(flows.get("categories", []))),
        "storage": flows.get("storage"), "retention_years": flows.get("retention_years"),
        "automation": flows.get("automation"), "new_technology": flows.get("new_technology"),
        "legal_framework": flows.get("legal_framework"), "cases_per_year": flows.get("cases_per_year"),
        "links_other_systems": flows.get("links_other_systems"),
        "recipients": "; ".join(f"{r['name']} ({r['kind']}): {r.get('data', '')}" for r in flows.get("recipients", [])),
    }
    return {"answers": answers, "charter": charter, "description": text}


def _apply_screening(proposal: Proposal, snapshot: ResultSnapshot) -> None:
    policy = get_definitions().latest_screening()
    blocking_unmet = bool((snapshot.result.get("charter") or {}).get("blocking_unmet"))
    facts = facts_of(flows_from_json(proposal.data_flows), blocking_charter_unmet=blocking_unmet,
                     large_scale_cases=policy.large_scale_cases)
    result = screen(policy, facts)
    proposal.proposed_route = result.proposed_route
    proposal.screening = {
        "policy": f"{policy.id} {policy.version}",
        "reasons": [{"trigger": r.trigger_id, "route": r.route.value, "text": r.text, "source": r.source,
                     "dpia_criterion": r.dpia_criterion} for r in result.reasons],
        "dpia_criteria": result.dpia_criteria, "dpia_required": result.dpia_required,
    }


def record_screening(actor: User, proposal: Proposal, route: Route, note: str, *, version: int | None = None) -> None:
    """The chair decides the route; a route other than the proposed one needs a reason.

    :param version: the proposal's ``version_id`` the chair saw; ``None`` skips the check.
    :raise EditConflict: the proposal changed since it was shown.
    :raise ProposalRefused: no reason for departing from the proposed route.
    :raise ProposalTransitionNotAllowed: the proposal was already screened.
    """
    lock(proposal)
    check_version(proposal, version)
    if route is not proposal.proposed_route and not note.strip():
        raise ProposalRefused(_("Say why you choose another route than the one the screening proposes."))
    proposal.status = workflow.advance(proposal.status, ProposalTransition.SCREEN)
    proposal.route, proposal.screening_note = route, note.strip()
    proposal.screened_by_id, proposal.screened_at = actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "proposal.screen", proposal, assessment_id=proposal.assessment_id,
                 after={"route": route.value, "proposed_route": proposal.proposed_route.value, "note": proposal.screening_note})


def changes_since_previous(proposal: Proposal) -> list[Change]:
    """:return: what changed from the previous version (empty for a first version)."""
    if proposal.previous is None:
        return []
    return diff_versions(proposal.previous.content, proposal.content)


@dataclass(frozen=True)
class EthicsStatus:
    """What the assessment's report says about its ethics review."""

    proposal_id: int
    version: int
    status: ProposalStatus
    outcome: str | None
    conditions: int
    verified: int
    overdue: int
    shown: str = ""  # incidents.shown_status: the stored status, or "review due" / "review reopened" by date
    review_due: date | None = None
    reason: str = ""

    @property
    def may_go_live(self) -> bool:
        return self.status in workflow.GO_LIVE


def ethics_status_for(assessment_id: int, today: date | None = None) -> EthicsStatus | None:
    """:return: the ethics status of the assessment's latest proposal, or None when none was submitted."""
    proposal = latest_proposal(assessment_id)
    if proposal is None:
        return None
    today = today or utcnow().date()
    statuses = [(c.status, c.due_date) for c in proposal.conditions]
    return EthicsStatus(
        proposal_id=proposal.id, version=proposal.version, status=proposal.status,
        outcome=proposal.decision.outcome.value if proposal.decision else None,
        conditions=len(statuses), verified=sum(1 for s, _ in statuses if s is ConditionStatus.VERIFIED),
        overdue=sum(1 for s, d in statuses if workflow.is_overdue(s, d, today)),
        shown=shown_status_of(proposal, today), review_due=proposal.review_due, reason=proposal.status_reason,
    )


def shown_status_of(proposal: Proposal, today: date | None = None) -> str:
    """The proposal's status as people see it, with the continuing review's date taken into account."""
    return shown_status(proposal.status, proposal.review_due, today or utcnow().date(), policy().notice_days)


def proposals_by_status() -> list[Proposal]:
    """Every current (not superseded) proposal, newest first: the committee's list."""
    return list(db.session.scalars(
        select(Proposal).where(Proposal.status != ProposalStatus.SUPERSEDED).order_by(Proposal.submitted_at.desc())
    ))


def count_open_proposals() -> int:
    open_states = [ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW]
    return db.session.scalar(select(func.count()).select_from(Proposal).where(Proposal.status.in_(open_states))) or 0
