"""Socket authentication and the default namespace ``/`` (a user's notifications)."""

from __future__ import annotations

import logging
from typing import Any

import socketio

from draftroom.errors import DraftroomError, Unauthorized
from draftroom.metrics import SOCKETS_CONNECTED
from draftroom.realtime.revocation_watch import RevocationWatch
from draftroom.services.notifier import user_room
from draftroom.services.runtime import Runtime
from draftroom.services.tokens import AuthUser, verify_access_token

log = logging.getLogger("draftroom.realtime")


async def authenticate_socket(rt: Runtime, auth: Any) -> AuthUser:
    """The user of a connecting socket's ``auth: {"token": ...}``, or Unauthorized."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if not isinstance(token, str) or not token:
        raise Unauthorized("Connect with auth: {token: <access_token>}.")
    return await verify_access_token(rt.settings, rt.redis, token, rt.revocations)


def refuse(error: DraftroomError) -> socketio.exceptions.ConnectionRefusedError:
    """The connect_error a client sees: ``{"code", "message", "data": {"code", "message"}}``.

    python-socketio clients receive the whole dict; the JavaScript client turns it into an
    Error whose ``message`` is the text and ``data`` the ``{code, message}`` object.
    """
    exc = socketio.exceptions.ConnectionRefusedError(error.message)
    exc.error_args = {**error.to_dict(), "data": error.to_dict()}
    return exc


async def connect_default(
    sio: socketio.AsyncServer, rt: Runtime, sid: str, auth: Any, watch: RevocationWatch
) -> None:
    """Authenticate and join the user's own room of ``/`` (watched for revocation)."""
    try:
        user = await authenticate_socket(rt, auth)
    except DraftroomError as error:
        raise refuse(error) from None
    await sio.save_session(sid, {"user": user}, namespace="/")
    await sio.enter_room(sid, user_room(user.user_id), namespace="/")
    watch.add("/", sid, user)
    SOCKETS_CONNECTED.labels("user").inc()


async def disconnect_default(sid: str, watch: RevocationWatch) -> None:
    """Bookkeeping for a closed ``/`` socket."""
    watch.remove("/", sid)
    SOCKETS_CONNECTED.labels("user").dec()
