"""The suite-wide response check (tests/support/contract.py) catches drift: an undeclared
key, a wrong type, a 2xx without a documented model, an error that is not ErrorResponse."""

from __future__ import annotations

from typing import Any, Literal

import httpx
import pytest
from pydantic import BaseModel
from quart import Quart
from quart_schema import QuartSchema, document_response
from typing_extensions import TypedDict

from tests.support.contract import (
    ContractViolation,
    Routes,
    check,
    check_body,
    check_event,
    check_response,
    undeclared_keys,
)


class Inner(BaseModel):
    n: int


class Thing(BaseModel):
    id: int
    kind: Literal["a", "b"]
    inner: Inner | None
    tags: list[str]
    free: dict[str, Any] = {}


class Row(TypedDict):
    id: int
    name: str


def _app() -> Quart:
    app = Quart("contract-test")
    QuartSchema(app)

    @app.get("/api/v1/things/<int:thing_id>")
    @document_response(Thing)
    async def get_thing(thing_id: int) -> dict[str, Any]:
        return {}

    @app.get("/api/v1/rows")
    @document_response(list[Row])
    async def get_rows() -> list[Row]:
        return []

    @app.get("/api/v1/undocumented")
    async def undocumented() -> dict[str, Any]:
        return {}

    return app


ROUTES = Routes.of(_app())
GOOD = b'{"id": 1, "kind": "a", "inner": {"n": 2}, "tags": ["x"], "free": {"any": [1]}}'


def test_a_documented_body_passes() -> None:
    check(ROUTES, "GET", "/api/v1/things/1", 200, GOOD)
    check(ROUTES, "GET", "/api/v1/rows", 200, b'[{"id": 1, "name": "r"}]')


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b'{"id": 1, "kind": "a", "inner": null, "tags": [], "secret": 1}', "body.secret"),
        (b'{"id": 1, "kind": "a", "inner": {"n": 2, "m": 3}, "tags": []}', "body.inner.m"),
        (b'{"id": "1", "kind": "a", "inner": null, "tags": []}', "is not Thing"),
        (b'{"id": 1.0, "kind": "a", "inner": null, "tags": []}', "is not Thing"),
        (b'{"id": 1, "kind": "c", "inner": null, "tags": []}', "is not Thing"),
        (b'{"id": 1, "kind": "a", "tags": []}', "is not Thing"),
    ],
)
def test_a_drifting_body_fails(body: bytes, why: str) -> None:
    with pytest.raises(ContractViolation, match=why.replace(".", r"\.")):
        check_body(Thing, body)


def test_an_undeclared_key_of_a_typeddict_in_a_list_fails() -> None:
    with pytest.raises(ContractViolation, match=r"body\[1\]\.extra"):
        body = b'[{"id": 1, "name": "r"}, {"id": 2, "name": "s", "extra": 0}]'
        check(ROUTES, "GET", "/api/v1/rows", 200, body)


def test_a_2xx_of_a_route_without_a_model_for_its_status_fails() -> None:
    with pytest.raises(ContractViolation, match="documents no model for 200"):
        check(ROUTES, "GET", "/api/v1/undocumented", 200, b"{}")
    with pytest.raises(ContractViolation, match="documents no model for 201"):
        check(ROUTES, "GET", "/api/v1/things/1", 201, GOOD)


def test_errors_must_be_the_error_body() -> None:
    check(
        ROUTES, "GET", "/api/v1/nowhere", 404, b'{"error": {"code": "not_found", "message": "m"}}'
    )
    with pytest.raises(ContractViolation, match="ErrorResponse"):
        check(ROUTES, "GET", "/api/v1/things/1", 404, b'{"detail": "not found"}')
    with pytest.raises(ContractViolation, match=r"error\.hint"):
        hint = b'{"error": {"code": "c", "message": "m", "hint": 1}}'
        check(ROUTES, "GET", "/api/v1/things/1", 409, hint)


