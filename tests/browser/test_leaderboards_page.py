"""The leaderboards page after results are ingested: season board, then one race's."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.browser.flows import PASSWORD
from tests.browser.test_standings import TEAMS, api, drafted_league

__all__ = ["api"]

pytestmark = pytest.mark.browser


async def test_leaderboards_page(
    new_page: Any, api: httpx.AsyncClient, ingest_results: Any
) -> None:
    league_id, headers = await drafted_league(api)
    public = await api.patch(
        f"/leagues/{league_id}", json={"is_private": False}, headers=headers["alice"]
    )
    assert public.status_code == 200, public.text
    report = await ingest_results()
    assert len(report["ingested"]) >= 2, report
    expected = (await api.get("/leaderboards/season", headers=headers["bob"])).json()
    assert len(expected) == 3

    page = await new_page(width=1280, height=900)
    await page.goto("/#/login")
    await page.get_by_label("Username or email").fill("alice")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("heading", name="Leagues", exact=True).wait_for()
    await page.get_by_role("link", name="Leaderboards").click()
    await page.get_by_role("heading", name="Leaderboards").wait_for()
    board = page.get_by_test_id("leaderboard")
    await board.locator("tbody tr").nth(2).wait_for()
    names = await board.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert [n.removesuffix("you").strip() for n in names] == [r["team_name"] for r in expected]
    mine = board.locator("tbody tr.mine")
    assert await mine.count() == 1
    assert TEAMS["alice"] in await mine.inner_text()
    points = [float(p) for p in await board.locator("tbody tr td:nth-child(4)").all_inner_texts()]
    assert points == [r["points"] for r in expected]

    # one race's board
    picker = page.get_by_label("Board")
    race_value = await picker.locator("option").nth(1).get_attribute("value")
    await picker.select_option(race_value)
    await page.wait_for_url(f"**/#/leaderboards?*race={race_value}*")
    race_rows = (
        await api.get(f"/leaderboards/races/{race_value}", headers=headers["alice"])
    ).json()
    await board.locator("tbody tr").nth(len(race_rows) - 1).wait_for()
    shown = [float(p) for p in await board.locator("tbody tr td:nth-child(4)").all_inner_texts()]
    assert shown == [r["points"] for r in race_rows]
