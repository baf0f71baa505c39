"""Each action can carry a target level; the plan shows the recommendation it would reach, re-scored by the engine."""
from __future__ import annotations

import json
from html import unescape

from sqlalchemy import select

from readiness.definitions import get_definitions
from readiness.domain.engine import score_assessment
from readiness.domain.explain import outcome_label
from readiness.domain.responses import parse_responses
from readiness.domain.way_forward import Change, apply_changes
from readiness.models import ActionItem, AuditEntry, Role
from tests.helpers import csrf_token_in

from .test_action_plan import from_flags
from .test_report_page import SCENARIOS, make_assessment


def engine_outcome_with(scenario: str, targets: list[tuple[str, int]]) -> str:
    r = parse_responses(json.loads((SCENARIOS / f"{scenario}.json").read_text(encoding="utf-8")))
    q, c = get_definitions().questionnaire(*r.questionnaire), get_definitions().charter(*r.charter)
    people, inputs, answers = apply_changes(q, r.respondents, r.measured_inputs, r.charter_answers,
                                            [Change("item", item, level) for item, level in targets])
    return score_assessment(q, people, inputs, answers, c).recommendation.outcome


SCENARIO = "seen-09-reporting-driven"  # go with conditions: needs and daily practice are rated low


def add_action(client, page: str, title: str, item: str, level: int):
    token = csrf_token_in(client.get(page).get_data(as_text=True))
    return client.post(page, data={"csrf_token": token, "title": title, "owner": "Sara", "status": "open",
                                   "target_item": item, "target_level": str(level)})


def reach_line(client, page: str) -> str:
    return unescape(client.get(page).get_data(as_text=True)).split('id="plan-reach"', 1)[1].split("</p>", 1)[0]


def test_an_action_with_a_target_level_shows_what_the_plan_would_reach(client, db_session, login_as):
    assessment = make_assessment(SCENARIO)
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    page = f"/assessments/{assessment.id}/actions"
    assert "the recommendation would be" not in client.get(page).get_data(as_text=True)

    assert add_action(client, page, "Write down the needs with social workers", "needs_defined", 3).status_code == 302
    action = db_session.scalar(select(ActionItem))
    assert (action.target_item, action.target_level) == ("needs_defined", 3)
    assert "needs_defined ≥ 3" in db_session.scalar(select(AuditEntry.after).where(AuditEntry.action == "action.create"))["target"]
    one = engine_outcome_with(SCENARIO, [("needs_defined", 3)])
    assert outcome_label(one, "en") in reach_line(client, page).split("(", 1)[0]

    assert add_action(client, page, "Pilot reminders in daily practice", "daily_practice_support", 3).status_code == 302
    both = engine_outcome_with(SCENARIO, [("needs_defined", 3), ("daily_practice_support", 3)])
    assert both == "go"  # the way forward the report promises for this scenario, re-scored
    line = reach_line(client, page)
    assert outcome_label("go", "en") in line.split("(", 1)[0] and "now: " + outcome_label("go_with_conditions", "en") in line
    assert "2 actions carry a target level" in line
    assert "Target: question needs_defined at level 3 or above" in unescape(client.get(page).get_data(as_text=True))

    # Dropped, an action no longer counts.
    edit = f"{page}/{action.id}/edit"
    form = {"csrf_token": csrf_token_in(client.get(edit).get_data(as_text=True)), "title": action.title, "owner": "Sara",
            "status": "dropped", "target_item": "needs_defined", "target_level": "3", "version_id": str(action.version_id)}
    assert client.post(edit, data=form).status_code == 302
    rest = engine_outcome_with(SCENARIO, [("daily_practice_support", 3)])
    assert outcome_label(rest, "en") in reach_line(client, page).split("(", 1)[0]


def test_a_level_without_a_question_is_refused(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    page = f"/assessments/{assessment.id}/actions"
    token = csrf_token_in(client.get(page).get_data(as_text=True))
    response = client.post(page, data={"csrf_token": token, "title": "Train", "status": "open", "target_level": "3"})
    assert response.status_code == 400 and "or neither" in response.get_data(as_text=True)
    response = client.post(page, data={"csrf_token": token, "title": "Train", "status": "open",
                                       "target_item": "no_such_question", "target_level": "3"})
    assert response.status_code == 400 and db_session.scalar(select(ActionItem)) is None


def test_actions_from_a_question_flag_aim_at_a_working_level(client, db_session, login_as):
    assessment = make_assessment()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    from_flags(client, assessment)
    gate = db_session.scalar(select(ActionItem).where(ActionItem.source == "critical_gate:cm_procedures"))
    assert gate.target_item == "cm_procedures" and gate.target_level >= 3
    assert "If every action reaches its target level" in client.get(f"/assessments/{assessment.id}/actions").get_data(as_text=True)
