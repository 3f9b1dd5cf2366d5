"""The salary page and API of a person: who sees it, the "as of" date, the history rows and
the number of queries whatever the length of the ledger."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from flask import Flask

from hrms.extensions import db
from tests.conftest import issue_token
from tests.salary.factories_pay import decide, recruit, step_raise


def _ledger(app: Flask, person: Any, unit: Any, raises: int = 2) -> None:
    """Recruitment (01/01/2020, or 2010 for a long ledger), then a step every 36 months and a
    position allowance from June of the same year."""
    with app.test_request_context():
        from flask import g

        g.use_test_session = True
        start = dt.date(2010, 1, 1) if raises > 2 else dt.date(2020, 1, 1)
        unit.effective_from = unit.current_since = min(unit.effective_from, start)
        recruit(person, unit, start)
        for n in range(1, raises + 1):
            on = start.replace(year=start.year + 3 * n)
            if on >= dt.date(2026, 1, 1):
                break
            step_raise(person, unit, on, n + 1)
            decide(
                person,
                unit,
                kind="allowance",
                effective_on=on.replace(month=6),
                allowance_coefficient=Decimal(f"0.{n}0"),
            )
        db.session.commit()
        # the context's end must not close the test's session (its objects live on)
        g.use_test_session = False


def _monthly(html: str) -> str:
    found = re.search(r'data-testid="monthly">([^<]+)<', html)
    return found.group(1) if found else ""


def test_officer_sees_salary_as_of_a_date(
    app: Flask, client: Any, world: Any, login_as: Any
) -> None:
    person = world.in_team
    _ledger(app, person, world.team_a)
    login_as("officer")
    page = client.get(f"/salary/people/{person.id}?on=30/06/2023")
    assert page.status_code == 200
    # step 2 of A1 (2.67) from 01/01/2023, allowance 0.10 from 01/06/2023, base 1,490,000
    assert _monthly(page.text) == "4.127.300"
    assert _monthly(client.get(f"/salary/people/{person.id}?on=2024-07-01").text) == "6.481.800"
    history = page.text.split('data-testid="history"')[1]
    assert history.count("<tr>") == 1 + 5  # header + rows, newest first
    refused = client.get(f"/salary/people/{person.id}?on=31/02/2024")
    assert refused.status_code == 422 and 'data-field-error="on"' in refused.text


def test_scope_of_the_salary_page(app: Flask, client: Any, world: Any, login_as: Any) -> None:
    login_as("officer")
    assert client.get(f"/salary/people/{world.outside.id}").status_code == 404
    login_as("head")  # sees the dossier, not the salary
    assert client.get(f"/salary/people/{world.in_team.id}").status_code == 404
    login_as("staff")
    assert client.get(f"/salary/people/{world.in_team.id}").status_code == 404
    own = client.get(f"/salary/people/{world.own.id}")
    assert own.status_code == 200 and world.own.full_name in own.text
    mine = client.get("/salary/mine")
    assert mine.status_code == 302 and mine.headers["Location"].endswith(
        f"/salary/people/{world.own.id}"
    )
    dossier = client.get(f"/employees/{world.own.id}")
    assert 'data-testid="salary-link"' in dossier.text
    assert "/salary/mine" in dossier.text  # the navigation's "My salary"


def test_salary_api(app: Flask, world: Any) -> None:
    person = world.in_team
    _ledger(app, person, world.team_a)
    api = app.test_client(use_cookies=False)
    headers = {"Authorization": f"Bearer {issue_token(world.users['officer'])}"}
    found = api.get(f"/api/v1/employees/{person.id}/salary?on=2023-07-01", headers=headers)
    assert found.status_code == 200
    salary = found.json["salary"]
    assert (salary["rank_code"], salary["scale_code"], salary["step"]) == ("01.003", "A1", 2)
    assert (salary["coefficient"], salary["position_allowance"], salary["base_salary"]) == (
        "2.67",
        "0.10",
        "1800000",
    )
    assert salary["monthly"] == "4986000"
    before = api.get(f"/api/v1/employees/{person.id}/salary?on=2019-01-01", headers=headers)
    assert before.json["salary"] is None
    history = api.get(f"/api/v1/employees/{person.id}/salary-history", headers=headers).json
    assert [row["start"] for row in history["items"]] == [
        "2020-01-01",
        "2023-01-01",
        "2023-06-01",
        "2023-07-01",
        "2024-07-01",
    ]
    assert history["total"] == 5
    bad = api.get(f"/api/v1/employees/{person.id}/salary?on=yesterday", headers=headers)
    assert bad.status_code == 422 and "on" in bad.json["error"]["fields"]
    outside = api.get(f"/api/v1/employees/{world.outside.id}/salary", headers=headers)
    assert outside.status_code == 404
    staff = {"Authorization": f"Bearer {issue_token(world.users['staff'])}"}
    assert api.get(f"/api/v1/employees/{world.own.id}/salary", headers=staff).status_code == 200
    assert api.get(f"/api/v1/employees/{person.id}/salary", headers=staff).status_code == 404


def test_history_page_queries_do_not_grow_with_the_ledger(
    app: Flask, client: Any, world: Any, login_as: Any, count_queries: Any
) -> None:
    _ledger(app, world.in_team, world.team_a, raises=1)
    _ledger(app, world.in_b, world.division_b, raises=5)
    login_as("officer")
    counts = []
    for person in (world.in_team, world.in_b):
        with count_queries() as counted:
            page = client.get(f"/salary/people/{person.id}")
        assert page.status_code == 200
        counts.append(counted.n)
    short = client.get(f"/salary/people/{world.in_team.id}").text
    long = client.get(f"/salary/people/{world.in_b.id}").text
    assert short.count("<tr>") < long.count("<tr>")
    assert counts[0] == counts[1]
