"""The Piccolo app: our tables and the migrations folder at the repository root."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from draftroom.db.tables import ALL_TABLES

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "piccolo_migrations"

APP_CONFIG = AppConfig(
    app_name="draftroom",
    migrations_folder_path=str(MIGRATIONS_DIR),
    table_classes=list(ALL_TABLES),
    migration_dependencies=[],
    commands=[],
)
