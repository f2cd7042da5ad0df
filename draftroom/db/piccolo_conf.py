"""Piccolo configuration module (PICCOLO_CONF points here): our engine and app registry."""

from piccolo.conf.apps import AppRegistry

from draftroom.db.engine import DB

__all__ = ["APP_REGISTRY", "DB"]

APP_REGISTRY = AppRegistry(apps=["draftroom.db.piccolo_app"])
