"""Writes to dossiers: the rules of form 2C and of the decisions ledger. Services flush, never
commit; the request commits once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select

from hrms.codes.queries import is_valid as code_is_valid
from hrms.core.audit import AuditEntry, current_actor, record_event
from hrms.core.dates import format_date, today
from hrms.core.db import utcnow
from hrms.core.errors import FORM, ConflictError, DomainError, ValidationFailed
from hrms.core.security import Actor
from hrms.core.text import fold, normalize_spaces
from hrms.core.transaction import flush_or_conflict
from hrms.employees import queries
from hrms.employees.models import (
    ALL_FIELDS,
    REQUIRED_ON_CREATE,
    SECTIONS,
    Decision,
    DecisionKind,
    Employee,
    EmployeeStatus,
    FamilyMember,
    NameKey,
    Sex,
    TrainingRecord,
    name_keys,
)
from hrms.employees.policies import can_create_employees, can_edit_employee, can_place_in_unit
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.salary.queries import cached_rule_book
from hrms.salary.raises import raise_date_problem

STALE = _l(
    "Someone else changed this dossier after you opened it; nothing was saved. "
    "Their changes are shown below: check them, then enter yours again."
)
#: fields checked against a code list, and which list
CODED_FIELDS = {
    "ethnicity_code": "ethnicity",
    "religion_code": "religion",
    "qualification_code": "education_level",
    "political_theory_code": "political_theory",
    "state_management_code": "state_management",
    "it_level_code": "it_level",
}
#: what each kind of decision must state
DECISION_REQUIRES: dict[DecisionKind, tuple[str, ...]] = {
    DecisionKind.RECRUITMENT: ("unit_id",),
    # the coefficient may be left out where the salary rules give it (see _check_pay)
    DecisionKind.RANK_PLACEMENT: ("rank_code", "salary_step"),
    DecisionKind.SALARY_STEP: ("salary_step",),
    DecisionKind.ALLOWANCE: ("allowance_coefficient",),
    DecisionKind.TRANSFER_IN: ("unit_id",),
    DecisionKind.ROTATION: ("unit_id",),
    DecisionKind.SECONDMENT: ("unit_id",),
    DecisionKind.APPOINTMENT: ("title",),
    DecisionKind.REWARD: ("title",),
    DecisionKind.DISCIPLINE: ("title",),
}
#: decisions after which nothing more can happen in this agency's ledger (but a transfer in)
EXITS = {
    DecisionKind.TRANSFER_OUT,
    DecisionKind.RETIREMENT,
    DecisionKind.RESIGNATION,
    DecisionKind.DEATH,
}
#: the age a person must have reached on recruitment (Labour Code, Law on Civil Servants)
MINIMUM_RECRUITMENT_AGE = 18


class StaleDossier(ConflictError):
    """A save on an old version; carries what others changed since, for the user to see."""

    def __init__(self, changes: list[Any]) -> None:
        super().__init__(FORM, STALE)
        self.changes = changes


def check_national_id(national_id: str, sex: str | None, birth_year: int | None) -> str | None:
    """The CCCD encodes sex, century and year of birth (digits 4 to 6): they must agree."""
    if not re.fullmatch(r"\d{12}", national_id):
        return None  # the shape is reported by the field validator
    century_and_sex = int(national_id[3])
    if birth_year is not None:
        century = 1900 + 100 * (century_and_sex // 2)
        if century + int(national_id[4:6]) != birth_year:
            return str(_l("Digits 4 to 6 of the ID number do not match the year of birth."))
    if sex is not None and (century_and_sex % 2 == 1) != (sex == Sex.FEMALE):
        return str(_l("Digit 4 of the ID number does not match the sex."))
    return None


def _require_editor(actor: Actor, unit: Unit) -> None:
    if not can_edit_employee(actor, unit.path):
        raise DomainError(FORM, _l("You may not change this dossier."))


def _check_codes(data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, list_name in CODED_FIELDS.items():
        code = data.get(name)
        if code and not code_is_valid(list_name, code):
            errors[name] = [str(_l("This code is not in the list."))]
    return errors


#: numbers per IN (...) when reading who holds the numbers of a batch
_IN_CHUNK = 500


def _holds_another(holder: Employee | int | None, employee: Employee | None) -> bool:
    if holder is None:
        return False
    if isinstance(holder, int):
        return employee is None or holder != employee.id
    return holder is not employee


@dataclass
class TakenNumbers:
    """Who holds the ID and social-insurance numbers a batch of writes (an import) names: read
    once for the batch instead of two queries per row, and kept current as the batch writes.
    A number that was not read beforehand is looked up when it is checked."""

    #: number -> its holder: a dossier written by the batch, or the id of one in the database
    national_ids: dict[str, Employee | int] = field(default_factory=dict)
    insurance_numbers: dict[str, Employee | int] = field(default_factory=dict)
    #: numbers whose holder is known (absent from the dict above: nobody holds it)
    known: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def load(cls, national_ids: Iterable[str], insurance_numbers: Iterable[str]) -> TakenNumbers:
        taken = cls()
        for name, wanted in (
            ("national_id", national_ids),
            ("social_insurance_number", insurance_numbers),
        ):
            column = getattr(Employee, name)
            values = sorted(set(wanted))
            for start in range(0, len(values), _IN_CHUNK):
                chunk = values[start : start + _IN_CHUNK]
                found = db.session.execute(select(column, Employee.id).where(column.in_(chunk)))
                taken._numbers(name).update((number, holder) for number, holder in found)
                taken.known.update((name, number) for number in chunk)
        return taken

    def _numbers(self, name: str) -> dict[str, Employee | int]:
        return self.national_ids if name == "national_id" else self.insurance_numbers

    def holder(self, name: str, number: str) -> Employee | int | None:
        numbers = self._numbers(name)
        if (name, number) not in self.known:
            found = db.session.scalar(select(Employee.id).where(getattr(Employee, name) == number))
            if found is not None:
                numbers[number] = found
            self.known.add((name, number))
        return numbers.get(number)

    def record(self, employee: Employee, before: dict[str, str | None]) -> None:
        """``employee`` was written; ``before``: its numbers until then (empty when new)."""
        for name in ("national_id", "social_insurance_number"):
            numbers = self._numbers(name)
            old, new = before.get(name), getattr(employee, name)
            if old == new:
                continue
            if old and not _holds_another(numbers.get(old), employee):
                numbers.pop(old, None)
            if new:
                numbers[new] = employee
                self.known.add((name, new))


@dataclass
class Batch:
    """Many new dossiers written together (an import): the numbers they may collide with are
    read once, and new dossiers are flushed with their name keys in groups (``flush``), not one
    by one. The caller flushes before it reads what the batch wrote, and at the end."""

    taken: TakenNumbers
    #: new dossiers not yet flushed with their name keys
    pending: list[Employee] = field(default_factory=list)
    #: new dossiers per flush
    size: int = 1000

    def add(self, employee: Employee) -> None:
        db.session.add(employee)
        self.taken.record(employee, {})
        self.pending.append(employee)
        if len(self.pending) >= self.size:
            self.flush()

    def flush(self) -> None:
        db.session.flush()
        rows = [
            {"employee_id": employee.id, "key": key}
            for employee in self.pending
            for key in sorted(name_keys(employee.full_name, employee.other_names))
        ]
        self.pending.clear()
        if rows:
            db.session.execute(insert(NameKey), rows)


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _validate(
    employee: Employee | None, data: dict[str, Any], taken: TakenNumbers | None = None
) -> None:
    """Rules that need the whole record or the database; raises every problem at once."""
    merged = {name: getattr(employee, name) for name in ALL_FIELDS} if employee else {}
    merged.update(data)
    errors = _check_codes(data)
    for name in REQUIRED_ON_CREATE:
        if name in merged and merged[name] in (None, ""):
            errors.setdefault(name, []).append(str(_l("This field is required.")))
    now = today()
    birth = merged.get("date_of_birth")
    if birth is not None:
        if birth > now:
            errors.setdefault("date_of_birth", []).append(
                str(_l("The date of birth is in the future."))
            )
        elif _age_on(birth, now) > 120:
            errors.setdefault("date_of_birth", []).append(
                str(_l("This date of birth is not plausible."))
            )
        if merged.get("birth_year_only") and (birth.month, birth.day) != (1, 1):
            data["date_of_birth"] = birth.replace(month=1, day=1)
        recruited = employee.recruited_on if employee else None
        if recruited is not None and _age_on(birth, recruited) < MINIMUM_RECRUITMENT_AGE:
            errors.setdefault("date_of_birth", []).append(
                str(
                    _l(
                        "The person would have been under %(age)s when recruited on %(date)s.",
                        age=MINIMUM_RECRUITMENT_AGE,
                        date=format_date(recruited),
                    )
                )
            )
    for name in (
        "national_id_issued_on",
        "party_joined_on",
        "party_official_on",
        "enlisted_on",
        "discharged_on",
        "mass_organisation_joined_on",
    ):
        value = data.get(name)
        if value is not None and value > now:
            errors.setdefault(name, []).append(str(_l("This date is in the future.")))
        elif value is not None and birth is not None and value < birth:
            errors.setdefault(name, []).append(str(_l("This date is before the date of birth.")))
    national_id = merged.get("national_id")
    if national_id:
        problem = check_national_id(national_id, merged.get("sex"), birth.year if birth else None)
        if problem:
            errors.setdefault("national_id", []).append(problem)
        holder = (
            queries.employee_by_national_id(national_id)
            if taken is None
            else taken.holder("national_id", national_id)
        )
        if _holds_another(holder, employee):
            errors.setdefault("national_id", []).append(
                str(_l("Another dossier already has this ID number."))
            )
    insurance = data.get("social_insurance_number")
    if insurance:
        holder = (
            db.session.scalar(select(Employee).where(Employee.social_insurance_number == insurance))
            if taken is None
            else taken.holder("social_insurance_number", insurance)
        )
        if _holds_another(holder, employee):
            errors.setdefault("social_insurance_number", []).append(
                str(_l("Another dossier already has this social-insurance number."))
            )
    if errors:
        raise ValidationFailed(errors)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    for name in ("full_name", "other_names"):
        if cleaned.get(name):
            cleaned[name] = normalize_spaces(cleaned[name])
    if cleaned.get("email"):
        cleaned["email"] = cleaned["email"].lower()
    return cleaned


def create_employee(actor: Actor, data: dict[str, Any], batch: Batch | None = None) -> Employee:
    """A new dossier; within a ``batch`` it is flushed (and gets its id) with the batch."""
    if not can_create_employees(actor):
        raise DomainError(FORM, _l("You may not create dossiers."))
    unit = db.session.get(Unit, data["unit_id"])
    if unit is None or not unit.is_open:
        raise DomainError("unit_id", _l("Choose an open unit."))
    if not can_place_in_unit(actor, unit.path):
        raise DomainError("unit_id", _l("You may only create dossiers in units you manage."))
    data = _clean(data)
    _validate(None, data, batch.taken if batch else None)
    employee = Employee(
        **{name: data.get(name) for name in ALL_FIELDS if name in data},
        search_name=fold(data["full_name"]),
        unit_id=unit.id,
        status=EmployeeStatus.WORKING.value,
    )
    employee.birth_year_only = bool(data.get("birth_year_only"))
    if batch is not None:
        batch.add(employee)
        return employee
    db.session.add(employee)
    db.session.flush()
    _index_names(employee)
    return employee


def _index_names(employee: Employee) -> None:
    """Rewrite the dossier's name search keys (derived data, kept in the same transaction)."""
    db.session.execute(delete(NameKey).where(NameKey.employee_id == employee.id))
    keys = name_keys(employee.full_name, employee.other_names)
    if keys:
        db.session.execute(
            insert(NameKey), [{"employee_id": employee.id, "key": key} for key in sorted(keys)]
        )


