"""``draftroom worker`` / ``draftroom scheduler``: draftroom's logging, then taskiq's CLI.

``python -m draftroom.tasks.launch worker|scheduler ARGS...`` sets up logging from the
settings (:func:`draftroom.logs.setup_logging`) and runs ``taskiq ARGS`` with
``--no-configure-logging``, so the worker's and scheduler's lines have the web process's
format (worker processes are forked and keep it).
"""

from __future__ import annotations

import sys

from taskiq.__main__ import main as taskiq_main

from draftroom.config import load_settings
from draftroom.logs import setup_logging


def main(argv: list[str]) -> None:
    """Run ``taskiq argv...`` with draftroom's logging."""
    settings = load_settings()
    setup_logging(settings.log_level, json_lines=settings.log_json)
    sys.argv = ["taskiq", *argv, "--no-configure-logging"]
    taskiq_main()


if __name__ == "__main__":
    main(sys.argv[1:])
