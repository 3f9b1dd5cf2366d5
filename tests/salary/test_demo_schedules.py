"""Issue 7's "done when" on the demo data: the raise list, the retirement list and the
dashboard figures of a sample of demo people, computed here by hand from their dossiers.

The demo is loaded once for the module into its own SQLite file (as the browser tests do).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.live_server import LiveServer, serve_demo


@pytest.fixture(autouse=True)
def _transaction() -> Iterator[None]:
    """Replaces the suite's per-test transaction: the demo lives in its own database."""
    yield


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo app (``demo.app``; pages through ``demo.app.test_client()``, data inside
    ``with demo.app.app_context():``)."""
    with serve_demo(tmp_path_factory.mktemp("salary-demo")) as server:
        yield server


# Retirement list (helper C) -------------------------------------------------------------------

#: Nghị định 135/2020, Appendix I (men) and II (women): the age (years, months) of the people
#: who reach it in each year; before 2021 the old ages, after the last year its age
_ROADMAP = {
    "male": {2021: (60, 3), 2022: (60, 6), 2023: (60, 9), 2024: (61, 0), 2025: (61, 3),
             2026: (61, 6), 2027: (61, 9), 2028: (62, 0)},
    "female": {2021: (55, 4), 2022: (55, 8), 2023: (56, 0), 2024: (56, 4), 2025: (56, 8),
               2026: (57, 0), 2027: (57, 4), 2028: (57, 8), 2029: (58, 0), 2030: (58, 4),
               2031: (58, 8), 2032: (59, 0), 2033: (59, 4), 2034: (59, 8), 2035: (60, 0)},
}  # fmt: skip
_OLD_AGE = {"male": (60, 0), "female": (55, 0)}


def _retires_on_by_hand(sex: str, born: Any, year_only: bool) -> Any:
    """The last day of the month in which the person reaches the age of the year they reach
    it in (the birth month counts; a year alone counts from January)."""
    import calendar
    import datetime as dt

    month_of_birth = 1 if year_only else born.month
    roadmap = _ROADMAP[sex]
    for year in range(born.year + 50, born.year + 70):
        if year < min(roadmap):
            years, months = _OLD_AGE[sex]
        else:
            years, months = roadmap[min(year, max(roadmap))]
        index = born.year * 12 + month_of_birth - 1 + years * 12 + months
        reached_year, reached_month = index // 12, index % 12 + 1
        if reached_year <= year:
            last = calendar.monthrange(reached_year, reached_month)[1]
            return dt.date(reached_year, reached_month, last)
    raise AssertionError("no retirement year")


def _sign_in(client: Any, app: Any, username: str) -> None:
    from sqlalchemy import select

    from hrms.accounts.models import User
    from hrms.extensions import db

    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        user_id = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
        session["lang"] = "en"


def test_demo_retirement_list_matches_dates_computed_by_hand(demo: LiveServer) -> None:
    import datetime as dt
    import re

    from sqlalchemy import select

    from hrms.core.dates import today
    from hrms.employees.models import Employee
    from hrms.extensions import db
    from hrms.org.models import Unit

    now = today()
    month_index = now.year * 12 + now.month - 1 + 12
    try:
        until = now.replace(year=month_index // 12, month=month_index % 12 + 1)
    except ValueError:  # 29 February
        until = dt.date(month_index // 12, month_index % 12 + 1, 28)
    app = demo.app
    with app.app_context():
        department = db.session.scalars(select(Unit).where(Unit.code == "SNV")).one()
        rows = db.session.execute(
            select(Employee, Unit.path)
            .join(Unit, Unit.id == Employee.unit_id)
            .where(Employee.status.in_(("working", "on_leave")))
        ).all()
        expected: dict[int, dt.date] = {}
        people: dict[int, Employee] = {}
        for employee, path in rows:
            if not path.startswith(department.path):
                continue  # the officer's scope: the department's subtree
            retires = _retires_on_by_hand(
                employee.sex, employee.date_of_birth, employee.birth_year_only
            )
            if now <= retires <= until:
                expected[employee.id] = retires
                people[employee.id] = employee
    # the demo has what the list is for: men, women, someone known by the year of birth only
    assert {people[i].sex for i in expected} == {"male", "female"}
    assert any(people[i].birth_year_only for i in expected)

    client = app.test_client()
    _sign_in(client, app, "officer")
    page = client.get("/salary/retirements")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    listed = re.findall(
        r'<tr data-employee="(\d+)".*?data-testid="retires-on">([\d/]+)<.*?'
        r'data-testid="notice-on">([\d/]+)',
        html,
        re.S,
    )
    found = {int(i): (retires, notice) for i, retires, notice in listed}
    assert set(found) == set(expected)
    for employee_id, retires in expected.items():
        # the notice: the first day of the month six months before the retirement takes
        # effect (the day after the retirement date)
        index = retires.year * 12 + retires.month - 1 - 5
        notice = dt.date(index // 12, index % 12 + 1, 1)
        name = people[employee_id].full_name
        assert found[employee_id] == (f"{retires:%d/%m/%Y}", f"{notice:%d/%m/%Y}"), name
    # soonest first
    dates = [dt.datetime.strptime(r, "%d/%m/%Y").date() for _, r, _ in listed]  # noqa: DTZ007
    assert dates == sorted(dates)
    # the demo shows an early raise on retirement notice (hrms/demo.py seeds one): the next
    # step, on the notice date, at most twelve months before the regular date
    pattern = re.compile(
        r'data-testid="notice-on">([\d/]+).*?data-testid="early-raise">step (\d+) → (\d+) on '
        r"([\d/]+), (\d+) months early \(regular raise due ([\d/]+)\)",
        re.S,
    )
    rows = html.split("<tr data-employee=")[1:]
    early = [found.groups() for row in rows if (found := pattern.search(row))]
    assert early
    for notice, step_from, step_to, on, months, regular in early:
        assert int(step_to) == int(step_from) + 1 and on == notice
        notice_day = dt.datetime.strptime(notice, "%d/%m/%Y").date()  # noqa: DTZ007
        regular_day = dt.datetime.strptime(regular, "%d/%m/%Y").date()  # noqa: DTZ007
        gap = (regular_day.year - notice_day.year) * 12 + regular_day.month - notice_day.month
        assert notice_day < regular_day and 1 <= int(months) <= 12 and gap <= 12
    # the dashboard counts the same people for the officer's scope
    dashboard = client.get("/reports/").get_data(as_text=True)
    assert f'data-testid="retirements-due">{len(expected)}<' in dashboard


# Raise list (helper B) ----------------------------------------------------------------------

#: by hand, from domain.md §3: the demo's ranks, their raise interval (= the wait on the last
#: step before the seniority allowance) and last step; the delays of the discipline forms
_RAISE_RANKS = {"01.001": (36, 6), "01.002": (36, 8), "01.003": (36, 9), "01.004": (24, 12)}
_DISCIPLINE_MONTHS = {"khiển trách": 6, "cảnh cáo": 6, "cách chức": 12}


def _plus_months(day: Any, months: int) -> Any:
    import calendar
    import datetime as dt

    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _raise_by_hand(decisions: list[Any]) -> tuple[Any, int | None]:
    """The date of the next raise and the seniority % it gives, from a demo person's
    decisions (the demo has no annual ratings yet: no failed years)."""
    import datetime as dt

    replaced = {d.supersedes_id for d in decisions if d.supersedes_id}
    kept = sorted(
        (d for d in decisions if d.id not in replaced),
        key=lambda d: (d.effective_on, d.signed_on, d.id),
    )
    pay = [d for d in kept if d.salary_coefficient is not None]
    rank = [d.rank_code for d in pay if d.rank_code][-1]
    interval, last = _RAISE_RANKS[rank]
    step_set = [d for d in pay if d.seniority_percent is None][-1]
    seniority = [d for d in pay if d.seniority_percent and d.effective_on >= step_set.effective_on]
    if step_set.salary_step == last and seniority:
        start, months, percent = seniority[-1].effective_on, 12, seniority[-1].seniority_percent + 1
    elif step_set.salary_step == last:
        start, months, percent = step_set.effective_on, interval, 5
    else:
        start, months, percent = step_set.effective_on, interval, None
    due = _plus_months(start, months)
    for _ in range(10):
        delay = sum(
            _DISCIPLINE_MONTHS.get((d.title or "").lower(), 0)
            for d in kept
            if d.kind == "discipline" and start <= d.effective_on < due
        )
        away = [d for d in kept if d.kind == "leave" and d.effective_on >= start]
        back = [d for d in kept if d.kind == "return_from_leave" and d.effective_on >= start]
        days = sum((b.effective_on - a.effective_on).days for a, b in zip(away, back, strict=True))
        due = _plus_months(start, months + delay) + dt.timedelta(days=days)
    return due, percent


def test_demo_raise_list_matches_dates_computed_by_hand(demo: LiveServer) -> None:
    import datetime as dt

    from sqlalchemy import select

    from hrms.core.dates import today
    from hrms.core.security import SystemActor
    from hrms.employees.models import Decision, Employee
    from hrms.extensions import db
    from hrms.salary import raise_services

    far = today() + dt.timedelta(days=3 * 366)
    with demo.app.app_context():
        rows = raise_services.raise_list(SystemActor(), None, dt.date(2000, 1, 1), far)
        by_id = {row.employee.id: row for row in rows}
        people = db.session.scalars(
            select(Employee).where(Employee.status == "working", Employee.rank_code.is_not(None))
        ).all()
        decisions: dict[int, list[Decision]] = {}
        for decision in db.session.scalars(select(Decision)):
            decisions.setdefault(decision.employee_id, []).append(decision)
        delayed = [p.id for p in people if any(d.kind == "discipline" for d in decisions[p.id])]
        on_leave = [p.id for p in people if any(d.kind == "leave" for d in decisions[p.id])]
        senior = [p.id for p in people if p.seniority_percent]
        last_step = [p.id for p in people if p.salary_step == _RAISE_RANKS[p.rank_code][1]]
        # the demo has people for every line of the explanation
        assert delayed and on_leave and senior and last_step, (delayed, on_leave, senior)
        sample = sorted(
            {*delayed, *on_leave, *senior, *last_step[:5], *(p.id for p in people[::9])}
        )
        assert len(sample) >= 30
        for employee_id in sample:
            due, percent = _raise_by_hand(decisions[employee_id])
            row = by_id[employee_id]
            assert row.due.due == due, (employee_id, row.due.explanation)
            assert row.due.next_seniority_percent == percent, employee_id
        delayed_row = by_id[delayed[0]].due
        assert delayed_row.delay_months in (6, 12)
        assert any("discipline" in line.kind for line in delayed_row.lines)
        # someone is due in the next three months (the list's default window)
        soon = raise_services.raise_list(SystemActor(), None, today(), _plus_months(today(), 3))
        assert soon


def test_demo_officer_sees_only_their_division_on_the_raise_list(demo: LiveServer) -> None:
    import re

    from sqlalchemy import select

    from hrms.core.dates import today
    from hrms.core.security import SystemActor
    from hrms.extensions import db
    from hrms.org.models import Unit
    from hrms.salary import raise_services

    start, end = _plus_months(today(), -1), _plus_months(today(), 35)
    client = demo.app.test_client()
    _sign_in(client, demo.app, "officer2")
    window = {"from": start.strftime("%d/%m/%Y"), "to": end.strftime("%d/%m/%Y")}
    page = client.get("/salary/raises", query_string=window)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    listed = {int(found) for found in re.findall(r'data-employee="(\d+)"', html)}
    with demo.app.app_context():
        xdcq = db.session.scalars(select(Unit).where(Unit.code == "SNV-XDCQ")).one()
        everyone = raise_services.raise_list(SystemActor(), None, start, end)
        inside = {row.employee.id for row in everyone if row.unit.path.startswith(xdcq.path)}
        outside = {row.employee.id for row in everyone} - inside
    assert len(inside) >= 10 and outside
    assert listed == inside