@dataclass(frozen=True)
class FieldChange:
    """What someone else changed since the user's version: shown beside the refused form."""

    field: str
    before: Any
    after: Any
    by: str
    at: dt.datetime


def changes_since(employee_id: int, version: int, fields: tuple[str, ...]) -> list[FieldChange]:
    entries = [
        e
        for e in queries.trail_of(employee_id, views=False)
        if e.object_type == "employees"
        and e.action == "update"
        and (e.object_version or 0) > version
    ]
    changes: list[FieldChange] = []
    for entry in reversed(entries):
        for name, after in (entry.after or {}).items():
            if name in fields:
                before = (entry.before or {}).get(name)
                changes.append(FieldChange(name, before, after, entry.actor_name, entry.at))
    return changes


def update_employee(
    actor: Actor,
    employee: Employee,
    unit: Unit,
    data: dict[str, Any],
    fields: tuple[str, ...],
    taken: TakenNumbers | None = None,
) -> Employee:
    """Set ``fields`` (absent ones are cleared) on a dossier, refusing a stale version."""
    _require_editor(actor, unit)
    if employee.version != data["version"]:
        raise StaleDossier(changes_since(employee.id, data["version"], fields))
    values = _clean(
        {name: data.get(name, False if name == "birth_year_only" else None) for name in fields}
    )
    _validate(employee, values, taken)
    numbers = {
        "national_id": employee.national_id,
        "social_insurance_number": employee.social_insurance_number,
    }
    for name, value in values.items():
        setattr(employee, name, value)
    if "full_name" in values:
        employee.search_name = fold(values["full_name"])
    flush_or_conflict(STALE)
    if taken is not None:
        taken.record(employee, numbers)
    if "full_name" in values or "other_names" in values:
        _index_names(employee)
    return employee


