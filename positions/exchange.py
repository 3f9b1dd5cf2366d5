"""Excel exchange of the framework catalogue: the template, the import of many positions through
the same schema and services as the form, and the export (which the import reads back unchanged).

A workbook has three sheets: "Vị trí" (one row per position), "Nhiệm vụ" (its default tasks,
one per row) and "Năng lực" (its required levels, one per row); the headers and the lists in the
sheets are Vietnamese data, written as such. An import is all or nothing: every row is checked,
every problem reported (sheet, row as Excel numbers it, column header, message), and the changes
are kept only when no row failed. A position already in the catalogue (same code) is updated: its
own cells always, its tasks and its requirements only when the file has rows for them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from sqlalchemy.exc import IntegrityError

from hrms.core.audit import record_event
from hrms.core.dates import today
from hrms.core.errors import FORM, DomainError, ValidationFailed
from hrms.core.schemas import load
from hrms.core.security import Actor
from hrms.core.text import fold
from hrms.extensions import db
from positions import queries, services
from positions.models import (
    Competency,
    CompetencyFamily,
    FrameworkPosition,
    PositionGroup,
)
from positions.policies import can_manage_dictionary
from positions.schemas import FrameworkPositionInput

POSITIONS_SHEET = "Vị trí"
TASKS_SHEET = "Nhiệm vụ"
REQUIREMENTS_SHEET = "Năng lực"
DICTIONARY_SHEET = "Danh mục năng lực"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: more rows than this in a sheet is a file to split
MAX_ROWS = 20_000
#: rows covered by the drop-down lists of the template
VALIDATED_ROWS = 2_000
_ZIP_MAGIC = b"PK\x03\x04"

GROUP_VI = {
    PositionGroup.LEADERSHIP.value: "Lãnh đạo, quản lý",
    PositionGroup.PROFESSIONAL.value: "Chuyên môn, nghiệp vụ",
    PositionGroup.SHARED_PROFESSIONAL.value: "Chuyên môn dùng chung",
    PositionGroup.SUPPORT.value: "Hỗ trợ, phục vụ",
}
FAMILY_VI = {
    CompetencyFamily.GENERAL.value: "Năng lực chung",
    CompetencyFamily.PROFESSIONAL.value: "Năng lực chuyên môn",
    CompetencyFamily.LEADERSHIP.value: "Năng lực lãnh đạo, quản lý",
}


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the input field it fills, its header and how its cells are read."""

    field: str
    header: str
    #: text, group, ranks, level
    kind: str = "text"
    width: int = 20


POSITION_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã vị trí", "text", 14),
    Column("group", "Nhóm vị trí", "group", 24),
    Column("title", "Tên vị trí việc làm", "text", 44),
    Column("rank_codes", "Ngạch tương ứng (mã, cách nhau bởi dấu phẩy)", "ranks", 22),
    Column("objective", "Mục tiêu vị trí việc làm", "text", 50),
    Column("source", "Căn cứ", "text", 32),
)
TASK_COLUMNS: tuple[Column, ...] = (
    Column("position", "Mã vị trí", "text", 14),
    Column("description", "Nhiệm vụ", "text", 60),
    Column("output_name", "Sản phẩm đầu ra", "text", 40),
    Column("unit_of_measure", "Đơn vị tính", "text", 14),
)
REQUIREMENT_COLUMNS: tuple[Column, ...] = (
    Column("position", "Mã vị trí", "text", 14),
    Column("competency", "Mã năng lực", "text", 14),
    Column("level", "Mức độ yêu cầu (1-5)", "level", 14),
)
SHEETS: dict[str, tuple[Column, ...]] = {
    POSITIONS_SHEET: POSITION_COLUMNS,
    TASKS_SHEET: TASK_COLUMNS,
    REQUIREMENTS_SHEET: REQUIREMENT_COLUMNS,
}
#: the column every row of a sheet must be found by
KEY_FIELDS = {POSITIONS_SHEET: "code", TASKS_SHEET: "position", REQUIREMENTS_SHEET: "position"}


def _header_key(text: str) -> str:
    return fold(text).replace(" ", "")


