"""Excel exchange of dossiers: the template, the import of many rows through the same schema and
services as the forms and the API, and the export (which the import reads back unchanged).

The column table ``COLUMNS`` is the single description of the sheet: field name, Vietnamese
header (the headers and the code sheet are Vietnamese data, written as such), how a cell is read.
An import is all or nothing: every row is checked, every problem reported (row as Excel numbers
it, column header, message), and the changes are kept only when no row failed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, load_only

from hrms.codes.queries import entries as code_entries
from hrms.core.audit import record_event
from hrms.core.errors import FORM, DomainError, ValidationFailed
from hrms.core.schemas import load
from hrms.core.security import Actor, Permission, Scope
from hrms.core.text import fold, normalize_spaces
from hrms.employees import queries, services
from hrms.employees.models import (
    REQUIRED_ON_CREATE,
    Employee,
    EmployeeKind,
    EmployeeStatus,
    Sex,
)
from hrms.employees.policies import (
    SENSITIVE_FIELDS,
    can_create_employees,
    can_edit_employee,
    can_place_in_unit,
    is_own,
)
from hrms.employees.schemas import EmployeeCreate, EmployeePatch
from hrms.employees.services import CODED_FIELDS
from hrms.extensions import db
from hrms.org.models import Unit

SHEET = "Hồ sơ"
CODES_SHEET = "Mã hợp lệ"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: more rows than this is a file to split (and a request that would run too long)
MAX_ROWS = 20_000
#: rows covered by the drop-down lists of the template
VALIDATED_ROWS = 5_000
_ZIP_MAGIC = b"PK\x03\x04"
_IN_CHUNK = 500  # ids per IN (...) when loading the people a file names

SEX_VI = {Sex.MALE.value: "Nam", Sex.FEMALE.value: "Nữ"}
KIND_VI = {
    EmployeeKind.CAN_BO.value: "Cán bộ",
    EmployeeKind.CONG_CHUC.value: "Công chức",
    EmployeeKind.VIEN_CHUC.value: "Viên chức",
    EmployeeKind.CONTRACT.value: "Hợp đồng",
}
STATUS_VI = {
    EmployeeStatus.WORKING.value: "Đang làm việc",
    EmployeeStatus.ON_LEAVE.value: "Tạm nghỉ",
    EmployeeStatus.TRANSFERRED_OUT.value: "Đã chuyển công tác",
    EmployeeStatus.RETIRED.value: "Đã nghỉ hưu",
    EmployeeStatus.RESIGNED.value: "Đã thôi việc",
    EmployeeStatus.DECEASED.value: "Đã từ trần",
}
CODE_LIST_TITLES = {
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "education_level": "Trình độ chuyên môn",
    "political_theory": "Lý luận chính trị",
    "state_management": "Quản lý nhà nước",
    "it_level": "Tin học",
}


@dataclass(frozen=True)
class Column:
    """One column of the sheet: the Employee field it fills and how its cells are read."""

    field: str
    header: str
    #: text, date, digits (kept as text, leading zeros restored), sex, kind, unit, code
    kind: str = "text"
    width: int = 20
    #: for digits: how many (a number cell lost its leading zeros)
    digits: int = 0

    @property
    def sensitive(self) -> bool:
        return self.field in SENSITIVE_FIELDS


COLUMNS: tuple[Column, ...] = (
    Column("national_id", "Số định danh cá nhân (CCCD)", "digits", 18, 12),
    Column("full_name", "Họ và tên", "text", 26),
    Column("sex", "Giới tính (Nam/Nữ)", "sex", 10),
    Column("date_of_birth", "Ngày sinh (dd/mm/yyyy)", "date", 13),
    Column("unit_id", "Đơn vị (mã)", "unit", 14),
    Column("kind", "Loại (Cán bộ/Công chức/Viên chức/Hợp đồng)", "kind", 16),
    Column("other_names", "Tên gọi khác"),
    Column("place_of_birth", "Nơi sinh", "text", 28),
    Column("hometown", "Quê quán", "text", 28),
    Column("ethnicity_code", "Dân tộc (mã)", "code", 10),
    Column("religion_code", "Tôn giáo (mã)", "code", 10),
    Column("national_id_issued_on", "Ngày cấp CCCD", "date", 13),
    Column("social_insurance_number", "Số BHXH", "digits", 14, 10),
    Column("permanent_address", "Nơi thường trú", "text", 32),
    Column("current_address", "Nơi ở hiện nay", "text", 32),
    Column("phone", "Điện thoại", "digits", 14, 10),
    Column("email", "Email", "text", 26),
    Column("general_education", "Trình độ giáo dục phổ thông", "text", 12),
    Column("qualification_code", "Trình độ chuyên môn (mã)", "code", 14),
    Column("qualification_major", "Chuyên ngành", "text", 24),
    Column("political_theory_code", "Lý luận chính trị (mã)", "code", 14),
    Column("state_management_code", "Quản lý nhà nước (mã)", "code", 14),
    Column("foreign_languages", "Ngoại ngữ", "text", 20),
    Column("it_level_code", "Tin học (mã)", "code", 12),
    Column("party_joined_on", "Ngày vào Đảng", "date", 13),
    Column("party_official_on", "Ngày chính thức", "date", 13),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
#: written by the export after the exchange columns, for reading; ignored on import
EXPORT_ONLY_HEADERS = (("Tên đơn vị", 32), ("Trạng thái", 16))


def _header_key(text: str) -> str:
    return fold(text).replace(" ", "")


def _header_aliases() -> dict[str, Column]:
    """Headers are matched ignoring case, accents and spaces, with or without their
    parenthesised hint, and by field name (for files made by programs)."""
    aliases: dict[str, Column] = {}
    for column in COLUMNS:
        aliases[_header_key(column.header)] = column
        aliases[_header_key(column.header.split(" (")[0])] = column
        aliases[column.field] = column
    aliases[_header_key("CCCD")] = COLUMN_BY_FIELD["national_id"]
    return aliases


HEADER_ALIASES = _header_aliases()


class WorkbookRefused(Exception):
    """The upload is not a workbook this import can read; ``message`` says why."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


