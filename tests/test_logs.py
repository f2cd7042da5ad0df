"""One log format per mode: JSON lines in production, readable text lines elsewhere."""

from __future__ import annotations

import json
import logging

import pytest

from draftroom.logs import JsonFormatter, TextFormatter, request_id_var, setup_logging


def record(**extra: object) -> logging.LogRecord:
    return logging.makeLogRecord(
        {"name": "draftroom.asgi", "levelname": "INFO", "levelno": 20, "msg": "web %s",
         "args": ("ready",), "created": 1_796_314_106.25, "msecs": 250.0, **extra}
    )  # fmt: skip


def test_text_lines_are_readable() -> None:
    line = TextFormatter().format(record(port=8123))
    assert line.endswith("INFO    draftroom.asgi: web ready port=8123")
    assert line[:8].count(":") == 2  # HH:MM:SS first
    assert "{" not in line


def test_json_lines_carry_the_same_fields() -> None:
    token = request_id_var.set("r-1")
    try:
        entry = json.loads(JsonFormatter().format(record(port=8123)))
    finally:
        request_id_var.reset(token)
    assert entry["msg"] == "web ready" and entry["logger"] == "draftroom.asgi"
    assert (entry["port"], entry["request_id"], entry["level"]) == (8123, "r-1", "INFO")
    assert entry["ts"].endswith(".250Z")


@pytest.mark.parametrize(("json_lines", "kind"), [(True, JsonFormatter), (False, TextFormatter)])
def test_setup_installs_one_handler_of_the_mode(json_lines: bool, kind: type) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("INFO", json_lines=json_lines)
        assert len(root.handlers) == 1 and isinstance(root.handlers[0].formatter, kind)
        # the scheduler's "Sending task" would repeat the worker's "Executing task"
        assert logging.getLogger("taskiq.cli.scheduler.run").level == logging.WARNING
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
