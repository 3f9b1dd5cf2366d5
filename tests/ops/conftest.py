"""Fixtures of the operations tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.ops.support import migrate_and_add_admin, own_app


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated to head with one administrator (``chief``), made once: tests
    copy it (migrating takes seconds)."""
    folder = tmp_path_factory.mktemp("template")
    with own_app(folder, f"sqlite:///{folder / 'template.sqlite3'}") as app:
        migrate_and_add_admin(app)
    return folder / "template.sqlite3"


@pytest.fixture
def migrated_sqlite(sqlite_template: Path, tmp_path: Path) -> str:
    """The URL of a fresh copy of the template database."""
    copy = tmp_path / "migrated.sqlite3"
    shutil.copyfile(sqlite_template, copy)
    return f"sqlite:///{copy}"
