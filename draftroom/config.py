"""Settings from the environment: the only module that reads ``os.environ``.

``load_settings()`` validates every variable at start and raises :class:`ConfigError`
with a message naming the variable, so a bad deployment fails fast and clearly.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_JOLPICA_BASE_URL = "https://api.jolpi.ca/ergast/f1"
ENVIRONMENTS = ("development", "production", "test")


class ConfigError(ValueError):
    """A configuration variable is missing or invalid."""


@dataclass(frozen=True)
class Settings:
    """Validated process configuration."""

    database_url: str | None
    redis_url: str | None
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path(".data")
    secret_key: str = field(default="", repr=False)
    jolpica_base_url: str = DEFAULT_JOLPICA_BASE_URL
    environment: str = "development"
    admin_username: str | None = None
    admin_password: str | None = field(default=None, repr=False)
    demo: bool = True
    log_level: str = "INFO"
    log_json: bool = False
    """One JSON object per log line (production's default); else readable text lines."""
    access_token_ttl_s: int = 900
    refresh_token_ttl_s: int = 30 * 24 * 3600
    db_pool_size: int = 10
    clock_pool_size: int = 3
    """Connections reserved for the draft clocks (autopicks, lock-time completion)."""
    max_body_bytes: int = 1024 * 1024
    draft_lock_ttl_ms: int = 5000
    proxy_hops: int = 0
    """Reverse proxies in front that append to X-Forwarded-For (0: use the socket peer)."""
    allowed_origins: tuple[str, ...] = ()
    """Browser origins besides the server's own that may open Socket.IO connections."""
    metrics_token: str | None = field(default=None, repr=False)
    """Bearer token ``/metrics`` requires; unset: open in development/test, off in production."""
    smtp_url: str | None = field(default=None, repr=False)
    """Where the worker sends the outbox (``smtp://`` / ``smtps://``); unset: not sent."""
    mail_from: str = "draftroom <noreply@localhost>"
    public_url: str = ""
    """The site's address in mailed links (default ``http://HOST:PORT``)."""
    dev_mailbox: bool = False
    """Serve the outbox at ``/dev/mailbox`` (development only)."""
    stall_trace_ms: int = 0
    """Log the stack of every event-loop stall longer than this (0: off; a diagnostic)."""

    @property
    def site_url(self) -> str:
        """The base URL that mailed links use, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def require_services(self) -> tuple[str, str]:
        """The database and Redis URLs, or a clear error when either is missing."""
        if not self.database_url:
            raise ConfigError("DATABASE_URL is not set (make dev starts an embedded one)")
        if not self.redis_url:
            raise ConfigError("REDIS_URL is not set (make dev starts an embedded one)")
        return self.database_url, self.redis_url

    def with_services(self, database_url: str, redis_url: str) -> Settings:
        """A copy pointing at the given PostgreSQL and Redis."""
        return replace(self, database_url=database_url, redis_url=redis_url)


def _int(env: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if not lo <= value <= hi:
        raise ConfigError(f"{name} must be between {lo} and {hi}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 0/1/true/false, got {raw!r}")


REDIS_SCHEMES = ("redis", "rediss", "unix")


def _url(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    raw = env.get(name)
    if not raw:
        return None
    if urlparse(raw).scheme not in schemes:
        raise ConfigError(f"{name} must start with one of {', '.join(schemes)}://, got {raw!r}")
    return raw


def _origins(env: Mapping[str, str]) -> tuple[str, ...]:
    origins = tuple(
        o.strip().rstrip("/") for o in env.get("DRAFTROOM_ALLOWED_ORIGINS", "").split(",")
    )
    for origin in (o for o in origins if o):
        parsed = urlparse(origin)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.path:
            raise ConfigError(
                f"DRAFTROOM_ALLOWED_ORIGINS holds scheme://host[:port] origins, got {origin!r}"
            )
    return tuple(o for o in origins if o)


def _metrics_token(env: Mapping[str, str]) -> str | None:
    token = env.get("DRAFTROOM_METRICS_TOKEN") or None
    if token is not None and len(token) < 16:
        raise ConfigError("DRAFTROOM_METRICS_TOKEN must be at least 16 characters")
    return token


def _secret_key(env: Mapping[str, str], environment: str, data_dir: Path) -> str:
    key = env.get("DRAFTROOM_SECRET_KEY", "")
    if key:
        if len(key.encode()) < 32:
            raise ConfigError("DRAFTROOM_SECRET_KEY must be at least 32 bytes")
        return key
    if environment == "production":
        raise ConfigError("DRAFTROOM_SECRET_KEY must be set in production")
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the configuration from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    environment = env.get("DRAFTROOM_ENV", "development")
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"DRAFTROOM_ENV must be one of {ENVIRONMENTS}, got {environment!r}")
    data_dir = Path(env.get("DRAFTROOM_DATA_DIR") or ".data")
    log_level = env.get("DRAFTROOM_LOG_LEVEL", "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"DRAFTROOM_LOG_LEVEL must be DEBUG/INFO/WARNING/ERROR, got {log_level}")
    log_format = env.get("DRAFTROOM_LOG_FORMAT") or (
        "json" if environment == "production" else "text"
    )
    if log_format not in ("json", "text"):
        raise ConfigError(f"DRAFTROOM_LOG_FORMAT must be json or text, got {log_format!r}")
    admin_username = env.get("DRAFTROOM_ADMIN_USERNAME") or None
    admin_password = env.get("DRAFTROOM_ADMIN_PASSWORD") or None
    if bool(admin_username) != bool(admin_password):
        raise ConfigError("DRAFTROOM_ADMIN_USERNAME and DRAFTROOM_ADMIN_PASSWORD go together")
    jolpica = _url(env, "JOLPICA_BASE_URL", ("http", "https")) or DEFAULT_JOLPICA_BASE_URL
    smtp_url = _url(env, "DRAFTROOM_SMTP_URL", ("smtp", "smtps"))
    dev_mailbox = _bool(env, "DRAFTROOM_DEV_MAILBOX", environment == "development" and not smtp_url)
    if dev_mailbox and environment == "production":
        raise ConfigError("DRAFTROOM_DEV_MAILBOX must not be on in production")
    return Settings(
        database_url=_url(env, "DATABASE_URL", ("postgres", "postgresql")),
        redis_url=_url(env, "REDIS_URL", REDIS_SCHEMES),
        host=env.get("DRAFTROOM_HOST") or "127.0.0.1",
        port=_int(env, "DRAFTROOM_PORT", 8000, 0, 65535),
        data_dir=data_dir,
        secret_key=_secret_key(env, environment, data_dir),
        jolpica_base_url=jolpica.rstrip("/"),
        environment=environment,
        admin_username=admin_username,
        admin_password=admin_password,
        demo=_bool(env, "DRAFTROOM_DEMO", True),
        log_level=log_level,
        log_json=log_format == "json",
        access_token_ttl_s=_int(env, "DRAFTROOM_ACCESS_TOKEN_TTL", 900, 10, 86400),
        refresh_token_ttl_s=_int(env, "DRAFTROOM_REFRESH_TOKEN_TTL", 30 * 86400, 60, 365 * 86400),
        db_pool_size=_int(env, "DRAFTROOM_DB_POOL_SIZE", 10, 1, 200),
        clock_pool_size=_int(env, "DRAFTROOM_CLOCK_POOL_SIZE", 3, 1, 50),
        draft_lock_ttl_ms=_int(env, "DRAFTROOM_DRAFT_LOCK_TTL_MS", 5000, 500, 60000),
        proxy_hops=_int(env, "DRAFTROOM_PROXY_HOPS", 0, 0, 10),
        allowed_origins=_origins(env),
        metrics_token=_metrics_token(env),
        smtp_url=smtp_url,
        mail_from=env.get("DRAFTROOM_MAIL_FROM") or "draftroom <noreply@localhost>",
        public_url=_url(env, "DRAFTROOM_PUBLIC_URL", ("http", "https")) or "",
        dev_mailbox=dev_mailbox,
        stall_trace_ms=_int(env, "DRAFTROOM_STALL_TRACE_MS", 0, 0, 60000),
    )


def queue_target(env: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """``(DRAFTROOM_ENV, REDIS_URL)``: what the taskiq broker, built at import, needs. Reads
    the environment only (no secret key, no file), unlike :func:`load_settings`."""
    env = os.environ if env is None else env
    return env.get("DRAFTROOM_ENV", "development"), _url(env, "REDIS_URL", REDIS_SCHEMES)


def database_url_from_env() -> str:
    """DATABASE_URL for piccolo_conf, which is imported before settings are loaded."""
    return os.environ.get("DATABASE_URL", "")


PICCOLO_CONF_MODULE = "draftroom.db.piccolo_conf"


def export_piccolo_conf() -> None:
    """Point Piccolo's engine finder (migrations, CLI) at our configuration module."""
    os.environ.setdefault("PICCOLO_CONF", PICCOLO_CONF_MODULE)


def child_environment(overrides: Mapping[str, str]) -> dict[str, str]:
    """This process's environment with ``overrides``, for the processes `make dev` starts."""
    env = dict(os.environ)
    env.update(overrides)
    return env
