"""Piccolo CLI configuration (``piccolo migrations ...``): the engine gets DATABASE_URL."""

from draftroom.config import database_url_from_env
from draftroom.db.engine import configure
from draftroom.db.piccolo_conf import APP_REGISTRY, DB

configure(database_url_from_env())

__all__ = ["APP_REGISTRY", "DB"]
