"""Forgot and reset in a real browser, the link read from the development mailbox page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.flows import PASSWORD, sign_up

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-fresh-password-42"


@pytest.fixture
async def mail_page(browser: Any, mailbox_server: str, db: None) -> AsyncIterator[Any]:
    """Factory of pages of the server whose development mailbox is on."""
    contexts: list[Any] = []

    async def factory() -> Any:
        context = await browser.new_context(base_url=mailbox_server)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return await context.new_page()

    yield factory
    for context in contexts:
        await context.close()


async def test_forgot_and_reset_in_the_browser(mail_page: Any) -> None:
    signed_in = await mail_page()
    await sign_up(signed_in, "erin")

    page = await mail_page()
    await page.goto("/#/login")
    await page.get_by_role("link", name="Forgot your password?").click()
    await page.get_by_role("heading", name="Forgot your password?").wait_for()
    await page.get_by_label("Email").fill("erin@example.com")
    await page.get_by_role("button", name="Send reset link").click()
    sent = page.get_by_test_id("forgot-sent")
    await sent.wait_for()
    assert "erin@example.com" in await sent.inner_text()

    await page.goto("/dev/mailbox")
    mail = await page.locator("pre").first.inner_text()
    found = re.search(r"http://\S+(/#/reset\?token=[\w-]+)", mail)
    assert found, mail
    # the mail links to DRAFTROOM_PUBLIC_URL (here the default host:port): keep its path
    link = found.group(1)
    await page.goto(link)
    await page.get_by_label("New password", exact=True).fill("short")
    await page.get_by_role("button", name="Set password").click()
    assert "10 characters" in await page.locator("#f-password-error").inner_text()
    await page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    await page.get_by_role("button", name="Set password").click()
    await page.get_by_test_id("reset-done").wait_for()

    # the link works once
    await page.goto("/#/")
    await page.goto(link)
    await page.get_by_label("New password", exact=True).fill("another-password-7")
    await page.get_by_role("button", name="Set password").click()
    alert = page.get_by_role("alert")
    await alert.wait_for()
    assert "not valid" in await alert.inner_text()

    # the other browser's session has ended: its next request sends it to the login page
    await signed_in.goto("/#/notifications")
    await signed_in.get_by_role("heading", name="Log in").wait_for()
    await signed_in.get_by_label("Username or email").fill("erin")
    await signed_in.get_by_label("Password").fill(PASSWORD)
    await signed_in.get_by_role("button", name="Log in").click()
    await signed_in.get_by_role("alert").wait_for()
    await signed_in.get_by_label("Password").fill(NEW_PASSWORD)
    await signed_in.get_by_role("button", name="Log in").click()
    await signed_in.get_by_role("heading", name="Leagues", exact=True).wait_for()
