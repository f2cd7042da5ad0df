"""Every REST response checked against the model its route documents (issue 14, item 7).

The documented models are read from the app itself: quart-schema keeps them on the view
function (``document_response``/``validate_response`` -> ``{status: (model, headers)}``),
the same table ``/openapi.json`` is built from. A response of ``/api/v1`` is checked with
pydantic in strict mode, and a key that its model does not declare is drift too. A 2xx JSON
response of a route that documents no model for that status fails; an error (>= 400) must
be the shared ``ErrorResponse``.

``check_response`` is an httpx response hook: the ``http`` fixture and
:func:`checked_client` install it, so every test that talks to the API checks every answer.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin

import httpx
from pydantic import BaseModel, RootModel, TypeAdapter, ValidationError
from quart import Quart
from typing_extensions import get_type_hints, is_typeddict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter

from draftroom.contracts.chat import ChatDeletedOut, ChatMessageOut
from draftroom.contracts.drafts import DRAFT_EVENTS, DraftSnapshot, QueueOut
from draftroom.contracts.errors import ErrorResponse
from draftroom.contracts.notifications import NotificationOut
from draftroom.http.routes import API_PREFIX
from draftroom.realtime.league_actions import EVENTS

RESPONSE_SCHEMAS = "_quart_schema_response_schemas"
"""Where quart-schema keeps a view's documented responses (its QUART_SCHEMA_RESPONSE_ATTRIBUTE)."""


class ContractViolation(AssertionError):
    """A response that is not what its route documents."""


@dataclasses.dataclass(frozen=True)
class Routes:
    """The routes of an app and the response models each documents."""

    urls: MapAdapter
    views: Mapping[str, Any]

    @classmethod
    def of(cls, app: Quart) -> Routes:
        return cls(urls=app.url_map.bind("localhost"), views=app.view_functions)

    def documented(self, method: str, path: str) -> dict[int, Any] | None:
        """``{status: model}`` of the route serving ``method path`` (None: no route)."""
        try:
            endpoint, _ = self.urls.match(path, method=method)
        except HTTPException:
            return None
        view = self.views[endpoint]
        return {status: model for status, (model, _) in getattr(view, RESPONSE_SCHEMAS, {}).items()}


@functools.cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def check_body(model: Any, content: bytes, where: str = "body") -> None:
    """Raise :class:`ContractViolation` unless ``content`` (JSON) is exactly ``model``: valid
    in pydantic's strict mode and with no key that the model does not declare."""
    try:
        _adapter(model).validate_json(content, strict=True)
    except ValidationError as error:
        raise ContractViolation(f"{where} is not {_name(model)}: {error}") from None
    body = json.loads(content)
    extra = undeclared_keys(model, body)
    if extra:
        raise ContractViolation(f"{where} has keys {_name(model)} does not declare: {extra}")


def check(routes: Routes, method: str, path: str, status: int, content: bytes) -> None:
    """Check one JSON response of ``method path`` against what its route documents."""
    where = f"{method} {path} -> {status}"
    if status >= 400:
        check_body(ErrorResponse, content, where)
        return
    documented = routes.documented(method, path)
    if documented is None or status not in documented:
        raise ContractViolation(f"{where}: the route documents no model for {status}")
    check_body(documented[status], content, where)


@functools.cache
def app_routes() -> Routes:
    """The routes of the app as the tests serve it (built once, without I/O)."""
    from draftroom.config import load_settings
    from draftroom.coordination.redis import connect
    from draftroom.http.app import create_quart_app
    from draftroom.services.notifier import RecordingNotifier
    from draftroom.services.runtime import Runtime

    settings = dataclasses.replace(load_settings(), dev_mailbox=False)
    redis_url = settings.redis_url or "redis://localhost:6379/0"
    rt = Runtime(settings=settings, redis=connect(redis_url), notifier=RecordingNotifier())
    return Routes.of(create_quart_app(rt))


async def check_response(response: httpx.Response) -> None:
    """httpx response hook: check a JSON answer of ``/api/v1`` against its documentation."""
    path = response.request.url.path
    if not path.startswith(API_PREFIX + "/") and path != API_PREFIX:
        return
    if response.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        if 200 <= response.status_code < 300 and response.status_code != 204:
            documented = app_routes().documented(response.request.method, path) or {}
            if response.status_code in documented:
                raise ContractViolation(
                    f"{response.request.method} {path} -> {response.status_code} documents "
                    f"a JSON model but answered {response.headers.get('content-type')!r}"
                )
        return
    await response.aread()
    check(app_routes(), response.request.method, path, response.status_code, response.content)


