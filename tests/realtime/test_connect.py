"""Connecting to ``/league/{id}``: who is admitted, what they receive, presence."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import socketio

from draftroom.services.tokens import decode_access_token, revoke_access_token
from tests.realtime.client import RoomClient
from tests.support.leagues import make_league


async def refused(url: str, namespace_league: int, token: str | None) -> Any:
    """Try to connect; return the connect_error data (fails the test if admitted)."""
    client = RoomClient(url, namespace_league, token or "")
    auth = {"token": token} if token is not None else None
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.sio.connect(
            url, namespaces=[client.namespace], auth=auth, transports=["websocket"], wait_timeout=5
        )
    await client.close()
    return client.connect_error


async def refused_soon(url: str, namespace_league: int, token: str, within_s: float = 2.0) -> Any:
    """Like :func:`refused`, once the server has heard of a revocation: it learns of them
    through a pub/sub feed, within a second, so a connect right after the revocation
    may still get in."""
    for _ in range(int(within_s / 0.1)):
        client = RoomClient(url, namespace_league, token)
        try:
            await client.sio.connect(
                url, namespaces=[client.namespace], auth={"token": token},
                transports=["websocket"], wait_timeout=5,
            )  # fmt: skip
        except socketio.exceptions.ConnectionError:
            await client.close()
            return client.connect_error
        await client.close()
        await asyncio.sleep(0.1)
    raise AssertionError(f"still admitted {within_s} s after the revocation")


async def test_refused_without_token_or_with_bad_token(live_server: str, make_user: Any) -> None:
    room = await make_league(make_user, teams=2)
    assert (await refused(live_server, room.league_id, None))["code"] == "unauthorized"
    assert (await refused(live_server, room.league_id, "not-a-jwt"))["code"] == "unauthorized"


async def test_refused_with_revoked_token(
    live_server: str, make_user: Any, redis: Any, settings: Any
) -> None:
    room = await make_league(make_user, teams=2)
    member = room.users[1]
    await revoke_access_token(redis, decode_access_token(settings, member.token))
    error = await refused_soon(live_server, room.league_id, member.token)
    assert error["code"] == "unauthorized"


async def test_non_member_of_private_league_sees_not_found(
    live_server: str, make_user: Any
) -> None:
    room = await make_league(make_user, teams=2)
    stranger = await make_user("stranger")
    error = await refused(live_server, room.league_id, stranger.token)
    assert error["code"] == "not_found"
    assert error["data"] == {"code": "not_found", "message": error["message"]}


async def test_unknown_league_and_malformed_namespace_are_refused(
    live_server: str, make_user: Any
) -> None:
    user = await make_user("lost")
    assert (await refused(live_server, 999_999, user.token))["code"] == "not_found"
    client = socketio.AsyncClient(reconnection=False)
    errors: list[Any] = []
    client.on("connect_error", errors.append, namespace="/league/abc")
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(
            live_server, namespaces=["/league/abc"], auth={"token": user.token},
            transports=["websocket"], wait_timeout=5,
        )  # fmt: skip
    await client.disconnect()
    assert errors and errors[0]["code"] == "not_found"


async def test_public_league_without_public_spectators_is_refused(
    live_server: str, make_user: Any
) -> None:
    room = await make_league(make_user, teams=2, is_private=False)
    stranger = await make_user("curious")
    assert (await refused(live_server, room.league_id, stranger.token))["code"] == "forbidden"


async def test_member_gets_state_and_presence(make_user: Any, open_client: Any) -> None:
    room = await make_league(make_user, teams=3)
    alice = await open_client(room.league_id, room.users[0])
    await alice.wait_for(lambda: bool(alice.states) and bool(alice.presence))
    assert alice.state() is None  # no draft yet
    team_a = room.team_of[room.users[0].id]
    await alice.wait_for(lambda: alice.presence[-1]["online_team_ids"] == [team_a])
    assert alice.presence[-1]["spectators"] == 0


async def test_presence_counts_tabs_once_and_follows_leaves(
    make_user: Any, open_client: Any
) -> None:
    room = await make_league(
        make_user, teams=3, is_private=False, settings={"spectators": "public"}
    )
    a, b = room.users[0], room.users[1]
    ta, tb = room.team_of[a.id], room.team_of[b.id]
    watcher = await open_client(room.league_id, a)
    tab1 = await open_client(room.league_id, b)
    tab2 = await open_client(room.league_id, b)
    viewer = await make_user("viewer")
    spec1 = await open_client(room.league_id, viewer)
    spec2 = await open_client(room.league_id, viewer)  # a second tab of the same spectator

    both = {"online_team_ids": sorted([ta, tb]), "spectators": 1}
    await watcher.wait_for(lambda: bool(watcher.presence) and watcher.presence[-1] == both)
    await spec1.wait_for(lambda: bool(spec1.presence) and spec1.presence[-1] == both)

    seen = len(watcher.presence)
    await tab1.close()  # b still has tab2 open: still online
    await spec1.close()  # the viewer still has spec2 open: still one spectator
    await watcher.wait_for(lambda: len(watcher.presence) > seen)
    assert watcher.presence[-1] == both

    await tab2.close()
    await spec2.close()
    only_a = {"online_team_ids": [ta], "spectators": 0}
    await watcher.wait_for(lambda: watcher.presence[-1] == only_a)


async def test_a_member_who_just_joined_enters_a_room_whose_roster_is_cached(
    live_server: str, make_user: Any, open_client: Any
) -> None:
    """Connects check access from a cached roster; one that does not list the user is read
    again, so joining and opening the room right away works."""
    from draftroom.db.engine import pool
    from draftroom.services.membership import join_league
    from tests.support.leagues import make_league

    room = await make_league(make_user, teams=2)
    await pool().execute("UPDATE league SET max_teams = 3 WHERE id = $1", room.league_id)
    first = await open_client(room.league_id, room.commissioner)  # caches the roster
    assert first.connected
    newcomer = await make_user()
    await join_league(newcomer.id, room.code, "Newcomer")
    late = await open_client(room.league_id, newcomer)
    await late.wait_for(lambda: bool(late.presence))
    assert late.connected and late.connect_error is None
