"""What people said: in the report and its PDF, maskable by the delegation, with a warning for small groups."""
from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from readiness.extensions import db
from readiness.models import Answer, AuditEntry, Role

from ..helpers import csrf_token_in
from .test_delegation import draft, place, post  # noqa: F401  (fixtures)
from .test_report_page import make_assessment

NAMING = "Aminata's son was beaten at home last week"


def test_words_appear_by_question_and_role_and_can_be_masked(client, db_session, login_as):
    assessment = make_assessment("partial-readiness")
    answer = db_session.scalars(select(Answer).where(Answer.item_id == "cm_procedures")).first()
    answer.comment = NAMING
    db_session.commit()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    url = f"/assessments/{assessment.id}/report"
    page = client.get(url).get_data(as_text=True)
    words = page[page.index('id="words"'):]
    assert NAMING.replace("'", "&#39;") in words and "Country or programme manager · comment" in words
    assert "Home visits are still written up on paper at night." in words  # a free-text answer
    token = csrf_token_in(page)
    response = client.post(f"/assessments/{assessment.id}/words/{answer.id}/mask",
                           data={"masked": "1", "csrf_token": token})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Aminata" not in page and "[Masked by the delegation: it identified someone.]" in page
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get(url + ".pdf").data)).pages)
    assert "Aminata" not in pdf and "What people said" in pdf
    db_session.expire_all()
    kept = db_session.get(Answer, answer.id)
    assert kept.comment == NAMING and kept.masked_at is not None  # the original stays in the database
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "answer.mask"))
    assert entry.after == {"item": "cm_procedures", "masked": True}
    assert "Aminata" not in client.get(f"/assessments/{assessment.id}/audit").get_data(as_text=True)


def test_an_hq_reader_cannot_mask(client, db_session, login_as):
    assessment = make_assessment("partial-readiness")
    answer = db.session.scalars(select(Answer)).first()
    login_as(Role.HQ)
    page = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    assert "Mask: it identifies someone" not in page
    response = client.post(f"/assessments/{assessment.id}/words/{answer.id}/mask",
                           data={"masked": "1", "csrf_token": csrf_token_in(page)})
    assert response.status_code == 403


def test_inviting_fewer_anonymous_respondents_than_the_minimum_warns(client, login_as, draft):  # noqa: F811
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    url = f"/assessments/{assessment.id}"
    post(client, url, f"{url}/respondents", {"role": "social_worker", "count": "2", "days": "14"})
    page = client.get(f"{url}/links").get_data(as_text=True)
    assert "Only 2 people invited as “Social worker” so far" in page and "at least 3 people" in page
    post(client, url, f"{url}/respondents", {"role": "social_worker", "count": "1", "days": "14"})
    assert "invited so far" not in client.get(f"{url}/links").get_data(as_text=True)
    post(client, url, f"{url}/respondents", {"role": "manager", "count": "1", "days": "14"})
    assert "invited so far" not in client.get(f"{url}/links").get_data(as_text=True)
