"""The draft room's own connection, routed by league: its handshake carries `league=<id>`
and it is not the connection of namespace `/`; after a drop it comes back, catches up
once (the server's `draft:state`, no `sync`) and shows the pick made meanwhile; a connect
refused as `overloaded` is retried no sooner than its `retry_after_ms`."""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.browser.conftest import SEASON
from tests.browser.flows import create_draft, create_league, join_by_code, sign_up

pytestmark = pytest.mark.browser

RACE = "Browser Test Grand Prix"


@dataclass
class Connection:
    """One websocket of a page and the Socket.IO frames it carried."""

    url: str
    sent: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)


def record_websockets(page: Any) -> list[Connection]:
    """Every websocket the page opens from now on, with its frames (as text)."""
    connections: list[Connection] = []

    def opened(ws: Any) -> None:
        connection = Connection(ws.url)
        connections.append(connection)
        ws.on("framesent", lambda payload: connection.sent.append(str(payload)))
        ws.on("framereceived", lambda payload: connection.received.append(str(payload)))

    page.on("websocket", opened)
    return connections


def league_connections(connections: list[Connection], league_id: int) -> list[Connection]:
    return [c for c in connections if f"league={league_id}&" in c.url]


async def test_room_connection_is_routed_by_league_and_catches_up_once(new_page: Any) -> None:
    alice, bob = await new_page(), await new_page()
    connections = record_websockets(bob)
    await sign_up(alice, "alice")
    await sign_up(bob, "bob")
    league_id = await create_league(alice, "Routed", team="Alpha", pick_seconds=60, season=SEASON)
    code = (await alice.get_by_test_id("invite-code").inner_text()).strip()
    await join_by_code(bob, code, "Bravo")
    await create_draft(alice, league_id, RACE)
    for page in (alice, bob):
        await page.goto(f"/#/leagues/{league_id}/draft")
        await page.get_by_test_id("draft-status").filter(has_text="Scheduled").wait_for()
        await page.get_by_test_id("connection").filter(has_text="Connected").wait_for()

    # the room's namespace has a connection of its own, whose handshake names the league
    (room,) = league_connections(connections, league_id)
    assert "/socket.io/?league=" in room.url and "transport=websocket" in room.url
    assert any(f.startswith(f"40/league/{league_id},") for f in room.sent)
    assert not any(f.startswith("40{") for f in room.sent)
    user = [c for c in connections if any(f.startswith("40{") for f in c.sent)]
    assert user, "namespace / was not connected"
    assert all("league=" not in c.url for c in user)
    assert all(not any("/league/" in f for f in c.sent) for c in user)

    await alice.get_by_role("button", name="Start now").click()
    for page in (alice, bob):
        await page.locator("[data-testid=board] td.on-clock[data-pick='1']").wait_for()

    # bob drops; the commissioner picks for the team on the clock meanwhile
    await bob.context.set_offline(True)
    await bob.get_by_test_id("connection").filter(has_text="Reconnecting").wait_for()
    before = len(connections)
    await alice.get_by_role("button", name="Pick for team").click()
    await alice.locator("[data-testid=board] td.filled[data-pick='1']").wait_for()
    assert await bob.locator("[data-testid=board] td.filled[data-pick='1']").count() == 0

    await bob.context.set_offline(False)
    await bob.get_by_test_id("connection").filter(has_text="Connected").wait_for()
    await bob.locator("[data-testid=board] td.filled[data-pick='1']").wait_for()
    await bob.locator("[data-testid=board] td.on-clock[data-pick='2']").wait_for()
    await asyncio.sleep(1.0)  # longer than the hold of a gap: a late sync would show now
    back = league_connections(connections[before:], league_id)
    assert back and all(c.url == room.url for c in back)
    state = f'42/league/{league_id},["draft:state"'
    states = [f for c in back for f in c.received if f.startswith(state)]
    syncs = [f for c in back for f in c.sent if '"sync"' in f]
    assert (len(states), len(syncs)) == (1, 0)  # one catch-up: the snapshot sent on connect


async def test_overloaded_refusal_is_retried_after_retry_after_ms(new_page: Any) -> None:
    page = await new_page()
    attempts: list[float] = []
    refused: list[float] = []
    refusal = {"code": "overloaded", "message": "Busy", "details": {"retry_after_ms": 1500}}

    def route(ws: Any) -> None:
        attempts.append(time.monotonic())
        if len(attempts) > 1:
            ws.connect_to_server()  # the second attempt reaches the real server
            return
        # the first attempt meets a server at capacity: open, then refuse the namespace
        ws.send('0{"sid":"busy","upgrades":[],"pingInterval":25000,"pingTimeout":20000}')

        def on_message(message: str | bytes) -> None:
            namespace = re.match(r"40(/league/\d+),", str(message))
            if namespace:
                refused.append(time.monotonic())
                ws.send(f"44{namespace[1]}," + json.dumps({"message": "Busy", "data": refusal}))

        ws.on_message(on_message)

    # routes apply to the documents loaded after them: set up before the first page load
    await page.route_web_socket(re.compile(r"[?&]league=\d+&"), route)
    await sign_up(page, "carol")
    league_id = await create_league(page, "Busy", team="Carol", pick_seconds=60, season=SEASON)
    await page.goto(f"/#/leagues/{league_id}/draft")
    await page.get_by_test_id("connection").filter(has_text="Connected").wait_for()
    await page.get_by_text("This league has no draft yet.").wait_for()
    assert len(attempts) == 2 and len(refused) == 1
    waited = attempts[1] - refused[0]
    assert 1.5 <= waited <= 1.5 * 1.5 + 1.0, waited  # retry_after_ms, plus jitter up to half
