"""Password policy and Argon2id hashing, off the event loop.

Hashing and verifying take a few hundred milliseconds of CPU and 64 MiB each (argon2-cffi's
RFC 9106 low-memory profile), so they run on a small dedicated thread pool: the event loop
keeps serving sockets, and no more than ``HASH_WORKERS`` hashes run at once.
"""

from __future__ import annotations

import asyncio
import functools
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from draftroom.errors import ValidationFailed

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
HASH_WORKERS = max(1, min(4, os.cpu_count() or 1))

_hasher = PasswordHasher()  # Argon2id with argon2-cffi's current recommended parameters
_executor = ThreadPoolExecutor(max_workers=HASH_WORKERS, thread_name_prefix="argon2")


def policy_problems(password: str, username: str | None = None) -> list[dict[str, Any]]:
    """Every password rule ``password`` breaks, as validation ``details`` (empty when fine)."""
    problems: list[dict[str, Any]] = []

    def problem(kind: str, message: str) -> None:
        problems.append({"field": "password", "message": message, "type": kind})

    if len(password) < MIN_PASSWORD_LENGTH:
        problem("password_too_short", f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        problem("password_too_long", f"Use at most {MAX_PASSWORD_LENGTH} characters.")
    if username is not None and password.casefold() == username.casefold():
        problem("password_is_username", "The password must not be the username.")
    if password.isdigit():
        problem("password_all_digits", "The password must not be only digits.")
    return problems


def check_policy(password: str, username: str | None = None) -> None:
    """Raise ValidationFailed (422, one detail per broken rule) for a weak password."""
    problems = policy_problems(password, username)
    if problems:
        raise ValidationFailed("The password is too weak.", details=problems)


async def _run(fn: Any, *args: Any) -> Any:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor, functools.partial(fn, *args))


async def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (computed in the hashing thread pool)."""
    hashed: str = await _run(_hasher.hash, password)
    return hashed


def _verify(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; False for a mismatch or a bad hash."""
    matched: bool = await _run(_verify, password_hash, password)
    return matched


def needs_rehash(password_hash: str) -> bool:
    """True when ``password_hash`` was made with other parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("draftroom-dummy-password-for-timing")


async def dummy_verify(password: str) -> None:
    """Spend the time of a real verification (for unknown users, so timing reveals nothing)."""
    await _run(lambda: _verify(_dummy_hash(), password))
