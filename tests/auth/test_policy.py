"""The password policy and the username rule (pure functions)."""

from __future__ import annotations

import pytest

from draftroom.services.accounts import username_problems
from draftroom.services.passwords import policy_problems


@pytest.mark.parametrize(
    ("password", "username", "rules"),
    [
        ("correct-horse-42", "alice", []),
        ("123456789", "alice", ["password_too_short", "password_all_digits"]),
        ("1234567890", "alice", ["password_all_digits"]),
        ("abcdefghi", "alice", ["password_too_short"]),
        ("abcdefghij", "alice", []),
        ("Alice.Smith", "alice.smith", ["password_is_username"]),
        ("1234567890", "1234567890", ["password_is_username", "password_all_digits"]),
        ("x" * 257, "alice", ["password_too_long"]),
        ("pass word with spaces", None, []),
    ],
)
def test_password_rules(password: str, username: str | None, rules: list[str]) -> None:
    assert [p["type"] for p in policy_problems(password, username)] == rules


@pytest.mark.parametrize(
    ("username", "valid"),
    [
        ("abc", True),
        ("a" * 32, True),
        ("A.b_c-9", True),
        ("ab", False),
        ("a" * 33, False),
        ("a b", False),
        ("a@b.c", False),
        ("ünï", False),
        ("abc\n", False),
    ],
)
def test_username_rule(username: str, valid: bool) -> None:
    assert (username_problems(username) == []) is valid
