"""GET and PATCH /users/me."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.auth.conftest import API, PASSWORD, Session, error_code, login, me, refresh

NEW_PASSWORD = "another-horse-77"


async def patch(http: httpx.AsyncClient, session: Session, **body: Any) -> httpx.Response:
    return await http.patch(f"{API}/users/me", json=body, headers=session.headers)


async def test_get_me_is_the_profile(signup: Any, http: httpx.AsyncClient) -> None:
    session: Session = await signup("alice")
    response = await me(http, session.access_token)
    assert response.status_code == 200
    assert response.json() == session.user
    assert "password_hash" not in response.text


async def test_me_needs_a_token(http: httpx.AsyncClient) -> None:
    response = await http.get(f"{API}/users/me")
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


async def test_patch_display_name_and_email(signup: Any, http: httpx.AsyncClient) -> None:
    session: Session = await signup("alice")
    response = await patch(http, session, display_name="  Alice A.  ", email="new@example.com")
    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Alice A."
    assert body["email"] == "new@example.com"
    assert body["tokens"] is None
    assert (await me(http, session.access_token)).json()["email"] == "new@example.com"
    assert (await login(http, "new@example.com")).status_code == 200


async def test_patch_email_taken_in_another_case_is_409(
    signup: Any, http: httpx.AsyncClient
) -> None:
    session: Session = await signup("alice")
    await signup("bob")
    response = await patch(http, session, email="BOB@example.com")
    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"field": "email"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "tab\there"}, "display_name"),
        ({"is_admin": True}, "is_admin"),
        ({"username": "root"}, "username"),
    ],
)
async def test_invalid_patches_are_422(
    signup: Any, http: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    session: Session = await signup("alice")
    response = await patch(http, session, **body)
    assert response.status_code == 422
    assert field in {d["field"] for d in response.json()["error"]["details"]}
    assert (await me(http, session.access_token)).json() == session.user


async def test_password_change_needs_the_current_password(
    signup: Any, http: httpx.AsyncClient
) -> None:
    session: Session = await signup("alice")
    missing = await patch(http, session, password=NEW_PASSWORD)
    assert missing.status_code == 422
    assert [d["field"] for d in missing.json()["error"]["details"]] == ["current_password"]
    wrong = await patch(http, session, password=NEW_PASSWORD, current_password="wrong-password")
    assert wrong.status_code == 403
    assert error_code(wrong) == "forbidden"
    weak = await patch(http, session, password="short", current_password=PASSWORD)
    assert weak.status_code == 422
    assert (await login(http, "alice")).status_code == 200  # nothing changed


async def test_password_change_revokes_every_session_but_hands_out_a_new_pair(
    signup: Any, http: httpx.AsyncClient
) -> None:
    session: Session = await signup("alice")
    elsewhere = (await login(http, "alice")).json()
    response = await patch(http, session, new_password=NEW_PASSWORD, current_password=PASSWORD)
    assert response.status_code == 200
    tokens = response.json()["tokens"]
    # old access and refresh tokens, of this session and of the other one, are dead
    assert (await me(http, session.access_token)).status_code == 401
    assert (await me(http, elsewhere["access_token"])).status_code == 401
    assert (await refresh(http, session.refresh_token)).status_code == 401
    assert (await refresh(http, elsewhere["refresh_token"])).status_code == 401
    # the new pair works, and so does an immediate login with the new password
    assert (await me(http, tokens["access_token"])).status_code == 200
    assert (await refresh(http, tokens["refresh_token"])).status_code == 200
    assert (await login(http, "alice", PASSWORD)).status_code == 401
    fresh = await login(http, "alice", NEW_PASSWORD)
    assert fresh.status_code == 200
    assert (await me(http, fresh.json()["access_token"])).status_code == 200


async def test_wrong_current_passwords_count_toward_the_lockout(
    signup: Any, http: httpx.AsyncClient
) -> None:
    session: Session = await signup("alice")
    statuses = [
        (
            await patch(http, session, password=NEW_PASSWORD, current_password="wrong-pw-1")
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [403, 403, 403, 403, 429]
    assert (await login(http, "alice")).status_code == 429
