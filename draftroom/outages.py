"""Which failures mean a backing service (PostgreSQL or Redis) is down rather than a bug.

An outage is answered 503 ``service_unavailable`` with ``Retry-After`` (REST) or the same
error in an ack (Socket.IO), and logged as one warning line; anything else stays a 500.
"""

from __future__ import annotations

import asyncio

import asyncpg
import redis.exceptions

from draftroom.errors import ServiceUnavailable

RETRY_AFTER_S = 5
"""What clients are told to wait while a backing service is down."""

_OUTAGES: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, the unix socket gone
    asyncio.TimeoutError,  # a pool or connect timeout
    asyncpg.PostgresConnectionError,  # class 08: the connection is gone
    asyncpg.exceptions.OperatorInterventionError,  # class 57: shutdown, cannot connect now
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
)


def is_outage(error: BaseException) -> bool:
    """True when ``error`` (or what caused it) says PostgreSQL or Redis is unreachable."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, _OUTAGES):
            return True
        if isinstance(current, asyncpg.InterfaceError) and "closed" in str(current):
            return True  # "connection is closed", "pool is closed"
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def outage_error(error: BaseException) -> ServiceUnavailable | None:
    """The 503 to answer for ``error`` when it is an outage, else None."""
    if not is_outage(error):
        return None
    return ServiceUnavailable(
        "A backing service is unavailable; try again shortly.", retry_after=RETRY_AFTER_S
    )
