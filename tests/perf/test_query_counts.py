"""Every list, dashboard and document issues a fixed number of SQL statements, whatever the
number of rows it shows: each page is measured with a few rows and with ten times as many, and
the two counts must be equal (an N+1 cannot come back unnoticed).

The rows are written straight with the factories (tests/factories.py and the features' own);
each test names the page and what grows on it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from hrms.accounts.models import RoleGrant
from hrms.core.audit import record_event
from hrms.core.security import Role
from hrms.corrections.models import CorrectionRequest
from hrms.employees.models import Decision, DecisionKind
from hrms.employees.views import SENSITIVE_TABS, TABS
from hrms.extensions import db
from hrms.reviews.models import ReviewItem
from positions.models import PositionOutput, PositionRequirement, PositionTask
from tests import factories
from tests.conftest import file_document, issue_token
from tests.positions import factories as positions_factories
from tests.reviews import factories as reviews_factories
from tests.staffing import factories as staffing_factories

SMALL = 3
LARGE = 30
_serials = itertools.count(9000)


def person(unit: Any, **fields: Any) -> Any:
    """A dossier with a fresh ID number."""
    return factories.EmployeeFactory(
        unit=unit,
        national_id=factories.national_id_for("female", dt.date(1990, 5, 17), next(_serials)),
        **fields,
    )


def decision(employee: Any, index: int, kind: DecisionKind = DecisionKind.SALARY_STEP) -> Any:
    made = Decision(
        employee_id=employee.id,
        kind=kind.value,
        number=f"{index}/QĐ-SNV",
        signed_on=dt.date(2016, 1, 1) + dt.timedelta(days=30 * index),
        issuer="Giám đốc Sở Nội vụ",
        effective_on=dt.date(2016, 1, 1) + dt.timedelta(days=30 * index),
        rank_code="01.003",
        salary_step=1 + index % 9,
        salary_coefficient=Decimal("2.34") + Decimal("0.33") * (index % 9),
        unit_id=employee.unit_id if kind is DecisionKind.RECRUITMENT else None,
    )
    db.session.add(made)
    db.session.commit()
    return made


def statements_diff(small: Any, large: Any) -> list[tuple[str, int]]:
    """The statements the larger request issued more often (the N+1 to look for)."""
    more = Counter(large.statements)
    more.subtract(Counter(small.statements))
    return [(" ".join(statement.split())[:160], n) for statement, n in more.items() if n]


class Measure:
    """Counts the statements of GET ``url`` before and after ``grow`` adds rows."""

    def __init__(self, client: Any, count_queries: Any) -> None:
        self.client = client
        self.count_queries = count_queries

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[Any, Any]:
        with self.count_queries() as counted:
            response = self.client.get(url, headers=headers or {})
            response.get_data()
        response.close()  # a file sent (a zip) is closed with the response
        assert response.status_code == 200, (url, response.status_code, response.text[:500])
        return counted, response

    def fixed(
        self,
        url: str | Callable[[], str],
        grow: Callable[[int], Any],
        *,
        headers: dict[str, str] | None = None,
        check: Callable[[Any, int], Any] | None = None,
        sizes: tuple[int, int] = (SMALL, LARGE),
    ) -> int:
        """Grow to SMALL rows, count; grow to LARGE rows, count; the counts must be equal.
        ``check(response, rows)`` makes sure the page did show the rows."""
        grow(sizes[0])
        address = url() if callable(url) else url
        self.get(address, headers)  # warm: the first request loads the account
        small, response = self.get(address, headers)
        if check:
            check(response, sizes[0])
        grow(sizes[1] - sizes[0])
        large, response = self.get(address, headers)
        if check:
            check(response, sizes[1])
        if large.n != small.n:
            more = "\n".join(f"{n:+d} {text}" for text, n in statements_diff(small, large))
            pytest.fail(f"{address}: {small.n} statements, then {large.n}:\n{more}")
        return large.n


@pytest.fixture
def measure(client: Any, count_queries: Any) -> Measure:
    return Measure(client, count_queries)


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user)}", "Accept-Language": "en"}


def contains(text: str) -> Callable[[Any, int], None]:
    """A check that ``text`` appears at least once per row."""

    def check(response: Any, rows: int) -> None:
        assert response.get_data(as_text=True).count(text) >= rows, text

    return check


# Dossiers ---------------------------------------------------------------------------------


def test_employee_list_filters_search_and_a_deep_page(
    measure: Measure, world: Any, login_as: Any
) -> None:
    login_as("officer")
    grown: list[Any] = []

    def grow(n: int) -> None:
        for _ in range(n):
            grown.append(
                person((world.division_a, world.team_a)[len(grown) % 2], full_name="Đặng Văn Ước")
            )

    measure.fixed("/employees/", grow, check=contains("Đặng Văn Ước"))
    grown.clear()
    for url in (
        f"/employees/?unit_id={world.division_a.id}",
        "/employees/?q=dang+van+uoc",
        "/employees/?status=working&kind=cong_chuc&sex=female",
    ):
        measure.fixed(url, grow)
    # a deep page: the list shows at most one page of rows whatever the total
    for _ in range(60):
        grow(1)
    first = measure.get("/employees/")[0].n
    assert measure.get("/employees/?page=3")[0].n == first


def test_employee_api_list(measure: Measure, world: Any) -> None:
    headers = bearer(world.users["officer"])
    measure.fixed(
        "/api/v1/employees",
        lambda n: [person(world.division_b) for _ in range(n)],
        headers=headers,
    )
    measure.fixed(
        f"/api/v1/employees?unit_id={world.division_a.id}&q=tran",
        lambda n: [person(world.division_a) for _ in range(n)],
        headers=headers,
    )


def test_export_and_the_2c_zip(measure: Measure, world: Any, login_as: Any) -> None:
    login_as("officer")
    measure.fixed("/employees/export.xlsx", lambda n: [person(world.division_b) for _ in range(n)])
    # one PDF per person: fewer people, the count is as telling
    measure.fixed(
        f"/employees/2c.zip?unit_id={world.division_b.id}",
        lambda n: [person(world.division_b) for _ in range(n)],
        sizes=(2, 6),
    )


def test_dossier_page_pdf_and_decision_timeline(
    app: Any, measure: Measure, world: Any, login_as: Any
) -> None:
    employee = world.in_team
    login_as("officer")
    admin = world.users["admin"]
    counter = itertools.count(1)

    def grow(n: int) -> None:
        for _ in range(n):
            index = next(counter)
            decision(employee, index)
            factories.TrainingFactory(employee_id=employee.id)
            factories.FamilyFactory(employee_id=employee.id)
            file_document(app, employee, admin)

    decision(employee, 0, DecisionKind.RECRUITMENT)
    measure.fixed(f"/employees/{employee.id}?tab=decisions", grow, check=contains("QĐ-SNV"))
    for url in (
        *(f"/employees/{employee.id}?tab={tab}" for tab in TABS if tab != "decisions"),
        f"/employees/{employee.id}/2c.pdf",
        f"/employees/{employee.id}/files/",
        f"/employees/{employee.id}/edit/identity",
    ):
        measure.fixed(url, grow)
    headers = bearer(world.users["officer"])
    for url in (
        f"/api/v1/employees/{employee.id}",
        f"/api/v1/employees/{employee.id}/decisions",
        f"/api/v1/employees/{employee.id}/audit",
        f"/api/v1/employees/{employee.id}/dossier.pdf",
    ):
        measure.fixed(url, grow, headers=headers)


def test_own_dossier(app: Any, measure: Measure, world: Any, login_as: Any) -> None:
    login_as("staff")
    own = world.own
    counter = itertools.count(1)
    decision(own, 0, DecisionKind.RECRUITMENT)

    def grow(n: int) -> None:
        for _ in range(n):
            decision(own, next(counter))
            factories.TrainingFactory(employee_id=own.id)
            file_document(app, own, world.users["admin"])

    for tab in TABS:
        if tab not in SENSITIVE_TABS | {"trail"}:
            measure.fixed(f"/employees/{own.id}?tab={tab}", grow)


# Units, accounts, audit, code lists -----------------------------------------------------------


def test_units(measure: Measure, world: Any, login_as: Any) -> None:
    login_as("admin")
    counter = itertools.count(1)

    def grow(n: int) -> None:
        for _ in range(n):
            index = next(counter)
            unit = factories.UnitFactory(
                code=f"P{index:03d}", name=f"Phòng thử {index}", parent=world.department
            )
            person(unit)

    measure.fixed("/units/", grow, check=contains("Phòng thử"))
    measure.fixed(f"/units/{world.department.id}", grow, check=contains("Phòng thử"))
    measure.fixed("/api/v1/units", grow, headers=bearer(world.users["admin"]))
    measure.fixed(
        f"/api/v1/units/{world.department.id}", grow, headers=bearer(world.users["admin"])
    )


def test_accounts(measure: Measure, world: Any, login_as: Any) -> None:
    login_as("admin")

    def grow(n: int) -> None:
        for _ in range(n):
            factories.UserFactory(
                grants=[(Role.UNIT_HEAD, world.division_a), (Role.STAFF, world.division_b)]
            )

    measure.fixed("/admin/users", grow)
    many = factories.UserFactory(grants=[])

    def grant(n: int) -> None:
        for index in range(n):
            unit = factories.UnitFactory(parent=world.department)
            role = (Role.UNIT_HEAD, Role.PERSONNEL_OFFICER)[index % 2]
            db.session.add(RoleGrant(user_id=many.id, role=role.value, unit_id=unit.id))
        db.session.commit()

    measure.fixed(f"/admin/users/{many.id}", grant)


def test_audit_log(app: Any, measure: Measure, world: Any, login_as: Any) -> None:
    login_as("admin")

    def grow(n: int) -> None:
        for _ in range(n):
            record_event(
                db.session,
                "dossier.view",
                "employees",
                world.in_team.id,
                subject=f"employees:{world.in_team.id}",
            )
            person(world.division_b)
        db.session.commit()

    measure.fixed("/audit/", grow)
    measure.fixed(f"/audit/?object_type=employees&object_id={world.in_team.id}", grow)


def test_code_lists(measure: Measure, world: Any, login_as: Any) -> None:
    from hrms.codes.models import CodeEntry

    login_as("admin")
    counter = itertools.count(1)

    def grow(n: int) -> None:
        for _ in range(n):
            index = next(counter)
            db.session.add(
                CodeEntry(
                    list_name="religion",
                    code=f"T{index:03d}",
                    label=f"Tôn giáo thử {index}",
                    search_text=f"ton giao thu {index}",
                    sort_order=100 + index,
                )
            )
        db.session.commit()

    measure.fixed("/codes/religion", grow, check=contains("Tôn giáo thử"))
    measure.fixed("/codes/", grow)
    measure.fixed("/api/v1/codes/religion", grow, headers=bearer(world.users["admin"]))


# Corrections and attachments --------------------------------------------------------------


def test_corrections(app: Any, measure: Measure, world: Any, login_as: Any) -> None:
    def grow(n: int) -> None:
        for index in range(n):
            target = (world.own, world.in_team, world.in_b)[index % 3]
            db.session.add(
                CorrectionRequest(
                    employee_id=target.id,
                    requested_by=world.users["staff"].id,
                    field="hometown",
                    requested_value="Kim Sơn, Ninh Bình",
                    reason="Theo giấy khai sinh",
                )
            )
        db.session.commit()

    login_as("officer")
    measure.fixed("/corrections/", grow)
    login_as("staff")
    measure.fixed("/corrections/mine", grow)


def test_attachments_of_a_dossier(app: Any, measure: Measure, world: Any, login_as: Any) -> None:
    login_as("officer")
    measure.fixed(
        f"/employees/{world.in_b.id}/files/",
        lambda n: [file_document(app, world.in_b, world.users["admin"]) for _ in range(n)],
    )


# Positions: catalogue, dictionary, plans and their documents ----------------------------------


def test_positions_catalogue_and_dictionary(measure: Measure, world: Any, login_as: Any) -> None:
    login_as("admin")
    headers = bearer(world.users["admin"])
    counter = itertools.count(1)
    ethics = positions_factories.plan_competency("P-ETH", "Đạo đức công vụ")

    def grow(n: int) -> None:
        for _ in range(n):
            index = next(counter)
            positions_factories.catalogue_entry(
                f"CM-{index:03d}", f"Chuyên viên thử {index}", requirements=[(ethics, 3)]
            )
            positions_factories.plan_competency(f"NL-{index:03d}", f"Năng lực thử {index}")

    measure.fixed("/positions/catalogue/", grow, check=contains("Chuyên viên thử"))
    measure.fixed("/positions/catalogue/export.xlsx", grow)
    measure.fixed("/positions/competencies/", grow, check=contains("Năng lực thử"))
    measure.fixed("/api/v1/framework-positions", grow, headers=headers)
    measure.fixed("/api/v1/competencies", grow, headers=headers)


def test_positions_plans_and_their_documents(measure: Measure, world: Any, login_as: Any) -> None:
    login_as("admin")
    headers = bearer(world.users["admin"])
    ethics = positions_factories.plan_competency("P-ETH", "Đạo đức công vụ")
    talk = positions_factories.plan_competency("P-TALK", "Giao tiếp")
    approved = positions_factories.plan(world.division_a, state="approved")
    draft = positions_factories.plan(world.division_a, previous=approved, number=2)
    counter = itertools.count(1)

    def positions(n: int) -> None:
        for _ in range(n):
            index = next(counter)
            for in_plan in (approved, draft):
                positions_factories.unit_position(
                    in_plan,
                    f"VT-{index:03d}",
                    f"Vị trí thử {index}",
                    requirements=[(ethics, 3), (talk, 2)],
                    tasks=2,
                )

    for url in (
        f"/positions/plans/{draft.id}",
        f"/positions/plans/{draft.id}/plan.pdf",
        f"/positions/plans/{draft.id}/export.xlsx",
        f"/positions/plans/{draft.id}/compare",
    ):
        measure.fixed(url, positions)
    measure.fixed(f"/api/v1/plans/{draft.id}", positions, headers=headers)
    measure.fixed(f"/api/v1/positions?plan_id={draft.id}", positions, headers=headers)

    def plans(n: int) -> None:
        for _ in range(n):
            unit = factories.UnitFactory(parent=world.department)
            made = positions_factories.plan(unit, state="approved")
            positions_factories.unit_position(made, requirements=[(ethics, 3)])

    measure.fixed("/positions/plans/", plans)
    measure.fixed("/api/v1/plans", plans, headers=headers)

    # one position's job description grows with its tasks and requirements
    position = positions_factories.unit_position(approved, "VT-JD", "Mô tả công việc", tasks=1)
    more = itertools.count(1)

    def duties(n: int) -> None:
        for _ in range(n):
            index = next(more)
            task = PositionTask(
                position_id=position.id, ordinal=10 + index, description=f"Nhiệm vụ {index}"
            )
            task.outputs.append(
                PositionOutput(
                    name=f"Sản phẩm {index}",
                    unit_of_measure="văn bản",
                    conversion_factor=Decimal(1),
                )
            )
            db.session.add(task)
            version = positions_factories.plan_competency(f"JD-{index:03d}", f"Năng lực {index}")
            db.session.add(
                PositionRequirement(
                    position_id=position.id,
                    competency_id=version.competency_id,
                    competency_version_id=version.id,
                    level=2,
                )
            )
        db.session.commit()

    measure.fixed(f"/positions/{position.id}", duties, check=contains("Nhiệm vụ"))
    measure.fixed(f"/positions/{position.id}/job-description.pdf", duties)
    measure.fixed(f"/api/v1/positions/{position.id}", duties, headers=headers)


# Staffing: the table of a unit, gaps, a person's competencies ----------------------------------


def test_staffing_table_and_gaps(measure: Measure, world: Any, login_as: Any) -> None:
    login_as("admin")
    headers = bearer(world.users["admin"])
    ethics = staffing_factories.competency("S-ETH", "Đạo đức công vụ", ordinal=1)
    law = staffing_factories.competency("S-LAW", "Pháp luật", family="professional")
    plan = staffing_factories.plan(world.division_a)
    counter = itertools.count(1)
    assessor = world.users["admin"]

    def grow(n: int) -> None:
        for _ in range(n):
            index = next(counter)
            held = staffing_factories.position(
                plan, f"VT-{index:03d}", f"Vị trí {index}", requires={ethics: 3, law: 2}
            )
            someone = person(world.division_a)
            staffing_factories.recruit(someone)
            staffing_factories.placement(someone, held)
            staffing_factories.assessment(someone, ethics, 2, by=assessor)
            staffing_factories.assessment(someone, law, 3, by=assessor)

    unit = world.division_a.id
    measure.fixed(f"/staffing/units/{unit}", grow, check=contains("Vị trí"))
    measure.fixed(f"/staffing/units/{unit}/gaps", grow)
    measure.fixed("/staffing/", grow)
    measure.fixed(f"/api/v1/units/{unit}/staffing", grow, headers=headers)


def test_a_persons_competencies_and_gaps(measure: Measure, world: Any, login_as: Any) -> None:
    plan = staffing_factories.plan(world.division_a)
    counter = itertools.count(1)
    own = world.own
    staffing_factories.recruit(own)
    requires: dict[Any, int] = {}
    competencies: list[Any] = []

    def grow(n: int) -> None:
        for _ in range(n):
            index = next(counter)
            found = staffing_factories.competency(f"C-{index:03d}", f"Năng lực {index}")
            competencies.append(found)
            requires[found] = 3
        held = staffing_factories.position(
            plan, f"VT-{len(competencies):03d}", "Chuyên viên", requires=requires
        )
        from hrms.staffing.models import Placement

        db.session.query(Placement).filter_by(employee_id=own.id).delete()
        staffing_factories.placement(own, held)
        for found in competencies[-n:]:
            staffing_factories.assessment(own, found, 2, by=world.users["admin"])
            staffing_factories.assessment(own, found, 3, by=world.users["staff"], kind="self")

    login_as("staff")
    measure.fixed("/staffing/me", grow, check=contains("Năng lực"))
    login_as("officer")
    measure.fixed(f"/staffing/employees/{own.id}", grow)
    headers = bearer(world.users["officer"])
    measure.fixed(f"/api/v1/employees/{own.id}/competency-gaps", grow, headers=headers)
    measure.fixed(f"/api/v1/employees/{own.id}/placements", grow, headers=headers)


# Reviews: periods, their dashboard and documents, one review, annual ratings -------------------


def _reviewed(world: Any, in_period: Any, n: int) -> list[Any]:
    made = []
    for index in range(n):
        someone = person((world.division_a, world.team_a, world.division_b)[index % 3])
        made.append(
            reviews_factories.finalised_review(
                someone, in_period, "85", "good", by=world.users["officer"]
            )
        )
    return made


def test_review_periods_dashboard_and_documents(
    measure: Measure, world: Any, login_as: Any
) -> None:
    login_as("officer")
    headers = bearer(world.users["officer"])
    march = reviews_factories.period(
        world.department, world.users["officer"], dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )

    def grow(n: int) -> None:
        _reviewed(world, march, n)

    for url in (
        f"/reviews/periods/{march.id}",
        f"/reviews/periods/{march.id}/summary.pdf",
        f"/reviews/periods/{march.id}/results.xlsx",
    ):
        measure.fixed(url, grow)
    measure.fixed(f"/api/v1/review-periods/{march.id}/dashboard", grow, headers=headers)
    measure.fixed(f"/api/v1/review-periods/{march.id}", grow, headers=headers)
    measure.fixed(f"/api/v1/reviews?period_id={march.id}", grow, headers=headers)
    months = itertools.count(1)

    def periods(n: int) -> None:
        for _ in range(n):
            start = dt.date(2020, 1, 1) + dt.timedelta(days=31 * next(months))
            unit = factories.UnitFactory(parent=world.department)
            opened = reviews_factories.period(
                unit, world.users["officer"], start.replace(day=1), start.replace(day=28)
            )
            _reviewed(world, opened, 1)

    measure.fixed("/reviews/periods", periods)
    measure.fixed("/api/v1/review-periods", periods, headers=headers)


def test_one_review_its_form_and_the_persons_reviews(
    measure: Measure, world: Any, login_as: Any
) -> None:
    march = reviews_factories.period(
        world.department, world.users["officer"], dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )
    review = reviews_factories.finalised_review(
        world.own, march, "90", "good", by=world.users["officer"]
    )
    counter = itertools.count(1)

    def items(n: int) -> None:
        for _ in range(n):
            index = next(counter)
            db.session.add(
                ReviewItem(
                    review_id=review.id,
                    ordinal=index,
                    title=f"Nhiệm vụ thử {index}",
                    assigned_quantity=Decimal(2),
                    weight=Decimal(1),
                    delivered_quantity=Decimal(2),
                )
            )
        db.session.commit()

    login_as("officer")
    measure.fixed(f"/reviews/{review.id}", items, check=contains("Nhiệm vụ thử"))
    measure.fixed(f"/reviews/{review.id}/form.pdf", items)
    measure.fixed(f"/api/v1/reviews/{review.id}", items, headers=bearer(world.users["officer"]))
    months = itertools.count(1)

    def own_reviews(n: int) -> None:
        for _ in range(n):
            start = dt.date(2020, 1, 1) + dt.timedelta(days=31 * next(months))
            first, last = start.replace(day=1), start.replace(day=28)
            opened = reviews_factories.period(world.division_a, world.users["officer"], first, last)
            reviews_factories.finalised_review(
                world.own, opened, "80", "good", by=world.users["officer"]
            )

    login_as("staff")
    measure.fixed("/reviews/mine", own_reviews)


def test_annual_ratings(measure: Measure, world: Any, login_as: Any) -> None:
    from hrms.reviews.models import AnnualRating

    def annual(employee: Any, year: int) -> AnnualRating:
        return AnnualRating(
            employee_id=employee.id,
            year=year,
            scheme_id=reviews_factories.scheme("ND335-2025").id,
            unit_id=employee.unit_id,
            agency_id=world.department.id,
            task_group="professional",
            average=Decimal("86.50"),
            periods=3,
            band="good",
            rating="good",
        )

    login_as("officer")
    headers = bearer(world.users["officer"])
    year = 2025
    months = itertools.count(0)

    def grow(n: int) -> None:
        for _ in range(n):
            someone = person(world.division_a)
            db.session.add(annual(someone, year))
        db.session.commit()

    for url in (
        "/reviews/annual/",
        f"/reviews/annual/{world.department.id}/{year}",
        f"/reviews/annual/{world.department.id}/{year}/export.xlsx",
    ):
        measure.fixed(url, grow)
    employee = world.in_team

    def ratings(n: int) -> None:
        for _ in range(n):
            db.session.add(annual(employee, 2000 + next(months)))
        db.session.commit()

    measure.fixed(f"/api/v1/employees/{employee.id}/annual-ratings", ratings, headers=headers)


# Salary and statistics (the features of issues 6 and 7) -----------------------------------------


def test_raise_and_retirement_lists_and_statistics(
    measure: Measure, world: Any, login_as: Any
) -> None:
    """People due a step raise (placed at step 1 three years ago) and near retirement age."""
    counter = itertools.count(1)

    def grow(n: int) -> None:
        for _ in range(n):
            index = next(counter)
            sex = ("male", "female")[index % 2]
            born = dt.date(1965 + index % 3, 1 + index % 12, 10)
            someone = factories.EmployeeFactory(
                unit=(world.division_a, world.team_a, world.division_b)[index % 3],
                sex=sex,
                date_of_birth=born,
                national_id=factories.national_id_for(sex, born, next(_serials)),
                rank_code="01.003",
                salary_step=1,
                salary_coefficient=Decimal("2.34"),
                salary_since=dt.date(2023, 1 + index % 12, 1),
                recruited_on=dt.date(1990, 1, 1),
            )
            decision(someone, 0, DecisionKind.RECRUITMENT)
            made = decision(someone, 1)
            made.effective_on = made.signed_on = dt.date(2023, 1 + index % 12, 1)
            made.salary_step, made.salary_coefficient = 1, Decimal("2.34")
            db.session.commit()

    login_as("officer")
    headers = bearer(world.users["officer"])
    for url in (
        "/salary/raises",
        "/salary/raises.xlsx",
        "/salary/raises/early",
        "/salary/retirements?months=24",
        "/salary/retirements.xlsx?months=24",
        "/reports/",
        "/reports/personnel.xlsx",
        "/reports/personnel.pdf",
    ):
        measure.fixed(url, grow)
    for url in ("/api/v1/raises", "/api/v1/retirements", "/api/v1/statistics"):
        measure.fixed(url, grow, headers=headers)
