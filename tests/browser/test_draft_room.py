"""A live snake draft in three browsers: sign-up, league creation, join by code, start,
picks, a timeout autopick, pause/resume, the queue, a network drop with resync, and the
same board everywhere. Saves docs/screenshots/draft-room.png."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, SEASON
from tests.browser.flows import board_cells, create_draft, create_league, join_by_code, sign_up
from tests.support.polling import wait_for

pytestmark = pytest.mark.browser

PICK_SECONDS = 8  # short, yet long enough for a loaded CI machine to click in time


async def owner_of_turn(pages: list[Any], pick_no: int) -> Any:
    """Wait until every page shows ``pick_no`` on the clock; the page whose Pick is enabled."""

    async def check() -> Any:
        owners = []
        for page in pages:
            if not await page.locator(
                f"[data-testid=board] td.on-clock[data-pick='{pick_no}']"
            ).count():
                return None
            if await page.locator("[data-testid=drivers] button:text-is('Pick'):enabled").count():
                owners.append(page)
        return owners[0] if len(owners) == 1 else None

    return await wait_for(
        check, timeout_s=15.0, every_s=0.1, what=f"pick {pick_no} on the clock everywhere"
    )


async def pick_top_driver(page: Any) -> int:
    """Click Pick on the first available driver; returns its id."""
    row = page.locator("[data-testid=drivers] li.driver").first
    driver_id = int(await row.get_attribute("data-driver-id"))
    await row.get_by_role("button", name="Pick").click()
    return driver_id


async def wait_cell(pages: list[Any], pick_no: int, driver_id: int | None = None) -> None:
    """Wait until every page shows pick ``pick_no`` filled (with ``driver_id`` if given)."""
    sel = f"[data-testid=board] td.filled[data-pick='{pick_no}']"
    if driver_id is not None:
        sel += f"[data-driver-id='{driver_id}']"
    for page in pages:
        await page.locator(sel).wait_for()


async def test_live_draft_in_three_browsers(new_page: Any, ingest_results: Any) -> None:
    await ingest_results()  # season-to-date points for the driver list (and autopick)
    alice, bob = await new_page(), await new_page()
    carl = await new_page(clock_skew_ms=-42_000)  # a browser whose clock is 42 s slow
    pages = [alice, bob, carl]
    for page, name in zip(pages, ["alice", "bob", "carl"], strict=True):
        await sign_up(page, name)

    league_id = await create_league(
        alice, "Browser League", team="Alpha Team", pick_seconds=PICK_SECONDS, season=SEASON
    )
    code = (await alice.get_by_test_id("invite-code").inner_text()).strip()
    assert len(code) == 8
    await join_by_code(bob, code, "Bravo Team")
    await join_by_code(carl, code, "Charlie Team")

    # the commissioner creates the draft of the test race from the league page
    await create_draft(alice, league_id, "Browser Test Grand Prix")

    for page in pages:
        await page.goto(f"/#/leagues/{league_id}/draft")
        await page.get_by_test_id("draft-status").filter(has_text="Scheduled").wait_for()
    # available drivers are ranked by season points (GET /drivers/rankings)
    points = await bob.locator("[data-testid=drivers] li.driver .points").all_inner_texts()
    values = [float(p.split()[0]) for p in points]
    assert values == sorted(values, reverse=True) and values[0] > 0
    # presence: everyone sees the three teams online; only the commissioner has controls
    for page in pages:
        await page.locator("[data-testid=presence] li.online").nth(2).wait_for()
    assert await bob.get_by_role("button", name="Start now").count() == 0
    await alice.get_by_role("button", name="Start now").click()

    # pick 1: its owner picks with one click; nobody else can
    owner = first_owner = await owner_of_turn(pages, 1)
    for other in pages:
        if other is not owner:
            assert (
                await other.locator("[data-testid=drivers] button:text-is('Pick'):enabled").count()
                == 0
            )
    await owner.locator(".clock-banner.your-turn").get_by_text("Your turn!").wait_for()
    # every browser shows the same time left (clock offset from server_now), within 0.5 s
    left = [await remaining_ms(p) for p in pages]
    assert max(left) - min(left) <= 500, left
    assert 0 < min(left) <= PICK_SECONDS * 1000
    await wait_cell(pages, 1, await pick_top_driver(owner))

    # pick 2: nobody picks; the clock runs out and the server autopicks
    await owner_of_turn(pages, 2)
    queuer = next(p for p in pages if p is not owner)  # meanwhile: reorder a queue by keyboard
    rows = queuer.locator("[data-testid=drivers] li.driver")
    first, second = [int(await rows.nth(i).get_attribute("data-driver-id")) for i in (3, 4)]
    await rows.nth(3).get_by_role("button", name="to your queue").click()
    await rows.nth(4).get_by_role("button", name="to your queue").click()
    await queuer.locator(f"[data-testid=queue] li[data-driver-id='{second}']").wait_for()
    item = queuer.locator(f"[data-testid=queue] li[data-driver-id='{first}']")
    down = item.locator("button[aria-label^='Move'][aria-label$='down']")
    await down.focus()
    await queuer.keyboard.press("Enter")
    await queuer.locator(
        f"[data-testid=queue] li:first-child[data-driver-id='{second}']"
    ).wait_for()
    assert await queue_ids(queuer) == [second, first]
    started = time.monotonic()
    for page in pages:
        await page.locator("[data-testid=board] td.filled.by-auto[data-pick='2']").wait_for(
            timeout=PICK_SECONDS * 1000 + 5000
        )
    assert time.monotonic() - started <= PICK_SECONDS + 4

    # pick 3: the commissioner pauses (clock frozen everywhere), then resumes
    owner = await owner_of_turn(pages, 3)
    await alice.get_by_role("button", name="Pause").click()
    for page in pages:
        await page.get_by_test_id("draft-status").filter(has_text="Paused").wait_for()
    frozen = [await p.get_by_test_id("countdown").inner_text() for p in pages]
    await asyncio.sleep(1.2)
    assert [await p.get_by_test_id("countdown").inner_text() for p in pages] == frozen
    assert await owner.locator("[data-testid=drivers] button:text-is('Pick'):enabled").count() == 0
    await alice.get_by_role("button", name="Resume").click()
    owner = await owner_of_turn(pages, 3)
    await wait_cell(pages, 3, await pick_top_driver(owner))

    # the queue survives a reload (it is the server's, sent in the snapshot)
    await queuer.reload()
    await queuer.locator("[data-testid=queue] li.queue-item").nth(1).wait_for()
    assert await queue_ids(queuer) == [second, first]

    # picks 4 and 5 land while one browser is offline; it shows reconnecting, then resyncs
    owner4 = await owner_of_turn(pages, 4)
    await alice.screenshot(path=str(SCREENSHOTS / "draft-room.png"), full_page=True)
    offline = first_owner  # snake with 3 teams: picks 1 and 6 are its, 4 and 5 are not
    await offline.context.set_offline(True)
    await offline.get_by_test_id("connection").filter(has_text="Reconnecting").wait_for()
    online = [p for p in pages if p is not offline]
    await wait_cell(online, 4, await pick_top_driver(owner4))
    owner5 = await owner_of_turn(online, 5)  # snake: picks 4 and 5 are not the offline team's
    await wait_cell(online, 5, await pick_top_driver(owner5))
    assert await offline.locator("[data-testid=board] td.filled[data-pick='4']").count() == 0
    await offline.context.set_offline(False)
    await offline.get_by_test_id("connection").filter(has_text="Connected").wait_for()
    await wait_cell([offline], 5)

    # pick 6: the commissioner picks for the team on the clock; the draft completes
    await owner_of_turn(pages, 6)
    force = alice.get_by_role("combobox", name="Pick for")
    choice = int(await force.input_value())
    await alice.get_by_role("button", name="Pick for team").click()
    await wait_cell(pages, 6, choice)
    for page in pages:
        await page.get_by_test_id("draft-status").filter(has_text="Complete").wait_for()
    boards = [await board_cells(p) for p in pages]
    assert boards[0] == boards[1] == boards[2]
    assert all(cell.split(":")[1] for cell in boards[0])  # every cell filled
    assert len(boards[0]) == 6
    log = await bob.get_by_test_id("pick-log").inner_text()
    assert "autopick" in log and "by commissioner" in log


async def queue_ids(page: Any) -> list[int]:
    """The driver ids of the page's queue, in order."""
    ids = await page.locator("[data-testid=queue] li.queue-item").evaluate_all(
        "items => items.map(i => Number(i.dataset.driverId))"
    )
    return list(ids)


async def remaining_ms(page: Any) -> float:
    """The page's countdown in ms as of the test's clock (``data-at``: when it was computed,
    on the real clock; a browser's skewed ``Date.now`` does not change it)."""
    remaining, at = await page.evaluate(
        "(c => [Number(c.dataset.remainingMs), Number(c.dataset.at)])"
        "(document.querySelector('[data-testid=countdown]'))"
    )
    return float(remaining) + (float(at) - time.time() * 1000)
