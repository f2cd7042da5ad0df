"""The Socket.IO fan-out: a Redis channel per league, subscribed while it is watched here.

:class:`FanoutManager` replaces python-socketio's ``AsyncRedisManager`` (one channel that
every process receives and decodes, whatever it holds). Here:

- a league namespace has its own channel, and so has each user's room of ``/``
  (:func:`channel_of`); a process subscribes to a channel while it holds a socket there, or
  while something of its own holds interest (a draft runner: :meth:`FanoutManager.hold`),
  as socket.io's sharded Redis adapter does with ``subscriptionMode: "dynamic"``;
- a change is one :class:`~draftroom.services.notifier.Broadcast` (a commit's events, the
  runner's wake-up, users' pushes), sent in one Redis round trip (one message per
  channel, pipelined) and delivered locally without the round trip; a process skips its
  own echo by a prefix, without decoding it;
- draft events are delivered to local sockets in ``seq`` order whichever process
  published them (:class:`~draftroom.realtime.ordering.SeqOrderer`);
- each event is encoded once per process and written to each local socket in turn.

Observers (the live draft cache) see every broadcast delivered here, in order; the wake
handlers (the draft supervisors) sees every wake-up at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis
import socketio
from engineio import packet as eio_packet
from socketio import packet as sio_packet

from draftroom.metrics import FANOUT_BYTES, FANOUT_MESSAGES
from draftroom.realtime.ordering import SeqOrderer
from draftroom.realtime.subscriber import ChannelSubscriber
from draftroom.services.notifier import Broadcast, Emit, Wake, user_room

log = logging.getLogger(__name__)

PREFIX = "draftroom:fan:"
PUBLISH_CONNECTIONS = 32
"""Connections the manager publishes on (a burst waits for one instead of failing)."""

Observer = Callable[[Broadcast], None]
WakeHandler = Callable[[str, Wake], None]


def channel_of(namespace: str, room: str | None = None) -> str:
    """The Redis channel of what is sent to ``room`` of ``namespace``: one per namespace,
    and one per user room of ``/`` (a user's notifications)."""
    if namespace == "/" and room is not None and room.startswith("user:"):
        return f"{PREFIX}/#{room}"
    return PREFIX + namespace


def encode(host_id: bytes, broadcast: Broadcast) -> list[tuple[str, bytes]]:
    """The ``(channel, message)`` pairs of a broadcast (``host_id`` + newline + JSON)."""
    out: list[tuple[str, bytes]] = []
    if broadcast.emits or broadcast.wake is not None:
        wake = broadcast.wake
        body = {
            "n": broadcast.namespace,
            "e": [[e.event, e.data, e.room] for e in broadcast.emits],
            "w": None if wake is None else [wake.draft_id, wake.seq, wake.status, wake.due_ms],
        }
        out.append((channel_of(broadcast.namespace), host_id + b"\n" + json.dumps(body).encode()))
    for user_id, event, data in broadcast.pushes:
        room = user_room(user_id)
        body = {"n": "/", "e": [[event, data, room]], "w": None}
        out.append((channel_of("/", room), host_id + b"\n" + json.dumps(body).encode()))
    return out


def decode(message: bytes) -> Broadcast:
    """The broadcast of a message's JSON part (after the host prefix)."""
    body = json.loads(message[message.index(b"\n") + 1 :])
    wake = body.get("w")
    return Broadcast(
        body["n"],
        tuple(Emit(e[0], e[1], e[2]) for e in body.get("e", ())),
        None if wake is None else Wake(int(wake[0]), wake[1], str(wake[2]), wake[3]),
    )


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class FanoutManager(socketio.AsyncManager):
    """python-socketio client manager with per-channel Redis fan-out (see module doc)."""

    name = "draftroom-fanout"

    def __init__(self, redis_url: str, *, write_only: bool = False, hold_ms: int = 250) -> None:
        super().__init__()
        self.redis_url = redis_url
        self.write_only = write_only
        self.host_id = uuid.uuid4().hex.encode()
        pool = aioredis.BlockingConnectionPool.from_url(
            redis_url, max_connections=PUBLISH_CONNECTIONS, timeout=30
        )
        self.redis = aioredis.Redis(connection_pool=pool)
        self.subscriber = (
            None
            if write_only
            else ChannelSubscriber(redis_url, self._on_message, self._on_reset, self._on_dropped)
        )
        self.orderer: SeqOrderer[Broadcast] = SeqOrderer(hold_ms)
        self.observers: list[Observer] = []
        self.reset_handlers: list[Callable[[], None]] = []
        self.dropped_handlers: list[Callable[[str], None]] = []
        self.wake_handlers: list[WakeHandler] = []
        self._expiry: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._drafts_of: dict[str, set[int]] = {}

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Open the subscription connection (web processes, at start-up)."""
        if self.subscriber is not None:
            self.subscriber.start()

    async def stop(self) -> None:
        """Close the subscription and the publishing pool."""
        if self.subscriber is not None:
            await self.subscriber.stop()
        await self.redis.aclose()

    # --- interest ------------------------------------------------------------------------

    def hold(self, namespace: str) -> None:
        """Receive ``namespace``'s broadcasts without a socket there (a draft runner)."""
        if self.subscriber is not None:
            self.subscriber.add(channel_of(namespace))

    def release(self, namespace: str) -> None:
        """Undo one :meth:`hold`."""
        if self.subscriber is not None:
            self.subscriber.remove(channel_of(namespace))

    async def ready(self, namespace: str, room: str | None = None) -> bool:
        """Wait until this process receives ``namespace`` (``room``) broadcasts."""
        if self.subscriber is None:
            return False
        return await self.subscriber.ready(channel_of(namespace, room))

    def watching(self, namespace: str) -> bool:
        """True while this process holds a socket of ``namespace``."""
        return bool(self.rooms.get(namespace, {}).get(None))

    def _interest(self, namespace: str, room: Any) -> str | None:
        if room is None:
            return channel_of(namespace)
        if namespace == "/" and isinstance(room, str) and room.startswith("user:"):
            return channel_of(namespace, room)
        return None

    def basic_enter_room(self, sid: str, namespace: str, room: Any, eio_sid: Any = None) -> None:
        """python-socketio's room bookkeeping, plus interest in the room's channel."""
        created = room not in self.rooms.get(namespace, {})
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        channel = self._interest(namespace, room) if created else None
        if channel is not None and self.subscriber is not None:
            self.subscriber.add(channel)

    def basic_leave_room(self, sid: str, namespace: str, room: Any) -> None:
        """python-socketio's room bookkeeping; the last socket out drops the interest."""
        members = self.rooms.get(namespace, {}).get(room)
        present = members is not None and sid in members
        super().basic_leave_room(sid, namespace, room)
        if present and room not in self.rooms.get(namespace, {}):
            channel = self._interest(namespace, room)
            if channel is not None and self.subscriber is not None:
                self.subscriber.remove(channel)

    # --- sending -------------------------------------------------------------------------

    async def emit(
        self,
        event: str,
        data: Any = None,
        namespace: str | None = None,
        room: Any = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: Any = None,
        **kwargs: Any,
    ) -> None:
        """One event to a room of a namespace, in every process (as python-socketio's)."""
        room = to if to is not None else room
        namespace = namespace or "/"
        local_only = kwargs.get("ignore_queue") or callback is not None or skip_sid is not None
        if local_only or (
            self.server is not None and room is not None and self._is_local_sid(namespace, room)
        ):
            await super().emit(
                event, data, namespace=namespace, room=room, skip_sid=skip_sid, callback=callback
            )
            return
        await self.publish(Broadcast(namespace, (Emit(event, data, room),)))

    def _is_local_sid(self, namespace: str, room: Any) -> bool:
        return isinstance(room, str) and self.is_connected(room, namespace)

    async def publish(self, broadcast: Broadcast) -> None:
        """Deliver ``broadcast`` here, then send it to the other processes in one round
        trip (best effort: a client that misses a draft event fills the gap with sync)."""
        if not self.write_only and self.server is not None:
            await self._receive(broadcast)
        messages = encode(self.host_id, broadcast)
        if not messages:
            return
        if len(messages) == 1:
            await self.redis.publish(*messages[0])
        else:
            async with self.redis.pipeline(transaction=False) as pipe:
                for channel, message in messages:
                    pipe.publish(channel, message)
                await pipe.execute()
        FANOUT_MESSAGES.labels("published").inc(len(messages))
        FANOUT_BYTES.labels("published").inc(sum(len(m) for _, m in messages))

    # --- receiving -----------------------------------------------------------------------

    async def _on_message(self, channel: str, message: bytes) -> None:
        FANOUT_MESSAGES.labels("received").inc()
        FANOUT_BYTES.labels("received").inc(len(message))
        if message.startswith(self.host_id):
            return  # our own, delivered when it was published
        try:
            broadcast = decode(message)
        except Exception:
            log.warning("undecodable fan-out message on %s", channel)
            return
        await self._receive(broadcast)

    def _on_reset(self) -> None:
        """The subscription was lost and restored: what was missed is unknown."""
        self.orderer.forget(set(self.orderer.last))
        self._drafts_of.clear()
        for handler in self.reset_handlers:
            handler()

    def _on_dropped(self, channel: str) -> None:
        """A channel was unsubscribed: what is known of its namespace goes stale."""
        if channel.startswith(PREFIX):
            namespace = channel[len(PREFIX) :]
            self.orderer.forget(self._drafts_of.pop(namespace, set()))
            for handler in self.dropped_handlers:
                handler(namespace)

    async def _receive(self, broadcast: Broadcast) -> None:
        if broadcast.wake is not None:
            for handler in self.wake_handlers:
                try:
                    handler(broadcast.namespace, broadcast.wake)
                except Exception:
                    log.exception("wake-up handler failed")
        seqs = broadcast.draft_seqs()
        if seqs is None:
            await self._deliver(broadcast, -1)
            return
        draft_id, first, last = seqs
        self._drafts_of.setdefault(broadcast.namespace, set()).add(draft_id)
        for release in self.orderer.offer(draft_id, first, last, broadcast, _now_ms()):
            await self._deliver(release.item, release.skip_through)
        self._arm_expiry()

    def _arm_expiry(self) -> None:
        if self._expiry is not None or not self.orderer.pending():
            return
        loop = asyncio.get_running_loop()
        self._expiry = loop.call_later(self.orderer.hold_ms / 1000 + 0.01, self._expire)

    def _expire(self) -> None:
        self._expiry = None
        task = asyncio.get_running_loop().create_task(self._flush_expired())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush_expired(self) -> None:
        for release in self.orderer.expire(_now_ms()):
            await self._deliver(release.item, release.skip_through)
        self._arm_expiry()

    async def _deliver(self, broadcast: Broadcast, skip_through: int) -> None:
        for observer in self.observers:
            try:
                observer(broadcast)
            except Exception:
                log.exception("fan-out observer failed")
        for item in broadcast.emits:
            if skip_through >= 0 and _seq(item.data) <= skip_through:
                continue
            await self._send_local(broadcast.namespace, item.room, item.event, item.data)
        for user_id, event, data in broadcast.pushes:
            await self._send_local("/", user_room(user_id), event, data)

    async def _send_local(self, namespace: str, room: str | None, event: str, data: Any) -> None:
        """Encode the event once and write it to each local socket of the room."""
        members = self.rooms.get(namespace, {}).get(room)
        if not members or self.server is None:
            return
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        pkt = self.server.packet_class(sio_packet.EVENT, namespace=namespace, data=[event, *args])
        encoded = pkt.encode()
        frames = [
            eio_packet.Packet(eio_packet.MESSAGE, part)
            for part in (encoded if isinstance(encoded, list) else [encoded])
        ]
        for eio_sid in list(members._fwdm.values()):
            for frame in frames:
                await self.server._send_eio_packet(eio_sid, frame)


def _seq(data: Any) -> int:
    if isinstance(data, dict):
        seq = data.get("seq")
        if isinstance(seq, int):
            return seq
    return 1 << 62
