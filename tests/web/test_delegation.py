"""The delegation's pages: assessments, status steps, links, figures, charter, audit trail."""
from __future__ import annotations

import itertools
import re
from html import unescape

import pytest
from sqlalchemy import func, select

from readiness.definitions import get_definitions
from readiness.domain.collection import hash_token
from readiness.models import Assessment, AuditEntry, CharterAnswer, ContextType, Delegation, MeasuredInput, Respondent, Role
from readiness.services import audit
from readiness.services.assessments import start_assessment

from ..helpers import csrf_token_in
from .test_report_page import make_assessment
from .test_respond import hidden_fields

_numbers = itertools.count(1)


@pytest.fixture
def place(db_session):
    """``place()`` -> a committed delegation."""

    def make(name: str | None = None) -> Delegation:
        delegation = Delegation(name=name or f"Place {next(_numbers)}", country="Mali", region="West Africa",
                                context_type=ContextType.PROTRACTED_CRISIS)
        db_session.add(delegation)
        db_session.commit()
        return delegation

    return make


@pytest.fixture
def draft(db_session, place):
    """``draft(delegation=None)`` -> a committed draft assessment."""

    def make(delegation: Delegation | None = None) -> Assessment:
        assessment = start_assessment(None, delegation or place(), title="CPIMS+ rollout", tool_name="CPIMS+")
        db_session.commit()
        return assessment

    return make


def post(client, page_url: str, url: str, data: dict):
    token = csrf_token_in(client.get(page_url).get_data(as_text=True))
    return client.post(url, data=data | {"csrf_token": token})


def move(client, assessment_id: int, transition: str):
    return post(client, f"/assessments/{assessment_id}", f"/assessments/{assessment_id}/status", {"transition": transition})


def test_a_member_lists_only_their_delegations_and_hq_all(client, login_as, place):
    mine, _other = place("Mali – north"), place("Iraq – capital")
    login_as(Role.MEMBER, delegations=[mine])
    page = client.get("/delegations").get_data(as_text=True)
    assert "My delegations" in page and "Mali – north" in page and "Iraq – capital" not in page
    login_as(Role.HQ)
    page = client.get("/delegations").get_data(as_text=True)
    assert "Mali – north" in page and "Iraq – capital" in page
    login_as(Role.COMMITTEE)
    assert client.get("/delegations").status_code == 403


def test_creating_an_assessment_makes_a_draft_and_audits_it(client, login_as, place, db_session):
    delegation = place()
    login_as(Role.MEMBER, delegations=[delegation])
    home = f"/delegations/{delegation.id}"
    assert "Questionnaire version" in client.get(home).get_data(as_text=True)
    refused = post(client, home, f"{home}/assessments", {"title": "", "tool_name": "Primero", "questionnaire_version": "1.0"})
    assert refused.status_code == 400 and "Give the assessment a title." in refused.get_data(as_text=True)
    response = post(client, home, f"{home}/assessments", {
        "title": "Primero north", "tool_name": "Primero", "scope": "North sub-office",
        "target_go_live": "2027-03-01", "questionnaire_version": "1.0"})
    assert response.status_code == 302
    assessment = db_session.scalar(select(Assessment).where(Assessment.title == "Primero north"))
    assert assessment.status.value == "draft" and str(assessment.target_go_live) == "2027-03-01"
    assert db_session.scalar(select(AuditEntry.action).where(AuditEntry.assessment_id == assessment.id)) == "assessment.create"
    page = client.get(home).get_data(as_text=True)
    assert "Primero north" in page and "draft" in page and "March 1, 2027" in page  # dates in the reader's language, one style per language


