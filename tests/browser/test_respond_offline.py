"""Answers survive the connection: kept on the phone, reopened offline, sent on return, conflicts shown."""
from __future__ import annotations

from html import unescape
from typing import Any

from sqlalchemy import select

from readiness.domain.collection import AnswerState
from readiness.extensions import db
from readiness.models import Answer, AnswerSource, Assessment, Respondent
from readiness.services import submissions
from readiness.services.answers import Submission
from readiness.services.results import definitions_for
from tests.web.test_respond import first_level_items, invite, role_pages  # noqa: F401  (fixture)

SHOTS = "/tmp/shots_collect"


def radio(item: Any, value: str) -> str:
    return f'input[name="{item.id}"][value="{value}"]'


def stored(app: Any, rid: int) -> dict[str, Any]:
    with app.app_context():
        rows = db.session.scalars(select(Answer).where(Answer.respondent_id == rid))
        return {a.item_id: (a.special.value if a.special else a.value) for a in rows}


def change_elsewhere(app: Any, rid: int, item_id: str, level: int) -> None:
    """Another device of the same respondent saves ``level`` for ``item_id`` (the page had shown it empty)."""
    with app.app_context():
        respondent = db.session.get(Respondent, rid)
        assessment = db.session.get(Assessment, respondent.assessment_id)
        q, _charter = definitions_for(assessment)
        entry = submissions.Entry([Submission(item_id, AnswerState(level), AnswerState().digest())], respondent=respondent)
        submissions.receive(AnswerSource.WEB, assessment, q, [entry], "laptop")
        db.session.commit()


def open_with_service_worker(context: Any, url: str) -> Any:
    page = context.new_page()
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now fetched through the service worker, which keeps the page for offline use
    # Polled from here: wait_for_function evaluates a string, which the page's CSP forbids when it must wait.
    for _ in range(200):
        if page.evaluate("() => navigator.serviceWorker.controller !== null"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    return page


def test_answers_entered_offline_are_kept_reopened_and_sent_with_conflicts_shown(app, browser, live_server, network, invite):
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    a, b, c = first_level_items(by_page[pages[1]], 3)
    url = f"{live_server}/r/{token}/{pages[1]}"
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = open_with_service_worker(context, url)

    page.check(radio(a, "3"))
    page.check(radio(b, "dont_know"))
    page.check(radio(c, "2"))
    page.locator(f"#q-{a.id} details.comment summary").click()
    page.fill(f"#{a.id}__comment", "Only on Mondays")
    # The phone loses its connection: the tab is told so (navigator.onLine) and nothing gets through
    # (network.cut, because Playwright tells a closing tab it is online again; see tests/browser/conftest.py).
    network.cut()
    context.set_offline(True)
    page.get_by_role("button", name="Save and continue").click()
    assert page.url == url  # the click ran the page's submit handler, which kept the answers instead of posting
    status = page.locator("#offline-status")
    status.wait_for(state="visible")
    assert status.inner_text() == "Saved on this phone, not sent yet (3)"
    page.screenshot(path=f"{SHOTS}/offline_not_sent_375.png", full_page=False)
    assert stored(app, rid) == {}

    page.close()  # the phone closes the browser tab; later it is reopened, still without a connection
    page = context.new_page()
    page.goto(url)
    assert page.is_checked(radio(a, "3")) and page.is_checked(radio(b, "dont_know")) and page.is_checked(radio(c, "2"))
    assert page.input_value(f"#{a.id}__comment") == "Only on Mondays"
    assert page.locator("#offline-status").inner_text() == "Saved on this phone, not sent yet (3)"
    page.screenshot(path=f"{SHOTS}/offline_reopened_375.png", full_page=True)
    assert stored(app, rid) == {}  # nothing has left the phone yet: the laptop's change below comes first

    change_elsewhere(app, rid, b.id, 1)  # meanwhile, on the laptop
    assert stored(app, rid) == {b.id: 1}
    network.restore()
    context.set_offline(False)
    page.locator(".conflict").wait_for(timeout=60_000)  # sent on the "online" event, or by the retry every 5 s
    text = unescape(page.locator("main").inner_text())
    assert "This answer was changed elsewhere after you opened the page." in text
    assert f"Level 1: {b.levels[1]['en']}" in text and "Don't know" in page.locator(".conflict").inner_text()
    assert page.locator("#offline-status").inner_text() == "Sent"
    assert stored(app, rid) == {a.id: 3, b.id: 1, c.id: 2}
    with app.app_context():
        comment = db.session.scalar(select(Answer.comment).where(Answer.respondent_id == rid, Answer.item_id == a.id))
    assert comment == "Only on Mondays"
    page.screenshot(path=f"{SHOTS}/offline_sent_conflict_375.png", full_page=True)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('readiness:'))") == []
    context.close()


def test_a_lost_session_cookie_loses_nothing(app, browser, live_server, invite):
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    item = first_level_items(by_page[pages[0]], 1)[0]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/r/{token}/{pages[0]}")
    page.check(radio(item, "4"))
    context.clear_cookies()  # the browser restarted and forgot its session
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"**/r/{token}/{pages[1]}")
    assert page.locator("#offline-status").inner_text() == "Sent"
    assert stored(app, rid) == {item.id: 4}
    context.close()


def test_without_javascript_the_page_still_saves(app, browser, live_server, invite):
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    item = first_level_items(by_page[pages[0]], 1)[0]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/r/{token}/{pages[0]}")
    page.check(radio(item, "1"))
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"**/r/{token}/{pages[1]}")
    assert stored(app, rid) == {item.id: 1}
    context.close()
