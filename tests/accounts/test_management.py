"""Account administration: creation, password policy, grants, the last administrator."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hrms.accounts import services
from hrms.accounts.models import RoleGrant, User
from hrms.core.audit import HIDDEN_VALUE, AuditEntry
from hrms.core.errors import ConflictError, DomainError
from hrms.extensions import db
from tests.conftest import page_errors

STRONG = "Hoa-Sen-Nở-Muộn-7"


def create(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "username": "nhanvien1",
        "full_name": "Hoàng Thị Lan",
        "email": None,
        "password": STRONG,
        "role": "staff",
        "unit_id": world.division_a.id,
    } | overrides
    return services.create_user(world.users["admin"], data)


@pytest.mark.usefixtures("service_context")
class TestServices:
    def test_create_user_with_a_scoped_grant(self, world) -> None:  # type: ignore[no-untyped-def]
        user = create(world, email="Lan.HT@SNV.gov.vn")
        assert user.email == "lan.ht@snv.gov.vn"
        assert [(g.role, g.unit_id) for g in user.grants] == [("staff", world.division_a.id)]
        assert user.password_hash.startswith("scrypt:")
        assert user.search_text == "nhanvien1 hoang thi lan lan.ht@snv.gov.vn"

    @pytest.mark.parametrize(
        ("password", "fragment"),
        [
            ("Ngắn-1", "10"),
            ("nhanvien1-Mạnh-Mẽ", "tên đăng nhập"),
            ("password123", "phổ biến"),
            ("aaaaaaaaaaaa", "ít ký tự"),
        ],
    )
    def test_password_policy(self, world, password, fragment) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(DomainError) as raised:
            create(world, password=password)
        assert raised.value.field == "password"
        assert fragment in str(raised.value.message)

    def test_duplicates_are_refused(self, world) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(DomainError) as raised:
            create(world, username="head")
        assert raised.value.field == "username"
        with pytest.raises(DomainError) as raised:
            create(world, email="head@example.gov.vn")
        assert raised.value.field == "email"

    @pytest.mark.parametrize(
        ("role", "unit", "field"),
        [
            ("admin", "division_a", "unit_id"),
            ("staff", None, "unit_id"),
            ("unit_head", "closed", "unit_id"),
        ],
    )
    def test_grant_rules(self, world, role, unit, field) -> None:  # type: ignore[no-untyped-def]
        import datetime as dt

        if unit == "closed":
            world.team_a.effective_to = dt.date(2025, 1, 1)
            db.session.flush()
            unit_id = world.team_a.id
        else:
            unit_id = getattr(world, unit).id if unit else None
        with pytest.raises(DomainError) as raised:
            services.add_grant(
                world.users["admin"], world.users["staff"], {"role": role, "unit_id": unit_id}
            )
        assert raised.value.field == field

    def test_same_grant_twice_is_refused(self, world) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(DomainError):
            services.add_grant(
                world.users["admin"],
                world.users["staff"],
                {"role": "staff", "unit_id": world.division_a.id},
            )

    def test_last_administrator_stays(self, world) -> None:  # type: ignore[no-untyped-def]
        admin = world.users["admin"]
        with pytest.raises(DomainError):
            services.remove_grant(admin, admin, admin.grants[0].id)
        second = create(world, username="admin2", role="admin", unit_id=None)
        with pytest.raises(DomainError) as raised:
            services.update_user(
                admin,
                admin,
                {"version": admin.version, "full_name": "A", "email": None, "active": False},
            )
        assert "chính mình" in str(raised.value.message)
        services.update_user(
            admin,
            second,
            {"version": second.version, "full_name": "B", "email": None, "active": False},
        )
        with pytest.raises(DomainError):
            services.remove_grant(admin, admin, admin.grants[0].id)

    def test_stale_update_is_a_conflict(self, world) -> None:  # type: ignore[no-untyped-def]
        staff = world.users["staff"]
        with pytest.raises(ConflictError):
            services.update_user(
                world.users["admin"],
                staff,
                {"version": staff.version + 1, "full_name": "X", "email": None, "active": True},
            )

    def test_disabling_ends_sessions(self, world) -> None:  # type: ignore[no-untyped-def]
        staff = world.users["staff"]
        old_id = staff.get_id()
        services.update_user(
            world.users["admin"],
            staff,
            {
                "version": staff.version,
                "full_name": staff.full_name,
                "email": None,
                "active": False,
            },
        )
        assert staff.get_id() != old_id

    def test_non_admins_cannot_manage(self, world) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(DomainError):
            services.create_user(
                world.users["officer"],
                {
                    "username": "x",
                    "full_name": "x",
                    "password": STRONG,
                    "role": "staff",
                    "unit_id": world.division_a.id,
                },
            )

    def test_changes_are_audited_without_secrets(self, world) -> None:  # type: ignore[no-untyped-def]
        user = create(world)
        services.reset_password(world.users["admin"], user, {"password": "Mây-Trắng-Bay-2026"})
        db.session.flush()
        entries = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "users", AuditEntry.object_id == str(user.id))
            .order_by(AuditEntry.id)
        ).all()
        assert [e.action for e in entries] == ["create", "update"]
        assert entries[0].after["password_hash"] == HIDDEN_VALUE
        assert entries[0].after["username"] == "nhanvien1"
        assert entries[1].before == {"password_hash": HIDDEN_VALUE, "session_nonce": HIDDEN_VALUE}
        grant_entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "role_grants")
        ).all()
        assert any(e.after and e.after.get("user_id") == user.id for e in grant_entries)


def test_create_form_refusals_beside_fields(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    response = client.post_form(
        "/admin/users/new",
        {
            "username": "Bad Name",
            "full_name": "",
            "email": "not-an-email",
            "password": "short",
            "role": "boss",
            "unit_id": "",
        },
    )
    assert response.status_code == 422
    for field in ("username", "full_name", "email", "role"):
        assert f'data-field-error="{field}"' in response.text, field
    assert db.session.scalar(select(User).where(User.username == "bad name")) is None


def test_create_and_manage_through_the_pages(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    response = client.post_form(
        "/admin/users/new",
        {
            "username": "lanht",
            "full_name": "Hoàng Thị Lan",
            "email": "",
            "password": STRONG,
            "role": "staff",
            "unit_id": str(world.division_a.id),
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "lanht"))
    page = client.get(response.headers["Location"]).text
    assert "Hoàng Thị Lan" in page
    refused = client.post_form(
        f"/admin/users/{user.id}/grants", {"role": "admin", "unit_id": str(world.division_a.id)}
    )
    assert refused.status_code == 422
    assert page_errors(refused.text)
    added = client.post_form(
        f"/admin/users/{user.id}/grants", {"role": "unit_head", "unit_id": str(world.team_a.id)}
    )
    assert added.status_code == 302
    grant_id = db.session.scalar(
        select(RoleGrant.id).where(RoleGrant.user_id == user.id, RoleGrant.role == "unit_head")
    )
    removed = client.post_form(f"/admin/users/{user.id}/grants/{grant_id}/delete")
    assert removed.status_code == 302
    assert db.session.get(RoleGrant, grant_id) is None


def test_change_password_refusals(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("staff")
    response = client.post_form(
        "/account/password",
        {
            "current_password": "wrong",
            "new_password": "Mật-khẩu-mới-2026",
            "confirm_password": "Mật-khẩu-mới-2026",
        },
    )
    assert response.status_code == 422
    assert 'data-field-error="current_password"' in response.text
    from tests.factories import TEST_PASSWORD

    response = client.post_form(
        "/account/password",
        {
            "current_password": TEST_PASSWORD,
            "new_password": "Mật-khẩu-mới-2026",
            "confirm_password": "Khác-hẳn-2026",
        },
    )
    assert 'data-field-error="confirm_password"' in response.text
