"""Build a province-sized dataset once and cache it (issue 8).

The schema is the real one (the migrations run first); the rows go in through the models' own
tables with SQLAlchemy Core inserts of many rows at once, streamed in chunks so memory stays
flat; every derived column is filled by the project's own functions, as the services would
(folded names and their search keys, the employment columns cached from the decisions ledger by
``derive_state``, the next raise and retirement date kept on the dossier by
``hrms.salary.schedule``, review scores by ``hrms.reviews.scoring``).

    python -m bench.build --size 100000            # SQLite, cached under bench/data/
    HRMS_BENCH_DATABASE_URL=postgresql+psycopg://... python -m bench.build --size 100000

What is built (at SIZE=100,000; smaller sizes scale down):
- 2,000 units: the provincial People's Committee, 20 departments (Sở) with 7 divisions and 20
  public service units each (those with 3 sub-divisions), and communes;
- SIZE dossiers with the 2C items filled in, about 10 decisions each (recruitment, salary steps,
  promotions, rotations, appointments, rewards, leave, discipline, placements), families,
  training and attachment metadata, and one creation entry each in the audit log;
- 5,000 positions in the approved plans of the departments and their divisions, people placed
  in them (placement decisions in their ledgers), the heads' competency assessments;
- twelve monthly review periods for the civil servants of the departments (about a tenth of the
  staff): past months finalised, the current one under way in every state;
- accounts: ``officer`` (personnel officer of the whole province) and ``head`` (unit head of a
  department), password ``BENCH_PASSWORD``.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import json
import os
import random
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hrms.core.text import fold, normalize_spaces
from hrms.demo import (
    GIVEN,
    MIDDLE,
    PLACES,
    PROFILES,
    RANKS,
    SCHOOLS,
    SURNAMES,
    UNPLACED_PLAN,
    WARDS,
    _delivery,
    _general,
)
from hrms.employees.models import name_keys
from hrms.employees.services import LedgerState, apply_state, derive_state
from hrms.reports import headcount
from hrms.reviews.scoring import OutputResult, score
from hrms.reviews.services import balanced_weights, breakdown_json
from hrms.salary.raises import Ledger
from hrms.salary.schedule import planned_raise, planned_retirement

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"
BENCH_PASSWORD = "bench-password-2026"  # noqa: S105 (a benchmark account, local data)
SEED = 20261123
#: employees written per chunk (all their rows are generated, inserted and dropped together)
CHUNK = 2_000
#: the province-scale shape at SIZE=100,000
UNITS = 2_000
DEPARTMENTS = 20
DIVISIONS_PER_DEPARTMENT = 7
PSUS_PER_DEPARTMENT = 20
SUBDIVISIONS_PER_PSU = 3
POSITIONS_AT_100K = 5_000
REVIEW_SHARE = 0.10
REVIEW_MONTHS = 12
#: employees per unit kind (relative): the department's board, a division, a centre's board,
#: a centre's sub-division (teachers, doctors...), a commune
WEIGHTS = {"department": 15, "division": 45, "psu": 10, "psu_division": 35, "commune": 20}

PROVINCE_NAME = "Ủy ban nhân dân tỉnh Ninh Bình"
DEPARTMENT_NAMES = [
    "Sở Nội vụ", "Sở Tài chính", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Xây dựng",
    "Sở Công Thương", "Sở Nông nghiệp và Môi trường", "Sở Tư pháp", "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo", "Văn phòng Ủy ban nhân dân tỉnh",
    "Thanh tra tỉnh", "Sở Ngoại vụ", "Ban Quản lý các khu công nghiệp",
    "Ban Quản lý dự án đầu tư xây dựng", "Đài Phát thanh và Truyền hình",
    "Ban Quản lý Quần thể danh thắng Tràng An", "Trường Chính trị tỉnh",
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
]  # fmt: skip
DIVISION_NAMES = [
    "Văn phòng", "Thanh tra", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính",
    "Phòng Quản lý chuyên ngành", "Phòng Pháp chế", "Phòng Nghiệp vụ",
]  # fmt: skip
PSU_NAMES = [
    "Trung tâm Dịch vụ công", "Trường Trung học phổ thông", "Bệnh viện đa khoa khu vực",
    "Trung tâm Kiểm định", "Trung tâm Thông tin", "Trung tâm Lưu trữ", "Trường Cao đẳng",
    "Trung tâm Y tế", "Trung tâm Khuyến nông", "Thư viện",
]  # fmt: skip
PSU_DIVISION_NAMES = ["Phòng Hành chính - Tổng hợp", "Khoa Chuyên môn", "Phòng Nghiệp vụ"]
COMMUNE_PREFIXES = ["Xã", "Phường"]
COMMUNE_NAMES = [
    "Gia Viễn", "Nho Quan", "Yên Mô", "Kim Sơn", "Hoa Lư", "Tam Điệp", "Yên Khánh", "Gia Sinh",
    "Gia Hưng", "Gia Phong", "Đại Hoàng", "Phú Sơn", "Cúc Phương", "Thanh Sơn", "Quỳnh Lưu",
    "Lai Thành", "Định Hóa", "Bình Minh", "Kim Đông", "Chất Bình", "Trường Yên", "Ninh Phúc",
]  # fmt: skip

REWARDS = [
    "Giấy khen của Giám đốc Sở",
    "Bằng khen của Chủ tịch UBND tỉnh",
    "Chiến sĩ thi đua cơ sở",
]
LEADER_TITLES = ["Trưởng phòng", "Phó Trưởng phòng", "Chánh Văn phòng", "Phó Giám đốc"]
CONCURRENT_COURSES = [
    ("Trường Chính trị tỉnh Ninh Bình", "Trung cấp lý luận chính trị - hành chính", "Tại chức",
     "Trung cấp"),
    ("Học viện Hành chính Quốc gia", "Bồi dưỡng ngạch chuyên viên chính", "Bồi dưỡng",
     "Chứng chỉ"),
    ("Trường Đại học Kinh tế Quốc dân", "Quản lý kinh tế", "Vừa làm vừa học", "Thạc sĩ"),
]  # fmt: skip
ATTACHMENT_KINDS = [
    ("curriculum_vitae", "so-yeu-ly-lich.pdf", "Sơ yếu lý lịch"),
    ("diploma", "bang-dai-hoc.pdf", "Bằng tốt nghiệp đại học"),
    ("decision", "quyet-dinh-tuyen-dung.pdf", "Quyết định tuyển dụng"),
]


# Cache --------------------------------------------------------------------------------------


def fingerprint() -> str:
    """What the dataset depends on: the migrations (the schema and its seeds) and this file."""
    digest = hashlib.sha256()
    sources = sorted((PROJECT_DIR / "migrations" / "versions").glob("*.py"))
    for path in [*sources, Path(__file__).resolve()]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def sqlite_cache(size: int) -> Path:
    return DATA_DIR / f"{size}-sqlite-{fingerprint()}.sqlite3"


def _marker(size: int, url: str) -> Path:
    name = hashlib.sha256(url.encode()).hexdigest()[:10]
    return DATA_DIR / f"{size}-postgresql-{name}.built"


def peak_memory_mb() -> float:
    """Peak resident memory of this process (ru_maxrss is in kilobytes on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# The application ----------------------------------------------------------------------------


def make_app(url: str) -> Any:
    os.environ.setdefault("HRMS_INSTANCE_PATH", str(DATA_DIR / "instance"))
    os.environ.setdefault("HRMS_SECRET_KEY", "bench-secret-key-" + "x" * 40)
    os.environ["HRMS_DATABASE_URL"] = url
    from hrms.app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )


