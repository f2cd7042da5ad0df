"""POST /auth/register: the account, its validation, uniqueness and request-level errors."""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx
import pytest

from tests.auth.conftest import API, PASSWORD, error_code, register


async def test_register_returns_the_user_without_the_hash(http: httpx.AsyncClient) -> None:
    response = await register(http, "Alice", "Alice@Example.com")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "username", "email", "display_name", "is_admin", "created_at"}
    assert body["username"] == "Alice"
    assert body["email"] == "Alice@example.com"  # the domain is normalized, the local part kept
    assert body["display_name"] == "Alice"
    assert body["is_admin"] is False
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None


async def test_register_ignores_is_admin_in_the_body(http: httpx.AsyncClient) -> None:
    body = {"username": "mallory", "email": "m@example.com", "password": PASSWORD, "is_admin": True}
    response = await http.post(f"{API}/auth/register", json=body)
    assert response.status_code == 201
    assert response.json()["is_admin"] is False


@pytest.mark.parametrize(
    ("username", "email"),
    [("ALICE", "other@example.com"), ("bob", "ALICE@EXAMPLE.COM")],
    ids=["username-other-case", "email-other-case"],
)
async def test_duplicate_username_or_email_in_any_case_is_409(
    http: httpx.AsyncClient, username: str, email: str
) -> None:
    assert (await register(http, "alice", "alice@example.com")).status_code == 201
    response = await register(http, username, email)
    assert response.status_code == 409
    assert error_code(response) == "conflict"
    field = "username" if username == "ALICE" else "email"
    assert response.json()["error"]["details"] == {"field": field}
    assert field in response.json()["error"]["message"]


async def test_concurrent_registrations_of_one_name_create_one_account(
    http: httpx.AsyncClient,
) -> None:
    first, second = await asyncio.gather(
        register(http, "racer", "one@example.com"), register(http, "RACER", "two@example.com")
    )
    assert sorted([first.status_code, second.status_code]) == [201, 409]


@pytest.mark.parametrize(
    ("username", "password", "rule"),
    [
        ("alice", "short-1", "password_too_short"),
        ("alice_12345", "ALICE_12345", "password_is_username"),
        ("alice", "12345678901234", "password_all_digits"),
    ],
)
async def test_weak_password_is_422_naming_the_rule(
    http: httpx.AsyncClient, username: str, password: str, rule: str
) -> None:
    response = await register(http, username, password=password)
    assert response.status_code == 422
    assert error_code(response) == "validation_error"
    details = response.json()["error"]["details"]
    assert [d["type"] for d in details] == [rule]
    assert details[0]["field"] == "password"


@pytest.mark.parametrize("username", ["ab", "x" * 33, "has space", "at@sign", "ümlaut", ""])
async def test_bad_username_is_422(http: httpx.AsyncClient, username: str) -> None:
    response = await register(http, username, "ok@example.com")
    assert response.status_code == 422
    assert any(d["field"] == "username" for d in response.json()["error"]["details"])


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "two@@example.com", "x@localhost", ""])
async def test_bad_email_is_422(http: httpx.AsyncClient, email: str) -> None:
    response = await register(http, "alice", email)
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["email"]


@pytest.mark.parametrize(
    "body",
    [
        {"username": 123, "email": "a@example.com", "password": PASSWORD},
        {"username": "alice", "email": None, "password": PASSWORD},
        {"username": "alice", "email": "a@example.com", "password": ["x"]},
    ],
    ids=["int-username", "null-email", "list-password"],
)
async def test_wrong_types_are_422(http: httpx.AsyncClient, body: dict[str, object]) -> None:
    response = await http.post(f"{API}/auth/register", json=body)
    assert response.status_code == 422
    assert error_code(response) == "validation_error"


async def test_missing_fields_are_each_reported(http: httpx.AsyncClient) -> None:
    response = await http.post(f"{API}/auth/register", json={})
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"username", "email", "password"}


async def test_malformed_json_is_400(http: httpx.AsyncClient) -> None:
    response = await http.post(
        f"{API}/auth/register",
        content=b'{"username": "alice", ',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert error_code(response) == "malformed_json"


async def test_two_megabyte_body_is_413_json(http: httpx.AsyncClient) -> None:
    body = b'{"username": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    response = await http.post(
        f"{API}/auth/register", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


async def test_registrations_are_rate_limited_per_address(http: httpx.AsyncClient) -> None:
    # weak passwords: cheap attempts that still count against the address
    for n in range(10):
        response = await register(http, f"user{n}", password="short")
        assert response.status_code == 422
    response = await register(http, "user10")
    assert response.status_code == 429
    assert error_code(response) == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 3600


async def test_auth_routes_are_in_the_openapi_document(http: httpx.AsyncClient) -> None:
    document = (await http.get("/openapi.json")).json()
    paths = document["paths"]
    for path in ("register", "login", "refresh", "logout"):
        assert "post" in paths[f"{API}/auth/{path}"]
    assert {"get", "patch"} <= set(paths[f"{API}/users/me"])
    register_schema = paths[f"{API}/auth/register"]["post"]["requestBody"]
    assert register_schema["content"]["application/json"]["schema"]
    created = paths[f"{API}/auth/register"]["post"]["responses"]["201"]
    user_schema = created["content"]["application/json"]["schema"]
    assert set(user_schema["properties"]) == {
        "id", "username", "email", "display_name", "is_admin", "created_at"
    }  # fmt: skip
