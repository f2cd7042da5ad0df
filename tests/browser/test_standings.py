"""The standings page after results are ingested from the fake Jolpica server: table,
per-race chart, race breakdown, captain selection and the live notification badge.
Saves docs/screenshots/standings.png."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.browser.conftest import SCREENSHOTS, SEASON
from tests.browser.flows import PASSWORD, wait_until
from tests.support.contract import checked_client

pytestmark = pytest.mark.browser

TEAMS = {"alice": "Alpha Team", "bob": "Bravo Team", "carl": "Charlie Team"}


@pytest.fixture
async def api(site: str) -> AsyncIterator[httpx.AsyncClient]:
    async with checked_client(base_url=f"{site}/api/v1", timeout=30) as client:
        yield client


async def login(api: httpx.AsyncClient, name: str) -> dict[str, str]:
    """Register ``name`` and return its Authorization header."""
    body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    assert (await api.post("/auth/register", json=body)).status_code == 201
    pair = (await api.post("/auth/login", json={"username": name, "password": PASSWORD})).json()
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def drafted_league(api: httpx.AsyncClient) -> tuple[int, dict[str, dict[str, str]]]:
    """A 3-team auto-draft league (through the API) with complete drafts of rounds 1 and 2,
    whose races were moved ahead for the drafts and then back to their real dates."""
    from draftroom.db.tables import Race

    headers = {name: await login(api, name) for name in TEAMS}
    settings = {"draft_type": "auto", "draft_opens_hours_before": 0, "picks_per_team": 2}
    body = {"name": "Results League", "is_private": True, "max_teams": 3, "season": SEASON,
            "team_name": TEAMS["alice"], "settings": settings}  # fmt: skip
    league = (await api.post("/leagues", json=body, headers=headers["alice"])).json()
    for name in ("bob", "carl"):
        join = {"code": league["code"], "team_name": TEAMS[name]}
        assert (
            await api.post("/leagues/join", json=join, headers=headers[name])
        ).status_code == 201
    soon = datetime.now(UTC) + timedelta(days=2)
    for round_ in (1, 2):
        race = await Race.objects().where((Race.season == SEASON) & (Race.round == round_)).first()
        assert race is not None
        real = (race.starts_at, race.qualifying_at, race.sprint_qualifying_at)
        await Race.update(
            {Race.starts_at: soon, Race.qualifying_at: soon, Race.sprint_qualifying_at: None}
        ).where(Race.id == race.id)
        made = await api.post(f"/leagues/{league['id']}/drafts", json={"race_id": race.id},
                              headers=headers["alice"])  # fmt: skip
        assert made.status_code == 201, made.text
        started = await api.post(f"/drafts/{made.json()['id']}/start", headers=headers["alice"])
        assert started.status_code < 300, started.text
        await Race.update(
            {
                Race.starts_at: real[0],
                Race.qualifying_at: real[1],
                Race.sprint_qualifying_at: real[2],
            }
        ).where(Race.id == race.id)
    # a third draft, of the upcoming test race, so a captain can be named
    test_race = await Race.objects().where(Race.round == 90).first()
    assert test_race is not None
    made = await api.post(f"/leagues/{league['id']}/drafts", json={"race_id": test_race.id},
                          headers=headers["alice"])  # fmt: skip
    await api.post(f"/drafts/{made.json()['id']}/start", headers=headers["alice"])
    return int(league["id"]), headers


async def test_standings_after_results_are_ingested(
    new_page: Any, api: httpx.AsyncClient, ingest_results: Any
) -> None:
    league_id, _ = await drafted_league(api)
    page = await new_page(width=1280, height=900)
    await page.goto("/#/login")
    await page.get_by_label("Username or email").fill("alice")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("heading", name="Leagues", exact=True).wait_for()
    await page.goto(f"/#/leagues/{league_id}/standings")
    await page.get_by_text("No race has been scored yet.").wait_for()

    # the hourly poll runs (here: now) against the fake Jolpica; the worker's notifier
    # reaches the browser through Redis, so the unread badge changes without a reload
    before = await badge_count(page)
    report = await ingest_results()
    assert len(report["ingested"]) >= 2, report
    await wait_until(
        page,
        "(document.querySelector('[data-testid=unread-badge]')?.textContent || '0')"
        f" !== '{before}'",
    )

    await page.reload()
    table = page.get_by_test_id("standings")
    await table.locator("tbody tr").nth(2).wait_for()
    points = [float(p) for p in await table.locator("tbody tr td:nth-child(3)").all_inner_texts()]
    assert points == sorted(points, reverse=True) and points[0] != 0
    assert await table.locator("tbody tr td:nth-child(4)").first.inner_text() == "2"  # races
    chart = page.locator("svg.chart")
    await chart.wait_for()
    assert await chart.locator("polyline").count() == 3  # one line per team
    breakdown = page.locator("table.breakdown")
    assert "Bravo Team" in await breakdown.inner_text()
    assert await breakdown.locator("tbody").count() == 3
    await page.get_by_role("button", name="Per race").click()
    await page.get_by_role("button", name="Per race", pressed=True).wait_for()

    # captain for the next race: pick the second driver, saved through the API
    radios = page.locator("input[name=captain]")
    await radios.nth(1).check()
    await page.get_by_role("button", name="Save captain").click()
    await page.get_by_text("Captain saved.").wait_for()
    await page.reload()
    await page.locator("input[name=captain]").nth(1).wait_for()
    assert await page.locator("input[name=captain]").nth(1).is_checked()

    await page.get_by_role("button", name="Cumulative").click()
    await page.screenshot(path=str(SCREENSHOTS / "standings.png"), full_page=True)

    # the notifications list: results notifications, marked read together
    await page.get_by_role("link", name="Notifications").click()
    await page.locator("ul.notifications li.unread").first.wait_for()
    # each names its league and links to the race's scores
    results = page.locator("ul.notifications li", has_text="Results:")
    assert "Results League" in await results.first.inner_text()
    link = results.first.get_by_role("link", name="Race scores")
    href = await link.get_attribute("href")
    assert href and f"#/leagues/{league_id}/standings/race/" in href, href
    await link.click()
    race_name = await page.locator("#breakdown-race option:checked").inner_text()
    assert race_name.split(" ", 1)[1] in await results_title(page, href)
    await page.get_by_role("link", name="Notifications").click()
    await page.locator("ul.notifications li.unread").first.wait_for()
    await page.get_by_role("button", name="Mark all read").click()
    await page.locator("ul.notifications li.read").first.wait_for()
    await page.get_by_test_id("unread-badge").wait_for(state="hidden")
    assert await page.locator("ul.notifications li.unread").count() == 0


async def badge_count(page: Any) -> str:
    """The unread badge's text ("0" when hidden)."""
    badge = page.get_by_test_id("unread-badge")
    if await badge.is_hidden():
        return "0"
    return (await badge.inner_text()).strip()


async def results_title(page: Any, href: str) -> str:
    """The race name of the race ``href`` links to (GET /races/{id})."""
    race_id = href.rsplit("/", 1)[1]
    race: dict[str, Any] = await page.evaluate(
        f"fetch('/api/v1/races/{race_id}').then(r => r.json())"
    )
    return str(race["name"])
