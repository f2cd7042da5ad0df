"""The draft room and the other pages on a phone (390x844, touch) and a desktop (1366x800):
no sideways scroll, the clock in view while scrolling, Pick within one screen and reachable
by a real tap, no toast over a Pick button, 44 px touch targets, the board's columns in view.
Saves docs/screenshots/draft-room-phone.png and draft-room-desktop.png."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.layout import (
    PICKS,
    SIZES,
    in_viewport,
    no_sideways_scroll,
    no_toast_over_pick,
    show_toasts,
)
from tests.browser.setup_api import live_draft, sign_in, team_owners
from tests.support.contract import checked_client

pytestmark = pytest.mark.browser


@pytest.fixture
async def api(site: str) -> AsyncIterator[httpx.AsyncClient]:
    async with checked_client(base_url=f"{site}/api/v1", timeout=30) as client:
        yield client


@pytest.mark.parametrize("size", ["phone", "desktop"])
async def test_draft_room_fits_and_picks(
    new_page: Any, api: httpx.AsyncClient, settings: Any, size: str
) -> None:
    names = ["ann", "ben", "cat", "dan", "eve", "fay"]
    league_id, draft, users = await live_draft(api, settings, names)
    owners = await team_owners(api, league_id, users)
    me = owners[draft["current"]["team_id"]]  # the user on the clock
    page = await new_page(**SIZES[size])
    await sign_in(page, users[me])
    await page.goto(f"/#/leagues/{league_id}/draft")
    await page.locator(".clock-banner.your-turn").wait_for()
    first_pick = page.locator(f"{PICKS}:enabled").first
    await first_pick.wait_for()
    await no_sideways_scroll(page)

    # Pick is within the first screen, big enough for a finger, not covered
    await in_viewport(page, f"{PICKS}:enabled")
    box = await first_pick.bounding_box()
    if size == "phone":
        assert box["height"] >= 44 and box["width"] >= 44, box
        for tab in await page.get_by_test_id("room-tabs").get_by_role("button").all():
            assert (await tab.bounding_box())["height"] >= 44
    else:
        assert await page.get_by_test_id("room-tabs").is_hidden()
    await page.screenshot(path=str(SCREENSHOTS / f"draft-room-{size}.png"))

    # toasts never cover a Pick button, at the top or scrolled down the list
    await show_toasts(page)
    await no_toast_over_pick(page)
    await page.evaluate(
        "document.querySelector('[data-testid=drivers] li.driver:last-child').scrollIntoView()"
    )
    assert await page.evaluate("window.scrollY") > 0 or size == "desktop"
    await in_viewport(page, "[data-testid=countdown]")
    await in_viewport(page, "[data-testid=on-clock]")
    if size == "phone":
        await page.screenshot(path=str(SCREENSHOTS / "draft-room-phone-scrolled.png"))
    await no_toast_over_pick(page)
    await no_sideways_scroll(page)
    await page.evaluate("window.scrollTo(0, 0)")

    # a real tap (phone) or click (desktop) picks
    row = page.locator("[data-testid=drivers] li.driver").first
    driver_id = await row.get_attribute("data-driver-id")
    button = row.get_by_role("button", name="Pick")
    await (button.tap() if size == "phone" else button.click())
    await page.locator(
        f"[data-testid=board] td.filled[data-pick='1'][data-driver-id='{driver_id}']"
    ).wait_for(state="attached")

    # the board: my column and the column on the clock are both in view inside its box
    if size == "phone":
        await page.get_by_test_id("room-tabs").get_by_role("button", name="Board").tap()
    await page.locator("[data-testid=board] td.on-clock[data-pick='2']").wait_for()
    await no_sideways_scroll(page)
    await columns_in_box(page, ["td.on-clock", "thead th.mine"])
    if size == "phone":
        await page.screenshot(path=str(SCREENSHOTS / "draft-room-phone-board.png"))


async def columns_in_box(page: Any, selectors: list[str]) -> None:
    """Each selector's element lies inside the board's scroll box and is not covered."""
    result = await page.evaluate(
        """(sels) => {
          const box = document.querySelector('.board-scroll').getBoundingClientRect();
          return sels.map((s) => {
            const el = document.querySelector('[data-testid=board] ' + s);
            const r = el.getBoundingClientRect();
            const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return {s, inside: r.left >= box.left - 1 && r.right <= box.right + 1,
                    hit: Boolean(top && (top === el || el.contains(top)))};
          });
        }""",
        selectors,
    )
    for item in result:
        assert item["inside"] and item["hit"], result


@pytest.mark.parametrize("size", ["phone", "desktop"])
async def test_other_pages_fit(
    new_page: Any, api: httpx.AsyncClient, settings: Any, size: str
) -> None:
    league_id, _, users = await live_draft(api, settings, ["gus", "hal"])
    page = await new_page(**SIZES[size])
    await sign_in(page, users["gus"])
    for path, ready in [
        (f"/#/leagues/{league_id}", page.get_by_role("heading", name="Members")),
        (f"/#/leagues/{league_id}/standings", page.get_by_role("heading", name="Standings")),
        ("/#/notifications", page.get_by_role("heading", name="Notifications")),
        ("/#/leagues", page.get_by_role("heading", name="Leagues", exact=True)),
    ]:
        await page.goto(path)
        await ready.first.wait_for()
        await show_toasts(page)
        await no_sideways_scroll(page)
        await no_toast_over_pick(page)
    # draft notices name their league and lead to its draft room
    await page.goto("/#/notifications")
    opened = page.locator("ul.notifications li", has_text="Your draft is open")
    assert "Layout League" in await opened.first.inner_text()
    link = opened.first.get_by_role("link", name="Open the draft room")
    assert await link.get_attribute("href") == f"#/leagues/{league_id}/draft"


async def test_eleven_team_board_fits_a_desktop(
    new_page: Any, api: httpx.AsyncClient, settings: Any
) -> None:
    names = [f"team{i:02d}" for i in range(11)]
    league_id, _, users = await live_draft(api, settings, names)
    page = await new_page(**SIZES["desktop"])
    await sign_in(page, users[names[0]])
    await page.goto(f"/#/leagues/{league_id}/draft")
    heads = page.locator("[data-testid=board] thead th[data-team-id]")
    await heads.nth(10).wait_for()
    await no_sideways_scroll(page)
    fit = await page.evaluate(
        """() => {
          const box = document.querySelector('.board-scroll');
          const r = box.getBoundingClientRect();
          return {scroll: box.scrollWidth, client: box.clientWidth, right: r.right,
                  vw: window.innerWidth,
                  cols: [...document.querySelectorAll('[data-testid=board] thead th[data-team-id]')]
                    .map((th) => { const c = th.getBoundingClientRect();
                                   return [c.left, c.right, c.width]; })};
        }"""
    )
    assert fit["scroll"] <= fit["client"], fit
    assert len(fit["cols"]) == 11
    for left, right, width in fit["cols"]:
        assert left >= 0 and right <= fit["right"] + 1 and right <= fit["vw"] and width >= 60, fit
