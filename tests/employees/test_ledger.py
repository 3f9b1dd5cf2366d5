"""The decisions ledger: derived state, corrections, and the dates that cannot be."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hrms.core.errors import ValidationFailed
from hrms.employees import queries, services

pytestmark = pytest.mark.usefixtures("service_context")


def decide(world, person, **fields):  # type: ignore[no-untyped-def]
    data = {
        "number": "1/QĐ-SNV",
        "signed_on": dt.date(2015, 1, 1),
        "issuer": "Giám đốc Sở",
        "supersedes_id": None,
        "unit_id": None,
        "rank_code": None,
        "salary_step": None,
        "salary_coefficient": None,
        "allowance_coefficient": None,
        "title": None,
        "note": None,
    } | fields
    unit = person.unit if "unit" in person.__dict__ else world.division_a
    return services.add_decision(world.users["officer"], person, unit, data)


def refused(world, person, **fields) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as raised:
        decide(world, person, **fields)
    return raised.value.errors


def recruit(world, person, on=dt.date(2021, 3, 1)):  # type: ignore[no-untyped-def]
    return decide(
        world,
        person,
        kind="recruitment",
        effective_on=on,
        signed_on=on - dt.timedelta(days=10),
        unit_id=world.division_a.id,
        rank_code="01.003",
        salary_step=1,
        salary_coefficient=Decimal("2.34"),
    )


def test_state_follows_the_ledger(world) -> None:  # type: ignore[no-untyped-def]
    person = world.in_b
    recruit(world, person)
    assert (person.unit_id, person.rank_code, person.salary_step, person.status) == (
        world.division_a.id,
        "01.003",
        1,
        "working",
    )
    assert person.recruited_on == dt.date(2021, 3, 1)
    decide(
        world,
        person,
        kind="salary_step",
        effective_on=dt.date(2024, 3, 1),
        salary_step=2,
        salary_coefficient=Decimal("2.67"),
    )
    decide(
        world,
        person,
        kind="appointment",
        effective_on=dt.date(2024, 6, 1),
        title="Phó Trưởng phòng",
        allowance_coefficient=Decimal("0.40"),
    )
    assert (person.salary_step, person.salary_coefficient, person.salary_since) == (
        2,
        Decimal("2.67"),
        dt.date(2024, 3, 1),
    )
    assert (person.position_title, person.position_allowance) == (
        "Phó Trưởng phòng",
        Decimal("0.40"),
    )
    work = queries.work_history(queries.decisions_of(person.id), {})
    assert [(p.start, p.end) for p in work] == [
        (dt.date(2021, 3, 1), dt.date(2024, 5, 31)),
        (dt.date(2024, 6, 1), None),
    ]
    salary = queries.salary_history(queries.decisions_of(person.id))
    assert [(p.start, p.end, p.rank_code, p.salary_coefficient) for p in salary] == [
        (dt.date(2021, 3, 1), dt.date(2024, 2, 29), "01.003", Decimal("2.34")),
        (dt.date(2024, 3, 1), None, "01.003", Decimal("2.67")),
    ]
    decide(world, person, kind="retirement", effective_on=dt.date(2025, 1, 1))
    assert person.status == "retired"


def test_a_correction_supersedes_and_the_state_follows(world) -> None:  # type: ignore[no-untyped-def]
    person = world.in_b
    recruit(world, person)
    wrong = decide(  # a step the rules allow, but not the one decided (issue 7 refuses 2.76)
        world,
        person,
        kind="salary_step",
        effective_on=dt.date(2024, 3, 1),
        salary_step=3,
        salary_coefficient=Decimal("3.00"),
    )
    assert person.salary_coefficient == Decimal("3.00")
    decide(
        world,
        person,
        kind="salary_step",
        effective_on=dt.date(2024, 3, 1),
        salary_step=2,
        salary_coefficient=Decimal("2.67"),
        supersedes_id=wrong.id,
    )
    assert person.salary_coefficient == Decimal("2.67")
    decisions = queries.decisions_of(person.id)
    assert len(decisions) == 3  # nothing deleted
    assert queries.superseded_ids(decisions) == {wrong.id}
    again = refused(
        world,
        person,
        kind="salary_step",
        effective_on=dt.date(2024, 3, 1),
        salary_step=2,
        salary_coefficient=Decimal("2.67"),
        supersedes_id=wrong.id,
    )
    assert "supersedes_id" in again
    other_kind = refused(
        world,
        person,
        kind="reward",
        effective_on=dt.date(2024, 5, 1),
        title="Giấy khen",
        supersedes_id=decisions[0].id,
    )
    assert "kind" in other_kind


def test_dates_that_cannot_be(world) -> None:  # type: ignore[no-untyped-def]
    person = world.in_b  # born 17/05/1990
    assert "effective_on" in refused(
        world,
        person,
        kind="recruitment",
        effective_on=dt.date(2007, 5, 1),
        unit_id=world.division_a.id,
    )  # under 18
    recruit(world, person)
    before = refused(
        world, person, kind="reward", effective_on=dt.date(2020, 6, 1), title="Giấy khen"
    )
    assert "01/03/2021" in before["effective_on"][0]
    assert "kind" in refused(
        world,
        person,
        kind="recruitment",
        effective_on=dt.date(2022, 1, 1),
        unit_id=world.division_a.id,
    )  # a second recruitment
    decide(world, person, kind="retirement", effective_on=dt.date(2025, 1, 1))
    after = refused(
        world, person, kind="reward", effective_on=dt.date(2025, 6, 1), title="Bằng khen"
    )
    assert "01/01/2025" in after["effective_on"][0]
    future = refused(
        world,
        person,
        kind="reward",
        effective_on=dt.date(2023, 1, 1),
        title="Bằng khen",
        signed_on=dt.date(2999, 1, 1),
    )
    assert "signed_on" in future


def test_required_parts_of_each_kind(world) -> None:  # type: ignore[no-untyped-def]
    errors = refused(world, world.in_b, kind="rank_placement", effective_on=dt.date(2016, 1, 1))
    assert {"rank_code", "salary_step", "salary_coefficient"} <= set(errors)
    assert "title" in refused(
        world, world.in_b, kind="discipline", effective_on=dt.date(2016, 1, 1)
    )


def test_units_must_exist_on_the_date_and_be_in_scope(world) -> None:  # type: ignore[no-untyped-def]
    early = refused(
        world,
        world.in_b,
        kind="recruitment",
        effective_on=dt.date(2019, 1, 1),
        unit_id=world.division_a.id,
        signed_on=dt.date(2018, 12, 1),
    )
    assert early["unit_id"] == ["Đơn vị này không tồn tại vào ngày có hiệu lực."]
    elsewhere = refused(
        world,
        world.in_b,
        kind="recruitment",
        effective_on=dt.date(2021, 1, 1),
        unit_id=world.other_department.id,
    )  # outside the officer's subtree
    assert list(elsewhere) == ["unit_id"]