def patch_employee(
    actor: Actor,
    employee: Employee,
    unit: Unit,
    data: dict[str, Any],
    taken: TakenNumbers | None = None,
) -> Employee:
    """API update: only the fields sent change."""
    fields = tuple(name for name in ALL_FIELDS if name in data)
    return update_employee(actor, employee, unit, data, fields, taken)


def update_section(
    actor: Actor, employee: Employee, unit: Unit, section: str, data: dict[str, Any]
) -> Employee:
    return update_employee(actor, employee, unit, data, SECTIONS[section])


# The ledger --------------------------------------------------------------------------------


@dataclass
class LedgerState:
    """What the decisions in force say about the person now."""

    status: str | None = None
    unit_id: int | None = None
    recruited_on: dt.date | None = None
    rank_code: str | None = None
    salary_step: int | None = None
    salary_coefficient: Decimal | None = None
    salary_since: dt.date | None = None
    #: seniority allowance beyond the frame (%), set with the step it belongs to
    seniority_percent: int | None = None
    position_allowance: Decimal | None = None
    position_title: str | None = None
    exits: list[Decision] = field(default_factory=list)


def derive_state(decisions: list[Decision]) -> LedgerState:
    """Fold the decisions in force, in effective-date order, into the current state."""
    state = LedgerState()
    for decision in queries.in_force(decisions):
        kind = DecisionKind(decision.kind)
        if kind in (DecisionKind.RECRUITMENT, DecisionKind.TRANSFER_IN):
            state.status = EmployeeStatus.WORKING.value
            state.unit_id = decision.unit_id
            if kind is DecisionKind.RECRUITMENT:
                state.recruited_on = decision.effective_on
        if kind is DecisionKind.ROTATION:
            state.unit_id = decision.unit_id
        if kind in (
            DecisionKind.RECRUITMENT,
            DecisionKind.TRANSFER_IN,
            DecisionKind.RANK_PLACEMENT,
            DecisionKind.SALARY_STEP,
        ):
            if decision.rank_code:
                state.rank_code = decision.rank_code
            if decision.salary_coefficient is not None:
                state.salary_step = decision.salary_step
                state.salary_coefficient = decision.salary_coefficient
                state.salary_since = decision.effective_on
                # a new step or rank ends the seniority allowance of the previous one
                state.seniority_percent = decision.seniority_percent
        if kind in (DecisionKind.APPOINTMENT, DecisionKind.ROTATION) and decision.title:
            state.position_title = decision.title
        if (
            kind in (DecisionKind.APPOINTMENT, DecisionKind.ALLOWANCE)
            and decision.allowance_coefficient is not None
        ):
            state.position_allowance = decision.allowance_coefficient
        if kind is DecisionKind.LEAVE:
            state.status = EmployeeStatus.ON_LEAVE.value
        if kind is DecisionKind.RETURN_FROM_LEAVE:
            state.status = EmployeeStatus.WORKING.value
        exit_status = {
            DecisionKind.TRANSFER_OUT: EmployeeStatus.TRANSFERRED_OUT,
            DecisionKind.RETIREMENT: EmployeeStatus.RETIRED,
            DecisionKind.RESIGNATION: EmployeeStatus.RESIGNED,
            DecisionKind.DEATH: EmployeeStatus.DECEASED,
        }.get(kind)
        if exit_status is not None:
            state.status = exit_status.value
            state.exits.append(decision)
    return state


