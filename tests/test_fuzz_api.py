"""Property-based fuzzing of the REST API from its own ``/openapi.json`` (issue 15): whatever
a client sends (anonymous or signed in), the answer is never a 500 and every error is the
JSON error body. A fixed budget keeps it to a few seconds; hypothesis shrinks a failure to
a small request."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.processes import ServerProcess, serve_processes

EXAMPLES = 400
BUDGET_S = 45.0

INTS = st.one_of(
    st.integers(-3, 3),
    st.integers(-(2**31) - 2, 2**31 + 2),
    st.sampled_from([2**31 - 1, 2**31, 2**63, -(2**63) - 1, 10**30]),
)
TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "\x00", "a\x00b", "ç", "\ud7ff", " ", "null", "1e309", "%00"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), INTS, st.floats(allow_nan=False), TEXT)
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=8,
)


def value_for(schema: dict[str, Any], components: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values near a JSON schema: of its type most of the time, anything sometimes."""
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        return st.one_of(*(value_for(o, components) for o in options))
    typed = _typed(str(schema.get("type")), schema, components)
    if "enum" in schema:
        typed = st.one_of(st.sampled_from(schema["enum"]), typed)
    return st.one_of(typed, typed, typed, SCALARS)


def _typed(kind: str, schema: dict[str, Any], components: Any) -> st.SearchStrategy[Any]:
    if kind == "integer":
        return INTS
    if kind == "number":
        return st.one_of(INTS, st.floats(allow_nan=False))
    if kind == "string":
        return st.one_of(TEXT, st.sampled_from(["2026-05-01T13:00:00Z", "2026-13-45"]))
    if kind == "boolean":
        return st.booleans()
    if kind == "array" and "items" in schema:
        return st.lists(value_for(schema["items"], components), max_size=5)
    if kind == "object" and "properties" in schema:
        return body_for(schema, components)
    return ANY_JSON


def body_for(schema: dict[str, Any], components: dict[str, Any]) -> st.SearchStrategy[Any]:
    """An object with some of the schema's properties (each near its type), maybe extras."""
    props = schema.get("properties", {})
    return st.fixed_dictionaries(
        {}, optional={name: value_for(p, components) for name, p in props.items()}
    ).flatmap(
        lambda d: st.one_of(
            st.just(d), st.dictionaries(TEXT, SCALARS, max_size=2).map(lambda x: {**x, **d})
        )
    )


RAW_BODIES = st.one_of(
    st.binary(max_size=16),
    st.sampled_from([b"\xff\xfe{", b"{", b"[]", b'{"a": "\xff"}', b"\x00", b"null"]),
)


@st.composite
def requests(draw: Any, operations: list[tuple[str, str, dict[str, Any]]], components: Any) -> Any:
    """One request: an operation, its path and query values, maybe a body, maybe a token."""
    method, path, op = draw(st.sampled_from(operations))
    url = path
    for name in re.findall(r"{(\w+)}", path):
        value = draw(st.one_of(INTS, INTS, TEXT.filter(lambda s: "/" not in s and s not in ".")))
        url = url.replace("{" + name + "}", quote(str(value), safe=""))
    query = {}
    for param in op.get("parameters", []):
        if param.get("in") == "query" and draw(st.booleans()):
            query[param["name"]] = str(draw(value_for(param.get("schema", {}), components)))
    content: bytes | None = None
    if method in ("post", "put", "patch", "delete"):
        body_schema = (
            op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        )
        shaped = value_for(body_schema, components) if body_schema else ANY_JSON
        content = draw(
            st.one_of(
                shaped.map(lambda v: json.dumps(v).encode()),
                ANY_JSON.map(lambda v: json.dumps(v).encode()),
                RAW_BODIES,
            )
        )
    signed_in = draw(st.booleans())
    return method.upper(), url, query, content, signed_in


@pytest.fixture(scope="module")
def server(database: None, settings: Any) -> Iterator[ServerProcess]:
    with serve_processes(settings.database_url, settings.redis_url, count=1) as procs:
        yield procs[0]


def test_no_request_gets_a_500_or_a_non_json_error(server: ServerProcess) -> None:
    # a connection per request: a server closing an idle keep-alive is not a finding
    limits = httpx.Limits(max_keepalive_connections=0)
    client = httpx.Client(base_url=server.url, timeout=15, limits=limits)
    doc = client.get("/openapi.json").json()
    components = doc["components"]["schemas"]
    operations = [
        (method, path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if path.startswith("/api/v1") and method in ("get", "post", "put", "patch", "delete")
    ]
    user = {"username": "fuzzer", "email": "fuzzer@example.com", "password": "fuzzing-pass-1"}
    client.post("/api/v1/auth/register", json=user)
    login = client.post("/api/v1/auth/login", json=user).json()
    token = {"Authorization": f"Bearer {login['access_token']}"}
    started = time.monotonic()
    seen: dict[int, int] = {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(requests(operations, components))
    def check(request: Any) -> None:
        method, url, query, content, signed_in = request
        if time.monotonic() - started > BUDGET_S:
            return  # the budget is spent: the rest pass
        headers = {"Content-Type": "application/json", **(token if signed_in else {})}
        if url.endswith(("/auth/logout", "/password")):
            headers.pop("Authorization", None)  # keep the fuzzer's own session alive
        response = client.request(method, url, params=query, content=content, headers=headers)
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        assert response.status_code != 500, (method, url, query, content, response.text)
        if response.status_code >= 400:
            body = response.json()  # JSON, never an HTML page
            assert set(body) == {"error"}, body
            assert isinstance(body["error"]["code"], str), body
            assert isinstance(body["error"]["message"], str), body

    check()
    print("fuzz statuses:", dict(sorted(seen.items())))
    assert sum(seen.values()) >= 100  # the budget allowed a real run
