"""The reviews schema: the shipped schemes seeded by the migration, rule data validated, the
invariants held by the database, and the choice of scheme by kind, agency and date."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from hrms.core.errors import ValidationFailed
from hrms.extensions import db
from hrms.reviews import queries
from hrms.reviews.models import (
    EvaluationScheme,
    Review,
    ReviewItem,
    SchemeAssignment,
)
from hrms.reviews.scheme import Method, PeriodKind
from tests.reviews.conftest import Reviews, review_of
from tests.reviews.factories import scheme

SHIPPED = Path(__file__).resolve().parents[2] / "hrms" / "reviews" / "data" / "schemes.json"


def test_the_migration_seeds_the_shipped_schemes(app: Any, service_context: None) -> None:
    seeded = {s.code: s for s in db.session.scalars(select(EvaluationScheme))}
    shipped = json.loads(SHIPPED.read_text())["schemes"]
    assert set(seeded) == {s["code"] for s in shipped} == {"ND335-2025", "ND90-2020"}
    for data in shipped:
        row = seeded[data["code"]]
        assert row.kind_list == data["kinds"] and row.rules == data["rules"]
        assert row.effective_from == dt.date.fromisoformat(data["effective_from"])
        assert row.active and row.version == 1
    assert seeded["ND335-2025"].parsed.method is Method.POINTS
    assert seeded["ND90-2020"].parsed.period is PeriodKind.QUARTER


def test_unique_constraints_have_names_of_their_own(app: Any, service_context: None) -> None:
    inspector = inspect(db.session.connection())
    names = {
        table: {c["name"] for c in inspector.get_unique_constraints(table)}
        for table in ("evaluation_schemes", "scheme_assignments", "reviews", "annual_ratings")
    }
    assert names == {
        "evaluation_schemes": {"uq_evaluation_schemes_code_effective"},
        "scheme_assignments": {"uq_scheme_assignments_unit_kind_from"},
        "reviews": {"uq_reviews_period_employee"},
        "annual_ratings": {"uq_annual_ratings_employee_year"},
    }


def test_incoherent_rule_data_is_refused(app: Any, service_context: None) -> None:
    rules = copy.deepcopy(scheme("ND335-2025").rules)
    rules["bands"] = rules["bands"][:3]
    with pytest.raises(ValidationFailed) as refused:
        EvaluationScheme(code="X", name="X", kinds="cong_chuc", rules=rules)
    assert "bands" in refused.value.errors


def rejected(row: Any) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return True
    return False


def test_the_database_holds_the_invariants(rv: Reviews) -> None:
    own = review_of(rv.open_month(3), rv.world.own)

    def item(**fields: Any) -> ReviewItem:
        values: dict[str, Any] = {
            "review_id": own.id,
            "title": "x",
            "assigned_quantity": D(1),
            "weight": D(10),
        }
        return ReviewItem(**(values | fields))

    assert not rejected(item())
    assert rejected(item(assigned_quantity=D(0)))
    assert rejected(item(weight=D(0)))
    assert rejected(item(weight=D(101)))
    assert rejected(item(delivered_quantity=D(-1)))
    assert rejected(item(returns=-1))
    assert rejected(item(delays=1, excused_delays=2, excuse_reason="x"))
    assert rejected(item(delays=1, excused_delays=1))  # an excuse needs its reason
    twin = Review(
        period_id=own.period_id,
        employee_id=own.employee_id,
        unit_id=own.unit_id,
        scheme_id=own.scheme_id,
    )
    assert rejected(twin)
    for field in ({"override_rating": "excellent"}, {"state": "finalised"}, {"total": D(101)}):
        db.session.expire_all()
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.execute(Review.__table__.update().where(Review.id == own.id).values(**field))
    same = scheme("ND335-2025")
    assert rejected(
        EvaluationScheme(
            code=same.code,
            name="x",
            kinds="cong_chuc",
            effective_from=same.effective_from,
            rules=same.rules,
        )
    )


def test_the_scheme_follows_kind_agency_and_date(rv: Reviews) -> None:
    world = rv.world
    nd335, nd90 = scheme("ND335-2025"), scheme("ND90-2020")
    march = dt.date(2026, 3, 1)
    assert queries.scheme_for("cong_chuc", world.division_a, march) == nd335
    assert queries.scheme_for("vien_chuc", world.division_a, march) == nd90
    assert queries.scheme_for("can_bo", world.division_a, march) == nd90
    assert queries.scheme_for("contract", world.division_a, march) is None
    # Nghị định 335/2025 applies from 2026 only
    assert queries.scheme_for("cong_chuc", world.division_a, dt.date(2025, 6, 1)) is None
    # the department chooses the criteria scheme for its công chức from June
    db.session.add(
        SchemeAssignment(
            unit_id=world.department.id,
            kind="cong_chuc",
            scheme_id=nd90.id,
            effective_from=dt.date(2026, 6, 1),
        )
    )
    later = EvaluationScheme(
        code="ND335-2025",
        name="Công chức — sửa đổi 2027",
        kinds="cong_chuc",
        effective_from=dt.date(2027, 1, 1),
        rules=nd335.rules,
    )
    db.session.add(later)
    db.session.flush()
    assert queries.scheme_for("cong_chuc", world.team_a, dt.date(2026, 5, 31)) == nd335
    assert queries.scheme_for("cong_chuc", world.team_a, dt.date(2026, 7, 1)) == nd90
    assert queries.scheme_for("cong_chuc", world.other_department, dt.date(2026, 7, 1)) == nd335
    assert queries.scheme_for("cong_chuc", world.other_department, dt.date(2027, 2, 1)) == later
    later.active = False
    assert queries.scheme_for("cong_chuc", world.other_department, dt.date(2027, 2, 1)) == nd335


def test_the_agency_of_a_unit(rv: Reviews) -> None:
    world = rv.world
    assert queries.agency_of(world.team_a) == world.department
    assert queries.agency_of(world.division_b) == world.department
    assert queries.agency_of(world.department) == world.department
    assert queries.agency_of(world.root) == world.root
