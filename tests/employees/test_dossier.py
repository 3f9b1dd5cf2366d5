"""Dossiers: one validation path, conflicts that show what changed, who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from hrms.core.audit import AuditEntry
from hrms.core.errors import ValidationFailed
from hrms.employees import services
from hrms.employees.models import Employee
from hrms.extensions import db
from tests.factories import national_id_for

VALID = {
    "full_name": "Lò  Thị   Mai",
    "sex": "female",
    "date_of_birth": dt.date(1994, 7, 9),
    "national_id": national_id_for("female", dt.date(1994, 7, 9), 777),
    "kind": "vien_chuc",
}


@pytest.mark.usefixtures("service_context")
class TestCreate:
    def create(self, world, **changes):  # type: ignore[no-untyped-def]
        return services.create_employee(
            world.users["officer"], VALID | {"unit_id": world.division_a.id} | changes
        )

    def refusal(self, world, **changes) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationFailed) as raised:
            self.create(world, **changes)
        return raised.value.errors

    def test_valid_dossier_is_created_clean(self, world) -> None:  # type: ignore[no-untyped-def]
        employee = self.create(world, ethnicity_code="08", religion_code="00")
        assert employee.full_name == "Lò Thị Mai"
        assert employee.search_name == "lo thi mai"
        assert (employee.unit_id, employee.status) == (world.division_a.id, "working")

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"national_id": national_id_for("male", dt.date(1994, 7, 9), 777)}, "national_id"),
            ({"national_id": national_id_for("female", dt.date(1995, 7, 9), 777)}, "national_id"),
            ({"national_id": "DUPLICATE", "date_of_birth": dt.date(1990, 5, 17)}, "national_id"),
            ({"ethnicity_code": "99"}, "ethnicity_code"),
            ({"date_of_birth": dt.date(2999, 1, 1)}, "date_of_birth"),
            ({"national_id_issued_on": dt.date(1990, 1, 1)}, "national_id_issued_on"),
        ],
        ids=[
            "sex-digit",
            "year-digits",
            "duplicate",
            "unknown-code",
            "future-birth",
            "issued-before-birth",
        ],
    )
    def test_refusals_name_the_field(self, world, changes, field) -> None:  # type: ignore[no-untyped-def]
        if changes.get("national_id") == "DUPLICATE":
            changes = changes | {"national_id": world.in_b.national_id}
        errors = self.refusal(world, **changes)
        assert field in errors
        if changes.get("national_id") == world.in_b.national_id:
            assert list(errors) == ["national_id"]  # the shape is right: only the duplicate is
            assert len(errors["national_id"]) == 1
        assert (
            db.session.scalar(select(Employee).where(Employee.search_name == "lo thi mai")) is None
        )

    def test_only_units_in_scope(self, world) -> None:  # type: ignore[no-untyped-def]
        from hrms.core.errors import DomainError

        with pytest.raises(DomainError) as raised:
            self.create(world, unit_id=world.other_department.id)
        assert raised.value.field == "unit_id"


def test_form_refusals_stand_beside_the_fields(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    response = client.post_form(
        "/employees/new",
        {
            "full_name": "Nguyễn Văn 3",
            "sex": "robot",
            "date_of_birth": "30/02/1990",
            "national_id": "12ab",
            "kind": "cong_chuc",
            "unit_id": str(world.division_a.id),
        },
    )
    assert response.status_code == 422
    for field in ("full_name", "sex", "date_of_birth", "national_id"):
        assert f'data-field-error="{field}"' in response.text, field
    assert 'value="Nguyễn Văn 3"' in response.text  # what was typed is kept


def test_stale_save_shows_what_changed_and_keeps_the_other_change(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    person = world.in_team
    stale = person.version
    form = {
        "version": str(stale),
        "permanent_address": "Số 1, phường Hoa Lư",
        "current_address": "",
        "phone": "0912345678",
        "email": "",
    }
    assert client.post_form(f"/employees/{person.id}/edit/contact", form).status_code == 302
    second = client.post_form(
        f"/employees/{person.id}/edit/contact", form | {"phone": "0987654321"}
    )
    assert second.status_code == 409
    assert 'data-testid="conflict"' in second.text
    assert "0912345678" in second.text and "officer" in second.text
    db.session.expire_all()
    assert db.session.get(Employee, person.id).phone == "0912345678"


def test_sections_save_and_clear(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    person = world.in_team
    response = client.post_form(
        f"/employees/{person.id}/edit/health",
        {
            "version": str(person.version),
            "health_status": "Tốt",
            "height_cm": "172",
            "weight_kg": "",
            "blood_group": "O",
            "war_invalid_grade": "",
            "policy_family": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Employee, person.id)
    assert (saved.health_status, saved.height_cm, saved.weight_kg, saved.blood_group) == (
        "Tốt",
        172,
        None,
        "O",
    )


def test_unit_heads_see_work_but_not_sensitive_parts(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("head")
    page = client.get(f"/employees/{world.in_team.id}").text
    assert world.in_team.full_name in page
    assert world.in_team.national_id not in page
    assert 'data-section="health"' not in page and 'data-section="history"' not in page
    assert client.get(f"/employees/{world.in_team.id}?tab=family").status_code == 404
    assert client.get(f"/employees/{world.in_team.id}/edit/identity").status_code == 403


def test_staff_see_their_own_dossier_only(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("staff")
    assert client.get("/employees/me").headers["Location"].endswith(f"/employees/{world.own.id}")
    own = client.get(f"/employees/{world.own.id}")
    assert own.status_code == 200 and world.own.national_id in own.text
    assert 'href="/employees/' + str(world.own.id) + "/edit" not in own.text  # read-only
    assert client.get(f"/employees/{world.own.id}?tab=family").status_code == 200
    assert client.get(f"/employees/{world.in_team.id}").status_code == 404
    assert client.get(f"/employees/{world.own.id}/edit/contact").status_code == 403


def test_opening_a_dossier_is_recorded_and_shown(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    client.get(f"/employees/{world.in_team.id}")
    views = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "dossier.view",
            AuditEntry.subject == f"employees:{world.in_team.id}",
        )
    ).all()
    assert [v.actor_name for v in views] == ["officer"]
    trail = client.get(f"/employees/{world.in_team.id}?tab=trail").text
    assert 'data-testid="views"' in trail and "officer" in trail


def test_training_and_family_lines(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    person = world.in_team
    added = client.post_form(
        f"/employees/{person.id}/training",
        {
            "school": "Trường Chính trị tỉnh",
            "major": "Lý luận chính trị",
            "started_on": "2019-03",
            "ended_on": "2019-09",
            "degree": "Trung cấp",
        },
    )
    assert added.status_code == 302
    page = client.get(f"/employees/{person.id}?tab=training").text
    assert "Trường Chính trị tỉnh" in page and "03/2019" in page
    bad = client.post_form(
        f"/employees/{person.id}/training",
        {"school": "X", "major": "Y", "started_on": "2019-09", "ended_on": "2019-03"},
    )
    assert bad.status_code == 422
    assert 'data-field-error="ended_on"' in bad.text
    family = client.post_form(
        f"/employees/{person.id}/family",
        {"side": "spouse", "relation": "Bố", "full_name": "Vũ Văn Khải", "birth_year": "1960"},
    )
    assert family.status_code == 302
    assert "Vũ Văn Khải" in client.get(f"/employees/{person.id}?tab=family").text


def test_decision_form_and_the_ledger_tabs(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    person = world.in_team
    assert client.get(f"/employees/{person.id}/decisions/new").status_code == 200
    recruitment = {
        "kind": "recruitment",
        "number": "15/QĐ-SNV",
        "signed_on": "2021-02-20",
        "issuer": "Giám đốc Sở Nội vụ",
        "effective_on": "2021-03-01",
        "unit_id": str(world.team_a.id),
        "rank_code": "01.003",
        "salary_step": "1",
        "salary_coefficient": "2.34",
    }
    assert client.post_form(f"/employees/{person.id}/decisions/new", recruitment).status_code == 302
    raise_ = {
        "kind": "salary_step",
        "number": "90/QĐ-SNV",
        "signed_on": "2024-02-20",
        "issuer": "Giám đốc Sở Nội vụ",
        "effective_on": "2024-03-01",
        "salary_step": "2",
        "salary_coefficient": "2,67",
    }
    refused = client.post_form(f"/employees/{person.id}/decisions/new", raise_)
    assert refused.status_code == 422 and 'data-field-error="salary_coefficient"' in refused.text
    assert (
        client.post_form(
            f"/employees/{person.id}/decisions/new", raise_ | {"salary_coefficient": "2.67"}
        ).status_code
        == 302
    )
    decisions = client.get(f"/employees/{person.id}?tab=decisions").text
    assert "15/QĐ-SNV" in decisions and "90/QĐ-SNV" in decisions and "Tổ Hồ sơ" in decisions
    history = client.get(f"/employees/{person.id}?tab=history").text
    assert "01/03/2021" in history and "29/02/2024" in history and "2.67" in history


def test_dates_are_typed_and_shown_day_first(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    person = world.in_team
    page = client.get(f"/employees/{person.id}/edit/identity").text
    assert 'value="17/05/1990"' in page and 'placeholder="dd/mm/yyyy"' in page
    form = {
        name: ""
        for name in (
            "other_names",
            "place_of_birth",
            "hometown",
            "ethnicity_code",
            "religion_code",
            "social_insurance_number",
        )
    }
    form |= {
        "version": str(person.version),
        "full_name": person.full_name,
        "sex": "male",
        "date_of_birth": "17/05/1990",
        "national_id": person.national_id,
        "national_id_issued_on": "31/02/2021",
    }
    refused = client.post_form(f"/employees/{person.id}/edit/identity", form)
    assert refused.status_code == 422
    assert 'data-field-error="national_id_issued_on"' in refused.text
    saved = client.post_form(
        f"/employees/{person.id}/edit/identity", form | {"national_id_issued_on": "28/02/2021"}
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Employee, person.id).national_id_issued_on == dt.date(2021, 2, 28)
