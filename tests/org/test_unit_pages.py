"""Organisation pages: scope, refusals beside the fields, conflicts."""

from __future__ import annotations

from hrms.extensions import db
from hrms.org.models import Unit
from tests.conftest import page_errors


def test_list_page_shows_scope_only(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("head")
    html = client.get("/units/").text
    assert "Phòng Công chức" in html and "Tổ Hồ sơ" in html
    assert "Phòng Tổ chức" not in html and "Sở Tài chính" not in html


def test_rename_form_shows_errors_beside_fields_and_saves_nothing(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    unit_id = world.division_a.id
    response = client.post_form(
        f"/units/{unit_id}/rename", {"version": "1", "name": "", "effective_date": "31/02/2025"}
    )
    assert response.status_code == 422
    errors = page_errors(response.text)
    assert len(errors) == 2
    assert 'data-field-error="name"' in response.text
    assert 'data-field-error="effective_date"' in response.text
    db.session.expire_all()
    assert db.session.get(Unit, unit_id).name == "Phòng Công chức"


def test_rename_through_the_page(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    unit_id = world.division_a.id
    response = client.post_form(
        f"/units/{unit_id}/rename",
        {
            "version": str(world.division_a.version),
            "name": "Phòng Công chức, viên chức",
            "effective_date": "2025-07-01",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/units/{unit_id}").text
    assert "Phòng Công chức, viên chức" in page
    assert "30/06/2025" in page  # the old name's last day, in the history table


def test_stale_rename_through_the_page_is_a_conflict(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    unit_id = world.division_a.id
    stale = str(world.division_a.version)
    first = client.post_form(
        f"/units/{unit_id}/rename",
        {"version": stale, "name": "Tên một", "effective_date": "2025-07-01"},
    )
    assert first.status_code == 302
    second = client.post_form(
        f"/units/{unit_id}/rename",
        {"version": stale, "name": "Tên hai", "effective_date": "2025-08-01"},
    )
    assert second.status_code == 409  # a conflict, not an input error
    db.session.expire_all()
    assert db.session.get(Unit, unit_id).name == "Tên một"
