"""Bad input on every client event: each is answered with the SPEC's error code."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import socketio

from draftroom.services.tokens import decode_access_token, revoke_access_token
from tests.realtime.client import RoomClient
from tests.realtime.conftest import create_draft
from tests.support.leagues import World, make_league, seed_reference, snake_team


async def live_room(make_user: Any, runtime: Any, open_client: Any) -> tuple[Any, ...]:
    """Two leagues (one started draft, one scheduled) and a socket per user of the first."""
    reference = await seed_reference()
    room = await make_league(make_user, teams=3, reference=reference)
    other = await make_league(make_user, teams=2, reference=reference)
    draft_id = await create_draft(runtime, room)
    other_draft = await create_draft(runtime, other)
    sockets = {u.id: await open_client(room.league_id, u) for u in room.users}
    commissioner = sockets[room.commissioner.id]
    assert (await commissioner.call("draft:start", {"draft_id": draft_id}))["ok"]
    await commissioner.wait_for(lambda: bool(commissioner.events_named("draft:turn")))
    order = commissioner.events_named("draft:turn")[0]
    assert order["pick_no"] == 1
    return room, other, draft_id, other_draft, sockets


async def scheduled_room(
    make_user: Any, runtime: Any, open_client: Any
) -> tuple[World, int, RoomClient]:
    """A two-team league with a scheduled (not started) draft, and its member's socket."""
    room = await make_league(make_user, teams=2)
    draft_id = await create_draft(runtime, room)
    return room, draft_id, await open_client(room.league_id, room.users[1])


async def test_every_event_refuses_bad_input(
    make_user: Any, runtime: Any, open_client: Any
) -> None:
    room, _other, draft_id, other_draft, sockets = await live_room(make_user, runtime, open_client)
    turn = sockets[room.commissioner.id].events_named("draft:turn")[0]
    on_clock = sockets[room.owner(turn["team_id"]).id]
    waiting_user = next(u for u in room.users[1:] if room.team_of[u.id] != turn["team_id"])
    waiting = sockets[waiting_user.id]
    driver = room.drivers[0]
    huge = list(range(1, 3000))
    d = draft_id
    cases: list[tuple[str, Any, str, Any]] = [
        # (event, payload, expected code, socket)
        ("pick", None, "validation_error", on_clock),
        ("pick", "pick 1", "validation_error", on_clock),
        ("pick", [d, 1, driver], "validation_error", on_clock),
        ("pick", {"draft_id": d, "pick_no": 1}, "validation_error", on_clock),
        (
            "pick",
            {"draft_id": str(d), "pick_no": 1, "driver_id": driver},
            "validation_error",
            on_clock,
        ),
        ("pick", {"draft_id": d, "pick_no": 1, "driver_id": 1.5}, "validation_error", on_clock),
        ("pick", {"draft_id": d, "pick_no": 1, "driver_id": 2**40}, "validation_error", on_clock),
        ("pick", {"draft_id": 999_999, "pick_no": 1, "driver_id": driver}, "not_found", on_clock),
        (
            "pick",
            {"draft_id": other_draft, "pick_no": 1, "driver_id": driver},
            "not_found",
            on_clock,
        ),
        ("pick", {"draft_id": d, "pick_no": 1, "driver_id": 999_999}, "driver_unknown", on_clock),
        ("pick", {"draft_id": d, "pick_no": 2, "driver_id": driver}, "pick_taken", on_clock),
        ("pick", {"draft_id": d, "pick_no": 1, "driver_id": driver}, "not_your_turn", waiting),
        (
            "draft:force_pick",
            {"draft_id": d, "pick_no": 1, "driver_id": driver},
            "forbidden",
            waiting,
        ),
        ("draft:force_pick", {"draft_id": d, "pick_no": 1}, "validation_error", waiting),
        ("queue:set", {"draft_id": d, "driver_ids": huge}, "validation_error", waiting),
        ("queue:set", {"draft_id": d, "driver_ids": [driver, "x"]}, "validation_error", waiting),
        ("queue:set", {"draft_id": other_draft, "driver_ids": []}, "not_found", waiting),
        ("queue:set", {"draft_id": d, "driver_ids": [999_999]}, "driver_unknown", waiting),
        ("autodraft:set", {"draft_id": d, "enabled": "on"}, "validation_error", waiting),
        ("autodraft:set", {"draft_id": d}, "validation_error", waiting),
        ("autodraft:set", {"draft_id": 999_999, "enabled": True}, "not_found", waiting),
        ("captain:set", {"race_id": room.race_id}, "validation_error", waiting),
        ("captain:set", {"race_id": "r", "driver_id": driver}, "validation_error", waiting),
        ("sync", {"draft_id": d, "after_seq": -1}, "validation_error", waiting),
        ("sync", {"draft_id": other_draft, "after_seq": 0}, "not_found", waiting),
        ("sync", {"draft_id": 999_999, "after_seq": 0}, "not_found", waiting),
        ("bogus:event", {"draft_id": d}, "validation_error", waiting),
    ]
    for event in ("draft:start", "draft:pause", "draft:resume", "draft:undo"):
        cases += [
            (event, {"draft_id": d}, "forbidden", waiting),
            (event, {}, "validation_error", waiting),
            (event, {"draft_id": other_draft}, "not_found", waiting),
            (event, {"draft_id": d, "pad": "x" * 8000}, "validation_error", waiting),
        ]
    # spread the cases over several tabs of the same users: each socket has its own budget
    tabs = {
        on_clock: [on_clock, await open_client(room.league_id, room.owner(turn["team_id"]))],
        waiting: [waiting, *[await open_client(room.league_id, waiting_user) for _ in range(2)]],
    }
    for i, (event, payload, code, socket) in enumerate(cases):
        client = tabs[socket][i % len(tabs[socket])]
        ack = await client.call(event, payload)
        assert ack["ok"] is False, (event, payload, ack)
        assert ack["error"]["code"] == code, (event, payload, ack)
        assert isinstance(ack["error"]["message"], str) and ack["error"]["message"]

    # nothing of that changed the draft: pick 1 is still open, and the right pick works
    ack = await on_clock.call("pick", {"draft_id": d, "pick_no": 1, "driver_id": driver})
    assert ack["ok"] is True, ack
    order = sockets[room.commissioner.id].state()["order"]
    next_team = snake_team(order, 2)
    next_owner = sockets[room.owner(next_team).id]
    taken = await next_owner.call("pick", {"draft_id": d, "pick_no": 2, "driver_id": driver})
    assert taken["error"]["code"] == "driver_taken"
    stale = await on_clock.call("pick", {"draft_id": d, "pick_no": 1, "driver_id": room.drivers[1]})
    assert stale["error"]["code"] == "pick_taken"
    not_live = await sockets[room.commissioner.id].call("draft:resume", {"draft_id": d})
    assert not_live["ok"] is False and not_live["error"]["code"] in ("draft_not_live", "conflict")
    for client in sockets.values():
        assert client.connected


