"""The audit log: written with every change, append-only, browsable by administrators."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from hrms.core.audit import AuditEntry, AuditLogIsAppendOnly
from hrms.extensions import db
from hrms.org import services


def entries_for(object_type: str, object_id: object) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == object_type, AuditEntry.object_id == str(object_id))
            .order_by(AuditEntry.id)
        )
    )


@pytest.mark.usefixtures("service_context")
def test_update_records_only_changed_fields_with_actor(world) -> None:  # type: ignore[no-untyped-def]
    unit = world.division_a
    services.rename_unit(
        world.users["admin"],
        unit,
        {
            "version": unit.version,
            "name": "Phòng Công chức, viên chức",
            "effective_date": dt.date(2025, 7, 1),
        },
    )
    last = entries_for("units", unit.id)[-1]
    assert last.action == "update"
    assert last.before == {
        "name": "Phòng Công chức",
        "search_text": "phong cong chuc div-a",
        "current_since": "2020-01-01",
    }
    assert last.after["name"] == "Phòng Công chức, viên chức"
    assert last.after["current_since"] == "2025-07-01"


def test_request_changes_carry_the_signed_in_user(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    client.post_form(
        f"/units/{world.team_a.id}/close",
        {"version": str(world.team_a.version), "effective_date": "2025-06-30"},
    )
    last = entries_for("units", world.team_a.id)[-1]
    assert (last.actor_id, last.actor_name, last.action) == (
        world.users["admin"].id,
        "admin",
        "update",
    )
    assert last.after == {"effective_to": "2025-06-30"}
    assert last.ip_address == "127.0.0.1"


def test_deletes_are_recorded(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    staff = world.users["staff"]
    grant_id = staff.grants[0].id
    client.post_form(f"/admin/users/{staff.id}/grants/{grant_id}/delete")
    [*_, removed] = entries_for("role_grants", grant_id)
    assert removed.action == "delete"
    assert removed.before["role"] == "staff"


def test_refused_requests_leave_no_entry(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    before = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
    response = client.post_form(
        f"/units/{world.division_a.id}/close",
        {"version": str(world.division_a.version), "effective_date": "2025-06-30"},
    )
    assert response.status_code == 422  # it still has an open sub-unit
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == before


def test_orm_refuses_to_change_or_delete_entries(world) -> None:  # type: ignore[no-untyped-def]
    entry = db.session.scalars(select(AuditEntry)).first()
    entry.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    entry = db.session.scalars(select(AuditEntry)).first()
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [update(AuditEntry).values(action="tampered"), delete(AuditEntry)],
    ids=["update", "delete"],
)
def test_database_refuses_to_change_or_delete_entries(world, statement) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(statement)
    assert db.session.scalar(select(db.func.count()).where(AuditEntry.action == "tampered")) == 0


def test_database_refuses_truncate_on_postgresql(world) -> None:  # type: ignore[no-untyped-def]
    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(text("TRUNCATE audit_entries"))


def test_admin_browses_and_filters(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    page = client.get("/audit/?object_type=units")
    assert page.status_code == 200
    filtered = client.get(f"/audit/?object_type=users&object_id={world.users['staff'].id}")
    assert filtered.text.count('href="/audit/') >= 1
    entry = entries_for("users", world.users["staff"].id)[0]
    detail = client.get(f"/audit/{entry.id}")
    assert detail.status_code == 200
    assert "staff" in detail.text and "••••••" in detail.text
    bad = client.get("/audit/?date_from=yesterday")
    assert bad.status_code == 422
    assert "invalid-feedback" in bad.text


def test_date_filter_uses_vietnam_days(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    future = client.get("/audit/?date_from=2999-01-01")
    assert "Không có bản ghi phù hợp." in future.text
