"""POST /auth/password/forgot and /auth/password/reset (public)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from quart import Blueprint, Response
from quart_schema import document_response, tag, validate_request

from draftroom.contracts.auth import Accepted
from draftroom.http.auth import client_address
from draftroom.http.deps import runtime
from draftroom.services import password_reset

blueprint = Blueprint("password", __name__)


class ForgotIn(BaseModel):
    """The e-mail address of the account."""

    email: str = Field(max_length=320, json_schema_extra={"format": "email"})


class ResetIn(BaseModel):
    """The token from the mailed link and the new password."""

    token: str = Field(max_length=512)
    password: str = Field(max_length=1024)


@blueprint.after_request
async def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/auth/password/forgot")
@tag(["auth"])
@validate_request(ForgotIn)
@document_response(Accepted, 202)
async def forgot(data: ForgotIn) -> tuple[dict[str, str], int]:
    """Mail a reset link (valid 30 minutes, single use) if an account has this address.

    Always 202 with the same body, in about the same time (no account enumeration); 422
    for a malformed address; 429 over 20/hour per client address or 5/hour per e-mail."""
    await password_reset.forgot(runtime(), data.email, address=client_address())
    return {"status": "accepted"}, 202


@blueprint.post("/auth/password/reset")
@tag(["auth"])
@validate_request(ResetIn)
async def reset(data: ResetIn) -> tuple[str, int]:
    """Set a new password with a mailed token; 204. Every session of the user ends.

    400 ``invalid_token`` (``details.reason``: malformed, unknown, used, expired); 422 for a
    weak password (the token stays usable); 429 over 20/hour per address or 10/hour per
    account."""
    await password_reset.reset(runtime(), data.token, data.password, address=client_address())
    return "", 204