def apply_state(employee: Employee, state: LedgerState) -> None:
    """Cache the ledger's state on the dossier; what the ledger does not say is kept."""
    for name in (
        "status",
        "unit_id",
        "recruited_on",
        "rank_code",
        "salary_step",
        "salary_coefficient",
        "salary_since",
        "position_allowance",
        "position_title",
    ):
        value = getattr(state, name)
        if value is not None:
            setattr(employee, name, value)
    if state.salary_coefficient is not None:
        # unlike the others, an empty seniority allowance is news: the step it belonged to ended
        employee.seniority_percent = state.seniority_percent


def _check_decision(
    employee: Employee, decisions: list[Decision], data: dict[str, Any]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: Any) -> None:
        errors.setdefault(name, []).append(str(message))

    kind = DecisionKind(data["kind"])
    _check_pay(decisions, data, refuse)
    too_early = raise_date_problem(db.session, employee.id, decisions, data)  # (helper B)
    if too_early is not None:
        refuse(*too_early)
    for name in DECISION_REQUIRES.get(kind, ()):
        if data.get(name) in (None, ""):
            refuse(name, _l("This kind of decision must state this."))
    stepped = kind in (DecisionKind.RANK_PLACEMENT, DecisionKind.SALARY_STEP)
    if stepped and data.get("salary_coefficient") is None and "salary_coefficient" not in errors:
        # _check_pay fills it in from the rules when it can; otherwise it must be stated
        refuse("salary_coefficient", _l("This kind of decision must state this."))
    if data["signed_on"] > today():
        refuse("signed_on", _l("The signing date is in the future."))
    effective: dt.date = data["effective_on"]
    if effective < employee.date_of_birth:
        refuse("effective_on", _l("This date is before the date of birth."))
    state = derive_state(decisions)
    if kind is DecisionKind.RECRUITMENT:
        if _age_on(employee.date_of_birth, effective) < MINIMUM_RECRUITMENT_AGE:
            refuse(
                "effective_on",
                _l("The person is under %(age)s on this date.", age=MINIMUM_RECRUITMENT_AGE),
            )
        if state.recruited_on is not None and not data.get("supersedes_id"):
            refuse(
                "kind", _l("This person already has a recruitment decision; correct it instead.")
            )
    elif (
        state.recruited_on is not None
        and effective < state.recruited_on
        and kind is not DecisionKind.TRANSFER_IN
    ):
        refuse(
            "effective_on",
            _l(
                "This date is before the person's recruitment (%(date)s).",
                date=format_date(state.recruited_on),
            ),
        )
    replaced = queries.superseded_ids(decisions)
    last_exit = next((d for d in reversed(state.exits) if d.id != data.get("supersedes_id")), None)
    if (
        last_exit is not None
        and effective > last_exit.effective_on
        and kind is not DecisionKind.TRANSFER_IN
    ):
        refuse(
            "effective_on",
            _l(
                "The person left on %(date)s (%(what)s); no decision can take effect after that.",
                date=format_date(last_exit.effective_on),
                what=last_exit.kind_label,
            ),
        )
    if data.get("supersedes_id"):
        earlier = next((d for d in decisions if d.id == data["supersedes_id"]), None)
        if earlier is None:
            refuse("supersedes_id", _l("This decision is not in this person's dossier."))
        elif earlier.id in replaced:
            refuse("supersedes_id", _l("This decision has already been corrected."))
        elif earlier.kind != kind.value:
            refuse("kind", _l("A correction must be of the same kind as the decision it corrects."))
    return errors


