"""Time the pages of issue 8 on a province-sized dataset (see bench/build.py).

    python -m bench.run --size 100000          # or: make bench SIZE=100000

The dataset is built once and cached; the benchmark runs on a copy of it (page views are
audited and the import writes dossiers: the cache stays as built). The app is warmed, then
each page is requested through Flask's test client in this process, signed in as the
province-wide personnel officer or as the unit head of a department: median and 95th
percentile over ``--repeat`` requests (fewer for the export and the import, as the table
says), and the SQL statements each request issued (counted by a ``before_cursor_execute``
listener). Results go to bench/results.json and a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from bench.build import BENCH_PASSWORD, DATA_DIR, PROJECT_DIR, ensure, make_app, peak_memory_mb

RESULTS = PROJECT_DIR / "bench" / "results.json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML = "text/html"
PDF = "application/pdf"
#: budgets at 100,000 people on SQLite (p95, milliseconds); PostgreSQL gets twice these
BUDGETS = {
    "list": 30,
    "search": 30,
    "dossier": 30,
    "timeline": 30,
    "review": 30,
    "pdf": 80,
    "staffing": 150,
    "gaps": 150,
    "period": 150,
    "province": 300,
    "export": 30_000,
    "import": 30_000,
}
IMPORT_ROWS = 10_000
#: a page slower than this when warmed is timed over SLOW_REPEAT requests only
SLOW_SECONDS = 2.0
SLOW_REPEAT = 5
#: a page slower than this is measured by its warm-up request alone
VERY_SLOW_SECONDS = 20.0
#: pages left out (``--skip``)
SKIP: tuple[str, ...] = ()


@dataclass
class Case:
    """One benchmarked request."""

    name: str
    role: str
    budget: str
    content_type: str
    #: the path of the i-th request (so dossiers, PDFs and reviews vary from one to the next)
    path: Callable[[int], str]
    repeat: int | None = None
    #: a POST: the form fields of the i-th request
    form: Callable[[int], dict[str, Any]] | None = None
    note: str = ""


@dataclass
class Result:
    name: str
    role: str
    size: int
    database: str
    requests: int
    median_ms: float
    p95_ms: float
    queries: int
    budget_ms: int
    within_budget: bool
    note: str = ""
    query_range: list[int] = field(default_factory=list)
    #: CPU time of this process per request (SQLite runs in-process: the work itself, whatever
    #: else the machine is doing; on PostgreSQL the server's share is not in it)
    cpu_median_ms: float = 0.0
    cpu_p95_ms: float = 0.0
    #: the budget holds on CPU time (what the page costs when the machine is not shared)
    within_budget_cpu: bool = False
    #: peak memory of the process after this page (a rise shows which page caused it)
    peak_memory_mb: float = 0.0


# The working copy -----------------------------------------------------------------------------


def working_copy(url: str, size: int) -> tuple[str, Callable[[], None]]:
    """A copy of the cached dataset to run on, and how to drop it."""
    if url.startswith("sqlite:///"):
        source = Path(url.removeprefix("sqlite:///"))
        copy = DATA_DIR / f"run-{size}.sqlite3"
        for leftover in DATA_DIR.glob(f"run-{size}.sqlite3*"):
            leftover.unlink()
        shutil.copyfile(source, copy)

        def drop() -> None:
            for leftover in DATA_DIR.glob(f"run-{size}.sqlite3*"):
                leftover.unlink()

        return f"sqlite:///{copy}", drop
    from sqlalchemy import create_engine, make_url, text

    parsed = make_url(url)
    name = f"{parsed.database}_run"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))

    def drop_pg() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return parsed.set(database=name).render_as_string(hide_password=False), drop_pg


# What to request -------------------------------------------------------------------------------


@dataclass
class Targets:
    officer_id: int
    head_id: int
    department_id: int
    department_size: int
    staffing_unit: int
    staffing_people: int
    people: list[int]
    period_id: int
    period_reviews: int
    reviews: list[int]
    deep_page: int
    search: str
    units: list[str]


def targets(db: Any, size: int) -> Targets:
    from sqlalchemy import func, select

    from hrms.accounts.models import RoleGrant, User
    from hrms.employees.models import Employee
    from hrms.org.models import Unit
    from hrms.reviews.models import Review, ReviewPeriod
    from positions.models import PositionPlan

    session = db.session
    officer = session.scalar(select(User).where(User.username == "officer"))
    head = session.scalar(select(User).where(User.username == "head"))
    grant = session.scalar(select(RoleGrant).where(RoleGrant.user_id == head.id))
    department = session.get(Unit, grant.unit_id)
    in_department = (Unit.path >= department.path, Unit.path < department.path[:-1] + "0")
    department_size = session.scalar(
        select(func.count()).select_from(Employee).join(Unit).where(*in_department)
    )
    planned = session.execute(
        select(Unit.id, func.count(Employee.id))
        .join(PositionPlan, PositionPlan.unit_id == Unit.id)
        .join(Employee, Employee.unit_id == Unit.id)
        .where(*in_department)
        .group_by(Unit.id)
        .order_by(func.count(Employee.id).desc())
        .limit(1)
    ).first()
    step = max(1, size // 50)
    people = list(
        session.scalars(
            select(Employee.id).where(Employee.id % step == 0).order_by(Employee.id).limit(50)
        )
    )
    period = session.execute(
        select(ReviewPeriod.id, func.count(Review.id))
        .join(Review, Review.period_id == ReviewPeriod.id)
        .where(ReviewPeriod.unit_id == department.id)
        .group_by(ReviewPeriod.id, ReviewPeriod.starts_on)
        .order_by(ReviewPeriod.starts_on.desc())
        .limit(1)
    ).first()
    reviews = list(
        session.scalars(
            select(Review.id)
            .join(ReviewPeriod)
            .where(ReviewPeriod.unit_id == department.id, Review.state == "finalised")
            .order_by(Review.id.desc())
            .limit(50)
        )
    )
    name = session.scalar(select(Employee.search_name).order_by(Employee.id).limit(1)) or "nguyen"
    units = list(session.scalars(select(Unit.code).where(Unit.depth >= 2).order_by(Unit.id)))
    return Targets(
        officer_id=officer.id,
        head_id=head.id,
        department_id=department.id,
        department_size=department_size,
        staffing_unit=planned[0] if planned else department.id,
        staffing_people=planned[1] if planned else 0,
        people=people,
        period_id=period[0] if period else 0,
        period_reviews=period[1] if period else 0,
        reviews=reviews,
        deep_page=max(1, int(department_size / 50 * 0.8)),
        search=" ".join(name.split()[:2]),
        units=units,
    )


def import_workbook(units: list[str], rows: int, first_serial: int) -> bytes:
    """A filled-in import template: ``rows`` new dossiers spread over the units."""
    from openpyxl import Workbook

    from bench.build import national_id
    from hrms.demo import GIVEN, MIDDLE, SURNAMES
    from hrms.employees.exchange import COLUMNS, SHEET

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append([column.header for column in COLUMNS])
    for index in range(rows):
        serial = first_serial + index
        sex = "male" if index % 2 else "female"
        born = dt.date(1970 + index % 30, 1 + index % 12, 1 + index % 28)
        values = {
            "national_id": national_id(sex, born, serial),
            "full_name": " ".join(
                (
                    SURNAMES[index % len(SURNAMES)],
                    MIDDLE[sex][index // 7 % len(MIDDLE[sex])],
                    GIVEN[sex][index // 3 % len(GIVEN[sex])],
                )
            ),
            "sex": "Nam" if sex == "male" else "Nữ",
            "date_of_birth": born.strftime("%d/%m/%Y"),
            "unit_id": units[index % len(units)],
            "kind": "Viên chức",
            "place_of_birth": "Hoa Lư, Ninh Bình",
            "hometown": "Gia Viễn, Ninh Bình",
            "ethnicity_code": "01",
            "religion_code": "00",
            "phone": f"08{serial % 10**8:08d}",
            "general_education": "12/12",
            "qualification_code": "dai_hoc",
        }
        sheet.append([values.get(column.field) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cases(app: Any, t: Targets, size: int) -> list[Case]:
    people = t.people or [1]
    reviews = t.reviews or [0]
    import_rows = min(IMPORT_ROWS, max(10, size // 10))
    files = {
        "dry": import_workbook(t.units, import_rows, 900_000),
        "commit": import_workbook(t.units, import_rows, 800_000),
    }

    def upload(kind: str) -> Callable[[int], dict[str, Any]]:
        def form(_i: int) -> dict[str, Any]:
            data: dict[str, Any] = {"file": (io.BytesIO(files[kind]), "nhap-ho-so.xlsx")}
            if kind == "dry":
                data["dry_run"] = "y"
            return data

        return form

    listed = [
        Case(
            "employee list, first page (department subtree)",
            "officer",
            "list",
            HTML,
            lambda i: f"/employees/?unit_id={t.department_id}",
            note=f"{t.department_size:,} people in the subtree",
        ),
        Case(
            "employee list, first page (own subtree)",
            "head",
            "list",
            HTML,
            lambda i: "/employees/",
        ),
        Case(
            f"employee list, deep page {t.deep_page} (department subtree)",
            "officer",
            "list",
            HTML,
            lambda i: f"/employees/?unit_id={t.department_id}&page={t.deep_page}",
        ),
        Case(
            f'folded-name search "{t.search}" (province)',
            "officer",
            "search",
            HTML,
            lambda i: f"/employees/?q={t.search.replace(' ', '+')}",
        ),
        Case(
            "dossier page",
            "officer",
            "dossier",
            HTML,
            lambda i: f"/employees/{people[i % len(people)]}",
            note="a different dossier each time",
        ),
        Case(
            "2C PDF",
            "officer",
            "pdf",
            PDF,
            lambda i: f"/employees/{people[i % len(people)]}/2c.pdf",
            note="a different dossier each time",
        ),
        Case(
            "decision timeline",
            "officer",
            "timeline",
            HTML,
            lambda i: f"/employees/{people[i % len(people)]}?tab=decisions",
        ),
        Case(
            "staffing table of a department unit",
            "head",
            "staffing",
            HTML,
            lambda i: f"/staffing/units/{t.staffing_unit}",
            note=f"{t.staffing_people} people",
        ),
        Case(
            "competency gap heat map of a department unit",
            "head",
            "gaps",
            HTML,
            lambda i: f"/staffing/units/{t.staffing_unit}/gaps",
            note=f"{t.staffing_people} people",
        ),
        Case(
            "review period dashboard of an agency",
            "officer",
            "period",
            HTML,
            lambda i: f"/reviews/periods/{t.period_id}",
            note=f"{t.period_reviews} reviews",
        ),
        Case(
            "one review with breakdown",
            "head",
            "review",
            HTML,
            lambda i: f"/reviews/{reviews[i % len(reviews)]}",
        ),
    ]
    listed += [
        Case(
            f"Excel import of {import_rows:,} rows, dry run",
            "officer",
            "import",
            HTML,
            lambda i: "/employees/import",
            repeat=1,
            form=upload("dry"),
            note="once (a long request)",
        ),
        Case(
            f"Excel import of {import_rows:,} rows, commit",
            "officer",
            "import",
            HTML,
            lambda i: "/employees/import",
            repeat=1,
            form=upload("commit"),
            note="once: a second run would update instead of create",
        ),
        *optional_cases(app),
        Case(
            f".xlsx export of {size:,} rows",
            "officer",
            "export",
            XLSX,
            lambda i: "/employees/export.xlsx",
            repeat=1,
            note="once (a long request)",
        ),
    ]
    return listed


#: the province-wide pages of other features, benchmarked when their routes exist:
#: (name, endpoint candidates, content type)
OPTIONAL = (
    ("raise-due list of the province", ("salary.raise_list", "salary.raises")),
    ("retirement list of the province", ("salary.retirement_list", "salary.retirements")),
    ("statistics dashboard of the province", ("reports.dashboard",)),
)


def optional_cases(app: Any) -> list[Case]:
    found = []
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    for name, endpoints in OPTIONAL:
        rule = next((rules[e] for e in endpoints if e in rules), None)
        if rule is None:  # a route of the salary pages whose name says what it is
            words = ("raise",) if "raise" in name else ("retire",)
            rule = next(
                (
                    r
                    for e, r in rules.items()
                    if e.startswith("salary.")
                    and any(w in e for w in words)
                    and not r.arguments
                    and "GET" in (r.methods or ())
                ),
                None,
            )
        if rule is not None and not rule.arguments:
            path = rule.rule
            found.append(Case(name, "officer", "province", HTML, lambda i, p=path: p))
    return found


def missing_optional(app: Any) -> list[str]:
    present = {case.name for case in optional_cases(app)}
    return [name for name, _e in OPTIONAL if name not in present]


# Timing ------------------------------------------------------------------------------------------


class QueryCounter:
    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args: Any) -> None:
        self.count += 1


def sign_in(app: Any, username: str) -> Any:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": BENCH_PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"cannot sign in as {username}: {response.status_code}")
    return client


def request(client: Any, case: Case, index: int) -> Any:
    if case.form is not None:
        return client.post(
            case.path(index), data=case.form(index), content_type="multipart/form-data"
        )
    return client.get(case.path(index))


def check(case: Case, response: Any) -> None:
    content_type = response.headers.get("Content-Type", "")
    if response.status_code != 200 or not content_type.startswith(case.content_type):
        raise AssertionError(
            f"{case.name}: {response.status_code} {content_type} "
            f"{response.get_data(as_text=True)[:300]!r}"
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def run_case(
    clients: dict[str, Any], counter: QueryCounter, case: Case, repeat: int
) -> tuple[list[float], list[float], list[int]]:
    client = clients[case.role]
    times, cpu, queries = [], [], []
    for index in range(case.repeat or repeat):
        counter.count = 0
        started, started_cpu = time.perf_counter(), time.process_time()
        response = request(client, case, index)
        response.get_data()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        queries.append(counter.count)
        check(case, response)
    return times, cpu, queries


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram_gb = round(int(memory) / 1024 / 1024, 1)
    except (OSError, StopIteration):
        ram_gb = 0.0
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": ram_gb,
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _noted(note: str, more: str) -> str:
    return f"{note}; {more}" if note else more


def measure(
    url: str,
    size: int,
    repeat: int,
    only: str | None = None,
    say: Callable[[str], None] = print,
    on_result: Callable[[list[Result]], None] | None = None,
) -> tuple[list[Result], list[str]]:
    """Time every request on the database at ``url`` (changed by the import); the results, and
    the province pages that have no route yet."""
    database = "postgresql" if url.startswith("postgresql") else "sqlite"
    factor = 2 if database == "postgresql" else 1
    app = make_app(url)
    # as wsgi.py does in each server process
    gc.collect()
    gc.freeze()
    from hrms.extensions import db

    results: list[Result] = []
    with app.app_context():
        t = targets(db, size)
        db.session.remove()
        counter = QueryCounter(db.engine)
    try:
        clients = {"officer": sign_in(app, "officer"), "head": sign_in(app, "head")}
        selected = [
            c
            for c in cases(app, t, size)
            if (not only or only in c.name) and not any(text in c.name for text in SKIP)
        ]
        for case in selected:
            # warm: templates compiled, caches filled, the page touched once
            first = None
            if case.form is None and case.budget != "export":
                first = run_case(clients, counter, replace(case, repeat=1), 1)
            seconds = first[0][0] / 1000 if first else 0.0
            if seconds > VERY_SLOW_SECONDS:
                # minutes per request: the warm-up request is the measurement
                samples = first
                case.note = _noted(case.note, f"the warm-up request only ({seconds:.0f} s)")
            else:
                if seconds > SLOW_SECONDS and case.repeat is None:
                    case.repeat = min(repeat, SLOW_REPEAT)
                    case.note = _noted(
                        case.note, f"{case.repeat} requests only (one took {seconds:.1f} s)"
                    )
                samples = run_case(clients, counter, case, repeat)
            times, cpu, queries = samples
            budget = BUDGETS[case.budget] * factor
            p95 = percentile(times, 0.95)
            result = Result(
                name=case.name,
                role=case.role,
                size=size,
                database=database,
                requests=len(times),
                median_ms=round(statistics.median(times), 1),
                p95_ms=round(p95, 1),
                queries=queries[-1],
                budget_ms=budget,
                within_budget=p95 <= budget,
                note=case.note,
                query_range=[min(queries), max(queries)],
                cpu_median_ms=round(statistics.median(cpu), 1),
                cpu_p95_ms=round(percentile(cpu, 0.95), 1),
                within_budget_cpu=percentile(cpu, 0.95) <= budget,
                peak_memory_mb=round(peak_memory_mb(), 1),
            )
            results.append(result)
            say(_line(result))
            if on_result is not None:
                on_result(results)
        return results, missing_optional(app)
    finally:
        with app.app_context():
            db.engine.dispose()


def built_apart(size: int, url: str | None) -> str:
    """The dataset's URL; a missing dataset is built by a child process, so that the pages are
    timed in a process like a server's, whose heap never held a build of millions of rows."""
    command = [sys.executable, "-m", "bench.build", "--size", str(size)]
    environment = os.environ | {"HRMS_BENCH_DATABASE_URL": url or ""}
    subprocess.run(command, check=True, cwd=PROJECT_DIR, env=environment)  # noqa: S603 - ours
    return ensure(size, url, quiet=True)


