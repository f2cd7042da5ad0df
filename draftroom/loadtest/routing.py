"""Which server process each socket of the generator connects to (``--spread``).

``league`` (the default): every socket of league N, bots and spectators, goes to server
``N % len(ports)``, as the production proxy routes on the handshake's ``league`` argument.
``alternate``: sockets take the servers in turn (each generator process starting at its own
offset), so every room spans the processes and its broadcasts cross Redis.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

LEAGUE = "league"
ALTERNATE = "alternate"
SPREADS = (LEAGUE, ALTERNATE)


def league_server(league_id: int, servers: int) -> int:
    """The index of the server that owns ``league_id`` among ``servers`` processes."""
    return league_id % servers


class Router:
    """Hands out the port of the next socket of a league, following ``spread``."""

    def __init__(self, ports: Sequence[int], spread: str = LEAGUE, offset: int = 0) -> None:
        if spread not in SPREADS:
            raise ValueError(f"unknown spread {spread!r} (expected one of {SPREADS})")
        if not ports:
            raise ValueError("no server port")
        self.ports = tuple(ports)
        self.spread = spread
        start = offset % len(self.ports)
        self._turns = itertools.cycle(self.ports[start:] + self.ports[:start])

    def port(self, league_id: int) -> int:
        """The port the next socket of ``league_id`` connects to."""
        if self.spread == LEAGUE:
            return self.ports[league_server(league_id, len(self.ports))]
        return next(self._turns)