def test_undeclared_keys_picks_the_union_member_that_fits() -> None:
    class A(TypedDict):
        a: int

    class B(TypedDict):
        b: str

    assert undeclared_keys(A | B, {"b": "x"}) == []
    assert undeclared_keys(list[A | B], [{"a": 1}, {"b": "x", "c": 1}]) == ["body[1].c"]


async def test_the_hook_fails_a_drifting_answer_of_the_api() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"leaked": True})

    transport = httpx.MockTransport(handler)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", event_hooks={"response": [check_response]}
    ) as client:
        with pytest.raises(ContractViolation, match="documents no model"):
            await client.get("/api/v1/me/undocumented-route")
        await client.get("/elsewhere")  # outside /api/v1: not checked


async def test_the_http_fixture_checks_every_answer(http: httpx.AsyncClient) -> None:
    assert check_response in http.event_hooks["response"]
    response = await http.get("/api/v1/no-such-thing")
    assert response.status_code == 404


def test_socket_payloads_are_checked_against_the_same_types() -> None:
    queue = {"draft_id": 1, "driver_ids": [3, 4], "autodraft": False}
    check_event("queue", queue)
    check_event("draft:state", None)  # a league without a draft
    check_event("presence", {"anything": "goes"})  # no contract type: not checked
    with pytest.raises(ContractViolation, match=r"body\.extra"):
        check_event("queue", {**queue, "extra": 1})
    with pytest.raises(ContractViolation, match="is not"):
        check_event("chat:deleted", {"id": "1", "draft_id": 1})
    pick = {"draft_id": 1, "seq": 2, "at": 3, "pick_no": 1, "round": 1, "team_id": 4}
    check_event("draft:pick", {**pick, "driver_id": 7, "by": "auto"})
    with pytest.raises(ContractViolation, match="is not"):
        check_event("draft:pick", {**pick, "driver_id": 7, "by": "robot"})
    with pytest.raises(ContractViolation, match=r"body\.driver_id"):
        check_event("draft:started", {"draft_id": 1, "seq": 1, "at": 0, "driver_id": 7})
    with pytest.raises(ContractViolation, match=r"body\.teams\[0\]\.secret"):
        check_event("draft:state", _snapshot(teams=[_team(secret=1)]))


def test_acks_are_checked_against_the_registered_result_types() -> None:
    from tests.support.contract import check_ack

    queue = {"draft_id": 1, "driver_ids": [3], "autodraft": True}
    check_ack("queue:set", {**queue, "ok": True})
    check_ack("sync", {"ok": True, "events": []})
    check_ack("sync", {"ok": True, "state": None})
    check_ack("pick", {"ok": False, "error": {"code": "not_your_turn", "message": "No."}})
    check_ack("no-such-event", {"ok": False, "error": {"code": "unknown_event", "message": "?"}})
    with pytest.raises(ContractViolation, match=r"body\.extra"):
        check_ack("queue:set", {**queue, "ok": True, "extra": 1})
    with pytest.raises(ContractViolation, match="is not"):
        check_ack("draft:start", {"ok": True, "draft_id": 1})  # no status, seq, current
    with pytest.raises(ContractViolation, match="is not"):
        check_ack("pick", {"ok": False, "error": "nope"})
    with pytest.raises(ContractViolation, match="no boolean ok"):
        check_ack("pick", {"draft_id": 1})


def _team(**extra: Any) -> dict[str, Any]:
    return {"id": 1, "name": "A", "user_id": 2, "online": True, "autodraft": False,
            "is_bot": False, **extra}  # fmt: skip


def _snapshot(**changes: Any) -> dict[str, Any]:
    return {
        "id": 1, "league_id": 1, "race_id": 1, "status": "live", "type": "snake",
        "pick_seconds": 60, "picks_per_team": 5, "quiet_hours": None, "order": [1],
        "teams": [_team()], "picks": [], "current": None, "opens_at": None,
        "locks_at": None, "seq": 1, "server_now": 0,
        "race": {"id": 1, "name": "R", "round": 1, "season": 2026}, **changes,
    }  # fmt: skip
