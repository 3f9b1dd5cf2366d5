"""The organisation tree: paths, subtrees, renames and moves with history, closing, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from hrms.core.dates import today
from hrms.core.errors import ConflictError, DomainError
from hrms.core.security import Permission, Scope
from hrms.extensions import db
from hrms.org import queries, services
from hrms.org.models import Unit, UnitHistory

pytestmark = pytest.mark.usefixtures("service_context")


def admin(world):  # type: ignore[no-untyped-def]
    return world.users["admin"]


def test_create_unit_sets_path_and_depth(world) -> None:  # type: ignore[no-untyped-def]
    unit = services.create_unit(
        admin(world),
        {
            "code": "div-c",
            "name": "  Phòng   Pháp chế ",
            "kind": "division",
            "parent_id": world.department.id,
            "effective_from": dt.date(2025, 7, 1),
        },
    )
    assert unit.code == "DIV-C"
    assert unit.name == "Phòng Pháp chế"
    assert unit.path == f"{world.department.path}{unit.id}/"
    assert unit.depth == world.department.depth + 1
    assert unit.search_text == "phong phap che div-c"


def test_create_refuses_duplicate_code_and_closed_parent(world) -> None:  # type: ignore[no-untyped-def]
    data = {
        "code": "div-a",
        "name": "Trùng mã",
        "kind": "division",
        "parent_id": world.department.id,
        "effective_from": dt.date(2025, 7, 1),
    }
    with pytest.raises(DomainError) as raised:
        services.create_unit(admin(world), data)
    assert raised.value.field == "code"
    world.division_b.effective_to = dt.date(2025, 12, 31)
    db.session.flush()
    with pytest.raises(DomainError) as raised:
        services.create_unit(admin(world), data | {"code": "NEW", "parent_id": world.division_b.id})
    assert raised.value.field == "parent_id"


def test_child_cannot_start_before_parent(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as raised:
        services.create_unit(
            admin(world),
            {
                "code": "EARLY",
                "name": "Tổ sớm",
                "kind": "division",
                "parent_id": world.department.id,
                "effective_from": dt.date(2019, 12, 31),
            },
        )
    assert raised.value.field == "effective_from"
    assert "01/01/2020" in str(raised.value.message)


def test_subtree_is_one_range_query(world) -> None:  # type: ignore[no-untyped-def]
    statements: list[str] = []
    engine = db.session.get_bind()
    department = db.session.get(Unit, world.department.id)
    assert department is not None

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if not statement.startswith(("SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        units = list(db.session.scalars(queries.subtree(department)))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert {u.code for u in units} == {"DEP", "DIV-A", "TEAM-A", "DIV-B"}
    assert len(statements) == 1
    assert "path >=" in statements[0] and "path <" in statements[0]


def test_rename_keeps_old_name_in_history(world) -> None:  # type: ignore[no-untyped-def]
    unit = world.division_a
    services.rename_unit(
        admin(world),
        unit,
        {
            "version": unit.version,
            "name": "Phòng Công chức, viên chức",
            "effective_date": dt.date(2025, 7, 1),
            "note": "QĐ 12/QĐ-SNV",
        },
    )
    assert unit.name == "Phòng Công chức, viên chức"
    assert unit.current_since == dt.date(2025, 7, 1)
    [old] = queries.history_of(unit)
    assert (old.name, old.valid_from, old.valid_to) == (
        "Phòng Công chức",
        dt.date(2020, 1, 1),
        dt.date(2025, 6, 30),
    )
    assert old.parent_name == "Sở Nội vụ"
    assert old.note == "QĐ 12/QĐ-SNV"


@pytest.mark.parametrize(
    ("effective", "fragment"),
    [(dt.date(2019, 5, 1), "01/01/2020"), (dt.date(2020, 1, 1), "01/01/2020")],
)
def test_rename_date_must_follow_current_version(world, effective, fragment) -> None:  # type: ignore[no-untyped-def]
    unit = world.division_a
    with pytest.raises(DomainError) as raised:
        services.rename_unit(
            admin(world),
            unit,
            {"version": unit.version, "name": "Tên mới", "effective_date": effective},
        )
    assert raised.value.field == "effective_date"
    assert fragment in str(raised.value.message)


def test_rename_refuses_future_date_and_same_name(world) -> None:  # type: ignore[no-untyped-def]
    unit = world.division_a
    with pytest.raises(DomainError) as raised:
        services.rename_unit(
            admin(world),
            unit,
            {
                "version": unit.version,
                "name": "Tên mới",
                "effective_date": today() + dt.timedelta(days=1),
            },
        )
    assert raised.value.field == "effective_date"
    with pytest.raises(DomainError) as raised:
        services.rename_unit(
            admin(world),
            unit,
            {"version": unit.version, "name": unit.name, "effective_date": dt.date(2025, 1, 1)},
        )
    assert raised.value.field == "name"


def test_stale_version_is_a_conflict(world) -> None:  # type: ignore[no-untyped-def]
    unit = world.division_a
    with pytest.raises(ConflictError):
        services.rename_unit(
            admin(world),
            unit,
            {
                "version": unit.version - 1,
                "name": "Tên khác",
                "effective_date": dt.date(2025, 1, 1),
            },
        )
    assert db.session.scalar(select(Unit.name).where(Unit.id == unit.id)) == "Phòng Công chức"


def test_move_reroots_the_whole_subtree(world) -> None:  # type: ignore[no-untyped-def]
    unit = world.division_a
    services.move_unit(
        admin(world),
        unit,
        {
            "version": unit.version,
            "parent_id": world.other_department.id,
            "effective_date": dt.date(2025, 7, 1),
        },
    )
    db.session.expire_all()
    team = db.session.get(Unit, world.team_a.id)
    moved = db.session.get(Unit, unit.id)
    assert moved.parent_id == world.other_department.id
    assert moved.path == f"{world.other_department.path}{unit.id}/"
    assert team.path == f"{moved.path}{team.id}/"
    assert team.depth == moved.depth + 1
    [old] = queries.history_of(moved)
    assert (old.change, old.parent_name) == ("move", "Sở Nội vụ")
    assert {
        u.code
        for u in db.session.scalars(queries.subtree(db.session.get(Unit, world.department.id)))
    } == {"DEP", "DIV-B"}


def test_move_under_own_descendant_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    unit = world.division_a
    for target in (world.team_a, world.division_a):
        with pytest.raises(DomainError) as raised:
            services.move_unit(
                admin(world),
                unit,
                {
                    "version": unit.version,
                    "parent_id": target.id,
                    "effective_date": dt.date(2025, 7, 1),
                },
            )
        assert raised.value.field == "parent_id"
        assert "sub-units" in str(raised.value.message) or "đơn vị trực thuộc" in str(
            raised.value.message
        )


def test_close_refuses_open_children_then_succeeds(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as raised:
        services.close_unit(
            admin(world),
            world.division_a,
            {"version": world.division_a.version, "effective_date": dt.date(2025, 6, 30)},
        )
    assert "1" in str(raised.value.message)
    services.close_unit(
        admin(world),
        world.team_a,
        {"version": world.team_a.version, "effective_date": dt.date(2025, 6, 30)},
    )
    assert world.team_a.effective_to == dt.date(2025, 6, 30)
    closed = db.session.scalars(
        select(UnitHistory).where(UnitHistory.unit_id == world.team_a.id)
    ).one()
    assert closed.change == "close"
    with pytest.raises(DomainError):
        services.rename_unit(
            admin(world),
            world.team_a,
            {
                "version": world.team_a.version,
                "name": "Khác",
                "effective_date": dt.date(2025, 7, 1),
            },
        )


def test_only_managers_change_the_tree(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError):
        services.create_unit(
            world.users["officer"],
            {
                "code": "X",
                "name": "X",
                "kind": "division",
                "parent_id": None,
                "effective_from": dt.date(2025, 1, 1),
            },
        )


def test_scopes(world) -> None:  # type: ignore[no-untyped-def]
    def visible(name: str) -> set[str]:
        return {u.code for u in queries.list_units(world.users[name])}

    everything = {"ROOT", "DEP", "DIV-A", "TEAM-A", "DIV-B", "OTHER"}
    assert visible("admin") == everything
    assert visible("officer") == {"DEP", "DIV-A", "TEAM-A", "DIV-B"}
    assert visible("head") == {"DIV-A", "TEAM-A"}
    assert visible("staff") == set()
    assert Scope.for_actor(world.users["staff"], Permission.ORG_VIEW) == Scope(everything=False)


def test_overlapping_grants_collapse_to_outer_subtree(world) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    both = UserFactory(grants=[("unit_head", world.team_a), ("unit_head", world.department)])
    scope = Scope.for_actor(both, Permission.ORG_VIEW)
    assert scope.subtree_paths == (world.department.path,)


def test_search_ignores_case_and_diacritics(world) -> None:  # type: ignore[no-untyped-def]
    found = queries.list_units(world.users["admin"], q="PHONG cong CHUC")
    assert [u.code for u in found] == ["DIV-A"]
    assert [u.code for u in queries.list_units(world.users["admin"], q="team-a")] == ["TEAM-A"]
    assert queries.list_units(world.users["admin"], q="100%") == []


def test_siblings_are_listed_by_name_under_their_parent(world) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UnitFactory

    for code, name in [("Z10", "Ban Tuyên giáo"), ("Z11", "Văn phòng"), ("Z12", "An ninh")]:
        UnitFactory(code=code, name=name, parent=world.department)
    codes = [u.code for u in queries.list_units(world.users["officer"])]
    assert codes == ["DEP", "Z12", "Z10", "DIV-A", "TEAM-A", "DIV-B", "Z11"]
