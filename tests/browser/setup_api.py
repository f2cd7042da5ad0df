"""Leagues and live drafts made through the HTTP API (faster than the forms), and signing a
browser in as one of their users."""

from __future__ import annotations

from typing import Any

import httpx

from tests.browser.conftest import SEASON
from tests.browser.flows import PASSWORD
from tests.support.users import TestUser, make_user


async def login(api: httpx.AsyncClient, name: str) -> dict[str, str]:
    """Register ``name`` and return its Authorization header."""
    body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    assert (await api.post("/auth/register", json=body)).status_code == 201
    pair = (await api.post("/auth/login", json={"username": name, "password": PASSWORD})).json()
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def live_draft(
    api: httpx.AsyncClient, settings: Any, names: list[str], *, pick_seconds: int = 300
) -> tuple[int, dict[str, Any], dict[str, TestUser]]:
    """A league of one team per name (the first is the commissioner) whose snake draft of the
    test race is live: (league id, the draft as GET /drafts/{id} shows it, users by name).
    The users are made in the database (registering is rate limited per address)."""
    from draftroom.db.tables import Race

    users = {name: await make_user(settings, name) for name in names}
    headers = {name: user.headers for name, user in users.items()}
    first = names[0]
    settings = {"draft_type": "snake", "draft_opens_hours_before": 0, "picks_per_team": 2,
                "pick_seconds": pick_seconds}  # fmt: skip
    body = {"name": "Layout League", "is_private": True, "max_teams": len(names), "season": SEASON,
            "team_name": f"{first.title()} Racing Team", "settings": settings}  # fmt: skip
    made = await api.post("/leagues", json=body, headers=headers[first])
    assert made.status_code == 201, made.text
    league = made.json()
    for name in names[1:]:
        join = {"code": league["code"], "team_name": f"{name.title()} Racing Team"}
        joined = await api.post("/leagues/join", json=join, headers=headers[name])
        assert joined.status_code == 201, joined.text
    race = await Race.objects().where(Race.round == 90).first()
    assert race is not None
    draft = await api.post(
        f"/leagues/{league['id']}/drafts", json={"race_id": race.id}, headers=headers[first]
    )
    assert draft.status_code == 201, draft.text
    draft_id = draft.json()["id"]
    started = await api.post(f"/drafts/{draft_id}/start", headers=headers[first])
    assert started.status_code < 300, started.text
    state = (await api.get(f"/drafts/{draft_id}", headers=headers[first])).json()
    return int(league["id"]), state, users


async def team_owners(
    api: httpx.AsyncClient, league_id: int, users: dict[str, TestUser]
) -> dict[int, str]:
    """Team id -> the name of its owner."""
    names = {user.id: name for name, user in users.items()}
    first = next(iter(users.values()))
    league = (await api.get(f"/leagues/{league_id}", headers=first.headers)).json()
    return {t["id"]: names[t["user_id"]] for t in league["teams"] if t["user_id"] in names}


async def sign_in(page: Any, user: TestUser) -> None:
    """Give ``page`` the user's access token, as the login form would."""
    await page.goto("/#/login")
    await page.evaluate(
        "(token) => localStorage.setItem('draftroom.access_token', token)", user.token
    )
    await page.reload()
    await page.get_by_role("button", name="Log out").wait_for()


async def log_in(page: Any, name: str) -> None:
    """Sign ``page`` in through the login form."""
    await page.goto("/#/login")
    await page.get_by_label("Username or email").fill(name)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("heading", name="Leagues", exact=True).wait_for()
