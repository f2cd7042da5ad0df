"""Bounds of the integers clients send: PostgreSQL ``integer`` columns hold int32, so a
larger id names nothing (404 in a path) and a larger query value is invalid (422)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, PathConverter

INT32_MAX = 2**31 - 1

Int32 = Annotated[int, Field(ge=-INT32_MAX - 1, le=INT32_MAX)]
"""Any value stored in an ``integer`` column (a season, a sequence number)."""

Page = Annotated[int, Field(ge=1, le=INT32_MAX)]
PerPage = Annotated[
    int, Field(ge=1, le=INT32_MAX, description="at most 200 (larger values are capped)")
]


class DbIdConverter(IntegerConverter):
    """``<int:...>`` in a route: an id past int32 is answered 404 (no such resource), not
    sent to PostgreSQL (where it would fail)."""

    def to_python(self, value: str) -> Any:
        number = super().to_python(value)
        if number > INT32_MAX:
            raise NotFound()
        return number


class StaticPathConverter(PathConverter):
    """The browser client's files: any path but the API's and the server's own (so a
    wrong method on an API path is 405 with an accurate ``Allow``, not the client's 404)."""

    regex = r"(?!api/|openapi\.json$|health$|metrics$|docs$)[^/].*?"