def run(
    size: int, url: str | None, repeat: int, only: str | None = None, output: Path = RESULTS
) -> dict[str, Any]:
    """Build (or reuse) the dataset, and time the requests on a copy of it; the results file
    is rewritten after each request, so a long run leaves what it measured."""
    cached = built_apart(size, url)
    database = "postgresql" if cached.startswith("postgresql") else "sqlite"
    working, drop = working_copy(cached, size)

    def report(results: list[Result], missing: list[str] | None = None) -> dict[str, Any]:
        return {
            "size": size,
            "database": database,
            "ran_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "peak_memory_mb": round(peak_memory_mb(), 1),
            "memory_budget_mb": 500,
            "within_memory_budget": peak_memory_mb() <= 500,
            "complete": missing is not None,
            "not_benchmarked": missing or [],
            "results": [asdict(r) for r in results],
        }

    def save(results: list[Result], missing: list[str] | None = None) -> dict[str, Any]:
        data = report(results, missing)
        output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return data

    try:
        results, missing = measure(
            working, size, repeat, only, lambda line: print(line, flush=True), save
        )
    finally:
        drop()
    return save(results, missing)


def _line(r: Result) -> str:
    mark = "yes" if r.within_budget else "**no**"
    queries = (
        str(r.queries)
        if r.query_range[0] == r.query_range[1]
        else f"{r.query_range[0]}–{r.query_range[1]}"
    )
    return (
        f"| {r.name} | {r.role} | {r.requests} | {r.median_ms:,.1f} | {r.p95_ms:,.1f} | "
        f"{r.cpu_p95_ms:,.1f} | {queries} | {r.budget_ms:,} | {mark} |"
    )


