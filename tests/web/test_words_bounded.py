"""What people wrote, at scale: the report shows the newest few per question with "N of M shown",
a paged list shows every one of them, and a role too small to hide in stays hidden on every page."""
from __future__ import annotations

import io
import re
from html import unescape

from pypdf import PdfReader
from sqlalchemy import delete, select

from readiness.models import Answer, Respondent, Role
from readiness.read.words import LATEST_PER_QUESTION
from readiness.services.respondents import invite_respondents

from .test_big_assessment import crowd  # noqa: F401  (a fixture)
from .test_hq_queries import count_queries  # noqa: F401  (a fixture)

WORRIES = "What worries you most about bringing in a digital tool, for you or for the children and families?"


def words_section(html: str) -> str:
    return html[html.index('id="words"'):html.index("</section>", html.index('id="words"'))]


def group_of(section: str, question: str) -> str:
    start = section.index(question.replace("?", ""))
    end = section.find('<h3 class="said-question">', start)
    return section[start:end if end > 0 else len(section)]


def said_texts(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<span class="free-text">(.*?)</span>', html, re.S)]


def all_pages(client, assessment_id: int, item: str) -> tuple[list[str], list[str]]:
    """:return: every text listed for ``item`` across its pages, and each page's HTML."""
    texts, pages, page = [], [], 1
    while True:
        response = client.get(f"/assessments/{assessment_id}/words", query_string={"item": item, "page": page})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        pages.append(html)
        texts += said_texts(html)
        if 'rel="next"' not in html:
            return texts, pages
        page += 1


def written(db_session, assessment_id: int, item: str, roles: set[str] | None = None) -> list[tuple[int, str]]:
    """:return: (answer id, text) of every non-empty free-text answer to ``item``, newest answer first."""
    rows = db_session.execute(select(Answer.id, Answer.value, Respondent.role).join(Respondent)
                              .where(Respondent.assessment_id == assessment_id, Answer.item_id == item)).all()
    return sorted(((i, v) for i, v, role in rows if isinstance(v, str) and v.strip() and (roles is None or role in roles)),
                  reverse=True)


def test_the_report_shows_the_newest_few_per_question_and_the_list_shows_them_all(client, login_as, crowd, db_session,  # noqa: F811
                                                                                  monkeypatch):
    monkeypatch.setattr("readiness.reports.source.PAGE_SIZE", 7)  # a few pages without thousands of respondents
    assessment, place = crowd(300)
    expected = written(db_session, assessment.id, "worries")
    assert len(expected) > 2 * 7  # the demo crowd: about one in ten writes something
    login_as(Role.MEMBER, delegations=[place])
    section = words_section(client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True))
    group = group_of(section, WORRIES)
    assert said_texts(group) == [text for _id, text in expected[:LATEST_PER_QUESTION]]  # the newest, newest first
    assert f"{LATEST_PER_QUESTION} of {len(expected)} shown, the newest first." in group
    assert f'href="/assessments/{assessment.id}/words?item=worries"' in group
    texts, pages = all_pages(client, assessment.id, "worries")
    assert texts == [text for _id, text in expected]  # every one of them, each once, newest first
    assert len(pages) == -(-len(expected) // 7) and f"Page 1 of {len(pages)}" in pages[0]
    assert client.get(f"/assessments/{assessment.id}/words", query_string={"item": "worries", "page": 99}).status_code == 404
    assert client.get(f"/assessments/{assessment.id}/words", query_string={"item": "no_such_item"}).status_code == 404
    index = client.get(f"/assessments/{assessment.id}/words").get_data(as_text=True)
    assert f"({len(expected)})" in index and "?item=worries" in index


def test_the_pdf_says_how_many_were_said_and_where_to_read_them_all(client, login_as, crowd, db_session):  # noqa: F811
    assessment, place = crowd(200)
    total = len(written(db_session, assessment.id, "worries"))
    login_as(Role.MEMBER, delegations=[place])
    pdf = PdfReader(io.BytesIO(client.get(f"/assessments/{assessment.id}/report.pdf").data))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    assert f"{LATEST_PER_QUESTION} of {total} shown, the newest first. All of them: " in text
    assert f"http://localhost/assessments/{assessment.id}/words?item=worries" in text.replace(" ", "")


def test_a_role_too_small_to_hide_in_stays_hidden_on_every_page_and_in_every_count(client, login_as, crowd,  # noqa: F811
                                                                                   db_session, monkeypatch):
    monkeypatch.setattr("readiness.reports.source.PAGE_SIZE", 3)
    assessment, place = crowd(120)
    # Keep two social workers (anonymous; the minimum group is 3): each writes a worry and a comment.
    social = db_session.scalars(select(Respondent.id).where(Respondent.assessment_id == assessment.id,
                                                            Respondent.role == "social_worker")).all()
    db_session.execute(delete(Answer).where(Answer.respondent_id.in_(social[2:])))
    db_session.execute(delete(Respondent).where(Respondent.id.in_(social[2:])))
    for n, respondent_id in enumerate(social[:2]):
        db_session.execute(delete(Answer).where(Answer.respondent_id == respondent_id, Answer.item_id == "worries"))
        db_session.add(Answer(respondent_id=respondent_id, item_id="worries", questionnaire_id="readiness",
                              questionnaire_version=assessment.questionnaire_version, value=f"Only-a-social-worker {n}",
                              comment=f"Social-worker-comment {n}", version_id=1))
    partner_ids = db_session.scalars(select(Respondent.id).where(Respondent.assessment_id == assessment.id,
                                                                 Respondent.role == "partner")).all()
    db_session.execute(delete(Answer).where(Answer.respondent_id.in_(partner_ids), Answer.item_id == "worries"))
    for n, respondent_id in enumerate(partner_ids):
        db_session.add(Answer(respondent_id=respondent_id, item_id="worries", questionnaire_id="readiness",
                              questionnaire_version=assessment.questionnaire_version, value=f"A partner's worry {n}",
                              version_id=1))
    invite_respondents(None, assessment, role="social_worker", count=4)  # invited, silent: not a hiding place
    db_session.commit()
    partners = written(db_session, assessment.id, "worries", roles={"partner"})
    assert len(partners) > 3
    login_as(Role.MEMBER, delegations=[place])
    report = client.get(f"/assessments/{assessment.id}/report").get_data(as_text=True)
    section = words_section(report)
    assert "Social worker: fewer than 3 people answered" in unescape(section)
    group = group_of(section, WORRIES)
    assert f"of {len(partners)} shown" in group  # the count leaves the two social workers out
    texts, pages = all_pages(client, assessment.id, "worries")
    assert texts == [text for _id, text in partners]
    everything = report + "".join(pages) + client.get(f"/assessments/{assessment.id}/words").get_data(as_text=True)
    assert "Only-a-social-worker" not in everything and "Social-worker-comment" not in everything
    assert "Social worker ·" not in "".join(pages)


def test_the_report_issues_as_many_queries_for_300_respondents_as_for_30(client, login_as, crowd, count_queries):  # noqa: F811
    small, _place = crowd(30)
    large, _other = crowd(300)
    login_as(Role.HQ)

    def report(assessment):
        assert client.get(f"/assessments/{assessment.id}/report").status_code == 200

    queries = [count_queries(lambda a=a: report(a)) for a in (small, large)]
    assert queries[0] == queries[1]


def test_masking_from_the_list_comes_back_to_the_same_page_of_it(client, login_as, crowd, db_session):  # noqa: F811
    from ..helpers import csrf_token_in

    assessment, place = crowd(60)
    answer_id, text = written(db_session, assessment.id, "worries")[0]
    login_as(Role.MEMBER, delegations=[place])
    url = f"/assessments/{assessment.id}/words?item=worries&page=1"
    token = csrf_token_in(client.get(url).get_data(as_text=True))
    response = client.post(f"/assessments/{assessment.id}/words/{answer_id}/mask",
                           data={"masked": "1", "csrf_token": token, "item": "worries", "page": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    listed = said_texts(client.get(url).get_data(as_text=True))
    assert listed[0] == "[Masked by the delegation: it identified someone.]"