#: the kinds of decision that set a rank, a salary step and its coefficient
PAY_KINDS = {
    DecisionKind.RECRUITMENT,
    DecisionKind.TRANSFER_IN,
    DecisionKind.RANK_PLACEMENT,
    DecisionKind.SALARY_STEP,
}
_PAY_FIELDS = ("rank_code", "salary_step", "salary_coefficient", "seniority_percent")


def _check_pay(decisions: list[Decision], data: dict[str, Any], refuse: Any) -> None:
    """The salary rule data in force on the effective date: the rank exists, the step is on
    its scale, the coefficient is the scale's (filled in when left out), the seniority
    allowance goes with the last step, an early raise stays within the pay rules' maximum.

    Decisions dated before the first rule version of their rank are accepted unchecked: older
    scales (before Nghị định 204/2004) are not seeded, and old dossiers carry what was decided.
    """
    kind = DecisionKind(data["kind"])
    given = [name for name in (*_PAY_FIELDS, "early_raise_months") if data.get(name) is not None]
    if kind not in PAY_KINDS:
        if data.get("seniority_percent") is not None:
            refuse("seniority_percent", _l("This kind of decision does not set a salary step."))
        if data.get("early_raise_months") is not None:
            refuse("early_raise_months", _l("Only a salary step decision can be an early raise."))
        return
    if not given:
        return
    on: dt.date = data["effective_on"]
    earlier = [
        d
        for d in queries.in_force(decisions)
        if d.effective_on <= on and d.id != data.get("supersedes_id")
    ]
    held = derive_state(earlier)
    rank_code = data.get("rank_code") or held.rank_code
    step = data.get("salary_step")
    rules = cached_rule_book(db.session())
    versions = rules.ranks.get(rank_code or "", [])
    if data.get("rank_code") and not versions:
        refuse("rank_code", _l("There is no rank with this code."))
        return
    if data.get("early_raise_months") is not None:
        pay_rules = rules.rules(on)
        # an early raise for achievement and one on retirement notice share the column: the
        # larger of their two maxima bounds it
        most = (
            max(pay_rules.early_raise_max_months, pay_rules.retirement_early_raise_months)
            if pay_rules
            else None
        )
        if kind is not DecisionKind.SALARY_STEP:
            refuse("early_raise_months", _l("Only a salary step decision can be an early raise."))
        elif most is not None and data["early_raise_months"] > most:
            refuse(
                "early_raise_months",
                _l("An early raise may advance a step by %(months)s months at most.", months=most),
            )
    if not versions or on < min(v.effective_from for v in versions):
        return  # before the rule data: accepted as decided (see the docstring)
    if rules.rank(rank_code or "", on) is None:
        refuse(
            "rank_code" if data.get("rank_code") else "effective_on",
            _l("Rank %(code)s is not in force on %(date)s.", code=rank_code, date=format_date(on)),
        )
        return
    scale = rules.scale_of_rank(rank_code or "", on)
    if scale is None or step is None:
        return  # a missing step is reported by the required parts of the kind
    if step > scale.last_step:
        refuse(
            "salary_step",
            _l(
                "Scale %(scale)s has %(last)s steps: step %(step)s does not exist.",
                scale=scale.code,
                last=scale.last_step,
                step=step,
            ),
        )
        return
    expected = scale.coefficient(step)
    if data.get("salary_coefficient") is None:
        data["salary_coefficient"] = expected
    elif expected is not None and data["salary_coefficient"] != expected:
        refuse(
            "salary_coefficient",
            _l(
                "Step %(step)s of scale %(scale)s has coefficient %(expected)s.",
                step=step,
                scale=scale.code,
                expected=expected,
            ),
        )
    if data.get("seniority_percent") and step != scale.last_step:
        refuse(
            "seniority_percent",
            _l(
                "The seniority allowance beyond the frame is only for the last step (%(last)s).",
                last=scale.last_step,
            ),
        )


