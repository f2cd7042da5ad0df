"""/metrics counts league sockets, client events by outcome and committed picks."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.realtime.conftest import started_room


def _value(text: str, name: str, labels: str) -> float:
    match = re.search(rf"^{name}\{{{re.escape(labels)}\}} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def test_metrics_follow_sockets_events_and_picks(
    live_server: str, make_user: Any, runtime: Any, open_client: Any
) -> None:
    async def scrape() -> str:
        async with httpx.AsyncClient() as client:
            return (await client.get(f"{live_server}/metrics")).text

    before = await scrape()
    room, draft_id, order, _commissioner = await started_room(
        make_user, runtime, open_client, live_server
    )
    owner = await open_client(room.league_id, room.owner(order[0]))
    pick = {"draft_id": draft_id, "pick_no": 1, "driver_id": room.drivers[0]}
    assert (await owner.call("pick", pick))["ok"] is True
    assert (await owner.call("pick", pick))["error"]["code"] == "pick_taken"
    after = await scrape()

    sockets = 'namespace_kind="league"'
    assert _value(after, "draftroom_sockets_connected", sockets) == (
        _value(before, "draftroom_sockets_connected", sockets) + 2
    )
    for labels, delta in (
        ('event="pick",outcome="ok"', 1),
        ('event="pick",outcome="pick_taken"', 1),
    ):
        name = "draftroom_socket_events_total"
        assert _value(after, name, labels) == _value(before, name, labels) + delta
    picks = 'by="user"'
    assert _value(after, "draftroom_picks_committed_total", picks) == (
        _value(before, "draftroom_picks_committed_total", picks) + 1
    )
