"""The REST blueprints mounted under ``/api/v1``: each module defines ``blueprint``.

Add a module here to mount it; nothing else registers routes.
"""

API_PREFIX = "/api/v1"

API_BLUEPRINT_MODULES: list[str] = [
    "draftroom.http.auth",
    "draftroom.http.password",
    "draftroom.http.users",
    "draftroom.http.reference",
    "draftroom.http.leagues",
    "draftroom.http.demo",
    "draftroom.http.drafts",
    "draftroom.http.chat",
    "draftroom.http.admin",
    "draftroom.http.results",
    "draftroom.http.standings",
    "draftroom.http.leaderboards",
    "draftroom.http.mock_drafts",
    "draftroom.http.notifications",
    "draftroom.http.admin_results",
]
