"""A reviews world on top of the common one: approved plans with position outputs, people
placed in them, the head of division A with a dossier of their own, a director heading the
department (who scores the head), a colleague with a staff account, a viên chức and a contract
worker in division B; and a clock the services read."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal as D
from typing import Any

import pytest
from flask_babel import force_locale

from hrms.core.security import Role
from hrms.extensions import db
from hrms.reviews import queries, services
from hrms.reviews.models import Review
from positions.models import UnitPosition
from tests import factories as common
from tests.reviews import factories
from tests.staffing import factories as staffing

CV_OUTPUTS: list[factories.Output] = [
    ("Thẩm định hồ sơ nâng lương", "Tờ trình thẩm định", "hồ sơ", "10", "1"),
    ("Tổng hợp báo cáo thống kê", "Báo cáo thống kê", "báo cáo", "4", "1.5"),
    ("Trả lời văn bản của cơ quan, tổ chức", "Văn bản trả lời", "văn bản", "2", "1"),
    # no monthly quantity: not part of the plan until the head adds it
    ("Tham gia đoàn kiểm tra", "Biên bản kiểm tra", "biên bản", "", "1"),
]


@dataclass
class Clock:
    now: dt.date


@dataclass
class Reviews:
    world: Any
    clock: Clock
    officer: Any
    head: Any
    director: Any
    staff: Any
    colleague_user: Any
    cv: UnitPosition
    clerk: UnitPosition
    lead: UnitPosition
    tc: UnitPosition
    head_person: Any
    colleague: Any
    vc: Any
    contractor: Any

    def open_month(self, month: int, *, unit: Any = None, actor: Any = None) -> services.Opened:
        last = calendar.monthrange(2026, month)[1]
        return services.open_period(
            actor or self.officer,
            {
                "unit_id": (unit or self.world.department).id,
                "kind": "month",
                "year": 2026,
                "number": month,
                "self_deadline": dt.date(2026, month, last) + dt.timedelta(days=3),
                "scoring_deadline": dt.date(2026, month, last) + dt.timedelta(days=10),
            },
        )

    def open_quarter(self, quarter: int, *, unit: Any = None) -> services.Opened:
        ends = dt.date(2026, quarter * 3, calendar.monthrange(2026, quarter * 3)[1])
        return services.open_period(
            self.officer,
            {
                "unit_id": (unit or self.world.department).id,
                "kind": "quarter",
                "year": 2026,
                "number": quarter,
                "self_deadline": ends + dt.timedelta(days=5),
                "scoring_deadline": ends + dt.timedelta(days=15),
            },
        )


def review_of(opened: services.Opened, employee: Any) -> Review:
    return next(r for r in opened.reviews if r.employee_id == employee.id)


def load(actor: Any, review: Review, action: str = "view") -> queries.Loaded:
    return queries.get_review_for(actor, review.id, action=action)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    current = Clock(dt.date(2026, 3, 20))
    monkeypatch.setattr(services, "today", lambda: current.now)
    monkeypatch.setattr(queries, "agency_today", lambda: current.now)
    return current


@pytest.fixture
def rv(world: Any, service_context: None, clock: Clock) -> Reviews:
    plan_a = staffing.plan(world.division_a)
    cv = factories.position_with_outputs(
        plan_a, "CV-01", "Chuyên viên quản lý công chức", CV_OUTPUTS
    )
    clerk = factories.position_with_outputs(
        plan_a,
        "VT-01",
        "Văn thư",
        [("Quản lý văn bản đến, đi", "Văn bản được vào sổ", "văn bản", "120", "0.2")],
        grp="support",
    )
    lead = factories.position_with_outputs(
        plan_a,
        "TP-01",
        "Trưởng phòng",
        [("Chỉ đạo, điều hành công việc của phòng", "Kế hoạch công tác", "kế hoạch", "1", "3")],
        grp="leadership",
    )
    plan_b = staffing.plan(world.division_b)
    tc = factories.position_with_outputs(
        plan_b,
        "TC-01",
        "Chuyên viên tổ chức bộ máy",
        [("Thẩm định đề án vị trí việc làm", "Tờ trình thẩm định đề án", "đề án", "3", "2")],
    )
    head_person = factories.person(world.division_a, "Phạm Quang Huy")
    colleague = factories.person(world.division_a, "Vũ Thị Lan")
    vc = factories.person(world.division_b, "Trịnh Văn Khải", kind="vien_chuc")
    contractor = factories.person(world.division_b, "Mai Văn Tú", kind="contract")
    for employee, held in (
        (world.own, cv),
        (world.in_team, cv),
        (colleague, clerk),
        (head_person, lead),
        (world.in_b, tc),
        (vc, tc),
    ):
        staffing.placement(employee, held)
    head = world.users["head"]
    head.employee_id = head_person.id
    director = common.UserFactory(username="director", grants=[(Role.UNIT_HEAD, world.department)])
    colleague_user = factories.account(colleague)
    db.session.commit()
    return Reviews(
        world=world,
        clock=clock,
        officer=world.users["officer"],
        head=head,
        director=director,
        staff=world.users["staff"],
        colleague_user=colleague_user,
        cv=cv,
        clerk=clerk,
        lead=lead,
        tc=tc,
        head_person=head_person,
        colleague=colleague,
        vc=vc,
        contractor=contractor,
    )


#: the worked example's weights (see test_scoring.MONTH): 50, 30, 20
EXAMPLE_WEIGHTS = (D(50), D(30), D(20))


def ready(
    rv: Reviews,
    review: Review,
    weights: tuple[D, ...] | None = EXAMPLE_WEIGHTS,
    *,
    scorer: Any = None,
) -> None:
    """The head sets the plan's weights and opens the self-assessment."""
    if scorer is None:
        scorer = rv.director if review.employee_id == rv.head_person.id else rv.head
    loaded = load(scorer, review, "score")
    if weights is not None:
        rows = factories.plan_rows(review)
        for row, weight in zip(rows, weights, strict=True):
            row["weight"] = weight
        services.save_plan(scorer, loaded, {"version": review.version, "items": rows})
    services.open_self_assessment(scorer, loaded, review.version)


def deliver(rv: Reviews, review: Review, *quantities: str, actor: Any = None, **extra: Any) -> None:
    """The person reports the quantities delivered, item by item."""
    who = actor or rv.staff
    services.save_self_assessment(
        who,
        load(who, review, "self"),
        {
            "version": review.version,
            "items": [
                {"id": item.id, "delivered_quantity": D(q), "delivered_on": dt.date(2026, 3, 18)}
                for item, q in zip(review.items, quantities, strict=True)
            ],
        }
        | extra,
    )


@pytest.fixture(autouse=True)
def _in_english(request: pytest.FixtureRequest) -> Iterator[None]:
    """These tests read messages in their English wording (the msgids): that each one has its
    Vietnamese translation is tests/test_translations.py's job."""
    if "service_context" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("service_context")
    with force_locale("en"):
        yield
