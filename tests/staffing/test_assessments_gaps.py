"""Competency assessments (the unit head's, and the person's own) with their history, the gaps
of one person against their position, the unit heat map, and the staff member's own page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select

from hrms.core.errors import DomainError
from hrms.extensions import db
from hrms.staffing import queries, services
from hrms.staffing.models import CompetencyAssessment
from tests.conftest import page_errors
from tests.staffing import factories


def assessments_of(employee: Any) -> list[CompetencyAssessment]:
    return list(
        db.session.scalars(
            select(CompetencyAssessment)
            .where(CompetencyAssessment.employee_id == employee.id)
            .order_by(CompetencyAssessment.id)
        )
    )


def assess_form(competency: Any, **fields: Any) -> dict[str, str]:
    return {
        "kind": "head",
        "competency_id": str(competency.id),
        "level": "3",
        "assessed_on": "15/06/2025",
        "evidence": "Báo cáo tổng kết 6 tháng",
    } | {name: str(value) for name, value in fields.items()}


def test_the_head_assesses_and_the_history_is_kept(
    client: Any, staffing: Any, login_as: Any
) -> None:
    world = staffing.world
    factories.placement(world.in_team, staffing.officer)
    login_as("head")
    page = client.get(f"/staffing/employees/{world.in_team.id}")
    assert page.status_code == 200
    assert 'data-testid="assessment-form-head"' in page.text
    assert 'data-testid="assessment-form-self"' not in page.text
    assert "(required level 4)" in page.text  # the position's competencies are offered first
    url = f"/staffing/employees/{world.in_team.id}/assessments"
    first = client.post_form(url, assess_form(staffing.law, level="2", assessed_on="01/03/2025"))
    assert first.status_code == 302
    second = client.post_form(url, assess_form(staffing.law, level="4"))
    assert second.status_code == 302
    earlier, later = assessments_of(world.in_team)
    assert (earlier.level, earlier.assessed_on, later.level, later.assessed_on) == (
        2,
        dt.date(2025, 3, 1),
        4,
        dt.date(2025, 6, 15),
    )
    assert later.kind == "head" and later.assessed_by == world.users["head"].id
    assert later.evidence == "Báo cáo tổng kết 6 tháng"
    assert later.competency_version_id == factories.version_of(staffing.law, later.assessed_on).id
    history = client.get(f"/staffing/employees/{world.in_team.id}").text
    table = re.search(r'data-testid="assessment-history">(.*?)</table>', history, re.S)
    assert table is not None and table.group(1).count("<tr>") == 3  # header and both rows
    gap = re.search(r'<tr data-competency="T-LAW" data-status="(\w+)"', history)
    assert gap is not None and gap.group(1) == "met"  # the latest one counts


def test_an_assessment_points_at_the_version_in_force(staffing: Any, service_context: None) -> None:
    world = staffing.world
    head = world.users["head"]
    newer = factories.version(staffing.ethics, dt.date(2025, 6, 1), "Đạo đức công vụ (sửa đổi)")
    base = {"kind": "head", "competency_version_id": None, "evidence": None}
    before = services.assess(
        head,
        world.own,
        base
        | {"competency_id": staffing.ethics.id, "level": 2, "assessed_on": dt.date(2025, 5, 1)},
    )
    after = services.assess(
        head,
        world.own,
        base
        | {"competency_id": staffing.ethics.id, "level": 3, "assessed_on": dt.date(2025, 7, 1)},
    )
    assert before.competency_version_id != newer.id
    assert after.competency_version_id == newer.id
    with pytest.raises(DomainError) as stale:
        services.assess(
            head,
            world.own,
            base
            | {
                "competency_id": staffing.ethics.id,
                "competency_version_id": before.competency_version_id,
                "level": 3,
                "assessed_on": dt.date(2025, 7, 2),
            },
        )
    assert stale.value.field == "competency_version_id"
    assert "version 2 is" in str(stale.value.message)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"level": "6"}, "level", ""),
        ({"level": "0"}, "level", ""),
        ({"level": ""}, "level", ""),
        ({"assessed_on": "01/01/2099"}, "assessed_on", "in the future"),
        ({"assessed_on": "01/01/2020"}, "assessed_on", "in force only from 01/01/2024"),
        ({"competency_id": "987654"}, "competency_id", "Choose a competency"),
    ],
)
def test_assessments_refused_with_nothing_saved(
    client: Any,
    staffing: Any,
    login_as: Any,
    fields: dict[str, str],
    field: str,
    words: str,
) -> None:
    world = staffing.world
    login_as("head")
    answer = client.post_form(
        f"/staffing/employees/{world.own.id}/assessments", assess_form(staffing.ethics, **fields)
    )
    assert answer.status_code == 422
    assert f'data-field-error="{field}"' in answer.text
    assert any(words in message for message in page_errors(answer.text))
    assert assessments_of(world.own) == []


def test_a_retired_competency_is_not_assessed(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    retired = factories.competency("T-OLD", "Năng lực cũ", active=False)
    login_as("head")
    answer = client.post_form(
        f"/staffing/employees/{world.own.id}/assessments", assess_form(retired)
    )
    assert answer.status_code == 422
    assert any("retired" in message for message in page_errors(answer.text))
    assert assessments_of(world.own) == []


def test_who_may_assess(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    login_as("head")
    # another division's person: not visible
    assert (
        client.post_form(
            f"/staffing/employees/{world.in_b.id}/assessments", assess_form(staffing.ethics)
        ).status_code
        == 404
    )
    # the officer sees the person but does not assess
    login_as("officer")
    assert (
        client.post_form(
            f"/staffing/employees/{world.own.id}/assessments", assess_form(staffing.ethics)
        ).status_code
        == 403
    )
    # the staff member may not give themself the head's assessment
    login_as("staff")
    assert (
        client.post_form(
            f"/staffing/employees/{world.own.id}/assessments", assess_form(staffing.ethics)
        ).status_code
        == 403
    )
    assert assessments_of(world.own) == []


def test_a_head_does_not_assess_themself(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    head = world.users["head"]
    mine = factories.person(world.division_a, "Trương Văn Hùng")
    head.employee_id = mine.id
    db.session.commit()
    login_as("head")
    page = client.get(f"/staffing/employees/{mine.id}")
    assert 'data-testid="assessment-form-head"' not in page.text
    assert 'data-testid="assessment-form-self"' in page.text
    answer = client.post_form(
        f"/staffing/employees/{mine.id}/assessments", assess_form(staffing.ethics)
    )
    assert answer.status_code == 422
    assert any("assessed by your superior" in m for m in page_errors(answer.text))
    assert assessments_of(mine) == []


def test_staff_add_a_self_assessment_and_see_their_own_gaps(
    client: Any, staffing: Any, login_as: Any
) -> None:
    world = staffing.world
    head = world.users["head"]
    factories.placement(world.own, staffing.officer)
    factories.assessment(world.own, staffing.ethics, 1, by=head)
    factories.assessment(world.own, staffing.talk, 2, by=head)
    login_as("staff")
    page = client.get("/staffing/me")
    assert page.status_code == 200
    assert "My competencies" in page.text or 'data-testid="person-name"' in page.text
    assert 'data-testid="assessment-form-self"' in page.text
    assert 'data-testid="assessment-form-head"' not in page.text
    answer = client.post_form(
        "/staffing/me/assessments",
        assess_form(staffing.ethics, kind="head", level="4", evidence="Tự đánh giá"),
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/staffing/me")
    [*_, own] = assessments_of(world.own)
    assert (own.kind, own.level, own.assessed_by) == ("self", 4, world.users["staff"].id)

    page = client.get("/staffing/me").text
    ethics = re.search(r'<tr data-competency="T-ETH" data-status="(\w+)">(.*?)</tr>', page, re.S)
    assert ethics is not None and ethics.group(1) == "need"  # the head's level 1 counts
    assert 'data-cell="gap">2<' in ethics.group(2)
    assert re.search(r'<tr data-competency="T-TALK" data-status="met"', page)
    assert re.search(r'<tr data-competency="T-LAW" data-status="not_assessed"', page)
    needs = re.search(r'data-testid="training-needs">(.*?)</ul>', page, re.S)
    assert needs is not None
    assert "T-ETH" in needs.group(1) and "Đạo đức công vụ: mức 3" in needs.group(1)
    assert "Not assessed yet: T-LAW" in needs.group(1)
    # their own person page is theirs too; nobody else's
    assert client.get(f"/staffing/employees/{world.own.id}").status_code == 200
    assert client.get(f"/staffing/employees/{world.in_team.id}").status_code == 404
    assert client.get(f"/staffing/units/{world.division_a.id}/gaps").status_code == 403


def test_a_self_assessment_is_only_ones_own(client: Any, staffing: Any, login_as: Any) -> None:
    login_as("nobody")
    assert client.get("/staffing/me").status_code == 404
    assert (
        client.post_form("/staffing/me/assessments", assess_form(staffing.ethics)).status_code
        == 404
    )


def test_person_gaps_against_the_main_position(staffing: Any, service_context: None) -> None:
    world = staffing.world
    head = world.users["head"]
    factories.placement(world.own, staffing.officer)
    factories.placement(world.own, staffing.clerk, main=False)
    factories.assessment(world.own, staffing.ethics, 4, by=head, on=dt.date(2025, 1, 10))
    factories.assessment(world.own, staffing.ethics, 1, by=head, on=dt.date(2025, 6, 1))
    factories.assessment(world.own, staffing.talk, 1, by=head)
    factories.assessment(world.own, staffing.law, 5, by=world.users["staff"], kind="self")
    extra = factories.competency("T-LEAD", "Lãnh đạo nhóm", family="leadership")
    factories.assessment(world.own, extra, 3, by=head)
    gaps = queries.person_gaps(world.own)
    assert gaps.position is not None and gaps.position.code == "CV-01"
    assert [p.code for p in gaps.concurrent] == ["VT-01"]
    rows = {row.competency.code: row for row in gaps.rows}
    assert (rows["T-ETH"].required, rows["T-ETH"].assessed.level, rows["T-ETH"].gap) == (3, 1, 2)
    assert (rows["T-TALK"].gap, rows["T-TALK"].status) == (1, "need")
    assert (rows["T-LAW"].gap, rows["T-LAW"].status) == (None, "not_assessed")
    assert rows["T-LAW"].self_assessed.level == 5
    assert [row.competency.code for row in gaps.training_needs] == ["T-ETH", "T-TALK"]
    assert [row.competency.code for row in gaps.not_assessed] == ["T-LAW"]
    assert [(row.competency.code, row.status) for row in gaps.others] == [
        ("T-LEAD", "not_required")
    ]


def test_the_unit_heat_map(client: Any, staffing: Any, login_as: Any) -> None:
    world = staffing.world
    head = world.users["head"]
    second = factories.person(world.division_a, "Vương Thị Xuân")
    waiting = factories.person(world.division_a, "Yên Văn Bảo")
    factories.placement(world.own, staffing.officer)
    factories.placement(second, staffing.clerk)
    factories.assessment(world.own, staffing.ethics, 1, by=head)  # gap 2
    factories.assessment(world.own, staffing.talk, 1, by=head)  # gap 1
    factories.assessment(world.own, staffing.law, 4, by=head)  # met
    factories.assessment(second, staffing.ethics, 1, by=head)  # gap 1
    factories.assessment(second, staffing.ethics, 3, by=world.users["staff"], kind="self")
    login_as("head")
    page = client.get(f"/staffing/units/{world.division_a.id}/gaps")
    assert page.status_code == 200
    html = page.text

    def heat(person: Any, code: str) -> tuple[str, str]:
        row = re.search(rf'<tr data-employee="{person.id}">(.*?)</tr>', html, re.S)
        assert row is not None
        found = re.search(
            rf'<td class="([^"]*)" data-competency="{code}">(.*?)</td>', row.group(1), re.S
        )
        assert found is not None
        return found.group(1), found.group(2).strip()

    assert heat(world.own, "T-ETH") == ("table-danger heat-2", "2")
    assert heat(world.own, "T-TALK") == ("table-warning heat-1", "1")
    assert heat(world.own, "T-LAW") == ("table-success heat-0", "0")
    assert heat(second, "T-ETH") == ("table-warning heat-1", "1")  # the self-assessment aside
    assert heat(second, "T-LAW") == ("heat-none", "·")  # not required of a clerk

    def counts(code: str) -> dict[str, str]:
        row = re.search(rf'<tr data-competency="{code}">(.*?)</tr>', html, re.S)
        assert row is not None
        return dict(re.findall(r'data-count="([^"]+)">(\d+)<', row.group(1)))

    assert counts("T-ETH") == {"2+": "1", "1": "1", "0": "0", "?": "0"}
    assert counts("T-LAW") == {"2+": "0", "1": "0", "0": "1", "?": "0"}
    ethics = re.search(r'<tr data-competency="T-ETH">(.*?)</tr>', html, re.S)
    assert ethics is not None
    train = re.search(r'data-testid="to-train">(.*?)</td>', ethics.group(1), re.S)
    assert train is not None
    # the largest gap first
    assert train.group(1).index(world.own.full_name) < train.group(1).index("Vương Thị Xuân")
    # positions × competencies: needs of those assessed, coloured by the largest gap
    by_position = re.search(r'data-testid="position-heat-map">(.*?)</table>', html, re.S)
    assert by_position is not None

    def position_heat(code: str, competency: str) -> tuple[str, str]:
        row = re.search(rf'<tr data-position="{code}">(.*?)</tr>', by_position.group(1), re.S)
        assert row is not None
        found = re.search(
            rf'<td class="([^"]*)" data-competency="{competency}">(.*?)</td>', row.group(1), re.S
        )
        assert found is not None
        return found.group(1), found.group(2).strip()

    assert position_heat("CV-01", "T-ETH") == ("table-danger heat-2", "1/1")
    assert position_heat("CV-01", "T-LAW") == ("table-success heat-0", "0/1")
    assert position_heat("VT-01", "T-ETH") == ("table-warning heat-1", "1/1")
    assert position_heat("VT-01", "T-TALK") == ("heat-none", "·")
    unplaced = re.search(r'data-testid="gaps-unplaced">(.*?)</ul>', html, re.S)
    assert unplaced is not None and waiting.full_name in unplaced.group(1)
    # out of scope
    login_as("head2")
    assert client.get(f"/staffing/units/{world.division_a.id}/gaps").status_code == 404


def test_the_heat_map_costs_the_same_queries_at_any_size(
    client: Any, staffing: Any, login_as: Any, count_queries: Any
) -> None:
    world = staffing.world
    head = world.users["head"]

    def grow(prefix: str, count: int) -> None:
        for n in range(count):
            position = factories.position(
                staffing.plan_a, f"{prefix}-{n}", requires={staffing.ethics: 3, staffing.law: 2}
            )
            person = factories.person(world.division_a, f"Người {prefix} {n}")
            factories.placement(person, position)
            factories.assessment(person, staffing.ethics, 1, by=head)
            factories.assessment(person, staffing.law, 2, by=head, kind="self")

    login_as("head")
    url = f"/staffing/units/{world.division_a.id}/gaps"
    grow("A", 1)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    grow("B", 12)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.n == small.n, large.statements
    person_url = f"/staffing/employees/{world.own.id}"
    factories.placement(world.own, staffing.officer)
    with count_queries() as one:
        assert client.get(person_url).status_code == 200
    for competency in (staffing.ethics, staffing.talk, staffing.law):
        for level in (1, 2, 3):
            factories.assessment(world.own, competency, level, by=head)
    with count_queries() as many:
        assert client.get(person_url).status_code == 200
    assert many.n == one.n


def test_the_heat_map_reads_the_same_latest_levels_as_a_persons_page(
    staffing: Any, service_context: None
) -> None:
    """The heat map reads only levels (issue 8): the same latest head's assessment per person
    and competency as the person's page, and the same gaps, statuses and colours."""
    world = staffing.world
    head = world.users["head"]
    second = factories.person(world.division_a, "Vương Thị Xuân")
    factories.placement(world.own, staffing.officer)
    factories.placement(second, staffing.clerk)
    factories.assessment(world.own, staffing.ethics, 4, by=head, on=dt.date(2025, 1, 10))
    factories.assessment(world.own, staffing.ethics, 1, by=head, on=dt.date(2025, 6, 1))
    factories.assessment(world.own, staffing.talk, 3, by=head, on=dt.date(2025, 6, 1))
    factories.assessment(world.own, staffing.talk, 2, by=head, on=dt.date(2025, 6, 1))  # later id
    factories.assessment(world.own, staffing.law, 5, by=world.users["staff"], kind="self")
    factories.assessment(second, staffing.ethics, 3, by=head)
    ids = [world.own.id, second.id]
    latest = queries.latest_assessments(ids)
    levels = queries.latest_levels(ids, "head")
    assert levels == {
        (employee_id, competency_id): assessed.level
        for (employee_id, competency_id, _kind), assessed in latest.items()
    }
    assert levels[(world.own.id, staffing.ethics.id)] == 1
    assert levels[(world.own.id, staffing.talk.id)] == 2
    assert (world.own.id, staffing.law.id) not in levels  # a self-assessment does not count
    for person in (world.own, second):
        gaps = queries.person_gaps(person)
        line = next(
            cells
            for employee, _p, cells in queries.unit_gaps(world.division_a).people
            if employee.id == person.id
        )
        assert line.keys() == {row.competency.id for row in gaps.rows}
        for row in gaps.rows:
            cell = line[row.competency.id]
            assert (cell.required, cell.gap, cell.status) == (row.required, row.gap, row.status)
            assert queries.heat_class(cell) == queries.heat_class(row)
            if row.assessed is not None:
                assert cell.level == row.assessed.level


def test_links_are_what_url_for_builds(app: Any) -> None:
    from flask import url_for

    from hrms.core.links import links

    with app.test_request_context():
        built = links("staffing.person_competencies", "employee_id", [1, 20, 987654])
        assert built == {
            n: url_for("staffing.person_competencies", employee_id=n) for n in (1, 20, 987654)
        }
        reviews = links("reviews.show_review", "review_id", [7])
        assert reviews == {7: url_for("reviews.show_review", review_id=7)}
    with app.test_request_context(base_url="http://example.test/hrms/"):
        assert links("reviews.show_review", "review_id", [3]) == {3: "/hrms/reviews/3"}
