"""Units of the organisation tree, stored with a materialised path for one-query subtrees."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hrms.core.audit import Audited
from hrms.core.db import Base, TimestampMixin, VersionedMixin, binary_string


class UnitKind(enum.StrEnum):
    AGENCY = "agency"
    DEPARTMENT = "department"
    DIVISION = "division"
    PUBLIC_SERVICE_UNIT = "public_service_unit"
    COMMUNE = "commune"

    @property
    def label(self) -> str:
        return str(UNIT_KIND_LABELS[self])


UNIT_KIND_LABELS = {
    UnitKind.AGENCY: _l("Agency"),
    UnitKind.DEPARTMENT: _l("Department"),
    UnitKind.DIVISION: _l("Division"),
    UnitKind.PUBLIC_SERVICE_UNIT: _l("Public service unit"),
    UnitKind.COMMUNE: _l("Commune"),
}


class UnitChange(enum.StrEnum):
    RENAME = "rename"
    MOVE = "move"
    CLOSE = "close"


UNIT_CHANGE_LABELS = {
    UnitChange.RENAME: _l("Renamed"),
    UnitChange.MOVE: _l("Moved"),
    UnitChange.CLOSE: _l("Closed"),
}

_KIND_VALUES = ", ".join(f"'{kind.value}'" for kind in UnitKind)
_CHANGE_VALUES = ", ".join(f"'{change.value}'" for change in UnitChange)


class Unit(Audited, VersionedMixin, TimestampMixin, Base):
    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KIND_VALUES})", name="kind"),
        CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from", name="effective_range"
        ),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: short code unique across the tree (kept forever, never reused)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    #: current official name
    name: Mapped[str] = mapped_column(String(255))
    #: folded name and code ("so noi vu snv"), for search that ignores case and diacritics
    search_text: Mapped[str] = mapped_column(String(300), default="")
    #: kind of unit (agency, department, division, public service unit, commune)
    kind: Mapped[str] = mapped_column(String(30))
    #: parent unit; empty for a root
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: materialised path of ids from the root, e.g. "/1/5/12/"; subtree = one index range
    path: Mapped[str] = mapped_column(binary_string(1000), unique=True, default="")
    #: number of ancestors (0 for a root)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    #: date the unit was established
    effective_from: Mapped[dt.date] = mapped_column(Date)
    #: date the unit was closed (merged, dissolved); empty while it exists
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    #: date from which the current name and parent apply
    current_since: Mapped[dt.date] = mapped_column(Date)

    @property
    def is_open(self) -> bool:
        return self.effective_to is None

    @property
    def kind_label(self) -> str:
        return UnitKind(self.kind).label

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]


class UnitHistory(Base):
    """How the unit was named and placed before a change; append-only like the log."""

    __tablename__ = "unit_history"
    __table_args__ = (
        CheckConstraint(f"change IN ({_CHANGE_VALUES})", name="change"),
        CheckConstraint("valid_to >= valid_from", name="valid_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the unit this version belongs to
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    #: what ended this version: rename, move or close
    change: Mapped[str] = mapped_column(String(20))
    #: code the unit had
    code: Mapped[str] = mapped_column(String(30))
    #: name the unit had
    name: Mapped[str] = mapped_column(String(255))
    #: parent the unit had
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    #: parent's name at the time, so old records stay readable after the parent changes
    parent_name: Mapped[str | None] = mapped_column(String(255))
    #: first day this version applied
    valid_from: Mapped[dt.date] = mapped_column(Date)
    #: last day this version applied
    valid_to: Mapped[dt.date] = mapped_column(Date)
    #: decision or note that explains the change
    note: Mapped[str | None] = mapped_column(String(500))

    @property
    def change_label(self) -> str:
        return str(UNIT_CHANGE_LABELS[UnitChange(self.change)])
