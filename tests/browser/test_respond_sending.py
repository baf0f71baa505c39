"""What respond-offline.js sends by itself, and what it never drops: answers ticked while others are
on their way, a page still being answered, a server that answers with an error."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.browser.test_respond_offline import change_elsewhere, open_with_service_worker, radio, stored
from tests.web.test_respond import first_level_items, invite, role_pages  # noqa: F401  (fixture)

RETRY_MS = 5000  # respond-offline.js tries again this often while answers wait


def eventually(page: Any, check: Callable[[], bool], seconds: float = 30) -> bool:
    """Poll ``check`` (wait_for_function would evaluate a string, which the page's CSP forbids)."""
    for _ in range(int(seconds * 10)):
        if check():
            return True
        page.wait_for_timeout(100)
    return check()


def is_sync(request: Any) -> bool:
    return request.method == "POST" and request.headers.get("x-readiness-sync") == "1"


def saved_offline(browser: Any, network: Any, url: str, item: Any, value: str) -> tuple[Any, Any]:
    """A phone that ticks ``value`` for ``item`` and presses save without a connection: the answer is queued."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(url)
    page.check(radio(item, value))
    network.cut()
    context.set_offline(True)
    page.get_by_role("button", name="Save and continue").click()
    assert page.url == url
    return context, page


def test_an_answer_ticked_while_earlier_ones_are_sent_is_kept_and_sent_next(app, browser, live_server, network, invite):
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    a, b = first_level_items(by_page[pages[1]], 2)
    url = f"{live_server}/r/{token}/{pages[1]}"
    context, page = saved_offline(browser, network, url, a, "3")
    held: list[Any] = []
    # The first send is held on its way, as on a slow link, while the person answers the next question.
    page.route("**/r/**", lambda route: held.append(route) if is_sync(route.request) and not held else route.fallback())

    network.restore()
    context.set_offline(False)
    assert eventually(page, lambda: bool(held))
    page.check(radio(b, "2"))
    held[0].continue_()

    # The earlier send brought a only; b goes with the next try instead of vanishing with the page.
    assert eventually(page, lambda: stored(app, rid) == {a.id: 3, b.id: 2}), stored(app, rid)
    assert eventually(page, lambda: page.locator("#offline-status").inner_text() == "Sent")
    assert page.is_checked(radio(a, "3")) and page.is_checked(radio(b, "2"))
    context.close()


def test_a_page_being_answered_online_is_not_sent_behind_the_persons_back(app, browser, live_server, invite):
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    a, b = first_level_items(by_page[pages[1]], 2)
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.clock.install()  # the retry timer runs when the test says, not when the machine gets to it
    synced: list[str] = []
    page.on("request", lambda request: synced.append(request.url) if is_sync(request) else None)
    page.goto(f"{live_server}/r/{token}/{pages[1]}")

    page.check(radio(a, "3"))
    page.clock.run_for(2 * RETRY_MS + 500)  # two retries pass while the person reads the next question
    page.check(radio(b, "2"))
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"**/r/{token}/{pages[2]}")

    assert synced == []  # the page went when the person pressed its button, whole
    assert stored(app, rid) == {a.id: 3, b.id: 2}
    context.close()


def test_a_server_error_keeps_the_answers_for_the_next_try(app, browser, live_server, network, invite):
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    a = first_level_items(by_page[pages[1]], 1)[0]
    url = f"{live_server}/r/{token}/{pages[1]}"
    context, page = saved_offline(browser, network, url, a, "4")
    failed: list[str] = []

    def proxy_down(route: Any) -> None:
        if is_sync(route.request) and not failed:
            failed.append(route.request.url)
            route.fulfill(status=502, content_type="text/html", body="<html><body>Bad gateway</body></html>")
        else:
            route.fallback()

    page.route("**/r/**", proxy_down)  # the phone is online, but the proxy in front of the app is not answering
    network.restore()
    context.set_offline(False)
    assert eventually(page, lambda: bool(failed))

    assert "Bad gateway" not in page.locator("body").inner_text()
    assert page.is_checked(radio(a, "4"))
    assert eventually(page, lambda: stored(app, rid) == {a.id: 4}), stored(app, rid)  # the next try gets through
    assert eventually(page, lambda: page.locator("#offline-status").inner_text() == "Sent")
    context.close()


def test_a_conflict_on_another_page_waits_for_that_page_instead_of_vanishing(app, browser, live_server, network, invite):
    _aid, token, rid = invite()
    _q, pages, by_page = role_pages(app, "social_worker")
    a = first_level_items(by_page[pages[1]], 1)[0]
    here, other = f"{live_server}/r/{token}/{pages[2]}", f"{live_server}/r/{token}/{pages[1]}"
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = open_with_service_worker(context, here)  # both pages kept by the service worker for offline use
    page.goto(other)
    page.check(radio(a, "3"))
    network.cut()
    context.set_offline(True)
    page.get_by_role("button", name="Save and continue").click()
    page.goto(here)  # offline, the person moves on to the next page
    change_elsewhere(app, rid, a.id, 1)  # meanwhile, on the laptop
    answers: list[int] = []
    page.on("response", lambda response: answers.append(response.status) if is_sync(response.request) else None)

    network.restore()
    context.set_offline(False)
    assert eventually(page, lambda: 409 in answers)  # sent from this page: the other page's answer conflicts

    page.goto(other)  # the person's answer is still there, and saving it shows both values
    assert page.is_checked(radio(a, "3"))
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".conflict").wait_for()
    assert stored(app, rid) == {a.id: 1}  # nothing overwritten before the person chooses
    context.close()
