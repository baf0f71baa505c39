"""Closing an assessment, withdrawing or reissuing a link ask first; an empty draft has nothing to judge."""
from __future__ import annotations

import re
from html import unescape

from readiness.extensions import db
from readiness.models import Answer, Role
from readiness.services.assessments import open_assessment
from readiness.services.respondents import invite_respondents

from .test_delegation import draft, place  # noqa: F401  (fixtures)


def details_holding(html: str, marker: str) -> str:
    """:return: the <details> element whose content holds ``marker`` ("" when the marker sits outside one)."""
    for block in re.findall(r"<details\b.*?</details>", html, flags=re.S):
        if marker in block:
            return unescape(block)
    return ""


def test_closing_asks_first_and_says_who_is_still_answering(client, login_as, draft, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    invitations = invite_respondents(None, assessment, role="social_worker", count=3)
    open_assessment(None, assessment)
    started = invitations[0].respondent
    db.session.add(Answer(respondent_id=started.id, item_id="daily_practice_support", questionnaire_id="readiness",
                          questionnaire_version="1.0", value=2))
    db_session.commit()
    html = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    block = details_holding(html, 'value="close"')
    assert block, "the close button sits behind a confirmation"
    assert "1 respondent is still answering" in block and "2 have not started" in block
    assert "Yes, close" in block


def test_withdrawing_and_reissuing_a_link_ask_first(client, login_as, draft, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    [invitation] = invite_respondents(None, assessment, role="manager")
    db_session.commit()
    html = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    withdraw = details_holding(html, f"/respondents/{invitation.respondent.id}/revoke")
    reissue = details_holding(html, f"/respondents/{invitation.respondent.id}/reissue")
    assert withdraw and "can no longer answer" in withdraw
    assert reissue and "old link stops working" in reissue
    assert withdraw != reissue


def test_an_empty_draft_has_nothing_to_judge_yet(client, login_as, draft, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    html = unescape(client.get(f"/assessments/{assessment.id}").get_data(as_text=True))
    assert "Nothing to judge yet" in html
    assert "Main risk flags" not in html and "Critical" not in html
