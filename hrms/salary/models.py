"""Salary rule data, all effective-dated: salary scales (groups of ranks) with their step
coefficients, ranks, the base salary, position-allowance coefficients, the pay rules (delays,
early-raise quota, seniority beyond the frame, retirement notice) and the retirement-age roadmap.

Seeded by migration 0012 from hrms/salary/data/rules.json; administrators add later versions.
A row is in force from ``effective_from`` until ``effective_to`` (inclusive) or, when that is
empty, until a later row of the same key starts.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hrms.core.audit import Audited
from hrms.core.db import Base, TimestampMixin, VersionedMixin


class SalaryScale(Audited, VersionedMixin, TimestampMixin, Base):
    """A salary scale (a group of ranks, e.g. A1) in force from a date: its raise interval,
    the wait on the last step before the seniority allowance, and its steps."""

    __tablename__ = "salary_scales"
    __table_args__ = (
        UniqueConstraint("code", "effective_from", name="uq_salary_scales_code_effective"),
        CheckConstraint("raise_interval_months > 0", name="interval"),
        CheckConstraint("seniority_wait_months > 0", name="seniority_wait"),
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: group code, e.g. "A3.1", "A1", "B", "C1", "CGCC" (chuyên gia cao cấp)
    code: Mapped[str] = mapped_column(String(10), index=True)
    #: name with its legal source, e.g. "Công chức loại A1 (Nghị định 204/2004)"
    name: Mapped[str] = mapped_column(String(255))
    #: months between two regular step raises (36, 24, 60)
    raise_interval_months: Mapped[int] = mapped_column(Integer)
    #: months on the last step before the seniority allowance beyond the frame starts
    seniority_wait_months: Mapped[int] = mapped_column(Integer)
    #: first day in force
    effective_from: Mapped[dt.date] = mapped_column(Date)
    #: last day in force (empty: until a later version)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)

    steps: Mapped[list[SalaryScaleStep]] = relationship(
        back_populates="scale",
        order_by="SalaryScaleStep.step",
        cascade="all, delete-orphan",
    )

    @property
    def last_step(self) -> int:
        return max(step.step for step in self.steps)

    def coefficient(self, step: int) -> Decimal | None:
        return next((s.coefficient for s in self.steps if s.step == step), None)


class SalaryScaleStep(Audited, Base):
    """One step of a salary scale and its coefficient."""

    __tablename__ = "salary_scale_steps"
    __table_args__ = (
        UniqueConstraint("scale_id", "step", name="uq_salary_scale_steps_scale_step"),
        CheckConstraint("step BETWEEN 1 AND 20", name="step"),
        CheckConstraint("coefficient > 0", name="coefficient"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the scale
    scale_id: Mapped[int] = mapped_column(ForeignKey("salary_scales.id", ondelete="CASCADE"))
    #: step number, from 1
    step: Mapped[int] = mapped_column(Integer)
    #: salary coefficient of the step
    coefficient: Mapped[Decimal] = mapped_column(Numeric(5, 2))

    scale: Mapped[SalaryScale] = relationship(back_populates="steps")


class Rank(Audited, VersionedMixin, TimestampMixin, Base):
    """A rank (ngạch) or professional title (chức danh nghề nghiệp) and the scale it is paid on."""

    __tablename__ = "ranks"
    __table_args__ = (
        UniqueConstraint("code", "effective_from", name="uq_ranks_code_effective"),
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: official code, e.g. "01.003"
    code: Mapped[str] = mapped_column(String(20), index=True)
    #: name, e.g. "Chuyên viên"
    name: Mapped[str] = mapped_column(String(255))
    #: code of the salary scale it is paid on (salary_scales.code)
    scale_code: Mapped[str] = mapped_column(String(10))
    #: kind of personnel it belongs to (cong_chuc, vien_chuc...)
    personnel_kind: Mapped[str] = mapped_column(String(20))
    #: first day in force
    effective_from: Mapped[dt.date] = mapped_column(Date)
    #: last day in force (empty: until a later version)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)


class BaseSalary(Audited, VersionedMixin, TimestampMixin, Base):
    """The base salary (lương cơ sở) over a span of dates; spans never overlap."""

    __tablename__ = "base_salaries"
    __table_args__ = (
        UniqueConstraint("effective_from", name="uq_base_salaries_effective_from"),
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: VND per month
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 0))
    #: first day in force
    effective_from: Mapped[dt.date] = mapped_column(Date)
    #: last day in force (empty: until the next one starts)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    #: the legal source, e.g. "Nghị định 73/2024/NĐ-CP"
    source: Mapped[str] = mapped_column(String(255))


class PositionAllowanceRate(Audited, VersionedMixin, TimestampMixin, Base):
    """The position-allowance coefficient of a leadership title at a level of agency."""

    __tablename__ = "position_allowance_rates"
    __table_args__ = (
        UniqueConstraint(
            "title", "agency_level", "effective_from", name="uq_position_allowance_rates_key"
        ),
        CheckConstraint("coefficient > 0", name="coefficient"),
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the title, e.g. "Chủ tịch Ủy ban nhân dân xã"
    title: Mapped[str] = mapped_column(String(255))
    #: where it applies, e.g. "Hà Nội, Thành phố Hồ Chí Minh" or "Các tỉnh, thành phố khác"
    agency_level: Mapped[str] = mapped_column(String(255))
    #: allowance coefficient
    coefficient: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    #: first day in force
    effective_from: Mapped[dt.date] = mapped_column(Date)
    #: last day in force (empty: until a later version)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    #: the legal source
    source: Mapped[str] = mapped_column(String(255))


class PayRules(Audited, VersionedMixin, TimestampMixin, Base):
    """The numbers of the raise and retirement rules in force from a date."""

    __tablename__ = "pay_rules"
    __table_args__ = (
        UniqueConstraint("effective_from", name="uq_pay_rules_effective_from"),
        CheckConstraint(
            "failed_year_delay_months >= 0 AND reprimand_delay_months >= 0"
            " AND demotion_delay_months >= 0",
            name="delays",
        ),
        CheckConstraint(
            "early_raise_max_months BETWEEN 0 AND 60"
            " AND early_raise_quota_percent BETWEEN 0 AND 100",
            name="early",
        ),
        CheckConstraint(
            "seniority_start_percent >= 0 AND seniority_yearly_percent >= 0", name="seniority"
        ),
        CheckConstraint(
            "retirement_notice_months >= 0 AND retirement_early_raise_months >= 0",
            name="retirement",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: first day in force (until a later row starts)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    #: months a raise is delayed for each year rated "không hoàn thành nhiệm vụ"
    failed_year_delay_months: Mapped[int] = mapped_column(Integer)
    #: months a raise is delayed by a reprimand (khiển trách) or a warning (cảnh cáo)
    reprimand_delay_months: Mapped[int] = mapped_column(Integer)
    #: months a raise is delayed by demotion or dismissal from post (giáng chức, cách chức)
    demotion_delay_months: Mapped[int] = mapped_column(Integer)
    #: the most months an early raise for outstanding achievement may advance a raise
    early_raise_max_months: Mapped[int] = mapped_column(Integer)
    #: early raises per year as a percentage of an agency's staff on the payroll
    early_raise_quota_percent: Mapped[int] = mapped_column(Integer)
    #: seniority allowance beyond the frame after the wait, % of the last coefficient
    seniority_start_percent: Mapped[int] = mapped_column(Integer)
    #: percentage points added each further year
    seniority_yearly_percent: Mapped[int] = mapped_column(Integer)
    #: months before retirement that the notice is given
    retirement_notice_months: Mapped[int] = mapped_column(Integer)
    #: on notice, a raise due within this many months is granted early
    retirement_early_raise_months: Mapped[int] = mapped_column(Integer)
    #: the legal sources
    source: Mapped[str] = mapped_column(String(500))


class RetirementSex(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class RetirementAge(Audited, VersionedMixin, TimestampMixin, Base):
    """A step of the retirement-age roadmap: the age for people who reach it from a year on."""

    __tablename__ = "retirement_ages"
    __table_args__ = (
        UniqueConstraint("sex", "from_year", name="uq_retirement_ages_sex_year"),
        CheckConstraint("sex IN ('male', 'female')", name="sex"),
        CheckConstraint("age_years BETWEEN 40 AND 80", name="years"),
        CheckConstraint("age_months BETWEEN 0 AND 11", name="months"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: male or female
    sex: Mapped[str] = mapped_column(String(6))
    #: the age applies to those who reach it in this year or later (until the next step)
    from_year: Mapped[int] = mapped_column(Integer)
    #: years of the age
    age_years: Mapped[int] = mapped_column(Integer)
    #: and months
    age_months: Mapped[int] = mapped_column(Integer)
    #: the legal source
    source: Mapped[str] = mapped_column(String(255))

    @property
    def total_months(self) -> int:
        return self.age_years * 12 + self.age_months
