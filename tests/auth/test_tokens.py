"""Refresh rotation and reuse detection, logout, and access tokens that must be refused."""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
import time
from typing import Any

import httpx
import jwt
import pytest

from tests.auth.conftest import Session, error_code, login, logout, me, refresh


async def test_refresh_rotates_the_pair(signup: Any, http: httpx.AsyncClient) -> None:
    session: Session = await signup("alice")
    first = await refresh(http, session.refresh_token)
    assert first.status_code == 200
    pair = first.json()
    assert pair["token_type"] == "bearer"
    assert pair["refresh_token"] != session.refresh_token
    assert pair["access_token"] != session.access_token
    assert (await me(http, pair["access_token"])).status_code == 200
    second = await refresh(http, pair["refresh_token"])  # the new one works in turn
    assert second.status_code == 200


async def test_reusing_a_spent_token_revokes_the_whole_family(
    signup: Any, http: httpx.AsyncClient
) -> None:
    session: Session = await signup("alice")
    rotated = (await refresh(http, session.refresh_token)).json()
    reuse = await refresh(http, session.refresh_token)
    assert reuse.status_code == 401
    assert error_code(reuse) == "unauthorized"
    assert reuse.json()["error"]["details"] == {"reason": "reused"}
    # the token issued by the rotation is dead too, and so is its access token
    assert (await refresh(http, rotated["refresh_token"])).status_code == 401
    assert (await me(http, rotated["access_token"])).status_code == 401


async def test_reuse_leaves_other_sessions_alone(signup: Any, http: httpx.AsyncClient) -> None:
    session: Session = await signup("alice")
    other = (await login(http, "alice")).json()
    await refresh(http, session.refresh_token)
    assert (await refresh(http, session.refresh_token)).status_code == 401
    assert (await refresh(http, other["refresh_token"])).status_code == 200


async def test_two_concurrent_refreshes_with_one_token_cannot_both_win(
    signup: Any, http: httpx.AsyncClient
) -> None:
    session: Session = await signup("alice")
    results = await asyncio.gather(*(refresh(http, session.refresh_token) for _ in range(2)))
    assert sorted(r.status_code for r in results) == [200, 401]


@pytest.mark.parametrize("token", ["", "garbage", "a" * 16 + "." + "b" * 43])
async def test_unknown_refresh_tokens_are_401(http: httpx.AsyncClient, token: str) -> None:
    response = await refresh(http, token)
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


async def test_logout_revokes_access_token_and_refresh_family(
    signup: Any, http: httpx.AsyncClient
) -> None:
    session: Session = await signup("alice")
    response = await logout(http, session.refresh_token, session.headers)
    assert response.status_code == 204
    assert response.content == b""
    assert (await me(http, session.access_token)).status_code == 401
    assert (await refresh(http, session.refresh_token)).status_code == 401
    again = await logout(http, session.refresh_token, session.headers)
    assert again.status_code == 401  # the access token is gone


async def test_logout_needs_an_access_token(http: httpx.AsyncClient) -> None:
    response = await logout(http, "x")
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


async def test_logout_cannot_end_another_users_session(
    signup: Any, http: httpx.AsyncClient
) -> None:
    alice: Session = await signup("alice")
    bob: Session = await signup("bob")
    response = await logout(http, alice.refresh_token, bob.headers)
    assert response.status_code == 204
    assert (await refresh(http, alice.refresh_token)).status_code == 200


# --- access tokens that must be refused ---------------------------------------------------


def _claims(user_id: int, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "jti": secrets.token_urlsafe(8),
        "iat": now,
        "exp": now + 60,
        "typ": "access",
    }
    return claims | overrides


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_a_token_made_with_the_server_key_is_accepted(
    signup: Any, http: httpx.AsyncClient, settings: Any
) -> None:
    """The control for the refusals below: the claims themselves are acceptable."""
    session: Session = await signup("alice")
    token = jwt.encode(_claims(session.user["id"]), settings.secret_key, algorithm="HS256")
    assert (await me(http, token)).status_code == 200


async def test_tampered_token_is_401(signup: Any, http: httpx.AsyncClient) -> None:
    alice: Session = await signup("alice")
    bob: Session = await signup("bob")
    header, payload, signature = alice.access_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(bob.user["id"])
    response = await me(http, f"{header}.{_b64(claims)}.{signature}")
    assert response.status_code == 401
    assert response.json()["error"]["details"] == {"reason": "invalid"}


async def test_expired_token_is_401(signup: Any, http: httpx.AsyncClient, settings: Any) -> None:
    session: Session = await signup("alice")
    past = int(time.time()) - 3600
    claims = _claims(session.user["id"], iat=past - 900, exp=past)
    response = await me(http, jwt.encode(claims, settings.secret_key, algorithm="HS256"))
    assert response.status_code == 401
    assert response.json()["error"]["details"] == {"reason": "expired"}


async def test_alg_none_token_is_401(signup: Any, http: httpx.AsyncClient) -> None:
    session: Session = await signup("alice")
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(session.user['id']))}."
    response = await me(http, token)
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize(
    ("key", "algorithm"),
    [("another-secret-key-0123456789-abcdefghijklmnop", "HS256"), (None, "HS512")],
    ids=["other-key", "server-key-other-algorithm"],
)
async def test_token_signed_otherwise_is_401(
    signup: Any, http: httpx.AsyncClient, settings: Any, key: str | None, algorithm: str
) -> None:
    session: Session = await signup("alice")
    token = jwt.encode(_claims(session.user["id"]), key or settings.secret_key, algorithm)
    response = await me(http, token)
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_a_memoised_token_still_expires_on_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The signature check of a token string is cached; its expiry is not."""
    from draftroom.config import load_settings
    from draftroom.errors import Unauthorized
    from draftroom.services import tokens

    settings = load_settings()
    token = tokens.issue_access_token(settings, 42)
    assert tokens.decode_access_token(settings, token).user_id == 42
    assert tokens.decode_access_token(settings, token).user_id == 42  # from the cache
    later = time.time() + settings.access_token_ttl_s + 1
    monkeypatch.setattr(tokens.time, "time", lambda: later)
    with pytest.raises(Unauthorized) as raised:
        tokens.decode_access_token(settings, token)
    assert raised.value.details == {"reason": "expired"}
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    with pytest.raises(Unauthorized):  # a wrong signature is never cached as valid
        tokens.decode_access_token(settings, tampered)