def ensure(size: int, url: str | None = None, *, rebuild: bool = False, quiet: bool = False) -> str:
    """The database URL of a dataset of ``size`` people, built unless cached."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    say = (lambda *_a: None) if quiet else print
    if url is None:
        path = sqlite_cache(size)
        if path.exists() and not rebuild:
            say(f"dataset: cached {path.relative_to(PROJECT_DIR)}")
            return f"sqlite:///{path}"
        for stale in DATA_DIR.glob(f"{size}-sqlite-*"):
            stale.unlink()
        building = path.with_suffix(".building")
        for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
            leftover.unlink(missing_ok=True)
        build(f"sqlite:///{building}", size, say)
        building.rename(path)
        return f"sqlite:///{path}"
    marker = _marker(size, url)
    if marker.exists() and marker.read_text() == fingerprint() and not rebuild:
        say(f"dataset: cached in {url.rsplit('/', 1)[-1]}")
        return url
    marker.unlink(missing_ok=True)
    build(url, size, say)
    marker.write_text(fingerprint())
    return url


def _empty_postgresql(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def build(url: str, size: int, say: Any = print) -> None:
    started, started_cpu = time.perf_counter(), time.process_time()
    if url.startswith("postgresql"):
        _empty_postgresql(url)
    app = make_app(url)
    from flask_migrate import upgrade

    from hrms.extensions import db

    with app.app_context():
        upgrade()
        say(f"migrations: {time.perf_counter() - started:.1f} s")
        with db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                raw = connection.connection.dbapi_connection  # outside any transaction
                raw.execute("PRAGMA synchronous=OFF")
                raw.execute("PRAGMA cache_size=-65536")
            with connection.begin():
                counts = Generator(connection, size).run(say)
            if connection.dialect.name == "postgresql":
                with connection.begin():
                    _reset_sequences(connection)
                    connection.exec_driver_sql("ANALYZE")
            else:
                raw = connection.connection.dbapi_connection
                raw.execute("ANALYZE")
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()
    elapsed = time.perf_counter() - started
    say(
        "built: "
        + ", ".join(f"{n:,} {name}" for name, n in counts.items())
        + f" in {elapsed:.1f} s ({time.process_time() - started_cpu:.1f} s of CPU in this process),"
        + f" peak memory {peak_memory_mb():.0f} MB"
    )


def _reset_sequences(connection: Any) -> None:
    """Explicit ids were inserted: move each id sequence past them."""
    from sqlalchemy import text

    from hrms.core.db import Base

    for table in Base.metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        name = table.name
        sequence = f"pg_get_serial_sequence('{name}', 'id')"
        highest = f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1"  # noqa: S608 (table names)
        connection.execute(text(f"SELECT setval({sequence}, {highest}, false)"))


# The generator -------------------------------------------------------------------------------


@dataclass
class UnitRow:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    path: str
    depth: int
    founded: dt.date
    #: the department it belongs to (itself for a department)
    department_id: int | None = None
    #: people to place in it
    people: int = 0
    #: the civil servants of a department (and its divisions) reviewed monthly
    reviewed: bool = False
    #: approved plan: its positions
    positions: list[PositionRow] = field(default_factory=list)
    siblings: list[int] = field(default_factory=list)


@dataclass
class PositionRow:
    id: int
    grp: str
    ranks: list[str]
    headcount: int
    #: [(output id, task description, output name, unit of measure)]
    outputs: list[tuple[int, str, str, str]]
    #: [(competency id, competency version id, level)]
    requirements: list[tuple[int, int, int]]
    room: int = 0


class Ids:
    """Explicit ids per table, so that rows can refer to each other before they are written."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def next(self, table: str) -> int:
        self.last[table] = self.last.get(table, 0) + 1
        return self.last[table]


