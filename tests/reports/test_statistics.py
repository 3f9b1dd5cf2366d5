"""The dashboard's numbers: every dimension against counts made row by row, the scope of each
role, the unit filter, the "as of" date, the age bands as rule data and the ratings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hrms.extensions import db
from hrms.reports import queries
from hrms.reports.models import AgeBand
from hrms.reviews.models import AnnualRating
from tests.conftest import issue_token
from tests.reports.conftest import AS_OF, Population, band_of, crowd, expected
from tests.reviews import factories as reviews


def nonzero(table: queries.Table) -> dict[str, int]:
    return {row.key: row.count for row in table.rows if row.count}


def dimensions(stats: queries.Statistics, want: Any) -> None:
    """Every headcount table of ``stats`` against the row-by-row counts of ``want``."""
    checks = {
        "kind": lambda p: p.kind,
        "rank": lambda p: p.rank_code,
        "education": lambda p: p.qualification_code,
        "political_theory": lambda p: p.political_theory_code,
        "age": lambda p: band_of(p.date_of_birth, want.as_of),
        "sex": lambda p: p.sex,
        "ethnicity": lambda p: p.ethnicity_code,
        "party": want.party,
    }
    for name, key in checks.items():
        table = stats.tables[name]
        assert nonzero(table) == dict(want.count(key)), name
        assert table.total == want.total, name
    assert stats.headcount == want.total


def test_officer_counts_every_dimension_of_their_subtree(
    population: Population, service_context: None
) -> None:
    world = population.world
    stats = queries.statistics(world.users["officer"], None, AS_OF)
    want = expected([world.department.path])
    # the five people of the fixture (not the retired, the later recruit, nor the one of the
    # other department) and the world's own, in-team and division B dossiers
    assert want.total == 8
    dimensions(stats, want)
    assert stats.focus is not None and stats.focus.id == world.department.id
    # the age bands' edges: 30 on the day is 30-39, 59 the day before turning 60 is 50-59
    ages = nonzero(stats.tables["age"])
    assert ages["0"] == 1 and ages["3"] == 1 and ages["4"] == 1
    # "of which" columns
    kind = stats.tables["kind"]
    assert kind.sum_of("women") == want.women
    assert kind.sum_of("party") == sum(want.party(p) for p, _ in want.people)
    assert kind.sum_of("minority") == sum(want.minority(p) for p, _ in want.people)


def test_by_unit_counts_each_child_with_its_subtree(
    population: Population, service_context: None
) -> None:
    world = population.world
    stats = queries.statistics(world.users["officer"], None, AS_OF)
    rows = {row.key: row.count for row in stats.tables["unit"].rows}
    division_a = expected([world.division_a.path]).total
    assert rows[str(world.division_a.id)] == division_a == 5  # team A included
    assert rows[str(world.division_b.id)] == expected([world.division_b.path]).total == 2
    # the department's own staff, placed in no division
    assert rows[str(world.department.id)] == 1
    assert stats.tables["unit"].total == stats.headcount


def test_an_officer_does_not_count_another_departments_staff(
    population: Population, service_context: None
) -> None:
    world = population.world
    officer = queries.statistics(world.users["officer"], None, AS_OF)
    admin = queries.statistics(world.users["admin"], None, AS_OF)
    assert admin.headcount == expected([world.root.path]).total == officer.headcount + 2
    assert "05" in nonzero(admin.tables["ethnicity"])
    assert nonzero(officer.tables["ethnicity"]).get("05") == 1  # only the department's one


def test_a_head_sees_only_their_subtree(population: Population, service_context: None) -> None:
    world = population.world
    stats = queries.statistics(world.users["head"], None, AS_OF)
    want = expected([world.division_a.path])
    dimensions(stats, want)
    assert stats.focus is not None and stats.focus.id == world.division_a.id
    rows = {row.key: row.count for row in stats.tables["unit"].rows}
    assert rows == {str(world.division_a.id): 3, str(world.team_a.id): 2}


def test_the_unit_filter_counts_a_subtree_within_the_scope(
    population: Population, service_context: None
) -> None:
    world = population.world
    stats = queries.statistics(world.users["officer"], world.division_b.id, AS_OF)
    dimensions(stats, expected([world.division_b.path]))


def test_the_date_decides_age_party_and_recruitment(
    population: Population, service_context: None
) -> None:
    world = population.world
    later = dt.date(2027, 8, 1)
    stats = queries.statistics(world.users["officer"], None, later)
    want = expected([world.department.path], later)
    dimensions(stats, want)
    # the later recruit counts now; the 59-year-old has turned 60; "thirty" has joined the Party
    assert want.total == 9
    assert nonzero(stats.tables["party"])["1"] == 3


@pytest.mark.parametrize(
    "as_of",
    [
        dt.date(2026, 7, 1),  # "fifty_nine" turns 60 that day
        dt.date(2026, 12, 31),
        dt.date(2024, 2, 29),  # the age limits fall on 29 February
        dt.date(2023, 2, 28),
        dt.date(2019, 12, 31),  # "thirty" joined the Party later; before the crowd's Party
        dt.date(2005, 3, 15),
    ],
)
def test_every_date_counts_what_the_rows_say(
    population: Population, service_context: None, as_of: dt.date
) -> None:
    """The dashboard's maintained counts corrected for the date (recruitment, Party, the age
    limits that cut a month of birth in two) equal the rows counted one by one."""
    world = population.world
    crowd(world.division_b, 60, recruited_on=dt.date(2015, 9, 1))
    for user, path in (("officer", world.department.path), ("admin", world.root.path)):
        stats = queries.statistics(world.users[user], None, as_of)
        want = expected([path], as_of)
        dimensions(stats, want)
        kind = stats.tables["kind"]
        assert kind.sum_of("party") == sum(want.party(p) for p, _ in want.people)
        assert kind.sum_of("women") == want.women
        assert kind.sum_of("minority") == sum(want.minority(p) for p, _ in want.people)
        assert stats.tables["unit"].total == want.total


def test_the_age_bands_are_rule_data_with_an_effective_date(
    population: Population, service_context: None
) -> None:
    world = population.world
    for min_age, label in ((0, "Dưới 35 tuổi"), (35, "Từ 35 tuổi trở lên")):
        db.session.add(AgeBand(effective_from=dt.date(2026, 1, 1), min_age=min_age, label=label))
    db.session.commit()
    stats = queries.statistics(world.users["officer"], None, AS_OF)
    assert [row.label_vi for row in stats.tables["age"].rows] == [
        "Dưới 35 tuổi",
        "Từ 35 tuổi trở lên",
    ]
    # under 35: the 28- and 30-year-olds; the world's three dossiers (born 1990) are 36
    assert nonzero(stats.tables["age"]) == {"0": 2, "1": 6}
    # before the new version, the shipped bands apply
    before = queries.statistics(world.users["officer"], None, dt.date(2025, 12, 31))
    assert len(before.tables["age"].rows) == 5


def test_ratings_of_the_last_period_and_year_in_scope(
    population: Population, service_context: None
) -> None:
    world = population.world
    admin = world.users["admin"]
    people = population.people
    march = reviews.period(world.department, admin, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    april = reviews.period(world.department, admin, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    elsewhere = reviews.period(
        world.other_department, admin, dt.date(2026, 4, 1), dt.date(2026, 4, 30)
    )
    reviews.finalised_review(people["young"], march, "95", "excellent", by=admin)
    reviews.finalised_review(people["young"], april, "85", "good", by=admin)
    reviews.finalised_review(people["thirty"], april, "75", "complete", by=admin)
    reviews.finalised_review(world.in_b, april, "95", "excellent", by=admin)
    reviews.finalised_review(people["elsewhere"], elsewhere, "40", "incomplete", by=admin)
    scheme = reviews.scheme("ND335-2025").id
    for person, year, rating in (
        (people["young"], 2025, "excellent"),
        (people["thirty"], 2025, None),
        (people["fifty_nine"], 2025, "good"),
        (world.in_b, 2024, "incomplete"),
        (people["elsewhere"], 2025, "incomplete"),
    ):
        db.session.add(
            AnnualRating(
                employee_id=person.id,
                year=year,
                scheme_id=scheme,
                unit_id=person.unit_id,
                agency_id=world.department.id,
                task_group="none",
                rating=rating,
                finalised=True,
            )
        )
    db.session.commit()
    stats = queries.statistics(world.users["officer"], None, AS_OF)
    period = stats.tables["period_ratings"]
    assert period.subtitle_vi == "tháng 04/2026"
    assert nonzero(period) == {"good": 1, "complete": 1, "excellent": 1}
    annual = stats.tables["annual_ratings"]
    assert annual.subtitle == "2025"
    assert nonzero(annual) == {"excellent": 1, "good": 1, "": 1}
    # the head of division A: only April's ratings of division A's people
    head = queries.statistics(world.users["head"], None, AS_OF)
    assert nonzero(head.tables["period_ratings"]) == {"good": 1, "complete": 1}
    # a date before April's end shows March
    march_only = queries.statistics(world.users["officer"], None, dt.date(2026, 4, 29))
    assert nonzero(march_only.tables["period_ratings"]) == {"excellent": 1}


def test_the_number_of_queries_does_not_grow_with_the_headcount(
    population: Population, service_context: None, count_queries: Any
) -> None:
    from tests.reports.conftest import crowd

    world = population.world
    officer = world.users["officer"]
    crowd(world.division_a, 5)
    with count_queries() as small:
        first = queries.statistics(officer, None, AS_OF)
    crowd(world.team_a, 40)
    crowd(world.division_b, 20)
    with count_queries() as large:
        second = queries.statistics(officer, None, AS_OF)
    assert second.headcount == first.headcount + 60
    assert small.n == large.n
    assert large.n <= 20


@pytest.fixture
def api_as(client: Any, population: Population) -> Any:
    def call(role: str, **args: Any) -> Any:
        token = issue_token(population.world.users[role])
        api = client.application.test_client(use_cookies=False)
        return api.get(
            "/api/v1/statistics",
            query_string=args,
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
        )

    return call


def test_the_api_gives_the_dashboards_numbers(api_as: Any, population: Population) -> None:
    world = population.world
    response = api_as("officer", as_of="2026-06-30")
    assert response.status_code == 200
    body = response.get_json()
    assert body["as_of"] == "2026-06-30"
    assert body["unit"]["id"] == world.department.id
    assert body["headcount"] == 8
    tables = {table["name"]: table for table in body["tables"]}
    assert set(tables) == set(queries.TABLES)
    sexes = {row["key"]: row["count"] for row in tables["sex"]["rows"]}
    assert sexes == {"male": 3, "female": 5}
    assert [band["min_age"] for band in body["age_bands"]] == [0, 30, 40, 50, 60]
    assert body["age_bands"][-1]["max_age"] is None


def test_the_api_refuses_staff_a_unit_outside_and_a_bad_date(
    api_as: Any, population: Population
) -> None:
    world = population.world
    assert api_as("staff").status_code == 403
    assert api_as("officer", unit_id=world.other_department.id).status_code == 404
    assert api_as("head", unit_id=world.division_b.id).status_code == 404
    refused = api_as("officer", as_of="31/02/2026")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"]["as_of"] == ["Enter a valid date (dd/mm/yyyy)."]
    assert api_as("officer", colour="blue").status_code == 422
