"""Heads of units are scored by a head of the parent unit (domain §5), or an administrator: not
by a deputy of the same unit, not by a head further up, never by themselves; others still by
any head over their unit."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.exceptions import Forbidden

from hrms.core.errors import DomainError
from hrms.core.security import Role
from hrms.extensions import db
from hrms.reviews import policies, queries, services
from tests import factories as common
from tests.reviews import factories
from tests.reviews.conftest import Reviews, load, ready, review_of


def head_of(unit: Any, username: str) -> Any:
    user = common.UserFactory(username=username, grants=[(Role.UNIT_HEAD, unit)])
    db.session.commit()
    return user


def test_parent_path() -> None:
    assert policies.parent_path("/1/5/12/") == "/1/5/"
    assert policies.parent_path("/1/") is None


def test_a_division_head_is_scored_by_the_head_of_the_department(rv: Reviews) -> None:
    deputy = head_of(rv.world.division_a, "deputy")
    governor = head_of(rv.world.root, "governor")
    opened = rv.open_month(3)
    boss = review_of(opened, rv.head_person)
    assert boss.leads_unit_id == rv.world.division_a.id
    # the director (head of the department above) and the administrator score it
    assert load(rv.director, boss, "score").can_score
    assert load(rv.world.users["admin"], boss, "score").can_score
    # a deputy of the same division, and a head two levels up, read it but may not score it
    for someone in (deputy, governor):
        assert not load(someone, boss).can_score
        with pytest.raises(Forbidden):
            load(someone, boss, "score")
        with pytest.raises(Forbidden):
            load(someone, boss, "reopen")
    # nor the head themself (their own review)
    with pytest.raises(Forbidden):
        load(rv.head, boss, "score")
    # the deputy still scores the other people of the division, the governor everyone else
    own = review_of(opened, rv.world.own)
    assert load(deputy, own, "score").can_score and load(governor, own, "score").can_score
    # the personnel officer may still reopen it (not score it)
    assert load(rv.officer, boss, "reopen").can_reopen


def test_the_director_plans_and_scores_the_head(rv: Reviews) -> None:
    opened = rv.open_month(3)
    boss = review_of(opened, rv.head_person)
    ready(rv, boss, weights=None, scorer=rv.director)
    assert boss.state == "self_assessment"
    deputy = head_of(rv.world.division_a, "deputy")
    # the comment right follows the same rule for those who only score (the deputy is no
    # colleague with a dossier in the unit)
    assert not queries.may_comment(deputy, load(deputy, boss))
    with pytest.raises(DomainError):
        services.add_comment(deputy, load(deputy, boss), "Nhận xét của phó phòng")


def test_a_team_head_is_scored_by_the_division_head_not_above(rv: Reviews) -> None:
    # the person of team A heads the team: the head of division A scores them, not the director
    factories.account(rv.world.in_team, Role.UNIT_HEAD, rv.world.team_a)
    opened = rv.open_month(3)
    lead = review_of(opened, rv.world.in_team)
    assert lead.leads_unit_id == rv.world.team_a.id
    assert load(rv.head, lead, "score").can_score
    with pytest.raises(Forbidden):
        load(rv.director, lead, "score")
    # and the reminders follow: the head plans it, the director is not asked to
    assert lead.id in {r.review_id for r in queries.reminders_for(rv.head, rv.clock.now)}
    assert lead.id not in {r.review_id for r in queries.reminders_for(rv.director, rv.clock.now)}


def test_a_head_of_a_top_unit_is_scored_by_an_administrator_only(rv: Reviews) -> None:
    person = factories.person(rv.world.root, "Trần Đức Thịnh")
    governor = factories.account(person, Role.UNIT_HEAD, rv.world.root)
    assert governor.employee_id == person.id
    other = head_of(rv.world.root, "vice-governor")
    review_path = rv.world.root.path
    assert not policies.can_score(other, person.id, review_path, review_path)
    assert policies.can_score(rv.world.users["admin"], person.id, review_path, review_path)
