"""A first visit: the landing page says what draftroom is and shows the demo draft live to
an anonymous visitor (read-only); two new users in a row sign up from it and each takes a
seat in the demo league. Saves docs/screenshots/landing-phone.png."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.flows import PASSWORD
from tests.browser.layout import PICKS, SIZES, no_sideways_scroll
from tests.support.contract import checked_client

pytestmark = pytest.mark.browser


async def sign_up_for_a_seat(page: Any, username: str, team: str) -> None:
    """From the landing page: sign up, land on the demo league, join it."""
    await page.goto("/")
    await page.get_by_role("link", name="Sign up and take a seat").click()
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Email").fill(f"{username}@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign up").click()
    await page.get_by_role("heading", name="Join this league").wait_for()
    await page.get_by_label("Your team name").fill(team)
    await page.get_by_role("button", name="Join", exact=True).click()
    await page.locator(".members li", has_text=team).wait_for()


async def test_anonymous_visitor_watches_and_newcomers_take_seats(
    new_page: Any, site: str, settings: Any
) -> None:
    from draftroom.db.tables import League, Race
    from draftroom.services.seed import ensure_demo_league
    from draftroom.services.tokens import issue_access_token

    demo_id = await ensure_demo_league()
    assert demo_id is not None
    visitor = await new_page(**SIZES["phone"])
    await visitor.goto("/")
    await visitor.get_by_role(
        "heading", name="Draft Formula 1 drivers live with your friends"
    ).wait_for()
    watch = visitor.get_by_test_id("demo-watch")
    await watch.get_by_text("This league has no draft yet.").wait_for()
    await no_sideways_scroll(visitor)

    # two newcomers in a row each get a seat (the open one, then a bot's team)
    for name in ("newbie1", "newbie2"):
        page = await new_page(**SIZES["desktop"])
        await sign_up_for_a_seat(page, name, f"{name.title()} Racing")
        assert page.url.endswith(f"#/leagues/{demo_id}")
    league = await League.select().where(League.id == demo_id).first()
    assert league is not None

    # the demo's commissioner (a bot) opens a draft; the anonymous visitor sees it live
    headers = {"Authorization": f"Bearer {issue_access_token(settings, league['commissioner'])}"}
    race = await Race.objects().where(Race.round == 90).first()
    assert race is not None
    async with checked_client(base_url=f"{site}/api/v1", timeout=30) as api:
        made = await api.post(
            f"/leagues/{demo_id}/drafts", json={"race_id": race.id}, headers=headers
        )
        assert made.status_code == 201, made.text
        await watch.get_by_test_id("draft-status").filter(has_text="Scheduled").wait_for()
        started = await api.post(f"/drafts/{made.json()['id']}/start", headers=headers)
        assert started.status_code < 300, started.text
    await watch.get_by_test_id("draft-status").filter(has_text="Live").wait_for()
    await watch.get_by_text("You are watching this draft as a spectator").wait_for()
    assert await visitor.locator(PICKS).count() == 0  # read-only
    # the bots draft from the server: shown as bots, never "away"
    await visitor.get_by_test_id("room-tabs").get_by_role("button", name="Log").tap()
    states = await watch.locator("[data-testid=presence] li").evaluate_all(
        "items => items.map(i => i.dataset.presence)"
    )
    assert states.count("bot") == 4 and "online" not in states, states  # 2 bots taken over
    await visitor.get_by_test_id("room-tabs").get_by_role("button", name="Board").tap()
    await visitor.screenshot(path=str(SCREENSHOTS / "landing-phone.png"))
    # the clock runs out (15 s in the demo) and the autopick reaches the visitor live
    await visitor.locator("[data-testid=board] td.filled[data-pick='1']").wait_for(
        state="attached", timeout=30_000
    )
    await no_sideways_scroll(visitor)
