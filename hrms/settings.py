"""Typed settings read from the environment once, at start; a bad value stops the app."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DEMO_PASSWORD = "Demo@HRMS-2026"  # noqa: S105 - public demo default, documented in README
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
MIN_SECRET_KEY_LENGTH = 32
SUPPORTED_DATABASES = ("sqlite", "postgresql")
HOSTNAME_RE = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$")


class SettingsError(SystemExit):
    """A bad setting: uncaught, it ends the process printing its one-line message."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"Configuration error: {name} {problem}")
        self.name = name


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    secret_key: str
    host: str
    port: int
    demo_password: str
    login_max_failures: int
    login_lock_minutes: int
    password_min_length: int
    session_cookie_secure: bool
    api_token_hours: int
    sign_in_rate_limit: str
    storage_path: Path
    max_upload_mb: int
    #: PostgreSQL connection pool of each worker process (pre-pinged, recycled)
    db_pool_size: int = 5
    db_max_overflow: int = 10
    #: seconds to wait for a database connection before answering 503
    db_connect_timeout: int = 5
    #: trusted reverse proxies in front (nginx: 1) whose X-Forwarded-* headers are believed
    proxy_count: int = 0
    #: level of the application's log (one line per request at INFO)
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], default_instance_path: Path) -> Settings:
        instance_path = Path(environ.get("HRMS_INSTANCE_PATH") or default_instance_path)
        return cls(
            instance_path=instance_path,
            database_url=_database_url(environ, instance_path),
            secret_key=_secret_key(environ, instance_path),
            host=_host(environ.get("HOST", "127.0.0.1")),
            port=_int(environ, "PORT", 5000, 1, 65535),
            demo_password=_demo_password(environ),
            login_max_failures=_int(environ, "HRMS_LOGIN_MAX_FAILURES", 10, 1, 1000),
            login_lock_minutes=_int(environ, "HRMS_LOGIN_LOCK_MINUTES", 15, 1, 7 * 24 * 60),
            password_min_length=_int(environ, "HRMS_PASSWORD_MIN_LENGTH", 10, 8, 128),
            session_cookie_secure=_bool(environ, "HRMS_SESSION_COOKIE_SECURE", False),
            api_token_hours=_int(environ, "HRMS_API_TOKEN_HOURS", 12, 1, 24 * 30),
            sign_in_rate_limit=_rate(environ, "HRMS_SIGN_IN_RATE_LIMIT", "10 per minute"),
            storage_path=Path(environ.get("HRMS_STORAGE_PATH") or instance_path / "files"),
            max_upload_mb=_int(environ, "HRMS_MAX_UPLOAD_MB", 10, 1, 200),
            db_pool_size=_int(environ, "HRMS_DB_POOL_SIZE", 5, 1, 100),
            db_max_overflow=_int(environ, "HRMS_DB_MAX_OVERFLOW", 10, 0, 100),
            db_connect_timeout=_int(environ, "HRMS_DB_CONNECT_TIMEOUT", 5, 1, 60),
            proxy_count=_int(environ, "HRMS_PROXY_COUNT", 0, 0, 5),
            log_level=_log_level(environ),
        )


def _database_url(environ: Mapping[str, str], instance_path: Path) -> str:
    raw = environ.get("HRMS_DATABASE_URL")
    if not raw:
        return f"sqlite:///{instance_path / 'hrms.sqlite3'}"
    try:
        url = make_url(raw)
    except ArgumentError:
        raise SettingsError("HRMS_DATABASE_URL", "is not a database URL") from None
    if url.get_backend_name() not in SUPPORTED_DATABASES:
        raise SettingsError(
            "HRMS_DATABASE_URL", f"must be sqlite or postgresql, not {url.get_backend_name()}"
        )
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        # psycopg 3 is the driver we install; a bare postgresql:// would look for psycopg2
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return raw


def _secret_key(environ: Mapping[str, str], instance_path: Path) -> str:
    given = environ.get("HRMS_SECRET_KEY")
    if given is not None:
        if len(given) < MIN_SECRET_KEY_LENGTH:
            raise SettingsError(
                "HRMS_SECRET_KEY", f"must be at least {MIN_SECRET_KEY_LENGTH} characters long"
            )
        return given
    key_file = instance_path / SECRET_KEY_FILE
    if key_file.exists():
        key = key_file.read_text().strip()
        if len(key) < MIN_SECRET_KEY_LENGTH:
            raise SettingsError("HRMS_SECRET_KEY", f"file {key_file} holds a key that is too short")
        return key
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # create with 0600 so other local users cannot read the key that signs sessions
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _host(value: str) -> str:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        if not HOSTNAME_RE.match(value):
            raise SettingsError("HOST", f"is not an IP address or host name: {value!r}") from None
    return value


def _int(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(name, f"must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(name, f"must be between {low} and {high}, not {value}")
    return value


def _bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(name, f"must be true or false, not {raw!r}")


def _rate(environ: Mapping[str, str], name: str, default: str) -> str:
    value = environ.get(name) or default
    try:
        parse_many(value)
    except ValueError:
        raise SettingsError(name, f"is not a rate such as '10 per minute', not {value!r}") from None
    return value


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _log_level(environ: Mapping[str, str]) -> str:
    value = (environ.get("HRMS_LOG_LEVEL") or "INFO").strip().upper()
    if value not in LOG_LEVELS:
        raise SettingsError("HRMS_LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}")
    return value


def _demo_password(environ: Mapping[str, str]) -> str:
    value = environ.get("HRMS_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    if len(value) < 8:
        raise SettingsError("HRMS_DEMO_PASSWORD", "must be at least 8 characters long")
    return value


def current_settings() -> Settings:
    """The settings of the running app."""
    from flask import current_app

    settings: Settings = current_app.config["HRMS_SETTINGS"]
    return settings
