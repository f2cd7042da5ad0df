"""Mock drafts in the browser: a first-time visitor follows "Try a mock draft" from the
landing page on a phone, signs up, starts a 3-team mock draft on a 5 s clock and drafts it
to the end against the bots; the logged-in home links to it on a desktop; axe finds no
serious violation on the page at either size."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.axe import serious_violations
from tests.browser.conftest import SCREENSHOTS
from tests.browser.flows import PASSWORD, sign_up
from tests.browser.layout import PICKS, SIZES, no_sideways_scroll

pytestmark = pytest.mark.browser

DRAFT_MS = 60_000


async def _start_mock(page: Any, *, teams: str, clock: str, slot: str) -> int:
    """Fill the mock draft form; returns the league id of the room it opens."""
    race = page.get_by_label("Race")
    value = await race.locator("option", has_text="Browser Test Grand Prix").get_attribute("value")
    await race.select_option(value)
    await page.get_by_label("Teams").fill(teams)
    await page.get_by_label("Pick clock").select_option(label=clock)
    await page.get_by_label("Your pick slot").select_option(label=slot)
    await page.get_by_role("button", name="Start mock draft").click()
    await page.wait_for_url("**/#/leagues/*/draft")
    return int(page.url.rsplit("/", 2)[1])


async def test_a_newcomer_drafts_a_mock_to_the_end_on_a_phone(new_page: Any, site: str) -> None:
    page = await new_page(**SIZES["phone"])
    await page.goto("/")
    await page.get_by_test_id("try-mock").tap()
    await page.get_by_label("Username").fill("solo")
    await page.get_by_label("Email").fill("solo@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign up").tap()
    await page.get_by_role("heading", name="Mock draft", exact=True).wait_for()
    await page.get_by_test_id("my-mocks").get_by_text("No mock drafts yet.").wait_for()
    await no_sideways_scroll(page)
    assert await serious_violations(page) == []
    await page.screenshot(path=str(SCREENSHOTS / "mock-draft-phone.png"))

    league_id = await _start_mock(page, teams="3", clock="5 seconds", slot="Pick 1")
    await page.get_by_test_id("draft-status").filter(has_text="Live").wait_for(timeout=DRAFT_MS)
    await no_sideways_scroll(page)
    mine: list[str] = []
    for _ in range(2):  # snake, 3 teams, slot 1: picks 1 and 6 are mine
        await page.locator(f"{PICKS}:enabled").first.wait_for(timeout=DRAFT_MS)
        row = page.locator(
            "[data-testid=drivers] li.driver",
            has=page.locator("button:text-is('Pick'):enabled"),
        ).first
        mine.append(str(await row.get_attribute("data-driver-id")))
        await row.get_by_role("button", name="Pick").tap()
        await page.locator(f"[data-testid=board] td.filled[data-driver-id='{mine[-1]}']").wait_for(
            state="attached"
        )
    await page.get_by_test_id("draft-status").filter(has_text="Complete").wait_for(timeout=DRAFT_MS)
    cells = page.locator("[data-testid=board] td.filled[data-pick]")
    assert await cells.count() == 6
    picked = await cells.evaluate_all("cs => cs.map(c => [c.dataset.pick, c.dataset.driverId])")
    assert {p: d for p, d in picked if p in ("1", "6")} == {"1": mine[0], "6": mine[1]}
    assert len({d for _, d in picked}) == 6

    await page.goto("/#/mock")
    mocks = page.get_by_test_id("my-mocks")
    await mocks.get_by_text("finished").wait_for()
    link = mocks.get_by_role("link", name="See the board")
    assert await link.get_attribute("href") == f"#/leagues/{league_id}/draft"
    await page.goto("/#/leagues")
    await page.get_by_role("heading", name="Leagues", exact=True).wait_for()
    await page.get_by_test_id("try-mock").wait_for()
    await no_sideways_scroll(page)
    assert await page.get_by_text("Mock draft: Browser Test Grand Prix").count() == 0


async def test_the_home_page_links_to_mock_drafts_on_a_desktop(new_page: Any, site: str) -> None:
    page = await new_page(**SIZES["desktop"])
    await sign_up(page, "desk")
    await page.get_by_test_id("try-mock").click()
    await page.get_by_role("heading", name="Mock draft", exact=True).wait_for()
    await page.get_by_test_id("my-mocks").get_by_text("No mock drafts yet.").wait_for()
    assert await serious_violations(page) == []
    await page.get_by_label("Teams").fill("12")  # checked here before the server
    await page.get_by_role("button", name="Start mock draft").click()
    await page.get_by_text("Enter a whole number from 2 to 11.").wait_for()
    assert "#/mock" in page.url
    league_id = await _start_mock(page, teams="4", clock="1 minute", slot="Pick 4")
    await page.get_by_test_id("draft-status").wait_for()
    await page.goto("/#/mock")
    await page.get_by_test_id("my-mocks").get_by_text("4 teams · 60 s clock · pick 4").wait_for()
    assert league_id > 0
