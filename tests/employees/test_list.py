"""The scoped list of dossiers: search, filters, sorting, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

from tests import factories

NAMES = re.compile(r'href="/employees/\d+">([^<]+)</a>')


def names(client, query: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    return NAMES.findall(client.get(f"/employees/{query}").text)


def test_scope(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    assert set(names(client)) == {"Lê Thị Ngọc Ánh", "Nguyễn Văn Ân", "Hoàng Minh Tâm"}
    login_as("head")
    assert set(names(client)) == {"Lê Thị Ngọc Ánh", "Nguyễn Văn Ân"}
    login_as("admin")
    assert "Đỗ Thị Hạnh" in names(client)


def test_search_ignores_case_and_diacritics_and_matches_id_numbers(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    assert names(client, "?q=nguyen van an") == ["Nguyễn Văn Ân"]
    assert names(client, "?q=NGUYỄN VĂN") == ["Nguyễn Văn Ân"]
    assert names(client, f"?q={world.in_b.national_id[:8]}") != []
    assert names(client, f"?q={world.in_b.national_id}") == ["Hoàng Minh Tâm"]
    assert names(client, "?q=100%25") == []


def test_filters_and_sorting(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    factories.EmployeeFactory(
        unit=world.division_b,
        full_name="Bùi Văn Cả",
        sex="male",
        date_of_birth=dt.date(1962, 1, 1),
        kind="vien_chuc",
        status="retired",
        national_id=factories.national_id_for("male", dt.date(1962, 1, 1), 5),
    )
    login_as("officer")
    assert names(client, "?sex=male") == ["Bùi Văn Cả", "Nguyễn Văn Ân"]
    assert names(client, "?kind=vien_chuc") == ["Bùi Văn Cả"]
    assert names(client, "?status=retired") == ["Bùi Văn Cả"]
    assert names(client, "?age_from=60") == ["Bùi Văn Cả"]
    assert "Bùi Văn Cả" not in names(client, "?age_to=59")
    assert names(client, f"?unit_id={world.division_b.id}") == ["Bùi Văn Cả", "Hoàng Minh Tâm"]
    assert names(client, "?sort=birth&order=asc")[0] == "Bùi Văn Cả"
    assert names(client, "?sort=name&order=desc")[0] == "Nguyễn Văn Ân"


TRAIL = re.compile(r'data-testid="unit-trail">(.*?)</nav>', re.S)
OPTIONS = re.compile(r'id="unit_id" name="unit_id">(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"[^>]*>([^<]+)</option>')


def unit_picker(client, query: str = "") -> tuple[list[str], list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    """The trail of units above the chosen one, and the drop-down's (value, label) pairs."""
    page = client.get(f"/employees/{query}").text
    trail = re.findall(r">([^<>]+)</(?:a|strong)>", TRAIL.search(page).group(1))  # type: ignore[union-attr]
    options = OPTION.findall(OPTIONS.search(page).group(1))  # type: ignore[union-attr]
    return trail, [(value, label.strip()) for value, label in options]


