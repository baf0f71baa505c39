"""Demonstration data for the ethics review after approval: approvals with their continuing review,
incidents on a likelihood × severity map, a reopened and suspended approval, evidence waiting for the
chair, and a reviewer's unfinished draft, so ``make run`` shows every state.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from readiness.domain.incidents import IncidentKind, review_due_date
from readiness.domain.review import Mark, Opinion
from readiness.domain.screening import Route
from readiness.extensions import db
from readiness.models import Assessment, AssessmentStatus, Role, User, utcnow
from readiness.services import ethics, ethics_conditions, ethics_continuing, ethics_review
from readiness.services.ethics_continuing import IncidentInput
from readiness.services.ethics_review import ConditionInput, ItemMark

FLOWS = {"subjects": ["caregivers", "children"], "categories": ["case_notes", "identity"], "storage": "cloud_in_country",
         "recipients": [{"name": "Partner clinic", "kind": "partner_ngo", "data": "referrals"}], "retention_years": 5.0,
         "automation": "reminders_only", "new_technology": False, "legal_framework": "weak", "cases_per_year": 400,
         "links_other_systems": False}
DESCRIPTION = {"purpose": "Reminders and follow-up visits for social workers.", "data_detail": "Case notes and family composition.",
               "access": "Case workers and their supervisor only.", "sharing": "Referrals to the clinic, with consent.",
               "consent": "Families are told in their language and sign; children give assent.",
               "safeguards": "Encrypted phones with a PIN; records deleted five years after closure."}


def load_ethics_demo(users: list[User]) -> int:
    """Add proposals in their after-approval states to the first closed assessments.

    :return: how many proposals were added.
    """
    by_role = {u.role: u for u in users}
    member = next(u for u in users if u.role is Role.MEMBER and u.delegations)
    chair, reviewer = by_role[Role.CHAIR], by_role[Role.COMMITTEE]
    candidates = [a for a in db.session.scalars(
        select(Assessment).where(Assessment.status.in_([AssessmentStatus.CLOSED, AssessmentStatus.DECIDED]),
                                 Assessment.delegation_id.in_([d.id for d in member.delegations]))
        .order_by(Assessment.id))]
    builders = (_followed_with_incidents, _suspended_after_incident, _draft_in_review)
    done = 0
    for assessment, build in zip(_one_per_delegation(candidates), builders):
        build(assessment, member, chair, reviewer)
        done += 1
    db.session.flush()
    return done


def _one_per_delegation(assessments: list[Assessment]) -> list[Assessment]:
    seen: dict[int, Assessment] = {}
    for assessment in assessments:
        seen[assessment.delegation_id] = assessment  # the latest closed one
    return list(seen.values())


def _submitted(assessment: Assessment, member: User, chair: User, title: str):  # noqa: ANN202
    proposal = ethics.submit_proposal(member, assessment, title=title, summary=f"{assessment.tool_name} for {assessment.delegation.name}.",
                                      flows=FLOWS, description=DESCRIPTION, uploads=[])
    ethics.record_screening(chair, proposal, Route.EXPEDITED,
                            "" if proposal.proposed_route is Route.EXPEDITED else "Demo: one reviewer is enough here.")
    return proposal


def _approved(assessment: Assessment, member: User, chair: User, reviewer: User, title: str, days_ago: int,
              conditions: list[ConditionInput]):  # noqa: ANN202
    proposal = _submitted(assessment, member, chair, title)
    assignment = ethics_review.assign_reviewer(chair, proposal, reviewer)
    ethics_review.declare_conflicts(reviewer, assignment, False, "")
    marks = {item.id: ItemMark(Mark.ACCEPTABLE) for item in ethics_review.charter_of(proposal).items}
    outcome = Opinion.APPROVE_WITH_CONDITIONS if conditions else Opinion.APPROVE
    ethics_review.save_review(reviewer, assignment, marks, opinion=outcome, opinion_comment="Sound and proportionate.",
                              committee_comment="")
    decision = ethics_review.record_committee_decision(chair, proposal, outcome, "The tool serves daily casework.", conditions)
    # The approval was given ``days_ago``: its continuing review falls due one interval after that.
    decision.decided_at -= timedelta(days=days_ago)
    proposal.review_due = review_due_date(decision.decided_at.date(), proposal.review_interval_months or 12)
    return proposal


def _followed_with_incidents(assessment: Assessment, member: User, chair: User, reviewer: User) -> None:
    today = utcnow().date()
    proposal = _approved(assessment, member, chair, reviewer, "Case management on phones", 345,
                         [ConditionInput("Sign the data-sharing agreement with the clinic", "Country director",
                                         today + timedelta(days=20), "The signed agreement")])
    ethics_conditions.submit_evidence(member, proposal.conditions[0], "Signed by both directors.", [])
    for kind, likelihood, severity, text, days in (
        (IncidentKind.LOST_DEVICE, 3, 2, "A tablet was left in a taxi; it was encrypted and wiped remotely.", 120),
        (IncidentKind.COMPLAINT, 2, 3, "A mother asked why the visit notes mention her neighbour.", 40),
    ):
        ethics_continuing.log_incident(member, proposal, IncidentInput("information_in_plain_language", kind, likelihood,
                                                                      severity, text, today - timedelta(days=days)))


def _suspended_after_incident(assessment: Assessment, member: User, chair: User, reviewer: User) -> None:
    today = utcnow().date()
    proposal = _approved(assessment, member, chair, reviewer, "Shared case records with the clinic", 200, [])
    ethics_continuing.log_incident(member, proposal, IncidentInput(
        "referral_consent_or_justified_override", IncidentKind.DATA_REQUESTED, 3, 4,
        "Local authorities asked for the list of children in care at the checkpoint.", today - timedelta(days=6)))
    ethics_continuing.change_approval(chair, proposal, "suspend",
                                      "Suspended until a written procedure for data requests is in place and staff trained.")


def _draft_in_review(assessment: Assessment, member: User, chair: User, reviewer: User) -> None:
    proposal = _submitted(assessment, member, chair, "Automated reminders for follow-up visits")
    assignment = ethics_review.assign_reviewer(chair, proposal, reviewer)
    ethics_review.declare_conflicts(reviewer, assignment, False, "")
    first = ethics_review.charter_of(proposal).items[0].id
    ethics_review.save_review_draft(reviewer, assignment, {f"mark_{first}": Mark.NEEDS_CHANGE.value,
                                                           f"comment_{first}": "How is a child's assent recorded?"})


__all__ = ["load_ethics_demo"]
