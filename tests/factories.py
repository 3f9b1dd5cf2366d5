"""factory_boy factories for the models; persisted with a flush into the test transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy.orm import scoped_session
from werkzeug.security import generate_password_hash

from hrms.accounts.models import RoleGrant, User
from hrms.core.security import Role
from hrms.core.text import fold
from hrms.employees.models import Employee, FamilyMember, NameKey, TrainingRecord, name_keys
from hrms.org.models import Unit

TEST_PASSWORD = "Correct-Horse-Battery-9"

_FACTORIES: list[type[SQLAlchemyModelFactory]] = []


def bind(session: scoped_session[Any]) -> None:
    for model_factory in _FACTORIES:
        model_factory._meta.sqlalchemy_session = session


@cache
def password_hash() -> str:
    # scrypt is slow on purpose; hash the shared test password once per run
    return generate_password_hash(TEST_PASSWORD)


class UnitFactory(SQLAlchemyModelFactory):
    class Meta:
        model = Unit
        sqlalchemy_session_persistence = "commit"
        exclude = ("parent",)

    parent: Any = None
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Phòng số {n}")
    kind = "division"
    effective_from = dt.date(2020, 1, 1)
    current_since = factory.SelfAttribute("effective_from")
    search_text = factory.LazyAttribute(lambda o: f"{fold(o.name)} {o.code.lower()}")
    parent_id = factory.LazyAttribute(lambda o: o.parent.id if o.parent else None)
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1 if o.parent else 0)
    path = factory.Sequence(lambda n: f"/pending-{n}/")

    @factory.post_generation
    def materialise_path(obj: Unit, create: bool, extracted: Any, **kwargs: Any) -> None:
        session = UnitFactory._meta.sqlalchemy_session
        session.flush()
        parent_path = session.get(Unit, obj.parent_id).path if obj.parent_id else "/"
        obj.path = f"{parent_path}{obj.id}/"
        session.flush()


class UserFactory(SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_persistence = "commit"

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Số {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.vn")
    search_text = factory.LazyAttribute(lambda o: f"{o.username} {fold(o.full_name)}")
    password_hash = factory.LazyFunction(password_hash)
    active = True
    failed_logins = 0

    @factory.post_generation
    def grants(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        for role, unit in extracted or []:
            obj.grants.append(RoleGrant(role=Role(role).value, unit_id=unit.id if unit else None))
        UserFactory._meta.sqlalchemy_session.flush()


_FACTORIES.extend([UnitFactory, UserFactory])


def national_id_for(sex: str, born: dt.date, serial: int) -> str:
    """A CCCD whose digits 4-6 agree with the sex, century and year of birth."""
    century = (born.year // 100 - 19) * 2 + (1 if sex == "female" else 0)
    return f"037{century}{born.year % 100:02d}{serial:06d}"


class EmployeeFactory(SQLAlchemyModelFactory):
    class Meta:
        model = Employee
        sqlalchemy_session_persistence = "commit"
        exclude = ("unit",)

    unit: Any = None
    full_name = factory.Sequence(lambda n: f"Trần Thị Mẫu {chr(65 + n % 26)}")
    search_name = factory.LazyAttribute(lambda o: fold(o.full_name))
    sex = "female"
    date_of_birth = dt.date(1990, 5, 17)
    national_id = factory.Sequence(
        lambda n: national_id_for("female", dt.date(1990, 5, 17), 100 + n)
    )
    kind = "cong_chuc"
    status = "working"
    unit_id = factory.LazyAttribute(lambda o: o.unit.id)
    rank_code = "01.003"
    salary_step = 3
    salary_coefficient = Decimal("3.00")

    @factory.post_generation
    def name_index(obj: Employee, create: bool, extracted: Any, **kwargs: Any) -> None:
        session = EmployeeFactory._meta.sqlalchemy_session
        for key in name_keys(obj.full_name, obj.other_names):
            session.add(NameKey(employee_id=obj.id, key=key))
        session.commit()


class TrainingFactory(SQLAlchemyModelFactory):
    class Meta:
        model = TrainingRecord
        sqlalchemy_session_persistence = "commit"

    school = "Học viện Hành chính Quốc gia"
    major = "Quản lý nhà nước"
    started_on = dt.date(2008, 9, 1)
    ended_on = dt.date(2012, 6, 1)


class FamilyFactory(SQLAlchemyModelFactory):
    class Meta:
        model = FamilyMember
        sqlalchemy_session_persistence = "commit"

    side = "own"
    relation = "Mẹ"
    full_name = "Phạm Thị Lụa"
    birth_year = 1962


_FACTORIES.extend([EmployeeFactory, TrainingFactory, FamilyFactory])
