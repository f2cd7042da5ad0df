"""Joining and leaving leagues, and the league_access roles used by REST and Socket.IO."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from draftroom.db.tables import League, Team
from draftroom.errors import NotFound
from draftroom.services import membership
from draftroom.services.membership import join_league, league_access
from tests.leagues.conftest import CreateLeague
from tests.leagues.helpers import add_draft, join

API = "/api/v1"


async def test_join_by_code(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague
) -> None:
    owner, bob = await make_user("owner"), await make_user("bob")
    league = await create_league(owner)
    response = await join(http, bob, f"  {league['code'].lower()} ", "  Bob   Racing ")
    assert response.status_code == 201
    team = response.json()
    assert team["name"] == "Bob Racing" and team["user_id"] == bob.id
    assert team["league_id"] == league["id"] and team["is_bot"] is False
    details = (await http.get(f"{API}/leagues/{league['id']}", headers=bob.headers)).json()
    assert details["my_team_id"] == team["id"] and details["role"] == "member"


async def test_join_conflicts_and_bad_codes(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague
) -> None:
    owner = await make_user("owner")
    bob, carol, dave = await make_user("bob"), await make_user("carol"), await make_user("dave")
    league = await create_league(owner, max_teams=3, team_name="Scuderia Owner")
    code = league["code"]
    taken = await join(http, bob, code, "SCUDERIA   owner")
    assert taken.status_code == 409  # team names are unique case-insensitively
    assert (await join(http, bob, code, "Bob")).status_code == 201
    again = await join(http, bob, code, "Bob Again")
    assert again.status_code == 409  # already a member
    owner_again = await join(http, owner, code, "Second")
    assert owner_again.status_code == 409
    assert (await join(http, carol, code, "Carol")).status_code == 201
    full = await join(http, dave, code, "Dave")
    assert full.status_code == 409 and "full" in full.json()["error"]["message"]
    bad = await join(http, dave, "ZZZZZZZZ", "Dave")
    assert bad.status_code == 404
    for body in (
        {"code": code},
        {"team_name": "x"},
        {"code": code, "team_name": ""},
        {"code": 12345678, "team_name": "x"},
        {"code": code, "team_name": "t" * 41},
    ):
        response = await http.post(f"{API}/leagues/join", json=body, headers=dave.headers)
        assert response.status_code == 422, body
    anonymous = await http.post(f"{API}/leagues/join", json={"code": code, "team_name": "x"})
    assert anonymous.status_code == 401


async def test_concurrent_joins_never_overfill(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague
) -> None:
    owner = await make_user("owner")
    league = await create_league(owner, max_teams=3)
    users = [await make_user(f"racer{i}") for i in range(6)]
    responses = await asyncio.gather(
        *(join(http, u, league["code"], f"Team {i}") for i, u in enumerate(users))
    )
    assert sorted(r.status_code for r in responses) == [201, 201, 409, 409, 409, 409]
    assert await Team.count().where(Team.league == league["id"]) == 3


async def test_concurrent_same_team_name_one_wins(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague
) -> None:
    owner = await make_user("owner")
    league = await create_league(owner, max_teams=8)
    users = [await make_user(f"racer{i}") for i in range(4)]
    responses = await asyncio.gather(*(join(http, u, league["code"], "Same Name") for u in users))
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]


async def test_leave(http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague) -> None:
    owner, bob = await make_user("owner"), await make_user("bob")
    stranger = await make_user("stranger")
    league = await create_league(owner)
    public = await create_league(owner, is_private=False, name="Open")
    await join(http, bob, league["code"], "Bob")
    url = f"{API}/leagues/{league['id']}/leave"
    assert (await http.post(url, headers=stranger.headers)).status_code == 404
    open_url = f"{API}/leagues/{public['id']}/leave"
    assert (await http.post(open_url, headers=stranger.headers)).status_code == 403
    stuck = await http.post(url, headers=owner.headers)
    assert stuck.status_code == 409  # the commissioner cannot leave members behind
    assert (await http.post(url, headers=bob.headers)).status_code == 204
    hidden = await http.get(f"{API}/leagues/{league['id']}", headers=bob.headers)
    assert hidden.status_code == 404  # private, and bob is no longer in it
    assert (await http.post(url, headers=bob.headers)).status_code == 404
    alone = await http.post(url, headers=owner.headers)
    assert alone.status_code == 204
    assert not await League.exists().where(League.code == league["code"])
    assert (
        await http.post(f"{API}/leagues/999999/leave", headers=owner.headers)
    ).status_code == 404


@pytest.mark.parametrize("status", ["live", "paused"])
async def test_nobody_leaves_during_a_draft(
    http: httpx.AsyncClient, make_user: Any, create_league: CreateLeague, status: str
) -> None:
    owner, bob = await make_user("owner"), await make_user("bob")
    league = await create_league(owner)
    await join(http, bob, league["code"], "Bob")
    await add_draft(league["id"], status)
    response = await http.post(f"{API}/leagues/{league['id']}/leave", headers=bob.headers)
    assert response.status_code == 409
    assert await Team.count().where(Team.league == league["id"]) == 2


@pytest.mark.parametrize(
    ("private", "spectators", "who", "role"),
    [
        (True, "members", "owner", "commissioner"),
        (True, "members", "member", "member"),
        (True, "public", "member", "member"),
        (False, "members", "stranger", "none"),
        (False, "public", "stranger", "spectator"),
        (False, "public", "anonymous", "none"),
        (True, "public", "admin", "none"),
    ],
)
async def test_league_access_roles(
    http: httpx.AsyncClient,
    make_user: Any,
    create_league: CreateLeague,
    private: bool,
    spectators: str,
    who: str,
    role: str,
) -> None:
    owner, member = await make_user("owner"), await make_user("member")
    stranger, admin = await make_user("stranger"), await make_user("root", is_admin=True)
    league = await create_league(owner, is_private=private, settings={"spectators": spectators})
    team = (await join(http, member, league["code"], "Member team")).json()
    user_ids = {
        "owner": owner.id,
        "member": member.id,
        "stranger": stranger.id,
        "admin": admin.id,
        "anonymous": None,
    }
    access = await league_access(league["id"], user_ids[who], is_admin=who == "admin")
    assert access.role == role
    assert access.league_id == league["id"]
    assert access.is_member == (role in ("commissioner", "member"))
    assert access.can_watch == (role != "none" or who == "admin")
    assert access.can_manage == (who in ("owner", "admin"))
    assert access.settings.spectators == spectators
    if who == "member":
        assert access.team_id == team["id"]
    if who == "owner":
        assert access.team_id == league["my_team_id"]


async def test_private_league_is_not_found_for_outsiders(
    make_user: Any, create_league: CreateLeague
) -> None:
    owner, stranger = await make_user("owner"), await make_user("stranger")
    league = await create_league(owner, is_private=True, settings={"spectators": "public"})
    for user_id in (stranger.id, None):
        with pytest.raises(NotFound):
            await league_access(league["id"], user_id)
    with pytest.raises(NotFound):
        await league_access(999999, owner.id)


async def test_bot_teams_join_through_the_service(
    make_user: Any, create_league: CreateLeague
) -> None:
    owner, bot = await make_user("owner"), await make_user("bot")
    league = await create_league(owner)
    team = await join_league(bot.id, league["code"], "Robo Racing", is_bot=True)
    assert team["is_bot"] is True


async def test_roster_cache_reads_the_roster_once_and_lets_a_new_member_in_at_once(
    http: httpx.AsyncClient,
    make_user: Any,
    create_league: CreateLeague,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner, watcher, bob = (
        await make_user("owner"),
        await make_user("watcher"),
        await make_user("bob"),
    )
    stranger = await make_user("stranger")
    public = await create_league(owner, is_private=False, settings={"spectators": "public"})
    private = await create_league(owner, name="Closed")
    reads: list[int] = []
    real_roster = membership.league_roster

    async def counted(league_id: int) -> membership.Roster:
        reads.append(league_id)
        return await real_roster(league_id)

    from draftroom.services.leagues import update_league

    monkeypatch.setattr(membership, "league_roster", counted)
    cache = membership.RosterCache(ttl_s=60)
    first = await cache.access(public["id"], owner.id, is_admin=False)
    assert first.role == "commissioner" and reads == [public["id"]]
    for _ in range(3):  # spectators: one index lookup each, the roster is not read again
        watching = await cache.access(public["id"], watcher.id, is_admin=False)
        assert watching.role == "spectator" and watching.team_id is None
    assert reads == [public["id"]]
    await join(http, bob, public["code"], "Bob")
    joined = await cache.access(public["id"], bob.id, is_admin=False)
    assert joined.role == "member" and joined.team_id is not None  # at once, no TTL wait
    assert reads == [public["id"], public["id"]]
    assert (await cache.access(public["id"], bob.id, is_admin=False)).role == "member"
    assert reads == [public["id"], public["id"]]
    await update_league(public["id"], owner.id, {"settings": {"spectator_chat": True}})
    reads.clear()  # (the update read the roster too)
    chatty = await cache.access(public["id"], watcher.id, is_admin=False)
    assert chatty.can_read_chat, "a changed setting takes effect at once"
    assert reads == [public["id"]]
    assert (await cache.access(public["id"], watcher.id, is_admin=False)).can_read_chat
    assert reads == [public["id"]]
    await cache.access(private["id"], owner.id, is_admin=False)
    with pytest.raises(NotFound):  # a private league stays invisible to non-members
        await cache.access(private["id"], stranger.id, is_admin=False)
    assert (await cache.access(private["id"], stranger.id, is_admin=True)).role == "none"