def _months_after(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


class Generator:
    def __init__(self, connection: Any, size: int) -> None:
        from hrms.core.dates import today
        from hrms.core.db import Base

        self.connection = connection
        self.size = size
        self.random = random.Random(SEED)  # noqa: S311 (reproducible data)
        self.tables = Base.metadata.tables
        self.ids = Ids()
        self.today = today()
        self.counts: dict[str, int] = {}
        self._prepared: dict[tuple[str, tuple[str, ...]], Any] = {}
        self.units: list[UnitRow] = []
        self.user_ids: dict[str, int] = {}
        self._book: Any = None
        self.retirements: dict[tuple[str, dt.date], dt.date | None] = {}

    @property
    def book(self) -> Any:
        """The salary rule data (seeded by the migrations), read once."""
        if self._book is None:
            from sqlalchemy.orm import Session

            from hrms.salary.rules import RuleBook

            self._book = RuleBook.load(Session(bind=self.connection))
        return self._book

    # writing

    def insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """One multi-row insert into a model's table: the statement is the table's own insert,
        compiled once per set of columns; values go through the column types' own bind
        processors (as SQLAlchemy would), but without its per-row bookkeeping, which costs more
        than the insert itself at this volume. Python-side column defaults (timestamps) are
        applied once per batch."""
        if not rows:
            return
        model_table = self.tables[table]
        keys = list(rows[0])
        defaults: dict[str, Any] = {}
        for column in model_table.columns:
            if column.key in rows[0] or column.default is None:
                continue
            default = column.default
            if getattr(default, "is_scalar", False):
                defaults[column.key] = default.arg  # type: ignore[attr-defined]
            elif getattr(default, "is_callable", False):
                defaults[column.key] = default.arg(None)  # type: ignore[attr-defined]
        keys += list(defaults)
        prepared = self._prepared.get((table, tuple(keys)))
        if prepared is None:
            dialect = self.connection.dialect
            statement = model_table.insert().compile(dialect=dialect, column_keys=keys)
            processors = [model_table.c[key].type._cached_bind_processor(dialect) for key in keys]
            positional = dialect.paramstyle in ("qmark", "format", "numeric")
            order = statement.positiontup if positional else None
            prepared = (str(statement), processors, positional, order)
            self._prepared[(table, tuple(keys))] = prepared
        sql, processors, positional, order = prepared
        extra = tuple(defaults.values())
        values = [(*(row[k] for k in keys[: len(keys) - len(extra)]), *extra) for row in rows]
        active = [(i, p) for i, p in enumerate(processors) if p is not None]
        if active:
            converted = []
            for row in values:
                cells = list(row)
                for i, process in active:
                    if cells[i] is not None:
                        cells[i] = process(cells[i])
                converted.append(tuple(cells))
            values = converted
        if positional:
            position = {key: index for index, key in enumerate(keys)}
            picks = [position[name] for name in order]
            if picks != list(range(len(keys))):
                values = [tuple(row[i] for i in picks) for row in values]
            self.connection.exec_driver_sql(sql, values)
        else:
            self.connection.exec_driver_sql(
                sql, [dict(zip(keys, row, strict=True)) for row in values]
            )
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def _drop_indexes(self) -> list[str]:
        """SQLite: the secondary indexes of the big tables are dropped while their rows go in
        and created again from their own DDL afterwards (sorting once beats updating a dozen
        B-trees row by row). Unique constraints declared with the tables stay in force."""
        if self.connection.dialect.name != "sqlite":
            return []
        big = (
            "employees", "employee_name_keys", "decisions", "family_members", "training_records",
            "attachments", "placements", "competency_assessments", "reviews", "review_items",
            "audit_entries",
        )  # fmt: skip
        found = [
            (name, sql)
            for name, sql, table in self.connection.exec_driver_sql(
                "SELECT name, sql, tbl_name FROM sqlite_master "
                "WHERE type = 'index' AND sql IS NOT NULL"
            )
            if table in big
        ]
        for name, _sql in found:
            self.connection.exec_driver_sql(f'DROP INDEX "{name}"')
        return [sql for _name, sql in found]

    def run(self, say: Any) -> dict[str, int]:
        clock = time.perf_counter()
        self._units()
        self._framework()
        self._plans()
        self._accounts()
        self._review_setup()
        say(f"units, plans, accounts: {time.perf_counter() - clock:.1f} s")
        written = 0
        indexes = self._drop_indexes()
        for chunk in self._people_chunks():
            self._write_people(chunk)
            written += len(chunk)
            if written % (CHUNK * 10) == 0:
                say(
                    f"  {written:,} people, {time.perf_counter() - clock:.0f} s, "
                    f"{peak_memory_mb():.0f} MB"
                )
        clock = time.perf_counter()
        for sql in indexes:
            self.connection.exec_driver_sql(sql)
        say(f"indexes rebuilt: {time.perf_counter() - clock:.1f} s")
        self._link_accounts()
        clock = time.perf_counter()
        # the statistics' aggregate the flushes keep (hrms.reports.headcount): built once here
        headcount.rebuild(self.connection)
        say(f"headcount aggregate: {time.perf_counter() - clock:.1f} s")
        return {
            name: self.counts.get(name, 0)
            for name in (
                "units",
                "employees",
                "decisions",
                "family_members",
                "training_records",
                "attachments",
                "employee_name_keys",
                "unit_positions",
                "placements",
                "competency_assessments",
                "review_periods",
                "reviews",
                "review_items",
            )
        }

    # units

    def _units(self) -> None:
        from hrms.org.services import _search_text

        root = self._unit("UBNDT", PROVINCE_NAME, "agency", None, dt.date(1992, 4, 1))
        departments = []
        for d in range(DEPARTMENTS):
            name = f"{DEPARTMENT_NAMES[d]} tỉnh Ninh Bình"
            dep = self._unit(f"S{d + 1:02d}", name, "department", root, dt.date(2008, 4, 1))
            dep.department_id = dep.id
            departments.append(dep)
            for v in range(DIVISIONS_PER_DEPARTMENT):
                div = self._unit(
                    f"S{d + 1:02d}-P{v + 1}", DIVISION_NAMES[v], "division", dep, dep.founded
                )
                div.department_id = dep.id
            for p in range(PSUS_PER_DEPARTMENT):
                psu_name = f"{PSU_NAMES[p % len(PSU_NAMES)]} số {p // len(PSU_NAMES) + 1}"
                psu = self._unit(
                    f"S{d + 1:02d}-T{p + 1:02d}",
                    psu_name,
                    "public_service_unit",
                    dep,
                    dt.date(2010, 1, 1),
                )
                psu.department_id = dep.id
                for s in range(SUBDIVISIONS_PER_PSU):
                    sub = self._unit(
                        f"{psu.code}-{s + 1}", PSU_DIVISION_NAMES[s], "division", psu, psu.founded
                    )
                    sub.department_id = dep.id
        commune = 0
        while len(self.units) < UNITS:
            prefix = COMMUNE_PREFIXES[commune % 2]
            name = f"{prefix} {COMMUNE_NAMES[commune % len(COMMUNE_NAMES)]}"
            if commune >= len(COMMUNE_NAMES):
                name += f" {commune // len(COMMUNE_NAMES) + 1}"
            self._unit(f"X{commune + 1:03d}", f"UBND {name}", "commune", root, dt.date(2025, 7, 1))
            commune += 1
        # people per unit, proportional to the weights, adding up to SIZE exactly
        kinds = [self._weight_kind(u) for u in self.units]
        weights = [WEIGHTS[k] if k else 0 for k in kinds]
        total = sum(weights)
        exact = [w * self.size / total for w in weights]
        counts = [int(x) for x in exact]
        left = self.size - sum(counts)
        for index in sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])[:left]:
            counts[index] += 1
        for unit, count in zip(self.units, counts, strict=True):
            unit.people = count
        # the departments whose civil servants are reviewed monthly: about a tenth of the staff
        target = self.size * REVIEW_SHARE
        reviewed = 0
        for dep in departments:
            if reviewed >= target:
                break
            dep.reviewed = True
            reviewed += sum(u.people for u in self._civil_units(dep))
        self.departments = departments
        self.reviewed_people = reviewed
        self.civil_ids = {d.id: {u.id for u in self._civil_units(d)} for d in departments}
        by_parent: dict[int | None, list[int]] = {}
        for unit in self.units:
            by_parent.setdefault(unit.parent_id, []).append(unit.id)
        for unit in self.units:
            unit.siblings = [i for i in by_parent[unit.parent_id] if i != unit.id]
        self.insert(
            "units",
            [
                {
                    "id": u.id,
                    "code": u.code,
                    "name": u.name,
                    "search_text": _search_text(u.name, u.code),
                    "kind": u.kind,
                    "parent_id": u.parent_id,
                    "path": u.path,
                    "depth": u.depth,
                    "effective_from": u.founded,
                    "effective_to": None,
                    "current_since": u.founded,
                    "version": 1,
                }
                for u in self.units
            ],
        )

    def _unit(
        self, code: str, name: str, kind: str, parent: UnitRow | None, founded: dt.date
    ) -> UnitRow:
        unit_id = self.ids.next("units")
        path = f"{parent.path if parent else '/'}{unit_id}/"
        unit = UnitRow(
            unit_id,
            code,
            name,
            kind,
            parent.id if parent else None,
            path,
            parent.depth + 1 if parent else 0,
            founded,
        )
        self.units.append(unit)
        return unit

    def _weight_kind(self, unit: UnitRow) -> str | None:
        if unit.kind == "agency":
            return None
        if unit.kind == "division":
            parent = self.units[unit.parent_id - 1] if unit.parent_id else None
            return "psu_division" if parent and parent.kind != "department" else "division"
        return {"department": "department", "public_service_unit": "psu", "commune": "commune"}[
            unit.kind
        ]

    def _civil_units(self, department: UnitRow) -> list[UnitRow]:
        """The department and its divisions: civil servants (the centres employ viên chức)."""
        return [
            u
            for u in self.units
            if u.id == department.id or (u.parent_id == department.id and u.kind == "division")
        ]

    def _kind_of(self, unit: UnitRow) -> str:
        if unit.kind == "commune":
            return "can_bo" if self.random.random() < 0.4 else "cong_chuc"
        if self._weight_kind(unit) in ("psu", "psu_division"):
            return "vien_chuc" if self.random.random() < 0.92 else "contract"
        return "cong_chuc"

    # the catalogue and the plans

    def _framework(self) -> None:
        from sqlalchemy import text

        c = self.connection
        self.framework = [
            SimpleNamespace(id=row[0], grp=row[1], title=row[2], ranks=row[3], objective=row[4])
            for row in c.execute(
                text(
                    "SELECT id, grp, title, rank_codes, objective FROM framework_positions "
                    "WHERE active ORDER BY id"
                )
            )
        ]
        self.framework_tasks: dict[int, list[tuple[int, str, str | None, str | None]]] = {}
        for fp_id, ordinal, description, output, measure in c.execute(
            text(
                "SELECT framework_position_id, ordinal, description, output_name, "
                "unit_of_measure FROM framework_tasks ORDER BY framework_position_id, ordinal, id"
            )
        ):
            self.framework_tasks.setdefault(fp_id, []).append(
                (ordinal, description, output, measure)
            )
        versions: dict[int, int] = {}
        for competency_id, version_id in c.execute(
            text(
                "SELECT competency_id, id FROM competency_versions WHERE effective_from <= :day "
                "ORDER BY competency_id, effective_from, number"
            ),
            {"day": self.today},
        ):
            versions[competency_id] = version_id
        self.framework_requirements: dict[int, list[tuple[int, int, int]]] = {}
        for fp_id, competency_id, level in c.execute(
            text(
                "SELECT r.framework_position_id, r.competency_id, r.level "
                "FROM framework_requirements r JOIN competencies c ON c.id = r.competency_id "
                "WHERE c.active ORDER BY r.framework_position_id, r.id"
            )
        ):
            if competency_id in versions:
                self.framework_requirements.setdefault(fp_id, []).append(
                    (competency_id, versions[competency_id], level)
                )

    def _plans(self) -> None:
        """Approved plans for the departments and their divisions, 5,000 positions in all at
        100,000 people, each position taken from the catalogue."""
        planned = [u for u in self.units if self._weight_kind(u) in ("department", "division")]
        planned = [u for u in planned if u.people > 0]
        if not planned or not self.framework:
            return
        total_positions = max(len(planned), round(POSITIONS_AT_100K * self.size / 100_000))
        people = sum(u.people for u in planned)
        leaders = [f for f in self.framework if f.grp == "leadership"] or self.framework
        others = [f for f in self.framework if f.grp != "leadership"] or self.framework
        self.effective = dt.date(2026, 7, 1)
        plans, positions, tasks, outputs, requirements = [], [], [], [], []
        for unit in planned:
            count = max(1, round(total_positions * unit.people / people))
            plan_id = self.ids.next("position_plans")
            plans.append(
                {
                    "id": plan_id,
                    "unit_id": unit.id,
                    "number": 1,
                    "previous_id": None,
                    "state": "approved",
                    "note": None,
                    "effective_on": self.effective,
                    "approval_number": f"{plan_id}/QĐ-UBND",
                    "submitted_by": None,
                    "submitted_at": _at(dt.date(2026, 6, 10)),
                    "decided_by": None,
                    "decided_at": _at(dt.date(2026, 6, 22)),
                    "decision_comment": None,
                    "version": 3,
                }
            )
            # headcounts add up to about the people of the unit (a few vacancies)
            base, extra = divmod(round(unit.people * 1.05), count)
            for index in range(count):
                framework = (
                    leaders[index % len(leaders)]
                    if index < min(2, count - 1)
                    else self.random.choice(others)
                )
                position_id = self.ids.next("unit_positions")
                headcount = max(1, base + (1 if index < extra else 0))
                if framework.grp == "leadership":
                    headcount = 1
                positions.append(
                    {
                        "id": position_id,
                        "plan_id": plan_id,
                        "lineage_id": None,
                        "framework_position_id": framework.id,
                        "code": f"{unit.code}-{index + 1:02d}",
                        "name": framework.title,
                        "grp": framework.grp,
                        "rank_codes": framework.ranks,
                        "headcount": headcount,
                        "objective": framework.objective,
                        "version": 1,
                    }
                )
                row = PositionRow(
                    position_id,
                    framework.grp,
                    [r for r in framework.ranks.split(",") if r],
                    headcount,
                    [],
                    list(self.framework_requirements.get(framework.id, [])),
                    room=headcount,
                )
                for ordinal, description, output, measure in self.framework_tasks.get(
                    framework.id, []
                ):
                    task_id = self.ids.next("position_tasks")
                    tasks.append(
                        {
                            "id": task_id,
                            "position_id": position_id,
                            "ordinal": ordinal,
                            "description": description,
                        }
                    )
                    if output:
                        output_id = self.ids.next("position_outputs")
                        uom = measure or "sản phẩm"
                        outputs.append(
                            {
                                "id": output_id,
                                "task_id": task_id,
                                "name": output,
                                "unit_of_measure": uom,
                                "conversion_factor": Decimal(1),
                                "monthly_quantity": Decimal(self.random.randint(1, 12)),
                            }
                        )
                        row.outputs.append((output_id, description, output, uom))
                for competency_id, version_id, level in row.requirements:
                    requirements.append(
                        {
                            "id": self.ids.next("position_requirements"),
                            "position_id": position_id,
                            "competency_id": competency_id,
                            "competency_version_id": version_id,
                            "level": level,
                        }
                    )
                unit.positions.append(row)
        self.insert("position_plans", plans)
        self.insert("unit_positions", positions)
        self.insert("position_tasks", tasks)
        self.insert("position_outputs", outputs)
        self.insert("position_requirements", requirements)

    # accounts

    def _accounts(self) -> None:
        from werkzeug.security import generate_password_hash

        from hrms.accounts.services import _search_text

        secret = generate_password_hash(BENCH_PASSWORD)
        head_unit = next((d for d in self.departments if d.reviewed), self.departments[0])
        self.head_unit = head_unit
        rows, grants = [], []
        for username, full_name, role, unit in (
            ("officer", "Trần Thị Thu Hà", "personnel_officer", self.units[0]),
            ("head", "Nguyễn Văn Ân", "unit_head", head_unit),
        ):
            user_id = self.ids.next("users")
            self.user_ids[username] = user_id
            email = f"{username}@ninhbinh.gov.vn"
            rows.append(
                {
                    "id": user_id,
                    "username": username,
                    "full_name": full_name,
                    "search_text": _search_text(username, full_name, email),
                    "email": email,
                    "password_hash": secret,
                    "active": True,
                    "failed_logins": 0,
                    "session_nonce": f"bench-{username}",
                    "employee_id": None,
                    "version": 1,
                }
            )
            grants.append(
                {"id": self.ids.next("role_grants"), "user_id": user_id, "role": role,
                 "unit_id": unit.id}
            )  # fmt: skip
        self.insert("users", rows)
        self.insert("role_grants", grants)
        c = self.connection
        plans = self.tables["position_plans"]
        c.execute(
            plans.update().values(
                submitted_by=self.user_ids["head"], decided_by=self.user_ids["officer"]
            )
        )

    def _link_accounts(self) -> None:
        """The accounts' own dossiers: the officer in the first department's office, the head
        on the board of their department."""
        from sqlalchemy import select

        employees = self.tables["employees"]
        users = self.tables["users"]
        for username, unit in (("officer", self.departments[0]), ("head", self.head_unit)):
            employee_id = self.connection.scalar(
                select(employees.c.id)
                .where(employees.c.unit_id == unit.id, employees.c.status == "working")
                .order_by(employees.c.id)
                .limit(1)
            )
            if employee_id is not None and username == "head":
                self.connection.execute(
                    users.update()
                    .where(users.c.id == self.user_ids[username])
                    .values(employee_id=employee_id)
                )

    # reviews

    def _review_setup(self) -> None:
        """The points scheme (Nghị định 335/2025) chosen by the reviewed departments from the
        first month, and their twelve monthly periods: the past ones, then the current one."""
        from sqlalchemy import text

        from hrms.reviews.scheme import parse_rules

        self.periods: list[dict[str, Any]] = []
        self.scheme_id = None
        row = self.connection.execute(
            text(
                "SELECT id, rules FROM evaluation_schemes WHERE kinds LIKE '%cong_chuc%' "
                "ORDER BY effective_from DESC LIMIT 1"
            )
        ).first()
        reviewed = [d for d in self.departments if d.reviewed]
        if row is None or not reviewed:
            return
        self.scheme_id = row[0]
        rules = row[1] if isinstance(row[1], dict) else json.loads(row[1])
        self.rules = parse_rules(rules)
        index = self.today.year * 12 + self.today.month - 1
        months = [
            divmod(index - back, 12) for back in range(REVIEW_MONTHS - 1, -1, -1)
        ]  # (year, month - 1)
        first = dt.date(months[0][0], months[0][1] + 1, 1)
        assignments, periods = [], []
        self.period_ids: dict[int, list[tuple[int, dt.date, dt.date, int]]] = {}
        for dep in reviewed:
            assignments.append(
                {
                    "id": self.ids.next("scheme_assignments"),
                    "unit_id": dep.id,
                    "kind": "cong_chuc",
                    "scheme_id": self.scheme_id,
                    "effective_from": first,
                }
            )
            for number, (year, month0) in enumerate(months):
                starts = dt.date(year, month0 + 1, 1)
                ends = dt.date(year, month0 + 1, calendar.monthrange(year, month0 + 1)[1])
                period_id = self.ids.next("review_periods")
                periods.append(
                    {
                        "id": period_id,
                        "kind": "month",
                        "starts_on": starts,
                        "ends_on": ends,
                        "unit_id": dep.id,
                        "self_deadline": ends + dt.timedelta(days=3),
                        "scoring_deadline": ends + dt.timedelta(days=10),
                        "opened_by": self.user_ids["officer"],
                        "state": "closed" if number < REVIEW_MONTHS - 3 else "open",
                        "version": 1,
                    }
                )
                age = REVIEW_MONTHS - 1 - number  # 0: the current month
                self.period_ids.setdefault(dep.id, []).append((period_id, starts, ends, age))
        self.insert("scheme_assignments", assignments)
        self.insert("review_periods", periods)

    # people

    def _people_chunks(self) -> Iterator[list[tuple[UnitRow, int]]]:
        chunk: list[tuple[UnitRow, int]] = []
        for unit in self.units:
            for index in range(unit.people):
                chunk.append((unit, index))
                if len(chunk) == CHUNK:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    def _write_people(self, chunk: list[tuple[UnitRow, int]]) -> None:
        batch = Batch()
        for unit, index in chunk:
            Person(self, batch, unit, index).write()
        for table in (
            "employees",
            "employee_name_keys",
            "decisions",
            "training_records",
            "family_members",
            "attachments",
            "placements",
            "competency_assessments",
            "reviews",
            "review_items",
            "audit_entries",
        ):
            self.insert(table, getattr(batch, table))


