"""Logging of every draftroom process: one format per mode, with the request id.

``DRAFTROOM_LOG_FORMAT`` picks it (:attr:`draftroom.config.Settings.log_json`): JSON lines
in production (:class:`JsonFormatter`), readable text lines elsewhere, e.g. ``make dev``
(:class:`TextFormatter`). The web process, the worker and the scheduler all call
:func:`setup_logging`, and libraries' own handlers are folded into it (hypercorn, taskiq),
so each line is written once, in that one format.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

_RESERVED = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}

QUIET = {
    "hypercorn.access": "WARNING",
    "engineio.server": "WARNING",
    "socketio.server": "WARNING",
    "httpx": "WARNING",
    # taskiq's start-up chatter and the scheduler's "Sending task" (the worker's "Executing
    # task" line says it once)
    "taskiq.worker": "WARNING",
    "taskiq.process-manager": "WARNING",
    "taskiq.cli.scheduler.run": "WARNING",
}
"""Loggers that only say what another line already says, at their level."""


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    """The ``extra=`` fields of a record, plus the current request id."""
    fields: dict[str, Any] = {}
    request_id = request_id_var.get()
    if request_id:
        fields["request_id"] = request_id
    for key, value in record.__dict__.items():
        if key not in _RESERVED and not key.startswith("_"):
            fields[key] = value if isinstance(value, str | int | float | bool) else repr(value)
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            **_extras(record),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """``16:08:26 INFO    draftroom.asgi: web process ready port=8123`` (UTC time)."""

    def format(self, record: logging.LogRecord) -> str:
        when = time.strftime("%H:%M:%S", time.gmtime(record.created))
        fields = " ".join(f"{key}={value}" for key, value in _extras(record).items())
        line = f"{when} {record.levelname:<7} {record.name}: {record.getMessage()}"
        line = f"{line} {fields}" if fields else line
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line


def setup_logging(level: str = "INFO", *, json_lines: bool = True) -> None:
    """Send every log record to stderr, as JSON lines or readable text lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, quiet_level in QUIET.items():
        logging.getLogger(name).setLevel(quiet_level)
