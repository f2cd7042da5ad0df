"""Which server each generator socket connects to, and the handshake URL it uses."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from draftroom.loadtest import frames
from draftroom.loadtest.routing import Router, league_server
from draftroom.loadtest.spec import DraftSpec, LeagueSpec, Target, TeamSpec
from draftroom.loadtest.worker import Worker

PORTS = (8001, 8002, 8003)


def league(league_id: int, teams: int = 3) -> LeagueSpec:
    team_specs = tuple(TeamSpec(league_id * 100 + i, i, f"t{i}") for i in range(teams))
    order = tuple(t.team_id for t in team_specs)
    return LeagueSpec(league_id, team_specs, (DraftSpec(league_id, order, 2),), (1, 2), ("s",))


async def sockets(specs: list[LeagueSpec], spread: str, spectators: int = 2) -> list[Any]:
    worker = Worker(None, specs)  # type: ignore[arg-type]  # no pipe: commands called directly
    await worker.op_target(Target("draftroom", "127.0.0.1", PORTS), offset=0, spread=spread)
    return [sock for _, sock in worker.new_socks(spectators)]


@pytest.mark.parametrize(("league_id", "index"), [(0, 0), (1, 1), (2, 2), (3, 0), (7, 1)])
def test_league_n_goes_to_server_n_mod_servers(league_id: int, index: int) -> None:
    assert league_server(league_id, len(PORTS)) == index
    assert Router(PORTS).port(league_id) == PORTS[index]


def test_alternate_takes_the_servers_in_turn_from_the_offset() -> None:
    router = Router(PORTS, "alternate", offset=1)
    assert [router.port(5) for _ in range(4)] == [8002, 8003, 8001, 8002]


def test_unknown_spread_is_refused() -> None:
    with pytest.raises(ValueError, match="spread"):
        Router(PORTS, "random")


async def test_every_socket_of_a_league_goes_to_its_server() -> None:
    specs = [league(i) for i in (10, 11, 12, 13)]
    socks = await sockets(specs, "league")
    assert len(socks) == 4 * (3 + 2)  # teams then spectators of each room
    for sock in socks:
        assert sock.port == PORTS[sock.league % 3]
    assert Counter(s.port for s in socks) == {8002: 10, 8003: 5, 8001: 5}


async def test_alternate_spreads_each_room_over_the_servers() -> None:
    socks = await sockets([league(10)], "alternate", spectators=3)
    assert [s.port for s in socks] == [8001, 8002, 8003, 8001, 8002, 8003]


async def test_the_handshake_url_carries_the_league() -> None:
    socks = await sockets([league(42)], "league", spectators=1)
    for sock in socks:
        assert sock.url == "ws://127.0.0.1:8001/socket.io/?EIO=4&transport=websocket&league=42"
    assert frames.socket_path("h", 1) == "ws://h:1/socket.io/?EIO=4&transport=websocket"
