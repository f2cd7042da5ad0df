"""REST, admins only: reference data upkeep and the Jolpica sync.

``POST /admin/{drivers,constructors,races}`` creates (201); ``PATCH`` and ``DELETE`` take the
id in the path (``/admin/drivers/{id}``) or, for the SPEC's bare paths, as ``id`` in the
JSON body. ``POST /admin/sync {season?}`` runs the sync now and returns what changed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from quart import Blueprint, Response, request
from quart_schema import document_response, tag, validate_request

from draftroom.contracts.admin import ReferenceRecord, SyncSummaryOut
from draftroom.contracts.reference import ConstructorOut, DriverOut, EntryOut, RaceOut
from draftroom.errors import ValidationFailed
from draftroom.http.admin_schemas import (
    ConstructorIn,
    ConstructorPatch,
    DriverIn,
    DriverPatch,
    RaceIn,
    RacePatch,
    SubstitutionIn,
    SubstitutionUndo,
    SyncIn,
)
from draftroom.http.deps import require_admin, runtime
from draftroom.http.responses import json_response
from draftroom.payloads import invalid
from draftroom.services import entries, race_changes
from draftroom.services import reference_admin as admin
from draftroom.services.sync import run_sync

blueprint = Blueprint("admin_reference", __name__)

NULLABLE = {"code", "number", "constructor_id", "sprint_at", "sprint_qualifying_at"}
"""Fields a PATCH may set to null (a driver's ``season`` null means the current one)."""


def _changes(data: BaseModel, nullable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields sent, refusing null for fields that cannot be empty."""
    changes = data.model_dump(exclude_unset=True)
    changes.pop("id", None)
    nulls = [k for k, v in changes.items() if v is None and k not in NULLABLE | nullable]
    if nulls:
        raise ValidationFailed(
            "These fields cannot be null.",
            details=[{"field": k, "message": "cannot be null"} for k in nulls],
        )
    return changes


async def _body_id() -> int:
    """The ``id`` of the JSON body (for PATCH/DELETE on the bare collection paths)."""
    body = await request.get_json(silent=True)
    value = body.get("id") if isinstance(body, dict) else None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(
            "Send the id in the path or as an integer 'id' in the body.",
            details=[{"field": "id", "message": "required integer"}],
        )
    return value


async def _parsed(model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(await request.get_json(force=True))
    except ValidationError as error:
        raise invalid(error) from None


def _no_content() -> Response:
    return Response("", status=204)


# --- constructors --------------------------------------------------------------------------


@blueprint.post("/admin/constructors")
@require_admin
@tag(["admin"])
@validate_request(ConstructorIn)
@document_response(ConstructorOut, 201)
async def create_constructor(data: ConstructorIn) -> Response:
    """Create a constructor (409 when the ref exists)."""
    fields = data.model_dump()
    row = await admin.create_constructor(fields.pop("ref"), fields.pop("name"), **fields)
    return json_response(row, 201)


async def _patch_constructor(constructor_id: int, data: BaseModel) -> Response:
    return json_response(await admin.update_constructor(constructor_id, _changes(data)))


@blueprint.patch("/admin/constructors/<int:constructor_id>")
@require_admin
@tag(["admin"])
@validate_request(ConstructorPatch)
@document_response(ConstructorOut)
async def update_constructor(constructor_id: int, data: ConstructorPatch) -> Response:
    """Change some fields of a constructor."""
    return await _patch_constructor(constructor_id, data)


@blueprint.delete("/admin/constructors/<int:constructor_id>")
@require_admin
@tag(["admin"])
async def delete_constructor(constructor_id: int) -> Response:
    """Delete a constructor (its drivers keep no constructor)."""
    await admin.delete_constructor(constructor_id)
    return _no_content()


# --- drivers -------------------------------------------------------------------------------


@blueprint.post("/admin/drivers")
@require_admin
@tag(["admin"])
@validate_request(DriverIn)
@document_response(DriverOut, 201)
async def create_driver(data: DriverIn) -> Response:
    """Create a driver, entered in ``season`` (default: the current season)."""
    fields = data.model_dump()
    row = await admin.create_driver(
        fields.pop("ref"), fields.pop("given_name"), fields.pop("family_name"), **fields
    )
    return json_response(row, 201)


async def _patch_driver(driver_id: int, data: BaseModel) -> Response:
    changes = _changes(data, nullable=frozenset({"season"}))
    season = changes.pop("season", None)
    return json_response(await admin.update_driver(driver_id, changes, season=season))


@blueprint.patch("/admin/drivers/<int:driver_id>")
@require_admin
@tag(["admin"])
@validate_request(DriverPatch)
@document_response(DriverOut)
async def update_driver(driver_id: int, data: DriverPatch) -> Response:
    """Change some fields of a driver (team/status apply to ``season``'s entry)."""
    return await _patch_driver(driver_id, data)


@blueprint.delete("/admin/drivers/<int:driver_id>")
@require_admin
@tag(["admin"])
async def delete_driver(driver_id: int) -> Response:
    """Delete a driver (409 while picks or scores refer to them)."""
    await admin.delete_driver(driver_id)
    return _no_content()


# --- races ---------------------------------------------------------------------------------


@blueprint.post("/admin/races")
@require_admin
@tag(["admin"])
@validate_request(RaceIn)
@document_response(RaceOut, 201)
async def create_race(data: RaceIn) -> Response:
    """Create a race weekend (409 when the season already has that round)."""
    fields = data.model_dump()
    row = await admin.create_race(
        fields.pop("season"), fields.pop("round"), fields.pop("name"), **fields
    )
    return json_response(row, 201)


async def _patch_race(race_id: int, data: BaseModel) -> Response:
    return json_response(await race_changes.edit_race(runtime(), race_id, _changes(data)))


@blueprint.patch("/admin/races/<int:race_id>")
@require_admin
@tag(["admin"])
@validate_request(RacePatch)
@document_response(RaceOut)
async def update_race(race_id: int, data: RacePatch) -> Response:
    """Change some fields of a race (including ``status``, e.g. ``cancelled``)."""
    return await _patch_race(race_id, data)


@blueprint.delete("/admin/races/<int:race_id>")
@require_admin
@tag(["admin"])
async def delete_race(race_id: int) -> Response:
    """Delete a race (409 when it has drafts or results; cancel it instead)."""
    await admin.delete_race(race_id)
    return _no_content()


@blueprint.post("/admin/races/<int:race_id>/substitutions")
@require_admin
@tag(["admin"])
@validate_request(SubstitutionIn)
@document_response(list[EntryOut], 201)
async def add_substitution(race_id: int, data: SubstitutionIn) -> Response:
    """Replace a driver for one race (``in_driver_id``, or ``in_driver_ref`` for a driver
    not seen yet), or withdraw him (neither); the race's entries after it."""
    rows = await entries.record_change(
        runtime(), race_id, data.out_driver_id, data.in_driver_id, data.in_driver_ref
    )
    return json_response(rows, 201)


@blueprint.delete("/admin/races/<int:race_id>/substitutions")
@require_admin
@tag(["admin"])
@validate_request(SubstitutionUndo)
@document_response(list[EntryOut])
async def undo_substitution(race_id: int, data: SubstitutionUndo) -> Response:
    """Undo the race's substitution or withdrawal of ``out_driver_id``; the entries after."""
    return json_response(await entries.undo_change(runtime(), race_id, data.out_driver_id))


# --- the SPEC's bare collection paths: id in the body -------------------------------------


_PATCHERS: dict[str, tuple[type[BaseModel], Callable[[int, BaseModel], Awaitable[Response]]]] = {
    "constructors": (ConstructorPatch, _patch_constructor),
    "drivers": (DriverPatch, _patch_driver),
    "races": (RacePatch, _patch_race),
}
_DELETERS: dict[str, Callable[[int], Awaitable[None]]] = {
    "constructors": admin.delete_constructor,
    "drivers": admin.delete_driver,
    "races": admin.delete_race,
}


@blueprint.patch("/admin/<any(constructors, drivers, races):kind>")
@require_admin
@tag(["admin"])
@document_response(ReferenceRecord)
async def patch_by_body(kind: str) -> Response:
    """Like ``PATCH /admin/{kind}/{id}`` with the id as ``id`` in the body."""
    model, patcher = _PATCHERS[kind]
    object_id = await _body_id()
    return await patcher(object_id, await _parsed(model))


@blueprint.delete("/admin/<any(constructors, drivers, races):kind>")
@require_admin
@tag(["admin"])
async def delete_by_body(kind: str) -> Response:
    """Like ``DELETE /admin/{kind}/{id}`` with the id as ``id`` in the body."""
    await _DELETERS[kind](await _body_id())
    return _no_content()


# --- sync ----------------------------------------------------------------------------------


@blueprint.post("/admin/sync")
@require_admin
@tag(["admin"])
@document_response(SyncSummaryOut)
async def sync() -> Response:
    """Sync a season (default: the current one) from Jolpica now; what changed."""
    raw = await request.get_data()
    data = await _parsed(SyncIn) if raw.strip() else SyncIn()
    assert isinstance(data, SyncIn)
    summary = await run_sync(runtime(), data.season)
    return json_response(summary.to_dict())