def checked_client(**kwargs: Any) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` whose answers from ``/api/v1`` are checked."""
    hooks = dict(kwargs.pop("event_hooks", None) or {})
    hooks["response"] = [*hooks.get("response", []), check_response]
    return httpx.AsyncClient(event_hooks=hooks, **kwargs)


SOCKET_EVENTS: dict[str, Any] = {
    "draft:state": DraftSnapshot | None,
    "queue": QueueOut,
    "chat": ChatMessageOut,
    "chat:deleted": ChatDeletedOut,
    "notification": NotificationOut,
    **DRAFT_EVENTS,
}
"""Server -> client Socket.IO events whose payload is a contract type (as REST's)."""


def check_ack(event: str, ack: Any) -> None:
    """Raise :class:`ContractViolation` unless a client event's ack is ``{ok: true}`` plus
    the result type its registration declares (``league_actions.EVENTS``), or ``{ok: false,
    error}`` with the shared error body."""
    if not isinstance(ack, dict):
        raise ContractViolation(f"the ack of {event!r} is not an object: {ack!r}")
    rest = json.dumps({key: value for key, value in ack.items() if key != "ok"}).encode()
    if ack.get("ok") is False:
        check_body(ErrorResponse, rest, f"the error ack of {event!r}")
    elif ack.get("ok") is True and event in EVENTS:
        check_body(EVENTS[event].result, rest, f"the ack of {event!r}")
    elif ack.get("ok") is not True:
        raise ContractViolation(f"the ack of {event!r} has no boolean ok: {ack!r}")


def check_event(event: str, data: Any) -> None:
    """Raise :class:`ContractViolation` unless a received event's payload is its type."""
    model = SOCKET_EVENTS.get(event)
    if model is not None:
        check_body(model, json.dumps(data).encode(), f"event {event!r}")


def undeclared_keys(model: Any, value: Any, where: str = "body") -> list[str]:
    """Paths of the keys in ``value`` that ``model`` (a pydantic model, TypedDict, dataclass
    or a container/union of them) does not declare."""
    origin = get_origin(model)
    args = get_args(model)
    if model is Any or value is None:
        return []
    if origin is typing.Annotated:
        return undeclared_keys(args[0], value, where)
    if origin is Union or origin is types.UnionType:
        return _best_member(args, value, where)
    if origin is Literal:
        return []
    if origin in (list, tuple, set, frozenset) and isinstance(value, list):
        items = args[0] if args else Any
        found: list[str] = []
        for index, item in enumerate(value):
            item_model = args[index] if origin is tuple and args and args[-1] is not ... else items
            found += undeclared_keys(item_model, item, f"{where}[{index}]")
        return found
    if origin in (dict, Mapping) and isinstance(value, dict):
        values = args[1] if len(args) == 2 else Any
        return [k for key, v in value.items() for k in undeclared_keys(values, v, f"{where}.{key}")]
    if isinstance(model, type) and issubclass(model, RootModel):
        return undeclared_keys(model.model_fields["root"].annotation, value, where)
    fields = _fields(model)
    if fields is None or not isinstance(value, dict):
        return []
    found = [f"{where}.{key}" for key in value if key not in fields]
    for key, field_model in fields.items():
        if key in value:
            found += undeclared_keys(field_model, value[key], f"{where}.{key}")
    return found


def _best_member(members: tuple[Any, ...], value: Any, where: str) -> list[str]:
    """The undeclared keys under the union member that fits ``value`` best."""
    candidates = [m for m in members if m is not type(None)]
    fitting = [m for m in candidates if _fits(m, value)] or candidates
    return min((undeclared_keys(m, value, where) for m in fitting), key=len, default=[])


def _fits(model: Any, value: Any) -> bool:
    try:
        _adapter(model).validate_python(value)
    except ValidationError:
        return False
    return True


def _fields(model: Any) -> dict[str, Any] | None:
    """The declared keys of ``model`` and their types (None: not a keyed record type)."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        return {(f.alias or name): f.annotation for name, f in model.model_fields.items()}
    if is_typeddict(model):
        return dict(get_type_hints(model, include_extras=True))
    if dataclasses.is_dataclass(model) and isinstance(model, type):
        hints = get_type_hints(model, include_extras=True)
        return {f.name: hints[f.name] for f in dataclasses.fields(model)}
    return None


def _name(model: Any) -> str:
    if get_origin(model) is not None:
        return repr(model)
    return getattr(model, "__name__", None) or repr(model)
