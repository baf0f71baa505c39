"""Demo follow-ups with a planted outcome, so ``make run`` shows the comparison and the calibration.

The planted relation: rollouts that went ahead although the baseline raised a critical or major
flag on staff capacity show, at their 3-month follow-up, many more hours a week spent recording
(about 20, against about 7) and more workarounds, so they are "in trouble" far more often.
One case of each kind goes against the trend, as real data would.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from readiness.config import REPO_ROOT
from readiness.domain.followup import add_months
from readiness.domain.responses import parse_responses
from readiness.extensions import db
from readiness.models import Answer, Assessment, CharterAnswer, Delegation, MeasuredInput, Outcome, Respondent, User
from readiness.models.types import utcnow, utctoday
from readiness.services.assessments import close_assessment, open_assessment, start_assessment
from readiness.services.decisions import record_decision
from readiness.services.followups import set_go_live, start_followup

SCENARIOS = REPO_ROOT / "examples" / "scenarios"
SPECIAL = {"dont_know", "not_applicable"}


@dataclass(frozen=True)
class Planted:
    scenario: str
    decision: Outcome
    staff_flagged: bool  # the baseline raises a critical or major staff flag (checked by the demo test)
    trouble: bool  # what the follow-up is made to show


PLANTED = [
    Planted("perception-gap", Outcome.GO_WITH_CONDITIONS, True, True),
    Planted("seen-01-hidden-over-rating", Outcome.GO_WITH_CONDITIONS, True, True),
    Planted("seen-06-four-dimensions-below-go", Outcome.GO_WITH_CONDITIONS, True, True),
    Planted("acute-emergency-no-procedures", Outcome.GO, True, True),  # an override of a no-go
    Planted("seen-08-automated-decisions", Outcome.GO_WITH_CONDITIONS, True, False),  # against the trend
    Planted("partial-readiness", Outcome.GO_WITH_CONDITIONS, False, False),
    Planted("seen-02-gap-without-shared-questions", Outcome.GO, False, False),
    Planted("seen-04-late-answer-could-flip", Outcome.GO_WITH_CONDITIONS, False, False),
    Planted("seen-06-fixable-dpia-and-agreement", Outcome.GO_WITH_CONDITIONS, False, True),  # against the trend
    Planted("seen-09-reporting-driven", Outcome.GO_WITH_CONDITIONS, False, False),
    Planted("stable-strong", Outcome.GO, False, False),
]


def add_demo_followups(places: list[Delegation], owner: User, today: date | None = None) -> int:
    """Create decided baselines with closed 3-month follow-ups, one follow-up due, one collecting.

    :return: how many follow-ups were created.
    """
    today = today or utctoday()
    go_live = add_months(today, -4)
    count = 0
    for index, planted in enumerate(PLANTED):
        baseline = _baseline(places[index % len(places)], owner, planted, go_live)
        followup = start_followup(owner, baseline, 3, today)
        open_assessment(owner, followup)
        _answer(followup, planted.trouble, index)
        close_assessment(owner, followup)
        count += 1
    # One follow-up due and not started (reminders), one collecting answers.
    _baseline(places[0], owner, PLANTED[-1], add_months(today, -3) - timedelta(days=2))
    collecting = _baseline(places[1 % len(places)], owner, PLANTED[5], add_months(today, -3) - timedelta(days=20))
    open_assessment(owner, start_followup(owner, collecting, 3, today))
    db.session.flush()
    return count + 1


def _baseline(place: Delegation, owner: User, planted: Planted, go_live: date) -> Assessment:
    responses = parse_responses(json.loads((SCENARIOS / f"{planted.scenario}.json").read_text(encoding="utf-8")))
    assessment = start_assessment(owner, place, title=f"Primero rollout ({planted.scenario.replace('-', ' ')})",
                                  tool_name="Primero", scope="Child protection case management", target_go_live=go_live)
    open_assessment(owner, assessment)
    for index, person in enumerate(responses.respondents):
        respondent = _respondent(assessment, person.role, f"b{index}")
        respondent.answers = [_answer_row(assessment, item, value) for item, value in person.answers.items()]
    for input_id, value in responses.measured_inputs.items():
        db.session.add(MeasuredInput(assessment_id=assessment.id, input_id=input_id, value=value, unknown=value is None))
    for item_id, status in responses.charter_answers.items():
        db.session.add(CharterAnswer(assessment_id=assessment.id, item_id=item_id, status=status))
    db.session.flush()
    close_assessment(owner, assessment)
    decision = record_decision(
        owner, assessment, outcome=planted.decision, decided_by_name=owner.name,
        rationale="Reviewed with the country team and the regional adviser.",
        conditions="Train supervisors in the new forms\nSign the data-sharing agreement"
        if planted.decision is Outcome.GO_WITH_CONDITIONS else "",
        override_reason="The ministry asked for the rollout to start this year.",
    )
    set_go_live(owner, decision, go_live)
    return assessment


def _respondent(assessment: Assessment, role: str, tag: str) -> Respondent:
    respondent = Respondent(assessment_id=assessment.id, role=role, token_hash=f"demo-{assessment.id}-{tag}".ljust(64, "0"),
                            token_expires_at=utcnow(), submitted_at=utcnow(), last_page="finish")
    db.session.add(respondent)
    return respondent


def _answer_row(assessment: Assessment, item: str, value: object) -> Answer:
    special = value if value in SPECIAL else None
    return Answer(item_id=item, questionnaire_id=assessment.questionnaire_id,
                  questionnaire_version=assessment.questionnaire_version, special=special,
                  value=None if special else value)


def _answer(followup: Assessment, trouble: bool, seed: int) -> None:
    """Answers and figures of a follow-up that shows trouble, or one that does not."""
    level = 1 if trouble else 3
    for n in range(3):  # three social workers: enough for their own figures to be shown
        hours = (19 + (seed + n) % 5) if trouble else (5 + (seed + n) % 4)
        _respondent(followup, "social_worker", f"f{n}").answers = [_answer_row(followup, k, v) for k, v in {
            "recording_hours": hours, "casework_or_reporting": level, "paper_parallel": level, "workarounds": level,
            "family_access": 2, "devices_work": level + 1}.items()]
    _respondent(followup, "manager", "fm").answers = [_answer_row(followup, k, v) for k, v in {
        "casework_or_reporting": level + 1, "family_access": 2, "incidents": 3 if not trouble else 2}.items()]
    _respondent(followup, "supervisor", "fs").answers = [_answer_row(followup, k, v) for k, v in {
        "recording_hours": 16 if trouble else 6, "workarounds": level, "casework_or_reporting": level}.items()]
    workers = 10.0
    figures = {"social_workers_fte": workers, "open_cases": 260.0 if trouble else 140.0,
               "supervisors_fte": 1.0 if trouble else 2.0, "staff_trained_cm": 6.0 if trouble else 9.0,
               "devices_available": 6.0 if trouble else 10.0}
    for input_id, value in figures.items():
        db.session.add(MeasuredInput(assessment_id=followup.id, input_id=input_id, value=value))
    db.session.flush()
