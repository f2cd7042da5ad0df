"""Chat across two real ``draftroom serve`` processes sharing PostgreSQL and Redis."""

from __future__ import annotations

from typing import Any

import pytest

from tests.realtime.conftest import create_draft
from tests.support.contract import checked_client
from tests.support.leagues import make_league
from tests.support.processes import ServerProcess

pytestmark = pytest.mark.slow


async def test_chat_and_deletion_reach_every_socket_on_both_processes(
    servers: list[ServerProcess], make_user: Any, runtime: Any, open_client: Any
) -> None:
    a, b = servers[0].url, servers[1].url
    room = await make_league(make_user, teams=4)
    draft_id = await create_draft(runtime, room)
    sockets = [
        await open_client(room.league_id, user, url)
        for user, url in zip(room.users, [a, b, a, b], strict=True)
    ]
    extra = await open_client(room.league_id, room.users[2], b)  # a user with two sockets
    everyone = [*sockets, extra]
    sent = []
    for sender, text in ((sockets[1], "from b"), (sockets[2], "from a")):
        ack = await sender.call("chat:send", {"draft_id": draft_id, "text": text})
        assert ack["ok"] is True, ack
        sent.append(ack["message"])
    for client in everyone:
        await client.wait_for(lambda c=client: len(c.events_named("chat")) == 2)
        assert sorted(c["id"] for c in client.events_named("chat")) == [m["id"] for m in sent]
    gone = sent[0]["id"]
    ack = await sockets[0].call("chat:delete", {"draft_id": draft_id, "id": gone})
    assert ack["ok"] is True, ack
    for client in everyone:
        await client.wait_for(lambda c=client: len(c.events_named("chat:deleted")) == 1)
        assert client.events_named("chat:deleted") == [{"id": gone, "draft_id": draft_id}]
    for url in (a, b):
        async with checked_client(base_url=url, timeout=10) as http:
            response = await http.get(
                f"/api/v1/drafts/{draft_id}/chat", headers=room.users[3].headers
            )
        assert [m["text"] for m in response.json()] == ["from a"]
