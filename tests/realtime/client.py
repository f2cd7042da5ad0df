"""A draft-room test client: a python-socketio AsyncClient on ``/league/{id}`` (websocket).

It records every event it receives, keeps the draft events by seq (a gap is filled with
``sync``, as a browser would), and answers questions tests ask:

    room = await RoomClient.open(url, league_id, token)
    ack = await room.call("pick", {"draft_id": d, "pick_no": 1, "driver_id": 7})
    await room.wait_seq(d, 5)            # every event up to seq 5 is known (syncs gaps)
    room.log(d)                          # [(seq, type, payload), ...] ordered by seq
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

import socketio

from tests.support.contract import ContractViolation, check_ack, check_event


class RoomClient:
    """One socket in a league's draft room."""

    def __init__(self, url: str, league_id: int, token: str, name: str = "") -> None:
        self.url = url
        self.league_id = league_id
        self.token = token
        self.name = name or f"client-{league_id}"
        self.namespace = f"/league/{league_id}"
        self.received: list[tuple[str, Any]] = []  # every event, in arrival order
        self.violations: list[str] = []  # payloads not of their contract type
        self.live: dict[int, list[int]] = {}  # draft id -> seqs received as broadcasts
        self.by_seq: dict[int, dict[int, tuple[str, dict[str, Any]]]] = {}
        self.states: list[Any] = []
        self.presence: list[dict[str, Any]] = []
        self.queues: list[dict[str, Any]] = []
        self.connect_error: Any = None
        self.disconnected = asyncio.Event()
        self._changed = asyncio.Event()
        self.sio = self._new_client()

    def _new_client(self) -> socketio.AsyncClient:
        sio = socketio.AsyncClient(reconnection=False)
        sio.on("*", self._on_event, namespace=self.namespace)
        sio.on("connect_error", self._on_connect_error, namespace=self.namespace)
        sio.on("disconnect", self._on_disconnect, namespace=self.namespace)
        return sio

    @classmethod
    async def open(cls, url: str, league_id: int, token: str, name: str = "") -> RoomClient:
        """A connected client (raises socketio.exceptions.ConnectionError when refused)."""
        client = cls(url, league_id, token, name)
        await client.connect()
        return client

    # --- connection ----------------------------------------------------------------------

    async def connect(self, url: str | None = None) -> None:
        """Connect (websocket only) with ``auth: {token}``."""
        self.url = url or self.url
        self.disconnected.clear()
        await self.sio.connect(
            self.url,
            namespaces=[self.namespace],
            auth={"token": self.token},
            transports=["websocket"],
            wait_timeout=5,
        )

    async def close(self) -> None:
        """Disconnect (safe when already disconnected)."""
        if self.sio.connected:
            await self.sio.disconnect()

    async def reconnect(self, url: str | None = None) -> None:
        """Drop the socket, connect a new one and fill whatever was missed with sync."""
        await self.close()
        self.sio = self._new_client()
        await self.connect(url)

    @property
    def connected(self) -> bool:
        """True while the namespace is connected."""
        return bool(self.sio.connected) and self.namespace in self.sio.namespaces

    # --- events --------------------------------------------------------------------------

    async def _on_event(self, event: str, *args: Any) -> None:
        data = args[0] if args else None
        self.received.append((event, data))
        try:
            check_event(event, data)
        except ContractViolation as violation:
            self.violations.append(str(violation))
        if event == "draft:state":
            self.states.append(data)
            if data:
                self.by_seq.setdefault(data["id"], {})
        elif event == "presence":
            self.presence.append(data)
        elif event == "queue":
            self.queues.append(data)
        elif isinstance(data, dict) and "seq" in data and "draft_id" in data:
            self.live.setdefault(data["draft_id"], []).append(data["seq"])
            self._store(data["draft_id"], event, data)
        self._changed.set()

    async def _on_connect_error(self, data: Any) -> None:
        self.connect_error = data

    async def _on_disconnect(self, *args: Any) -> None:
        self.disconnected.set()

    def _store(self, draft_id: int, event: str, data: dict[str, Any]) -> None:
        self.by_seq.setdefault(draft_id, {})[int(data["seq"])] = (event, data)

    async def call(self, event: str, data: Any = None, timeout: float = 10) -> Any:
        """Emit ``event`` and return the server's ack (checked against its contract type)."""
        ack = await self.sio.call(event, data, namespace=self.namespace, timeout=timeout)
        try:
            check_ack(event, ack)
        except ContractViolation as violation:
            self.violations.append(str(violation))
        return ack

    # --- the ordered log -----------------------------------------------------------------

    def state(self) -> Any:
        """The last ``draft:state`` received (None before any)."""
        return self.states[-1] if self.states else None

    def contiguous_seq(self, draft_id: int) -> int:
        """The highest seq n such that 1..n are all known."""
        known = self.by_seq.get(draft_id, {})
        n = 0
        while n + 1 in known:
            n += 1
        return n

    def max_seq(self, draft_id: int) -> int:
        """The highest seq seen (maybe with gaps below)."""
        return max(self.by_seq.get(draft_id, {}) or [0])

    def log(self, draft_id: int) -> list[tuple[int, str, dict[str, Any]]]:
        """Known draft events ordered by seq."""
        known = self.by_seq.get(draft_id, {})
        return [(seq, *known[seq]) for seq in sorted(known)]

    def picks(self, draft_id: int) -> list[dict[str, Any]]:
        """The picks standing after replaying the ordered log (undos remove picks)."""
        standing: dict[int, dict[str, Any]] = {}
        for _, event, data in self.log(draft_id):
            if event == "draft:pick":
                standing[data["pick_no"]] = data
            elif event == "draft:undo":
                standing.pop(data["pick_no"], None)
        return [standing[n] for n in sorted(standing)]

    async def sync(self, draft_id: int, after_seq: int | None = None) -> Any:
        """Ask for the events after ``after_seq`` (default: the contiguous prefix)."""
        after = self.contiguous_seq(draft_id) if after_seq is None else after_seq
        ack = await self.call("sync", {"draft_id": draft_id, "after_seq": after})
        if ack.get("ok") and "events" in ack:
            for item in ack["events"]:
                self._store(draft_id, item["type"], item["data"])
        elif ack.get("ok") and "state" in ack:
            self.states.append(ack["state"])
        return ack

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10) -> None:
        """Wait until ``predicate()`` holds (re-checked on every event)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{self.name}: condition not met in {timeout}s")
            self._changed.clear()
            if predicate():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.2))

    async def wait_seq(self, draft_id: int, seq: int, timeout: float = 10) -> None:
        """Wait until events 1..seq are known; after 0.3 s without progress (a gap, a
        lost last event, a late join) the missing events are fetched with sync."""
        deadline = time.monotonic() + timeout
        progress = (self.contiguous_seq(draft_id), time.monotonic())
        while self.contiguous_seq(draft_id) < seq:
            now = time.monotonic()
            if now > deadline:
                raise TimeoutError(
                    f"{self.name}: seq {seq} not reached (have {self.contiguous_seq(draft_id)})"
                )
            if self.contiguous_seq(draft_id) != progress[0]:
                progress = (self.contiguous_seq(draft_id), now)
            elif now - progress[1] > 0.3 and self.connected:
                await self.sync(draft_id)
                progress = (self.contiguous_seq(draft_id), time.monotonic())
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), 0.1)

    def events_named(self, name: str) -> list[Any]:
        """Payloads of every received event called ``name``."""
        return [data for event, data in self.received if event == name]
