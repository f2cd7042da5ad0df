"""The REST blueprints mounted under ``/api/v1``, imported (so readers and tools see them).

Add a blueprint here to mount it; nothing else registers API routes.
"""

from __future__ import annotations

from quart import Blueprint

from draftroom.http import (
    admin,
    admin_results,
    auth,
    chat,
    demo,
    drafts,
    leaderboards,
    leagues,
    mock_drafts,
    notifications,
    password,
    reference,
    results,
    standings,
    users,
)

API_PREFIX = "/api/v1"

API_BLUEPRINTS: tuple[Blueprint, ...] = (
    auth.blueprint,
    password.blueprint,
    users.blueprint,
    reference.blueprint,
    leagues.blueprint,
    demo.blueprint,
    drafts.blueprint,
    chat.blueprint,
    admin.blueprint,
    results.blueprint,
    standings.blueprint,
    leaderboards.blueprint,
    mock_drafts.blueprint,
    notifications.blueprint,
    admin_results.blueprint,
)