def add_decision(actor: Actor, employee: Employee, unit: Unit, data: dict[str, Any]) -> Decision:
    _require_editor(actor, unit)
    decisions = queries.decisions_of(employee.id)
    errors = _check_decision(employee, decisions, data)
    if data.get("unit_id") is not None and "unit_id" not in errors:
        target = queries.unit_for_decision(data["unit_id"], data["effective_on"])
        if target is None:
            errors["unit_id"] = [str(_l("This unit did not exist on the effective date."))]
        elif not can_place_in_unit(actor, target.path) and data["kind"] != DecisionKind.SECONDMENT:
            errors["unit_id"] = [str(_l("You may only place people in units you manage."))]
    if errors:
        raise ValidationFailed(errors)
    return _write_decision(employee, decisions, data)


def add_authorised_decision(employee: Employee, data: dict[str, Any]) -> Decision:
    """A decision written by another feature's service that has already checked its actor's
    rights (placements: unit heads place people without editing dossiers). The ledger's own
    rules apply as for any decision; it never moves the person to another unit."""
    data = {**data, "unit_id": None}
    decisions = queries.decisions_of(employee.id)
    errors = _check_decision(employee, decisions, data)
    if errors:
        raise ValidationFailed(errors)
    return _write_decision(employee, decisions, data)


