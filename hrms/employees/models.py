"""The personnel dossier: form 2C-BNV/2008 items as columns, child tables, and the decisions
ledger from which the current unit, rank, salary step and status are derived."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hrms.core.audit import Audited
from hrms.core.db import Base, TimestampMixin, VersionedMixin, binary_string
from hrms.core.text import fold
from hrms.org.models import Unit


def _values(kind: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in kind)


class Sex(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class EmployeeKind(enum.StrEnum):
    CAN_BO = "can_bo"
    CONG_CHUC = "cong_chuc"
    VIEN_CHUC = "vien_chuc"
    CONTRACT = "contract"


class EmployeeStatus(enum.StrEnum):
    WORKING = "working"
    ON_LEAVE = "on_leave"
    TRANSFERRED_OUT = "transferred_out"
    RETIRED = "retired"
    RESIGNED = "resigned"
    DECEASED = "deceased"


class DecisionKind(enum.StrEnum):
    RECRUITMENT = "recruitment"
    RANK_PLACEMENT = "rank_placement"
    SALARY_STEP = "salary_step"
    ALLOWANCE = "allowance"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    APPOINTMENT = "appointment"
    #: placement in a job position of the unit's approved plan (made from the staffing pages)
    POSITION_PLACEMENT = "position_placement"
    ROTATION = "rotation"
    SECONDMENT = "secondment"
    REWARD = "reward"
    DISCIPLINE = "discipline"
    LEAVE = "leave"
    RETURN_FROM_LEAVE = "return_from_leave"
    RETIREMENT = "retirement"
    RESIGNATION = "resignation"
    DEATH = "death"


class FamilySide(enum.StrEnum):
    OWN = "own"
    SPOUSE = "spouse"


#: the parts of a dossier edited one form at a time
SECTIONS: dict[str, tuple[str, ...]] = {
    "identity": (
        "full_name",
        "other_names",
        "sex",
        "date_of_birth",
        "birth_year_only",
        "place_of_birth",
        "hometown",
        "ethnicity_code",
        "religion_code",
        "national_id",
        "national_id_issued_on",
        "social_insurance_number",
    ),
    "contact": ("permanent_address", "current_address", "phone", "email"),
    "work": ("kind", "occupation_before", "recruiting_agency", "main_work", "other_allowances"),
    "education": (
        "general_education",
        "qualification_code",
        "qualification_major",
        "political_theory_code",
        "state_management_code",
        "foreign_languages",
        "it_level_code",
    ),
    "membership": (
        "party_joined_on",
        "party_official_on",
        "mass_organisation",
        "mass_organisation_joined_on",
        "enlisted_on",
        "discharged_on",
        "military_rank",
        "honorary_title",
        "strengths",
    ),
    "health": (
        "health_status",
        "height_cm",
        "weight_kg",
        "blood_group",
        "war_invalid_grade",
        "policy_family",
    ),
    "history": ("history_detention", "history_former_regime", "foreign_relations"),
}
REQUIRED_ON_CREATE = ("full_name", "sex", "date_of_birth", "national_id", "kind")
ALL_FIELDS = tuple(field for names in SECTIONS.values() for field in names)


SEX_LABELS = {Sex.MALE: _l("Male"), Sex.FEMALE: _l("Female")}
KIND_LABELS = {
    EmployeeKind.CAN_BO: _l("Cadre (cán bộ)"),
    EmployeeKind.CONG_CHUC: _l("Civil servant (công chức)"),
    EmployeeKind.VIEN_CHUC: _l("Public employee (viên chức)"),
    EmployeeKind.CONTRACT: _l("Contract worker"),
}
STATUS_LABELS = {
    EmployeeStatus.WORKING: _l("Working"),
    EmployeeStatus.ON_LEAVE: _l("On leave"),
    EmployeeStatus.TRANSFERRED_OUT: _l("Transferred out"),
    EmployeeStatus.RETIRED: _l("Retired"),
    EmployeeStatus.RESIGNED: _l("Resigned"),
    EmployeeStatus.DECEASED: _l("Deceased"),
}
DECISION_LABELS = {
    DecisionKind.RECRUITMENT: _l("Recruitment"),
    DecisionKind.RANK_PLACEMENT: _l("Rank placement"),
    DecisionKind.SALARY_STEP: _l("Salary step raise"),
    DecisionKind.ALLOWANCE: _l("Position allowance"),
    DecisionKind.TRANSFER_IN: _l("Transfer in"),
    DecisionKind.TRANSFER_OUT: _l("Transfer out"),
    DecisionKind.APPOINTMENT: _l("Appointment"),
    DecisionKind.ROTATION: _l("Rotation"),
    DecisionKind.SECONDMENT: _l("Secondment"),
    DecisionKind.REWARD: _l("Reward"),
    DecisionKind.DISCIPLINE: _l("Discipline"),
    DecisionKind.LEAVE: _l("Leave"),
    DecisionKind.RETURN_FROM_LEAVE: _l("Return from leave"),
    DecisionKind.POSITION_PLACEMENT: _l("Placement in a job position"),
    DecisionKind.RETIREMENT: _l("Retirement"),
    DecisionKind.RESIGNATION: _l("Resignation"),
    DecisionKind.DEATH: _l("Death"),
}
SIDE_LABELS = {FamilySide.OWN: _l("Own family"), FamilySide.SPOUSE: _l("Spouse's family")}


class Employee(Audited, VersionedMixin, TimestampMixin, Base):
    """One person's dossier. Employment columns are a cache of the decisions ledger."""

    __tablename__ = "employees"
    __table_args__ = (
        CheckConstraint(f"sex IN ({_values(Sex)})", name="sex"),
        CheckConstraint(f"kind IN ({_values(EmployeeKind)})", name="kind"),
        CheckConstraint(f"status IN ({_values(EmployeeStatus)})", name="status"),
        CheckConstraint("length(national_id) = 12", name="national_id_length"),
        CheckConstraint("height_cm IS NULL OR height_cm BETWEEN 50 AND 250", name="height"),
        CheckConstraint("weight_kg IS NULL OR weight_kg BETWEEN 20 AND 300", name="weight"),
        Index("ix_employees_unit_status", "unit_id", "status"),
        # the list of a subtree in name order: its people and their sort key from the index
        # alone, without reading each dossier's row
        Index("ix_employees_unit_name", "unit_id", "search_name"),
        # the raise and retirement lists and the dashboard's counts: a range of dates
        Index("ix_employees_next_raise", "next_raise_on", "status"),
        Index("ix_employees_retires", "retires_on", "status"),
        # the statistics on a date: people recruited or admitted to the Party after it
        Index("ix_employees_recruited_on", "recruited_on"),
        Index("ix_employees_party_joined_on", "party_joined_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # 1-9, 25-26: identity
    #: item 1: birth name (printed in capitals on form 2C)
    full_name: Mapped[str] = mapped_column(String(200))
    #: folded full name ("nguyen van an"), for search that ignores case and diacritics
    search_name: Mapped[str] = mapped_column(String(200), index=True)
    #: item 2: other names
    other_names: Mapped[str | None] = mapped_column(String(200))
    #: item 3: male or female
    sex: Mapped[str] = mapped_column(String(6))
    #: item 3: date of birth (1 January of the year when only the year is known)
    date_of_birth: Mapped[dt.date] = mapped_column(Date, index=True)
    #: only the year of birth is known
    birth_year_only: Mapped[bool] = mapped_column(Boolean, default=False)
    #: item 4: place of birth
    place_of_birth: Mapped[str | None] = mapped_column(String(255))
    #: item 5: hometown (quê quán)
    hometown: Mapped[str | None] = mapped_column(String(255))
    #: item 6: ethnic group (code list "ethnicity", 2 digits)
    ethnicity_code: Mapped[str | None] = mapped_column(String(2))
    #: item 7: religion (code list "religion"; "00" for none)
    religion_code: Mapped[str | None] = mapped_column(String(10))
    #: item 8: permanent residence
    permanent_address: Mapped[str | None] = mapped_column(String(500))
    #: item 9: current residence
    current_address: Mapped[str | None] = mapped_column(String(500))
    #: phone number
    phone: Mapped[str | None] = mapped_column(String(20))
    #: email address
    email: Mapped[str | None] = mapped_column(String(254))
    #: item 25: personal identification number (CCCD, 12 digits), the national key of the dossier
    national_id: Mapped[str] = mapped_column(String(12), unique=True)
    #: item 25: date the ID card was issued
    national_id_issued_on: Mapped[dt.date | None] = mapped_column(Date)
    #: item 26: social-insurance number (10 digits)
    social_insurance_number: Mapped[str | None] = mapped_column(String(10), unique=True)

    # 10-14: employment, derived from the decisions ledger
    #: cán bộ, công chức, viên chức or contract
    kind: Mapped[str] = mapped_column(String(20), index=True)
    #: working, on leave, transferred out, retired, resigned, deceased (from the ledger)
    status: Mapped[str] = mapped_column(String(20), default=EmployeeStatus.WORKING.value)
    #: current unit (from the ledger)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    #: item 10: occupation when recruited
    occupation_before: Mapped[str | None] = mapped_column(String(255))
    #: item 11: recruitment date (from the recruitment decision)
    recruited_on: Mapped[dt.date | None] = mapped_column(Date)
    #: item 11: recruiting agency
    recruiting_agency: Mapped[str | None] = mapped_column(String(255))
    #: item 12: current positions, including concurrent ones (from appointments)
    position_title: Mapped[str | None] = mapped_column(String(255))
    #: main job position (of the approved plan in force), from the latest placement decision
    position_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit_positions.id", use_alter=True)  # employees and plans refer to each other
    )
    #: item 13: main work
    main_work: Mapped[str | None] = mapped_column(String(500))
    #: item 14: rank or professional-title code, e.g. 01.003 (from the ledger)
    rank_code: Mapped[str | None] = mapped_column(String(20), index=True)
    #: item 14: salary step (from the ledger)
    salary_step: Mapped[int | None] = mapped_column(Integer)
    #: item 14: salary coefficient (from the ledger)
    salary_coefficient: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    #: item 14: date from which the current step counts
    salary_since: Mapped[dt.date | None] = mapped_column(Date)
    #: item 14: position allowance coefficient (from the ledger)
    position_allowance: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    #: item 14: seniority allowance beyond the frame, % of the coefficient (from the ledger)
    seniority_percent: Mapped[int | None] = mapped_column(Integer)
    #: item 14: other allowances, as written on the form
    other_allowances: Mapped[str | None] = mapped_column(String(255))
    #: maintained by hrms.salary.schedule in the transaction of every change it derives from
    #: (decisions, final annual ratings, identity, salary rules): the next raise's date (empty
    #: off a scale or while a leave is open), its kind (step or seniority) and the retirement date
    next_raise_on: Mapped[dt.date | None] = mapped_column(Date)
    next_raise_kind: Mapped[str | None] = mapped_column(String(10))
    retires_on: Mapped[dt.date | None] = mapped_column(Date)

    # 15: education
    #: general education, e.g. "12/12"
    general_education: Mapped[str | None] = mapped_column(String(10))
    #: highest professional qualification (code list "education_level")
    qualification_code: Mapped[str | None] = mapped_column(String(20))
    #: major of the highest qualification
    qualification_major: Mapped[str | None] = mapped_column(String(255))
    #: political theory level (code list "political_theory")
    political_theory_code: Mapped[str | None] = mapped_column(String(20))
    #: state-management training (code list "state_management")
    state_management_code: Mapped[str | None] = mapped_column(String(30))
    #: foreign languages and levels, as written ("Tiếng Anh bậc 3")
    foreign_languages: Mapped[str | None] = mapped_column(String(255))
    #: IT level (code list "it_level")
    it_level_code: Mapped[str | None] = mapped_column(String(20))

    # 16-20: membership, service, honours
    #: item 16: date of joining the Communist Party
    party_joined_on: Mapped[dt.date | None] = mapped_column(Date)
    #: item 16: date of becoming an official member
    party_official_on: Mapped[dt.date | None] = mapped_column(Date)
    #: item 17: socio-political organisation
    mass_organisation: Mapped[str | None] = mapped_column(String(255))
    #: item 17: date of joining it
    mass_organisation_joined_on: Mapped[dt.date | None] = mapped_column(Date)
    #: item 18: date enlisted
    enlisted_on: Mapped[dt.date | None] = mapped_column(Date)
    #: item 18: date discharged
    discharged_on: Mapped[dt.date | None] = mapped_column(Date)
    #: item 18: highest military rank
    military_rank: Mapped[str | None] = mapped_column(String(100))
    #: item 19: highest honorary title
    honorary_title: Mapped[str | None] = mapped_column(String(255))
    #: item 20: strengths
    strengths: Mapped[str | None] = mapped_column(String(500))

    # 23-24, 29: sensitive
    #: item 23: state of health
    health_status: Mapped[str | None] = mapped_column(String(100))
    #: item 23: height in centimetres
    height_cm: Mapped[int | None] = mapped_column(Integer)
    #: item 23: weight in kilograms
    weight_kg: Mapped[int | None] = mapped_column(Integer)
    #: item 23: blood group
    blood_group: Mapped[str | None] = mapped_column(String(3))
    #: item 24: war-invalid grade
    war_invalid_grade: Mapped[str | None] = mapped_column(String(50))
    #: item 24: policy family (gia đình chính sách)
    policy_family: Mapped[str | None] = mapped_column(String(255))
    #: item 29: arrests, detention, statements made under detention
    history_detention: Mapped[str | None] = mapped_column(Text)
    #: item 29: work for the former regime
    history_former_regime: Mapped[str | None] = mapped_column(Text)
    #: item 29: relatives and ties abroad
    foreign_relations: Mapped[str | None] = mapped_column(Text)

    #: the current unit, loaded with the row in lists (never lazily, one query per row)
    unit: Mapped[Unit] = relationship(lazy="raise", foreign_keys=[unit_id])

    @property
    def audit_subject(self) -> str:
        return f"employees:{self.id}"

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[EmployeeKind(self.kind)])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[EmployeeStatus(self.status)])

    @property
    def sex_label(self) -> str:
        return str(SEX_LABELS[Sex(self.sex)])


