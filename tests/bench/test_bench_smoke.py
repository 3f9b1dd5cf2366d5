"""The benchmark cannot rot: a tiny dataset from the same builder, every benchmarked request
made once, each answering 200 with the content type the benchmark expects (issue 8)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench import build, run

SIZE = 300


@pytest.fixture(autouse=True)
def _transaction() -> Iterator[None]:
    """This test runs on a database of its own, not inside the suite's rolled-back one."""
    yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """The benchmark's app does not rate-limit."""


@pytest.fixture(scope="module")
def bench_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Built once for the module; the environment the app reads is restored afterwards."""
    folder: Path = tmp_path_factory.mktemp("bench")
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HRMS_INSTANCE_PATH", str(folder / "instance"))
        patch.setenv("HRMS_SECRET_KEY", "bench-smoke-secret-" + "k" * 40)
        patch.setenv("HRMS_DATABASE_URL", url)
        build.build(url, SIZE, say=lambda *_args: None)
        yield url


def test_the_builder_fills_every_part_of_the_dataset(bench_url: str) -> None:
    engine = create_engine(bench_url)
    with engine.connect() as connection:

        def count(table: str) -> int:
            return int(connection.scalar(text(f"SELECT count(*) FROM {table}")))  # noqa: S608

        assert count("units") == build.UNITS
        assert count("employees") == SIZE
        assert count("decisions") > 7 * SIZE
        assert count("employee_name_keys") >= 3 * SIZE
        for table in (
            "family_members",
            "training_records",
            "attachments",
            "unit_positions",
            "placements",
            "competency_assessments",
            "review_periods",
            "reviews",
            "review_items",
        ):
            assert count(table) > 0, table
        # the cached ledger columns agree with the ledger: everyone has a rank from a decision
        unranked = connection.scalar(
            text("SELECT count(*) FROM employees WHERE rank_code IS NULL OR recruited_on IS NULL")
        )
        assert unranked == 0
        states = {row[0] for row in connection.execute(text("SELECT DISTINCT state FROM reviews"))}
        assert {"finalised", "self_assessment"} <= states
    engine.dispose()


def test_every_benchmark_request_answers(bench_url: str) -> None:
    lines: list[str] = []
    results, missing = run.measure(bench_url, SIZE, repeat=1, say=lines.append)
    names = {result.name for result in results}
    assert any(name.startswith("employee list, first page") for name in names)
    assert any(name.startswith("Excel import") and name.endswith("commit") for name in names)
    assert len(results) == len(lines) >= 14
    assert all(result.queries > 0 for result in results)
    assert set(missing) <= {name for name, _endpoints in run.OPTIONAL}


def test_the_builder_keeps_the_raise_and_retirement_schedule(bench_url: str) -> None:
    """The next raise and retirement date the builder writes on each dossier are those the
    services keep (hrms.salary.schedule), computed afresh here from the ledgers."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from hrms.employees.models import Employee
    from hrms.salary.rules import RuleBook
    from hrms.salary.schedule import ledgers_of, planned_raise, planned_retirement

    engine = create_engine(bench_url)
    with Session(engine) as session:
        book = RuleBook.load(session)
        rows = session.execute(
            select(
                Employee.id,
                Employee.sex,
                Employee.date_of_birth,
                Employee.birth_year_only,
                Employee.next_raise_on,
                Employee.next_raise_kind,
                Employee.retires_on,
            )
        ).all()
        ledgers = ledgers_of(session, [row.id for row in rows])
        for row in rows:
            expected = (
                *planned_raise(ledgers[row.id], book),
                planned_retirement(book, row.sex, row.date_of_birth, row.birth_year_only),
            )
            assert (row.next_raise_on, row.next_raise_kind, row.retires_on) == expected
        assert sum(1 for row in rows if row.next_raise_on is not None) > len(rows) // 2
    engine.dispose()
