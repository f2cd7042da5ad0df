"""Hostile Socket.IO clients (issue 15, defects 1 and 5): reserved event names are refused,
per-connection state stays out of reach, and a malformed frame closes the connection once,
cleanly and with one warning (no traceback)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.realtime.conftest import create_draft
from tests.support.leagues import make_league


async def test_client_disconnect_event_does_not_reset_the_rate_limit(
    make_user: Any, runtime: Any, open_client: Any
) -> None:
    room = await make_league(make_user, teams=2)
    draft_id = await create_draft(runtime, room)
    client = await open_client(room.league_id, room.users[1])
    await client.wait_for(lambda: bool(client.presence))
    sync = {"draft_id": draft_id, "after_seq": 0}
    calls = []
    for _ in range(30):  # the attack: a `disconnect` before every sync resets the bucket
        calls += [client.call("disconnect", "io client disconnect"), client.call("sync", sync)]
    acks = await asyncio.gather(*calls)
    refused, syncs = acks[0::2], acks[1::2]
    assert all(a["error"]["code"] == "validation_error" for a in refused), refused[:2]
    limited = [a for a in syncs if not a["ok"] and a["error"]["code"] == "rate_limited"]
    assert len(limited) >= 5, syncs  # burst 20 + refill: the rest is refused
    assert client.connected
    await asyncio.sleep(0.7)  # the presence batch: the team is still online
    assert room.team_of[room.users[1].id] in client.presence[-1]["online_team_ids"]


async def test_client_connect_event_cannot_switch_the_socket_user(
    make_user: Any, runtime: Any, open_client: Any
) -> None:
    room = await make_league(make_user, teams=2)
    draft_id = await create_draft(runtime, room)
    attacker, victim = room.users[1], room.users[0]
    victim_socket = await open_client(room.league_id, victim)
    socket = await open_client(room.league_id, attacker)
    ack = await socket.call("connect", ({}, {"token": victim.token}))
    assert ack["ok"] is False and ack["error"]["code"] == "validation_error", ack
    for name in ("connect_error", "disconnecting", "*"):
        ack = await socket.call(name, {})
        assert ack["error"]["code"] == "validation_error", (name, ack)
    ack = await socket.call("queue:set", {"draft_id": draft_id, "driver_ids": room.drivers[:1]})
    assert ack["ok"], ack
    await socket.wait_for(lambda: bool(socket.queues))
    await asyncio.sleep(0.3)
    assert victim_socket.queues == []  # the queue set was the attacker's own


# --- raw frames ---------------------------------------------------------------------------


async def raw_socket(url: str, namespace: str, token: str) -> ClientConnection:
    """A websocket past the Engine.IO open and the namespace CONNECT."""
    ws = await connect(url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket")
    assert (await ws.recv()).startswith("0")
    await ws.send(f"40{namespace}," + json.dumps({"token": token}))
    while not (reply := await ws.recv()).startswith(f"40{namespace},"):
        assert not reply.startswith(f"44{namespace}"), reply
    return ws


async def ack_of(ws: ClientConnection) -> str:
    """The next ACK frame (pings and server events skipped)."""
    while not (reply := str(await ws.recv())).startswith("43"):
        pass
    return reply


async def closed(ws: ClientConnection) -> int | None:
    """Read until the server closes; its close code."""
    with pytest.raises(ConnectionClosed):
        async with asyncio.timeout(5):
            while True:
                await ws.recv()
    return ws.close_code


@pytest.mark.parametrize(
    "frame",
    [
        "",  # empty: crashed the ASGI handler (1011)
        "x",  # not an Engine.IO packet type
        "9",
        "4",  # an empty Socket.IO packet
        "49",  # unknown Socket.IO packet type
        "42{ns},[",  # broken JSON
        "42{ns},{{}}",  # EVENT data that is not a list
        "42{ns},[]",  # EVENT without a name
        '44{ns},{{"message": "x"}}',  # CONNECT_ERROR from a client
        '40{ns},{{"token": "{token}"}}',  # a second CONNECT of the same namespace
    ],
)
async def test_malformed_frame_closes_once_without_traceback(
    frame: str, make_user: Any, live_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    room = await make_league(make_user, teams=2)
    namespace = f"/league/{room.league_id}"
    ws = await raw_socket(live_server, namespace, room.users[1].token)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        await ws.send(frame.replace("{ns}", namespace).replace("{token}", room.users[0].token))
        assert await closed(ws) == 1000
        await asyncio.sleep(0.1)
    warnings = [r for r in caplog.records if r.name == "draftroom.realtime.protocol"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING, caplog.records
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_event_name_not_a_string_is_a_validation_error(
    make_user: Any, live_server: str
) -> None:
    room = await make_league(make_user, teams=2)
    namespace = f"/league/{room.league_id}"
    ws = await raw_socket(live_server, namespace, room.users[1].token)
    for n, name in enumerate([1, None, {"a": 1}, ["sync"]]):
        await ws.send(f"42{namespace},{n}" + json.dumps([name, {}]))
        reply = await ack_of(ws)
        assert reply.startswith(f"43{namespace},{n}["), reply
        ack = json.loads(reply[len(f"43{namespace},{n}") :])[0]
        assert ack["error"]["code"] == "validation_error", ack
    await ws.send(f"42{namespace},9" + json.dumps(["sync", {"draft_id": 1, "after_seq": 0}]))
    assert (await ack_of(ws)).startswith(f"43{namespace},9[")  # still open and served
    await ws.close()
