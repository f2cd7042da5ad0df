"""GET and PATCH /users/me: the caller's own profile."""

from __future__ import annotations

from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from quart import Blueprint, Response
from quart_schema import security_scheme, tag, validate_request, validate_response

from draftroom.contracts.auth import ProfileUpdated, User
from draftroom.http.deps import current_user, require_user, runtime
from draftroom.services import profile

blueprint = Blueprint("users", __name__)


class ProfilePatch(BaseModel):
    """Fields to change; a password change needs ``current_password``."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(None, max_length=256)
    email: str | None = Field(None, max_length=320, json_schema_extra={"format": "email"})
    password: str | None = Field(
        None,
        max_length=1024,
        validation_alias=AliasChoices("password", "new_password"),
        description="The new password (also accepted as new_password).",
    )
    current_password: str | None = Field(None, max_length=1024)


@blueprint.after_request
async def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/users/me")
@require_user
@tag(["users"])
@security_scheme([{"bearer": []}])
@validate_response(User)
async def get_me() -> User:
    """The caller's profile."""
    return await profile.get_profile(current_user().user_id)


@blueprint.patch("/users/me")
@require_user
@tag(["users"])
@security_scheme([{"bearer": []}])
@validate_request(ProfilePatch)
@validate_response(ProfileUpdated)
async def patch_me(data: ProfilePatch) -> ProfileUpdated:
    """Change display name, email (409 when taken) or password (with ``current_password``:
    422 when missing, 403 when wrong)."""
    user, tokens = await profile.update_profile(
        runtime(),
        current_user().user_id,
        display_name=data.display_name,
        email=data.email,
        password=data.password,
        current_password=data.current_password,
    )
    return ProfileUpdated(**user.model_dump(), tokens=tokens)
