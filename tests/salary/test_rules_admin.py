"""Administration of the salary rule data: new versions, the edit of a version that has not
started, and every refusal (message beside the field, nothing saved)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from hrms.core.audit import AuditEntry
from hrms.extensions import db
from hrms.salary.models import (
    BaseSalary,
    PayRules,
    Rank,
    RetirementAge,
    SalaryScale,
)
from hrms.salary.rules import RuleBook
from tests.conftest import issue_token, page_errors


@pytest.fixture
def admin(client: Any, login_as: Any) -> Any:
    login_as("admin")
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


def _count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)))


def _field_error(html: str, name: str) -> bool:
    return f'data-field-error="{name}"' in html


def _refused(client: Any, url: str, data: dict[str, str], field: str, model: Any) -> str:
    before = _count(model)
    page = client.post_form(url, data)
    assert page.status_code == 422, page_errors(page.text)
    assert _field_error(page.text, field), page_errors(page.text)
    db.session.expire_all()
    assert _count(model) == before
    return page.text


BASE = {"amount": "2600000", "source": "Nghị định 999/2026/NĐ-CP"}


def test_the_index_lists_every_table(admin: Any) -> None:
    page = admin.get("/salary/rules")
    assert page.status_code == 200
    for table in ("scales", "ranks", "base-salaries", "allowances", "pay-rules", "retirement-ages"):
        assert f'data-testid="{table}"' in page.text
    assert "2.34" in page.text and "Nghị định 73/2024/NĐ-CP" in page.text
    for table in ("scales", "ranks", "base-salaries", "allowances", "pay-rules", "retirement-ages"):
        assert admin.get(f"/salary/rules/{table}/new").status_code == 200
    assert admin.get("/salary/rules/nothing/new").status_code == 404


def test_a_new_open_base_salary_closes_the_one_before(admin: Any) -> None:
    saved = admin.post_form(
        "/salary/rules/base-salaries/new", BASE | {"effective_from": "01/07/2027"}
    )
    assert saved.status_code == 302
    db.session.expire_all()
    spans = list(db.session.scalars(select(BaseSalary).order_by(BaseSalary.effective_from)))
    assert [(s.amount, s.effective_from, s.effective_to) for s in spans[-2:]] == [
        (Decimal(2_340_000), dt.date(2024, 7, 1), dt.date(2027, 6, 30)),
        (Decimal(2_600_000), dt.date(2027, 7, 1), None),
    ]
    rules = RuleBook.load(db.session)
    assert rules.base_salary(dt.date(2027, 6, 30)).amount == Decimal(2_340_000)  # type: ignore[union-attr]
    assert rules.base_salary(dt.date(2027, 7, 1)).amount == Decimal(2_600_000)  # type: ignore[union-attr]
    audited = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_type == "base_salaries")
    ).all()
    assert sorted(audited) == ["create", "update"]


def test_an_overlapping_base_salary_is_refused(admin: Any) -> None:
    text = _refused(
        admin,
        "/salary/rules/base-salaries/new",
        BASE | {"effective_from": "01/01/2024", "effective_to": "31/12/2024"},
        "effective_from",
        BaseSalary,
    )
    assert "overlaps" in text
    # an open span starting before the open one in force overlaps it too
    _refused(
        admin,
        "/salary/rules/base-salaries/new",
        BASE | {"effective_from": "01/01/2020"},
        "effective_from",
        BaseSalary,
    )
    db.session.expire_all()
    current = db.session.scalar(select(BaseSalary).where(BaseSalary.effective_to.is_(None)))
    assert current is not None and current.effective_from == dt.date(2024, 7, 1)


def test_a_scale_whose_steps_do_not_rise_is_refused(admin: Any) -> None:
    data = {
        "code": "A1",
        "name": "Công chức loại A1 (thử)",
        "raise_interval_months": "36",
        "seniority_wait_months": "36",
        "effective_from": "01/01/2027",
        "coefficients": "2.50 2.90 2.90 3.30",
    }
    text = _refused(admin, "/salary/rules/scales/new", data, "coefficients", SalaryScale)
    assert "step 3" in text
    _refused(
        admin,
        "/salary/rules/scales/new",
        data | {"coefficients": "2.50 abc"},
        "coefficients",
        SalaryScale,
    )
    # a duplicate: scale A1 already has a version from 01/10/2004
    _refused(
        admin,
        "/salary/rules/scales/new",
        data | {"coefficients": "2.50 2.90", "effective_from": "01/10/2004"},
        "effective_from",
        SalaryScale,
    )
    saved = admin.post_form("/salary/rules/scales/new", data | {"coefficients": "2,50; 2.90 3.30"})
    assert saved.status_code == 302
    rules = RuleBook.load(db.session)
    assert rules.coefficient("01.003", 2, dt.date(2027, 1, 1)) == Decimal("2.90")
    assert rules.coefficient("01.003", 2, dt.date(2026, 12, 31)) == Decimal("2.67")


def test_a_rank_on_an_unknown_scale_is_refused(admin: Any) -> None:
    data = {
        "code": "01.099",
        "name": "Ngạch thử",
        "scale_code": "Z9",
        "personnel_kind": "cong_chuc",
        "effective_from": "01/01/2027",
    }
    _refused(admin, "/salary/rules/ranks/new", data, "scale_code", Rank)
    _refused(
        admin,
        "/salary/rules/ranks/new",
        data | {"code": "01.003", "scale_code": "A1", "effective_from": "01/10/2004"},
        "effective_from",
        Rank,
    )
    assert (
        admin.post_form("/salary/rules/ranks/new", data | {"scale_code": "A0"}).status_code == 302
    )


def test_retirement_ages_out_of_range_or_repeated_are_refused(admin: Any) -> None:
    data = {"sex": "male", "from_year": "2030", "age_years": "75", "age_months": "0"}
    data["source"] = "Luật thử"
    _refused(admin, "/salary/rules/retirement-ages/new", data, "age_years", RetirementAge)
    _refused(
        admin,
        "/salary/rules/retirement-ages/new",
        data | {"age_years": "62", "age_months": "12"},
        "age_months",
        RetirementAge,
    )
    _refused(
        admin,
        "/salary/rules/retirement-ages/new",
        data | {"age_years": "62", "from_year": "2028"},
        "from_year",
        RetirementAge,
    )


def _pay_rules(effective_from: str) -> dict[str, str]:
    numbers = dict.fromkeys(
        (
            "failed_year_delay_months",
            "reprimand_delay_months",
            "early_raise_max_months",
            "retirement_notice_months",
        ),
        "6",
    )
    return numbers | {
        "demotion_delay_months": "12",
        "early_raise_quota_percent": "15",
        "seniority_start_percent": "5",
        "seniority_yearly_percent": "1",
        "retirement_early_raise_months": "12",
        "effective_from": effective_from,
        "source": "Nghị định thử",
    }


def test_only_versions_that_have_not_started_are_edited(admin: Any) -> None:
    past = db.session.scalar(select(PayRules).order_by(PayRules.effective_from))
    assert past is not None
    page = admin.get(f"/salary/rules/pay-rules/{past.id}/edit")
    assert page.status_code == 200 and 'data-testid="in-force"' in page.text
    refused = admin.post_form(
        f"/salary/rules/pay-rules/{past.id}/edit",
        _pay_rules("01/10/2004") | {"version": str(past.version)},
    )
    assert refused.status_code == 422 and "in force since 01/10/2004" in refused.text
    db.session.expire_all()
    assert db.session.get(PayRules, past.id).early_raise_quota_percent == 10  # type: ignore[union-attr]

    assert (
        admin.post_form("/salary/rules/pay-rules/new", _pay_rules("01/01/2028")).status_code == 302
    )
    future = db.session.scalar(
        select(PayRules).where(PayRules.effective_from == dt.date(2028, 1, 1))
    )
    assert future is not None
    url = f"/salary/rules/pay-rules/{future.id}/edit"
    changed = admin.post_form(
        url, _pay_rules("01/01/2028") | {"version": "1", "early_raise_quota_percent": "12"}
    )
    assert changed.status_code == 302
    stale = admin.post_form(url, _pay_rules("01/01/2028") | {"version": "1"})
    assert stale.status_code == 409
    db.session.expire_all()
    assert db.session.get(PayRules, future.id).early_raise_quota_percent == 12  # type: ignore[union-attr]


def test_rules_api(app: Any, world: Any) -> None:
    api = app.test_client(use_cookies=False)
    found = api.get(
        "/api/v1/salary-rules",
        headers={"Authorization": f"Bearer {issue_token(world.users['admin'])}"},
    )
    assert found.status_code == 200
    body = found.json
    a1 = next(s for s in body["scales"] if s["code"] == "A1")
    assert a1["coefficients"][0] == "2.34" and len(a1["coefficients"]) == 9
    assert {"ranks", "base_salaries", "position_allowances", "pay_rules", "retirement_ages"} <= set(
        body
    )
    officer = api.get(
        "/api/v1/salary-rules",
        headers={"Authorization": f"Bearer {issue_token(world.users['officer'])}"},
    )
    assert officer.status_code == 403