def _write_decision(
    employee: Employee, decisions: list[Decision], data: dict[str, Any]
) -> Decision:
    decision = Decision(
        employee_id=employee.id,
        **{
            name: data.get(name)
            for name in (
                "kind",
                "number",
                "signed_on",
                "issuer",
                "effective_on",
                "supersedes_id",
                "unit_id",
                "rank_code",
                "salary_step",
                "salary_coefficient",
                "allowance_coefficient",
                "early_raise_months",
                "seniority_percent",
                "title",
                "note",
            )
        },
    )
    db.session.add(decision)
    db.session.flush()
    apply_state(employee, derive_state([*decisions, decision]))
    flush_or_conflict(STALE)
    return decision


# Training and family -----------------------------------------------------------------------


def add_training(
    actor: Actor, employee: Employee, unit: Unit, data: dict[str, Any]
) -> TrainingRecord:
    _require_editor(actor, unit)
    if data["started_on"] < employee.date_of_birth:
        raise DomainError("started_on", _l("This date is before the date of birth."))
    record = TrainingRecord(employee_id=employee.id, **data)
    db.session.add(record)
    db.session.flush()
    return record


def add_family_member(
    actor: Actor, employee: Employee, unit: Unit, data: dict[str, Any]
) -> FamilyMember:
    _require_editor(actor, unit)
    member = FamilyMember(
        employee_id=employee.id, **{**data, "full_name": normalize_spaces(data["full_name"])}
    )
    db.session.add(member)
    db.session.flush()
    return member


def remove_part(
    actor: Actor, employee: Employee, unit: Unit, part: TrainingRecord | FamilyMember
) -> None:
    """Training and family lines may be removed (audited); decisions never are."""
    _require_editor(actor, unit)
    if part.employee_id != employee.id:
        raise DomainError(FORM, _l("This line does not belong to this dossier."))
    db.session.delete(part)
    db.session.flush()


def record_view(employee: Employee) -> None:
    """Opening a full dossier is recorded: the person and personnel officers can see who looked."""
    record_event(
        db.session, "dossier.view", "employees", employee.id, subject=f"employees:{employee.id}"
    )


def record_views(employees: Iterable[Employee]) -> None:
    """Opening many dossiers at once (the zip of forms 2C): the same entry as ``record_view``
    for each, written in one statement rather than one per dossier."""
    who = current_actor()
    at = utcnow()
    address = request.remote_addr if has_request_context() else None
    rows = [
        {
            "at": at,
            "actor_id": who.id,
            "actor_name": who.name,
            "action": "dossier.view",
            "object_type": "employees",
            "object_id": str(employee.id),
            "ip_address": address,
            "subject": f"employees:{employee.id}",
        }
        for employee in employees
    ]
    if rows:
        db.session.execute(insert(AuditEntry), rows)
