"""Test harness: one database per session built by the migrations; each test inside a
transaction rolled back at the end; a world of units and accounts; ``login_as(role)``.

Set ``HRMS_TEST_DATABASE_URL`` to run on PostgreSQL (the database is emptied first).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, has_app_context
from flask.globals import app_ctx
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, text
from sqlalchemy.orm import scoped_session, sessionmaker

from hrms.core.security import Role
from hrms.extensions import db, limiter
from tests import factories

#: the browser and page fixtures of the walk-throughs that serve the demo
pytest_plugins = ["tests.live_server"]

CSRF_RAW = "test-csrf-raw-token"


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("HRMS_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, instance_path: Path) -> Iterator[Flask]:
    os.environ["HRMS_INSTANCE_PATH"] = str(instance_path)
    os.environ["HRMS_DATABASE_URL"] = _database_url(tmp_path_factory)
    from hrms.app import create_app

    application = create_app({"TESTING": True})
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


def _session_scope() -> object:
    """Each request gets its own session, as in production; the test body keeps one of its own
    (also inside ``service_context``), so the test's objects survive the requests it makes."""
    if has_app_context() and not g.get("use_test_session"):
        return id(app_ctx._get_current_object())
    return "test"


@pytest.fixture
def service_context(app: Flask) -> Iterator[None]:
    """A request context for calling services directly, sharing the test's session.

    Do not make client requests inside it: they would share its ``g``.
    """
    with app.test_request_context():
        g.use_test_session = True
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app: Flask) -> None:
    """Rate-limit counters live in process memory: each test starts from zero."""
    limiter.reset()


@pytest.fixture(autouse=True)
def _transaction(app: Flask) -> Iterator[None]:
    """Everything a test writes, including commits made by requests, is rolled back after it.

    No app context stays pushed during the test: each request must get its own ``g``, as in
    production. Tests that call services directly open ``app.test_request_context()``.
    """
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
        scopefunc=_session_scope,
    )
    factories.bind(db.session)
    try:
        yield
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()


