"""POST /auth/password/forgot and /auth/password/reset, end to end through /dev/mailbox."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.auth.conftest import API, PASSWORD, error_code, login, me, refresh, register
from tests.support.contract import checked_client

NEW_PASSWORD = "brand-new-horse-99"
LINK = re.compile(r"/#/reset\?token=([A-Za-z0-9_-]+)")


@pytest.fixture
async def mail_http(mailbox_server: str, db: None) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the server whose development mailbox is on (clean database)."""
    async with checked_client(base_url=mailbox_server, timeout=10) as client:
        yield client


async def forgot(http: httpx.AsyncClient, email: Any) -> httpx.Response:
    return await http.post(f"{API}/auth/password/forgot", json={"email": email})


async def reset(
    http: httpx.AsyncClient, token: Any, password: Any = NEW_PASSWORD
) -> httpx.Response:
    return await http.post(
        f"{API}/auth/password/reset", json={"token": token, "password": password}
    )


async def mails(http: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await http.get("/dev/mailbox.json")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["mails"]
    return found


async def token_mailed_to(http: httpx.AsyncClient, email: str) -> str:
    """The token in the newest mail to ``email``."""
    for mail in await mails(http):
        if mail["to"] == email:
            match = LINK.search(mail["body"])
            assert match, mail["body"]
            return match.group(1)
    raise AssertionError(f"no mail to {email}")


async def new_account(http: httpx.AsyncClient, name: str) -> dict[str, str]:
    assert (await register(http, name)).status_code == 201
    pair = await login(http, name)
    assert pair.status_code == 200
    tokens: dict[str, str] = pair.json()
    return tokens


async def test_forgot_then_reset_end_to_end(mail_http: httpx.AsyncClient) -> None:
    session_one = await new_account(mail_http, "alice")
    session_two = (await login(mail_http, "alice")).json()
    answer = await forgot(mail_http, "Alice@Example.com")
    assert answer.status_code == 202
    assert answer.json() == {"status": "accepted"}
    [mail] = await mails(mail_http)
    assert mail["to"] == "Alice@example.com" or mail["to"].lower() == "alice@example.com"
    assert mail["subject"] == "Reset your draftroom password"
    assert mail["kind"] == "password_reset"
    token = await token_mailed_to(mail_http, mail["to"])
    assert (await reset(mail_http, token)).status_code == 204
    # every session of the user ended: access and refresh tokens of both logins
    for session in (session_one, session_two):
        assert (await me(mail_http, session["access_token"])).status_code == 401
        spent = await refresh(mail_http, session["refresh_token"])
        assert spent.status_code == 401
    assert (await login(mail_http, "alice", PASSWORD)).status_code == 401
    assert (await login(mail_http, "alice", NEW_PASSWORD)).status_code == 200
    again = await reset(mail_http, token, "yet-another-pass-1")
    assert again.status_code == 400
    assert error_code(again) == "invalid_token"
    assert again.json()["error"]["details"] == {"reason": "used"}
    assert (await login(mail_http, "alice", NEW_PASSWORD)).status_code == 200


async def test_the_token_is_stored_hashed(mail_http: httpx.AsyncClient) -> None:
    from draftroom.db.tables import PasswordReset

    await new_account(mail_http, "alice")
    await forgot(mail_http, "alice@example.com")
    token = await token_mailed_to(mail_http, "alice@example.com")
    [row] = await PasswordReset.select(PasswordReset.token_hash, PasswordReset.expires_at)
    assert token not in row["token_hash"]
    assert len(row["token_hash"]) == 64
    lifetime = row["expires_at"] - datetime.now(UTC)
    assert timedelta(minutes=29) < lifetime <= timedelta(minutes=30)


async def test_older_tokens_are_refused_after_a_reset(mail_http: httpx.AsyncClient) -> None:
    await new_account(mail_http, "alice")
    await forgot(mail_http, "alice@example.com")
    first = await token_mailed_to(mail_http, "alice@example.com")
    await forgot(mail_http, "alice@example.com")
    second = await token_mailed_to(mail_http, "alice@example.com")
    assert first != second
    assert (await reset(mail_http, second)).status_code == 204
    refused = await reset(mail_http, first, "third-password-33")
    assert refused.status_code == 400
    assert refused.json()["error"]["details"] == {"reason": "used"}
    assert (await login(mail_http, "alice", NEW_PASSWORD)).status_code == 200


async def test_no_enumeration_same_answer_and_time(mail_http: httpx.AsyncClient) -> None:
    for name in ("alice", "bob", "carol"):
        assert (await register(mail_http, name)).status_code == 201
    known: list[float] = []
    unknown: list[float] = []
    bodies = set()
    for i, name in enumerate(("alice", "bob", "carol", "alice", "bob", "carol")):
        for email, times in ((f"{name}@example.com", known), (f"ghost{i}@example.com", unknown)):
            started = time.perf_counter()
            response = await forgot(mail_http, email)
            times.append(time.perf_counter() - started)
            assert response.status_code == 202
            bodies.add((response.text, response.headers.get("content-type")))
    assert len(bodies) == 1
    assert abs(statistics.median(known) - statistics.median(unknown)) < 0.05
    recipients = {mail["to"] for mail in await mails(mail_http)}
    assert recipients == {"alice@example.com", "bob@example.com", "carol@example.com"}


async def test_expired_token_is_refused(mail_http: httpx.AsyncClient) -> None:
    from draftroom.db.tables import PasswordReset

    await new_account(mail_http, "alice")
    await forgot(mail_http, "alice@example.com")
    token = await token_mailed_to(mail_http, "alice@example.com")
    await PasswordReset.update(
        {PasswordReset.expires_at: datetime.now(UTC) - timedelta(seconds=1)}, force=True
    )
    response = await reset(mail_http, token)
    assert response.status_code == 400
    assert error_code(response) == "invalid_token"
    assert response.json()["error"]["details"] == {"reason": "expired"}
    assert (await login(mail_http, "alice", PASSWORD)).status_code == 200


async def test_another_users_token_changes_only_that_user(mail_http: httpx.AsyncClient) -> None:
    alice = await new_account(mail_http, "alice")
    await new_account(mail_http, "bob")
    await forgot(mail_http, "bob@example.com")
    bobs = await token_mailed_to(mail_http, "bob@example.com")
    assert (await reset(mail_http, bobs)).status_code == 204
    assert (await login(mail_http, "bob", NEW_PASSWORD)).status_code == 200
    assert (await login(mail_http, "alice", PASSWORD)).status_code == 200
    assert (await login(mail_http, "alice", NEW_PASSWORD)).status_code == 401
    assert (await me(mail_http, alice["access_token"])).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "code", "reason"),
    [
        ({"token": "short", "password": NEW_PASSWORD}, 400, "invalid_token", "malformed"),
        ({"token": "x" * 43, "password": NEW_PASSWORD}, 400, "invalid_token", "unknown"),
        (
            {"token": "<script>" * 5 + "abc", "password": NEW_PASSWORD},
            400,
            "invalid_token",
            "malformed",
        ),
        ({"token": 12345, "password": NEW_PASSWORD}, 422, "validation_error", None),
        ({"token": "x" * 43}, 422, "validation_error", None),
        ({"password": NEW_PASSWORD}, 422, "validation_error", None),
    ],
)
async def test_bad_reset_requests(
    mail_http: httpx.AsyncClient, body: dict[str, Any], status: int, code: str, reason: str | None
) -> None:
    await new_account(mail_http, "alice")
    response = await mail_http.post(f"{API}/auth/password/reset", json=body)
    assert response.status_code == status, response.text
    assert error_code(response) == code
    if reason:
        assert response.json()["error"]["details"] == {"reason": reason}
    assert (await login(mail_http, "alice", PASSWORD)).status_code == 200


