"""Sign-up, log-in and log-out in a real browser; API errors shown with their details."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.flows import PASSWORD, sign_up

pytestmark = pytest.mark.browser


async def test_signup_login_logout_and_error_messages(new_page: Any) -> None:
    page = await new_page(width=390, height=844)  # phone-sized
    await page.goto("/#/signup")
    await page.get_by_label("Username").fill("x")
    await page.get_by_label("Email").fill("not-an-email")
    await page.get_by_label("Password").fill("short")
    await page.get_by_role("button", name="Sign up").click()
    assert "3 to 32" in await page.locator("#f-username-error").inner_text()
    assert await page.get_by_label("Password").get_attribute("aria-invalid") == "true"

    await sign_up(page, "carol")
    assert await page.locator(".nav-user").inner_text() == "carol"

    # the API's 409 for a taken username is shown as the API worded it
    other = await new_page()
    await other.goto("/#/signup")
    await other.get_by_label("Username").fill("carol")
    await other.get_by_label("Email").fill("carol2@example.com")
    await other.get_by_label("Password").fill(PASSWORD)
    await other.get_by_role("button", name="Sign up").click()
    alert = other.get_by_role("alert")
    await alert.wait_for()
    text = await alert.inner_text()
    assert text.strip() == "That username is already taken.", text  # no raw "field: username"
    assert await other.get_by_label("Username").get_attribute("aria-invalid") == "true"
    assert "already taken" in await other.locator("#f-username-error").inner_text()

    await page.get_by_role("button", name="Log out").click()
    await page.get_by_role("heading", name="Log in").wait_for()
    assert await page.evaluate("localStorage.getItem('draftroom.refresh_token')") is None

    await page.get_by_label("Username or email").fill("carol")
    await page.get_by_label("Password").fill("wrong-password-123")
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("alert").wait_for()
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("heading", name="Leagues", exact=True).wait_for()


async def test_expired_access_token_is_refreshed_transparently(new_page: Any) -> None:
    page = await new_page()
    await sign_up(page, "dave")
    before = await page.evaluate("localStorage.getItem('draftroom.refresh_token')")
    # a page left open for hours: its access token is long expired
    await page.evaluate(
        "localStorage.setItem('draftroom.access_token', 'expired.' + btoa('{\"exp\":1}') + '.x')"
    )
    await page.goto("/#/leagues/new")
    await page.goto("/#/leagues")
    await page.get_by_text("You are not in a league yet").wait_for()
    assert await page.evaluate("localStorage.getItem('draftroom.refresh_token')") != before


async def test_create_league_form_on_a_phone(new_page: Any) -> None:
    """An empty submit shows the first invalid field below the sticky top bar; one choice
    sets both visibility and who may watch the drafts."""
    page = await new_page(width=390, height=844, mobile=True)
    await sign_up(page, "erin")
    await page.goto("/#/leagues/new")
    await page.get_by_role("heading", name="Create a league").wait_for()
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    await page.get_by_role("button", name="Create league").click()
    name = page.get_by_label("League name")
    assert await name.get_attribute("aria-invalid") == "true"
    assert await name.evaluate("e => e === document.activeElement")
    top, bar = await page.evaluate(
        "[document.querySelector('#f-name').getBoundingClientRect().top,"
        " document.querySelector('.topbar').getBoundingClientRect().bottom]"
    )
    assert top >= bar, (top, bar)

    await name.fill("Open Paddock")
    await page.get_by_label("Your team name").fill("Erin Racing")
    await page.get_by_label("Public, open drafts").check()
    await page.get_by_role("button", name="Create league").click()
    await page.get_by_role("heading", name="Open Paddock").wait_for()
    league_id = int(page.url.rsplit("/", 1)[1])
    league = await page.evaluate(
        "(id) => fetch('/api/v1/leagues/' + id, {headers: {Authorization: 'Bearer ' +"
        " localStorage.getItem('draftroom.access_token')}}).then(r => r.json())",
        league_id,
    )
    assert league["is_private"] is False and league["settings"]["spectators"] == "public"
