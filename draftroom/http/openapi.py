"""The OpenAPI document's error responses: every operation declares the statuses it can
answer with the shared error model (``{"error": {"code", "message", "details?"}}``)."""

from __future__ import annotations

from typing import Any

from quart_schema.openapi import OpenAPIProvider
from werkzeug.routing import AnyConverter, Rule

from draftroom.contracts.errors import ErrorResponse

AUTH_ATTRIBUTE = "draftroom_auth"
"""Set by :func:`draftroom.http.deps.require_user` / ``require_admin`` on their routes."""


_DESCRIPTIONS = {
    400: "The body is not JSON (`malformed_json`) or the request is unreadable",
    401: "No valid access token (`unauthorized`)",
    403: "Not allowed for this user (`forbidden`)",
    404: "No such resource (`not_found`)",
    409: "Conflicts with the current state (`conflict`, draft rule codes)",
    413: "The body is over 1 MiB (`payload_too_large`)",
    422: "Invalid values (`validation_error`, with `details`)",
    429: "Rate limited or locked (`rate_limited`), with `Retry-After`",
    500: "Unexpected failure (`internal_error`), logged with the request id",
    503: "PostgreSQL or Redis unreachable (`service_unavailable`) or the process is "
    "past its capacity (`overloaded`), with `Retry-After`",
}
_REF = {"$ref": "#/components/schemas/ErrorResponse"}


def error_statuses(method: str, operation: dict[str, Any], auth: str | None) -> list[int]:
    """The error statuses an operation can answer."""
    statuses = {401, 500, 503}  # 401: any request may carry a bad or revoked token
    if operation.get("parameters"):
        statuses.add(422)
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        statuses.add(404)
    if method in ("post", "put", "patch", "delete"):
        statuses |= {400, 409, 413, 422, 429}
    if auth is not None:
        statuses |= {403, 429}
    return sorted(statuses)


class DraftroomOpenAPI(OpenAPIProvider):
    """quart-schema's provider plus the error responses and bearer security of each route."""

    def build_paths(self, rule: Rule) -> tuple[dict[str, Any], dict[str, Any]]:
        paths, components = super().build_paths(rule)
        func = self._app.view_functions[rule.endpoint]
        auth = getattr(func, AUTH_ATTRIBUTE, None)
        for operations in paths.values():
            for method, operation in list(operations.items()):
                operation = {**operation, "responses": dict(operation["responses"])}
                for status in error_statuses(method, operation, auth):
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": _DESCRIPTIONS[status],
                            "content": {"application/json": {"schema": _REF}},
                        },
                    )
                if auth is not None and "security" not in operation:
                    operation["security"] = [{"bearer": []}]
                operations[method] = operation
        paths = _expand_any(rule, paths)
        components["ErrorResponse"] = ErrorResponse.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for name, schema in components["ErrorResponse"].pop("$defs", {}).items():
            components[name] = schema
        return paths, components


def _expand_any(rule: Rule, paths: dict[str, Any]) -> dict[str, Any]:
    """``/admin/<any(a, b):kind>`` as the concrete paths ``/admin/a`` and ``/admin/b`` (so
    each path's methods, and its ``Allow``, are documented where they are served)."""
    for name, converter in rule._converters.items():
        if not isinstance(converter, AnyConverter):
            continue
        expanded: dict[str, Any] = {}
        for path, operations in paths.items():
            for item in sorted(converter.items):
                concrete = {method: _fixed(op, name, item) for method, op in operations.items()}
                expanded[path.replace("{" + name + "}", item)] = concrete
        paths = expanded
    return paths


def _fixed(operation: dict[str, Any], parameter: str, value: str) -> dict[str, Any]:
    """``operation`` with ``parameter`` fixed to ``value`` (gone from its parameters)."""
    params = [p for p in operation.get("parameters", []) if p["name"] != parameter]
    out = {**operation, "parameters": params}
    if "operationId" in out:
        out["operationId"] = f"{out['operationId']}_{value}"
    return out
