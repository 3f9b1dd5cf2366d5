"""Production settings: pool, timeouts, proxies, log level."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from hrms.core.ops import engine_options
from hrms.extensions import db
from hrms.settings import Settings, SettingsError
from tests.ops.support import own_app


@pytest.fixture(autouse=True)
def _transaction() -> Iterator[None]:
    """No shared database here (see tests/ops/test_faults.py)."""
    yield


def load(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env(env, tmp_path)


def test_defaults(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert (settings.db_pool_size, settings.db_max_overflow) == (5, 10)
    assert settings.db_connect_timeout == 5
    assert settings.proxy_count == 0
    assert settings.log_level == "INFO"


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("HRMS_DB_POOL_SIZE", "0", "between 1 and 100"),
        ("HRMS_DB_CONNECT_TIMEOUT", "soon", "whole number"),
        ("HRMS_PROXY_COUNT", "9", "between 0 and 5"),
        ("HRMS_LOG_LEVEL", "chatty", "one of DEBUG, INFO, WARNING, ERROR"),
    ],
)
def test_bad_values_stop_the_app(tmp_path: Path, name: str, value: str, problem: str) -> None:
    with pytest.raises(SettingsError, match=problem) as raised:
        load(tmp_path, **{name: value})
    assert raised.value.name == name


def test_postgresql_gets_a_pinged_pool_and_a_connect_timeout(tmp_path: Path) -> None:
    settings = load(
        tmp_path,
        HRMS_DATABASE_URL="postgresql://hrms:pw@db.example/hrms",
        HRMS_DB_POOL_SIZE="7",
        HRMS_DB_CONNECT_TIMEOUT="3",
    )
    options = engine_options(settings)
    assert options["pool_pre_ping"] is True
    assert options["pool_size"] == 7
    assert options["connect_args"]["connect_timeout"] == 3
    assert options["connect_args"]["options"] == "-c plan_cache_mode=force_custom_plan"
    sqlite = engine_options(load(tmp_path))
    assert sqlite == {"pool_pre_ping": True}


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(tmp_path: Path) -> None:
    from flask import request

    from hrms.core.security import public

    seen: dict[str, str] = {}

    @public
    def whoami() -> str:
        seen["addr"] = request.remote_addr or ""
        seen["scheme"] = request.scheme
        return "ok"

    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    with own_app(tmp_path / "direct") as direct:
        direct.add_url_rule("/whoami", "whoami", whoami)
        direct.test_client().get("/whoami", headers=headers)
    assert seen == {"addr": "127.0.0.1", "scheme": "http"}  # not believed without a proxy
    with own_app(tmp_path / "proxied", environment={"HRMS_PROXY_COUNT": "1"}) as proxied:
        proxied.add_url_rule("/whoami", "whoami", whoami)
        proxied.test_client().get("/whoami", headers=headers)
    assert seen == {"addr": "203.0.113.7", "scheme": "https"}


def test_postgresql_plans_each_statement_for_its_values(app: Flask) -> None:
    """Repeated statements are prepared by psycopg; their plans must still follow the values
    (a generic plan read a province's staff for a three-month window of raises)."""
    with app.app_context():
        if db.session.get_bind().dialect.name != "postgresql":
            pytest.skip("plan_cache_mode exists only on PostgreSQL")
        assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
        db.session.rollback()
