"""POST /auth/login: by username or email, wrong credentials, lockout, rate limits, rehash."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from argon2 import PasswordHasher

from tests.auth.conftest import PASSWORD, error_code, login, me, register


async def test_login_by_username_in_any_case(http: httpx.AsyncClient) -> None:
    created = (await register(http, "Alice")).json()
    response = await login(http, "aLiCe")
    assert response.status_code == 200
    pair = response.json()
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == 900
    assert pair["access_token"] and pair["refresh_token"]
    assert response.headers["Cache-Control"] == "no-store"
    profile = await me(http, pair["access_token"])
    assert profile.status_code == 200
    assert profile.json()["id"] == created["id"]


async def test_login_by_email(http: httpx.AsyncClient) -> None:
    await register(http, "alice", "alice@example.com")
    response = await login(http, "ALICE@example.com")
    assert response.status_code == 200
    assert (await me(http, response.json()["access_token"])).json()["username"] == "alice"


async def test_wrong_password_and_unknown_user_get_the_same_401(
    http: httpx.AsyncClient,
) -> None:
    await register(http, "alice")
    wrong = await login(http, "alice", "not-the-password")
    unknown = await login(http, "nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert error_code(wrong) == error_code(unknown) == "unauthorized"
    assert wrong.json() == unknown.json()


async def test_five_failures_lock_the_account(http: httpx.AsyncClient) -> None:
    await register(http, "alice")
    await register(http, "bob")
    for _ in range(4):
        assert (await login(http, "alice", "wrong-password")).status_code == 401
    fifth = await login(http, "alice@example.com", "wrong-password")  # by email: same account
    assert fifth.status_code == 429
    assert error_code(fifth) == "rate_limited"
    assert 890 <= int(fifth.headers["Retry-After"]) <= 900
    locked = await login(http, "alice", PASSWORD)  # the right password is refused too
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 900
    assert (await login(http, "bob")).status_code == 200  # other accounts are not affected


async def test_unknown_names_lock_like_accounts(http: httpx.AsyncClient) -> None:
    """Lockout does not reveal whether an account exists."""
    statuses = [(await login(http, "ghost", "wrong-password")).status_code for _ in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]


async def test_a_success_resets_the_failure_count(http: httpx.AsyncClient) -> None:
    await register(http, "alice")
    for _ in range(4):
        assert (await login(http, "alice", "wrong-password")).status_code == 401
    assert (await login(http, "alice")).status_code == 200
    assert (await login(http, "alice", "wrong-password")).status_code == 401


async def test_logins_are_rate_limited_per_address(http: httpx.AsyncClient) -> None:
    async def attempt(n: int) -> int:
        return (await login(http, f"ghost{n}", "wrong-password")).status_code

    assert await asyncio.gather(*(attempt(n) for n in range(20))) == [401] * 20
    limited = await http.post(
        "/api/v1/auth/login",
        json={"username": "ghost-x", "password": "wrong-password"},
        headers={"X-Forwarded-For": "203.0.113.9"},  # not trusted: no proxy is configured
    )
    assert limited.status_code == 429
    assert error_code(limited) == "rate_limited"
    assert "address" in limited.json()["error"]["message"]
    assert 1 <= int(limited.headers["Retry-After"]) <= 60


async def test_an_outdated_hash_is_upgraded_at_login(http: httpx.AsyncClient) -> None:
    from draftroom.db.tables import Account

    await register(http, "alice")
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    await Account.update({Account.password_hash: old}).where(Account.username == "alice")
    assert (await login(http, "alice")).status_code == 200
    row = await Account.select(Account.password_hash).where(Account.username == "alice").first()
    assert row is not None
    assert row["password_hash"].startswith("$argon2id$")
    assert "m=65536,t=3,p=4" in row["password_hash"]
    assert (await login(http, "alice")).status_code == 200  # the new hash verifies


async def test_login_validation_errors(http: httpx.AsyncClient) -> None:
    response = await http.post("/api/v1/auth/login", json={"username": "alice"})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["password"]


async def test_an_account_without_a_usable_password_cannot_log_in(
    http: httpx.AsyncClient, make_user: Any
) -> None:
    await make_user("fixture_user")  # its hash is "!", as for accounts made by tests
    response = await login(http, "fixture_user", "anything-at-all")
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"
