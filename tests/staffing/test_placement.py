"""Placing people in positions of their unit's approved plan: the decision in the ledger, one
main position at a time, concurrent ones, ending them, and every refusal with nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from hrms.employees.models import Decision, DecisionKind, Employee
from hrms.extensions import db
from hrms.staffing import services
from hrms.staffing.models import Placement
from positions.models import PlanState, PositionPlan, UnitPosition
from tests.conftest import page_errors
from tests.staffing import factories
from tests.staffing.conftest import placement_form


def placements_of(employee: Any) -> list[Placement]:
    return list(
        db.session.scalars(
            select(Placement).where(Placement.employee_id == employee.id).order_by(Placement.id)
        )
    )


def placement_decisions(employee: Any) -> list[Decision]:
    return list(
        db.session.scalars(
            select(Decision)
            .where(
                Decision.employee_id == employee.id,
                Decision.kind == DecisionKind.POSITION_PLACEMENT.value,
            )
            .order_by(Decision.id)
        )
    )


def fresh(employee: Any) -> Employee:
    db.session.expire_all()
    found = db.session.get(Employee, employee.id)
    assert found is not None
    return found


def place(client: Any, employee: Any, position: Any, **fields: Any) -> Any:
    return client.post_form(
        f"/staffing/employees/{employee.id}/place",
        placement_form(position, fresh(employee), **fields),
    )


def data(position: Any, employee: Any, **fields: Any) -> dict[str, Any]:
    """A service's input, as the schema loads it."""
    return {
        "version": fresh(employee).version,
        "position_id": position.id,
        "main": True,
        "number": "25/QĐ-SNV",
        "signed_on": dt.date(2025, 3, 1),
        "issuer": "Giám đốc Sở Nội vụ",
        "effective_on": dt.date(2025, 3, 1),
        "note": None,
    } | fields


def test_the_head_places_a_person_with_a_decision_in_the_ledger(
    client: Any, staffing: Any, login_as: Any
) -> None:
    world = staffing.world
    login_as("head")
    page = client.get(f"/staffing/employees/{world.own.id}/place")
    assert page.status_code == 200
    assert "CV-01 — Chuyên viên quản lý công chức" in page.text
    assert "TC-01" not in page.text  # another unit's position is not offered
    assert 'data-suggestion="CV-01"' in page.text  # the person's rank fits CV-01 best

    answer = place(client, world.own, staffing.officer, note="Đề án năm 2025")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/staffing/employees/{world.own.id}")

    [placement] = placements_of(world.own)
    assert (placement.position_id, placement.main, placement.started_on, placement.ended_on) == (
        staffing.officer.id,
        True,
        dt.date(2025, 3, 1),
        None,
    )
    assert placement.unit_id == world.division_a.id
    assert placement.lineage_id == staffing.officer.lineage_id
    [decision] = placement_decisions(world.own)
    assert decision.id == placement.decision_id
    assert (decision.number, decision.effective_on, decision.issuer, decision.note) == (
        "25/QĐ-SNV",
        dt.date(2025, 3, 1),
        "Giám đốc Sở Nội vụ",
        "Đề án năm 2025",
    )
    assert decision.title == "CV-01 — Chuyên viên quản lý công chức"
    assert decision.unit_id is None  # a placement never moves the person to another unit
    person = fresh(world.own)
    assert person.position_id == staffing.officer.id
    assert person.unit_id == world.division_a.id

    shown = client.get(answer.headers["Location"]).text
    assert f'data-placement="{placement.id}"' in shown and "CV-01" in shown
    assert 'data-testid="not-placed"' not in shown
    # the dossier page links to the person's position and competencies
    dossier = client.get(f"/employees/{world.own.id}").text
    assert f"/staffing/employees/{world.own.id}" in dossier


def test_a_new_main_position_ends_the_previous_one(
    app: Any, staffing: Any, service_context: None
) -> None:
    world = staffing.world
    head = world.users["head"]
    first = services.place(head, world.own, data(staffing.officer, world.own))
    second = services.place(
        head,
        world.own,
        data(
            staffing.clerk,
            world.own,
            number="40/QĐ-SNV",
            effective_on=dt.date(2025, 9, 1),
            signed_on=dt.date(2025, 8, 20),
        ),
    )
    db.session.commit()
    first, second = placements_of(world.own)
    assert first.ended_on == dt.date(2025, 8, 31)  # the day before the new one
    assert first.ended_by_decision_id == second.decision_id
    assert (second.ended_on, second.main, second.position_id) == (None, True, staffing.clerk.id)
    assert fresh(world.own).position_id == staffing.clerk.id
    assert [d.title for d in placement_decisions(world.own)] == [
        "CV-01 — Chuyên viên quản lý công chức",
        "VT-01 — Văn thư",
    ]
    # one open main position, whatever happens
    assert sum(1 for p in placements_of(world.own) if p.main and p.ended_on is None) == 1


