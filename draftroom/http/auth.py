"""POST /auth/register, /auth/login, /auth/refresh, /auth/logout."""

from __future__ import annotations

from pydantic import BaseModel, Field
from quart import Blueprint, Response, request
from quart_schema import security_scheme, tag, validate_request, validate_response

from draftroom.contracts.auth import TokenPair, User
from draftroom.http.deps import current_user, require_user, runtime
from draftroom.services import auth
from draftroom.services.accounts import USERNAME_PATTERN
from draftroom.services.passwords import MIN_PASSWORD_LENGTH

blueprint = Blueprint("auth", __name__)


class RegisterIn(BaseModel):
    """A new account."""

    username: str = Field(
        max_length=64, json_schema_extra={"pattern": USERNAME_PATTERN}, examples=["alice"]
    )
    email: str = Field(max_length=320, json_schema_extra={"format": "email"})
    password: str = Field(
        max_length=1024,
        description=f"At least {MIN_PASSWORD_LENGTH} characters, not the username, "
        "not only digits.",
    )
    display_name: str | None = Field(None, max_length=256, description="Defaults to username.")


class LoginIn(BaseModel):
    """Credentials: ``username`` may also be the account's email address."""

    username: str = Field(max_length=320, description="Username or email address.")
    password: str = Field(max_length=1024)


class RefreshIn(BaseModel):
    """A refresh token to spend."""

    refresh_token: str = Field(max_length=512)


class LogoutIn(BaseModel):
    """The refresh token whose family (session) ends with the access token."""

    refresh_token: str | None = Field(None, max_length=512)


def client_address() -> str:
    """The caller's address for rate limits: the socket peer, or with
    ``DRAFTROOM_PROXY_HOPS=n`` the n-th X-Forwarded-For entry from the right."""
    hops = runtime().settings.proxy_hops
    if hops > 0:
        header = ",".join(request.headers.getlist("X-Forwarded-For"))
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.remote_addr or "unknown"


@blueprint.after_request
async def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/auth/register")
@tag(["auth"])
@validate_request(RegisterIn)
@validate_response(User, 201)
async def register(data: RegisterIn) -> tuple[User, int]:
    """Create an account (public). 409 when the username or email is taken in any case;
    422 with every broken rule in ``details``; 429 over 10 registrations/hour per address."""
    user = await auth.register(
        runtime(),
        data.username,
        data.email,
        data.password,
        display_name=data.display_name,
        address=client_address(),
    )
    return user, 201


@blueprint.post("/auth/login")
@tag(["auth"])
@validate_request(LoginIn)
@validate_response(TokenPair)
async def login(data: LoginIn) -> TokenPair:
    """Log in by username or email (public). 401 on wrong credentials; 429 while the
    account is locked (5 failures in 15 min) or over 20 attempts/min per address."""
    return await auth.login(runtime(), data.username, data.password, address=client_address())


@blueprint.post("/auth/refresh")
@tag(["auth"])
@validate_request(RefreshIn)
@validate_response(TokenPair)
async def refresh(data: RefreshIn) -> TokenPair:
    """Spend a refresh token for a new pair (public). Reusing a spent token revokes its
    whole family and answers 401."""
    return await auth.refresh(runtime(), data.refresh_token, address=client_address())


@blueprint.post("/auth/logout")
@require_user
@tag(["auth"])
@security_scheme([{"bearer": []}])
@validate_request(LogoutIn)
async def logout(data: LogoutIn) -> tuple[str, int]:
    """Revoke the presented access token and the refresh token's family; 204."""
    await auth.logout(runtime(), current_user(), data.refresh_token)
    return "", 204
