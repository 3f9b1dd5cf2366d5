"""The staffing table of a unit: headcount, placed, vacant and over per position; rank
mismatches; rank-ratio breaches; people not yet placed with suggested positions; the overview of
units; and a fixed number of queries whatever the size."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hrms.extensions import db
from hrms.staffing import queries
from tests.conftest import issue_token
from tests.staffing import factories


def cell(html: str, code: str, name: str) -> str:
    row = re.search(rf'<tr data-position="{code}".*?</tr>', html, re.S)
    assert row is not None, code
    found = re.search(rf'data-cell="{name}">(.*?)</td>', row.group(0), re.S)
    assert found is not None, name
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def total(html: str, name: str) -> str:
    found = re.search(rf'data-total="{name}">(\d+)<', html)
    assert found is not None, name
    return found.group(1)


def crowded(staffing: Any) -> dict[str, Any]:
    """Division A: CV-01 (2 places, at most 50% of rank 01.002) holds three people, two of rank
    01.002; VT-01 (rank 02.007) holds someone of rank 01.003; one clerk is not placed."""
    world = staffing.world
    clerk_position = db.session.get(type(staffing.clerk), staffing.clerk.id)
    clerk_position.headcount = 2
    db.session.commit()
    people = {
        "first": world.own,
        "second": factories.person(world.division_a, "Bùi Văn Cường", rank_code="01.002"),
        "third": factories.person(world.division_a, "Cao Thị Dung", rank_code="01.002"),
        "mismatch": factories.person(world.division_a, "Đinh Văn Giang", rank_code="01.003"),
        "waiting": factories.person(world.division_a, "Kiều Thị Hoa", rank_code="02.007"),
        "concurrent": factories.person(world.division_a, "Lâm Văn Khánh"),
    }
    for name in ("first", "second", "third"):
        factories.placement(people[name], staffing.officer)
    factories.placement(people["mismatch"], staffing.clerk)
    factories.placement(people["concurrent"], staffing.clerk)
    factories.placement(people["concurrent"], staffing.officer, main=False)
    # somebody who has left stays out of the counts
    left = factories.person(world.division_a, "Mai Văn Long", status="retired")
    factories.placement(left, staffing.officer)
    return people


def test_the_staffing_table_counts_and_flags(client: Any, staffing: Any, login_as: Any) -> None:
    people = crowded(staffing)
    world = staffing.world
    login_as("head")
    page = client.get(f"/staffing/units/{world.division_a.id}")
    assert page.status_code == 200
    html = page.text
    assert "1/QĐ-UBND" in html  # the approval decision of the plan in force
    assert [cell(html, "CV-01", n) for n in ("headcount", "placed", "concurrent", "vacant")] == [
        "2",
        "3",
        "1",
        "0",
    ]
    assert "over by 1" in cell(html, "CV-01", "over")
    assert [cell(html, "VT-01", n) for n in ("headcount", "placed", "vacant", "over")] == [
        "2",
        "2",
        "0",
        "0",
    ]
    assert [total(html, n) for n in ("headcount", "placed", "concurrent", "vacant", "over")] == [
        "4",
        "5",
        "1",
        "0",
        "1",
    ]
    mismatches = re.search(r'data-testid="rank-mismatches">(.*?)</ul>', html, re.S)
    assert mismatches is not None
    assert "Đinh Văn Giang" in mismatches.group(1)
    assert "Lâm Văn Khánh" in mismatches.group(1)  # the factory's rank 01.003 is no clerk's
    assert "Bùi Văn Cường" not in mismatches.group(1)  # 01.002 is one of CV-01's ranks
    breaches = re.search(r'data-testid="ratio-breaches">(.*?)</ul>', html, re.S)
    assert breaches is not None
    assert "2 people hold rank 01.002" in breaches.group(1) and "(1 people)" in breaches.group(1)
    unplaced = re.search(r'data-testid="unplaced">(.*?)</table>', html, re.S)
    assert unplaced is not None
    assert "Kiều Thị Hoa" in unplaced.group(1)
    assert "Mai Văn Long" not in html  # retired
    assert f'data-employee="{people["waiting"].id}"' in unplaced.group(1)
    assert "No vacant position." in unplaced.group(1)  # every place is taken
    assert "Place</a>" in unplaced.group(1)  # the head may place


def test_the_staffing_table_as_json(client: Any, staffing: Any) -> None:
    people = crowded(staffing)
    world = staffing.world
    api = client.application.test_client(use_cookies=False)
    token = issue_token(world.users["officer"])
    answer = api.get(
        f"/api/v1/units/{world.division_a.id}/staffing",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["plan"]["id"] == staffing.plan_a.id
    assert body["totals"] == {"headcount": 4, "placed": 5, "concurrent": 1, "vacant": 0, "over": 1}
    officer = next(p for p in body["positions"] if p["code"] == "CV-01")
    assert (officer["placed"], officer["vacant"], officer["over"]) == (3, 0, 1)
    assert officer["rank_codes"] == ["01.003", "01.002"]
    assert [h["full_name"] for h in officer["concurrent"]] == ["Lâm Văn Khánh"]
    assert officer["breaches"] == [
        {
            "position_id": staffing.officer.id,
            "position_code": "CV-01",
            "rank_code": "01.002",
            "max_percent": 50,
            "holders": 2,
            "allowed": 1.0,
        }
    ]
    assert {m["employee_id"] for m in body["rank_mismatches"]} == {
        people["mismatch"].id,
        people["concurrent"].id,
    }
    assert [u["employee_id"] for u in body["not_placed"]] == [people["waiting"].id]
    assert body["not_placed"][0]["suggestions"] == []


def test_suggestions_rank_vacant_positions_by_rank_education_and_competencies(
    staffing: Any, service_context: None
) -> None:
    world = staffing.world
    head = world.users["head"]
    graduate = factories.person(
        world.division_a, "Ngô Văn Minh", rank_code="01.003", qualification_code="thac_si"
    )
    for competency, level in ((staffing.ethics, 3), (staffing.talk, 2), (staffing.law, 4)):
        factories.assessment(graduate, competency, level, by=head)
    clerk = factories.person(
        world.division_a, "Ông Thị Nga", rank_code="02.007", qualification_code="trung_cap"
    )
    factories.assessment(clerk, staffing.ethics, 1, by=head)
    table = queries.staffing_table(world.division_a, dt.date(2026, 1, 1))
    by_person = {u.employee.id: u.suggestions for u in table.unplaced}

    best, second = by_person[graduate.id]
    assert (best.position.code, best.score) == ("CV-01", 100)
    assert (best.rank_fit, best.education_fit, best.met, best.required) == (
        "usual",
        "meets",
        3,
        3,
    )
    assert (second.position.code, second.score) == ("VT-01", 60)  # not a clerk's rank
    assert "0 of" not in " ".join(best.reasons)

    first, last = by_person[clerk.id]
    assert (first.position.code, first.score) == ("VT-01", 70)  # rank fits, level 1 of 2
    assert (last.position.code, last.education_fit, last.score) == ("CV-01", "below", 0)
    assert last.not_assessed == 2
    assert "(2 not assessed)" in " ".join(last.reasons)


def test_placed_people_and_full_positions_leave_the_suggestions(
    staffing: Any, service_context: None
) -> None:
    world = staffing.world
    factories.placement(world.own, staffing.clerk)
    waiting = factories.person(world.division_a, "Phan Văn Phúc", rank_code="02.007")
    table = queries.staffing_table(world.division_a, dt.date(2026, 1, 1))
    assert [u.employee.id for u in table.unplaced] == [waiting.id]
    assert [s.position.code for s in table.unplaced[0].suggestions] == ["CV-01"]


def test_someone_moved_to_another_unit_is_flagged(staffing: Any, service_context: None) -> None:
    world = staffing.world
    factories.placement(world.own, staffing.officer)
    moved = db.session.get(type(world.own), world.own.id)
    moved.unit_id = world.division_b.id
    db.session.commit()
    table = queries.staffing_table(world.division_a, dt.date(2026, 1, 1))
    row = next(r for r in table.rows if r.position.code == "CV-01")
    assert [(h.employee.id, h.elsewhere) for h in row.holders] == [(world.own.id, True)]
    theirs = queries.staffing_table(world.division_b, dt.date(2026, 1, 1))
    [unplaced] = [u for u in theirs.unplaced if u.employee.id == world.own.id]
    assert unplaced.held_elsewhere is not None
    assert unplaced.held_elsewhere.position.code == "CV-01"


def test_a_unit_without_an_approved_plan(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    login_as("head")
    page = client.get(f"/staffing/units/{world.team_a.id}")
    assert page.status_code == 200
    assert 'data-testid="no-plan"' in page.text
    assert 'data-testid="staffing-table"' not in page.text
    assert "Nguyễn Văn Ân" in page.text  # the team's person is listed as not placed
    place = client.get(f"/staffing/employees/{world.in_team.id}/place")
    assert place.status_code == 200 and "no approved position plan" in place.text


def test_the_overview_shows_each_role_its_scope(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    factories.placement(world.own, staffing.officer)
    factories.person(world.division_a, "Quách Văn Quang")
    login_as("head")
    page = client.get("/staffing/").text
    units = set(re.findall(r'<tr data-unit="(\d+)"', page))
    assert units == {str(world.division_a.id), str(world.team_a.id)}
    row = re.search(rf'<tr data-unit="{world.division_a.id}">(.*?)</tr>', page, re.S)
    assert row is not None
    numbers = re.findall(r'<td class="text-end">(?:<span[^>]*>)?(\d+)', row.group(1))
    assert numbers == ["2", "1", "1"]  # people, placed, not yet placed
    assert "version 1" in row.group(1)
    login_as("officer")
    units = set(re.findall(r'<tr data-unit="(\d+)"', client.get("/staffing/").text))
    assert str(world.division_b.id) in units and str(world.other_department.id) not in units
    login_as("admin")
    units = set(re.findall(r'<tr data-unit="(\d+)"', client.get("/staffing/").text))
    assert str(world.other_department.id) in units


def test_scope_of_the_staffing_table(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    login_as("head")
    assert client.get(f"/staffing/units/{world.division_b.id}").status_code == 404
    assert client.get(f"/staffing/units/{world.team_a.id}").status_code == 200
    login_as("head2")
    assert client.get(f"/staffing/units/{world.division_b.id}").status_code == 200
    assert client.get(f"/staffing/units/{world.division_a.id}").status_code == 404
    login_as("staff")
    assert client.get(f"/staffing/units/{world.division_a.id}").status_code == 403
    assert client.get("/staffing/").status_code == 403


def _grow(staffing: Any, prefix: str, count: int) -> None:
    """``count`` more positions, each with a placed holder, a rank limit, requirements and an
    assessment, and ``count`` more people not placed."""
    world = staffing.world
    head = world.users["head"]
    for n in range(count):
        position = factories.position(
            staffing.plan_a,
            f"{prefix}-{n}",
            headcount=1,
            requires={staffing.ethics: 3, staffing.law: 2},
            limits={"01.002": 50},
        )
        holder = factories.person(world.division_a, f"Người {prefix} {n}")
        factories.placement(holder, position)
        factories.assessment(holder, staffing.ethics, 2, by=head)
        waiting = factories.person(world.division_a, f"Chờ {prefix} {n}", rank_code="01.002")
        factories.assessment(waiting, staffing.law, 3, by=head)


def test_the_staffing_table_costs_the_same_queries_at_any_size(
    client: Any, staffing: Any, login_as: Any, count_queries: Any
) -> None:
    world = staffing.world
    login_as("head")
    url = f"/staffing/units/{world.division_a.id}"
    api = client.application.test_client(use_cookies=False)
    headers = {"Authorization": f"Bearer {issue_token(world.users['head'])}"}
    api_url = f"/api/v1/units/{world.division_a.id}/staffing"
    _grow(staffing, "A", 1)
    client.get(url)  # warm caches (code lists, session)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    with count_queries() as small_api:
        assert api.get(api_url, headers=headers).status_code == 200
    _grow(staffing, "B", 12)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    with count_queries() as large_api:
        assert api.get(api_url, headers=headers).status_code == 200
    assert large.n == small.n, large.statements
    assert large_api.n == small_api.n, large_api.statements
    with count_queries() as overview_small:
        client.get("/staffing/")
    _grow(staffing, "C", 5)
    with count_queries() as overview_large:
        client.get("/staffing/")
    assert overview_large.n == overview_small.n
