"""Draft room chat over real sockets and REST: send, history, delete, spectators, limits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.realtime.client import RoomClient
from tests.realtime.conftest import create_draft
from tests.support.contract import checked_client
from tests.support.leagues import make_league, seed_reference

API = "/api/v1"


def chats(client: RoomClient) -> list[dict[str, Any]]:
    return client.events_named("chat")


def deleted(client: RoomClient) -> list[dict[str, Any]]:
    return client.events_named("chat:deleted")


async def history(url: str, user: Any, draft_id: int, **query: Any) -> httpx.Response:
    async with checked_client(base_url=url, timeout=10) as http:
        return await http.get(f"{API}/drafts/{draft_id}/chat", params=query, headers=user.headers)


async def chat_room(make_user: Any, runtime: Any, open_client: Any, **league: Any) -> Any:
    room = await make_league(make_user, teams=3, **league)
    draft_id = await create_draft(runtime, room)
    sockets = [await open_client(room.league_id, u) for u in room.users]
    return room, draft_id, sockets


async def test_a_message_reaches_every_member_and_is_stored(
    make_user: Any, runtime: Any, open_client: Any, live_server: str
) -> None:
    room, draft_id, sockets = await chat_room(make_user, runtime, open_client)
    sender = room.users[1]
    ack = await sockets[1].call("chat:send", {"draft_id": draft_id, "text": "  box box  "})
    assert ack["ok"] is True, ack
    message = ack["message"]
    assert message["text"] == "box box"
    assert message["user_id"] == sender.id
    assert message["team_id"] == room.team_of[sender.id]
    assert message["draft_id"] == draft_id
    assert isinstance(message["at"], int) and "seq" not in message
    for client in sockets:
        await client.wait_for(lambda c=client: len(chats(c)) == 1)
        assert chats(client) == [message]
    response = await history(live_server, room.users[2], draft_id)
    assert response.status_code == 200
    assert response.json() == [message]
    # not a draft event: nothing in the event log
    events = await runtime_events(live_server, room.commissioner, draft_id)
    assert all(e["type"] != "chat" for e in events)


async def runtime_events(url: str, user: Any, draft_id: int) -> list[dict[str, Any]]:
    async with checked_client(base_url=url, timeout=10) as http:
        response = await http.get(f"{API}/drafts/{draft_id}/events", headers=user.headers)
    assert response.status_code == 200
    events: list[dict[str, Any]] = response.json()
    return events


async def test_bad_chat_input_is_refused_and_stores_nothing(
    make_user: Any, runtime: Any, open_client: Any, live_server: str
) -> None:
    reference = await seed_reference()
    room = await make_league(make_user, teams=2, reference=reference)
    other = await make_league(make_user, teams=2, reference=reference)
    draft_id = await create_draft(runtime, room)
    other_draft = await create_draft(runtime, other)
    member = await open_client(room.league_id, room.users[1])
    cases: list[tuple[Any, str]] = [
        ({"draft_id": draft_id, "text": ""}, "validation_error"),
        ({"draft_id": draft_id, "text": " \n\t "}, "validation_error"),
        ({"draft_id": draft_id, "text": "x" * 501}, "validation_error"),
        ({"draft_id": draft_id, "text": 42}, "validation_error"),
        ({"draft_id": draft_id, "text": None}, "validation_error"),
        ({"draft_id": draft_id, "text": ["hi"]}, "validation_error"),
        ({"draft_id": draft_id, "text": "nul\x00byte"}, "validation_error"),
        ({"draft_id": draft_id}, "validation_error"),
        ({"text": "hi"}, "validation_error"),
        ({"draft_id": "1", "text": "hi"}, "validation_error"),
        ("hi", "validation_error"),
        ({"draft_id": other_draft, "text": "hi"}, "not_found"),
        ({"draft_id": 999_999, "text": "hi"}, "not_found"),
    ]
    for payload, code in cases:
        ack = await member.call("chat:send", payload)
        assert ack["ok"] is False, (payload, ack)
        assert ack["error"]["code"] == code, (payload, ack)
    assert (await history(live_server, room.users[1], draft_id)).json() == []
    assert (await history(live_server, other.users[0], other_draft)).json() == []
    assert chats(member) == []
    # the boundaries are accepted: 500 characters, even of 4-byte emoji
    for text in ("y" * 500, "🏎" * 500):
        ack = await member.call("chat:send", {"draft_id": draft_id, "text": text})
        assert ack["ok"] is True, ack
        assert ack["message"]["text"] == text


async def test_history_pages_newest_first(make_user: Any, runtime: Any, live_server: str) -> None:
    from draftroom.db.tables import ChatMessage

    room = await make_league(make_user, teams=2)
    draft_id = await create_draft(runtime, room)
    user = room.users[1]
    for i in range(120):
        await ChatMessage.insert(
            ChatMessage(
                draft=draft_id, user=user.id, team_id=room.team_of[user.id],
                text=f"m{i}", created_at=datetime.now(UTC),
            )
        )  # fmt: skip
    first = (await history(live_server, user, draft_id)).json()
    assert [m["text"] for m in first] == [f"m{i}" for i in range(119, 69, -1)]
    second = (await history(live_server, user, draft_id, before_id=first[-1]["id"])).json()
    assert [m["text"] for m in second] == [f"m{i}" for i in range(69, 19, -1)]
    rest = (
        await history(live_server, user, draft_id, before_id=second[-1]["id"], limit=200)
    ).json()
    assert [m["text"] for m in rest] == [f"m{i}" for i in range(19, -1, -1)]
    small = (await history(live_server, user, draft_id, limit=3)).json()
    assert [m["text"] for m in small] == ["m119", "m118", "m117"]
    for bad in ({"limit": 0}, {"limit": 201}, {"limit": "x"}, {"before_id": 0}):
        response = await history(live_server, user, draft_id, **bad)
        assert response.status_code in (400, 422), (bad, response.text)
        assert response.json()["error"]["code"] in ("validation_error", "bad_request")


async def test_commissioner_deletes_for_everyone_also_after_reconnect(
    make_user: Any, runtime: Any, open_client: Any, live_server: str
) -> None:
    room, draft_id, sockets = await chat_room(make_user, runtime, open_client)
    commissioner, member, third = sockets
    keep = await member.call("chat:send", {"draft_id": draft_id, "text": "keep me"})
    gone = await member.call("chat:send", {"draft_id": draft_id, "text": "delete me"})
    message_id = gone["message"]["id"]
    refused = await member.call("chat:delete", {"draft_id": draft_id, "id": message_id})
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    await third.close()
    ack = await commissioner.call("chat:delete", {"draft_id": draft_id, "id": message_id})
    assert ack == {"ok": True, "id": message_id, "draft_id": draft_id}
    for client in (commissioner, member):
        await client.wait_for(lambda c=client: len(deleted(c)) == 1)
        assert deleted(client) == [{"id": message_id, "draft_id": draft_id}]
    again = await commissioner.call("chat:delete", {"draft_id": draft_id, "id": message_id})
    assert again["ok"] is False and again["error"]["code"] == "not_found"
    # the socket that was away: reconnects, and its last 50 lack the deleted message
    await third.reconnect()
    listed = (await history(live_server, room.users[2], draft_id)).json()
    assert [m["text"] for m in listed] == ["keep me"]
    assert listed[0]["id"] == keep["message"]["id"]
    # REST delete works the same way and is broadcast
    async with checked_client(base_url=live_server, timeout=10) as http:
        url = f"{API}/drafts/{draft_id}/chat/{keep['message']['id']}"
        assert (await http.delete(url, headers=room.users[1].headers)).status_code == 403
        response = await http.delete(url, headers=room.commissioner.headers)
    assert response.status_code == 200
    await third.wait_for(lambda: len(deleted(third)) == 1)
    assert (await history(live_server, room.users[2], draft_id)).json() == []


async def test_spectators_read_chat_only_when_the_league_allows(
    make_user: Any, runtime: Any, open_client: Any, live_server: str
) -> None:
    from draftroom.services.leagues import update_league

    room, draft_id, sockets = await chat_room(
        make_user, runtime, open_client, is_private=False, settings={"spectators": "public"}
    )
    outsider = await make_user("watcher")
    spectator = await open_client(room.league_id, outsider)
    await spectator.wait_for(lambda: bool(spectator.states))
    ack = await spectator.call("chat:send", {"draft_id": draft_id, "text": "hello"})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    assert (await sockets[1].call("chat:send", {"draft_id": draft_id, "text": "one"}))["ok"]
    await sockets[0].wait_for(lambda: len(chats(sockets[0])) == 1)
    await asyncio.sleep(0.3)
    assert chats(spectator) == []
    refused = await history(live_server, outsider, draft_id)
    assert refused.status_code == 403

    await update_league(
        room.league_id, room.commissioner.id, {"settings": {"spectator_chat": True}}
    )
    await spectator.reconnect()
    assert (await sockets[1].call("chat:send", {"draft_id": draft_id, "text": "two"}))["ok"]
    await spectator.wait_for(lambda: len(chats(spectator)) == 1)
    assert chats(spectator)[0]["text"] == "two"
    listed = await history(live_server, outsider, draft_id)
    assert [m["text"] for m in listed.json()] == ["two", "one"]
    ack = await spectator.call("chat:send", {"draft_id": draft_id, "text": "still no"})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"


async def test_chat_is_rate_limited_per_user_across_sockets(
    make_user: Any, runtime: Any, open_client: Any
) -> None:
    from draftroom.services.chat import CHAT_RATES

    room, draft_id, sockets = await chat_room(make_user, runtime, open_client)
    second_socket = await open_client(room.league_id, room.users[1])
    burst = CHAT_RATES[0].limit
    for i in range(burst):
        client = sockets[1] if i % 2 else second_socket
        assert (await client.call("chat:send", {"draft_id": draft_id, "text": f"m{i}"}))["ok"]
    limited = await sockets[1].call("chat:send", {"draft_id": draft_id, "text": "more"})
    assert limited["ok"] is False
    assert limited["error"]["code"] == "rate_limited"
    assert limited["error"]["details"]["retry_after_ms"] > 0
    other = await sockets[2].call("chat:send", {"draft_id": draft_id, "text": "me too"})
    assert other["ok"] is True


async def test_league_setting_spectator_chat_is_validated(make_user: Any, db: None) -> None:
    from draftroom.domain.league_settings import LeagueSettings, parse_settings
    from draftroom.errors import ValidationFailed

    assert LeagueSettings().spectator_chat is False
    assert parse_settings({"spectator_chat": True}).spectator_chat is True
    try:
        parse_settings({"spectator_chat": "yes"})
    except ValidationFailed as error:
        assert error.details == [
            {"field": "settings.spectator_chat", "message": "must be true or false"}
        ]
    else:
        raise AssertionError("accepted a string")