def name_keys(*names: str | None) -> set[str]:
    """Search keys of a person's names: each folded name from every word on, so that a prefix
    range on one index finds "nguyen van an", "van an" and "an"."""
    keys: set[str] = set()
    for name in names:
        words = fold(name or "").split()
        keys.update(" ".join(words[start:])[:200] for start in range(len(words)))
    return keys


class NameKey(Base):
    """Derived search keys of a dossier's names (rewritten with the names; not audited)."""

    __tablename__ = "employee_name_keys"

    #: a folded name from one of its words to the end
    key: Mapped[str] = mapped_column(binary_string(200), primary_key=True)
    #: the dossier it finds
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Decision(Audited, Base):
    """A decision (quyết định) in a person's ledger. Never edited or deleted: a mistake is
    corrected by a new decision that supersedes it."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(DecisionKind)})", name="kind"),
        CheckConstraint("salary_step IS NULL OR salary_step BETWEEN 1 AND 20", name="step"),
        CheckConstraint(
            "early_raise_months IS NULL OR early_raise_months BETWEEN 1 AND 60", name="early"
        ),
        CheckConstraint(
            "seniority_percent IS NULL OR seniority_percent BETWEEN 0 AND 100", name="seniority"
        ),
        Index("ix_decisions_employee_effective", "employee_id", "effective_on"),
        # "has a decision of this kind" (a retirement decided, a placement made) stays a short
        # index lookup however large the ledger
        Index("ix_decisions_kind_employee", "kind", "employee_id"),
    )

    @property
    def audit_subject(self) -> str:
        return f"employees:{self.employee_id}"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the person the decision is about
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    #: what the decision does (recruitment, salary step, transfer...)
    kind: Mapped[str] = mapped_column(String(30))
    #: decision number, e.g. "125/QĐ-SNV"
    number: Mapped[str] = mapped_column(String(60))
    #: date signed
    signed_on: Mapped[dt.date] = mapped_column(Date)
    #: issuing authority
    issuer: Mapped[str] = mapped_column(String(255))
    #: date the decision takes effect
    effective_on: Mapped[dt.date] = mapped_column(Date)
    #: the earlier decision this one corrects (that one is then ignored)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), unique=True)
    #: unit the person joins (recruitment, transfer in, rotation) or is seconded to
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    #: rank or professional-title code set by the decision
    rank_code: Mapped[str | None] = mapped_column(String(20))
    #: salary step set by the decision
    salary_step: Mapped[int | None] = mapped_column(Integer)
    #: salary coefficient set by the decision
    salary_coefficient: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    #: position allowance coefficient set by the decision
    allowance_coefficient: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    #: salary step decided ahead of the regular interval: how many months early (early raise
    #: for outstanding achievement or on retirement notice); empty for a regular raise
    early_raise_months: Mapped[int | None] = mapped_column(Integer)
    #: seniority allowance beyond the frame set by the decision, % of the last coefficient
    seniority_percent: Mapped[int | None] = mapped_column(Integer)
    #: position or title (appointment), or reward title, or discipline form
    title: Mapped[str | None] = mapped_column(String(255))
    #: what the decision says, in words
    note: Mapped[str | None] = mapped_column(String(1000))

    @property
    def kind_label(self) -> str:
        return str(DECISION_LABELS[DecisionKind(self.kind)])


class TrainingRecord(Audited, Base):
    """Item 27: a course of training or study."""

    __tablename__ = "training_records"
    __table_args__ = (CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="range"),)

    @property
    def audit_subject(self) -> str:
        return f"employees:{self.employee_id}"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the person trained
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    #: school or training institution
    school: Mapped[str] = mapped_column(String(255))
    #: major or subject
    major: Mapped[str] = mapped_column(String(255))
    #: first month of the course (day 1)
    started_on: Mapped[dt.date] = mapped_column(Date)
    #: last month of the course (day 1); empty while under way
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    #: mode: full-time, in-service, distance...
    mode: Mapped[str | None] = mapped_column(String(100))
    #: degree or certificate obtained
    degree: Mapped[str | None] = mapped_column(String(255))


class FamilyMember(Audited, Base):
    """Item 30: a relative, on the person's own side or the spouse's."""

    __tablename__ = "family_members"
    __table_args__ = (CheckConstraint(f"side IN ({_values(FamilySide)})", name="side"),)

    @property
    def audit_subject(self) -> str:
        return f"employees:{self.employee_id}"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the person whose relative this is
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    #: own family or the spouse's
    side: Mapped[str] = mapped_column(String(10))
    #: relation: father, mother, spouse, child, sibling...
    relation: Mapped[str] = mapped_column(String(50))
    #: full name
    full_name: Mapped[str] = mapped_column(String(200))
    #: year of birth
    birth_year: Mapped[int | None] = mapped_column(Integer)
    #: hometown
    hometown: Mapped[str | None] = mapped_column(String(255))
    #: occupation, title
    occupation: Mapped[str | None] = mapped_column(String(255))
    #: workplace or school
    workplace: Mapped[str | None] = mapped_column(String(255))
    #: residence
    residence: Mapped[str | None] = mapped_column(String(255))
    #: display order within the side
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
