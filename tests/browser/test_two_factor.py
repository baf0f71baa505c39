"""Setting up and using the second factor in Chromium, on a phone and a desktop, with axe-core."""
from __future__ import annotations

import pyotp
from playwright.sync_api import expect
import pytest

from readiness.models import Role, utcnow

PASSWORD = "correct horse battery"


@pytest.fixture
def app(app):
    app.config["SECOND_FACTOR_REQUIRED"] = True
    return app


def check(page, axe_violations):
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1, page.url


def log_in(page, email):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [375, 1366])
def test_a_committee_member_sets_up_the_second_factor_then_logs_in_with_it(page, axe_violations, make_user, width):
    page.set_viewport_size({"width": width, "height": 900})
    user = make_user(role=Role.COMMITTEE, password=PASSWORD, email=f"chiara{width}@example.org")
    log_in(page, user.email)
    assert page.url.endswith("/account/two-factor")
    check(page, axe_violations)
    page.get_by_role("button", name="Set up the second factor").click()
    # Polled from here: wait_for_function evaluates a string, which the page's CSP (rightly) forbids.
    image = page.locator(".qr img")
    for _ in range(100):
        if image.evaluate("img => img.complete && img.naturalWidth > 0"):
            break
        page.wait_for_timeout(100)
    assert image.evaluate("img => img.naturalWidth > 0")
    check(page, axe_violations)
    secret = page.locator("code.key").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator(".recovery-codes code")).to_have_count(10)  # count() would not wait for the page to arrive
    check(page, axe_violations)

    page.get_by_role("button", name="Log out").click()
    log_in(page, user.email)
    assert "/login/code" in page.url
    check(page, axe_violations)
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(utcnow(), counter_offset=1))
    page.get_by_role("button", name="Continue").click()
    page.goto("/account/two-factor")
    assert "The second factor is on." in page.content()
    check(page, axe_violations)
