"""Entries of the official code lists, one table for every list."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hrms.core.audit import Audited
from hrms.core.db import Base, TimestampMixin, VersionedMixin


class CodeList(enum.StrEnum):
    """The lists a dossier refers to. A new list needs a migration (the check constraint)."""

    ETHNICITY = "ethnicity"
    RELIGION = "religion"
    EDUCATION_LEVEL = "education_level"
    POLITICAL_THEORY = "political_theory"
    STATE_MANAGEMENT = "state_management"
    FOREIGN_LANGUAGE_LEVEL = "foreign_language_level"
    IT_LEVEL = "it_level"
    PROVINCE = "province"
    COMMUNE = "commune"
    #: the 63 provinces, their districts and communes until 30/06/2025, as older records name them
    PROVINCE_BEFORE_2025 = "province_before_2025"
    DISTRICT_BEFORE_2025 = "district_before_2025"
    COMMUNE_BEFORE_2025 = "commune_before_2025"

    @property
    def label(self) -> str:
        return str(CODE_LIST_LABELS[self])

    @property
    def parent(self) -> CodeList | None:
        """The list whose code an entry of this list names in ``parent_code``."""
        return PARENT_LISTS.get(self)

    @property
    def digits(self) -> int | None:
        """Official numeric codes have a fixed number of digits; other lists use short words."""
        return NUMERIC_CODE_DIGITS.get(self)


CODE_LIST_LABELS = {
    CodeList.ETHNICITY: _l("Ethnic groups"),
    CodeList.RELIGION: _l("Religions"),
    CodeList.EDUCATION_LEVEL: _l("Highest professional qualification"),
    CodeList.POLITICAL_THEORY: _l("Political theory"),
    CodeList.STATE_MANAGEMENT: _l("State management training"),
    CodeList.FOREIGN_LANGUAGE_LEVEL: _l("Foreign language level"),
    CodeList.IT_LEVEL: _l("IT level"),
    CodeList.PROVINCE: _l("Provinces and centrally-run cities"),
    CodeList.COMMUNE: _l("Communes, wards and special zones"),
    CodeList.PROVINCE_BEFORE_2025: _l("Provinces before 01/07/2025"),
    CodeList.DISTRICT_BEFORE_2025: _l("Districts before 01/07/2025"),
    CodeList.COMMUNE_BEFORE_2025: _l("Communes and wards before 01/07/2025"),
}

PARENT_LISTS = {
    CodeList.COMMUNE: CodeList.PROVINCE,
    CodeList.DISTRICT_BEFORE_2025: CodeList.PROVINCE_BEFORE_2025,
    CodeList.COMMUNE_BEFORE_2025: CodeList.DISTRICT_BEFORE_2025,
}

NUMERIC_CODE_DIGITS = {
    CodeList.ETHNICITY: 2,
    CodeList.RELIGION: 2,
    CodeList.PROVINCE: 2,
    CodeList.COMMUNE: 5,
    CodeList.PROVINCE_BEFORE_2025: 2,
    CodeList.DISTRICT_BEFORE_2025: 3,
    CodeList.COMMUNE_BEFORE_2025: 5,
}

_LIST_VALUES = ", ".join(f"'{code_list.value}'" for code_list in CodeList)


class CodeEntry(Audited, VersionedMixin, TimestampMixin, Base):
    __tablename__ = "code_entries"
    __table_args__ = (
        CheckConstraint(f"list_name IN ({_LIST_VALUES})", name="list_name"),
        CheckConstraint("code <> ''", name="code_not_empty"),
        CheckConstraint("label <> ''", name="label_not_empty"),
        CheckConstraint("sort_order >= 0", name="sort_order_positive"),
        UniqueConstraint("list_name", "code", name="uq_code_entries_list_name_code"),
        Index("ix_code_entries_list_sort", "list_name", "sort_order"),
        Index("ix_code_entries_list_parent", "list_name", "parent_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the list this entry belongs to (ethnicity, religion, province, commune...)
    list_name: Mapped[str] = mapped_column(String(40))
    #: the code stored in records; unique in its list, never changed or reused
    code: Mapped[str] = mapped_column(String(20))
    #: Vietnamese name as printed in documents
    label: Mapped[str] = mapped_column(String(255))
    #: folded label and code ("dak lak 66"), for search that ignores case and diacritics
    search_text: Mapped[str] = mapped_column(String(300), default="")
    #: position in lists and choices (ascending)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    #: offered for new records; inactive entries stay valid in the records that use them
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: code of the enclosing entry in the parent list (a commune's province); empty otherwise
    parent_code: Mapped[str | None] = mapped_column(String(20))
    #: source, legal basis or remark
    note: Mapped[str | None] = mapped_column(String(500))

    @property
    def code_list(self) -> CodeList:
        return CodeList(self.list_name)
