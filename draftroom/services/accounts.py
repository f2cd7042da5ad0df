"""User accounts: registration, the start-up admin, profiles.

Usernames and emails are unique case-insensitively through the ``username_key`` /
``email_key`` columns; uniqueness is enforced by PostgreSQL (a unique violation becomes 409
``conflict``), never by a check that a concurrent request could slip past.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
from email_validator import EmailNotValidError, validate_email

from draftroom.contracts.auth import User
from draftroom.db.queries import accounts as queries
from draftroom.errors import Conflict, NotFound, ValidationFailed
from draftroom.services import passwords

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,32}$"
USERNAME_RULE = "3 to 32 characters: letters, digits, '_', '.' or '-'."
MAX_EMAIL_LENGTH = 254
MAX_DISPLAY_NAME_LENGTH = 64

_USERNAME = re.compile(USERNAME_PATTERN)


@dataclass(frozen=True)
class Credentials:
    """What a login needs to know about an account."""

    user_id: int
    username: str
    password_hash: str
    is_admin: bool


def _detail(field: str, message: str, kind: str) -> dict[str, Any]:
    return {"field": field, "message": message, "type": kind}


def username_problems(username: str) -> list[dict[str, Any]]:
    """Validation details for a bad username (empty when it is fine)."""
    if _USERNAME.fullmatch(username):
        return []
    return [_detail("username", f"The username must be {USERNAME_RULE}", "username_invalid")]


def normalize_email(email: str) -> str:
    """The normalized form of ``email``, or ValidationFailed naming the problem."""
    try:
        normalized = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValidationFailed(
            "The email address is not valid.",
            details=[_detail("email", str(error), "email_invalid")],
        ) from None
    if len(normalized) > MAX_EMAIL_LENGTH:
        raise ValidationFailed(
            "The email address is not valid.",
            details=[_detail("email", "The email address is too long.", "email_invalid")],
        )
    return normalized


def clean_display_name(display_name: str) -> str:
    """``display_name`` stripped, or ValidationFailed when empty, too long or not printable."""
    cleaned = display_name.strip()
    if not 1 <= len(cleaned) <= MAX_DISPLAY_NAME_LENGTH or not cleaned.isprintable():
        raise ValidationFailed(
            "The display name is not valid.",
            details=[
                _detail(
                    "display_name",
                    f"Use 1 to {MAX_DISPLAY_NAME_LENGTH} printable characters.",
                    "display_name_invalid",
                )
            ],
        )
    return cleaned


def _duplicate(error: asyncpg.UniqueViolationError) -> Conflict:
    constraint = (error.constraint_name or "") + " " + str(error)
    if "username" in constraint:
        return Conflict("That username is already taken.", details={"field": "username"})
    if "email" in constraint:
        return Conflict(
            "An account with that email address already exists.", details={"field": "email"}
        )
    return Conflict("That account already exists.")


async def create_user(
    username: str,
    email: str,
    password: str,
    *,
    is_admin: bool = False,
    display_name: str | None = None,
) -> User:
    """Create an account; returns its profile.

    Raises ValidationFailed (422, every problem in ``details``) or Conflict (409) when the
    username or email is taken, whatever its case.
    """
    problems = username_problems(username) + passwords.policy_problems(password, username)
    try:
        normalized_email = normalize_email(email)
    except ValidationFailed as error:
        problems = error.details + problems
        normalized_email = ""
    try:
        name = clean_display_name(display_name) if display_name is not None else username
    except ValidationFailed as error:
        problems += error.details
        name = username
    if problems:
        raise ValidationFailed("The account details are not valid.", details=problems)
    now = datetime.now(UTC)
    password_hash = await passwords.hash_password(password)
    try:
        row = await queries.insert(
            username=username,
            username_key=username.lower(),
            email=normalized_email,
            email_key=normalized_email.lower(),
            display_name=name,
            password_hash=password_hash,
            is_admin=is_admin,
            created_at=now,
            password_changed_at=now,
        )
    except asyncpg.UniqueViolationError as error:
        raise _duplicate(error) from None
    assert row is not None
    return User.model_validate(row)


async def ensure_admin(username: str, password: str, *, email: str | None = None) -> User:
    """Make sure the admin account ``username`` exists and is an admin (idempotent).

    A missing account is created with ``password`` (which must meet the policy). An existing
    admin is left alone (it keeps its password); an existing non-admin is promoted only when
    ``password`` is its password, so nobody can pre-register the admin's name. Safe when
    several processes run it at once (the insert is ``ON CONFLICT DO NOTHING``).
    """
    if username_problems(username):
        raise ValidationFailed(
            "The admin username is not valid.", details=username_problems(username)
        )
    key = username.lower()
    found = await find_credentials(key)
    if found is None:
        problems = passwords.policy_problems(password, username)
        if problems:
            raise ValidationFailed("The admin account details are not valid.", details=problems)
        address = normalize_email(email) if email else f"{key}@localhost"
        now = datetime.now(UTC)
        await queries.insert(
            on_conflict_nothing=True,
            username=username,
            username_key=key,
            email=address,
            email_key=address.lower(),
            display_name=username,
            password_hash=await passwords.hash_password(password),
            is_admin=True,
            created_at=now,
            password_changed_at=now,
        )
        found = await find_credentials(key)
        if found is None:
            raise Conflict(f"Cannot create the admin {username!r}: its email address is taken.")
    if not found.is_admin:
        if not await passwords.verify_password(found.password_hash, password):
            raise Conflict(
                f"The account {username!r} exists, is not an admin, and its password differs "
                "from DRAFTROOM_ADMIN_PASSWORD; refusing to promote it."
            )
        await queries.make_admin(found.user_id)
    return await get_user(found.user_id)


async def is_admin(user_id: int) -> bool:
    """True when the account is an admin now (the one admin check: a token's claim may be
    stale, so anything granted to admins confirms it here)."""
    return await queries.is_admin(user_id)


async def get_user(user_id: int) -> User:
    """The public profile of ``user_id`` (NotFound when there is no such account)."""
    row = await queries.public(user_id)
    if row is None:
        raise NotFound("No such user.")
    return User.model_validate(row)


async def find_credentials(identifier: str) -> Credentials | None:
    """The account a login names, by username or (when it contains ``@``) by email."""
    key = identifier.strip().lower()
    if "@" in key:
        row = await queries.credentials(email_key=key)
    else:
        row = await queries.credentials(username_key=key)
    if row is None:
        return None
    return Credentials(row["id"], row["username"], row["password_hash"], row["is_admin"])


async def credentials_of(user_id: int) -> Credentials:
    """The credentials of ``user_id`` (NotFound when there is no such account)."""
    row = await queries.credentials(user_id=user_id)
    if row is None:
        raise NotFound("No such user.")
    return Credentials(row["id"], row["username"], row["password_hash"], row["is_admin"])


async def set_password_hash(user_id: int, password_hash: str, *, expected: str) -> bool:
    """Replace a hash (e.g. a rehash at login) only if it is still ``expected``."""
    return await queries.replace_password_hash(user_id, password_hash, expected)


async def update_account(
    user_id: int,
    *,
    display_name: str | None = None,
    email: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Write already-validated profile changes; Conflict (409) when the email is taken."""
    values: dict[str, Any] = {}
    if display_name is not None:
        values["display_name"] = display_name
    if email is not None:
        values["email"] = email
        values["email_key"] = email.lower()
    if password_hash is not None:
        values["password_hash"] = password_hash
        values["password_changed_at"] = datetime.now(UTC)
    if not values:
        return await get_user(user_id)
    try:
        row = await queries.update(user_id, values)
    except asyncpg.UniqueViolationError as error:
        raise _duplicate(error) from None
    if row is None:
        raise NotFound("No such user.")
    return User.model_validate(row)
