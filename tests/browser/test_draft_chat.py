"""The draft room's chat in real browsers: HTML stays inert, deletion reaches everyone
(also after a reload), picks appear as system lines."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SEASON
from tests.browser.flows import create_draft, create_league, join_by_code, sign_up
from tests.support.polling import wait_for

pytestmark = pytest.mark.browser

HOSTILE = (
    '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    "<b>bold</b> & <a href='javascript:window.__pwned=3'>link</a>"
)


async def say(page: Any, text: str) -> None:
    await page.get_by_label("Chat message", exact=True).fill(text)
    await page.get_by_role("button", name="Send").click()


async def test_chat_html_is_inert_and_deletion_reaches_everyone(new_page: Any) -> None:
    alice, bob = await new_page(), await new_page()
    await sign_up(alice, "alice")
    await sign_up(bob, "bob")
    league_id = await create_league(
        alice, "Chat League", team="Alpha Team", pick_seconds=60, season=SEASON
    )
    code = (await alice.get_by_test_id("invite-code").inner_text()).strip()
    await join_by_code(bob, code, "Bravo Team")
    await create_draft(alice, league_id, "Browser Test Grand Prix")
    for page in (alice, bob):
        await page.goto(f"/#/leagues/{league_id}/draft")
        await page.get_by_test_id("chat").wait_for()

    await say(bob, "hello everyone")
    await say(bob, HOSTILE)
    for page in (alice, bob):
        lines = page.get_by_test_id("chat-lines").locator(".chat-text")
        await lines.nth(1).wait_for()
        assert await lines.all_inner_texts() == ["hello everyone", HOSTILE]
        chat = page.get_by_test_id("chat-lines")
        assert await chat.locator("img, script, b, a").count() == 0
        assert await page.evaluate("window.__pwned") is None
        assert "Bravo Team" in await chat.locator(".chat-who").first.inner_text()
    assert await bob.get_by_role("button", name="Delete message").count() == 0

    # the commissioner deletes the hostile message: gone for everyone, also after a reload
    hostile = alice.locator(".chat-line", has_text="onerror")
    await hostile.get_by_role("button", name="Delete message").click()
    for page in (alice, bob):
        await page.locator(".chat-line", has_text="onerror").wait_for(state="detached")
    await bob.reload()
    await bob.locator(".chat-line .chat-text", has_text="hello everyone").wait_for()
    assert await bob.locator(".chat-line", has_text="onerror").count() == 0

    # picks appear in the chat stream as system lines
    await alice.get_by_role("button", name="Start now").click()
    enabled = "[data-testid=drivers] button:text-is('Pick'):enabled"

    async def owner() -> Any:
        for page in (alice, bob):
            if await page.locator(enabled).count():
                return page
        return None

    picker = await wait_for(owner, timeout_s=15.0, every_s=0.1, what="pick 1 on the clock")
    await (
        picker.locator("[data-testid=drivers] li.driver")
        .first.get_by_role("button", name="Pick")
        .click()
    )
    for page in (alice, bob):
        system = page.locator(".chat-line.system[data-pick-no='1']")
        await system.wait_for()
        assert (await system.inner_text()).startswith("Pick 1: ")
