"""Test users: an account row plus a valid access token, without going through /auth."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from draftroom.config import Settings
from draftroom.services.tokens import issue_access_token

_counter = itertools.count(1)


@dataclass(frozen=True)
class TestUser:
    """A user of a test: id, username and a bearer token."""

    __test__ = False

    id: int
    username: str
    token: str
    is_admin: bool = False

    @property
    def headers(self) -> dict[str, str]:
        """The Authorization header of this user."""
        return {"Authorization": f"Bearer {self.token}"}


async def make_user(
    settings: Settings, username: str | None = None, *, is_admin: bool = False
) -> TestUser:
    """Insert an account (unusable password) and issue it an access token."""
    from draftroom.db.tables import Account

    name = username or f"user{next(_counter)}"
    now = datetime.now(UTC)
    rows = await Account.insert(
        Account(
            username=name,
            username_key=name.lower(),
            email=f"{name}@example.com",
            email_key=f"{name.lower()}@example.com",
            display_name=name,
            password_hash="!",
            is_admin=is_admin,
            created_at=now,
            password_changed_at=now,
        )
    ).returning(Account.id)
    user_id = int(rows[0]["id"])
    return TestUser(
        user_id, name, issue_access_token(settings, user_id, is_admin=is_admin), is_admin
    )
