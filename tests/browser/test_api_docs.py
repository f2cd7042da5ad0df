"""/docs: Swagger UI from the project's own files, with no request leaving the server."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


async def test_docs_load_with_no_external_request(new_page: Any, site: str) -> None:
    page = await new_page(width=1366, height=800)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    await page.context.route(  # anything external fails, as it would offline
        lambda url: urlsplit(url).netloc != urlsplit(site).netloc and not url.startswith("data:"),
        lambda route: route.abort(),
    )
    await page.goto("/docs")
    await page.get_by_role("heading", name="draftroom API").wait_for()
    await page.locator(".opblock-tag", has_text="auth").first.wait_for()
    host = urlsplit(site).netloc
    external = [
        u for u in requested if urlsplit(u).netloc not in ("", host) and not u.startswith("data:")
    ]
    assert external == [], external
    assert failed == [], failed
    assert any(u.endswith("/vendor/swagger-ui/swagger-ui-bundle.js") for u in requested)
