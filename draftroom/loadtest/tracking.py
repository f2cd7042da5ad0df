"""What the generator records: per-socket seq bitmaps, pending picks, counters and samples.

A socket's view of a draft is an int bitmap: bit ``seq`` is set once the event with that
seq arrived (live or through ``sync``). A live event whose bit is already set was delivered
twice. Bitmaps make the lost/doubled check cheap for tens of thousands of sockets.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def settler(future: asyncio.Future[None]) -> Callable[[], None]:
    """A callback resolving ``future`` (once)."""

    def done() -> None:
        if not future.done():
            future.set_result(None)

    return done


def prefix(mask: int) -> int:
    """The highest seq ``n`` such that seqs 1..n are all in ``mask`` (0 when seq 1 is not)."""
    m = mask >> 1
    return (~m & (m + 1)).bit_length() - 1


def upto(seq: int) -> int:
    """The bitmap of seqs 1..``seq``."""
    return (1 << (seq + 1)) - 2 if seq > 0 else 0


def has_gap(mask: int) -> bool:
    """True when some seq below the highest one received is missing."""
    return mask != upto(mask.bit_length() - 1)


def count_bits(mask: int) -> int:
    """How many seqs are in ``mask``."""
    return mask.bit_count()


SLOW_MS = 250.0
MAX_SLOW = 5000


class SockState:
    """What one socket saw: a bitmap per draft, and bookkeeping of its connections."""

    __slots__ = (
        "counted",
        "first_idx",
        "gap_pending",
        "index",
        "last_draft",
        "live",
        "masks",
        "opened",
    )

    def __init__(self, index: int) -> None:
        self.index = index
        self.masks: dict[int, int] = {}
        self.live: dict[int, int] = {}
        """The seqs that arrived as broadcasts (a second broadcast of one is a duplicate)."""
        self.first_idx = -1
        """Index of the room's draft when this socket first connected (-1: never)."""
        self.last_draft: int | None = None
        self.gap_pending = False
        self.opened = 0
        """How many times the socket connected (1 = first connection)."""
        self.counted = False
        """Counted in its room's connected sockets."""


@dataclass(slots=True)
class Pending:
    """A pick on its way to every socket of the room."""

    sent: float | None
    """Monotonic time the bot sent it (None for an autopick)."""
    expected: int
    deadline_ms: float | None = None
    got: int = 0
    first: float = 0.0


@dataclass
class Stats:
    """Samples and counters of one worker since the last :meth:`drain`."""

    pick_ms: list[float] = field(default_factory=list)
    """Bot sent ``pick`` -> the last socket of the room received ``draft:pick``."""
    first_ms: list[float] = field(default_factory=list)
    """Bot sent ``pick`` -> the first socket of the room received it."""
    ack_ms: list[float] = field(default_factory=list)
    late_ms: list[float] = field(default_factory=list)
    """Autopick: wall time the last socket received it minus the turn's deadline."""
    late_server_ms: list[float] = field(default_factory=list)
    """Autopick: the event's ``at`` (commit time) minus the deadline."""
    lag_ms: list[float] = field(default_factory=list)
    """How late the generator's loop woke up (sampled every 50 ms)."""
    slow: list[tuple[float, float, int]] = field(default_factory=list)
    """Picks slower than SLOW_MS: (wall time sent, ms, league id), at most MAX_SLOW."""
    picks: int = 0
    autopicks: int = 0
    deliveries: int = 0
    duplicates: int = 0
    gap_syncs: int = 0
    incomplete: int = 0
    errors: collections.Counter[str] = field(default_factory=collections.Counter)

    def drain(self) -> dict[str, Any]:
        """Everything recorded so far, as plain data; the counters restart at zero."""
        out = {
            "pick_ms": self.pick_ms,
            "first_ms": self.first_ms,
            "ack_ms": self.ack_ms,
            "late_ms": self.late_ms,
            "late_server_ms": self.late_server_ms,
            "slow": self.slow,
            "lag_ms": self.lag_ms,
            "picks": self.picks,
            "autopicks": self.autopicks,
            "deliveries": self.deliveries,
            "duplicates": self.duplicates,
            "gap_syncs": self.gap_syncs,
            "incomplete": self.incomplete,
            "errors": dict(self.errors),
        }
        fresh = Stats()
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))
        return out


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Combine the drained stats of several workers."""
    out: dict[str, Any] = {"errors": collections.Counter()}
    for part in parts:
        for key, value in part.items():
            if key == "errors":
                out["errors"].update(value)
            elif isinstance(value, list):
                out.setdefault(key, []).extend(value)
            else:
                out[key] = out.get(key, 0) + value
    out["errors"] = dict(out["errors"])
    return out
