"""Excel exchange of a unit's position plan: the export of a plan version (positions, their
tasks and outputs, competency requirements and rank-ratio limits, with Vietnamese headers) and
the import of positions into a draft plan through the same schema and services as the forms.

An import is all or nothing, like the catalogue's (``positions.exchange``, whose reading helpers
this reuses): every row is checked, every problem reported with its sheet, row and column, and
the changes are kept only when no row failed and it is not a dry run. A position whose code is
already in the plan is replaced by the file's (its tasks, requirements and limits as a whole);
positions of the plan that the file does not name are left as they are.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook  # type: ignore[import-untyped]

from hrms.core.audit import record_event
from hrms.core.dates import today
from hrms.core.errors import FORM, DomainError, ValidationFailed
from hrms.core.schemas import load
from hrms.core.security import Actor
from hrms.extensions import db
from positions import queries, services
from positions.exchange import (
    _GROUP_WORDS,
    GROUP_VI,
    MAX_ROWS,
    Column,
    ImportReport,
    Problem,
    SheetRow,
    WorkbookRefused,
    _apply,
    _blank,
    _header_key,
    _rank_text,
    _sheet,
    _text,
    _validate,
    open_workbook,
)
from positions.models import PositionOutput, PositionPlan, UnitPosition
from positions.policies import can_draft_plan
from positions.schemas import UnitPositionCreate, UnitPositionUpdate

POSITIONS_SHEET = "Vị trí"
TASKS_SHEET = "Nhiệm vụ"
REQUIREMENTS_SHEET = "Năng lực"
LIMITS_SHEET = "Tỷ lệ ngạch"

POSITION_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã vị trí", "text", 12),
    Column("name", "Tên vị trí việc làm", "text", 40),
    Column("grp", "Nhóm vị trí", "group", 24),
    Column("rank_codes", "Ngạch tương ứng (mã, cách nhau bởi dấu phẩy)", "ranks", 22),
    Column("headcount", "Số lượng người làm việc", "number", 12),
    Column("education_code", "Trình độ tối thiểu (mã)", "text", 14),
    Column("objective", "Mục tiêu vị trí việc làm", "text", 40),
    Column("evaluation_criteria", "Tiêu chí đánh giá", "text", 32),
    Column("internal_relations", "Quan hệ bên trong", "text", 28),
    Column("external_relations", "Quan hệ bên ngoài", "text", 28),
    Column("authority", "Phạm vi quyền hạn", "text", 28),
    Column("working_conditions", "Điều kiện làm việc", "text", 28),
    Column("qualifications", "Trình độ đào tạo", "text", 28),
    Column("experience", "Kinh nghiệm công tác", "text", 24),
    Column("qualities", "Phẩm chất cá nhân", "text", 24),
)
TASK_COLUMNS: tuple[Column, ...] = (
    Column("position", "Mã vị trí", "text", 12),
    Column("task", "STT nhiệm vụ", "number", 10),
    Column("description", "Nhiệm vụ", "text", 50),
    Column("name", "Sản phẩm đầu ra", "text", 36),
    Column("unit_of_measure", "Đơn vị tính", "text", 14),
    Column("conversion_factor", "Hệ số quy đổi", "number", 12),
    Column("monthly_quantity", "Số lượng/tháng", "number", 12),
)
REQUIREMENT_COLUMNS: tuple[Column, ...] = (
    Column("position", "Mã vị trí", "text", 12),
    Column("competency", "Mã năng lực", "text", 14),
    Column("competency_name", "Tên năng lực", "text", 40),
    Column("level", "Mức độ yêu cầu (1-5)", "number", 14),
)
LIMIT_COLUMNS: tuple[Column, ...] = (
    Column("position", "Mã vị trí", "text", 12),
    Column("rank_code", "Mã ngạch", "ranks", 12),
    Column("max_percent", "Tỷ lệ tối đa (%)", "number", 14),
)
SHEETS: dict[str, tuple[Column, ...]] = {
    POSITIONS_SHEET: POSITION_COLUMNS,
    TASKS_SHEET: TASK_COLUMNS,
    REQUIREMENTS_SHEET: REQUIREMENT_COLUMNS,
    LIMITS_SHEET: LIMIT_COLUMNS,
}
KEY_FIELDS = {POSITIONS_SHEET: "code"} | {
    name: "position" for name in (TASKS_SHEET, REQUIREMENTS_SHEET, LIMITS_SHEET)
}


def _aliases(columns: tuple[Column, ...]) -> dict[str, Column]:
    found: dict[str, Column] = {}
    for column in columns:
        found[_header_key(column.header)] = column
        found[_header_key(column.header.split(" (")[0])] = column
        found[column.field] = column
    return found


ALIASES = {name: _aliases(columns) for name, columns in SHEETS.items()}


def header_of(sheet: str, name: str) -> str:
    return next((c.header for c in SHEETS[sheet] if c.field == name), "")


# Reading ------------------------------------------------------------------------------------


@dataclass
class PlanBook:
    sheets: dict[str, list[SheetRow]] = field(default_factory=dict)

    def rows(self, sheet: str) -> list[SheetRow]:
        return self.sheets.get(sheet, [])


def read_workbook(content: bytes, max_bytes: int) -> PlanBook:
    """The sheets of an uploaded plan workbook; refuses what is not a readable .xlsx."""
    workbook = open_workbook(content, max_bytes)
    try:
        if POSITIONS_SHEET not in workbook.sheetnames:
            raise WorkbookRefused(
                _l(
                    'The workbook has no sheet "%(sheet)s": start from an exported plan.',
                    sheet=POSITIONS_SHEET,
                )
            )
        book = PlanBook()
        for name in SHEETS:
            if name in workbook.sheetnames:
                values = workbook[name].iter_rows(min_row=1, values_only=True)
                book.sheets[name] = _read_sheet(name, values)
        return book
    finally:
        workbook.close()


def read_upload(stream: IO[bytes], max_bytes: int) -> PlanBook:
    return read_workbook(stream.read(max_bytes + 1), max_bytes)


def _read_sheet(name: str, rows: Iterator[tuple[Any, ...]]) -> list[SheetRow]:
    aliases = ALIASES[name]
    header: list[Column | None] | None = None
    result: list[SheetRow] = []
    for number, values in enumerate(rows, start=1):
        if header is None:
            if not any(_blank(value) is not None for value in values):
                continue
            header = [
                aliases.get(_header_key(str(value))) if value is not None else None
                for value in values
            ]
            present = {column.field for column in header if column is not None}
            if KEY_FIELDS[name] not in present:
                raise WorkbookRefused(
                    _l(
                        'The sheet "%(sheet)s" has no column "%(header)s": start from an '
                        "exported plan.",
                        sheet=name,
                        header=header_of(name, KEY_FIELDS[name]),
                    )
                )
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


def _convert(column: Column, value: Any) -> Any:
    if column.kind == "ranks":
        return _rank_text(value)
    text = _text(value)
    if column.kind == "group":
        from hrms.core.text import fold

        return _GROUP_WORDS.get(fold(text), text)
    return text


def _cells(sheet: str, row: SheetRow) -> dict[str, Any]:
    by_field = {column.field: column for column in SHEETS[sheet]}
    return {name: _convert(by_field[name], value) for name, value in row.cells.items()}


# Applying ----------------------------------------------------------------------------------


@dataclass
class _Entry:
    """One position of the file and the rows each item of its input came from."""

    row: SheetRow
    code: str
    task_rows: list[SheetRow] = field(default_factory=list)
    requirement_rows: list[SheetRow] = field(default_factory=list)
    limit_rows: list[SheetRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: task index -> its first row; (task index, output index) -> the output's row
    task_origin: list[SheetRow] = field(default_factory=list)
    output_origin: dict[tuple[int, int], SheetRow] = field(default_factory=dict)

    def add(self, sheet: str, row: int, column: str, message: Any) -> None:
        problem = Problem(sheet, row, column, str(message))
        if problem not in self.problems:
            self.problems.append(problem)

    def locate(self, name: str) -> tuple[str, int, str]:
        parts = name.split(".")
        index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1
        if parts[0] == "tasks" and 0 <= index < len(self.task_origin):
            if len(parts) >= 5 and parts[2] == "outputs" and parts[3].isdigit():
                origin = self.output_origin.get((index, int(parts[3])))
                if origin is not None:
                    return TASKS_SHEET, origin.number, header_of(TASKS_SHEET, parts[4])
            return (
                TASKS_SHEET,
                self.task_origin[index].number,
                header_of(TASKS_SHEET, "description"),
            )
        if parts[0] == "requirements" and 0 <= index < len(self.requirement_rows):
            column = "competency" if parts[-1] == "competency_version_id" else parts[-1]
            return (
                REQUIREMENTS_SHEET,
                self.requirement_rows[index].number,
                header_of(REQUIREMENTS_SHEET, column),
            )
        if parts[0] == "rank_limits" and 0 <= index < len(self.limit_rows):
            return LIMITS_SHEET, self.limit_rows[index].number, header_of(LIMITS_SHEET, parts[-1])
        column = "" if name in (FORM, "version") else header_of(POSITIONS_SHEET, parts[0])
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


def import_plan(actor: Actor, plan: PositionPlan, book: PlanBook, *, dry_run: bool) -> ImportReport:
    """Check and apply every position of the file inside a savepoint; keep the changes only when
    every row passed and this is not a dry run. The caller commits (the request wrapper)."""
    report = ImportReport(rows=len(book.rows(POSITIONS_SHEET)), dry_run=dry_run)
    unit = queries.unit_row(plan.unit_id)
    if unit is None or not can_draft_plan(actor, unit.path):
        report.problems.append(
            Problem("", 0, "", str(_l("You may not draft the position plan of this unit.")))
        )
        return report
    if not plan.editable:
        report.problems.append(
            Problem("", 0, "", str(_l("Positions can be imported only into a draft plan.")))
        )
        return report
    entries = _entries(book, report)
    existing = {p.code: p for p in queries.plan_positions(plan.id, full=True)}
    in_force = queries.versions_in_force(today())
    competencies = {c.code: c for c in queries.competencies_by_id(in_force).values()}
    savepoint = db.session.begin_nested()
    try:
        for entry in entries:
            _import_position(
                actor, plan, entry, existing.get(entry.code), competencies, in_force, report
            )
            report.problems.extend(entry.problems)
    except BaseException:
        savepoint.rollback()
        raise
    order = list(SHEETS)
    report.problems.sort(key=lambda p: (order.index(p.sheet) if p.sheet else -1, p.row))
    if report.ok and not dry_run:
        savepoint.commit()
        record_event(
            db.session(),
            "positions.plan_import",
            "position_plans",
            plan.id,
            details={"rows": report.rows, "created": report.created, "updated": report.updated},
            subject=f"position_plans:{plan.id}",
        )
        db.session.flush()
    else:
        savepoint.rollback()
        db.session.expire_all()
    return report


def _entries(book: PlanBook, report: ImportReport) -> list[_Entry]:
    entries: list[_Entry] = []
    by_code: dict[str, _Entry] = {}
    for row in book.rows(POSITIONS_SHEET):
        code = _text(row.cells["code"]).upper() if "code" in row.cells else ""
        entry = _Entry(row=row, code=code)
        if code in by_code:
            entry.add(
                POSITIONS_SHEET,
                row.number,
                header_of(POSITIONS_SHEET, "code"),
                _l(
                    "This code is also on row %(row)s of the sheet.",
                    row=by_code[code].row.number,
                ),
            )
        elif code:
            by_code[code] = entry
        entries.append(entry)
    for sheet, target in (
        (TASKS_SHEET, "task_rows"),
        (REQUIREMENTS_SHEET, "requirement_rows"),
        (LIMITS_SHEET, "limit_rows"),
    ):
        for row in book.rows(sheet):
            code = _text(row.cells["position"]).upper() if "position" in row.cells else ""
            owner = by_code.get(code)
            if owner is None:
                message = (
                    _l("Give the code of the position.")
                    if not code
                    else _l(
                        'No position has this code in the sheet "%(sheet)s".',
                        sheet=POSITIONS_SHEET,
                    )
                )
                report.problems.append(
                    Problem(sheet, row.number, header_of(sheet, "position"), str(message))
                )
            else:
                getattr(owner, target).append(row)
    return entries


def _tasks(entry: _Entry) -> list[dict[str, Any]]:
    """Rows with the same task number are one task (its description from the first row); each
    row with an output adds it to the task. A row without a number is a task of its own."""
    tasks: list[dict[str, Any]] = []
    numbered: dict[str, int] = {}
    for row in entry.task_rows:
        cells = _cells(TASKS_SHEET, row)
        key = cells.get("task")
        index = numbered.get(key) if key else None
        if index is None:
            index = len(tasks)
            if key:
                numbered[key] = index
            tasks.append({"description": cells.get("description", ""), "outputs": []})
            entry.task_origin.append(row)
        output = {
            name: cells[name]
            for name in ("name", "unit_of_measure", "conversion_factor", "monthly_quantity")
            if name in cells
        }
        if output:
            entry.output_origin[(index, len(tasks[index]["outputs"]))] = row
            tasks[index]["outputs"].append(output)
    return tasks


def _import_position(
    actor: Actor,
    plan: PositionPlan,
    entry: _Entry,
    position: UnitPosition | None,
    competencies: dict[str, Any],
    in_force: dict[int, Any],
    report: ImportReport,
) -> None:
    if entry.problems:
        return
    data: dict[str, Any] = _cells(POSITIONS_SHEET, entry.row)
    data["tasks"] = _tasks(entry)
    requirements = []
    for row in entry.requirement_rows:
        cells = _cells(REQUIREMENTS_SHEET, row)
        code = cells.get("competency", "").upper()
        competency = competencies.get(code)
        if competency is None:
            entry.add(
                REQUIREMENTS_SHEET,
                row.number,
                header_of(REQUIREMENTS_SHEET, "competency"),
                _l("No competency of the dictionary in force today has this code."),
            )
            requirements.append({"competency_version_id": 0, "level": cells.get("level", "")})
            continue
        version = in_force[competency.id]
        requirements.append({"competency_version_id": version.id, "level": cells.get("level", "")})
    data["requirements"] = requirements
    data["rank_limits"] = [_cells(LIMITS_SHEET, row) for row in entry.limit_rows]
    try:
        if position is None:
            loaded = load(UnitPositionCreate(), data)
        else:
            loaded = load(UnitPositionUpdate(), data | {"version": position.version})
    except ValidationFailed as refusal:
        entry.merge(refusal)
        return
    if entry.problems:
        return
    # what the file leaves empty is cleared, as in the form
    blanks: dict[str, Any] = {n: None for n in services.POSITION_COLUMNS if n not in loaded}
    if "rank_codes" not in loaded:
        blanks["rank_codes"] = []
    try:
        if position is None:
            _apply(lambda: services.add_position(actor, plan, loaded))
            report.created += 1
        else:
            current = position
            _apply(lambda: services.update_position(actor, current, blanks | loaded))
            report.updated += 1
    except (ValidationFailed, DomainError) as refusal:
        entry.merge(refusal)


# Writing ------------------------------------------------------------------------------------


def _number(value: Any) -> Any:
    return None if value is None else float(value)


def export_plan(plan_id: int) -> bytes:
    """The plan version's positions in the import's sheets (the import reads the file back
    unchanged into a draft). A fixed number of queries."""
    positions = queries.plan_positions(plan_id, full=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    main = _sheet(workbook, POSITIONS_SHEET, POSITION_COLUMNS)
    _validate(main, POSITION_COLUMNS, "grp", '"' + ",".join(GROUP_VI.values()) + '"')
    tasks = _sheet(workbook, TASKS_SHEET, TASK_COLUMNS)
    requirements = _sheet(workbook, REQUIREMENTS_SHEET, REQUIREMENT_COLUMNS)
    _validate(requirements, REQUIREMENT_COLUMNS, "level", '"1,2,3,4,5"')
    limits = _sheet(workbook, LIMITS_SHEET, LIMIT_COLUMNS)
    for position in positions:
        main.append(
            [
                position.code,
                position.name,
                GROUP_VI[position.grp],
                ", ".join(position.rank_list),
                position.headcount,
                *(getattr(position, c.field) for c in POSITION_COLUMNS[5:]),
            ]
        )
        for task in position.tasks:
            rows: list[PositionOutput | None] = [*task.outputs] or [None]
            for output in rows:
                tasks.append(
                    [
                        position.code,
                        task.ordinal,
                        task.description,
                        output.name if output else None,
                        output.unit_of_measure if output else None,
                        _number(output.conversion_factor) if output else None,
                        _number(output.monthly_quantity) if output else None,
                    ]
                )
        for requirement in sorted(
            position.requirements, key=lambda r: r.competency_version.competency.code
        ):
            version = requirement.competency_version
            requirements.append(
                [position.code, version.competency.code, version.name, requirement.level]
            )
        for limit in position.rank_limits:
            limits.append([position.code, limit.rank_code, limit.max_percent])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
