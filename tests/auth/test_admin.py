"""The admin account: ``draftroom users create --admin`` and ``ensure_admin`` at start-up."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from draftroom.errors import Conflict, ValidationFailed
from tests.auth.conftest import PASSWORD, login, me, register

DRAFTROOM = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "draftroom"


async def _cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        str(DRAFTROOM),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_cli_creates_an_admin(http: httpx.AsyncClient, server_env: dict[str, str]) -> None:
    code, out, err = await _cli(
        server_env, "users", "create", "Root", "--email", "root@example.com",
        "--password", PASSWORD, "--admin",
    )  # fmt: skip
    assert code == 0, err
    assert "created user Root" in out
    pair = await login(http, "root")
    assert pair.status_code == 200
    profile = (await me(http, pair.json()["access_token"])).json()
    assert profile["is_admin"] is True
    assert profile["email"] == "root@example.com"


async def test_cli_reports_a_duplicate_clearly(
    http: httpx.AsyncClient, server_env: dict[str, str]
) -> None:
    assert (await register(http, "root")).status_code == 201
    code, _, err = await _cli(
        server_env, "users", "create", "ROOT", "--email", "x@example.com", "--password", PASSWORD
    )
    assert code == 1
    assert "conflict" in err
    assert "Traceback" not in err


async def test_ensure_admin_is_idempotent_and_safe_concurrently(db: None) -> None:
    from draftroom.db.tables import Account
    from draftroom.services.accounts import ensure_admin

    results = await asyncio.gather(*(ensure_admin("boss", PASSWORD) for _ in range(3)))
    assert len({r.id for r in results}) == 1
    assert all(r.is_admin for r in results)
    again = await ensure_admin("BOSS", "a-different-password")  # exists: left alone
    assert again.id == results[0].id
    assert await Account.count().where(Account.username_key == "boss") == 1


async def test_ensure_admin_promotes_only_with_the_matching_password(
    http: httpx.AsyncClient,
) -> None:
    from draftroom.services.accounts import ensure_admin

    assert (await register(http, "boss")).status_code == 201
    with pytest.raises(Conflict):
        await ensure_admin("boss", "a-different-password")
    promoted = await ensure_admin("boss", PASSWORD)
    assert promoted.is_admin is True


@pytest.mark.parametrize(("username", "password"), [("boss", "short"), ("b", PASSWORD)])
async def test_ensure_admin_refuses_bad_details(db: None, username: str, password: str) -> None:
    from draftroom.services.accounts import ensure_admin

    with pytest.raises(ValidationFailed):
        await ensure_admin(username, password)


async def test_login_as_admin_marks_the_token(http: httpx.AsyncClient, settings: Any) -> None:
    from draftroom.services.accounts import ensure_admin
    from draftroom.services.tokens import decode_access_token

    await ensure_admin("boss", PASSWORD)
    pair = (await login(http, "boss")).json()
    assert decode_access_token(settings, pair["access_token"]).is_admin is True