def table(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"{report['size']:,} employees on {report['database']}, {m['nproc']} × {m['cpu']}, "
        f"{m['ram_gb']} GB RAM, Python {m['python']}; peak memory {report['peak_memory_mb']} MB "
        f"(budget {report['memory_budget_mb']} MB); load average at the end "
        f"{', '.join(str(x) for x in m['load_average'])}",
        "",
        "| request | as | n | median ms | p95 ms | p95 CPU ms | queries | budget ms (p95) "
        "| within |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in report["results"]:
        lines.append(_line(Result(**row)))
    if report["not_benchmarked"]:
        lines += ["", "Not benchmarked (no route yet): " + ", ".join(report["not_benchmarked"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=int(os.environ.get("SIZE", "100000")))
    parser.add_argument("--repeat", type=int, default=50, help="requests per page (at least 50)")
    parser.add_argument("--only", help="run the requests whose name contains this text")
    parser.add_argument("--skip", default="", help="comma-separated texts: skip matching pages")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a budget is missed")
    args = parser.parse_args(argv)
    url = os.environ.get("HRMS_BENCH_DATABASE_URL") or None
    global SKIP
    SKIP = tuple(text for text in args.skip.split(",") if text)
    report = run(args.size, url, args.repeat, args.only, args.output)
    print()
    print(table(report))
    print(f"\nresults: {args.output}")
    missed = [r["name"] for r in report["results"] if not r["within_budget"]]
    if missed:
        print(f"over budget: {', '.join(missed)}")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