# Reading ------------------------------------------------------------------------------------


@dataclass
class SheetRow:
    #: the row number Excel shows
    number: int
    #: the cells of the exchange columns, as read (None for empty)
    cells: dict[str, Any]


@dataclass
class Sheet:
    columns: list[Column]
    rows: list[SheetRow]


def read_workbook(content: bytes, max_bytes: int) -> Sheet:
    """The dossier sheet of an uploaded file; refuses what is not a readable .xlsx."""
    if not content:
        raise WorkbookRefused(_l("The file is empty."))
    if len(content) > max_bytes:
        raise WorkbookRefused(
            _l("The file is larger than %(size)s MB.", size=max_bytes // (1024 * 1024))
        )
    if not content.startswith(_ZIP_MAGIC):
        raise WorkbookRefused(_l("This file is not an Excel workbook (.xlsx)."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises many kinds: InvalidFileException, BadZipFile, KeyError for a part
        # missing from the archive, ValueError or TypeError for malformed XML...
        raise WorkbookRefused(_l("This file is not an Excel workbook (.xlsx).")) from None
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        return _read_sheet(sheet.iter_rows(min_row=1, values_only=True))
    finally:
        workbook.close()


def _read_sheet(rows: Iterator[tuple[Any, ...]]) -> Sheet:
    header: list[Column | None] | None = None
    result: list[SheetRow] = []
    for number, values in enumerate(rows, start=1):
        if header is None:
            if not any(_blank(value) is not None for value in values):
                continue  # empty lines above the header
            header = [
                HEADER_ALIASES.get(_header_key(str(value))) if value is not None else None
                for value in values
            ]
            _check_header(header)
            continue
        cells = {
            column.field: value
            for column, value in zip(header, values, strict=False)
            if column is not None and _blank(value) is not None
        }
        if cells:
            result.append(SheetRow(number, cells))
            if len(result) > MAX_ROWS:
                raise WorkbookRefused(
                    _l("The file has more than %(count)s rows; split it.", count=MAX_ROWS)
                )
    if header is None:
        raise WorkbookRefused(_l("The sheet is empty."))
    return Sheet(columns=[c for c in header if c is not None], rows=result)


def _check_header(header: list[Column | None]) -> None:
    present = [column for column in header if column is not None]
    if "national_id" not in {column.field for column in present}:
        raise WorkbookRefused(
            _l(
                'The sheet has no column "%(header)s": start from the template.',
                header=COLUMN_BY_FIELD["national_id"].header,
            )
        )
    seen: set[str] = set()
    for column in present:
        if column.field in seen:
            raise WorkbookRefused(
                _l('The column "%(header)s" appears twice.', header=column.header)
            )
        seen.add(column.field)


def _blank(value: Any) -> Any:
    """Empty cells and whitespace are "not given"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


# Converting a row to the API's input --------------------------------------------------------


@dataclass
class Lookups:
    """Everything a row refers to, loaded once per import (never one query per row)."""

    units: dict[str, Unit]
    #: list name -> code -> code, and folded label -> code
    codes: dict[str, dict[str, str]]
    #: the input schemas, built once (building one copies every field)
    create_schema: EmployeeCreate = field(default_factory=EmployeeCreate)
    patch_schema: EmployeePatch = field(default_factory=EmployeePatch)

    @classmethod
    def load(cls) -> Lookups:
        units = {unit.code.upper(): unit for unit in db.session.scalars(select(Unit))}
        codes: dict[str, dict[str, str]] = {}
        for list_name in CODED_FIELDS.values():
            known: dict[str, str] = {}
            for entry in code_entries(list_name, include_inactive=True):
                known.setdefault(fold(entry.label), entry.code)
            for entry in code_entries(list_name, include_inactive=True):
                known[entry.code] = entry.code
            codes[list_name] = known
        return cls(units=units, codes=codes)


_NAMES = frozenset({"full_name", "other_names"})
_SEX_WORDS = {"nam": Sex.MALE.value, "nu": Sex.FEMALE.value, "male": "male", "female": "female"}
_KIND_WORDS = {fold(label): code for code, label in KIND_VI.items()} | {
    code: code for code in KIND_VI
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _convert_cell(
    column: Column, value: Any, lookups: Lookups, actor: Actor
) -> tuple[Any, str | None]:
    """The cell as the API would receive it, or a message when it cannot be read."""
    kind = column.kind
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat(), None
        if isinstance(value, dt.date):
            return value.isoformat(), None
        return _text(value), None  # dd/mm/yyyy or ISO text; the schema says when it is not
    if kind == "digits":
        if isinstance(value, int | float) and not isinstance(value, bool):
            digits = _text(value)
            # a number cell drops leading zeros (every CCCD starts with 0)
            return digits.zfill(column.digits) if len(digits) < column.digits else digits, None
        return _text(value), None
    text = _text(value)
    if column.field in _NAMES:
        text = normalize_spaces(text)  # as the service stores names; the schema wants it so
    if kind == "sex":
        return _SEX_WORDS.get(fold(text), text), None
    if kind == "kind":
        return _KIND_WORDS.get(fold(text), text), None
    if kind == "code":
        known = lookups.codes[CODED_FIELDS[column.field]]
        code = known.get(text) or known.get(fold(text))
        if code is None and text.isdigit():
            code = known.get(text.zfill(2))
        return code or text, None  # an unknown code is refused by the service's rule
    if kind == "unit":
        unit = lookups.units.get(text.upper())
        if unit is None:
            return None, str(_l("No unit has this code."))
        if not unit.is_open:
            return None, str(_l("Choose an open unit."))
        if not can_place_in_unit(actor, unit.path):
            return None, str(_l("You may only create dossiers in units you manage."))
        return unit.id, None
    return text, None


# Applying ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    #: the row number Excel shows
    row: int
    #: the column header ("" for the row as a whole)
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows_in_error(self) -> int:
        return len({problem.row for problem in self.problems})

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


def _header_of(name: str) -> str:
    column = COLUMN_BY_FIELD.get(name)
    if column is not None:
        return column.header
    return "" if name in (FORM, "version") else name


def _existing(national_ids: Iterable[str]) -> dict[str, Employee]:
    """The people a file names, with their units, in a few queries."""
    wanted = sorted(set(national_ids))
    found: dict[str, Employee] = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        query = (
            select(Employee)
            .join(Employee.unit)
            .options(contains_eager(Employee.unit))
            .where(Employee.national_id.in_(chunk))
        )
        found.update((e.national_id, e) for e in db.session.scalars(query))
    return found


def import_rows(
    actor: Actor,
    sheet: Sheet,
    *,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check and apply every row inside a savepoint; keep the changes only when every row
    passed and this is not a dry run. The caller commits (the request wrapper, the command).

    New dossiers are written in groups (``services.Batch``), the numbers they may collide with
    read once. Should the database refuse a group that passed every check, the import starts
    again row by row, each row in its own savepoint, to tell which row it refused."""
    report = ImportReport(rows=len(sheet.rows), dry_run=dry_run)
    if not can_create_employees(actor):
        report.problems.append(Problem(0, "", str(_l("You may not create dossiers."))))
        return report
    lookups = Lookups.load()
    ids = _column_values(sheet, "national_id", lookups, actor)
    rows_of: dict[str, list[int]] = {}
    for row, national_id in zip(sheet.rows, ids, strict=True):
        if national_id:
            rows_of.setdefault(national_id, []).append(row.number)
    insurance = _column_values(sheet, "social_insurance_number", lookups, actor)
    taken = services.TakenNumbers.load(rows_of, (number for number in insurance if number))
    savepoint = db.session.begin_nested()
    try:
        try:
            batch = services.Batch(taken)
            _import_all(actor, sheet, ids, rows_of, lookups, report, progress, batch)
            batch.flush()
        except IntegrityError:
            savepoint.rollback()
            report = ImportReport(rows=len(sheet.rows), dry_run=dry_run)
            savepoint = db.session.begin_nested()
            _import_all(actor, sheet, ids, rows_of, lookups, report, None, None)
    except BaseException:
        savepoint.rollback()
        raise
    if report.ok and not dry_run:
        savepoint.commit()
        record_event(
            db.session,
            "employees.import",
            "employees",
            details={"rows": report.rows, "created": report.created, "updated": report.updated},
        )
        db.session.flush()
    else:
        savepoint.rollback()
    return report


def _column_values(sheet: Sheet, name: str, lookups: Lookups, actor: Actor) -> list[Any]:
    """The converted cells of one column, row by row (None where empty)."""
    column = COLUMN_BY_FIELD[name]
    return [
        _convert_cell(column, row.cells[name], lookups, actor)[0] if name in row.cells else None
        for row in sheet.rows
    ]


def _import_all(
    actor: Actor,
    sheet: Sheet,
    ids: list[str | None],
    rows_of: dict[str, list[int]],
    lookups: Lookups,
    report: ImportReport,
    progress: Callable[[int], None] | None,
    batch: services.Batch | None,
) -> None:
    existing = _existing(rows_of)
    for row, national_id in zip(sheet.rows, ids, strict=True):
        _import_row(actor, row, national_id, rows_of, existing, lookups, report, batch)
        if progress is not None:
            progress(1)


class _RowErrors(dict[str, list[str]]):
    """A row's messages by field. A cell that could not be read keeps only its own message:
    its field is then missing, which the schema would also call "required"."""

    def __init__(self) -> None:
        super().__init__()
        self.unreadable: set[str] = set()

    def add(self, name: str, message: Any, *, unreadable: bool = False) -> None:
        bucket = self.setdefault(name, [])
        if str(message) not in bucket:
            bucket.append(str(message))
        if unreadable:
            self.unreadable.add(name)

    def merge(self, refusal: ValidationFailed | DomainError) -> None:
        found = (
            refusal.errors
            if isinstance(refusal, ValidationFailed)
            else {refusal.field: [refusal.message]}
        )
        for name, messages in found.items():
            if name not in self.unreadable:
                for message in messages:
                    self.add(name, message)


def _import_row(
    actor: Actor,
    row: SheetRow,
    national_id: str | None,
    rows_of: dict[str, list[int]],
    existing: dict[str, Employee],
    lookups: Lookups,
    report: ImportReport,
    batch: services.Batch | None,
) -> None:
    errors = _RowErrors()
    data: dict[str, Any] = {}
    for name, value in row.cells.items():
        converted, problem = _convert_cell(COLUMN_BY_FIELD[name], value, lookups, actor)
        if problem:
            errors.add(name, problem, unreadable=True)
        else:
            data[name] = converted
    if national_id and len(rows_of.get(national_id, ())) > 1:
        others = ", ".join(str(n) for n in rows_of[national_id] if n != row.number)
        errors.add(
            "national_id", _l("This ID number is also on row(s) %(rows)s of the file.", rows=others)
        )
    employee = existing.get(national_id) if national_id else None
    try:
        if employee is None:
            _create(actor, data, errors, lookups, report, batch)
        else:
            _update(actor, employee, data, errors, lookups, report, batch)
    except (ValidationFailed, DomainError) as refusal:
        errors.merge(refusal)
    for name, messages in errors.items():
        for message in messages:
            report.problems.append(Problem(row.number, _header_of(name), message))


def _create(
    actor: Actor,
    data: dict[str, Any],
    errors: _RowErrors,
    lookups: Lookups,
    report: ImportReport,
    batch: services.Batch | None,
) -> None:
    # the schema leaves required-ness of the identity to the service, which expects the keys
    for name in (*REQUIRED_ON_CREATE, "unit_id"):
        if name not in data and name not in errors.unreadable:
            errors.add(name, _l("This field is required."))
    try:
        loaded = load(lookups.create_schema, data)
    except ValidationFailed as failure:
        errors.merge(failure)
        return
    if errors:
        return
    if batch is None:
        _apply(lambda: services.create_employee(actor, loaded))
    else:
        # the service checks everything before it writes: a refused row leaves nothing behind
        services.create_employee(actor, loaded, batch)
    report.created += 1


def _update(
    actor: Actor,
    employee: Employee,
    data: dict[str, Any],
    errors: _RowErrors,
    lookups: Lookups,
    report: ImportReport,
    batch: services.Batch | None,
) -> None:
    """Only the columns given change; a row that changes nothing counts as unchanged."""
    if not can_edit_employee(actor, employee.unit.path):
        errors.add("national_id", _l("This ID number belongs to a dossier you may not change."))
    unit_id = data.pop("unit_id", None)
    if unit_id is not None and unit_id != employee.unit_id:
        errors.add(
            "unit_id", _l("A person's unit changes only through a decision (transfer, rotation).")
        )
    try:
        loaded = load(lookups.patch_schema, {**data, "version": employee.version})
    except ValidationFailed as failure:
        errors.merge(failure)
        return
    if errors:
        return
    changed = {
        name: value
        for name, value in loaded.items()
        if name != "version" and getattr(employee, name) != value
    }
    if not changed:
        report.unchanged += 1
        return
    version = employee.version
    _apply(
        lambda: services.patch_employee(
            actor,
            employee,
            employee.unit,
            {**changed, "version": version},
            batch.taken if batch else None,
        )
    )
    if employee.version != version:
        report.updated += 1
    else:
        report.unchanged += 1


def _apply(action: Callable[[], Any]) -> None:
    """One row in its own savepoint: a refused row leaves nothing behind, and the rows after
    it are still checked."""
    row_savepoint = db.session.begin_nested()
    try:
        action()
    except (ValidationFailed, DomainError):
        row_savepoint.rollback()
        raise
    except IntegrityError:
        row_savepoint.rollback()
        raise DomainError(FORM, _l("The database refused this row.")) from None
    row_savepoint.commit()


# Writing ------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATE_FORMAT = "DD/MM/YYYY"


def _header_cells(sheet: Any, headers: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        cells.append(cell)
    return cells


def _dossier_sheet(workbook: Workbook, export: bool) -> Any:
    sheet = workbook.create_sheet(SHEET)
    sheet.freeze_panes = "C2"  # the header, and the CCCD and name while scrolling right
    widths = [column.width for column in COLUMNS]
    headers = [column.header for column in COLUMNS]
    if export:
        headers += [header for header, _width in EXPORT_ONLY_HEADERS]
        widths += [width for _header, width in EXPORT_ONLY_HEADERS]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for name, choices in (("sex", SEX_VI), ("kind", KIND_VI)):
        letter = get_column_letter(COLUMNS.index(COLUMN_BY_FIELD[name]) + 1)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(choices.values()) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Giá trị không hợp lệ",
            error="Chọn một giá trị trong danh sách.",
        )
        validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
        sheet.data_validations.append(validation)
    sheet.append(_header_cells(sheet, headers))
    return sheet


def _codes_sheet(workbook: Workbook, units: list[Unit]) -> None:
    """The allowed values, one list per pair of columns, side by side."""
    sheet = workbook.create_sheet(CODES_SHEET)
    blocks: list[tuple[str, list[tuple[str, str]]]] = [
        ("Đơn vị", [(unit.code, unit.name) for unit in units]),
        ("Giới tính", [(label, code) for code, label in SEX_VI.items()]),
        ("Loại", [(label, code) for code, label in KIND_VI.items()]),
    ]
    for list_name, title in CODE_LIST_TITLES.items():
        blocks.append((title, [(e.code, e.label) for e in code_entries(list_name)]))
    sheet.freeze_panes = "A3"
    titles: list[Any] = []
    subtitles: list[Any] = []
    for index, (title, _values) in enumerate(blocks):
        base = index * 3 + 1
        sheet.column_dimensions[get_column_letter(base)].width = 12
        sheet.column_dimensions[get_column_letter(base + 1)].width = 32
        sheet.column_dimensions[get_column_letter(base + 2)].width = 3
        titles += [*_header_cells(sheet, [title]), None, None]
        first = "Ghi vào ô" if title in ("Giới tính", "Loại") else "Mã"
        subtitles += [*_header_cells(sheet, [first, "Tên" if first == "Mã" else "Mã"]), None]
    sheet.append(titles)
    sheet.append(subtitles)
    longest = max(len(values) for _title, values in blocks)
    for line in range(longest):
        out: list[Any] = []
        for _title, values in blocks:
            out += [*values[line], None] if line < len(values) else [None, None, None]
        sheet.append(out)


def _importable_units(actor: Actor) -> list[Unit]:
    scope = Scope.for_actor(actor, Permission.EMPLOYEES_EDIT)
    query = (
        select(Unit).where(Unit.effective_to.is_(None), scope.filter(Unit.path)).order_by(Unit.path)
    )
    return list(db.session.scalars(query))


def template_workbook(actor: Actor) -> bytes:
    """An empty dossier sheet and the allowed codes (units the actor may import into)."""
    workbook = Workbook(write_only=True)
    _dossier_sheet(workbook, export=False)
    _codes_sheet(workbook, _importable_units(actor))
    return _save(workbook)


def _cell_value(employee: Employee, column: Column) -> Any:
    value = getattr(employee, column.field)
    if column.kind == "sex":
        return SEX_VI.get(value, value)
    if column.kind == "kind":
        return KIND_VI.get(value, value)
    if column.kind == "unit":
        return employee.unit.code
    return value


def export_workbook(actor: Actor, filters: dict[str, Any]) -> bytes:
    """The dossiers of the list page's filters, in the template's columns (so the file can be
    edited and imported again), then unit name and status. Sensitive columns stay empty where
    the actor may not see them. Rows are streamed: one query, whatever the number of people.

    openpyxl writes the workbook (styles, column widths, drop-down lists, the code sheet) with
    one sample row; the rows of the people are then written into the sheet's XML directly, in
    the very form openpyxl gives its cells, which is several times faster than openpyxl's cell
    by cell serialisation (100,000 people in seconds, not minutes)."""
    workbook = Workbook(write_only=True)
    sheet = _dossier_sheet(workbook, export=True)
    sample = WriteOnlyCell(sheet, value=dt.date(2000, 1, 1))
    sample.number_format = _DATE_FORMAT
    sheet.append([sample])
    _codes_sheet(workbook, _importable_units(actor))
    template = _save(workbook)
    return _with_rows(template, _export_rows(actor, filters))


def _export_rows(actor: Actor, filters: dict[str, Any]) -> Iterator[list[Any]]:
    editable = Scope.for_actor(actor, Permission.EMPLOYEES_EDIT)
    wanted = {column.field for column in COLUMNS} | {"id", "status"}
    query = (
        queries.filtered(actor, filters)
        .options(load_only(*(getattr(Employee, name) for name in sorted(wanted))))
        .execution_options(yield_per=1000)
    )
    for employee in db.session.scalars(query):
        # can_view_sensitive, with the actor's scope computed once for the whole file
        sensitive = is_own(actor, employee.id) or editable.covers(employee.unit.path)
        line = [
            None if column.sensitive and not sensitive else _cell_value(employee, column)
            for column in COLUMNS
        ]
        line += [employee.unit.name, STATUS_VI.get(employee.status, employee.status)]
        yield line


_SHEET_PART = "xl/worksheets/sheet1.xml"
_SAMPLE_ROW = re.compile(rb'<row r="2"[^>]*>(.*?)</row>', re.S)
_STYLE = re.compile(rb' s="(\d+)"')
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: what a text cell must not hold as is: XML's special characters, control characters
_TO_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")


def _with_rows(template: bytes, rows: Iterable[list[Any]]) -> bytes:
    """The workbook ``template`` with its sample row (row 2 of the dossier sheet) replaced by
    ``rows``; dates take the sample date's style."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename != _SHEET_PART:
                target.writestr(item, content)
                continue
            sample = _SAMPLE_ROW.search(content)
            style = _STYLE.search(sample.group(1)) if sample else None
            if sample is None or style is None:  # pragma: no cover - openpyxl changed its output
                raise RuntimeError("the export template has no sample row")
            with target.open(_SHEET_PART, "w", force_zip64=True) as part:
                part.write(content[: sample.start()])
                buffer: list[str] = []
                for number, row in enumerate(rows, start=2):
                    buffer.append(_row_xml(number, row, style.group(1).decode()))
                    if len(buffer) >= 1000:
                        part.write("".join(buffer).encode())
                        buffer.clear()
                part.write("".join(buffer).encode())
                part.write(content[sample.end() :])
    return out.getvalue()


_LETTERS = [get_column_letter(index) for index in range(1, len(COLUMNS) + 10)]


def _row_xml(number: int, values: list[Any], date_style: str) -> str:
    """One row as openpyxl writes it: inline strings, numbers, dates as styled serials."""
    cells = []
    for letter, value in zip(_LETTERS, values, strict=False):
        if value is None:
            continue
        ref = f"{letter}{number}"
        if isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            serial = (day - _EXCEL_EPOCH).days if day >= dt.date(1900, 3, 1) else to_excel(day)
            cells.append(f'<c r="{ref}" s="{date_style}" t="n"><v>{serial}</v></c>')
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            cells.append(f'<c r="{ref}" t="n"><v>{value}</v></c>')
        else:
            text = str(value)
            space = ""
            if _TO_ESCAPE.search(text):
                text = escape(ILLEGAL_CHARACTERS_RE.sub("", text))
            if text[:1].isspace() or text[-1:].isspace():
                space = ' xml:space="preserve"'
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_upload(stream: IO[bytes], max_bytes: int) -> Sheet:
    """Read at most ``max_bytes`` + 1 from an upload, then the workbook in it."""
    return read_workbook(stream.read(max_bytes + 1), max_bytes)
