"""Respondents answering through their personal link, through the test client."""
from __future__ import annotations

import itertools
import re
from datetime import timedelta
from html import unescape

import pytest
from flask_babel import refresh
from sqlalchemy import select

from readiness.definitions import get_definitions
from readiness.extensions import db
from readiness.models import Answer, Assessment, AuditEntry, ContextType, Delegation, Respondent
from readiness.models.types import utcnow
from readiness.services.assessments import close_assessment, open_assessment, start_assessment
from readiness.services.respondents import invite_respondents

_numbers = itertools.count(1)


def hidden_fields(html: str) -> dict[str, str]:
    """The respondent form's hidden fields (CSRF token, shown versions and fingerprints)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            value = re.search(r'value="([^"]*)"', tag)
            if name != "next":
                fields[name] = unescape(value.group(1)) if value else ""
    return fields


@pytest.fixture
def invite(app, db_session, make_user):
    """``invite(role=..., name=..., status=...)`` -> (assessment id, token, respondent id)."""

    def make(role: str = "social_worker", name: str | None = None, status: str = "collecting"):
        delegation = Delegation(name=f"Delegation {next(_numbers)}", country="Mali", region="West Africa",
                                context_type=ContextType.STABLE)
        db_session.add(delegation)
        owner = make_user(delegations=[delegation])
        assessment = start_assessment(owner, delegation, title="Primero rollout", tool_name="Primero")
        invitation = invite_respondents(owner, assessment, role=role, name=name)[0]
        if status in ("collecting", "closed"):
            open_assessment(owner, assessment)
        if status == "closed":
            close_assessment(owner, assessment)
        db_session.commit()
        return assessment.id, invitation.token, invitation.respondent.id

    return make


def role_pages(app, role: str):
    with app.app_context():
        q = get_definitions().latest_questionnaire("readiness")
        from readiness.domain.collection import role_pages as pages_of

        pages = pages_of(q, role)
        return q, [p.id for p in pages], {p.id: [q.item(i) for i in p.item_ids] for p in pages}


def first_level_items(items, count=2):
    return [i for i in items if i.type == "level"][:count]


def test_the_link_opens_the_first_page_with_only_the_roles_questions(app, client, invite):
    _aid, token, _rid = invite("social_worker")
    q, pages, by_page = role_pages(app, "social_worker")
    welcome = client.get(f"/r/{token}").get_data(as_text=True)
    assert f'href="/r/{token}/{pages[0]}"' in welcome  # a fresh link opens on the welcome page
    page = client.get(f"/r/{token}/{pages[0]}").get_data(as_text=True)
    for item in by_page[pages[0]]:
        assert unescape(item.text["en"]) in unescape(page)
    others = [i for i in q.items_in(pages[0]) if "social_worker" not in i.roles]
    assert others and all(unescape(i.text["en"]) not in unescape(page) for i in others)
    level_item = first_level_items(by_page[pages[0]], 1)[0]
    for descriptor in level_item.levels.values():  # the choices are the descriptors, not bare numbers
        assert unescape(descriptor["en"]) in unescape(page)
    assert "Don&#39;t know" in page and "Not applicable" in page
    assert f"Page 1 of {len(pages)}" in page
    assert f"0 of {len(q.items_for_role('social_worker'))} questions answered" in page


def test_respondent_pages_are_light_and_private(client, invite):
    _aid, token, _rid = invite()
    for response in (client.get(f"/r/{token}"), client.get(f"/r/{token}/needs")):
        page = response.get_data(as_text=True)
        # At most one small script of our own (answers kept on the phone), loaded from a file: no inline script.
        scripts = [re.sub(r"\?v=[0-9a-f]{16}", "", s) for s in re.findall(r"<script[^>]*>", page)]
        assert "plotly" not in page.lower() and scripts in ([], [
            '<script src="/static/js/respond-offline.js" data-sw="/r/sw.js" data-scope="/r/" defer>'])
        assert len(response.data) < 20_000
        assert response.headers["Cache-Control"] == "no-store"
        assert 'name="viewport"' in page


def test_the_first_page_says_who_asks_why_how_long_and_who_sees_what(app, client, invite, db_session):
    from readiness.questionnaire.effort import minutes_for_role

    aid, token, _rid = invite("social_worker")
    q, pages, _by_page = role_pages(app, "social_worker")
    assessment = db_session.get(Assessment, aid)
    page = unescape(client.get(f"/r/{token}").get_data(as_text=True))
    assert assessment.delegation.name in page and "Primero" in page  # who asks, about which tool
    assert "before" in page and "rollout" in page  # why
    assert f"about {minutes_for_role(q, 'social_worker')} minutes" in page
    assert "Who will see your answers" in page and "without your name" in page
    assert "stop at any time" in page and "same link" in page
    assert f'href="/r/{token}/{pages[0]}"' in page


def test_a_returning_respondent_skips_the_welcome_page(app, client, invite):
    _aid, token, _rid = invite()
    _q, pages, _by = role_pages(app, "social_worker")
    form = hidden_fields(client.get(f"/r/{token}/{pages[0]}").get_data(as_text=True))
    client.post(f"/r/{token}/{pages[0]}", data=form | {"go": "next"})
    assert client.get(f"/r/{token}").headers["Location"] == f"/r/{token}/{pages[1]}"
    assert client.get(f"/r/{token}/welcome").status_code == 200  # still reachable


def test_every_option_shows_its_level_number(app, client, invite):
    _aid, token, _rid = invite("manager")
    _q, pages, by_page = role_pages(app, "manager")
    page = client.get(f"/r/{token}/{pages[0]}").get_data(as_text=True)
    item = first_level_items(by_page[pages[0]], 1)[0]
    for level in item.levels:
        assert re.search(rf'id="{item.id}-{level}"[^>]*>\s*<span class="level-number">Level {level}</span>', page)


def test_saving_a_page_keeps_the_answers_and_moves_on(app, client, invite, db_session):
    aid, token, rid = invite()
    q, pages, by_page = role_pages(app, "social_worker")
    a, b = first_level_items(by_page[pages[0]])
    form = hidden_fields(client.get(f"/r/{token}/{pages[0]}").get_data(as_text=True))
    response = client.post(f"/r/{token}/{pages[0]}", data=form | {a.id: "3", b.id: "dont_know", a.id + "__comment": "Only on Mondays", "go": "next"})
    assert response.status_code == 302 and response.headers["Location"] == f"/r/{token}/{pages[1]}"
    answers = {x.item_id: x for x in db_session.scalars(select(Answer).where(Answer.respondent_id == rid))}
    assert answers[a.id].value == 3 and answers[a.id].comment == "Only on Mondays"
    assert answers[b.id].special.value == "dont_know" and answers[b.id].value is None
    page = client.get(f"/r/{token}/{pages[1]}").get_data(as_text=True)
    assert f"Page 2 of {len(pages)}" in page and "2 of 18 questions answered" in page
    # the saved answers show when going back
    back = client.get(f"/r/{token}/{pages[0]}").get_data(as_text=True)
    assert re.search(rf'<input checked id="{a.id}-3"|<input[^>]*id="{a.id}-3"[^>]*checked', back)


def test_reopening_the_link_returns_to_the_page_where_they_stopped(app, client, invite):
    _aid, token, _rid = invite()
    _q, pages, _by_page = role_pages(app, "social_worker")
    form = hidden_fields(client.get(f"/r/{token}/{pages[1]}").get_data(as_text=True))
    response = client.post(f"/r/{token}/{pages[1]}", data=form | {"go": "later"})
    assert response.headers["Location"] == f"/r/{token}/saved"
    assert "Your answers are saved" in client.get(f"/r/{token}/saved").get_data(as_text=True)
    assert client.get(f"/r/{token}").headers["Location"] == f"/r/{token}/{pages[1]}"


def test_back_saves_and_goes_to_the_previous_page(app, client, invite, db_session):
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    item = first_level_items(by_page[pages[1]], 1)[0]
    form = hidden_fields(client.get(f"/r/{token}/{pages[1]}").get_data(as_text=True))
    response = client.post(f"/r/{token}/{pages[1]}", data=form | {item.id: "not_applicable", "go": "back"})
    assert response.headers["Location"] == f"/r/{token}/{pages[0]}"
    assert db_session.scalar(select(Answer.special).where(Answer.respondent_id == rid, Answer.item_id == item.id)).value == "not_applicable"
    assert "1 of 18 questions answered" in client.get(f"/r/{token}/{pages[0]}").get_data(as_text=True)


def test_the_last_page_leads_to_a_thank_you_and_answers_stay_changeable(app, client, invite, db_session):
    _aid, token, rid = invite()
    _q, pages, _by_page = role_pages(app, "social_worker")
    form = hidden_fields(client.get(f"/r/{token}/{pages[-1]}").get_data(as_text=True))
    assert "Save and finish" in client.get(f"/r/{token}/{pages[-1]}").get_data(as_text=True)
    response = client.post(f"/r/{token}/{pages[-1]}", data=form | {"go": "next"})
    assert response.headers["Location"] == f"/r/{token}/finish"
    page = client.get(f"/r/{token}/finish").get_data(as_text=True)
    assert "Thank you" in page and "What happens next" in page and "change any answer" in page
    assert db_session.get(Respondent, rid).submitted_at is not None
    assert client.get(f"/r/{token}").headers["Location"] == f"/r/{token}/finish"
    assert client.get(f"/r/{token}/{pages[0]}").status_code == 200


@pytest.mark.parametrize("problem", ["expired", "revoked", "tampered", "garbage"])
def test_unusable_links_show_no_data(client, invite, db_session, problem):
    _aid, token, rid = invite()
    respondent = db_session.get(Respondent, rid)
    if problem == "expired":
        respondent.token_expires_at = utcnow() - timedelta(minutes=1)
    elif problem == "revoked":
        respondent.revoked_at = utcnow()
    db_session.commit()
    link = {"tampered": token[:-1] + ("A" if token[-1] != "A" else "B"), "garbage": "abc<script>"}.get(problem, token)
    for url in (f"/r/{link}", f"/r/{link}/needs", f"/r/{link}/finish"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == (410 if problem in ("expired", "revoked") else 404)
        assert "This link cannot be used" in page
        assert "Primero" not in page and "Page 1 of" not in page
    expected = {"expired": "has expired", "revoked": "has been withdrawn"}.get(problem, "do not recognise this link")
    assert expected in client.get(f"/r/{link}").get_data(as_text=True)


def test_before_opening_the_link_says_to_come_back_later(client, invite):
    _aid, token, _rid = invite(status="draft")
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert "not open yet" in page
    assert client.get(f"/r/{token}/needs").status_code == 200
    assert "not open yet" in client.get(f"/r/{token}/needs").get_data(as_text=True)


def test_after_closing_the_link_is_read_only(app, client, invite, db_session):
    aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    item = first_level_items(by_page[pages[0]], 1)[0]
    form = hidden_fields(client.get(f"/r/{token}/{pages[0]}").get_data(as_text=True))
    client.post(f"/r/{token}/{pages[0]}", data=form | {item.id: "2", "go": "next"})
    from readiness.models import Assessment
    close_assessment(None, db_session.get(Assessment, aid))
    db_session.commit()
    assert client.get(f"/r/{token}").headers["Location"] == f"/r/{token}/closed"
    page = client.get(f"/r/{token}/closed").get_data(as_text=True)
    assert "This assessment is closed" in page and unescape(item.levels[2]["en"]) in unescape(page)
    assert "<form method=\"post\" enctype" not in page
    response = client.post(f"/r/{token}/{pages[0]}", data=form | {item.id: "4", "go": "next"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/closed")
    db_session.expire_all()
    assert db_session.scalar(select(Answer.value).where(Answer.respondent_id == rid, Answer.item_id == item.id)) == 2


def test_a_save_from_a_stale_tab_refuses_only_the_conflicting_answer(app, client, invite, db_session):
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    a, b = first_level_items(by_page[pages[0]])
    url = f"/r/{token}/{pages[0]}"
    tab_one = hidden_fields(client.get(url).get_data(as_text=True))
    tab_two = hidden_fields(client.get(url).get_data(as_text=True))
    assert client.post(url, data=tab_two | {a.id: "4", "go": "next"}).status_code == 302
    response = client.post(url, data=tab_one | {a.id: "1", b.id: "2", "go": "next"})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "changed elsewhere" in page
    assert "Level 4: " + a.levels[4]["en"] in page and "Level 1: " + a.levels[1]["en"] in page
    answers = {x.item_id: x.value for x in db_session.scalars(select(Answer).where(Answer.respondent_id == rid))}
    assert answers == {a.id: 4, b.id: 2}  # the first save kept, the other item saved
    # saving again from the refreshed form keeps the respondent's choice deliberately
    again = hidden_fields(response.get_data(as_text=True))
    assert client.post(url, data=again | {a.id: "1", b.id: "2", "go": "next"}).status_code == 302
    db_session.expire_all()
    assert db_session.scalar(select(Answer.value).where(Answer.respondent_id == rid, Answer.item_id == a.id)) == 1


def test_an_untouched_answer_in_a_stale_tab_is_no_conflict(app, client, invite, db_session):
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    a, b = first_level_items(by_page[pages[0]])
    url = f"/r/{token}/{pages[0]}"
    old = hidden_fields(client.get(url).get_data(as_text=True))
    client.post(url, data=old | {a.id: "4", "go": "next"})
    response = client.post(url, data=old | {b.id: "3", "go": "next"})
    assert response.status_code == 302
    answers = {x.item_id: x.value for x in db_session.scalars(select(Answer).where(Answer.respondent_id == rid))}
    assert answers == {a.id: 4, b.id: 3}


def test_a_tampered_choice_is_refused_and_nothing_saved(app, client, invite, db_session):
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    a, b = first_level_items(by_page[pages[0]])
    form = hidden_fields(client.get(f"/r/{token}/{pages[0]}").get_data(as_text=True))
    response = client.post(f"/r/{token}/{pages[0]}", data=form | {a.id: "9", b.id: "2", "go": "next"})
    assert response.status_code == 400
    assert "Nothing on this page has been saved yet" in response.get_data(as_text=True)
    assert db_session.scalars(select(Answer).where(Answer.respondent_id == rid)).all() == []


def test_every_answer_edit_is_audited_without_the_respondents_name(app, client, invite, db_session):
    _aid, token, rid = invite("supervisor", name="Awa Traoré")
    _q, pages, by_page = role_pages(app, "supervisor")
    item = first_level_items(by_page[pages[0]], 1)[0]
    url = f"/r/{token}/{pages[0]}"
    client.post(url, data=hidden_fields(client.get(url).get_data(as_text=True)) | {item.id: "1", "go": "later"})
    client.post(url, data=hidden_fields(client.get(url).get_data(as_text=True)) | {item.id: "2", "go": "later"})
    entries = db_session.scalars(select(AuditEntry).where(AuditEntry.action.like("answer.%")).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["answer.create", "answer.update"]
    assert entries[1].before["value"] == 1 and entries[1].after["value"] == 2
    assert {e.actor_label for e in entries} == {f"respondent #{rid} (Case-management supervisor or team leader)"}
    assert all("Awa" not in e.actor_label for e in entries)


def test_markup_in_answers_comes_out_escaped(app, client, invite):
    _aid, token, _rid = invite()
    q, pages, by_page = role_pages(app, "social_worker")
    text_item = next(i for p in pages for i in by_page[p] if i.type == "text")
    level = first_level_items(by_page[pages[0]], 1)[0]
    payload = '<script>alert("x")</script><b onmouseover=1>'
    for page_id, fields in ((pages[0], {level.id + "__comment": payload}), (text_item.dimension, {text_item.id: payload})):
        form = hidden_fields(client.get(f"/r/{token}/{page_id}").get_data(as_text=True))
        client.post(f"/r/{token}/{page_id}", data=form | fields | {"go": "later"})
    page = client.get(f"/r/{token}/finish").get_data(as_text=True)
    assert payload not in page and "&lt;script&gt;alert(" in page
    edit = client.get(f"/r/{token}/{pages[0]}").get_data(as_text=True)
    assert payload not in edit and "&lt;script&gt;" in edit


def test_the_respondent_can_answer_in_french(app, client, invite):
    _aid, token, _rid = invite()
    q, pages, by_page = role_pages(app, "social_worker")
    page_url = f"/r/{token}/{pages[0]}"
    csrf = hidden_fields(client.get(page_url).get_data(as_text=True))["csrf_token"]
    client.post("/language", data={"lang": "fr", "next": page_url, "csrf_token": csrf})
    refresh()  # the fixtures' app context outlives requests, and Babel caches the locale in it
    page = unescape(client.get(page_url).get_data(as_text=True))
    item = by_page[pages[0]][0]
    assert item.text["fr"] in page and item.text["en"] not in page
    assert '<html lang="fr"' in page


def test_a_required_evidence_item_answered_without_evidence_gets_a_gentle_note(app, client, make_user, db_session):
    with app.app_context():
        q = get_definitions().latest_questionnaire("readiness")
    item = next(i for i in q.items if i.evidence == "required" and i.type == "level")
    role = item.roles[0]
    delegation = Delegation(name="Evidence place", country="Nepal", region="South Asia", context_type=ContextType.STABLE)
    db_session.add(delegation)
    owner = make_user(delegations=[delegation])
    assessment = start_assessment(owner, delegation, title="T", tool_name="Tool")
    open_assessment(owner, assessment)
    token = invite_respondents(owner, assessment, role=role)[0].token
    db_session.commit()
    url = f"/r/{token}/{item.dimension}"
    form = hidden_fields(client.get(url).get_data(as_text=True))
    assert client.post(url, data=form | {item.id: "3", "go": "later"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "You answered this question without evidence" in page
    assert "Some answers would be stronger with evidence" in client.get(f"/r/{token}/finish").get_data(as_text=True)


def test_an_unknown_page_is_404(client, invite):
    _aid, token, _rid = invite("partner")
    assert client.get(f"/r/{token}/ict").status_code == 404  # partners are not asked about ICT
    assert client.get(f"/r/{token}/nonsense").status_code == 404
    assert db.session is not None


def test_long_pages_are_split_and_say_which_part_they_are(app, client, invite):
    _aid, token, _rid = invite("it_admin")
    _q, pages, by_page = role_pages(app, "it_admin")
    assert "ict-1" in pages and "ict-2" in pages and "ict" not in pages
    page = unescape(client.get(f"/r/{token}/ict-1").get_data(as_text=True))
    assert "ICT infrastructure (part 1 of 2)" in page
    assert page.count('<fieldset class="question') == len(by_page["ict-1"]) == 6
    assert client.get(f"/r/{token}/ict").status_code == 404