def test_status_steps_follow_the_workflow_and_a_stale_click_is_a_message(client, login_as, draft, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Open for answers" in page and "Close and freeze" not in page
    assert move(client, assessment.id, "open").status_code == 302
    assert "Close and freeze the result" in client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    stale = move(client, assessment.id, "open")  # e.g. a second tab still showing the draft
    assert stale.status_code == 302
    assert "That step is not possible now" in client.get(stale.headers["Location"]).get_data(as_text=True)
    assert move(client, assessment.id, "close").status_code == 302
    db_session.expire_all()
    assert db_session.get(Assessment, assessment.id).status.value == "closed"
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Frozen result" in page and "Reopen for answers" in page
    assert move(client, assessment.id, "decide").status_code == 302  # decided on its own page, not here
    assert move(client, assessment.id, "nonsense").status_code == 400
    assert move(client, assessment.id, "reopen").status_code == 302
    db_session.expire_all()
    assert db_session.get(Assessment, assessment.id).status.value == "collecting"


def test_links_are_shown_once_and_stored_only_hashed(client, login_as, draft, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    page_url = f"/assessments/{assessment.id}"
    response = post(client, page_url, f"{page_url}/respondents", {"role": "social_worker", "count": "3", "days": "14"})
    assert response.headers["Location"] == f"/assessments/{assessment.id}/links"
    page = client.get(f"/assessments/{assessment.id}/links").get_data(as_text=True)
    tokens = re.findall(r'value="http://localhost/r/([A-Za-z0-9_-]+)"', page)
    assert len(tokens) == 3 and "shown only once" in page
    hashes = set(db_session.scalars(select(Respondent.token_hash)))
    assert hashes == {hash_token(t) for t in tokens}
    assert not any(t in h for t in tokens for h in hashes)
    again = client.get(f"/assessments/{assessment.id}/links").get_data(as_text=True)
    assert not any(t in again for t in tokens) and "no new links" in again
    overview = client.get(page_url).get_data(as_text=True)
    assert not any(t in overview for t in tokens)
    assert re.search(r"Social worker</th><td class=\"num\">3</td>", overview)
    assert overview.count("anonymous") >= 3


def test_a_name_goes_with_one_invitation_only(client, login_as, draft):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    url = f"/assessments/{assessment.id}"
    response = post(client, url, f"{url}/respondents", {"role": "manager", "count": "2", "name": "Ana", "days": "30"})
    assert response.status_code == 400 and "Give a name only when inviting one person." in response.get_data(as_text=True)


def test_revoking_and_reissuing_a_link(client, login_as, draft, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    url = f"/assessments/{assessment.id}"
    post(client, url, f"{url}/respondents", {"role": "supervisor", "count": "1", "name": "Awa", "days": "30"})
    old = re.search(r"/r/([A-Za-z0-9_-]+)", client.get(f"{url}/links").get_data(as_text=True)).group(1)
    rid = db_session.scalar(select(Respondent.id))
    assert post(client, url, f"{url}/respondents/{rid}/revoke", {}).status_code == 302
    assert client.get(f"/r/{old}").status_code == 410
    assert "link withdrawn" in client.get(url).get_data(as_text=True)
    post(client, url, f"{url}/respondents/{rid}/reissue", {"days": "7"})
    new = re.search(r"/r/([A-Za-z0-9_-]+)", client.get(f"{url}/links").get_data(as_text=True)).group(1)
    assert new != old and client.get(f"/r/{old}").status_code == 404
    assert client.get(f"/r/{new}").status_code == 200  # a draft: "not open yet"
    actions = db_session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "Respondent").order_by(AuditEntry.id)).all()
    assert actions == ["respondent.invite", "respondent.revoke", "respondent.reissue"]


def test_a_member_of_another_delegation_gets_403_everywhere(client, login_as, draft, place, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[place()])
    a = f"/assessments/{assessment.id}"
    for url in (f"/delegations/{assessment.delegation_id}", a, f"{a}/figures", f"{a}/charter", f"{a}/audit", f"{a}/links"):
        assert client.get(url).status_code == 403, url
    token = csrf_token_in(client.get("/delegations").get_data(as_text=True))
    for url, data in ((f"{a}/respondents", {"role": "manager", "count": "1", "days": "30"}), (f"{a}/status", {"transition": "open"}),
                      (f"/delegations/{assessment.delegation_id}/assessments", {"title": "x", "tool_name": "y"})):
        assert client.post(url, data=data | {"csrf_token": token}).status_code == 403, url
    assert db_session.scalar(select(func.count()).select_from(Respondent)) == 0


def test_headquarters_read_but_do_not_run_a_delegations_assessment(client, login_as, draft):
    assessment = draft()
    login_as(Role.HQ)
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "CPIMS+ rollout" in page and "Invite respondents" not in page and "Open for answers" not in page
    assert "Audit trail" in page
    assert move(client, assessment.id, "open").status_code == 403
    assert "Measured figures" not in page and "Ethics charter" not in page
    assert client.get(f"/assessments/{assessment.id}/figures").status_code == 403


def test_logged_out_visitors_are_sent_to_log_in(client, draft):
    assessment = draft()
    for url in ("/delegations", f"/assessments/{assessment.id}", f"/assessments/{assessment.id}/audit"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_figures_check_their_range_on_the_field_and_audit_each_change(app, client, login_as, draft, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    url = f"/assessments/{assessment.id}/figures"
    form = hidden_fields(client.get(url).get_data(as_text=True))
    bad = client.post(url, data=form | {"social_workers_fte": "-3", "open_cases": "lots"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Enter a number of at least 0." in page and "Enter a number, for example" in page
    assert db_session.scalar(select(func.count()).select_from(MeasuredInput)) == 0
    both = client.post(url, data=form | {"open_cases": "120", "open_cases__special": "y"})
    assert both.status_code == 400 and "not both" in both.get_data(as_text=True)
    ok = client.post(url, data=form | {"social_workers_fte": "12,5", "open_cases__special": "y", "open_cases__comment": "Per family"})
    assert ok.status_code == 302
    rows = {m.input_id: m for m in db_session.scalars(select(MeasuredInput))}
    assert rows["social_workers_fte"].value == 12.5 and rows["open_cases"].unknown and rows["open_cases"].comment == "Per family"
    form = hidden_fields(client.get(url).get_data(as_text=True))
    client.post(url, data=form | {"social_workers_fte": "14", "open_cases__special": "y", "open_cases__comment": "Per family"})
    entries = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "figure.update").order_by(AuditEntry.id)).all()
    assert len(entries) == 3
    assert entries[-1].before == {"input": "social_workers_fte", "value": 12.5} and entries[-1].after["value"] == 14


def test_two_people_editing_figures_the_second_is_refused_for_that_figure(client, login_as, draft, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    url = f"/assessments/{assessment.id}/figures"
    first, second = (hidden_fields(client.get(url).get_data(as_text=True)) for _ in range(2))
    client.post(url, data=first | {"power_hours": "6"})
    response = client.post(url, data=second | {"power_hours": "10", "devices_available": "8"})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 409 and "Someone else saved this" in page and "6" in page and "10" in page
    rows = {m.input_id: m.value for m in db_session.scalars(select(MeasuredInput))}
    assert rows == {"power_hours": 6, "devices_available": 8}


def test_charter_answers_by_theme_with_conflicts_and_rules(app, client, login_as, draft, db_session):
    assessment = draft()
    with app.app_context():
        charter = get_definitions().latest_charter()
    first, second = charter.items[0], charter.items[1]
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    url = f"/assessments/{assessment.id}/charter"
    page = unescape(client.get(url).get_data(as_text=True))
    assert charter.themes[0].label["en"] in page and "Blocking" in page and first.guidance["en"] in page
    form = hidden_fields(client.get(url).get_data(as_text=True))
    refused = client.post(url, data=form | {first.id + "__comment": "We are drafting it"})
    assert refused.status_code == 400 and "Choose a status to keep this comment" in refused.get_data(as_text=True)
    bad_link = client.post(url, data=form | {first.id: "met", first.id + "__link": "javascript:alert(1)"})
    assert bad_link.status_code == 400
    other_tab = hidden_fields(client.get(url).get_data(as_text=True))
    ok = client.post(url, data=form | {first.id: "partly", first.id + "__link": "https://example.org/consent"})
    assert ok.status_code == 302
    conflict = client.post(url, data=other_tab | {first.id: "met", second.id: "not_met"})
    assert conflict.status_code == 409 and "Partly met" in conflict.get_data(as_text=True)
    rows = {c.item_id: c.status.value for c in db_session.scalars(select(CharterAnswer))}
    assert rows == {first.id: "partly", second.id: "not_met"}
    assert db_session.scalar(select(func.count()).where(AuditEntry.action == "charter.update")) == 2


def test_the_audit_trail_is_newest_first_and_paginated(client, login_as, draft, db_session):
    assessment = draft()
    for n in range(60):
        audit.record("respondent #1 (Case-management supervisor or team leader)", "answer.update", assessment,
                     assessment_id=assessment.id,
                     before={"value": n}, after={"value": n + 1})
    db_session.commit()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    page = client.get(f"/assessments/{assessment.id}/audit").get_data(as_text=True)
    assert "61 entries" in page and "Page 1 of 2" in page and page.count("changed the answer to") == 50
    assert page.index("<ins>60</ins>") < page.index("<ins>59</ins>")
    older = client.get(f"/assessments/{assessment.id}/audit?page=2").get_data(as_text=True)
    assert "created the assessment" in older and older.count("changed the answer to") == 10


def test_markup_in_free_text_is_escaped_on_the_owners_pages(client, login_as, place, db_session):
    delegation = place()
    login_as(Role.MEMBER, delegations=[delegation])
    payload = '<script>alert("x")</script>'
    home = f"/delegations/{delegation.id}"
    post(client, home, f"{home}/assessments", {"title": payload, "tool_name": payload, "scope": payload, "questionnaire_version": "1.0"})
    assessment = db_session.scalar(select(Assessment))
    url = f"/assessments/{assessment.id}"
    post(client, url, f"{url}/respondents", {"role": "manager", "count": "1", "name": payload, "days": "30"})
    form = hidden_fields(client.get(f"{url}/figures").get_data(as_text=True))
    client.post(f"{url}/figures", data=form | {"power_hours__comment": payload})
    for page_url in (home, url, f"{url}/figures", f"{url}/audit", f"{url}/charter"):
        page = client.get(page_url).get_data(as_text=True)
        assert payload not in page, page_url
    assert "&lt;script&gt;" in client.get(url).get_data(as_text=True)


def test_the_live_preview_shows_the_recommendation_and_dimensions_once_there_is_enough(client, login_as, draft, db_session):
    assessment = draft()
    # A first figure: too little to judge, so no verdict yet (tests/web/test_waiting.py has the details).
    db_session.add(MeasuredInput(assessment_id=assessment.id, input_id="power_hours", value=6))
    db_session.commit()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Result so far (live preview)" in page and "Nothing to judge yet" in page
    assert "Insufficient evidence" not in page and "<caption>Dimensions</caption>" not in page
    answered = make_assessment("partial-readiness", close=False, name="Mali – Kidal")
    login_as(Role.MEMBER, delegations=[answered.delegation])
    page = client.get(f"/assessments/{answered.id}").get_data(as_text=True)
    assert "Result so far (live preview)" in page and "Go with conditions" in page
    assert "Needs and relevance" in page and "Coverage" in page and "Nothing to judge yet" not in page


def test_once_closed_the_figures_are_read_only(client, login_as, draft, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    move(client, assessment.id, "open")
    move(client, assessment.id, "close")
    url = f"/assessments/{assessment.id}/figures"
    page = client.get(url).get_data(as_text=True)
    assert "can only be changed" in page and "Save the figures" not in page
    form = hidden_fields(page)
    assert client.post(url, data=form | {"power_hours": "8"}).status_code == 403
    assert "Invite respondents" not in client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(MeasuredInput)) == 0


def test_figures_accept_a_ratio_or_counts_and_show_the_other(client, login_as, draft, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    url = f"/assessments/{assessment.id}/figures"
    form = hidden_fields(client.get(url).get_data(as_text=True))
    # 6 social workers, "about 25 cases each", "60 % trained", 4 of 10 field sites connected.
    response = client.post(url, data=form | {"social_workers_fte": "6", "open_cases__ratio": "25",
                                             "staff_trained_cm__ratio": "60", "field_sites_connected_pct__part": "4",
                                             "field_sites_connected_pct__whole": "10"})
    assert response.status_code == 302
    saved = {m.input_id: m.value for m in db_session.scalars(select(MeasuredInput))}
    assert saved["open_cases"] == 150 and saved["staff_trained_cm"] == 3.6 and saved["field_sites_connected_pct"] == 40
    page = client.get(url).get_data(as_text=True)
    assert "Open cases per social worker = 25 cases per FTE" in page  # the other form of the figure


def test_a_ratio_without_its_base_figure_is_refused_and_nothing_saved(client, login_as, draft, db_session):
    assessment = draft()
    login_as(Role.MEMBER, delegations=[assessment.delegation])
    url = f"/assessments/{assessment.id}/figures"
    form = hidden_fields(client.get(url).get_data(as_text=True))
    response = client.post(url, data=form | {"open_cases__ratio": "25"})
    assert response.status_code == 400
    assert "To use the ratio, also give" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(MeasuredInput)) == 0
