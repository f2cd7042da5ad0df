"""Engine.IO v4 / Socket.IO v5 text packets, encoded and decoded by hand (no client library).

Over a websocket every Engine.IO packet is one text message: ``0{...}`` open, ``2`` ping
(answered ``3``), ``4...`` a Socket.IO packet. Socket.IO packets are
``<type>[<namespace>,][<ack id>][<json>]`` with type ``0`` connect, ``1`` disconnect,
``2`` event, ``3`` ack, ``4`` connect error::

    40/league/1,{"token":"..."}          connect a namespace
    42/league/1,7["pick",{...}]           event with ack id 7
    43/league/1,7[{"ok":true}]            its ack
    42/league/1,["draft:pick",{...}]      a broadcast
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

EIO_OPEN = "0"
EIO_CLOSE = "1"
EIO_PING = "2"
EIO_PONG = "3"
EIO_MESSAGE = "4"

SIO_CONNECT = "0"
SIO_DISCONNECT = "1"
SIO_EVENT = "2"
SIO_ACK = "3"
SIO_CONNECT_ERROR = "4"

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def socket_path(host: str, port: int, league: int | None = None) -> str:
    """The websocket URL of the Socket.IO endpoint (websocket transport, EIO v4); with
    ``league``, the ``league`` query argument the production proxy routes on."""
    url = f"ws://{host}:{port}/socket.io/?EIO=4&transport=websocket"
    return url if league is None else f"{url}&league={league}"


def connect_packet(namespace: str, auth: dict[str, Any] | None) -> str:
    """``0<ns>,{auth}`` (send after the Engine.IO ``4``): connect ``namespace``."""
    body = "" if auth is None else _dumps(auth)
    return f"0{namespace},{body}" if namespace != "/" else f"0{body}"


def event_packet(namespace: str, event: str, data: Any, ack_id: int | None = None) -> str:
    """``2<ns>,<id>["event",data]`` (send after the Engine.IO ``4``)."""
    prefix = "2" if namespace == "/" else f"2{namespace},"
    ident = "" if ack_id is None else str(ack_id)
    return f"{prefix}{ident}{_dumps([event, data])}"


@dataclass(frozen=True, slots=True)
class Packet:
    """A decoded Socket.IO packet (``kind`` is the Socket.IO type digit)."""

    kind: str
    namespace: str
    ack_id: int | None
    data: Any


def parse_socketio(text: str) -> Packet:
    """Decode the Socket.IO part of an Engine.IO message (``text`` starts after ``4``)."""
    kind = text[0]
    i = 1
    namespace = "/"
    if len(text) > 1 and text[1] == "/":
        comma = text.find(",", 1)
        if comma < 0:
            return Packet(kind, text[1:], None, None)
        namespace = text[1:comma]
        i = comma + 1
    j = i
    n = len(text)
    while j < n and "0" <= text[j] <= "9":
        j += 1
    ack_id = int(text[i:j]) if j > i else None
    data = json.loads(text[j:]) if j < n else None
    return Packet(kind, namespace, ack_id, data)


def parse_open(text: str) -> dict[str, Any]:
    """The handshake of an ``0{...}`` open packet (sid, pingInterval, pingTimeout)."""
    payload: dict[str, Any] = json.loads(text[1:])
    return payload
