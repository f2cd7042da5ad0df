"""Helpers of the auth tests: register and log in through the live API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

API = "/api/v1"
PASSWORD = "correct-horse-42"


@dataclass
class Session:
    """A registered, logged-in user of the live server."""

    user: dict[str, Any]
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def register(
    http: httpx.AsyncClient, username: str, email: str | None = None, password: str = PASSWORD
) -> httpx.Response:
    """POST /auth/register."""
    body = {
        "username": username,
        "email": f"{username}@example.com" if email is None else email,
        "password": password,
    }
    return await http.post(f"{API}/auth/register", json=body)


async def login(http: httpx.AsyncClient, username: str, password: str = PASSWORD) -> httpx.Response:
    """POST /auth/login."""
    return await http.post(f"{API}/auth/login", json={"username": username, "password": password})


async def refresh(http: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    """POST /auth/refresh."""
    return await http.post(f"{API}/auth/refresh", json={"refresh_token": refresh_token})


async def logout(
    http: httpx.AsyncClient, refresh_token: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    """POST /auth/logout with ``refresh_token`` (and the caller's Authorization ``headers``)."""
    return await http.post(
        f"{API}/auth/logout", json={"refresh_token": refresh_token}, headers=headers
    )


async def me(http: httpx.AsyncClient, token: str) -> httpx.Response:
    """GET /users/me with ``token``."""
    return await http.get(f"{API}/users/me", headers={"Authorization": f"Bearer {token}"})


def error_code(response: httpx.Response) -> str:
    """The ``error.code`` of a JSON error response."""
    code: str = response.json()["error"]["code"]
    return code


@pytest.fixture
def signup(http: httpx.AsyncClient) -> Any:
    """Factory: ``await signup("alice")`` registers and logs in -> Session."""

    async def factory(username: str, password: str = PASSWORD) -> Session:
        created = await register(http, username, password=password)
        assert created.status_code == 201, created.text
        pair = await login(http, username, password)
        assert pair.status_code == 200, pair.text
        tokens = pair.json()
        return Session(created.json(), tokens["access_token"], tokens["refresh_token"])

    return factory
