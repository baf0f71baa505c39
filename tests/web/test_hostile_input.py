"""Hostile text in any field: NUL and control characters, bidi overrides, odd digits, off-site redirects."""
from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from readiness.domain.plaintext import clean_input, isolate_bidi, isolated
from readiness.models import Answer, Delegation, Role

from ..helpers import csrf_token_in
from .committee_fixtures import PASSWORD, closed_assessment, delegation, log_in, submitted
from .test_respond import first_level_items, hidden_fields, invite, role_pages  # noqa: F401  (fixture)

RLO = "\u202e"


def test_clean_input_drops_nul_and_controls_but_keeps_line_breaks() -> None:
    assert clean_input("a\x00b\x07c\x1bd\x7fe\x85f") == "abcdef"
    assert clean_input("line one\r\nline\ttwo") == "line one\r\nline\ttwo"
    assert clean_input("\u2068" + "ab" + RLO + "c\u2069") == "ab" + RLO + "c"  # the isolate a page added


def test_isolate_bidi_closes_what_the_value_opens_and_ignores_stray_closers() -> None:
    assert isolate_bidi("plain") == "plain"
    assert isolate_bidi("a" + RLO + "b") == "\u2068a" + RLO + "b\u2069"
    assert isolate_bidi("\u2069x\u2067y") == "\u2068x\u2067y\u2069\u2069"


def test_a_name_inside_a_sentence_is_always_isolated_once() -> None:
    assert isolated("Mali (north) 2") == "\u2068Mali (north) 2\u2069"
    assert isolated("a" + RLO + "b") == isolate_bidi("a" + RLO + "b") == "\u2068a" + RLO + "b\u2069"
    assert clean_input(isolated("Mopti")) == "Mopti"


@pytest.mark.parametrize("target", ["/\t/evil.example/", "/\\evil.example", "//evil.example",
                                    "https://evil.example/", "/\n/evil.example", " //evil.example", "javascript:alert(1)"])
def test_the_login_never_sends_anyone_off_site(client, make_user, target: str) -> None:
    user = make_user(role=Role.HQ, password="a long enough secret")
    token = csrf_token_in(client.get("/login").get_data(as_text=True))

    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": "a long enough secret", "csrf_token": token})

    # Refused targets fall back to the person's own home page (the portfolio for headquarters).
    assert response.status_code == 302 and response.headers["Location"] == "/hq/"


@pytest.mark.parametrize("target", ["/\t/evil.example/", "/\\evil.example", "//evil.example", "http://evil.example"])
def test_the_language_switch_never_sends_anyone_off_site(client, target: str) -> None:
    token = csrf_token_in(client.get("/login").get_data(as_text=True))

    response = client.post("/language", data={"lang": "fr", "next": target, "csrf_token": token})

    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_local_next_is_still_followed(client, make_user) -> None:
    user = make_user(role=Role.HQ, password="a long enough secret")
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=/hq/%3Fsort%3Dname", data={"email": user.email, "password": "a long enough secret",
                                                                   "csrf_token": token})
    assert response.headers["Location"] == "/hq/?sort=name"


def test_a_nul_byte_in_the_login_email_is_an_ordinary_wrong_login(client, make_user) -> None:
    make_user(role=Role.HQ, password="a long enough secret", email="ana@example.org")
    token = csrf_token_in(client.get("/login").get_data(as_text=True))

    response = client.post("/login", data={"email": "ana\x00@example.org", "password": "x", "csrf_token": token})

    assert response.status_code == 400 and "Email or password is not right." in response.get_data(as_text=True)


def test_nul_in_search_filters_and_form_fields_is_stripped_not_a_500(client, login_as, db_session) -> None:
    login_as(Role.ADMIN)
    assert client.get("/admin/users", query_string={"q": "ad\x00min", "role": "\x00"}).status_code == 200
    assert client.get("/hq/", query_string={"region": "West\x00Africa", "status": "\x00"}).status_code == 200
    page = client.get("/admin/delegations/new").get_data(as_text=True)
    response = client.post("/admin/delegations/new", data={
        "csrf_token": csrf_token_in(page), "name": "Gao\x00 office", "country": "Mali\x00", "region": "West Africa",
        "context_type": "stable"})
    assert response.status_code == 302
    assert db_session.scalar(select(Delegation.name)) == "Gao office"


def test_a_superscript_digit_in_a_version_field_is_not_a_500(app, client, invite, db_session) -> None:
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    a, _b = first_level_items(by_page[pages[0]])
    url = f"/r/{token}/{pages[0]}"
    form = hidden_fields(client.get(url).get_data(as_text=True))

    response = client.post(url, data=form | {a.id: "3", a.id + "__version": "²", "go": "next"})

    assert response.status_code == 302
    assert db_session.scalar(select(Answer.value).where(Answer.respondent_id == rid)) == 3


def test_a_screening_note_past_its_limit_is_refused_with_the_page_kept(client, make_user, db_session) -> None:
    home = delegation("Kivu")
    member = make_user(role=Role.MEMBER, password=PASSWORD, delegations=[home])
    chair = make_user(role=Role.CHAIR, password=PASSWORD)
    proposal = submitted(closed_assessment(home), member)
    log_in(client, chair)
    url = f"/committee/proposals/{proposal.id}"
    note = "Because " + "x" * 2000

    response = client.post(url + "/screening", data={"csrf_token": csrf_token_in(client.get(url).get_data(as_text=True)),
                                                     "route": "expedited", "note": note})

    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "2000" in page and note in page  # the limit is said, and what was typed is still there
    assert proposal.status.value == "submitted"


def test_a_right_to_left_override_stays_inside_the_name_that_brought_it(client, login_as, db_session) -> None:
    db_session.add(Delegation(name="Gao " + RLO + "eciffo", country="Mali", region="West Africa", context_type="stable"))
    db_session.commit()
    login_as(Role.ADMIN)

    page = client.get("/admin/delegations").get_data(as_text=True)

    assert "\u2068Gao " + RLO + "eciffo\u2069" in page


@pytest.mark.parametrize(("name", "email"), [("N" * 200, "user@example.org"), ("N" * 200, "e" * 240 + "@example.org"), ("Ana", "a@b.org")])
def test_an_audit_label_always_fits_its_column(name: str, email: str) -> None:
    from readiness.models import User
    from readiness.services.audit import LABEL_MAX, actor_label

    label = actor_label(User(name=name, email=email))

    assert len(label) <= LABEL_MAX and label.startswith(name[:3])
    assert email in label or len(email) > LABEL_MAX - 10
