"""A light Socket.IO client: one asyncio Protocol per socket over websockets' Sans-I/O core.

No task and no future per message: bytes arrive in :meth:`Sock.data_received`, the
websocket frames are parsed by :class:`websockets.client.ClientProtocol`, and each Socket.IO
packet is handled synchronously (ping answered, acks and events handed to callbacks).
Thousands of these fit in one process.

    sock = Sock("127.0.0.1", 8000, "/league/3", token, on_event, league=3)
    await sock.open()                      # websocket + Engine.IO open + namespace connect
    sock.emit("pick", {...}, on_ack)       # on_ack(data) when the ack arrives
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.uri import parse_uri

from draftroom.loadtest import frames

EventHandler = Callable[["Sock", str, Any, float], None]
AckHandler = Callable[[Any, float], None]


class Refused(Exception):
    """The server refused the namespace (``44`` connect error) or the handshake."""

    def __init__(self, text: str, data: Any = None) -> None:
        super().__init__(text)
        self.data = data

    @property
    def retry_after_s(self) -> float | None:
        """When the server said ``overloaded``/``rate_limited``: how long to wait."""
        data: dict[str, Any] = self.data if isinstance(self.data, dict) else {}
        nested = data.get("data")
        inner: dict[str, Any] = nested if isinstance(nested, dict) else data
        if inner.get("code") not in ("overloaded", "rate_limited"):
            return None
        details = inner.get("details") or {}
        try:
            return float(details.get("retry_after_ms", 1000)) / 1000
        except (TypeError, ValueError):
            return 1.0


class Sock(asyncio.Protocol):
    """One websocket carrying one Socket.IO namespace."""

    def __init__(
        self,
        host: str,
        port: int,
        namespace: str,
        token: str,
        on_event: EventHandler,
        on_close: Callable[[Sock], None] | None = None,
        league: int | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.league = league
        self.namespace = namespace
        self.token = token
        self.on_event = on_event
        self.on_close = on_close
        self.connected = False
        self.closed = True
        self.tag: Any = None
        self._ws: ClientProtocol | None = None
        self._transport: asyncio.Transport | None = None
        self._acks: dict[int, AckHandler] = {}
        self._next_id = 0
        self._opened: asyncio.Future[None] | None = None
        self._fragments: list[bytes] = []

    @property
    def url(self) -> str:
        """The handshake URL (carries ``league=N`` when the socket has a league)."""
        return frames.socket_path(self.host, self.port, self.league)

    # --- lifecycle -----------------------------------------------------------------------

    async def open(self, timeout: float = 15.0) -> None:
        """Connect the websocket and the namespace; raise Refused or TimeoutError."""
        loop = asyncio.get_running_loop()
        self._opened = loop.create_future()
        self._ws = ClientProtocol(parse_uri(self.url), max_size=None)
        self._acks.clear()
        self._fragments.clear()
        try:
            async with asyncio.timeout(timeout):
                await loop.create_connection(lambda: self, self.host, self.port)
                await self._opened
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Drop the connection at once (no close handshake), as a network failure would."""
        if self._transport is not None:
            self._transport.abort()

    # --- asyncio.Protocol ----------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert self._ws is not None
        self._transport = transport  # type: ignore[assignment]  # uvloop's is no subclass
        self.closed = False
        self._ws.send_request(self._ws.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:
        ws = self._ws
        assert ws is not None
        ws.receive_data(data)
        now = time.monotonic()
        for item in ws.events_received():
            if isinstance(item, Frame):
                self._frame(item, now)
            elif ws.handshake_exc is not None:
                self._fail(Refused(f"handshake failed: {ws.handshake_exc}"))
        self._flush()

    def eof_received(self) -> bool | None:
        if self._ws is not None:
            self._ws.receive_eof()
            self._flush()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.connected = False
        self.closed = True
        self._transport = None
        self._fail(ConnectionError("connection lost"))
        if self.on_close is not None:
            self.on_close(self)

    # --- frames and packets --------------------------------------------------------------

    def _frame(self, frame: Frame, now: float) -> None:
        op = frame.opcode
        if op is Opcode.TEXT:
            if frame.fin:
                self._message(bytes(frame.data).decode(), now)
            else:
                self._fragments = [bytes(frame.data)]
        elif op is Opcode.CONT:
            self._fragments.append(bytes(frame.data))
            if frame.fin:
                text = b"".join(self._fragments).decode()
                self._fragments = []
                self._message(text, now)
        elif op is Opcode.CLOSE and self._transport is not None:
            self._transport.close()

    def _message(self, text: str, now: float) -> None:
        kind = text[0]
        if kind == frames.EIO_MESSAGE:
            self._packet(frames.parse_socketio(text[1:]), now)
        elif kind == frames.EIO_PING:
            self._send(frames.EIO_PONG)
        elif kind == frames.EIO_OPEN:
            self._send(
                frames.EIO_MESSAGE + frames.connect_packet(self.namespace, {"token": self.token})
            )
        elif kind == frames.EIO_CLOSE:
            self.abort()

    def _packet(self, packet: frames.Packet, now: float) -> None:
        kind = packet.kind
        if kind == frames.SIO_EVENT:
            data = packet.data
            if isinstance(data, list) and data:
                self.on_event(self, data[0], data[1] if len(data) > 1 else None, now)
        elif kind == frames.SIO_ACK:
            handler = self._acks.pop(packet.ack_id or 0, None)
            if handler is not None:
                data = packet.data
                handler(data[0] if isinstance(data, list) and data else data, now)
        elif kind == frames.SIO_CONNECT:
            self.connected = True
            if self._opened is not None and not self._opened.done():
                self._opened.set_result(None)
        elif kind == frames.SIO_CONNECT_ERROR:
            self._fail(Refused(str(packet.data), packet.data))
            self.abort()
        elif kind == frames.SIO_DISCONNECT:
            self.connected = False
            self.abort()

    def _fail(self, error: Exception) -> None:
        if self._opened is not None and not self._opened.done():
            self._opened.set_exception(error)
            self._opened.exception()  # retrieved: no "never retrieved" warning

    # --- sending -------------------------------------------------------------------------

    def emit(self, event: str, data: Any, on_ack: AckHandler | None = None) -> bool:
        """Send an event (with an ack id when ``on_ack`` is given); False when not connected."""
        if not self.connected or self._transport is None:
            return False
        ack_id = None
        if on_ack is not None:
            self._next_id += 1
            ack_id = self._next_id
            self._acks[ack_id] = on_ack
        self._send(frames.EIO_MESSAGE + frames.event_packet(self.namespace, event, data, ack_id))
        return True

    def pending_acks(self) -> int:
        """Events sent whose ack has not arrived."""
        return len(self._acks)

    def _send(self, text: str) -> None:
        if self._ws is None or self._transport is None:
            return
        self._ws.send_text(text.encode())
        self._flush()

    def _flush(self) -> None:
        if self._ws is None or self._transport is None:
            return
        for chunk in self._ws.data_to_send():
            if chunk:
                self._transport.write(chunk)
            elif self._transport.can_write_eof():
                self._transport.write_eof()
