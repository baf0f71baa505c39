"""An assessment with hundreds of respondents: counted per role and state, listed by page, scored from counts."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from readiness.domain.anonymity import heard_counts, protect_result
from readiness.domain.engine import score_assessment
from readiness.domain.result import result_to_json
from readiness.models import Answer, Assessment, ContextType, Delegation, Respondent, ResultSnapshot, Role
from readiness.read.respondents import PAGE_SIZE
from readiness.services.demo_big import load_big_assessment
from readiness.services.respondents import invite_respondents
from readiness.services.results import compute_result, definitions_for, engine_inputs

from .test_delegation import move
from .test_hq_queries import count_queries  # noqa: F401  (a fixture)


@pytest.fixture
def crowd(db_session, make_user):
    """``crowd(respondents, waiting=0)`` -> (a collecting assessment answered by ``respondents``, its delegation),
    with ``waiting`` more social workers invited who have not started."""

    def make(respondents: int, waiting: int = 0) -> tuple[Assessment, Delegation]:
        place = Delegation(name=f"Place {respondents}", country="Mali", region="West Africa",
                           context_type=ContextType.PROTRACTED_CRISIS)
        db_session.add(place)
        owner = make_user(role=Role.MEMBER, delegations=[place])
        db_session.flush()
        assessment = db_session.get(Assessment, load_big_assessment(owner, place, respondents, dont_know=0.05, seed=3))
        if waiting:
            invite_respondents(None, assessment, role="social_worker", count=waiting)
        db_session.commit()
        return assessment, place

    return make


def page_of(client, assessment: Assessment, **query) -> str:
    response = client.get(f"/assessments/{assessment.id}", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def listed_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<strong>#(\d+) ", html)]


def test_the_page_counts_each_role_and_state_and_lists_fifty_at_a_time(client, login_as, crowd, db_session):
    assessment, place = crowd(230, waiting=7)
    login_as(Role.MEMBER, delegations=[place])
    # An emptied text box is no answer: its writer has still not started.
    blank = db_session.scalars(select(Respondent).where(Respondent.assessment_id == assessment.id)
                               .order_by(Respondent.id.desc())).first()
    db_session.add(Answer(respondent_id=blank.id, item_id="worries", questionnaire_id="readiness",
                          questionnaire_version=assessment.questionnaire_version, value="", version_id=1))
    db_session.commit()
    roles = Counter(db_session.scalars(select(Respondent.role).where(Respondent.assessment_id == assessment.id)))
    submitted = db_session.scalar(select(func.count()).where(Respondent.assessment_id == assessment.id,
                                                             Respondent.submitted_at.is_not(None)))
    html = page_of(client, assessment)
    social = re.search(r"Social worker</th><td class=\"num\">(\d+)</td>(.*?)</tr>", html, re.S)
    assert int(social.group(1)) == roles["social_worker"]
    footer = re.search(r"All roles</a></th>\s*<td class=\"num\">(\d+)</td>(.*?)</tr>", html, re.S)
    states = [int(n) for n in re.findall(r">(\d+)(?:</a>)?</td>", footer.group(2))]
    # 237 people: 7 never started, every other one answered; those who did not submit are in progress.
    assert int(footer.group(1)) == 237 and states == [7, 230 - submitted, submitted]
    first = listed_ids(html)
    assert len(first) == PAGE_SIZE and "Page 1 of 5" in html
    last = listed_ids(page_of(client, assessment, page=5))
    assert len(last) == 237 - 4 * PAGE_SIZE and max(last) > max(first)
    waiting = page_of(client, assessment, state="invited")
    assert len(listed_ids(waiting)) == 7 and "0 of 18 questions" in waiting
    managers = page_of(client, assessment, role="manager")
    assert len(listed_ids(managers)) == min(roles["manager"], PAGE_SIZE) and "Social worker ·" not in managers


def test_the_page_issues_as_many_queries_for_300_respondents_as_for_30(client, login_as, crowd, count_queries):  # noqa: F811
    small, _place = crowd(30)
    large, _other = crowd(300)
    login_as(Role.HQ)
    queries = [count_queries(lambda a=a: page_of(client, a)) for a in (small, large)]
    assert queries[0] == queries[1]


def test_the_live_result_from_counts_is_the_result_from_each_answer(app, crowd, db_session):
    assessment, _owner = crowd(260)
    with app.test_request_context():
        questionnaire, charter = definitions_for(assessment)
        people, inputs, charter_answers = engine_inputs(assessment)
        one_by_one = protect_result(score_assessment(questionnaire, people, inputs, charter_answers, charter),
                                    questionnaire, heard_counts(people))
        counted = compute_result(assessment)
    assert counted.robustness.dont_know_items  # 5% "don't know": the robustness check has work to do
    assert result_to_json(counted) == result_to_json(one_by_one)


def test_closing_a_big_assessment_freezes_the_counted_result(client, login_as, crowd, db_session):
    assessment, place = crowd(200)
    login_as(Role.MEMBER, delegations=[place])
    live = compute_result(assessment)
    assert move(client, assessment.id, "close").status_code == 302
    snapshot = db_session.scalar(select(ResultSnapshot).where(ResultSnapshot.assessment_id == assessment.id))
    assert snapshot.recommendation == live.recommendation.outcome and snapshot.overall_score == live.overall_score


def test_the_reports_way_forward_and_plan_from_counts_are_those_from_each_respondent(app, crowd, db_session):
    from readiness.domain.tally import tally
    from readiness.domain.way_forward import find_way_forward_by_lifting, find_way_forward_counted, plan_outcome, plan_result
    from readiness.models import SpecialAnswer
    from readiness.reports.source import counts_giving
    from readiness.services.results import counted_answers

    assessment, _owner = crowd(150, waiting=3)  # three invited who said nothing
    # Two more who found only some questions not applicable: not heard, until a "what if" gives them an answer.
    for items in (["referral_pathways"], ["referral_pathways", "partner_agreements"]):
        silent = invite_respondents(None, assessment, role="partner", count=1)[0].respondent
        db_session.flush()
        for item in items:
            db_session.add(Answer(respondent_id=silent.id, item_id=item, questionnaire_id="readiness", version_id=1,
                                  questionnaire_version=assessment.questionnaire_version,
                                  special=SpecialAnswer.NOT_APPLICABLE))
    db_session.commit()
    with app.test_request_context():
        questionnaire, charter = definitions_for(assessment)
        people, inputs, charter_answers = engine_inputs(assessment)
        result = compute_result(assessment)
        counted, *_ = found = counts_giving(assessment, questionnaire, charter, result, counted_answers(assessment))
    each = tally(questionnaire, people)
    assert (counted.counts, counted.heard, counted.respondents, counted.silent) == (
        each.counts, each.heard, each.respondents, each.silent)
    assert sum(counted.silent["partner"].values()) == 2
    old = find_way_forward_by_lifting(questionnaire, people, inputs, charter_answers, charter, result)
    assert old.changes and find_way_forward_counted(questionnaire, *found, charter, result) == old
    targets = [("partner_agreements", 4), ("daily_practice_support", 3)]
    assert plan_outcome(questionnaire, *found, charter, targets) == plan_result(
        questionnaire, people, inputs, charter_answers, charter, targets).recommendation.outcome
