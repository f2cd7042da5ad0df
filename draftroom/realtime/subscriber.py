"""One process's Redis pub/sub connection, subscribed to the channels it has interest in.

Interest is counted per channel (:meth:`ChannelSubscriber.add` / :meth:`remove`, plain
calls from the Socket.IO manager's room bookkeeping); a background task reconciles the
connection's subscriptions with it: SUBSCRIBE at once, UNSUBSCRIBE once a channel has had
no interest for ``linger_s`` (a socket that reconnects does not churn the subscription).
:meth:`ready` waits until Redis has confirmed a subscription, so what is published after
it is known to arrive. After a reconnect every channel is subscribed again and
``on_reset`` runs: messages published meanwhile are lost, and caches fed by them must
not be trusted.

It speaks RESP over an asyncio stream itself (about forty lines): the subscribing side
needs nothing of a client library but the push frames, and owning the socket makes the
reconnect and the confirmation explicit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from urllib.parse import unquote, urlparse

from draftroom.metrics import FANOUT_CHANNELS

log = logging.getLogger(__name__)

MessageHandler = Callable[[str, bytes], Awaitable[None]]


class _Resp:
    """Reads RESP2 replies (arrays, bulk and simple strings, integers) from a stream."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self.reader = reader

    async def read(self) -> object:
        line = await self.reader.readuntil(b"\r\n")
        kind, rest = line[:1], line[1:-2]
        if kind == b"*":
            return [await self.read() for _ in range(int(rest))]
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            data = await self.reader.readexactly(size + 2)
            return data[:-2]
        if kind == b":":
            return int(rest)
        if kind == b"+":
            return rest
        if kind == b"-":
            raise ConnectionError(f"Redis error: {rest.decode(errors='replace')}")
        raise ConnectionError(f"unexpected RESP frame {line[:20]!r}")


def _command(*parts: str) -> bytes:
    out = [f"*{len(parts)}\r\n".encode()]
    for part in parts:
        raw = part.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
    return b"".join(out)


class ChannelSubscriber:
    """Keeps one pub/sub connection subscribed to the channels with interest."""

    def __init__(
        self,
        redis_url: str,
        on_message: MessageHandler,
        on_reset: Callable[[], None] | None = None,
        on_dropped: Callable[[str], None] | None = None,
        *,
        linger_s: float = 0.5,
    ) -> None:
        self.url = urlparse(redis_url)
        self.on_message = on_message
        self.on_reset = on_reset
        self.on_dropped = on_dropped
        self.linger_s = linger_s
        self.interest: Counter[str] = Counter()
        self._idle_since: dict[str, float] = {}
        self._active: set[str] = set()
        self._waiters: dict[str, list[asyncio.Future[None]]] = {}
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._writer: asyncio.StreamWriter | None = None

    # --- interest ------------------------------------------------------------------------

    def add(self, channel: str) -> None:
        """One more holder of interest in ``channel``."""
        self.interest[channel] += 1
        self._idle_since.pop(channel, None)
        if channel not in self._active:
            self._changed.set()

    def remove(self, channel: str) -> None:
        """One holder fewer; the channel is dropped after ``linger_s`` without any."""
        if self.interest[channel] <= 1:
            del self.interest[channel]
            self._idle_since[channel] = time.monotonic()
            self._changed.set()
        else:
            self.interest[channel] -= 1

    def subscribed(self, channel: str) -> bool:
        """True while Redis has confirmed the subscription."""
        return channel in self._active

    async def ready(self, channel: str, timeout_s: float = 2.0) -> bool:
        """Wait until ``channel`` is subscribed (False on timeout)."""
        if channel in self._active:
            return True
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(channel, []).append(future)
        self._changed.set()
        try:
            await asyncio.wait_for(future, timeout_s)
        except TimeoutError:
            return False
        return True

    # --- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Connect and keep connected in the background."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="fanout-sub")

    async def stop(self) -> None:
        """Close the connection."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _run(self) -> None:
        first = True
        while True:
            try:
                await self._session(reset=not first)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("fan-out subscription lost (%s); reconnecting", error)
            first = False
            self._active.clear()
            FANOUT_CHANNELS.set(0)
            await asyncio.sleep(0.5)

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        host, port = self.url.hostname or "127.0.0.1", self.url.port or 6379
        ssl = self.url.scheme == "rediss"
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=ssl or None), 5
        )
        if self.url.password:
            auth = [unquote(self.url.password)]
            if self.url.username:
                auth.insert(0, unquote(self.url.username))
            writer.write(_command("AUTH", *auth))
            await writer.drain()
            await _Resp(reader).read()
        return reader, writer

    async def _session(self, *, reset: bool) -> None:
        reader, writer = await self._connect()
        self._writer = writer
        if reset and self.on_reset is not None:
            self.on_reset()
        reconcile = asyncio.get_running_loop().create_task(self._reconcile(writer))
        try:
            resp = _Resp(reader)
            while True:
                frame = await resp.read()
                if not isinstance(frame, list) or len(frame) < 3:
                    continue
                kind, channel = frame[0], frame[1]
                assert isinstance(channel, bytes)
                name = channel.decode()
                if kind == b"message":
                    data = frame[2]
                    assert isinstance(data, bytes)
                    await self.on_message(name, data)
                elif kind == b"subscribe":
                    self._active.add(name)
                    FANOUT_CHANNELS.set(len(self._active))
                    for future in self._waiters.pop(name, []):
                        if not future.done():
                            future.set_result(None)
                elif kind == b"unsubscribe":
                    self._active.discard(name)
                    FANOUT_CHANNELS.set(len(self._active))
                    if self.on_dropped is not None:
                        self.on_dropped(name)
                    if name in self.interest:
                        self._changed.set()
        finally:
            reconcile.cancel()
            self._writer = None
            writer.close()

    async def _reconcile(self, writer: asyncio.StreamWriter) -> None:
        """Subscribe what has interest, unsubscribe what has lingered without."""
        sent: set[str] = set()
        while True:
            self._changed.clear()
            wanted = set(self.interest) | {c for c in self._waiters if self._waiters[c]}
            now = time.monotonic()
            to_add = wanted - self._active - sent
            lingering = [c for c, t in self._idle_since.items() if c not in wanted]
            to_drop = [c for c in lingering if now - self._idle_since[c] >= self.linger_s]
            for channel in to_drop:
                self._idle_since.pop(channel, None)
            to_drop = [c for c in to_drop if c in self._active or c in sent]
            if to_add:
                writer.write(_command("SUBSCRIBE", *sorted(to_add)))
                sent |= to_add
            if to_drop:
                writer.write(_command("UNSUBSCRIBE", *to_drop))
                sent -= set(to_drop)
            if to_add or to_drop:
                await writer.drain()
            sent &= wanted | self._active
            waiting = [self._idle_since[c] for c in self._idle_since]
            if waiting:
                timeout = max(0.01, min(waiting) + self.linger_s - time.monotonic())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), timeout)
            else:
                await self._changed.wait()
