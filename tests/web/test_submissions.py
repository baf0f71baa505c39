"""The one way in for answers (services/submissions.py), whatever the channel."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from readiness.definitions import get_definitions
from readiness.domain.collection import FINISH_PAGE, AnswerState, EvidenceProblem, TokenStatus, token_status
from readiness.models import Answer, AnswerSource, AuditEntry, ContextType, Delegation, Evidence, Respondent
from readiness.models.types import utcnow
from readiness.services import submissions
from readiness.services.answers import Submission, state_of
from readiness.services.assessments import open_assessment, start_assessment
from readiness.services.respondents import invite_respondents
from readiness.services.submissions import Entry, Upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setting(app, db_session, make_user):
    delegation = Delegation(name="Gao", country="Mali", region="West Africa", context_type=ContextType.STABLE)
    db_session.add(delegation)
    owner = make_user(delegations=[delegation])
    assessment = start_assessment(owner, delegation, title="Primero rollout", tool_name="Primero")
    open_assessment(owner, assessment)
    db_session.commit()
    questionnaire = get_definitions().latest_questionnaire("readiness")
    levels = [i for i in questionnaire.items_for_role("social_worker") if i.type == "level"]
    return owner, assessment, questionnaire, levels


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def test_new_respondents_from_paper_get_their_answers_a_source_and_no_usable_link(setting, db_session):
    owner, assessment, q, levels = setting
    entry = Entry(submissions.new_answers({levels[0].id: AnswerState(3, None, "By hand"), levels[1].id: AnswerState(None, "dont_know")}),
                  role="social_worker", external_id="P-7")
    receipt = submissions.receive(AnswerSource.PAPER, assessment, q, [entry], owner)
    db_session.commit()
    (received,) = receipt.received
    assert sorted(received.saved) == sorted([levels[0].id, levels[1].id]) and not receipt.conflicts
    respondent = db_session.get(Respondent, received.respondent.id)
    assert respondent.source is AnswerSource.PAPER and respondent.external_id == "P-7" and respondent.role == "social_worker"
    assert token_status(respondent.token_expires_at, respondent.revoked_at, utcnow()) is TokenStatus.REVOKED
    assert respondent.submitted_at is not None and respondent.last_page == FINISH_PAGE
    states = {a.item_id: state_of(a) for a in respondent.answers}
    assert states[levels[0].id] == AnswerState(3, None, "By hand") and states[levels[1].id].special == "dont_know"
    actions = set(db_session.scalars(select(AuditEntry.action).where(AuditEntry.assessment_id == assessment.id)))
    assert {"respondent.receive", "answer.create"} <= actions


def test_the_same_external_id_twice_creates_nothing_new(setting, db_session):
    owner, assessment, q, levels = setting
    entry = Entry(submissions.new_answers({levels[0].id: AnswerState(2)}), role="social_worker", external_id="uuid-1")
    submissions.receive(AnswerSource.XLSFORM, assessment, q, [entry], owner)
    db_session.commit()
    before = (count(db_session, Respondent), count(db_session, Answer))
    again = submissions.receive(AnswerSource.XLSFORM, assessment, q, [entry], owner)
    db_session.commit()
    assert again.already_there == ["uuid-1"] and again.received == []
    assert (count(db_session, Respondent), count(db_session, Answer)) == before


def test_a_refused_file_writes_nothing_for_any_entry(setting, db_session):
    owner, assessment, q, levels = setting
    evidence_item = next(i for i in q.items_for_role("manager") if i.evidence != "none")
    good = Entry(submissions.new_answers({levels[0].id: AnswerState(1)}), role="social_worker", external_id="a")
    bad = Entry(submissions.new_answers({evidence_item.id: AnswerState(2)}), role="manager", external_id="b",
                uploads={evidence_item.id: Upload("policy.pdf", b"MZ not a pdf")})
    before = (count(db_session, Respondent), count(db_session, Answer), count(db_session, Evidence))
    receipt = submissions.receive(AnswerSource.PAPER, assessment, q, [good, bad], owner)
    db_session.commit()
    assert receipt.refused_files == {(1, evidence_item.id): EvidenceProblem.CONTENT} and receipt.received == []
    assert (count(db_session, Respondent), count(db_session, Answer), count(db_session, Evidence)) == before


def test_files_are_attached_with_the_answers(setting, db_session):
    owner, assessment, q, _levels = setting
    item = next(i for i in q.items_for_role("manager") if i.evidence != "none")
    entry = Entry(submissions.new_answers({item.id: AnswerState(3)}), role="manager",
                  uploads={item.id: Upload("policy.pdf", PDF)})
    (received,) = submissions.receive(AnswerSource.PAPER, assessment, q, [entry], owner).received
    db_session.commit()
    assert [f.filename for f in received.files] == ["policy.pdf"]
    assert db_session.scalar(select(Evidence.answer_id)) == received.respondent.answers[0].id


def test_a_stale_answer_from_another_device_is_a_conflict_with_both_values(setting, db_session):
    owner, assessment, q, levels = setting
    respondent = invite_respondents(owner, assessment, role="social_worker")[0].respondent
    item = levels[0].id
    shown = AnswerState()
    # The phone shows the empty page; meanwhile the laptop saves level 1.
    submissions.receive(AnswerSource.WEB, assessment, q, [Entry([Submission(item, AnswerState(1), shown.digest())], respondent=respondent)], "laptop")
    db_session.commit()
    # The phone, back online, sends level 4 against what it had shown: refused, both values returned.
    receipt = submissions.receive(AnswerSource.WEB, assessment, q,
                                  [Entry([Submission(item, AnswerState(4), shown.digest())], respondent=respondent, stop_at="x")], "phone")
    db_session.commit()
    (conflict,) = receipt.conflicts
    assert conflict.item_id == item and conflict.mine.value == 4 and conflict.theirs.value == 1
    assert state_of(db_session.scalar(select(Answer).where(Answer.item_id == item))).value == 1
    assert db_session.get(Respondent, respondent.id).last_page == "x"
