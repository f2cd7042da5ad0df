"""The draft room's driver list is the race's entry list: a replaced driver leaves it, his
substitute joins it (also live, when an admin records a change with the room open), and
the list sorts by season points or by form (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SEASON
from tests.browser.flows import create_draft, create_league, sign_up
from tests.support.contract import checked_client
from tests.support.polling import wait_for

pytestmark = pytest.mark.browser

DRIVERS = "[data-testid=drivers] li.driver"


async def _listed(page: Any) -> list[int]:
    ids = await page.locator(DRIVERS).evaluate_all("rows => rows.map(r => r.dataset.driverId)")
    return [int(i) for i in ids]


async def test_the_driver_list_follows_the_entry_list(
    new_page: Any, site: str, ingest_results: Any, make_user: Any
) -> None:
    await ingest_results()  # rounds 1-11: points and form
    admin = await make_user("steward", is_admin=True)
    async with checked_client(base_url=f"{site}/api/v1", headers=admin.headers) as api:
        drivers = {d["ref"]: d["id"] for d in (await api.get(f"/drivers?season={SEASON}")).json()}
        races = (await api.get(f"/races?season={SEASON}")).json()
        race = next(r["id"] for r in races if r["name"] == "Browser Test Grand Prix")
        added = await api.post(
            f"/admin/races/{race}/substitutions",
            json={"out_driver_id": drivers["sainz"], "in_driver_ref": "browser_rookie"},
        )
        assert added.status_code == 201, added.text
        rookie = next(r["driver_id"] for r in added.json() if r["status"] == "substitute")

        page = await new_page()
        await sign_up(page, "paddock")
        league_id = await create_league(page, "Entry League", team="Pit Crew", pick_seconds=60,
                                        season=SEASON)  # fmt: skip
        code = (await api.get(f"/leagues/{league_id}")).json()["code"]  # admins see it
        rival = await make_user("rival")
        joined = await api.post(
            "/leagues/join", json={"code": code, "team_name": "Rivals"}, headers=rival.headers
        )
        assert joined.status_code == 201, joined.text
        await create_draft(page, league_id, "Browser Test Grand Prix")
        await page.goto(f"/#/leagues/{league_id}/draft")
        await page.locator(DRIVERS).first.wait_for()
        listed = await wait_for(
            lambda: _contains(page, rookie), timeout_s=10, what="the substitute in the list"
        )
        assert drivers["sainz"] not in listed
        assert await page.locator(f"{DRIVERS}[data-driver-id='{rookie}']").inner_text()

        # live: an admin withdraws Albon while the room is open
        gone = await api.post(
            f"/admin/races/{race}/substitutions", json={"out_driver_id": drivers["albon"]}
        )
        assert gone.status_code == 201
        await wait_for(
            lambda: _lacks(page, drivers["albon"]), timeout_s=10, what="Albon out of the list"
        )

        # sort by form: the first row has the best form of the listed drivers
        stats = {
            s["driver_id"]: s for s in (await api.get(f"/drivers/stats?season={SEASON}")).json()
        }
    await page.get_by_label("Sort").select_option("form")
    await page.locator(f"{DRIVERS} .form").first.wait_for()
    ordered = await _listed(page)
    forms = [stats[d]["form_points"] if d in stats else 0 for d in ordered]
    assert forms[0] == max(forms) and forms == sorted(forms, reverse=True)
    assert "form" in (await page.locator(DRIVERS).first.inner_text())


async def _contains(page: Any, driver_id: int) -> list[int] | None:
    listed = await _listed(page)
    return listed if driver_id in listed else None


async def _lacks(page: Any, driver_id: int) -> bool | None:
    return True if driver_id not in await _listed(page) else None
