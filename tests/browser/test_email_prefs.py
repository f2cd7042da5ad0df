"""The league page's "draft opens" e-mail opt-in: off by default, saved over REST, shown
again after a reload."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.browser.conftest import SEASON
from tests.browser.setup_api import sign_in
from tests.support.contract import checked_client
from tests.support.users import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
async def api(site: str) -> AsyncIterator[httpx.AsyncClient]:
    async with checked_client(base_url=f"{site}/api/v1", timeout=30) as client:
        yield client


async def test_a_member_opts_in_to_draft_opens_mails_on_the_league_page(
    api: httpx.AsyncClient, new_page: Any, settings: Any
) -> None:
    alice, bob = await make_user(settings, "alice"), await make_user(settings, "bob")
    body = {"name": "Mail League", "is_private": True, "max_teams": 2, "season": SEASON,
            "team_name": "Alice Racing"}  # fmt: skip
    league = (await api.post("/leagues", json=body, headers=alice.headers)).json()
    join = {"code": league["code"], "team_name": "Bob Racing"}
    assert (await api.post("/leagues/join", json=join, headers=bob.headers)).status_code == 201
    prefs_url = f"/leagues/{league['id']}/email-prefs"

    page = await new_page()
    await sign_in(page, bob)
    await page.goto(f"/#/leagues/{league['id']}")
    box = page.get_by_label("E-mail me when a draft of this league opens")
    await box.wait_for()
    await page.locator("#email-draft-opens:enabled").wait_for()  # loaded
    assert not await box.is_checked()  # off by default
    await box.check()
    await page.get_by_test_id("email-prefs-status").get_by_text("You will get an e-mail").wait_for()
    assert (await api.get(prefs_url, headers=bob.headers)).json()["draft_opens"] is True
    assert (await api.get(prefs_url, headers=alice.headers)).json()["draft_opens"] is False

    await page.reload()
    await page.locator("#email-draft-opens:enabled:checked").wait_for()
    await box.uncheck()
    await page.get_by_test_id("email-prefs-status").get_by_text("No e-mails.").wait_for()
    assert (await api.get(prefs_url, headers=bob.headers)).json()["draft_opens"] is False