@dataclass
class World:
    """Two divisions of one department, plus a second department out of everyone's reach."""

    root: Any
    department: Any
    division_a: Any
    team_a: Any
    division_b: Any
    other_department: Any
    users: dict[str, Any]
    #: dossiers: the staff member's own (division A), one in team A, one in division B, one outside
    own: Any = None
    in_team: Any = None
    in_b: Any = None
    outside: Any = None


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(width: int = 40, height: int = 60) -> bytes:
    """A small portrait PNG, as a 4×6 photo would be."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def file_document(
    app: Flask, employee: Any, uploader: Any, kind: str = "diploma", content: bytes = PDF_BYTES
) -> Any:
    """An attachment row with its file in the test storage folder (a PNG ``content`` is filed
    as an image)."""
    import hashlib
    import secrets

    from hrms.attachments.models import Attachment

    name = secrets.token_hex(16)
    folder = app.config["HRMS_SETTINGS"].storage_path / name[:2] / name[2:4]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    is_png = content.startswith(b"\x89PNG")
    attachment = Attachment(
        employee_id=employee.id,
        kind=kind,
        stored_name=name,
        original_name="ảnh 4x6.png" if is_png else "bằng tốt nghiệp.pdf",
        content_type="image/png" if is_png else "application/pdf",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=uploader.id,
    )
    db.session.add(attachment)
    db.session.commit()
    return attachment


@pytest.fixture
def world(app: Flask) -> World:
    root = factories.UnitFactory(code="ROOT", name="Ủy ban nhân dân tỉnh", kind="agency")
    department = factories.UnitFactory(code="DEP", name="Sở Nội vụ", parent=root, kind="department")
    division_a = factories.UnitFactory(code="DIV-A", name="Phòng Công chức", parent=department)
    team_a = factories.UnitFactory(code="TEAM-A", name="Tổ Hồ sơ", parent=division_a)
    division_b = factories.UnitFactory(code="DIV-B", name="Phòng Tổ chức", parent=department)
    other = factories.UnitFactory(code="OTHER", name="Sở Tài chính", parent=root, kind="department")
    users = {
        "admin": factories.UserFactory(username="admin", grants=[(Role.ADMIN, None)]),
        "officer": factories.UserFactory(
            username="officer", grants=[(Role.PERSONNEL_OFFICER, department)]
        ),
        "head": factories.UserFactory(username="head", grants=[(Role.UNIT_HEAD, division_a)]),
        "staff": factories.UserFactory(username="staff", grants=[(Role.STAFF, division_a)]),
        "head2": factories.UserFactory(username="head2", grants=[(Role.UNIT_HEAD, division_b)]),
        "nobody": factories.UserFactory(username="nobody", grants=[]),
    }
    own = factories.EmployeeFactory(unit=division_a, full_name="Lê Thị Ngọc Ánh")
    in_team = factories.EmployeeFactory(
        unit=team_a,
        full_name="Nguyễn Văn Ân",
        sex="male",
        national_id=factories.national_id_for("male", dt.date(1990, 5, 17), 1),
    )
    in_b = factories.EmployeeFactory(unit=division_b, full_name="Hoàng Minh Tâm")
    outside = factories.EmployeeFactory(unit=other, full_name="Đỗ Thị Hạnh")
    for person in (in_team, outside):
        factories.TrainingFactory(employee_id=person.id)
        factories.FamilyFactory(employee_id=person.id)
    users["staff"].employee_id = own.id
    db.session.commit()
    from hrms.corrections.models import CorrectionRequest

    for person in (in_team, outside):
        file_document(app, person, users["admin"])
        file_document(app, person, users["admin"], kind="photo", content=png_bytes())
    for person, asker in ((own, users["staff"]), (outside, users["admin"])):
        db.session.add(
            CorrectionRequest(
                employee_id=person.id,
                requested_by=asker.id,
                field="hometown",
                requested_value="Kim Sơn, Ninh Bình",
                reason="Theo giấy khai sinh",
            )
        )
    db.session.commit()
    return World(
        root, department, division_a, team_a, division_b, other, users, own, in_team, in_b, outside
    )


class Client(FlaskClient):
    """Test client that can post forms with a valid CSRF token."""

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            session["csrf_token"] = CSRF_RAW
        serializer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
        return str(serializer.dumps(CSRF_RAW))

    def post_form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        payload = dict(data or {})
        payload["csrf_token"] = self.csrf_token()
        return self.post(url, data=payload, **kwargs)


@pytest.fixture
def client(app: Flask) -> Client:
    app.test_client_class = Client
    return app.test_client()  # type: ignore[return-value]


def issue_token(user: Any) -> str:
    """A valid bearer token for ``user``, written straight into the test transaction."""
    import datetime as dt
    import secrets

    from hrms.api.models import ApiToken
    from hrms.api.queries import token_hash
    from hrms.core.db import utcnow

    raw = "hrms_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            token_hash=token_hash(raw), user_id=user.id, expires_at=utcnow() + dt.timedelta(hours=1)
        )
    )
    db.session.commit()
    return raw


@pytest.fixture
def login_as(client: Client, world: World) -> Any:
    """Sign the client in as one of the world's accounts, by role name ("admin", "head"...)."""

    def sign_in(name: str) -> Any:
        user = world.users[name]
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return sign_in


def page_errors(html: str) -> list[str]:
    """The refusal messages shown beside fields and at the top of forms."""
    found = re.findall(r'class="invalid-feedback"[^>]*>([^<]+)<', html)
    found += re.findall(r'data-testid="form-errors">\s*((?:<div>[^<]*</div>\s*)+)', html)
    return [re.sub(r"<[^>]+>", " ", item).strip() for item in found]


@pytest.fixture
def count_queries(app: Flask) -> Any:
    """``with count_queries() as counted: ...`` then ``counted.n``: SQL statements issued."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting() -> Iterator[Any]:
        @dataclass
        class Counter:
            n: int = 0
            statements: list[str] = field(default_factory=list)

        counter = Counter()

        def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                counter.n += 1
                counter.statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", count)

    return counting