def test_the_unit_filter_goes_down_the_tree_one_level_at_a_time(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    """A province holds thousands of units: the filter shows the chosen unit's trail and the
    units right under it, never the whole tree."""
    login_as("admin")
    trail, options = unit_picker(client)
    assert trail == ["Tất cả đơn vị"]
    assert options == [("", "Tất cả đơn vị"), (str(world.root.id), "› Ủy ban nhân dân tỉnh")]
    trail, options = unit_picker(client, f"?unit_id={world.department.id}")
    assert trail == ["Tất cả đơn vị", "Ủy ban nhân dân tỉnh", "Sở Nội vụ"]
    assert options == [
        (str(world.department.id), "Tất cả Sở Nội vụ"),
        (str(world.division_a.id), "› Phòng Công chức"),
        (str(world.division_b.id), "› Phòng Tổ chức"),
    ]

    login_as("officer")  # scope: the department; the province above it is not shown
    trail, options = unit_picker(client)
    assert options == [("", "Tất cả đơn vị"), (str(world.department.id), "› Sở Nội vụ")]
    trail, options = unit_picker(client, f"?unit_id={world.team_a.id}")
    assert trail == ["Tất cả đơn vị", "Sở Nội vụ", "Phòng Công chức", "Tổ Hồ sơ"]
    assert options == [(str(world.team_a.id), "Tất cả Tổ Hồ sơ")]
    # a unit out of scope is not named: the picker starts again from the top
    trail, options = unit_picker(client, f"?unit_id={world.other_department.id}")
    assert trail == ["Tất cả đơn vị"]
    assert "Sở Tài chính" not in client.get(f"/employees/?unit_id={world.other_department.id}").text


def test_bad_filters_are_reported(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    response = client.get("/employees/?age_from=abc&sort=salary")
    assert response.status_code == 422
    assert "invalid-feedback" in response.text


def test_the_list_costs_the_same_queries_at_any_size(
    client, world, login_as, count_queries
) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    client.get("/employees/")  # warm: the first request loads the account
    with count_queries() as small:
        client.get("/employees/")
    for index in range(30):
        unit = (world.division_a, world.team_a, world.division_b, world.other_department)[index % 4]
        factories.EmployeeFactory(
            unit=unit,
            national_id=factories.national_id_for("female", dt.date(1990, 5, 17), 500 + index),
        )
    with count_queries() as large:
        page = client.get("/employees/")
    assert len(NAMES.findall(page.text)) == 34
    assert large.n == small.n, large.statements


def test_name_search_matches_word_starts_through_the_index(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    assert names(client, "?q=van an") == ["Nguyễn Văn Ân"]
    assert names(client, "?q=an") == ["Lê Thị Ngọc Ánh", "Nguyễn Văn Ân"]  # "ánh" starts with "an"
    assert names(client, "?q=guyen") == []  # the middle of a word is not a word start
    person = world.in_team
    renamed = client.post_form(
        f"/employees/{person.id}/edit/identity",
        {
            "version": str(person.version),
            "full_name": "Nguyễn Văn Bình",
            "sex": "male",
            "date_of_birth": "17/05/1990",
            "national_id": person.national_id,
            "other_names": "Tư Bình",
        },
    )
    assert renamed.status_code == 302
    assert names(client, "?q=nguyen van an") == []
    assert names(client, "?q=binh") == ["Nguyễn Văn Bình"]
    assert names(client, "?q=tu binh") == ["Nguyễn Văn Bình"]  # other names are searched too


def test_name_search_plan_uses_the_key_index(app, world) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from hrms.employees.queries import _name_matches
    from hrms.extensions import db

    bind = db.session.get_bind()
    statement = _name_matches("nguyen van").compile(bind, compile_kwargs={"literal_binds": True})
    if bind.dialect.name == "postgresql":
        # on a tiny table PostgreSQL prefers a scan; forbid it to see that the index can serve
        with db.session.begin_nested():
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(str(r) for r in db.session.execute(text(f"EXPLAIN {statement}")))
        assert "Index" in plan and "employee_name_keys" in plan, plan
        return
    plan = " ".join(str(row) for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {statement}")))
    assert "employee_name_keys USING" in plan and "key>" in plan, plan


def test_subtree_list_in_name_order_reads_the_unit_name_index(app, world) -> None:  # type: ignore[no-untyped-def]
    """The page's ids come from (unit, folded name) index entries: at province scale a
    department's list sorts thousands of people, and reading each one's row to get the name
    was most of the page."""
    from sqlalchemy import inspect, text

    from hrms.employees.models import Employee
    from hrms.employees.queries import filtered
    from hrms.extensions import db

    query = filtered(world.users["admin"], {"unit_id": world.department.id, "sort": "name"})
    bind = db.session.get_bind()
    statement = (
        query.with_only_columns(Employee.id)
        .limit(50)
        .offset(100)
        .compile(bind, compile_kwargs={"literal_binds": True})
    )
    if bind.dialect.name == "postgresql":
        # PostgreSQL plans a handful of test rows by their statistics (a nested loop over
        # anything): the index is there, with the columns the list needs
        indexes = {i["name"]: i["column_names"] for i in inspect(bind).get_indexes("employees")}
        assert indexes["ix_employees_unit_name"] == ["unit_id", "search_name"]
        return
    plan = " ".join(str(row) for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {statement}")))
    assert "COVERING INDEX ix_employees_unit_name" in plan, plan
