"""Queries on accounts."""

from __future__ import annotations

from typing import Any

from draftroom.db.engine import pool
from draftroom.db.tables import Account


async def is_admin(user_id: int) -> bool:
    """True when the account exists and is an admin now (a token's claim may be stale)."""
    async with pool().acquire() as conn:
        return bool(await conn.fetchval("SELECT is_admin FROM account WHERE id = $1", user_id))


async def user_id_by_username(username: str) -> int | None:
    """The account of a username (case-insensitive)."""
    row = await Account.select(Account.id).where(Account.username_key == username.lower()).first()
    return int(row["id"]) if row is not None else None


_pk = Account._meta.primary_key  # Piccolo's implicit ``id`` (invisible to mypy as Account.id)
_PUBLIC_COLUMNS = (
    _pk,
    Account.username,
    Account.email,
    Account.display_name,
    Account.is_admin,
    Account.created_at,
)
_CREDENTIALS = (_pk, Account.username, Account.password_hash, Account.is_admin)


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {column._meta.name: row[column._meta.name] for column in _PUBLIC_COLUMNS}


async def insert(*, on_conflict_nothing: bool = False, **values: Any) -> dict[str, Any] | None:
    """A new account; its public row (``id, username, email, display_name, is_admin,
    created_at``). ``on_conflict_nothing``: a taken username or email stores nothing (None)
    instead of raising UniqueViolationError."""
    row = Account(**values)
    if on_conflict_nothing:
        await Account.insert(row).on_conflict(action="DO NOTHING")
        return None
    rows = await Account.insert(row).returning(*_PUBLIC_COLUMNS)
    return _public(rows[0])


async def make_admin(user_id: int) -> None:
    """Promote the account to admin."""
    await Account.update({Account.is_admin: True}).where(_pk == user_id)


async def public(user_id: int) -> dict[str, Any] | None:
    """The account's public row."""
    row = await Account.select(*_PUBLIC_COLUMNS).where(_pk == user_id).first()
    return None if row is None else _public(row)


async def credentials(
    *, user_id: int | None = None, username_key: str | None = None, email_key: str | None = None
) -> dict[str, Any] | None:
    """``id, username, password_hash, is_admin`` of the account named by one key."""
    if user_id is not None:
        where = _pk == user_id
    elif email_key is not None:
        where = Account.email_key == email_key
    else:
        where = Account.username_key == username_key
    row: dict[str, Any] | None = await Account.select(*_CREDENTIALS).where(where).first()
    return row


async def replace_password_hash(user_id: int, password_hash: str, expected: str) -> bool:
    """Replace the hash only if it is still ``expected``; True when it was."""
    rows = (
        await Account.update({Account.password_hash: password_hash})
        .where((_pk == user_id) & (Account.password_hash == expected))
        .returning(_pk)
    )
    return bool(rows)


async def update(user_id: int, values: dict[Any, Any]) -> dict[str, Any] | None:
    """Change columns of the account; its public row (None when there is no such account;
    UniqueViolationError when the email is taken)."""
    rows = await Account.update(values).where(_pk == user_id).returning(*_PUBLIC_COLUMNS)
    return _public(rows[0]) if rows else None
