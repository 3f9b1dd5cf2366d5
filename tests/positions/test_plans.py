"""Position plan workflow through the services: draft → submitted → approved or returned,
immutability once approved, new versions with their lineage, comparison, occupancy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask_babel import force_locale

from hrms.core.errors import ConflictError, DomainError, ValidationFailed
from hrms.core.schemas import load
from hrms.extensions import db
from positions import queries, services
from positions.models import PlanState, PositionPlan, UnitPosition
from positions.schemas import UnitPositionCreate
from positions.services import OCCUPANCY, plan_approved
from tests.positions import factories

pytestmark = pytest.mark.usefixtures("service_context")


@pytest.fixture(autouse=True)
def _english(service_context: None) -> Any:
    """Messages in their English wording (msgids), whatever the catalog says."""
    with force_locale("en"):
        yield


def position_data(code: str = "VT-01", **extra: Any) -> dict[str, Any]:
    data = {
        "code": code,
        "name": "Chuyên viên tuyển dụng",
        "grp": "professional",
        "headcount": 2,
        "rank_codes": "01.003, 01.002",
        "tasks": [
            {
                "description": "Tổ chức thi tuyển",
                "outputs": [
                    {"name": "Kế hoạch", "unit_of_measure": "văn bản", "conversion_factor": "2,5"}
                ],
            }
        ],
    }
    return load(UnitPositionCreate(), data | extra)


def drafted(world: Any, positions: int = 1) -> PositionPlan:
    head = world.users["head"]
    plan = services.create_plan(head, world.division_a.id, {"note": "Đề án năm 2026"})
    for number in range(1, positions + 1):
        services.add_position(head, plan, position_data(f"VT-0{number}"))
    db.session.commit()
    return plan


def approved(world: Any, positions: int = 1) -> PositionPlan:
    plan = drafted(world, positions)
    services.submit_plan(world.users["head"], plan, {"version": plan.version})
    services.approve_plan(
        world.users["officer"],
        plan,
        {"version": plan.version, "effective_on": dt.date(2026, 1, 1), "approval_number": "5/QĐ"},
    )
    db.session.commit()
    return plan


def test_the_head_drafts_and_submits_the_officer_approves(world) -> None:  # type: ignore[no-untyped-def]
    plan = drafted(world, positions=2)
    assert (plan.state, plan.number, plan.previous_id) == ("draft", 1, None)
    position = plan.positions[0]
    assert position.lineage_id == position.id
    assert position.rank_list == ["01.003", "01.002"]
    assert str(position.tasks[0].outputs[0].conversion_factor) == "2.50"

    services.submit_plan(world.users["head"], plan, {"version": plan.version})
    assert plan.state == PlanState.SUBMITTED.value
    assert plan.submitted_by == world.users["head"].id

    received: list[tuple[Any, Any]] = []

    def receive(sender: Any, previous: Any) -> None:
        received.append((sender, previous))

    with plan_approved.connected_to(receive):
        services.approve_plan(
            world.users["officer"],
            plan,
            {
                "version": plan.version,
                "effective_on": dt.date(2026, 1, 1),
                "approval_number": "5/QĐ-SNV",
            },
        )
    assert plan.state == PlanState.APPROVED.value
    assert plan.approval_number == "5/QĐ-SNV"
    assert plan.effective_on == dt.date(2026, 1, 1)
    assert plan.decided_by == world.users["officer"].id
    assert received == [(plan, None)]


def test_who_may_draft_and_who_may_approve(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as refused:
        services.create_plan(world.users["head2"], world.division_a.id, {})
    assert refused.value.field == "unit_id"
    with pytest.raises(DomainError):
        services.create_plan(world.users["officer"], world.division_a.id, {})  # no DRAFT
    plan = drafted(world)
    with pytest.raises(DomainError):
        services.add_position(world.users["head2"], plan, position_data("VT-09"))
    services.submit_plan(world.users["head"], plan, {"version": plan.version})
    decision = {"version": plan.version, "effective_on": dt.date(2026, 1, 1)}
    for unit_head in ("head", "head2"):
        with pytest.raises(DomainError, match="may not approve"):
            services.approve_plan(world.users[unit_head], plan, decision)
    assert plan.state == "submitted"


def test_nobody_approves_their_own_submission(world) -> None:  # type: ignore[no-untyped-def]
    admin = world.users["admin"]
    plan = services.create_plan(admin, world.division_a.id, {})
    services.add_position(admin, plan, position_data())
    services.submit_plan(admin, plan, {"version": plan.version})
    with pytest.raises(DomainError, match="own submission"):
        services.approve_plan(
            admin, plan, {"version": plan.version, "effective_on": dt.date(2026, 1, 1)}
        )
    assert plan.state == "submitted"
    services.approve_plan(
        world.users["officer"], plan, {"version": plan.version, "effective_on": dt.date(2026, 1, 1)}
    )
    assert plan.state == "approved"


def test_an_empty_plan_cannot_be_submitted_and_one_open_version_at_a_time(world) -> None:  # type: ignore[no-untyped-def]
    plan = services.create_plan(world.users["head"], world.division_a.id, {})
    with pytest.raises(DomainError, match="at least one position"):
        services.submit_plan(world.users["head"], plan, {"version": plan.version})
    with pytest.raises(DomainError, match="already has a plan version") as refused:
        services.create_plan(world.users["head"], world.division_a.id, {})
    assert refused.value.field == "unit_id"


def test_returning_needs_a_comment_and_reopens_the_plan(world) -> None:  # type: ignore[no-untyped-def]
    plan = drafted(world)
    services.submit_plan(world.users["head"], plan, {"version": plan.version})
    with pytest.raises(DomainError) as refused:
        services.return_plan(
            world.users["officer"], plan, {"version": plan.version, "comment": " "}
        )
    assert refused.value.field == "comment"
    assert plan.state == "submitted"
    # a submitted plan is frozen for its drafters
    with pytest.raises(DomainError, match="waiting for approval"):
        services.add_position(world.users["head"], plan, position_data("VT-05"))
    services.return_plan(
        world.users["officer"], plan, {"version": plan.version, "comment": "Thiếu vị trí văn thư"}
    )
    assert plan.state == "returned"
    assert plan.decision_comment == "Thiếu vị trí văn thư"
    services.add_position(world.users["head"], plan, position_data("VT-05"))
    services.submit_plan(world.users["head"], plan, {"version": plan.version})
    assert plan.state == "submitted"


def test_only_a_submitted_plan_is_decided(world) -> None:  # type: ignore[no-untyped-def]
    plan = drafted(world)
    with pytest.raises(DomainError, match="Only a submitted plan"):
        services.approve_plan(
            world.users["officer"],
            plan,
            {"version": plan.version, "effective_on": dt.date(2026, 1, 1)},
        )
    assert plan.state == "draft"


def test_an_approved_plan_is_immutable(world) -> None:  # type: ignore[no-untyped-def]
    plan = approved(world)
    position = plan.positions[0]
    head = world.users["head"]
    with pytest.raises(DomainError, match="approved and can no longer be changed"):
        services.update_position(head, position, {"version": position.version, "headcount": 9})
    with pytest.raises(DomainError, match="approved"):
        services.add_position(head, plan, position_data("VT-07"))
    with pytest.raises(DomainError, match="approved"):
        services.remove_position(head, position)
    with pytest.raises(DomainError, match="Only a draft or a returned plan"):
        services.submit_plan(head, plan, {"version": plan.version})
    db.session.rollback()
    assert db.session.get(UnitPosition, position.id).headcount == 2


def test_a_stale_version_is_a_conflict(world) -> None:  # type: ignore[no-untyped-def]
    plan = drafted(world)
    position = plan.positions[0]
    read = position.version
    services.update_position(world.users["head"], position, {"version": read, "headcount": 3})
    db.session.commit()
    with pytest.raises(ConflictError):
        services.update_position(world.users["head"], position, {"version": read, "headcount": 4})
    with pytest.raises(ConflictError):
        services.submit_plan(world.users["head"], plan, {"version": plan.version - 1})
    db.session.rollback()
    assert db.session.get(UnitPosition, position.id).headcount == 3


def test_position_input_is_checked_field_by_field(world) -> None:  # type: ignore[no-untyped-def]
    plan = drafted(world)
    old = factories.plan_competency("TST-01", "Đạo đức công vụ")
    new = factories.plan_version(old, dt.date(2025, 6, 1))
    retired = factories.plan_competency("TST-02", "Tư duy", active=False)
    with pytest.raises(ValidationFailed) as refused:
        services.add_position(
            world.users["head"],
            plan,
            position_data(
                "VT-01",  # taken in this plan
                rank_codes="01.003",
                requirements=[
                    {"competency_version_id": old.id, "level": 3},  # not the version in force
                    {"competency_version_id": retired.id, "level": 2},
                    {"competency_version_id": 999_999, "level": 2},
                ],
                rank_limits=[{"rank_code": "01.001", "max_percent": 20}],
            ),
        )
    errors = refused.value.errors
    assert set(errors) == {
        "code",
        "requirements.0.competency_version_id",
        "requirements.1.competency_version_id",
        "requirements.2.competency_version_id",
        "rank_limits.0.rank_code",
    }
    assert "another version" in str(errors["requirements.0.competency_version_id"][0])
    with pytest.raises(ValidationFailed) as refused:
        load(
            UnitPositionCreate(),
            {
                "code": "VT 02",
                "name": "X",
                "grp": "nhom",
                "headcount": -1,
                "requirements": [{"competency_version_id": new.id, "level": 6}],
            },
        )
    assert {"code", "grp", "headcount", "requirements.0.level"} <= set(refused.value.errors)
    assert "from 1 to 5" in str(refused.value.errors["requirements.0.level"])
    db.session.rollback()
    assert len(queries.plan_positions(plan.id)) == 1

    position = services.add_position(
        world.users["head"],
        plan,
        position_data("VT-02", requirements=[{"competency_version_id": new.id, "level": 4}]),
    )
    assert [(r.competency_version_id, r.level) for r in position.requirements] == [(new.id, 4)]


def test_a_new_version_copies_the_positions_and_compares(world) -> None:  # type: ignore[no-untyped-def]
    competency = factories.plan_competency("TST-01", "Đạo đức công vụ")
    first = approved(world, positions=3)
    head = world.users["head"]
    second = services.create_plan(head, world.division_a.id, {"note": "Bổ sung"})
    assert (second.number, second.previous_id, second.state) == (2, first.id, "draft")
    copies = {p.code: p for p in second.positions}
    originals = {p.code: p for p in first.positions}
    assert set(copies) == {"VT-01", "VT-02", "VT-03"}
    for code, copy in copies.items():
        assert copy.id != originals[code].id
        assert copy.lineage_id == originals[code].lineage_id
        assert [t.description for t in copy.tasks] == [t.description for t in originals[code].tasks]

    changed = copies["VT-01"]
    services.update_position(
        head,
        changed,
        {
            "version": changed.version,
            "headcount": 5,
            "name": "Chuyên viên thi tuyển",
            "requirements": [{"competency_version_id": competency.id, "level": 3}],
        },
    )
    services.remove_position(head, copies["VT-02"])
    services.add_position(head, second, position_data("VT-09", headcount=1))
    db.session.commit()

    comparison = queries.compare_plans(first, second)
    assert [p.code for p in comparison.added] == ["VT-09"]
    assert [p.code for p in comparison.removed] == ["VT-02"]
    assert [c.new.code for c in comparison.changed] == ["VT-01"]
    assert {f.field for f in comparison.changed[0].fields} == {"name", "headcount", "requirements"}
    assert [p.code for p in comparison.unchanged] == ["VT-03"]
    assert [(h.code, h.old, h.new, h.delta) for h in comparison.headcounts] == [
        ("VT-01", 2, 5, 3),
        ("VT-02", 2, 0, -2),
        ("VT-09", 0, 1, 1),
    ]
    assert (comparison.total_old, comparison.total_new, comparison.total_delta) == (6, 8, 2)

    # the approved first version is untouched
    db.session.expire_all()
    assert [p.headcount for p in queries.plan_positions(first.id)] == [2, 2, 2]

    services.submit_plan(head, second, {"version": second.version})
    with pytest.raises(DomainError) as refused:
        services.approve_plan(
            world.users["officer"],
            second,
            {"version": second.version, "effective_on": dt.date(2025, 12, 31)},
        )
    assert refused.value.field == "effective_on"
    received: list[Any] = []
    with plan_approved.connected_to(lambda sender, previous: received.append(previous)):
        services.approve_plan(
            world.users["officer"],
            second,
            {"version": second.version, "effective_on": dt.date(2026, 7, 1)},
        )
    assert received == [first]
    assert queries.plan_in_force(world.division_a.id, dt.date(2026, 8, 1)).id == second.id
    assert queries.plan_in_force(world.division_a.id, dt.date(2026, 2, 1)).id == first.id


def test_a_draft_plan_cannot_start_a_version_beside_it(world) -> None:  # type: ignore[no-untyped-def]
    approved(world)
    services.create_plan(world.users["head"], world.division_a.id, {})
    with pytest.raises(DomainError, match="already has a plan version"):
        services.create_plan(world.users["head"], world.division_a.id, {})


def test_the_headcount_cannot_fall_below_the_people_placed(app, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = approved(world, positions=2)
    lineage = first.positions[0].lineage_id
    monkeypatch.setitem(
        app.extensions, OCCUPANCY, lambda ids: {lineage: 2} if lineage in ids else {}
    )
    head = world.users["head"]
    second = services.create_plan(head, world.division_a.id, {})
    placed_copy = next(p for p in second.positions if p.lineage_id == lineage)
    with pytest.raises(ValidationFailed) as refused:
        services.update_position(
            head, placed_copy, {"version": placed_copy.version, "headcount": 1}
        )
    assert "2 people are placed" in str(refused.value.errors["headcount"][0])
    with pytest.raises(DomainError, match="move them before removing"):
        services.remove_position(head, placed_copy)
    services.update_position(head, placed_copy, {"version": placed_copy.version, "headcount": 2})
    other = next(p for p in second.positions if p.lineage_id != lineage)
    services.remove_position(head, other)  # nobody placed there
    assert [p.code for p in queries.plan_positions(second.id)] == [placed_copy.code]


def test_approval_rechecks_the_placed_counts(app, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """People placed after the plan was drafted (in the version in force) still count."""
    first = approved(world, positions=2)
    head = world.users["head"]
    second = services.create_plan(head, world.division_a.id, {})
    gone = next(p for p in second.positions if p.code == "VT-02")
    services.remove_position(head, gone)
    services.submit_plan(head, second, {"version": second.version})
    lineage = next(p.lineage_id for p in first.positions if p.code == "VT-02")
    monkeypatch.setitem(app.extensions, OCCUPANCY, lambda ids: {lineage: 1})
    with pytest.raises(DomainError, match="VT-02"):
        services.approve_plan(
            world.users["officer"],
            second,
            {"version": second.version, "effective_on": dt.date(2026, 7, 1)},
        )
    assert second.state == "submitted"


def test_add_from_the_catalogue(world) -> None:  # type: ignore[no-untyped-def]
    current = factories.plan_competency("TST-01", "Đạo đức công vụ")
    retired = factories.plan_competency("TST-02", "Tư duy chiến lược", active=False)
    entry = factories.catalogue_entry(requirements=[(current, 3), (retired, 2)])
    withdrawn = factories.catalogue_entry("CM-NV-02", "Cũ", active=False)
    plan = services.create_plan(world.users["head"], world.division_a.id, {})
    position = services.add_from_catalogue(
        world.users["head"], plan, entry.id, {"code": "VT-10", "headcount": 3}
    )
    assert (position.name, position.grp, position.rank_list, position.headcount) == (
        entry.title,
        "professional",
        ["01.003"],
        3,
    )
    assert position.framework_position_id == entry.id
    assert [t.description for t in position.tasks] == [
        "Xây dựng đề án tổ chức",
        "Tổng hợp báo cáo",
    ]
    assert [(o.name, o.unit_of_measure) for o in position.tasks[0].outputs] == [("Đề án", "đề án")]
    assert position.tasks[1].outputs == []
    assert [(r.competency_version_id, r.level) for r in position.requirements] == [(current.id, 3)]
    with pytest.raises(DomainError) as refused:
        services.add_from_catalogue(
            world.users["head"], plan, withdrawn.id, {"code": "VT-11", "headcount": 1}
        )
    assert refused.value.field == "framework_position_id"
