"""Accounts and tokens: ``/auth/*`` and ``/users/me`` (REST only: pydantic models, which
the routes return and validate)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from typing_extensions import TypedDict


class User(BaseModel):
    """A user's profile (never the password hash)."""

    id: int
    username: str
    email: str
    display_name: str
    is_admin: bool
    created_at: datetime


class TokenPair(BaseModel):
    """An access token (Bearer, ``expires_in`` seconds) and its refresh token."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class ProfileUpdated(User):
    """The profile; after a password change also a fresh token pair (every other session
    of the user, and the token used for this request, are revoked)."""

    tokens: TokenPair | None = None


class Accepted(TypedDict):
    """The same answer whether or not an account has the address."""

    status: Literal["accepted"]
