"""Data of the statistics: the age bands, effective-dated rule data (a new set of bands is a new
version, never an edit of the old one, so past reports keep their bands), and the maintained
headcount aggregate."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hrms.core.audit import Audited
from hrms.core.db import Base, TimestampMixin

#: the shipped bands, seeded by migration 0014
SEED_FILE = Path(__file__).resolve().parent / "data" / "age_bands.json"


class AgeBand(Audited, TimestampMixin, Base):
    """One band of a version of the age bands: from ``min_age`` to the next band's minimum."""

    __tablename__ = "age_bands"
    __table_args__ = (
        UniqueConstraint("effective_from", "min_age", name="uq_age_bands_effective_min_age"),
        CheckConstraint("min_age BETWEEN 0 AND 150", name="min_age"),
        CheckConstraint("label <> ''", name="label_not_empty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the version: in force from this date until a later version
    effective_from: Mapped[dt.date] = mapped_column(Date)
    #: the youngest age (whole years on the report date) in the band
    min_age: Mapped[int] = mapped_column(Integer)
    #: how reports name the band ("Từ 30 đến 39 tuổi")
    label: Mapped[str] = mapped_column(String(100))
    #: where the band comes from
    source: Mapped[str | None] = mapped_column(String(255))


@dataclass(frozen=True)
class Band:
    min_age: int
    #: the oldest age in the band; None for the last, open-ended band
    max_age: int | None
    label: str


def bands_of(rows: list[tuple[int, str]]) -> list[Band]:
    """Bands from (min_age, label) pairs: each ends where the next begins."""
    ordered = sorted(rows)
    return [
        Band(
            min_age,
            ordered[index + 1][0] - 1 if index + 1 < len(ordered) else None,
            label,
        )
        for index, (min_age, label) in enumerate(ordered)
    ]


def seed_versions() -> list[dict[str, Any]]:
    """The shipped versions, checked: each starts at age 0 with distinct minimum ages."""
    versions: list[dict[str, Any]] = json.loads(SEED_FILE.read_text("utf-8"))["versions"]
    for version in versions:
        ages = [band["min_age"] for band in version["bands"]]
        if not ages or min(ages) != 0 or len(set(ages)) != len(ages):
            raise ValueError(f"age bands of {version['effective_from']}: start at 0, no repeats")
    return versions


class HeadcountCount(Base):
    """The maintained headcount aggregate of the statistics dashboard: for each unit's whole
    subtree, the people working there per dimension value, with the "of which" counts
    (``hrms.reports.headcount`` keeps it exact in the flush of every change)."""

    __tablename__ = "headcount_counts"
    __table_args__ = (
        CheckConstraint("count >= 0", name="count_not_negative"),
        CheckConstraint(
            "women <= count AND party <= count AND minority <= count", name="parts_within_count"
        ),
    )

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    #: what is counted: kind, rank, education, political_theory, birth_month, sex, ethnicity,
    #: party, or "all" (one row per subtree: everyone)
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    #: the value counted ("" when nothing is recorded; a birth month is "YYYY-MM")
    value: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    women: Mapped[int] = mapped_column(Integer, default=0)
    #: with a date of joining the Party recorded (whatever the date: the dashboard's date is
    #: applied when reading)
    party: Mapped[int] = mapped_column(Integer, default=0)
    #: of an ethnic minority
    minority: Mapped[int] = mapped_column(Integer, default=0)