@dataclass
class Batch:
    employees: list[dict[str, Any]] = field(default_factory=list)
    employee_name_keys: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    training_records: list[dict[str, Any]] = field(default_factory=list)
    family_members: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    placements: list[dict[str, Any]] = field(default_factory=list)
    competency_assessments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    review_items: list[dict[str, Any]] = field(default_factory=list)
    audit_entries: list[dict[str, Any]] = field(default_factory=list)


DECISION_KEYS = (
    "kind", "number", "signed_on", "issuer", "effective_on", "supersedes_id", "unit_id",
    "rank_code", "salary_step", "salary_coefficient", "allowance_coefficient", "title", "note",
)  # fmt: skip


def national_id(sex: str, born: dt.date, serial: int) -> str:
    """A CCCD number as the rules check it: province 037, century and sex, year, serial."""
    century = (born.year // 100 - 19) * 2 + (1 if sex == "female" else 0)
    return f"037{century}{born.year % 100:02d}{serial % 10**6:06d}"


class Draft(SimpleNamespace):
    """A decision before it is written, as ``derive_state`` reads it (columns added to the
    ledger later read as empty)."""

    def __getattr__(self, name: str) -> Any:
        return None


_CACHED: list[str] = []


def cached_columns() -> list[str]:
    """The dossier columns ``apply_state`` fills from the ledger (found by asking it once)."""
    if not _CACHED:
        full = LedgerState(
            **{name: 1 for name in LedgerState.__dataclass_fields__ if name != "exits"}
        )
        holder = SimpleNamespace()
        apply_state(holder, full)
        _CACHED.extend(vars(holder))
    return _CACHED


class Person:
    """One person's dossier and everything attached to it."""

    def __init__(self, gen: Generator, batch: Batch, unit: UnitRow, index: int) -> None:
        self.gen = gen
        self.batch = batch
        self.unit = unit
        self.index = index
        self.r = gen.random

    def write(self) -> None:

        g, r, unit = self.gen, self.r, self.unit
        employee_id = g.ids.next("employees")
        self.id = employee_id
        sex = r.choice(("male", "female"))
        now = g.today
        # ages 23 to 61, a few close to retirement age
        age_days = r.randint(23 * 365, 61 * 365 + 180)
        born = now - dt.timedelta(days=age_days)
        full_name = normalize_spaces(
            f"{r.choice(SURNAMES)} {r.choice(MIDDLE[sex])} {r.choice(GIVEN[sex])}"
        )
        self.sex, self.born, self.full_name = sex, born, full_name
        kind = g._kind_of(unit)
        decisions = self._ledger(kind)
        drafts = [Draft(id=i, **d) for i, d in decisions]
        state = derive_state(drafts)
        cached = dict.fromkeys(cached_columns())
        holder = SimpleNamespace(status="working", unit_id=unit.id)
        apply_state(holder, state)  # the service's own caching of the ledger on the dossier
        cached.update(vars(holder))
        party = r.random() < 0.55
        party_joined = _months_after(born, 12 * r.randint(24, 35)) if party else None
        if party_joined and party_joined > now:
            party_joined = None
        military = r.random() < 0.08
        enlisted = _months_after(born, 12 * 19) if military else None
        row = {
            "id": employee_id,
            "full_name": full_name,
            "search_name": fold(full_name),
            "other_names": None,
            "sex": sex,
            "date_of_birth": born,
            "birth_year_only": False,
            "place_of_birth": r.choice(PLACES),
            "hometown": r.choice(PLACES),
            "ethnicity_code": r.choices(["01", "06", "04"], weights=[95, 4, 1])[0],
            "religion_code": r.choices(["00", "02", "01"], weights=[85, 10, 5])[0],
            "permanent_address": f"Số {r.randint(1, 200)}, {r.choice(WARDS)}, tỉnh Ninh Bình",
            "current_address": f"Số {r.randint(1, 200)}, {r.choice(WARDS)}, tỉnh Ninh Bình",
            "phone": f"09{employee_id % 10**8:08d}",
            "email": f"nv{employee_id}@ninhbinh.gov.vn",
            "national_id": national_id(sex, born, employee_id),
            "national_id_issued_on": max(_months_after(born, 12 * 18), dt.date(2021, 4, 1)),
            "social_insurance_number": f"37{employee_id:08d}",
            "kind": kind,
            "occupation_before": r.choice([None, "Sinh viên", "Giáo viên hợp đồng"]),
            "recruiting_agency": unit.name,
            "position_id": self.position.id if self.position else None,
            "main_work": "Thực hiện nhiệm vụ chuyên môn theo vị trí việc làm",
            "other_allowances": None,
            "general_education": "12/12",
            "qualification_code": r.choices(["dai_hoc", "thac_si", "tien_si"], [70, 27, 3])[0],
            "qualification_major": self.major[1],
            "political_theory_code": r.choice(["so_cap", "trung_cap", "cao_cap", None]),
            "state_management_code": None,
            "foreign_languages": r.choice(["Tiếng Anh bậc 3", "Tiếng Anh bậc 4", "Tiếng Anh B1"]),
            "it_level_code": None,
            "party_joined_on": party_joined,
            "party_official_on": _months_after(party_joined, 12) if party_joined else None,
            "mass_organisation": "Công đoàn Việt Nam",
            "mass_organisation_joined_on": state.recruited_on,
            "enlisted_on": enlisted,
            "discharged_on": _months_after(enlisted, 24) if enlisted else None,
            "military_rank": "Thượng sĩ" if military else None,
            "honorary_title": None,
            "strengths": r.choice(["Tin học văn phòng", "Tổng hợp, báo cáo", None]),
            "health_status": "Tốt",
            "height_cm": r.randint(150, 178),
            "weight_kg": r.randint(45, 80),
            "blood_group": r.choice(["A", "B", "AB", "O"]),
            "war_invalid_grade": None,
            "policy_family": None,
            "history_detention": "Không",
            "history_former_regime": "Không",
            "foreign_relations": "Không",
            "version": 1,
            **cached,
        }
        # the schedule the services keep (hrms.salary.schedule): no annual ratings here yet
        next_on, next_kind = planned_raise(Ledger(employee_id, drafts), g.book)
        row["next_raise_on"], row["next_raise_kind"] = next_on, next_kind
        if (sex, born) not in g.retirements:  # people born the same day retire the same day
            g.retirements[sex, born] = planned_retirement(g.book, sex, born, False)
        row["retires_on"] = g.retirements[sex, born]
        b = self.batch
        b.employees.append(row)
        for key in sorted(name_keys(full_name)):
            b.employee_name_keys.append({"key": key, "employee_id": employee_id})
        b.audit_entries.append(
            {
                "actor_id": g.user_ids["officer"],
                "actor_name": "officer",
                "action": "create",
                "object_type": "employees",
                "object_id": str(employee_id),
                "before": None,
                "after": {"full_name": full_name, "unit_id": unit.id},
                "ip_address": None,
                "subject": f"employees:{employee_id}",
                "object_version": 1,
            }
        )
        for decision_id, data in decisions:
            b.decisions.append({"id": decision_id, "employee_id": employee_id, **data})
        self._training()
        self._family()
        self._attachments()
        self.status = row["status"]
        self._assessments()
        self._reviews(kind)

    # the ledger

    def _ledger(self, kind: str) -> list[tuple[int, dict[str, Any]]]:
        """About ten decisions over a career; the cached columns are derived from them."""
        g, r, unit = self.gen, self.r, self.unit
        now = g.today
        self.major = r.choice(SCHOOLS)
        graduated = dt.date(self.born.year + 22, 6, 1)
        start = max(_months_after(graduated, r.randint(3, 48)), unit.founded)
        start = min(start, now - dt.timedelta(days=200))
        self.start = start
        self.graduated = graduated
        rank = r.choices(["01.002", "01.003", "01.004"], weights=[2, 7, 1])[0]
        issuer = g.units[unit.department_id - 1].name if unit.department_id else PROVINCE_NAME
        issuer = f"Thủ trưởng {issuer}"
        items: list[dict[str, Any]] = []
        serial = r.randint(10, 300)

        def decide(kind: str, effective: dt.date, **fields: Any) -> None:
            nonlocal serial
            serial += r.randint(1, 40)
            data = dict.fromkeys(DECISION_KEYS)
            data.update(
                kind=kind,
                number=f"{serial}/QĐ-{unit.code}",
                signed_on=effective - dt.timedelta(days=r.randint(3, 25)),
                issuer=issuer,
                effective_on=effective,
                **fields,
            )
            items.append(data)

        first_unit = unit.id
        rotated = unit.siblings and r.random() < 0.15
        if rotated:
            first_unit = r.choice(unit.siblings)
        first, step_size, steps, interval = RANKS[rank]
        decide(
            "recruitment", start, unit_id=first_unit, rank_code=rank, salary_step=1,
            salary_coefficient=first,
        )  # fmt: skip
        step, when = 1, start
        promoted = False
        while True:
            following = _months_after(when, interval)
            if following > now:
                break
            when = following
            if rank == "01.003" and not promoted and step >= 4 and r.random() < 0.25:
                # promotion to principal specialist: the step of the new scale above
                rank, promoted = "01.002", True
                first, step_size, steps, interval = RANKS[rank]
                step = 1
                decide("rank_placement", when, rank_code=rank, salary_step=1,
                       salary_coefficient=first)  # fmt: skip
                continue
            if step >= steps:
                continue
            step += 1
            decide("salary_step", when, salary_step=step,
                   salary_coefficient=first + step_size * (step - 1))  # fmt: skip
        span = max(1, (now - start).days)
        if rotated:
            decide("rotation", start + dt.timedelta(days=r.randint(1, span)), unit_id=unit.id,
                   note="Điều động theo yêu cầu công tác")  # fmt: skip
        if r.random() < 0.08 and span > 1500:
            decide(
                "appointment", start + dt.timedelta(days=r.randint(1200, span)),
                title=r.choice(LEADER_TITLES), allowance_coefficient=Decimal("0.40"),
            )  # fmt: skip
        # rewards: emulation titles and merits every few years
        for _ in range(max(0, min(8, span // 900 + r.randint(-1, 2)))):
            decide("reward", start + dt.timedelta(days=r.randint(1, span)),
                   title=r.choice(REWARDS))  # fmt: skip
        if r.random() < 0.01:
            decide("discipline", start + dt.timedelta(days=r.randint(1, span)),
                   title="Khiển trách")  # fmt: skip
        if r.random() < 0.03 and span > 800:
            left = start + dt.timedelta(days=r.randint(1, span - 400))
            decide("leave", left, note="Nghỉ không lương")
            if r.random() < 0.7:
                decide("return_from_leave", left + dt.timedelta(days=r.randint(90, 360)))
        # placement in a position of the unit's approved plan (one in twelve not yet placed)
        self.position = None
        on_leave = any(d["kind"] == "leave" for d in items) and not any(
            d["kind"] == "return_from_leave" for d in items
        )
        if unit.positions and not on_leave and r.random() > 1 / 12:
            leader = any(d["kind"] == "appointment" for d in items)
            self.position = self._fitting(unit.positions, rank, leader)
            if self.position is not None:
                self.position.room -= 1
                decide("position_placement", g.effective,
                       title=None, note="Bố trí vào vị trí việc làm")  # fmt: skip
        items.sort(key=lambda d: (d["effective_on"], d["signed_on"]))
        return [(g.ids.next("decisions"), d) for d in items]

    def _fitting(self, positions: list[PositionRow], rank: str, leader: bool) -> PositionRow | None:
        with_room = [p for p in positions if p.room > 0]
        for p in with_room:
            if (p.grp == "leadership") == leader and (not p.ranks or rank in p.ranks):
                return p
        for p in with_room:
            if p.grp != "leadership":
                return p
        return None

    # the other parts of the dossier

    def _training(self) -> None:
        r = self.r
        b = self.batch
        b.training_records.append(
            {
                "employee_id": self.id,
                "school": self.major[0],
                "major": self.major[1],
                "started_on": dt.date(self.born.year + 18, 9, 1),
                "ended_on": self.graduated,
                "mode": "Chính quy",
                "degree": "Cử nhân",
            }
        )
        if r.random() < 0.5:
            school, major, mode, degree = r.choice(CONCURRENT_COURSES)
            begun = min(_months_after(self.start, r.randint(12, 60)), self.gen.today)
            b.training_records.append(
                {
                    "employee_id": self.id,
                    "school": school,
                    "major": major,
                    "started_on": begun,
                    "ended_on": _months_after(begun, 18) if r.random() < 0.8 else None,
                    "mode": mode,
                    "degree": degree,
                }
            )

    def _family(self) -> None:
        r = self.r
        surname = self.full_name.split()[0]
        year = self.born.year

        def name(sex: str, family: str | None = None) -> str:
            return f"{family or r.choice(SURNAMES)} {r.choice(MIDDLE[sex])} {r.choice(GIVEN[sex])}"

        members = [
            ("own", "Bố", name("male", surname), year - r.randint(24, 32), "Nghỉ hưu"),
            ("own", "Mẹ", name("female"), year - r.randint(22, 30), "Nội trợ"),
        ]
        if self.gen.today.year - year > 27:
            spouse_sex = "female" if self.sex == "male" else "male"
            spouse = name(spouse_sex)
            members.append(
                ("own", "Vợ" if spouse_sex == "female" else "Chồng", spouse,
                 year + r.randint(-3, 3), r.choice(["Giáo viên", "Kế toán", "Kỹ sư", "Bác sĩ"]))
            )  # fmt: skip
            child_family = surname if self.sex == "male" else spouse.split()[0]
            for _ in range(r.randint(1, 2)):
                child_year = min(year + r.randint(26, 34), self.gen.today.year - 1)
                members.append(
                    ("own", "Con", name(r.choice(("male", "female")), child_family), child_year,
                     "Học sinh")
                )  # fmt: skip
            members.append(("spouse", "Bố", name("male"), year - r.randint(24, 32), "Nông dân"))
            members.append(("spouse", "Mẹ", name("female"), year - r.randint(22, 30), "Nông dân"))
        for order, (side, relation, full_name, birth_year, job) in enumerate(members):
            self.batch.family_members.append(
                {
                    "employee_id": self.id,
                    "side": side,
                    "relation": relation,
                    "full_name": full_name,
                    "birth_year": birth_year,
                    "hometown": r.choice(PLACES),
                    "occupation": job,
                    "workplace": None,
                    "residence": r.choice(PLACES),
                    "sort_order": order,
                }
            )

    def _attachments(self) -> None:
        """Metadata only (no photo: the pages would look for its file)."""
        uploaded = _at(self.start if self.start > dt.date(2020, 1, 1) else dt.date(2020, 1, 1))
        for number, (kind, name, description) in enumerate(
            ATTACHMENT_KINDS[: self.r.randint(1, 3)]
        ):
            stored = hashlib.sha256(f"{self.id}-{number}".encode()).hexdigest()
            self.batch.attachments.append(
                {
                    "employee_id": self.id,
                    "kind": kind,
                    "original_name": name,
                    "stored_name": stored[:48],
                    "content_type": "application/pdf",
                    "size_bytes": self.r.randint(40_000, 900_000),
                    "sha256": stored,
                    "description": description,
                    "uploaded_by": self.gen.user_ids["officer"],
                    "uploaded_at": uploaded,
                    "withdrawn": False,
                }
            )

    def _assessments(self) -> None:
        """The placement row, and the head's assessment of each competency the position
        requires (a level around the required one)."""
        position = self.position
        if position is None:
            return
        g = self.gen
        placement_decision = next(
            d["id"] for d in reversed(self.batch.decisions)
            if d["employee_id"] == self.id and d["kind"] == "position_placement"
        )  # fmt: skip
        self.batch.placements.append(
            {
                "employee_id": self.id,
                "position_id": position.id,
                "lineage_id": position.id,
                "unit_id": self.unit.id,
                "main": True,
                "decision_id": placement_decision,
                "started_on": g.effective,
                "ended_on": None,
                "ended_by_decision_id": None,
            }
        )
        for competency_id, version_id, level in position.requirements:
            self.batch.competency_assessments.append(
                {
                    "employee_id": self.id,
                    "competency_id": competency_id,
                    "competency_version_id": version_id,
                    "kind": "head",
                    "level": max(1, min(5, level + self.r.choice((-2, -1, 0, 0, 0, 1)))),
                    "assessed_on": dt.date(2026, 10, 15),
                    "evidence": None,
                    "assessed_by": g.user_ids["head"],
                }
            )

    # reviews

    def _reviews(self, kind: str) -> None:
        g = self.gen
        dep = g.units[self.unit.department_id - 1] if self.unit.department_id else None
        if (
            dep is None
            or not dep.reviewed
            or kind != "cong_chuc"
            or self.status != "working"
            or g.scheme_id is None
            or self.unit.id not in g.civil_ids[dep.id]
        ):
            return
        r = self.r
        profile = r.choices([p for p, _w in PROFILES], weights=[w for _p, w in PROFILES])[0]
        if self.position is not None and self.position.outputs:
            template = [
                (description[:255], output, measure, Decimal(r.randint(1, 12)), output_id)
                for output_id, description, output, measure in self.position.outputs[:5]
            ]
        else:
            template = [
                (title, output, measure, Decimal(quantity), None)
                for title, output, measure, quantity, _weight in UNPLACED_PLAN
            ]
        weights = balanced_weights([Decimal(1)] * len(template))
        officer = g.user_ids["officer"]
        for period_id, starts, ends, age in g.period_ids[dep.id]:
            if starts < self.start:
                continue
            review_id = g.ids.next("reviews")
            if age == 0:
                state = r.choices(
                    ["planning", "self_assessment", "submitted", "scored"], [10, 45, 25, 20]
                )[0]
            elif age == 1:
                state = "scored" if r.random() < 0.15 else "finalised"
            else:
                state = "finalised"
            reported = state in ("submitted", "scored", "finalised") or (
                state == "self_assessment" and r.random() < 0.4
            )
            scored = state in ("scored", "finalised")
            items, outputs = [], []
            for ordinal, ((title, output, measure, assigned, source), weight) in enumerate(
                zip(template, weights, strict=True)
            ):
                delivered = _delivery(r, profile, assigned) if reported else None
                delays = r.choice((0, 0, 0, 0, 0, 0, 1)) if scored else 0
                items.append(
                    {
                        "review_id": review_id,
                        "ordinal": ordinal,
                        "source_output_id": source,
                        "title": title,
                        "expected_output": output,
                        "unit_of_measure": measure,
                        "assigned_quantity": assigned,
                        "deadline": ends if ordinal == 0 else None,
                        "weight": weight,
                        "ad_hoc": False,
                        "delivered_quantity": delivered,
                        "delivered_on": ends - dt.timedelta(days=r.randint(0, 20))
                        if reported
                        else None,
                        "evidence": None,
                        "returns": 0,
                        "delays": delays,
                        "excused_delays": 0,
                        "excuse_reason": None,
                    }
                )
                outputs.append(OutputResult(title, weight, assigned, delivered or Decimal(0),
                                            delays=delays))  # fmt: skip
            row: dict[str, Any] = {
                "id": review_id,
                "period_id": period_id,
                "employee_id": self.id,
                "unit_id": self.unit.id,
                "position_id": self.position.id
                if self.position and starts >= g.effective
                else None,
                "leads_unit_id": None,
                "scheme_id": g.scheme_id,
                "state": state,
                "self_points": None,
                "self_note": None,
                "submitted_at": None,
                "general_points": None,
                "disciplined": False,
                "total": None,
                "band": None,
                "rating": None,
                "override_rating": None,
                "override_reason": None,
                "head_note": None,
                "breakdown": None,
                "reviewer_id": None,
                "scored_at": None,
                "finalised_by": None,
                "finalised_at": None,
                "reopen_reason": None,
                "version": {"planning": 1, "self_assessment": 2, "submitted": 4}.get(state, 6),
            }
            if reported and state != "self_assessment":
                row["self_points"] = {
                    k: str(v) for k, v in _general(r, profile, lift=Decimal("0.5")).items()
                }
                row["submitted_at"] = _at(ends + dt.timedelta(days=2))
            if scored:
                general = _general(r, profile)
                result = score(g.rules, outputs, general)
                row.update(
                    general_points={k: str(v) for k, v in general.items()},
                    total=result.total,
                    band=result.band.value,
                    rating=result.rating.value,
                    breakdown=breakdown_json(result),
                    reviewer_id=g.user_ids["head"],
                    scored_at=_at(ends + dt.timedelta(days=6)),
                )
            if state == "finalised":
                row.update(finalised_by=officer, finalised_at=_at(ends + dt.timedelta(days=8)))
            self.batch.reviews.append(row)
            self.batch.review_items.extend(items)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=int(os.environ.get("SIZE", "100000")))
    parser.add_argument("--rebuild", action="store_true", help="ignore the cache")
    args = parser.parse_args(argv)
    url = os.environ.get("HRMS_BENCH_DATABASE_URL") or None
    ensure(args.size, url, rebuild=args.rebuild)
    return 0


if __name__ == "__main__":
    sys.exit(main())
