"""Settings are read from the environment and a bad value stops the app with one line."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from hrms.settings import DEFAULT_DEMO_PASSWORD, Settings, SettingsError


def load(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env(env, tmp_path)


def test_defaults(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'hrms.sqlite3'}"
    assert (settings.host, settings.port) == ("127.0.0.1", 5000)
    assert settings.demo_password == DEFAULT_DEMO_PASSWORD
    assert (settings.login_max_failures, settings.login_lock_minutes) == (10, 15)
    assert settings.session_cookie_secure is False


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    first = load(tmp_path).secret_key
    key_file = tmp_path / "secret_key"
    assert key_file.read_text() == first
    assert len(first) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load(tmp_path).secret_key == first
    other = tmp_path / "other"
    assert load(other).secret_key != first


def test_given_secret_key_is_used(tmp_path: Path) -> None:
    key = "k" * 40
    assert load(tmp_path, HRMS_SECRET_KEY=key).secret_key == key
    assert not (tmp_path / "secret_key").exists()


def test_bare_postgresql_url_uses_psycopg3(tmp_path: Path) -> None:
    url = load(tmp_path, HRMS_DATABASE_URL="postgresql://u:p@db/hrms").database_url
    assert url == "postgresql+psycopg://u:p@db/hrms"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "abc"}, "PORT must be a whole number, not 'abc'"),
        ({"PORT": "0"}, "PORT must be between 1 and 65535, not 0"),
        ({"PORT": "70000"}, "PORT must be between 1 and 65535, not 70000"),
        ({"HOST": "not a host!"}, "HOST is not an IP address or host name: 'not a host!'"),
        (
            {"HRMS_DATABASE_URL": "mysql://x/y"},
            "HRMS_DATABASE_URL must be sqlite or postgresql, not mysql",
        ),
        ({"HRMS_DATABASE_URL": "::nonsense::"}, "HRMS_DATABASE_URL is not a database URL"),
        ({"HRMS_SECRET_KEY": "short"}, "HRMS_SECRET_KEY must be at least 32 characters long"),
        ({"HRMS_DEMO_PASSWORD": "abc"}, "HRMS_DEMO_PASSWORD must be at least 8 characters long"),
        (
            {"HRMS_LOGIN_MAX_FAILURES": "0"},
            "HRMS_LOGIN_MAX_FAILURES must be between 1 and 1000, not 0",
        ),
        (
            {"HRMS_SESSION_COOKIE_SECURE": "maybe"},
            "HRMS_SESSION_COOKIE_SECURE must be true or false, not 'maybe'",
        ),
    ],
)
def test_bad_values_stop_with_one_line(tmp_path: Path, env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load(tmp_path, **env)
    text = str(raised.value)
    assert text == f"Configuration error: {message}"
    assert "\n" not in text
    assert isinstance(raised.value, SystemExit)  # uncaught, it ends the process with that line


def test_app_refuses_to_start_on_a_bad_value(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from hrms.app import create_app

    monkeypatch.setenv("HRMS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PORT", "http")
    with pytest.raises(SettingsError, match="PORT must be a whole number"):
        create_app()
