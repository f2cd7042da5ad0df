"""Configuration is validated at start with a message naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from draftroom.config import ConfigError, load_settings

KEY = "k" * 40


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"DRAFTROOM_DATA_DIR": str(tmp_path), "DRAFTROOM_SECRET_KEY": KEY, **extra}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"DRAFTROOM_PORT": "eighty"}, "DRAFTROOM_PORT must be an integer"),
        ({"DRAFTROOM_PORT": "70000"}, "DRAFTROOM_PORT must be between"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL must start with"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL must start with"),
        ({"JOLPICA_BASE_URL": "ftp://x"}, "JOLPICA_BASE_URL must start with"),
        ({"DRAFTROOM_DEMO": "maybe"}, "DRAFTROOM_DEMO must be"),
        ({"DRAFTROOM_ENV": "staging"}, "DRAFTROOM_ENV must be one of"),
        ({"DRAFTROOM_SECRET_KEY": "short"}, "at least 32 bytes"),
        ({"DRAFTROOM_ADMIN_USERNAME": "root"}, "go together"),
        ({"DRAFTROOM_LOG_LEVEL": "LOUD"}, "DRAFTROOM_LOG_LEVEL"),
        ({"DRAFTROOM_LOG_FORMAT": "xml"}, "DRAFTROOM_LOG_FORMAT must be json or text"),
    ],
)
def test_bad_values_are_refused_by_name(
    tmp_path: Path, extra: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(_env(tmp_path, **extra))


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings(_env(tmp_path))
    assert (settings.host, settings.port, settings.demo) == ("127.0.0.1", 8000, True)
    assert settings.jolpica_base_url == "https://api.jolpi.ca/ergast/f1"
    assert settings.database_url is None and settings.redis_url is None


def test_development_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_settings({"DRAFTROOM_DATA_DIR": str(tmp_path)}).secret_key
    second = load_settings({"DRAFTROOM_DATA_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_requires_a_secret(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="must be set in production"):
        load_settings({"DRAFTROOM_DATA_DIR": str(tmp_path), "DRAFTROOM_ENV": "production"})


def test_missing_services_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL is not set"):
        load_settings(_env(tmp_path)).require_services()


@pytest.mark.parametrize(
    ("extra", "log_json"),
    [
        ({}, False),  # make dev: readable lines
        ({"DRAFTROOM_ENV": "production"}, True),
        ({"DRAFTROOM_ENV": "production", "DRAFTROOM_LOG_FORMAT": "text"}, False),
        ({"DRAFTROOM_LOG_FORMAT": "json"}, True),
    ],
)
def test_one_log_format_per_mode(tmp_path: Path, extra: dict[str, str], log_json: bool) -> None:
    assert load_settings(_env(tmp_path, **extra)).log_json is log_json
