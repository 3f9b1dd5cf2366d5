"""The raise list (scoped, filtered by unit subtree and window, exported), draft batches made
from it and confirmed all or nothing, the ledger's refusal of a raise before its date, early
raise candidates with the agency quota, and one's own next raise."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy import func, select

from hrms.core.errors import ValidationFailed
from hrms.employees.models import Decision
from hrms.employees.services import add_decision
from hrms.extensions import db
from hrms.salary import raise_services as services
from hrms.salary.raise_models import RaiseBatch
from tests.conftest import issue_token
from tests.salary.factories_raises import place, rate

D = dt.date
WINDOW = (D(2026, 3, 1), D(2026, 5, 31))
EN = {"Accept-Language": "en"}


@pytest.fixture
def ledgers(world: Any) -> Any:
    """in_team (team A): step 3 from 15/03/2023, due 15/03/2026; in_b (division B): step 2 from
    30/04/2023, due 30/04/2026; own (division A): last step 9 from 28/02/2022, seniority due
    28/02/2025; outside (other department): step 3 from 20/03/2023, due 20/03/2026."""
    place(world.in_team, D(2023, 3, 15), 3)
    place(world.in_b, D(2023, 4, 30), 2)
    place(world.own, D(2022, 2, 28), 9)
    place(world.outside, D(2023, 3, 20), 3)
    db.session.commit()
    return world


def _names(rows: list[services.RaiseRow]) -> list[str]:
    return [row.employee.full_name for row in rows]


def test_the_list_shows_who_is_due_in_the_window_within_the_scope(
    ledgers: Any, service_context: None
) -> None:
    world = ledgers
    officer = services.raise_list(world.users["officer"], None, *WINDOW)
    assert _names(officer) == ["Nguyễn Văn Ân", "Hoàng Minh Tâm"]
    assert [row.due.due for row in officer] == [D(2026, 3, 15), D(2026, 4, 30)]
    admin = services.raise_list(world.users["admin"], None, *WINDOW)
    assert _names(admin) == ["Nguyễn Văn Ân", "Đỗ Thị Hạnh", "Hoàng Minh Tâm"]
    only_b = services.raise_list(world.users["officer"], world.division_b, *WINDOW)
    assert _names(only_b) == ["Hoàng Minh Tâm"]
    seniority = services.raise_list(world.users["officer"], None, D(2025, 1, 1), D(2025, 3, 1))
    assert [(row.employee.full_name, row.due.kind.value) for row in seniority] == [
        ("Lê Thị Ngọc Ánh", "seniority")
    ]
    assert seniority[0].due.next_seniority_percent == 5


def test_an_officer_does_not_see_another_department(
    client: Any, ledgers: Any, login_as: Any
) -> None:
    world = ledgers
    login_as("officer")
    window = {"from": "01/03/2026", "to": "31/05/2026"}
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get("/salary/raises", query_string=window)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Nguyễn Văn Ân" in html and "Hoàng Minh Tâm" in html
    assert "Đỗ Thị Hạnh" not in html
    assert "15/03/2026" in html and "raise interval of scale A1" in html
    other = client.get(
        "/salary/raises", query_string=window | {"unit_id": world.other_department.id}
    )
    assert other.status_code == 404
    token = {"Authorization": f"Bearer {issue_token(world.users['officer'])}"}
    api = client.application.test_client().get(
        "/api/v1/raises", query_string=window, headers=EN | token
    )
    assert api.status_code == 200
    body = api.get_json()
    assert body["total"] == 2
    first = body["items"][0]
    assert first["full_name"] == "Nguyễn Văn Ân"
    assert first["raise"]["due"] == "2026-03-15"
    assert first["raise"]["next_coefficient"] == "3.33"
    assert [line["kind"] for line in first["raise"]["lines"]] == ["start", "interval"]
    person = client.application.test_client().get(
        f"/api/v1/raises/employees/{world.outside.id}", headers=EN | token
    )
    assert person.status_code == 404


def test_the_list_exports_to_xlsx(client: Any, ledgers: Any, login_as: Any) -> None:
    login_as("officer")
    response = client.get(
        "/salary/raises.xlsx", query_string={"from": "01/03/2026", "to": "31/05/2026"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0][1] == "Nguyễn Văn Ân" and rows[1][1] == "Hoàng Minh Tâm"
    assert rows[0][10].date() == D(2026, 3, 15)
    assert rows[0][8] == 3.33
    assert list(rows[3][:2]) == ["Tổng số", 2]
    assert sheet["C3"].value == "Đơn vị"


def _batch(world: Any, signed_on: dt.date | None = None) -> RaiseBatch:
    return services.create_batch(
        world.users["officer"],
        {
            "unit_id": world.department.id,
            "employee_ids": [world.in_team.id, world.in_b.id],
            "number_suffix": "/QĐ-SNV",
            "first_number": 41,
            "signed_on": signed_on or D(2026, 3, 1),
            "issuer": "Giám đốc Sở Nội vụ",
        },
    )


def _decisions() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Decision)) or 0)


def test_a_confirmed_batch_enters_every_raise_in_the_ledgers(
    ledgers: Any, _in_english: None
) -> None:
    world = ledgers
    batch = _batch(world)
    lines = services.batch_lines(batch)
    assert [(line.number, line.item.effective_on) for line in lines] == [
        ("41/QĐ-SNV", D(2026, 3, 15)),
        ("42/QĐ-SNV", D(2026, 4, 30)),
    ]
    before = _decisions()
    made = services.confirm_batch(world.users["officer"], batch, batch.version)
    assert _decisions() == before + 2
    assert [(d.salary_step, d.salary_coefficient, d.effective_on) for d in made] == [
        (4, Decimal("3.33"), D(2026, 3, 15)),
        (3, Decimal("3.00"), D(2026, 4, 30)),
    ]
    assert batch.state == "confirmed"
    assert world.in_team.salary_step == 4 and world.in_team.salary_since == D(2026, 3, 15)
    from hrms.core.audit import AuditEntry

    audited = db.session.scalars(
        select(AuditEntry).where(AuditEntry.subject == f"employees:{world.in_team.id}")
    ).all()
    assert any(entry.object_type == "decisions" for entry in audited)
    with pytest.raises(Exception, match="no longer a draft"):
        services.confirm_batch(world.users["officer"], batch, batch.version)


def test_one_stale_row_refuses_the_whole_batch(ledgers: Any, service_context: None) -> None:
    world = ledgers
    batch = _batch(world)
    # in_b's salary changes after the draft: a new rank placement
    place(world.in_b, D(2024, 1, 1), 3)
    before = _decisions()
    with pytest.raises(ValidationFailed) as refused:
        services.confirm_batch(world.users["officer"], batch, batch.version)
    assert list(refused.value.errors) == ["items.1"]
    assert "Hoàng Minh Tâm" in refused.value.errors["items.1"][0]
    assert _decisions() == before
    assert world.in_team.salary_step == 3
    assert batch.state == "draft"


def test_a_row_the_ledger_refuses_refuses_the_batch(ledgers: Any, _in_english: Any) -> None:
    world = ledgers
    batch = _batch(world, signed_on=D(2099, 1, 1))
    before = _decisions()
    with pytest.raises(ValidationFailed) as refused:
        services.confirm_batch(world.users["officer"], batch, batch.version)
    assert set(refused.value.errors) == {"items.0", "items.1"}
    assert "signing date is in the future" in refused.value.errors["items.0"][0]
    assert _decisions() == before


def test_batch_pages_confirm_and_discard(client: Any, ledgers: Any, login_as: Any) -> None:
    world = ledgers
    login_as("officer")
    window = {"unit_id": world.department.id, "from": "01/03/2026", "to": "31/05/2026"}
    made = client.post_form(
        "/salary/raises/batches?" + "&".join(f"{k}={v}" for k, v in window.items()),
        {
            "unit_id": str(world.department.id),
            "employee_ids": [str(world.in_team.id)],
            "number_suffix": "/QĐ-SNV",
            "first_number": "7",
            "signed_on": "01/03/2026",
            "issuer": "Giám đốc Sở Nội vụ",
        },
    )
    assert made.status_code == 302, made.get_data(as_text=True)
    batch_url = made.headers["Location"]
    page = client.get(batch_url)
    assert "7/QĐ-SNV" in page.get_data(as_text=True)
    batch = db.session.scalars(select(RaiseBatch).order_by(RaiseBatch.id.desc())).first()
    assert batch is not None
    confirm = client.post_form(
        f"/salary/raises/batches/{batch.id}/confirm", {"version": str(batch.version)}
    )
    assert confirm.status_code == 302
    db.session.expire_all()
    assert db.session.get(RaiseBatch, batch.id).state == "confirmed"
    again = client.post_form(
        "/salary/raises/batches", {"unit_id": str(world.department.id), "number_suffix": "x"}
    )
    assert again.status_code == 422


def test_discarding_a_draft_writes_nothing_to_the_ledger(
    ledgers: Any, service_context: None
) -> None:
    world = ledgers
    batch = _batch(world)
    before = _decisions()
    services.discard_batch(world.users["officer"], batch, batch.version)
    assert batch.state == "discarded" and _decisions() == before


def test_a_draft_only_takes_people_in_scope_and_due(ledgers: Any, _in_english: None) -> None:
    world = ledgers
    with pytest.raises(ValidationFailed) as refused:
        services.create_batch(
            world.users["officer"],
            {
                "unit_id": world.department.id,
                "employee_ids": [world.in_team.id, world.outside.id],
                "number_suffix": "/QĐ-SNV",
                "signed_on": D(2026, 3, 1),
                "issuer": "Sở Nội vụ",
            },
        )
    assert list(refused.value.errors) == ["employee_ids.1"]
    _batch(world)
    with pytest.raises(ValidationFailed, match="already in draft batch"):
        _batch(world)


def test_the_ledger_refuses_a_raise_before_its_date_without_an_early_raise(
    ledgers: Any, _in_english: Any
) -> None:
    world = ledgers
    data = {
        "kind": "salary_step",
        "number": "9/QĐ-SNV",
        "signed_on": D(2025, 1, 2),
        "issuer": "Sở Nội vụ",
        "effective_on": D(2025, 1, 2),
        "salary_step": 4,
        "salary_coefficient": Decimal("3.33"),
    }
    officer, unit = world.users["officer"], world.team_a
    with pytest.raises(ValidationFailed) as refused:
        add_decision(officer, world.in_team, unit, dict(data))
    message = refused.value.errors["effective_on"][0]
    assert "Step 4 is due on 15/03/2026" in message and "early raise" in message
    with pytest.raises(ValidationFailed) as too_early:
        add_decision(officer, world.in_team, unit, dict(data, early_raise_months=6))
    assert "15/09/2025 at the earliest" in too_early.value.errors["effective_on"][0]
    early = add_decision(
        officer,
        world.in_team,
        unit,
        dict(data, effective_on=D(2025, 3, 15), early_raise_months=12),
    )
    assert early.id is not None and world.in_team.salary_step == 4
    regular = add_decision(
        officer,
        world.in_b,
        world.division_b,
        dict(data, salary_step=3, salary_coefficient=Decimal("3.00"), effective_on=D(2026, 4, 30)),
    )
    assert regular.id is not None


def test_early_raise_candidates_and_the_quota(ledgers: Any, service_context: None) -> None:
    world = ledgers
    rate(world.in_team, 2025, "excellent", world.department)
    rate(world.in_b, 2025, "good", world.department)
    rate(world.outside, 2025, "excellent", world.other_department)
    found = services.early_raises(world.users["officer"], None, 2025)
    assert [c.employee.full_name for c in found.candidates] == ["Nguyễn Văn Ân"]
    candidate = found.candidates[0]
    assert candidate.agency.id == world.department.id and candidate.months_short == 3
    quota = {q.agency.id: q for q in found.quotas}[world.department.id]
    # own, in_team, in_b are on the department's payroll: 10% of 3 rounds to 0
    assert (quota.staff, quota.percent, quota.quota, quota.used) == (3, 10, 0, 0)
    assert world.other_department.id not in {q.agency.id for q in found.quotas}
    # an early raise granted in 2025 counts as used, and the person is no longer a candidate
    add_decision(
        world.users["officer"],
        world.in_team,
        world.team_a,
        {
            "kind": "salary_step",
            "number": "10/QĐ-SNV",
            "signed_on": D(2025, 3, 15),
            "issuer": "Sở Nội vụ",
            "effective_on": D(2025, 3, 15),
            "salary_step": 4,
            "salary_coefficient": Decimal("3.33"),
            "early_raise_months": 12,
        },
    )
    after = services.early_raises(world.users["officer"], None, 2025)
    assert after.candidates == []
    assert {q.agency.id: q for q in after.quotas}[world.department.id].used == 1


def test_staff_see_their_own_next_raise(client: Any, ledgers: Any, login_as: Any) -> None:
    world = ledgers
    login_as("staff")
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get("/salary/my-raise")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "28/02/2025" in html and "seniority allowance 5%" in html
    assert "+36 months on the last step (9) of scale A1" in html
    other = client.get(f"/salary/raises/employees/{world.in_team.id}")
    assert other.status_code == 404
    token = {"Authorization": f"Bearer {issue_token(world.users['staff'])}"}
    own = client.application.test_client().get(
        f"/api/v1/raises/employees/{world.own.id}", headers=token
    )
    assert own.status_code == 200
    assert own.get_json()["raise"]["due"] == "2025-02-28"
    assert own.get_json()["raise"]["next_seniority_percent"] == 5


def test_the_list_query_count_does_not_grow_with_people(
    ledgers: Any, count_queries: Any, service_context: None
) -> None:
    from tests import factories

    world = ledgers

    def counted() -> tuple[int, int]:
        with count_queries() as counter:
            rows = services.raise_list(world.users["officer"], None, D(2020, 1, 1), D(2030, 1, 1))
        with count_queries() as early:
            services.early_raises(world.users["officer"], None, 2025)
        assert rows
        return int(counter.n), int(early.n)

    small = counted()
    for index in range(12):
        person = factories.EmployeeFactory(unit=world.division_b, full_name=f"Phạm Văn Số {index}")
        place(person, D(2023, 1 + index % 12, 10), 1 + index % 8)
        rate(person, 2024, "incomplete" if index % 3 else "good", world.department)
    db.session.commit()
    assert counted() == small


def test_the_api_drafts_and_confirms_a_batch_all_or_nothing(client: Any, ledgers: Any) -> None:
    world = ledgers
    api = client.application.test_client()
    token = {"Authorization": f"Bearer {issue_token(world.users['officer'])}"} | EN
    body = {
        "unit_id": world.department.id,
        "employee_ids": [world.in_team.id, world.in_b.id],
        "number_suffix": "/QĐ-SNV",
        "first_number": 5,
        "signed_on": "2026-03-01",
        "issuer": "Giám đốc Sở Nội vụ",
    }
    made = api.post("/api/v1/raises/batches", json=body, headers=token)
    assert made.status_code == 201, made.get_json()
    batch = made.get_json()
    assert [item["number"] for item in batch["items"]] == ["5/QĐ-SNV", "6/QĐ-SNV"]
    assert [item["effective_on"] for item in batch["items"]] == ["2026-03-15", "2026-04-30"]
    twice = api.post("/api/v1/raises/batches", json=body, headers=token)
    assert twice.status_code == 422
    assert "already in draft batch" in twice.get_json()["error"]["fields"]["employee_ids.0"][0]
    stale = api.post(
        f"/api/v1/raises/batches/{batch['id']}/confirm",
        json={"version": batch["version"] + 1},
        headers=token,
    )
    assert stale.status_code == 409
    confirmed = api.post(
        f"/api/v1/raises/batches/{batch['id']}/confirm",
        json={"version": batch["version"]},
        headers=token,
    )
    assert confirmed.status_code == 200, confirmed.get_json()
    result = confirmed.get_json()
    assert result["state"] == "confirmed"
    assert all(item["decision_id"] for item in result["items"])
    outside = {"Authorization": f"Bearer {issue_token(world.users['head'])}"}
    assert api.get(f"/api/v1/raises/batches/{batch['id']}", headers=outside).status_code == 403