async def test_scheduled_draft_is_not_live(make_user: Any, runtime: Any, open_client: Any) -> None:
    room, draft_id, client = await scheduled_room(make_user, runtime, open_client)
    ack = await client.call(
        "pick", {"draft_id": draft_id, "pick_no": 1, "driver_id": room.drivers[0]}
    )
    assert ack["error"]["code"] == "draft_not_live"


async def test_flood_is_rate_limited_not_fatal(
    make_user: Any, runtime: Any, open_client: Any
) -> None:
    _room, draft_id, client = await scheduled_room(make_user, runtime, open_client)
    payload = {"draft_id": draft_id, "after_seq": 0}
    acks = await asyncio.gather(*(client.call("sync", payload) for _ in range(60)))
    codes = [a["error"]["code"] for a in acks if not a["ok"]]
    assert sum(a["ok"] for a in acks) >= 20
    assert codes and set(codes) == {"rate_limited"}
    assert client.connected
    await asyncio.sleep(0.3)
    again = await client.call("sync", payload)
    assert again["ok"] is True and again["events"] == []


async def test_revoked_token_is_dropped_without_waiting_for_an_action(
    make_user: Any, runtime: Any, open_client: Any, redis: Any, settings: Any
) -> None:
    room, draft_id, client = await scheduled_room(make_user, runtime, open_client)
    member = room.users[1]
    bystander = await open_client(room.league_id, room.users[0])
    assert (await client.call("sync", {"draft_id": draft_id, "after_seq": 0}))["ok"]
    await revoke_access_token(redis, decode_access_token(settings, member.token))
    await asyncio.wait_for(client.disconnected.wait(), 1)
    assert not client.connected
    assert bystander.connected


async def test_an_event_of_a_revoked_token_is_refused_and_drops_its_socket(
    make_user: Any, runtime: Any, redis: Any, settings: Any
) -> None:
    """Where no cache has told the process yet (here: a Runtime without one), the check on
    every event still refuses a revoked token and drops the socket."""
    from draftroom.realtime.league_actions import Actions

    user = await make_user("late")
    dropped: list[tuple[str, str]] = []

    async def drop(namespace: str, sid: str) -> None:
        dropped.append((namespace, sid))

    actions = Actions(runtime, drop)
    session = {"user_id": user.id, "token": user.token, "role": "member", "league_id": 1}
    await revoke_access_token(redis, decode_access_token(settings, user.token))
    ack = await actions.dispatch(
        "sync", "/league/1", "sid1", session, ({"draft_id": 1, "after_seq": 0},)
    )
    assert ack["ok"] is False and ack["error"]["code"] == "unauthorized"
    assert dropped == [("/league/1", "sid1")]


async def test_payload_over_the_transport_limit_drops_only_that_socket(
    make_user: Any, runtime: Any, open_client: Any
) -> None:
    room, draft_id, client = await scheduled_room(make_user, runtime, open_client)
    other = await open_client(room.league_id, room.users[0])
    # over 64 KiB engine.io closes the socket: no ack
    with contextlib.suppress(socketio.exceptions.TimeoutError):
        await client.call(
            "queue:set", {"draft_id": draft_id, "driver_ids": list(range(20000))}, timeout=0.5
        )
    await asyncio.wait_for(client.disconnected.wait(), 5)
    assert other.connected
    ack = await other.call("sync", {"draft_id": draft_id, "after_seq": 0})
    assert ack == {"ok": True, "events": []}