def test_a_new_main_position_must_start_after_the_current_one(
    client: Any, staffing: Any, login_as: Any
) -> None:
    world = staffing.world
    factories.placement(world.own, staffing.officer, started_on=dt.date(2025, 3, 1))
    login_as("head")
    answer = place(client, world.own, staffing.clerk, effective_on="01/03/2025")
    assert answer.status_code == 422
    assert 'data-field-error="effective_on"' in answer.text
    assert any("since 01/03/2025" in message for message in page_errors(answer.text))
    [only] = placements_of(world.own)
    assert only.ended_on is None and fresh(world.own).position_id == staffing.officer.id
    assert len(placement_decisions(world.own)) == 1


def test_concurrent_positions_and_their_end(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    factories.placement(world.own, staffing.officer, started_on=dt.date(2025, 3, 1))
    login_as("head")
    answer = place(
        client, world.own, staffing.clerk, main="false", effective_on="01/04/2025", number="31/QĐ"
    )
    assert answer.status_code == 302
    main, concurrent = placements_of(world.own)
    assert (main.ended_on, concurrent.main, concurrent.started_on) == (
        None,
        False,
        dt.date(2025, 4, 1),
    )
    assert fresh(world.own).position_id == staffing.officer.id  # the main one stays
    assert placement_decisions(world.own)[-1].title == "VT-01 — Văn thư (kiêm nhiệm)"

    # the main position cannot also be held concurrently, nor a position held twice
    twice = place(client, world.own, staffing.officer, main="false", effective_on="01/05/2025")
    assert twice.status_code == 422 and 'data-field-error="position_id"' in twice.text
    again = place(client, world.own, staffing.clerk, main="false", effective_on="01/05/2025")
    assert again.status_code == 422
    assert any("already holds this position" in m for m in page_errors(again.text))
    assert len(placements_of(world.own)) == 2

    # ending: a main position cannot be ended, a concurrent one can, after its start
    url = f"/staffing/placements/{concurrent.id}/end"
    assert client.get(url).status_code == 200
    end = {
        "number": "50/QĐ-SNV",
        "signed_on": "01/06/2025",
        "issuer": "Giám đốc Sở Nội vụ",
        "effective_on": "01/04/2025",
    }
    early = client.post_form(url, end)
    assert early.status_code == 422 and 'data-field-error="effective_on"' in early.text
    refused_main = client.post_form(f"/staffing/placements/{main.id}/end", end)
    assert refused_main.status_code == 422
    assert any("ends when the person is placed" in m for m in page_errors(refused_main.text))
    ended = client.post_form(url, end | {"effective_on": "01/07/2025"})
    assert ended.status_code == 302
    db.session.expire_all()
    concurrent = db.session.get(Placement, concurrent.id)
    assert concurrent.ended_on == dt.date(2025, 6, 30)
    last = placement_decisions(world.own)[-1]
    assert concurrent.ended_by_decision_id == last.id
    assert last.title == "Thôi kiêm nhiệm: VT-01 — Văn thư"
    assert db.session.get(Placement, main.id).ended_on is None
    over = client.post_form(url, end | {"effective_on": "01/08/2025"})
    assert over.status_code == 422
    assert any("already ended" in m for m in page_errors(over.text))


@pytest.mark.parametrize(
    ("target", "fields", "field", "words"),
    [
        ("other", {}, "position_id", "position of another unit"),
        ("draft_position", {}, "position_id", "not approved"),
        (None, {}, "position_id", "Choose a position"),
        ("officer", {"effective_on": "01/12/2024"}, "position_id", "takes effect on 01/01/2025"),
        # the ledger's own rule (its message is translated already)
        ("officer", {"signed_on": "01/01/2099"}, "signed_on", ""),
        ("officer", {"number": ""}, "number", ""),
        ("officer", {"effective_on": "31/02/2025"}, "effective_on", ""),
    ],
)
def test_placements_refused_with_nothing_saved(
    client: Any,
    staffing: Any,
    login_as: Any,
    target: str | None,
    fields: dict[str, str],
    field: str,
    words: str,
) -> None:
    world = staffing.world
    login_as("head")
    decisions_before = db.session.scalar(select(func.count()).select_from(Decision))
    position = getattr(staffing, target) if target else staffing.officer
    if target is None:
        fields = {"position_id": "987654"}
    answer = place(client, world.own, position, **fields)
    assert answer.status_code == 422
    assert f'data-field-error="{field}"' in answer.text
    assert any(words in message for message in page_errors(answer.text))
    assert placements_of(world.own) == []
    assert db.session.scalar(select(func.count()).select_from(Decision)) == decisions_before
    assert fresh(world.own).position_id is None


def test_the_ledger_refuses_a_placement_before_recruitment(
    client: Any, staffing: Any, login_as: Any
) -> None:
    world = staffing.world
    newcomer = factories.person(world.division_a, "Trịnh Văn Khoa")
    factories.recruit(newcomer, dt.date(2025, 6, 1))
    login_as("head")
    answer = place(client, newcomer, staffing.officer, effective_on="01/05/2025")
    assert answer.status_code == 422
    assert 'data-field-error="effective_on"' in answer.text
    assert placements_of(newcomer) == [] and placement_decisions(newcomer) == []
    assert place(client, newcomer, staffing.officer, effective_on="01/06/2025").status_code == 302


def test_a_replaced_plan_version_is_refused(staffing: Any, service_context: None) -> None:
    world = staffing.world
    newer = factories.plan(
        world.division_a, effective_on=dt.date(2025, 7, 1), previous=staffing.plan_a, number=3
    )
    factories.position(newer, "CV-01", "Chuyên viên", headcount=3, lineage=staffing.officer)
    from hrms.core.errors import DomainError

    with pytest.raises(DomainError) as raised:
        services.place(
            world.users["head"],
            world.own,
            data(staffing.officer, world.own, effective_on=dt.date(2025, 8, 1)),
        )
    assert raised.value.field == "position_id"
    assert "replaced by version 3" in str(raised.value.message)
    # the same position is fine on a date the old version was in force
    services.place(
        world.users["head"],
        world.own,
        data(staffing.officer, world.own, effective_on=dt.date(2025, 3, 1)),
    )


def test_a_stale_form_is_a_conflict(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    login_as("head")
    seen = fresh(world.own).version
    factories.placement(world.own, staffing.clerk, started_on=dt.date(2025, 2, 1))  # meanwhile
    answer = client.post_form(
        f"/staffing/employees/{world.own.id}/place",
        placement_form(staffing.officer, fresh(world.own)) | {"version": str(seen)},
    )
    assert answer.status_code == 409
    assert any("in the meantime" in m for m in page_errors(answer.text))
    assert [p.position_id for p in placements_of(world.own)] == [staffing.clerk.id]


def test_only_people_in_service_are_placed(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    person = fresh(world.own)
    person.status = "retired"
    db.session.commit()
    login_as("head")
    answer = place(client, world.own, staffing.officer)
    assert answer.status_code == 422
    assert any("in service" in m for m in page_errors(answer.text))
    assert placements_of(world.own) == []


def test_who_may_place(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    # the head of division A does not see division B's people; the staff member may not place
    login_as("head")
    assert client.get(f"/staffing/employees/{world.in_b.id}/place").status_code == 404
    assert place(client, world.in_b, staffing.other).status_code == 404
    login_as("staff")
    assert place(client, world.own, staffing.officer).status_code == 403
    login_as("head2")
    assert place(client, world.own, staffing.officer).status_code == 404
    assert placements_of(world.own) == []
    # the personnel officer of the department places in any of its units
    login_as("officer")
    assert place(client, world.in_b, staffing.other).status_code == 302
    assert fresh(world.in_b).position_id == staffing.other.id


def test_ending_a_placement_out_of_scope(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    factories.placement(world.in_b, staffing.other)
    held = factories.placement(world.in_b, staffing.other, main=False)
    login_as("head")
    assert client.get(f"/staffing/placements/{held.id}/end").status_code == 404
    login_as("staff")
    assert client.get(f"/staffing/placements/{held.id}/end").status_code == 403


def test_placements_follow_a_newly_approved_plan_version(
    app: Any, staffing: Any, service_context: None
) -> None:
    """The officer approves version 2 of division A's plan: open placements move to the new
    version of their position; a position the new version drops keeps its holders."""
    from positions import services as plans

    world = staffing.world
    factories.placement(world.own, staffing.officer, started_on=dt.date(2025, 2, 1))
    clerk = factories.person(world.division_a, "Phạm Văn Bình", rank_code="02.007")
    factories.placement(clerk, staffing.clerk, started_on=dt.date(2025, 2, 1))
    factories.placement(clerk, staffing.officer, main=False, started_on=dt.date(2025, 3, 1))
    new_clerk = factories.position(staffing.draft_a, "VT-01", "Văn thư", lineage=staffing.clerk)
    ended = factories.person(world.division_a, "Đặng Thu Hà")
    gone = factories.placement(ended, staffing.officer, main=False)
    gone.ended_on = dt.date(2025, 5, 31)
    draft = db.session.get(PositionPlan, staffing.draft_a.id)
    assert draft is not None
    draft.state = PlanState.SUBMITTED.value
    draft.submitted_by = world.users["head"].id
    db.session.commit()

    plans.approve_plan(
        world.users["officer"],
        draft,
        {
            "version": draft.version,
            "effective_on": dt.date(2026, 1, 1),
            "approval_number": "12/QĐ-UBND",
            "comment": None,
        },
    )
    db.session.commit()
    moved = placements_of(world.own)[0]
    assert moved.position_id == staffing.draft_position.id
    assert moved.lineage_id == staffing.officer.lineage_id
    assert moved.ended_on is None
    assert fresh(world.own).position_id == staffing.draft_position.id
    main, concurrent = placements_of(clerk)
    assert (main.position_id, concurrent.position_id) == (
        new_clerk.id,
        staffing.draft_position.id,
    )
    assert fresh(clerk).position_id == new_clerk.id
    # an ended placement stays with the version it was held in
    assert db.session.get(Placement, gone.id).position_id == staffing.officer.id


def test_the_plan_cannot_drop_below_the_people_placed(
    app: Any, staffing: Any, service_context: None
) -> None:
    """The positions feature asks the staffing feature how many are placed (the occupancy
    hook): a new version may not have fewer places than people placed."""
    from hrms.core.errors import DomainError
    from positions import services as plans

    world = staffing.world
    factories.placement(world.own, staffing.officer)
    second = factories.person(world.division_a, "Vũ Thị Lan")
    factories.placement(second, staffing.officer)
    draft = db.session.get(PositionPlan, staffing.draft_a.id)
    assert draft is not None and db.session.get(UnitPosition, staffing.draft_position.id)
    draft.state = PlanState.SUBMITTED.value
    draft.submitted_by = world.users["head"].id
    db.session.commit()
    with pytest.raises(DomainError) as raised:
        plans.approve_plan(
            world.users["officer"],
            draft,
            {"version": draft.version, "effective_on": dt.date(2026, 1, 1)},
        )
    assert "2 people placed" in str(raised.value.message)
    db.session.rollback()
    # nor drop a position somebody holds
    clerk = factories.person(world.division_a, "Phạm Văn Bình", rank_code="02.007")
    factories.placement(clerk, staffing.clerk)
    position = db.session.get(UnitPosition, staffing.draft_position.id)
    position.headcount = 2
    db.session.commit()
    draft = db.session.get(PositionPlan, staffing.draft_a.id)
    with pytest.raises(DomainError) as removed:
        plans.approve_plan(
            world.users["officer"],
            draft,
            {"version": draft.version, "effective_on": dt.date(2026, 1, 1)},
        )
    assert "VT-01 Văn thư is removed but 1 people are placed" in str(removed.value.message)


def test_placing_beyond_the_headcount_is_allowed_with_a_warning(
    client: Any, staffing: Any, login_as: Any
) -> None:
    world = staffing.world
    factories.placement(factories.person(world.division_a, "Hà Văn Sơn"), staffing.clerk)
    login_as("head")
    answer = place(client, world.own, staffing.clerk)
    assert answer.status_code == 302
    shown = client.get(answer.headers["Location"]).text
    assert "VT-01 is now over its approved headcount (1)" in shown
    assert fresh(world.own).position_id == staffing.clerk.id
