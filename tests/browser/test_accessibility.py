"""Accessibility: axe-core finds no serious or critical violation on any page (phone and
desktop), a screen reader hears turns and picks (ARIA live region), and a draft can be
made with the keyboard alone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.browser.axe import serious_violations
from tests.browser.flows import wait_until
from tests.browser.layout import PICKS, SIZES
from tests.browser.setup_api import live_draft, sign_in, team_owners
from tests.support.contract import checked_client

pytestmark = pytest.mark.browser


@pytest.fixture
async def api(site: str) -> AsyncIterator[httpx.AsyncClient]:
    async with checked_client(base_url=f"{site}/api/v1", timeout=30) as client:
        yield client


@pytest.mark.parametrize("size", ["phone", "desktop"])
async def test_no_serious_axe_violation_on_any_page(
    new_page: Any, api: httpx.AsyncClient, settings: Any, size: str
) -> None:
    from draftroom.services.seed import ensure_demo_league

    await ensure_demo_league()
    league_id, draft, users = await live_draft(api, settings, ["ida", "jon", "kim"])
    owners = await team_owners(api, league_id, users)
    page = await new_page(**SIZES[size])
    found: dict[str, list[dict[str, Any]]] = {}
    for path, ready in [
        ("/", "Draft Formula 1 drivers live with your friends"),
        ("/#/login", "Log in"),
        ("/#/signup", "Create your account"),
    ]:
        await page.goto(path)
        await page.get_by_role("heading", name=ready).wait_for()
        if path == "/":
            await page.get_by_test_id("demo-watch").get_by_text("no draft yet").wait_for()
        found[path] = await serious_violations(page)
    await sign_in(page, users[owners[draft["current"]["team_id"]]])
    for path, ready in [
        ("/#/leagues", "Leagues"),
        ("/#/leagues/new", "Create a league"),
        (f"/#/leagues/{league_id}", "Members"),
        (f"/#/leagues/{league_id}/draft", None),
        (f"/#/leagues/{league_id}/standings", "Table"),
        ("/#/notifications", "Notifications"),
    ]:
        await page.goto(path)
        if ready:
            await page.get_by_role("heading", name=ready, exact=True).first.wait_for()
        else:
            await page.locator(f"{PICKS}:enabled").first.wait_for()
        found[path] = await serious_violations(page)
        if ready is None and size == "phone":  # every tab of the draft room
            for tab in ("Board", "Queue", "Log"):
                await page.get_by_test_id("room-tabs").get_by_role("button", name=tab).click()
                found[f"{path} {tab}"] = await serious_violations(page)
    assert {p: v for p, v in found.items() if v} == {}


async def test_keyboard_only_pick_with_visible_focus_and_announcements(
    new_page: Any, api: httpx.AsyncClient, settings: Any
) -> None:
    league_id, draft, users = await live_draft(api, settings, ["lea", "max"])
    owners = await team_owners(api, league_id, users)
    page = await new_page(**SIZES["desktop"])
    await sign_in(page, users[owners[draft["current"]["team_id"]]])
    await page.goto(f"/#/leagues/{league_id}/draft")
    announcer = page.get_by_test_id("announcer")
    await page.locator(f"{PICKS}:enabled").first.wait_for()
    assert "Your turn: pick 1." in await announcer.inner_text()
    assert await announcer.get_attribute("aria-live") == "polite"

    # Tab from the top of the page to the first Pick button: focus is always visible
    await page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(80):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                 return {text: e.textContent, tag: e.tagName, enabled: !e.disabled,
                         outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                         driver: e.closest('li.driver')?.dataset.driverId || null}; }"""
        )
        if focused["tag"] != "BODY":
            assert focused["outline"], focused  # a visible focus ring on every stop
        if focused["text"] == "Pick" and focused["enabled"]:
            break
    else:
        raise AssertionError("no Pick button reachable with Tab")
    await page.keyboard.press("Enter")
    driver_id = focused["driver"]
    await page.locator(
        f"[data-testid=board] td.filled[data-pick='1'][data-driver-id='{driver_id}']"
    ).wait_for()
    name = await page.locator("[data-testid=board] td[data-pick='1'] .name").inner_text()
    await wait_until(
        page, "document.querySelector('[data-testid=announcer]').textContent.includes('pick 2')"
    )
    said = await announcer.inner_text()
    assert "Pick 1:" in said and name in said and "is on the clock, pick 2." in said, said