async def test_weak_password_keeps_the_token_usable(mail_http: httpx.AsyncClient) -> None:
    session = await new_account(mail_http, "alice")
    await forgot(mail_http, "alice@example.com")
    token = await token_mailed_to(mail_http, "alice@example.com")
    weak = await reset(mail_http, token, "short")
    assert weak.status_code == 422
    assert error_code(weak) == "validation_error"
    assert (await me(mail_http, session["access_token"])).status_code == 200
    assert (await login(mail_http, "alice", PASSWORD)).status_code == 200
    assert (await reset(mail_http, token)).status_code == 204


@pytest.mark.parametrize("email", ["not-an-address", "", 42, None])
async def test_bad_forgot_requests(mail_http: httpx.AsyncClient, email: Any) -> None:
    response = await forgot(mail_http, email)
    assert response.status_code == 422
    assert error_code(response) == "validation_error"
    assert await mails(mail_http) == []


async def test_forgot_is_limited_per_email_alike_for_unknown(mail_http: httpx.AsyncClient) -> None:
    await new_account(mail_http, "alice")
    for email in ("alice@example.com", "ghost@example.com"):
        for _ in range(5):
            assert (await forgot(mail_http, email)).status_code == 202
        limited = await forgot(mail_http, email)
        assert limited.status_code == 429
        assert error_code(limited) == "rate_limited"
        assert int(limited.headers["Retry-After"]) > 0
    assert len(await mails(mail_http)) == 5


