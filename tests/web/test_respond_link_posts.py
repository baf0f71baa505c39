"""Respondent posts are protected by their link, not by the session: a lost cookie loses nothing."""
from __future__ import annotations

from sqlalchemy import select

from readiness.models import Answer

from .test_respond import first_level_items, hidden_fields, invite, role_pages  # noqa: F401  (fixture)


def page_and_form(app, client, token):
    _q, pages, by_page = role_pages(app, "social_worker")
    url = f"/r/{token}/{pages[0]}"
    return url, first_level_items(by_page[pages[0]], 1)[0], hidden_fields(client.get(url).get_data(as_text=True))


def test_a_page_saves_after_the_session_cookie_is_lost(app, client, invite, db_session):
    _aid, token, rid = invite()
    url, item, form = page_and_form(app, client, token)
    assert form["link_proof"]
    form.pop("csrf_token", None)  # the language switcher's, not the answers form's
    client._cookies.clear()  # the phone restarted: the browser forgot every cookie
    response = client.post(url, data=form | {item.id: "2", "go": "next"})
    assert response.status_code == 302
    assert db_session.scalar(select(Answer.value).where(Answer.respondent_id == rid, Answer.item_id == item.id)) == 2


def test_a_post_without_the_links_proof_is_refused(app, client, invite, db_session):
    _aid, token, rid = invite()
    url, item, form = page_and_form(app, client, token)
    for proof in ("", "0" * 40):
        response = client.post(url, data=form | {"link_proof": proof, item.id: "2"})
        assert response.status_code == 400
    _aid2, other_token, _rid2 = invite()
    _url, _item, other_form = page_and_form(app, client, other_token)
    assert client.post(url, data=form | {"link_proof": other_form["link_proof"], item.id: "2"}).status_code == 400
    assert db_session.scalar(select(Answer).where(Answer.respondent_id == rid)) is None


def test_a_post_from_another_site_is_refused(app, client, invite, db_session):
    _aid, token, rid = invite()
    url, item, form = page_and_form(app, client, token)
    for header in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/page"}):
        assert client.post(url, data=form | {item.id: "2"}, headers=header).status_code == 403
    assert db_session.scalar(select(Answer).where(Answer.respondent_id == rid)) is None
    same_site = client.post(url, data=form | {item.id: "2", "go": "next"}, headers={"Origin": "http://localhost"})
    assert same_site.status_code == 302


def test_the_service_worker_is_served_for_the_respondent_pages(client):
    response = client.get("/r/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert b"addEventListener(\"fetch\"" in response.data
