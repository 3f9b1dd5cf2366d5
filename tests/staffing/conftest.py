"""A small staffing world on top of the common one: a competency dictionary, the approved plans
of division A and division B, a draft plan of division A, and recruitment decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask_babel import force_locale

from positions.models import Competency, PlanState, PositionPlan, UnitPosition
from tests.staffing import factories


@dataclass
class Staffing:
    world: Any
    #: general competencies: ethics, communication; a professional one
    ethics: Competency
    talk: Competency
    law: Competency
    plan_a: PositionPlan
    #: division A: two officers (rank 01.003, 50% at most of rank 01.002), one clerk
    officer: UnitPosition
    clerk: UnitPosition
    plan_b: PositionPlan
    other: UnitPosition
    draft_a: PositionPlan
    draft_position: UnitPosition


def placement_form(position: UnitPosition, employee: Any, **fields: Any) -> dict[str, str]:
    """What the placement form posts."""
    return {
        "version": str(employee.version),
        "position_id": str(position.id),
        "main": "true",
        "number": "25/QĐ-SNV",
        "signed_on": "01/03/2025",
        "issuer": "Giám đốc Sở Nội vụ",
        "effective_on": "01/03/2025",
        "note": "",
    } | {name: str(value) for name, value in fields.items()}


def placement_json(position: UnitPosition, employee: Any, **fields: Any) -> dict[str, Any]:
    """The same placement as an API body."""
    return {
        "version": employee.version,
        "position_id": position.id,
        "main": True,
        "number": "25/QĐ-SNV",
        "signed_on": "2025-03-01",
        "issuer": "Giám đốc Sở Nội vụ",
        "effective_on": "2025-03-01",
    } | fields


@pytest.fixture
def staffing(world: Any) -> Staffing:
    ethics = factories.competency("T-ETH", "Đạo đức công vụ", ordinal=1)
    talk = factories.competency("T-TALK", "Giao tiếp ứng xử", ordinal=2)
    law = factories.competency("T-LAW", "Quản lý hồ sơ công chức", family="professional")
    plan_a = factories.plan(world.division_a)
    officer = factories.position(
        plan_a,
        "CV-01",
        "Chuyên viên quản lý công chức",
        headcount=2,
        ranks="01.003,01.002",
        education_code="dai_hoc",
        requires={ethics: 3, talk: 2, law: 4},
        limits={"01.002": 50},
    )
    clerk = factories.position(
        plan_a, "VT-01", "Văn thư", ranks="02.007", grp="support", requires={ethics: 2}
    )
    plan_b = factories.plan(world.division_b)
    other = factories.position(plan_b, "TC-01", "Chuyên viên tổ chức bộ máy", headcount=3)
    draft_a = factories.plan(world.division_a, state=PlanState.DRAFT.value, previous=plan_a)
    draft_position = factories.position(draft_a, "CV-01", "Chuyên viên", lineage=officer)
    for person in (world.own, world.in_team, world.in_b, world.outside):
        factories.recruit(person, dt.date(2015, 3, 1))
    return Staffing(
        world, ethics, talk, law, plan_a, officer, clerk, plan_b, other, draft_a, draft_position
    )


@pytest.fixture(autouse=True)
def _in_english(request: pytest.FixtureRequest, client: Any) -> Iterator[None]:
    """These tests read messages in their English wording (the msgids): that each one has its
    Vietnamese translation is tests/test_translations.py's job. Pages follow the session's
    language, the API Accept-Language, services called directly the forced locale."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with client.session_transaction() as session:
        session["lang"] = "en"
    if "service_context" in request.fixturenames:
        request.getfixturevalue("service_context")
        with force_locale("en"):
            yield
    else:
        yield
