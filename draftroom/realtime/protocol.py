"""Guards of the Engine.IO/Socket.IO wire protocol against hostile clients.

python-socketio trusts its peer more than a public server can: a client may emit the
server's own ``connect``/``disconnect`` events, send a second CONNECT for a namespace it is
already in (replacing that namespace's session), or send frames that are not packets at
all (an empty frame crashed the ASGI handler; a bad packet logged a traceback and left the
connection open). :class:`GuardedServer` and :class:`GuardedWebSocket` close the
connection on the first protocol error, log it once as a warning without a traceback, and
answer an event whose name is reserved or not a string with ``validation_error``.

The hooks override python-socketio 5.x / python-engineio 4.x internals
(``_handle_eio_message``, ``_handle_connect``, ``_handle_event`` and the ASGI driver's
``WebSocket``); tests/realtime/test_protocol_guard.py pins their behaviour.
"""

from __future__ import annotations

import logging
from typing import Any

import socketio
from engineio.async_drivers.asgi import WebSocket
from socketio import packet

from draftroom.errors import ValidationFailed
from draftroom.realtime.league_actions import failure
from draftroom.realtime.reclaim import translate_request

log = logging.getLogger("draftroom.realtime.protocol")

RESERVED_EVENTS = frozenset(
    {"connect", "connect_error", "disconnect", "disconnecting"}
    | {"newListener", "removeListener", "*"}
)
"""Event names a client may not emit: the server's own handlers and Socket.IO's reserved
names (``*`` would reach the catch-all handler with shifted arguments)."""

_ENGINEIO_CLIENT_TYPES = frozenset("123456")
"""Text frames a client may send start with an Engine.IO packet type: close, ping, pong,
message, upgrade or noop."""

_ENGINEIO_CLOSE = "1"

_MALFORMED = (ValueError, TypeError, KeyError, IndexError, AttributeError)
"""What python-socketio raises on a packet it cannot decode or route."""


class ProtocolError(ValueError):
    """A client broke the Socket.IO protocol; its connection is closed."""


class GuardedWebSocket(WebSocket):
    """The ASGI websocket of Engine.IO, refusing frames that are not Engine.IO packets.

    A bad frame ends the connection as if the client had closed it (a normal close, the
    session's disconnect handlers run), after one warning.
    """

    def __init__(self, handler: Any, server: Any) -> None:
        super().__init__(handler, server)
        self.peer = "?"

    async def __call__(self, environ: dict[str, Any]) -> Any:
        self.peer = str(environ.get("REMOTE_ADDR", "?"))
        return await super().__call__(environ)

    async def send(self, message: Any) -> None:
        """Send a frame; after Engine.IO's CLOSE packet, close the websocket too (a client
        that ignores CLOSE would otherwise keep it open until the ping timeout)."""
        await super().send(message)
        if message == _ENGINEIO_CLOSE:
            await self.close()

    async def wait(self) -> Any:
        """The next frame; None when the websocket closed or the frame is not an Engine.IO
        packet (either ends the connection).

        python-engineio's driver raises OSError on a close, which ties the connection's
        objects into a reference cycle (:mod:`draftroom.realtime.reclaim`); None ends the
        connection the same way, without the cycle."""
        event = await self.asgi_receive()
        if event["type"] != "websocket.receive":
            return None
        data = event.get("bytes")
        if data is None:
            data = event.get("text")
        if isinstance(data, str) and (not data or data[0] not in _ENGINEIO_CLIENT_TYPES):
            log.warning(
                "closing a websocket: malformed Engine.IO frame",
                extra={"peer": self.peer, "frame": data[:40]},
            )
            return None
        return data


class GuardedServer(socketio.AsyncServer):
    """An AsyncServer that closes connections breaking the protocol (see module docs)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.eio._async = {
            **self.eio._async,
            "websocket": GuardedWebSocket,
            "translate_request": translate_request,  # no class made per request
        }

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        try:
            await super()._handle_eio_message(eio_sid, data)
        except _MALFORMED as error:
            log.warning(
                "closing a connection: Socket.IO protocol error: %s",
                str(error)[:120] or type(error).__name__,
                extra={"eio_sid": eio_sid},
            )
            self._binary_packet.pop(eio_sid, None)
            await self.eio.disconnect(eio_sid)

    async def _handle_connect(self, eio_sid: str, namespace: str | None, data: Any) -> None:
        if self.manager.sid_from_eio_sid(eio_sid, namespace or "/") is not None:
            raise ProtocolError("CONNECT to a namespace already connected")
        await super()._handle_connect(eio_sid, namespace, data)

    async def _handle_event(
        self, eio_sid: str, namespace: str | None, id: int | None, data: Any
    ) -> None:
        if not isinstance(data, list) or not data:
            raise ProtocolError("EVENT without an event name")
        name = data[0]
        if isinstance(name, str) and name not in RESERVED_EVENTS:
            await super()._handle_event(eio_sid, namespace, id, data)
            return
        error = ValidationFailed(
            f"Reserved event name {name!r}."
            if isinstance(name, str)
            else "The event name must be a string."
        )
        namespace = namespace or "/"
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace)
        if id is not None and self.manager.is_connected(sid, namespace):
            ack = self.packet_class(packet.ACK, namespace=namespace, id=id, data=[failure(error)])
            await self._send_packet(eio_sid, ack)