async def test_forgot_and_reset_are_limited_per_address(mail_http: httpx.AsyncClient) -> None:
    for i in range(20):
        assert (await forgot(mail_http, f"ghost{i}@example.com")).status_code == 202
    assert (await forgot(mail_http, "ghost-last@example.com")).status_code == 429
    for _ in range(20):
        assert (await reset(mail_http, "y" * 43)).status_code == 400
    limited = await reset(mail_http, "y" * 43)
    assert limited.status_code == 429
    assert error_code(limited) == "rate_limited"


async def test_reset_is_limited_per_account(mail_http: httpx.AsyncClient, redis: Any) -> None:
    from draftroom.services import password_reset

    await new_account(mail_http, "alice")
    await forgot(mail_http, "alice@example.com")
    token = await token_mailed_to(mail_http, "alice@example.com")
    for _ in range(password_reset.RESET_ACCOUNT_RATE.limit):
        assert (await reset(mail_http, token, "short")).status_code == 422
    limited = await reset(mail_http, token)
    assert limited.status_code == 429
    assert "account" in limited.json()["error"]["message"]
    assert (await login(mail_http, "alice", PASSWORD)).status_code == 200


async def test_dev_mailbox_is_absent_when_off(http: httpx.AsyncClient) -> None:
    for path in ("/dev/mailbox", "/dev/mailbox.json"):
        response = await http.get(path)
        assert response.status_code == 404
        assert error_code(response) == "not_found"


async def test_dev_mailbox_page_escapes_mail_text(mail_http: httpx.AsyncClient) -> None:
    from draftroom.services import outbox

    await outbox.enqueue("x@example.com", "<b>hi</b>", "<script>alert(1)</script>", kind="t")
    page = await mail_http.get("/dev/mailbox")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&lt;b&gt;hi&lt;/b&gt;" in page.text


async def test_a_reset_lifts_the_login_lockout(mail_http: httpx.AsyncClient) -> None:
    await new_account(mail_http, "alice")
    for _ in range(5):
        await login(mail_http, "alice", "wrong-password-1")
    assert (await login(mail_http, "alice", PASSWORD)).status_code == 429  # locked
    await forgot(mail_http, "alice@example.com")
    token = await token_mailed_to(mail_http, "alice@example.com")
    assert (await reset(mail_http, token)).status_code == 204
    assert (await login(mail_http, "alice", NEW_PASSWORD)).status_code == 200
