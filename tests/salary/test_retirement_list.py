"""The retirement list (page, .xlsx, API), its window and scope, one's own retirement date, the
dossier's line and the dashboard's "raises and retirements due" section.

The people, as of 01/07/2026 (expected dates worked out by hand from the roadmap):

========  =====================  ==========  ===================================  ==========
who       unit                   born        age applied → reached                retires
========  =====================  ==========  ===================================  ==========
hung      team A                 01/01/1965  2026: 61y6m → 07/2026                31/07/2026
an        team A                 20/03/1965  2026: 61y6m → 09/2026                30/09/2026
binh      division B             10/12/1969  2026: 57y → 12/2026                  31/12/2026
cuc       division A             1970 only   2027: 57y4m from 01/01/1970 → 05/2027  31/05/2027
dung      team A                 05/04/1966  2027: 61y9m → 01/2028 (too late);     30/04/2028
                                             2028: 62y → 04/2028
em        other department       10/08/1965  2027: 61y9m → 05/2027                31/05/2027
retired   division A             20/03/1965  (retired: not listed)
========  =====================  ==========  ===================================  ==========

Notices (the first day of the month six months before the retirement takes effect): hung
01/02/2026 (past, but his retirement decision is recorded), an 01/04/2026 (overdue), binh
01/07/2026 (due today: not overdue), cuc 01/12/2026. Binh holds step 5 of A1 since 01/03/2024:
her next raise is due 01/03/2027, within twelve months of her notice, so she is entitled to
step 6 at the notice, 8 months early.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook  # type: ignore[import-untyped]

from hrms.core.security import Permission, Scope
from hrms.org.models import Unit
from hrms.salary import retirement_queries
from tests.conftest import issue_token
from tests.salary.factories_retirement import decide, person

AS_OF = dt.date(2026, 7, 1)


@dataclass
class People:
    world: Any
    hung: Any
    an: Any
    binh: Any
    cuc: Any
    dung: Any
    em: Any
    retired: Any


@pytest.fixture(autouse=True)
def _in_english(request: pytest.FixtureRequest, client: Any) -> Iterator[None]:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with client.session_transaction() as session:
        session["lang"] = "en"
    if "service_context" in request.fixturenames:
        request.getfixturevalue("service_context")
        with force_locale("en"):
            yield
    else:
        yield


@pytest.fixture
def people(world: Any) -> People:
    w = world
    hung = person(w.team_a, "male", dt.date(1965, 1, 1), "Phạm Văn Hùng")
    decide(hung, "retirement", dt.date(2026, 8, 1))
    found = People(
        world=w,
        hung=hung,
        an=person(w.team_a, "male", dt.date(1965, 3, 20), "Trần Văn An"),
        binh=person(
            w.division_b,
            "female",
            dt.date(1969, 12, 10),
            "Lê Thị Bình",
            step_since=dt.date(2024, 3, 1),
        ),
        cuc=person(w.division_a, "female", dt.date(1970, 6, 15), "Vũ Thị Cúc", year_only=True),
        dung=person(w.team_a, "male", dt.date(1966, 4, 5), "Đặng Văn Dũng"),
        em=person(w.other_department, "male", dt.date(1965, 8, 10), "Ngô Văn Em"),
        retired=person(w.division_a, "male", dt.date(1965, 3, 20), "Hồ Văn Hưu", status="retired"),
    )
    return found


def _names(lines: Any) -> list[str]:
    return [line.full_name for line in lines]


def _listed(html: str) -> list[int]:
    import re

    return [int(found) for found in re.findall(r'<tr data-employee="(\d+)"', html)]


class TestList:
    def test_officer_sees_their_subtree_soonest_first(
        self, people: People, service_context: None
    ) -> None:
        officer = people.world.users["officer"]
        found = retirement_queries.retirement_list(officer, 12, None, AS_OF)
        assert found.until == dt.date(2027, 7, 1)
        assert _names(found.lines) == ["Phạm Văn Hùng", "Trần Văn An", "Lê Thị Bình", "Vũ Thị Cúc"]
        by_name = {line.full_name: line for line in found.lines}
        expected = {
            "Phạm Văn Hùng": ("31/07/2026", "01/02/2026", (61, 6)),
            "Trần Văn An": ("30/09/2026", "01/04/2026", (61, 6)),
            "Lê Thị Bình": ("31/12/2026", "01/07/2026", (57, 0)),
            "Vũ Thị Cúc": ("31/05/2027", "01/12/2026", (57, 4)),
        }
        for name, (retires, notice, age) in expected.items():
            r = by_name[name].retirement
            assert r.retires_on.strftime("%d/%m/%Y") == retires, name
            assert r.notice_on is not None and r.notice_on.strftime("%d/%m/%Y") == notice, name
            assert (r.age_years, r.age_months) == age, name
        # overdue: An's notice date has passed; Hùng's too, but his decision is recorded
        assert [line.notice_overdue for line in found.lines] == [False, True, False, False]
        assert [line.decided for line in found.lines] == [True, False, False, False]
        # a year of birth only counts from 1 January
        cuc = by_name["Vũ Thị Cúc"]
        assert cuc.birth_year_only and cuc.retirement.born == dt.date(1970, 1, 1)
        # the early raise on notice
        early = by_name["Lê Thị Bình"].early_raise
        assert early is not None
        assert (early.on, early.step_from, early.step_to) == (dt.date(2026, 7, 1), 5, 6)
        assert (early.regular_on, early.months_early) == (dt.date(2027, 3, 1), 8)
        assert [line.early_raise is not None for line in found.lines] == [False, False, True, False]

    @pytest.mark.parametrize(
        ("months", "expected"),
        [
            (6, ["Phạm Văn Hùng", "Trần Văn An", "Lê Thị Bình"]),
            (12, ["Phạm Văn Hùng", "Trần Văn An", "Lê Thị Bình", "Vũ Thị Cúc"]),
            (24, ["Phạm Văn Hùng", "Trần Văn An", "Lê Thị Bình", "Vũ Thị Cúc", "Đặng Văn Dũng"]),
        ],
    )
    def test_window(
        self, people: People, service_context: None, months: int, expected: list[str]
    ) -> None:
        officer = people.world.users["officer"]
        assert _names(retirement_queries.retirement_list(officer, months, None, AS_OF).lines) == (
            expected
        )

    def test_window_bounds_are_inclusive(self, people: People, service_context: None) -> None:
        officer = people.world.users["officer"]
        # from the retirement date itself; to the retirement date itself
        starting = retirement_queries.retirement_list(officer, 1, None, dt.date(2026, 7, 31))
        assert _names(starting.lines) == ["Phạm Văn Hùng"]
        ending = retirement_queries.retirement_list(officer, 2, None, dt.date(2026, 5, 31))
        assert _names(ending.lines) == ["Phạm Văn Hùng"]
        assert _names(retirement_queries.retirement_list(officer, 1, None, AS_OF).lines) == [
            "Phạm Văn Hùng"
        ]
        past = retirement_queries.retirement_list(officer, 12, None, dt.date(2026, 8, 1))
        assert "Phạm Văn Hùng" not in _names(past.lines)

    def test_admin_sees_everything(self, people: People, service_context: None) -> None:
        admin = people.world.users["admin"]
        names = _names(retirement_queries.retirement_list(admin, 12, None, AS_OF).lines)
        assert names == [
            "Phạm Văn Hùng",
            "Trần Văn An",
            "Lê Thị Bình",
            "Ngô Văn Em",
            "Vũ Thị Cúc",
        ]

    def test_unit_filter(self, people: People, service_context: None) -> None:
        officer = people.world.users["officer"]
        division_a = retirement_queries.retirement_list(
            officer, 12, people.world.division_a.id, AS_OF
        )
        assert _names(division_a.lines) == ["Phạm Văn Hùng", "Trần Văn An", "Vũ Thị Cúc"]
        assert division_a.focus is not None and division_a.focus.id == people.world.division_a.id

    def test_officer_page_and_filter_out_of_scope(
        self, people: People, client: Any, login_as: Any
    ) -> None:
        login_as("officer")
        page = client.get("/salary/retirements?as_of=01/07/2026")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert _listed(html) == [people.hung.id, people.an.id, people.binh.id, people.cuc.id]
        assert people.em.id not in _listed(html)
        assert html.count('data-testid="overdue"') == 1
        assert "31/12/2026" in html and "01/07/2026" in html
        assert "step 5 → 6 on 01/07/2026, 8 months early" in html
        assert "1970" in html and "year only, counted from 1 January" in html
        other = people.world.other_department.id
        assert client.get(f"/salary/retirements?unit_id={other}").status_code == 404
        assert client.get(f"/salary/retirements.xlsx?unit_id={other}").status_code == 404
        assert client.get("/salary/retirements?unit_id=987654").status_code == 404
        # a window the list does not offer is refused with a message beside the field
        refused = client.get("/salary/retirements?months=0")
        assert refused.status_code == 422
        assert "Enter a value from 1 to 60." in refused.get_data(as_text=True)

    def test_head_and_staff_are_refused(self, people: People, client: Any, login_as: Any) -> None:
        for role in ("head", "staff"):
            login_as(role)
            assert client.get("/salary/retirements").status_code == 403

    def test_xlsx(self, people: People, client: Any, login_as: Any) -> None:
        login_as("officer")
        response = client.get("/salary/retirements.xlsx?months=12&as_of=2026-07-01")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].endswith("nghi-huu-20260701-12-thang.xlsx")
        sheet = load_workbook(io.BytesIO(response.data)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC ĐẾN TUỔI NGHỈ HƯU"
        assert "từ 01/07/2026 đến 01/07/2027 (12 tháng)" in rows[1][0]
        assert rows[2][:4] == ("STT", "Họ và tên", "Đơn vị", "Giới tính")
        body = rows[3:7]
        assert [row[1] for row in body] == [
            "Phạm Văn Hùng",
            "Trần Văn An",
            "Lê Thị Bình",
            "Vũ Thị Cúc",
        ]
        hung, an, binh, cuc = body
        assert hung[4].date() == dt.date(1965, 1, 1)
        assert hung[7] == "61 tuổi 6 tháng"
        assert hung[8].date() == dt.date(2026, 7, 31)
        assert hung[9].date() == dt.date(2026, 2, 1)
        assert hung[10] == "Đã có quyết định nghỉ hưu"
        assert an[10] == "Quá hạn"
        assert binh[3] == "Nữ" and binh[7] == "57 tuổi" and binh[8].date() == dt.date(2026, 12, 31)
        assert binh[11].startswith("Bậc 5 lên bậc 6 từ 01/07/2026 (trước 8 tháng")
        assert cuc[4] == 1970 and cuc[8].date() == dt.date(2027, 5, 31)
        assert rows[-1] == ("Tổng số", 4, *([None] * 10))

    def test_api(self, people: People, client: Any) -> None:
        api = client.application.test_client(use_cookies=False)
        headers = {
            "Authorization": f"Bearer {issue_token(people.world.users['officer'])}",
            "Accept-Language": "en",
        }
        answer = api.get("/api/v1/retirements?months=12&as_of=2026-07-01", headers=headers)
        assert answer.status_code == 200
        body = answer.get_json()
        assert body["total"] == 4
        assert (body["as_of"], body["until"], body["months"]) == ("2026-07-01", "2027-07-01", 12)
        binh = next(item for item in body["items"] if item["full_name"] == "Lê Thị Bình")
        assert binh["retires_on"] == "2026-12-31"
        assert binh["notice_on"] == "2026-07-01"
        assert (binh["age_years"], binh["age_months"], binh["roadmap_year"]) == (57, 0, 2026)
        assert binh["early_raise"] == {
            "on": "2026-07-01",
            "step_from": 5,
            "step_to": 6,
            "regular_on": "2027-03-01",
            "months_early": 8,
        }
        an = next(item for item in body["items"] if item["full_name"] == "Trần Văn An")
        assert an["notice_overdue"] is True and an["early_raise"] is None
        paged = api.get("/api/v1/retirements?as_of=2026-07-01&per_page=1&page=2", headers=headers)
        assert [item["full_name"] for item in paged.get_json()["items"]] == ["Trần Văn An"]
        other = people.world.other_department.id
        assert api.get(f"/api/v1/retirements?unit_id={other}", headers=headers).status_code == 404
        refused = api.get("/api/v1/retirements?months=abc&colour=red", headers=headers)
        assert refused.status_code == 422
        assert set(refused.get_json()["error"]["fields"]) == {"colour"}


class TestOwn:
    def test_staff_sees_own_date(self, world: Any, client: Any, login_as: Any) -> None:
        # the staff member's dossier: a woman born 17/05/1990, after the roadmap: 60 → 05/2050
        login_as("staff")
        page = client.get("/salary/retirement/me")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "31/05/2050" in html and "01/12/2049" in html and "60 years" in html
        api = client.application.test_client(use_cookies=False)
        headers = {"Authorization": f"Bearer {issue_token(world.users['staff'])}"}
        body = api.get("/api/v1/retirements/me", headers=headers).get_json()
        assert (body["retires_on"], body["notice_on"]) == ("2050-05-31", "2049-12-01")
        assert body["employee_id"] == world.own.id

    def test_without_a_dossier(self, world: Any, client: Any, login_as: Any) -> None:
        login_as("officer")
        assert client.get("/salary/retirement/me").status_code == 404

    def test_dossier_page_shows_the_date(self, world: Any, client: Any, login_as: Any) -> None:
        login_as("officer")
        html = client.get(f"/employees/{world.in_team.id}").get_data(as_text=True)
        # Nguyễn Văn Ân, born 17/05/1990, after the roadmap: 62 → 05/2052
        assert 'data-testid="retirement-date"' in html
        assert "31/05/2052" in html


class TestDashboard:
    def test_section_counts_and_links(self, people: People, client: Any, login_as: Any) -> None:
        # a raise due within three months: step 3 since 15/08/2023 → 15/08/2026
        person(
            people.world.team_a,
            "male",
            dt.date(1985, 2, 2),
            "Mai Văn Nâng",
            step=3,
            step_since=dt.date(2023, 8, 15),
        )
        login_as("officer")
        html = client.get("/reports/?as_of=01/07/2026").get_data(as_text=True)
        assert 'data-testid="retirements-due">4<' in html
        assert 'data-testid="raises-due">1<' in html
        assert 'data-testid="notices-overdue">1 notice overdue<' in html
        assert "1 early raise on retirement notice" in html
        assert "/salary/retirements?months=12&amp;as_of=2026-07-01" in html
        assert "/salary/raises?from=2026-07-01&amp;to=2026-10-01" in html
        # a unit head sees the counts of their subtree (division A) but no link to the lists
        login_as("head")
        html = client.get("/reports/?as_of=01/07/2026").get_data(as_text=True)
        assert 'data-testid="retirements-due">3<' in html
        assert 'data-testid="retirements-link"' not in html
        assert 'data-testid="raises-link"' not in html

    def test_filtered_by_unit(self, people: People, client: Any, login_as: Any) -> None:
        login_as("officer")
        division_b = people.world.division_b.id
        html = client.get(f"/reports/?as_of=01/07/2026&unit_id={division_b}").get_data(as_text=True)
        assert 'data-testid="retirements-due">1<' in html
        assert f"unit_id={division_b}" in html


def _crowd(world: Any, n: int) -> None:
    """People retiring within 24 months of 01/07/2026: women born 01-10/1970 (05/2027 to
    06/2028), men born 07-12/1965 (04/2027 to 09/2027)."""
    for index in range(n):
        female = bool(index % 3)
        person(
            world.team_a if index % 2 else world.division_b,
            "female" if female else "male",
            dt.date(1970, 1 + index % 10, 1 + index % 28)
            if female
            else dt.date(1965, 7 + index % 6, 1 + index % 28),
            f"Người Thứ {index}",
            step=4,
            step_since=dt.date(2024, 1 + index % 12, 1),
        )


class TestQueryCounts:
    def test_list_is_a_fixed_number_of_queries(
        self, people: People, service_context: None, count_queries: Any
    ) -> None:
        officer = people.world.users["officer"]
        with count_queries() as small:
            first = retirement_queries.retirement_list(officer, 24, None, AS_OF)
        _crowd(people.world, 30)
        with count_queries() as large:
            second = retirement_queries.retirement_list(officer, 24, None, AS_OF)
        assert len(second.lines) == len(first.lines) + 30
        assert small.n == large.n

    def test_dashboard_counts_are_a_fixed_number_of_queries(
        self, people: People, service_context: None, count_queries: Any
    ) -> None:
        officer = people.world.users["officer"]
        units = [Scope.for_actor(officer, Permission.REPORTS_VIEW).filter(Unit.path)]
        with count_queries() as small:
            first = retirement_queries.due_counts(units, AS_OF)
        _crowd(people.world, 30)
        with count_queries() as large:
            second = retirement_queries.due_counts(units, AS_OF)
        assert second.retirements > first.retirements
        assert small.n == large.n

    def test_page_is_a_fixed_number_of_queries(
        self, people: People, client: Any, login_as: Any, count_queries: Any
    ) -> None:
        login_as("officer")
        with count_queries() as small:
            assert client.get("/salary/retirements?months=24").status_code == 200
        _crowd(people.world, 30)
        with count_queries() as large:
            assert client.get("/salary/retirements?months=24").status_code == 200
        assert small.n == large.n
