"""The service skeleton: health, errors as JSON, metrics, OpenAPI."""

from __future__ import annotations

import httpx


async def test_health_reports_database_and_redis(http: httpx.AsyncClient) -> None:
    response = await http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


async def test_unknown_api_path_is_json_404(http: httpx.AsyncClient) -> None:
    response = await http.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_wrong_method_is_json_405(http: httpx.AsyncClient) -> None:
    response = await http.post("/health")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


async def test_request_id_is_echoed(http: httpx.AsyncClient) -> None:
    response = await http.get("/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"


async def test_metrics_are_prometheus_text(http: httpx.AsyncClient) -> None:
    await http.get("/health")
    response = await http.get("/metrics")
    assert response.status_code == 200
    assert "draftroom_http_requests_total" in response.text


async def test_openapi_document_is_served(http: httpx.AsyncClient) -> None:
    response = await http.get("/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "draftroom API"
    docs = await http.get("/docs")
    assert docs.status_code == 200