def _aliases(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Headers match ignoring case, accents and spaces, with or without their parenthesised
    hint, and by field name (for files made by programs)."""
    found: dict[str, Column] = {}
    for column in columns:
        found[_header_key(column.header)] = column
        found[_header_key(column.header.split(" (")[0])] = column
        found[column.field] = column
    return found


ALIASES = {name: _aliases(columns) for name, columns in SHEETS.items()}


def header_of(sheet: str, name: str) -> str:
    for column in SHEETS[sheet]:
        if column.field == name:
            return column.header
    return ""


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
    #: the cells of the known columns, as read (empty cells left out)
    cells: dict[str, Any]


@dataclass
class Book:
    positions: list[SheetRow] = field(default_factory=list)
    tasks: list[SheetRow] = field(default_factory=list)
    requirements: list[SheetRow] = field(default_factory=list)


def open_workbook(content: bytes, max_bytes: int) -> Any:
    """An uploaded .xlsx opened read-only; refuses an empty, oversize or unreadable file."""
    if not content:
        raise WorkbookRefused(_l("The file is empty."))
    if len(content) > max_bytes:
        raise WorkbookRefused(
            _l("The file is larger than %(size)s MB.", size=max_bytes // (1024 * 1024))
        )
    if not content.startswith(_ZIP_MAGIC):
        raise WorkbookRefused(_l("This file is not an Excel workbook (.xlsx)."))
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises many kinds (bad archive, missing part, malformed XML...)
        raise WorkbookRefused(_l("This file is not an Excel workbook (.xlsx).")) from None


def read_workbook(content: bytes, max_bytes: int) -> Book:
    """The three sheets of an uploaded file; refuses what is not a readable .xlsx."""
    workbook = open_workbook(content, max_bytes)
    try:
        if POSITIONS_SHEET not in workbook.sheetnames:
            raise WorkbookRefused(
                _l(
                    'The workbook has no sheet "%(sheet)s": start from the template.',
                    sheet=POSITIONS_SHEET,
                )
            )
        book = Book()
        for name, target in (
            (POSITIONS_SHEET, book.positions),
            (TASKS_SHEET, book.tasks),
            (REQUIREMENTS_SHEET, book.requirements),
        ):
            if name in workbook.sheetnames:
                values = workbook[name].iter_rows(min_row=1, values_only=True)
                target.extend(_read_sheet(name, values))
        return book
    finally:
        workbook.close()


def _read_sheet(name: str, rows: Iterator[tuple[Any, ...]]) -> list[SheetRow]:
    aliases = ALIASES[name]
    header: list[Column | None] | None = None
    result: list[SheetRow] = []
    for number, values in enumerate(rows, start=1):
        if header is None:
            if not any(_blank(value) is not None for value in values):
                continue  # empty lines above the header
            header = [
                aliases.get(_header_key(str(value))) if value is not None else None
                for value in values
            ]
            _check_header(name, header)
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
                    _l(
                        'The sheet "%(sheet)s" has more than %(count)s rows; split the file.',
                        sheet=name,
                        count=MAX_ROWS,
                    )
                )
    return result


def _check_header(name: str, header: list[Column | None]) -> None:
    present = [column for column in header if column is not None]
    key = KEY_FIELDS[name]
    if key not in {column.field for column in present}:
        raise WorkbookRefused(
            _l(
                'The sheet "%(sheet)s" has no column "%(header)s": start from the template.',
                sheet=name,
                header=header_of(name, key),
            )
        )
    seen: set[str] = set()
    for column in present:
        if column.field in seen:
            raise WorkbookRefused(
                _l(
                    'The column "%(header)s" appears twice in the sheet "%(sheet)s".',
                    header=column.header,
                    sheet=name,
                )
            )
        seen.add(column.field)


def read_upload(stream: IO[bytes], max_bytes: int) -> Book:
    """Read at most ``max_bytes`` + 1 from an upload, then the workbook in it."""
    return read_workbook(stream.read(max_bytes + 1), max_bytes)


def _blank(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _rank_text(value: Any) -> str:
    """A rank code as typed. A cell Excel took for a number lost its leading zero and its
    trailing ones (01.010 became 1.01): three decimals and two digits before them give it back."""
    if isinstance(value, float) and not isinstance(value, bool):
        return f"{value:06.3f}"
    return _text(value)


_GROUP_WORDS = {fold(label): code for code, label in GROUP_VI.items()} | {
    code: code for code in GROUP_VI
}


def _convert(column: Column, value: Any) -> Any:
    """The cell as the schema would receive it from the API."""
    if column.kind == "ranks":
        return _rank_text(value)
    text = _text(value)
    if column.kind == "group":
        return _GROUP_WORDS.get(fold(text), text)
    return text


# Applying ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    #: the sheet ("" for the file as a whole)
    sheet: str
    #: the row number Excel shows (0 for the file as a whole)
    row: int
    #: the column header ("" for the row as a whole)
    column: str
    message: str


@dataclass
class ImportReport:
    #: positions in the file (rows of the "Vị trí" sheet)
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
        return len({(problem.sheet, problem.row) for problem in self.problems})

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


@dataclass
class _Entry:
    """One position of the file: its row, the rows of its tasks and requirements, what was
    read of them, and where each item of the input came from (to place the messages)."""

    row: SheetRow
    code: str
    task_rows: list[SheetRow] = field(default_factory=list)
    requirement_rows: list[SheetRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: index in the input's "requirements" -> the row it came from
    requirement_origin: list[SheetRow] = field(default_factory=list)

    def add(self, sheet: str, row: int, column: str, message: Any) -> None:
        problem = Problem(sheet, row, column, str(message))
        if problem not in self.problems:
            self.problems.append(problem)

    def locate(self, name: str) -> tuple[str, int, str]:
        """Where an input field's refusal belongs: "tasks.2.output_name" is a cell of the
        third task row, "requirements.0.level" one of the first requirement row."""
        parts = name.split(".")
        if parts[0] == "tasks" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(self.task_rows):
                return TASKS_SHEET, self.task_rows[index].number, header_of(TASKS_SHEET, parts[2])
        if parts[0] == "requirements" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(self.requirement_origin):
                column = "competency" if parts[2] == "competency_id" else parts[2]
                return (
                    REQUIREMENTS_SHEET,
                    self.requirement_origin[index].number,
                    header_of(REQUIREMENTS_SHEET, column),
                )
        column = "" if name in (FORM, "stamp") else header_of(POSITIONS_SHEET, parts[0])
        return POSITIONS_SHEET, self.row.number, column

    def merge(self, refusal: ValidationFailed | DomainError) -> None:
        found = (
            refusal.errors
            if isinstance(refusal, ValidationFailed)
            else {refusal.field: [refusal.message]}
        )
        for name, messages in found.items():
            sheet, row, column = self.locate(name)
            for message in messages:
                self.add(sheet, row, column, message)


def _cells(columns: tuple[Column, ...], row: SheetRow) -> dict[str, Any]:
    by_field = {column.field: column for column in columns}
    return {name: _convert(by_field[name], value) for name, value in row.cells.items()}


def import_catalogue(actor: Actor, book: Book, *, dry_run: bool) -> ImportReport:
    """Check and apply every position inside a savepoint; keep the changes only when every row
    passed and this is not a dry run. The caller commits (the request wrapper)."""
    report = ImportReport(rows=len(book.positions), dry_run=dry_run)
    if not can_manage_dictionary(actor):
        report.problems.append(
            Problem("", 0, "", str(_l("Only administrators may change the catalogue.")))
        )
        return report
    entries = _entries(book, report)
    competencies = queries.competencies_by_code()
    existing = queries.framework_positions_by_code(entry.code for entry in entries)
    schema = FrameworkPositionInput()
    savepoint = db.session.begin_nested()
    try:
        for entry in entries:
            _import_position(actor, entry, existing.get(entry.code), competencies, schema, report)
            report.problems.extend(entry.problems)
    except BaseException:
        savepoint.rollback()
        raise
    report.problems.sort(key=lambda p: (list(SHEETS).index(p.sheet) if p.sheet else -1, p.row))
    if report.ok and not dry_run:
        savepoint.commit()
        record_event(
            db.session(),
            "positions.catalogue_import",
            "framework_positions",
            details={"rows": report.rows, "created": report.created, "updated": report.updated},
        )
        db.session.flush()
    else:
        savepoint.rollback()
    return report


def _entries(book: Book, report: ImportReport) -> list[_Entry]:
    """The file's positions with their task and requirement rows; rows that name no position
    of the "Vị trí" sheet, and positions named twice, are problems."""
    entries: list[_Entry] = []
    rows_of: dict[str, list[int]] = {}
    by_code: dict[str, _Entry] = {}
    for row in book.positions:
        code = _text(row.cells["code"]).upper() if "code" in row.cells else ""
        entry = _Entry(row=row, code=code)
        entries.append(entry)
        if code:
            rows_of.setdefault(code, []).append(row.number)
            by_code.setdefault(code, entry)
    for entry in entries:
        twice = [n for n in rows_of.get(entry.code, []) if n != entry.row.number]
        if twice:
            entry.add(
                POSITIONS_SHEET,
                entry.row.number,
                header_of(POSITIONS_SHEET, "code"),
                _l(
                    "This code is also on row(s) %(rows)s of the sheet.",
                    rows=", ".join(str(n) for n in twice),
                ),
            )
    for sheet, rows, target in (
        (TASKS_SHEET, book.tasks, "task_rows"),
        (REQUIREMENTS_SHEET, book.requirements, "requirement_rows"),
    ):
        for row in rows:
            code = _text(row.cells["position"]).upper() if "position" in row.cells else ""
            owner = by_code.get(code)
            if owner is None:
                message = (
                    _l("Give the code of the position.")
                    if not code
                    else _l(
                        'No position has this code in the sheet "%(sheet)s".', sheet=POSITIONS_SHEET
                    )
                )
                report.problems.append(
                    Problem(sheet, row.number, header_of(sheet, "position"), str(message))
                )
            else:
                getattr(owner, target).append(row)
    return entries


def _import_position(
    actor: Actor,
    entry: _Entry,
    position: FrameworkPosition | None,
    competencies: dict[str, Competency],
    schema: FrameworkPositionInput,
    report: ImportReport,
) -> None:
    data: dict[str, Any] = _cells(POSITION_COLUMNS, entry.row)
    if entry.task_rows or position is None:
        data["tasks"] = [
            {k: v for k, v in _cells(TASK_COLUMNS, row).items() if k != "position"}
            for row in entry.task_rows
        ]
    else:  # no task rows in the file: the position keeps its tasks
        data["tasks"] = [
            {
                "description": task.description,
                "output_name": task.output_name,
                "unit_of_measure": task.unit_of_measure,
            }
            for task in position.tasks
        ]
    if entry.requirement_rows or position is None:
        data["requirements"] = []
        for row in entry.requirement_rows:
            cells = _cells(REQUIREMENT_COLUMNS, row)
            code = str(cells.get("competency", "")).upper()
            competency = competencies.get(code)
            if competency is None:
                entry.add(
                    REQUIREMENTS_SHEET,
                    row.number,
                    header_of(REQUIREMENTS_SHEET, "competency"),
                    _l("Give the code of a competency of the dictionary.")
                    if not code
                    else _l("No competency of the dictionary has this code."),
                )
                if "level" not in cells:
                    entry.add(
                        REQUIREMENTS_SHEET,
                        row.number,
                        header_of(REQUIREMENTS_SHEET, "level"),
                        _l("This field is required."),
                    )
                continue
            data["requirements"].append(
                {"competency_id": competency.id, "level": cells.get("level")}
            )
            entry.requirement_origin.append(row)
    else:  # no requirement rows in the file: the position keeps its levels
        data["requirements"] = [
            {"competency_id": r.competency_id, "level": r.level} for r in position.requirements
        ]
    try:
        loaded = load(schema, data)
    except ValidationFailed as failure:
        entry.merge(failure)
        return
    if entry.problems:
        return
    if position is not None and _same(position, loaded):
        report.unchanged += 1
        return
    try:
        _apply(
            (lambda: services.create_framework_position(actor, loaded))
            if position is None
            else (lambda: services.update_framework_position(actor, position, loaded))
        )
    except (ValidationFailed, DomainError) as refusal:
        entry.merge(refusal)
        return
    if position is None:
        report.created += 1
    else:
        report.updated += 1


def _same(position: FrameworkPosition, loaded: dict[str, Any]) -> bool:
    """Whether saving ``loaded`` would change nothing of the position."""
    return (
        position.code == loaded["code"].strip().upper()
        and position.grp == loaded["group"]
        and position.title == loaded["title"]
        and position.rank_list == loaded["rank_codes"]
        and position.objective == loaded.get("objective")
        and position.source == loaded.get("source")
        and [(t.description, t.output_name, t.unit_of_measure) for t in position.tasks]
        == [
            (t["description"], t.get("output_name"), t.get("unit_of_measure"))
            for t in loaded["tasks"]
        ]
        and sorted((r.competency_id, r.level) for r in position.requirements)
        == sorted((r["competency_id"], r["level"]) for r in loaded["requirements"])
    )


def _apply(action: Callable[[], Any]) -> None:
    """One position in its own savepoint: a refused one leaves nothing behind, and the rows
    after it are still checked."""
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


def _sheet(workbook: Workbook, name: str, columns: tuple[Column, ...]) -> Any:
    sheet = workbook.create_sheet(name)
    sheet.freeze_panes = "B2"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind == "ranks" or column.field in ("code", "position", "competency"):
            # typed as text: Excel would turn 01.010 into the number 1.01
            sheet.column_dimensions[letter].number_format = "@"
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font = _BOLD
        header.fill = _HEADER_FILL
        header.alignment = _WRAP
    return sheet


def _validate(sheet: Any, columns: tuple[Column, ...], name: str, formula: str) -> None:
    letter = get_column_letter([c.field for c in columns].index(name) + 1)
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Giá trị không hợp lệ",
        error="Chọn một giá trị trong danh sách.",
    )
    validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
    sheet.data_validations.append(validation)


def _workbook(positions: list[FrameworkPosition]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    main = _sheet(workbook, POSITIONS_SHEET, POSITION_COLUMNS)
    _validate(main, POSITION_COLUMNS, "group", '"' + ",".join(GROUP_VI.values()) + '"')
    tasks = _sheet(workbook, TASKS_SHEET, TASK_COLUMNS)
    requirements = _sheet(workbook, REQUIREMENTS_SHEET, REQUIREMENT_COLUMNS)
    _validate(requirements, REQUIREMENT_COLUMNS, "level", '"1,2,3,4,5"')
    competencies = queries.competency_rows(today())
    codes = {row.competency.id: row.competency.code for row in competencies}
    for position in positions:
        main.append(
            [
                position.code,
                GROUP_VI[position.grp],
                position.title,
                ", ".join(position.rank_list),
                position.objective,
                position.source,
            ]
        )
        for task in position.tasks:
            tasks.append([position.code, task.description, task.output_name, task.unit_of_measure])
        for requirement in sorted(
            position.requirements, key=lambda r: codes.get(r.competency_id, "")
        ):
            requirements.append(
                [position.code, codes[requirement.competency_id], requirement.level]
            )
    dictionary = workbook.create_sheet(DICTIONARY_SHEET)
    for index, (header, width) in enumerate(
        (("Mã năng lực", 14), ("Nhóm năng lực", 28), ("Tên năng lực", 50), ("Còn sử dụng", 12)),
        start=1,
    ):
        dictionary.column_dimensions[get_column_letter(index)].width = width
        cell = dictionary.cell(row=1, column=index, value=header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for row in competencies:
        dictionary.append(
            [
                row.competency.code,
                FAMILY_VI[row.competency.family],
                row.version.name if row.version else "",
                "Có" if row.competency.active else "Không",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """The three empty sheets, and the dictionary's codes to fill the "Năng lực" sheet with."""
    return _workbook([])


def export_workbook(group: str | None = None, q: str | None = None) -> bytes:
    """The catalogue positions of the list's filters in the template's sheets, so the file can
    be edited and imported again. A fixed number of queries."""
    positions = queries.framework_positions_with_contents(queries.framework_positions(group, q))
    return _workbook(positions)
