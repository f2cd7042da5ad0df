"""Open sockets of a revoked token are disconnected at once, on every ``serve`` process.

Two real processes share PostgreSQL and Redis: the logout (or password change) goes to
one of them, sockets are open on both; each process drops its own sockets of the revoked
token from the revocation feed, in ``/`` and in ``/league/{id}``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
import socketio

from draftroom.realtime.server import write_only_notifier
from draftroom.services.notifier import user_room
from tests.realtime.client import RoomClient
from tests.support.contract import checked_client
from tests.support.leagues import make_league
from tests.support.processes import ServerProcess

pytestmark = pytest.mark.slow

API = "/api/v1"
PASSWORD = "correct-horse-42"
DROP_S = 1.0
"""How soon a revoked socket must be gone."""


@dataclass
class Account:
    """A user registered and logged in through the API (a TestUser look-alike)."""

    id: int
    username: str
    token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class UserSocket:
    """A socket on ``/`` (notifications) that records what it receives."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token
        self.received: list[Any] = []
        self.disconnected = asyncio.Event()
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("notification", self.received.append, namespace="/")
        self.sio.on("disconnect", lambda *_: self.disconnected.set(), namespace="/")

    async def connect(self) -> UserSocket:
        await self.sio.connect(
            self.url, namespaces=["/"], auth={"token": self.token},
            transports=["websocket"], wait_timeout=5,
        )  # fmt: skip
        return self

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


async def login(url: str, username: str, password: str = PASSWORD) -> dict[str, Any]:
    async with checked_client(base_url=url, timeout=10) as http:
        response = await http.post(
            f"{API}/auth/login", json={"username": username, "password": password}
        )
    assert response.status_code == 200, response.text
    pair: dict[str, Any] = response.json()
    return pair


@pytest.fixture
def signup(servers: list[ServerProcess], db: None) -> Any:
    """Factory: ``await signup(name)`` registers and logs in through process a -> Account."""
    url = servers[0].url

    async def factory(username: str) -> Account:
        async with checked_client(base_url=url, timeout=10) as http:
            body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
            created = await http.post(f"{API}/auth/register", json=body)
        assert created.status_code == 201, created.text
        pair = await login(url, username)
        return Account(created.json()["id"], username, pair["access_token"], pair["refresh_token"])

    return factory


@pytest.fixture
async def user_sockets() -> Any:
    """Factory: ``await user_sockets(url, token)`` -> connected UserSocket; closed at the end."""
    opened: list[UserSocket] = []

    async def factory(url: str, token: str) -> UserSocket:
        socket = UserSocket(url, token)
        opened.append(socket)
        return await socket.connect()

    yield factory
    for socket in opened:
        await socket.close()


async def gone(*sockets: RoomClient | UserSocket) -> None:
    """Every socket is disconnected within DROP_S (from now)."""
    await asyncio.wait_for(asyncio.gather(*(s.disconnected.wait() for s in sockets)), DROP_S)


async def notify(settings: Any, user_id: int, text: str) -> None:
    """A ``notification`` to every ``/`` socket of the user, through the fan-out."""
    notifier = write_only_notifier(settings.redis_url)
    await notifier.emit("notification", {"title": text}, room=user_room(user_id), namespace="/")


async def test_logout_drops_that_tokens_sockets_on_every_process(
    servers: list[ServerProcess],
    signup: Any,
    open_client: Any,
    user_sockets: Any,
    settings: Any,
) -> None:
    a, b = servers[0].url, servers[1].url
    room = await make_league(signup, teams=2)
    alice, bob = room.users
    other_tab = await login(a, alice.username)  # alice's second session: not logged out
    second = Account(alice.id, alice.username, other_tab["access_token"], "")

    league_b = await open_client(room.league_id, alice, b)
    league_a = await open_client(room.league_id, alice, a)
    home_b = await user_sockets(b, alice.token)
    kept_league = await open_client(room.league_id, second, b)
    kept_home = await user_sockets(b, second.token)
    bob_league = await open_client(room.league_id, bob, b)
    bob_home = await user_sockets(b, bob.token)
    await league_b.wait_for(lambda: bool(league_b.states))

    async with checked_client(base_url=a, timeout=10) as http:
        response = await http.post(
            f"{API}/auth/logout", json={"refresh_token": alice.refresh_token},
            headers=alice.headers,
        )  # fmt: skip
    assert response.status_code == 204
    await gone(league_b, home_b, league_a)  # b did not handle the logout: the feed told it
    seen = (len(league_b.received), len(home_b.received), len(league_a.received))

    await notify(settings, alice.id, "after logout")
    await asyncio.wait_for(_until(lambda: kept_home.received != []), 5)
    presence_before = len(kept_league.presence)
    await open_client(room.league_id, bob, a)  # a join: presence goes to the whole room
    await kept_league.wait_for(lambda: len(kept_league.presence) > presence_before)
    assert (len(league_b.received), len(home_b.received), len(league_a.received)) == seen
    assert not league_b.connected and not league_a.connected and not home_b.sio.connected
    for socket in (kept_league, bob_league):
        assert socket.connected
    assert kept_home.sio.connected and bob_home.sio.connected

    refused = RoomClient(b, room.league_id, alice.token)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await refused.connect()
    assert refused.connect_error["code"] == "unauthorized"


async def test_password_change_drops_every_socket_of_the_user(
    servers: list[ServerProcess],
    signup: Any,
    open_client: Any,
    user_sockets: Any,
) -> None:
    a, b = servers[0].url, servers[1].url
    room = await make_league(signup, teams=2)
    alice, bob = room.users
    phone = await login(b, alice.username)  # another session of alice's
    alice_sockets = [
        await open_client(room.league_id, alice, a),
        await open_client(room.league_id, alice, b),
        await user_sockets(b, alice.token),
        await user_sockets(b, phone["access_token"]),
        await user_sockets(a, phone["access_token"]),
    ]
    bob_league = await open_client(room.league_id, bob, b)
    bob_home = await user_sockets(b, bob.token)

    async with checked_client(base_url=a, timeout=10) as http:
        response = await http.patch(
            f"{API}/users/me",
            json={"password": "a-new-horse-43", "current_password": PASSWORD},
            headers=alice.headers,
        )
    assert response.status_code == 200, response.text
    await gone(*alice_sockets)
    assert bob_league.connected and bob_home.sio.connected

    fresh = Account(alice.id, alice.username, response.json()["tokens"]["access_token"], "")
    renewed = await open_client(room.league_id, fresh, b)  # issued after the change: valid
    await asyncio.sleep(0.3)
    assert renewed.connected
    ack = await renewed.call("sync", {"draft_id": 999_999, "after_seq": 0})
    assert ack["ok"] is False and ack["error"]["code"] == "not_found"  # not unauthorized


async def _until(check: Any) -> None:
    while not check():
        await asyncio.sleep(0.01)
