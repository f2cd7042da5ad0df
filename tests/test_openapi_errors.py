"""OpenAPI declares error responses with the shared model, and undeclared methods on known
paths answer 405 with an accurate ``Allow`` (issue 15, defect 12)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


async def test_every_operation_declares_its_errors(http: httpx.AsyncClient) -> None:
    doc = (await http.get("/openapi.json")).json()
    schema = doc["components"]["schemas"]["ErrorResponse"]
    assert schema["required"] == ["error"]
    ref = {"$ref": "#/components/schemas/ErrorResponse"}
    operations = [
        (path, method, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if path.startswith("/api/v1")
    ]
    assert len(operations) > 40
    for path, method, op in operations:
        responses: dict[str, Any] = op["responses"]
        assert "500" in responses, (method, path)
        for status, response in responses.items():
            if int(status) >= 400:
                assert response["content"]["application/json"]["schema"] == ref, (path, status)
        if "{" in path:
            assert "404" in responses, (method, path)
        if method in ("post", "put", "patch"):
            assert {"400", "422"} <= set(responses), (method, path)
    assert {"post", "patch", "delete"} <= set(doc["paths"]["/api/v1/admin/races"])
    assert not [path for path in doc["paths"] if "{kind}" in path]  # any() paths expanded
    me = doc["paths"]["/api/v1/users/me"]["get"]
    assert {"401", "403"} <= set(me["responses"]) and me["security"] == [{"bearer": []}]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/api/v1/auth/login", {"POST", "OPTIONS"}),
        ("DELETE", "/api/v1/races", {"GET", "HEAD", "OPTIONS"}),
        ("PUT", "/api/v1/leagues/1", {"GET", "HEAD", "PATCH", "DELETE", "OPTIONS"}),
        ("POST", "/health", {"GET", "HEAD", "OPTIONS"}),
        ("POST", "/api/v1/drafts/1/start", None),
    ],
)
async def test_undeclared_methods_are_405_with_allow(
    method: str, path: str, allow: set[str] | None, http: httpx.AsyncClient
) -> None:
    response = await http.request(method, path)
    if allow is None:  # a declared method: not 405
        assert response.status_code != 405
        return
    assert response.status_code == 405, response.text
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allow


async def test_unknown_api_paths_stay_404_and_the_client_is_served(
    http: httpx.AsyncClient,
) -> None:
    assert (await http.get("/api/v1/nothing")).status_code == 404
    assert (await http.post("/api/v1/nothing")).status_code == 404
    assert (await http.get("/js/main.js")).status_code == 200
    assert (await http.get("/")).status_code == 200
