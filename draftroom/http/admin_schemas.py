"""Request and response models of the admin routes (reference data upkeep, sync)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
)

from draftroom.contracts.reference import RaceStatus


def _iso_text(value: Any) -> Any:
    if not isinstance(value, str | datetime):
        raise ValueError("a time is an ISO 8601 string with an offset, e.g. 2026-05-01T13:00:00Z")
    return value


Ref = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9_]{1,64}$")]
Color = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^#[0-9A-Fa-f]{6}$")]
Code = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{3}$")
]
Season = Annotated[StrictInt, Field(ge=1950, le=2100)]
When = Annotated[AwareDatetime, BeforeValidator(_iso_text)]
"""An ISO 8601 time with its offset; a number (``0`` would be 1970-01-01) is refused."""


Name128 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Name64 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text128 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)]
Text64 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConstructorIn(_Strict):
    ref: Ref
    name: Name128
    nationality: Text64 = ""
    color: Color = "#888888"


class ConstructorPatch(_Strict):
    id: StrictInt | None = Field(default=None, description="only for PATCH /admin/constructors")
    ref: Ref | None = None
    name: Name128 | None = None
    nationality: Text64 | None = None
    color: Color | None = None


class DriverIn(_Strict):
    ref: Ref
    given_name: Name64
    family_name: Name64
    code: Code | None = None
    number: Annotated[StrictInt, Field(ge=0, le=999)] | None = None
    nationality: Text64 = ""
    constructor_id: StrictInt | None = None
    active: StrictBool = True
    season: Season | None = Field(
        default=None, description="entered in this season (default: current)"
    )


class DriverPatch(_Strict):
    id: StrictInt | None = Field(default=None, description="only for PATCH /admin/drivers")
    ref: Ref | None = None
    given_name: Name64 | None = None
    family_name: Name64 | None = None
    code: Code | None = None
    number: Annotated[StrictInt, Field(ge=0, le=999)] | None = None
    nationality: Text64 | None = None
    constructor_id: StrictInt | None = None
    active: StrictBool | None = None
    season: Season | None = Field(
        default=None, description="the season constructor_id/active apply to (default: current)"
    )


class RaceIn(_Strict):
    season: Season
    round: Annotated[StrictInt, Field(ge=1, le=99)]
    name: Name128
    circuit: Text128 = ""
    country: Text64 = ""
    starts_at: When
    qualifying_at: When
    sprint_qualifying_at: When | None = None
    sprint_at: When | None = None


class RacePatch(_Strict):
    id: StrictInt | None = Field(default=None, description="only for PATCH /admin/races")
    season: Season | None = None
    round: Annotated[StrictInt, Field(ge=1, le=99)] | None = None
    name: Name128 | None = None
    circuit: Text128 | None = None
    country: Text64 | None = None
    starts_at: When | None = None
    qualifying_at: When | None = None
    sprint_qualifying_at: When | None = None
    sprint_at: When | None = None
    status: RaceStatus | None = None


class SubstitutionIn(_Strict):
    out_driver_id: StrictInt = Field(ge=1, le=2_147_483_647)
    in_driver_id: Annotated[StrictInt, Field(ge=1, le=2_147_483_647)] | None = None
    in_driver_ref: Ref | None = None


class SubstitutionUndo(_Strict):
    out_driver_id: StrictInt = Field(ge=1, le=2_147_483_647)


class SyncIn(_Strict):
    season: Season | None = None
