"""What a person does in the browser, as reusable steps for the browser tests."""

from __future__ import annotations

from typing import Any

PASSWORD = "correct-horse-battery"


async def sign_up(page: Any, username: str) -> None:
    """Register through the sign-up form and land on the leagues page."""
    await page.goto("/#/signup")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Email").fill(f"{username}@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign up").click()
    await page.get_by_role("heading", name="Leagues", exact=True).wait_for()


async def create_league(page: Any, name: str, *, team: str, pick_seconds: int, season: int) -> int:
    """Fill the create-league form; returns the new league's id (from the URL)."""
    await page.goto("/#/leagues/new")
    await page.get_by_label("League name").fill(name)
    await page.get_by_label("Your team name").fill(team)
    await page.get_by_label("Season").fill(str(season))
    await page.get_by_label("Maximum teams").fill("3")
    await page.get_by_label("Seconds per pick").fill(str(pick_seconds))
    await page.get_by_label("Picks per team").fill("2")
    await page.get_by_label("Draft opens (hours before qualifying)").fill("0")
    await page.get_by_role("button", name="Create league").click()
    await page.get_by_role("heading", name=name).wait_for()
    return int(page.url.rsplit("/", 1)[1])


async def join_by_code(page: Any, code: str, team: str) -> None:
    """Join a league from the leagues page with its invite code."""
    await page.goto("/#/leagues")
    await page.get_by_role("textbox", name="Invite code").fill(code)
    await page.get_by_label("Your team name").fill(team)
    await page.get_by_role("button", name="Join league").click()
    await page.get_by_role("heading", name="Members").wait_for()


async def create_draft(page: Any, league_id: int, race: str) -> None:
    """As the commissioner, create the draft of ``race`` on the league page."""
    await page.goto(f"/#/leagues/{league_id}")
    await page.reload()  # a fresh page, also when it was there already (a hash navigation)
    select = page.get_by_label("Race")
    value = await select.locator("option", has_text=race).get_attribute("value")
    await select.select_option(value)
    await page.get_by_role("button", name="Create draft").click()
    await page.locator(".draft-row .status.scheduled").wait_for()


async def board_cells(page: Any) -> list[str]:
    """The board as text, cell by cell in pick order ("3:VER" for pick 3)."""
    cells = await page.locator("[data-testid=board] td[data-pick]").evaluate_all(
        "cells => cells.map(c => c.dataset.pick + ':' + (c.dataset.driverId || ''))"
    )
    return sorted(cells, key=lambda c: int(c.split(":")[0]))


async def wait_until(page: Any, expression: str, timeout_s: float = 10.0) -> None:
    """Poll a JavaScript expression until it is truthy. Playwright's ``wait_for_function``
    evaluates a string with ``eval`` inside the page, which the strict CSP forbids;
    ``page.evaluate`` runs through DevTools and is not subject to it."""
    from tests.support.polling import wait_for

    async def probe() -> bool:
        return bool(await page.evaluate(expression))

    await wait_for(probe, timeout_s=timeout_s, every_s=0.05, what=expression)
