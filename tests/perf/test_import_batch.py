"""The dossier import writes new dossiers in groups: it reads what it checks against once per
file (no query per row), and when the database refuses a group the checks passed, it starts
again row by row to name the row, exactly as before."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from hrms.core.audit import AuditEntry
from hrms.employees import exchange, services
from hrms.employees.models import Employee, NameKey
from hrms.extensions import db
from tests.employees.test_exchange import person, send, summary_numbers, workbook


def _reads(counted: Any) -> list[str]:
    """Statements other than the inserts of the new rows (one per row on SQLite, which cannot
    return the keys of a multi-row insert in order)."""
    return [s for s in counted.statements if not s.startswith("INSERT")]


def test_the_import_reads_a_fixed_number_of_times(
    client: Any, world: Any, login_as: Any, count_queries: Any
) -> None:
    login_as("officer")
    send(client, workbook([person(1)]), dry_run=True)  # warm: the first request loads the account
    with count_queries() as small:
        response = send(
            client,
            workbook(
                [person(n, social_insurance_number=f"01234567{n:02d}") for n in range(10, 13)]
            ),
        )
    assert response.status_code == 200 and summary_numbers(response.text) == [3, 0, 0]
    with count_queries() as large:
        response = send(
            client,
            workbook(
                [person(n, social_insurance_number=f"01234567{n:02d}") for n in range(20, 50)]
            ),
        )
    assert response.status_code == 200 and summary_numbers(response.text) == [30, 0, 0]
    assert len(_reads(large)) == len(_reads(small)), _reads(large)


def test_a_group_the_database_refuses_is_imported_again_row_by_row(
    client: Any, world: Any, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused: list[int] = []
    original = services.Batch.flush

    def refuse_once(batch: services.Batch) -> None:
        if not refused:
            # a duplicate ID number the checks did not see: the database refuses the group
            refused.append(len(batch.pending))
            batch.pending[0].national_id = world.in_b.national_id
        original(batch)

    monkeypatch.setattr(services.Batch, "flush", refuse_once)
    login_as("officer")
    before = db.session.scalar(select(func.count()).select_from(Employee))
    response = send(client, workbook([person(61), person(62), person(63)]))
    assert response.status_code == 200, response.text
    assert refused == [3] and summary_numbers(response.text) == [3, 0, 0]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Employee)) == before + 3
    created = db.session.scalars(
        select(Employee).where(Employee.full_name.like("Phạm Thị Thu%"))
    ).all()
    assert len(created) == 3
    keys = db.session.scalar(
        select(func.count())
        .select_from(NameKey)
        .where(NameKey.employee_id.in_([e.id for e in created]))
    )
    assert keys and keys >= 3
    entries = db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.object_type == "employees", AuditEntry.actor_name == "officer"
        )
    ).all()
    assert sorted(entries) == ["create"] * 3 + ["employees.import"]


def test_numbers_freed_by_an_update_may_be_taken_by_a_later_row(
    client: Any, world: Any, login_as: Any
) -> None:
    """Row 2 moves a person's social-insurance number, row 3 gives the old one to a new
    dossier: what the database would accept row by row, the groups accept too."""
    login_as("officer")
    first = send(client, workbook([person(71, social_insurance_number="0999999901")]))
    assert first.status_code == 200
    moved = {"national_id": person(71)["national_id"], "social_insurance_number": "0999999902"}
    second = send(
        client,
        workbook(
            [moved, person(72, social_insurance_number="0999999901")],
            fields=[c.field for c in exchange.COLUMNS],
        ),
    )
    assert second.status_code == 200, second.text
    assert summary_numbers(second.text) == [1, 1, 0]
