"""The load and fault test, short: gunicorn with two workers on 127.0.0.1, a mixed workload of
the three roles, one worker killed half-way; no errors, every acknowledged write present, every
refused one absent. And two clients saving the same dossier at once: one wins, one conflict.

The long run (60 s, 32 users) is ``make load``; its numbers are in the README."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

from ops.load import Server, call, run_load, serve, sign_in

POSTGRES_URL = os.environ.get("HRMS_TEST_DATABASE_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="HRMS_TEST_DATABASE_URL is not set"),
    ),
]
PASSWORD = "Demo@HRMS-2026"


@pytest.fixture(autouse=True)
def _transaction() -> Iterator[None]:
    """The served app has a database of its own (see tests/ops/test_faults.py)."""
    yield


@pytest.fixture(scope="module", params=BACKENDS)
def served(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A throwaway deployment: a new database (on PostgreSQL, created beside the test database
    and dropped after), the demo agency with 40 dossiers, gunicorn with two workers."""
    admin_url = POSTGRES_URL if request.param == "postgresql" else None
    with serve(people=40, workers=2, postgres_admin_url=admin_url, password=PASSWORD) as server:
        yield server


def test_mixed_load_with_a_worker_killed_loses_nothing(served: Server) -> None:
    workers = served.workers()
    assert len(workers) == 2
    result = run_load(served.base, users=10, duration=12, password=PASSWORD, server=served)
    print(result.report())
    assert result.errors == []
    assert result.problems == []
    assert result.killed_worker in workers
    assert result.replaced_by, "the master did not replace the killed worker"
    assert len(served.workers()) == 2
    assert result.writes_acknowledged >= 10
    assert result.writes_refused == 0
    assert {"edit dossier", "self-assessment", "search", "open dossier", "list reviews"} <= set(
        result.by_kind
    )
    assert call(served.base, "GET", "/healthz").status == 200


def test_two_clients_saving_one_dossier_at_once_one_wins(served: Server) -> None:
    token = sign_in(served.base, "officer", PASSWORD)
    listing = call(served.base, "GET", "/api/v1/employees?per_page=5", token)
    employee = listing.body["items"][-1]["id"]
    read = call(served.base, "GET", f"/api/v1/employees/{employee}", token).body
    values = ["Số 1, phố Lê Lợi, Hoa Lư", "Số 2, phố Trần Hưng Đạo, Hoa Lư"]
    barrier = threading.Barrier(2)
    answers: dict[str, int] = {}

    def save(value: str) -> None:
        barrier.wait()
        answer = call(
            served.base,
            "PATCH",
            f"/api/v1/employees/{employee}",
            token,
            {"current_address": value, "version": read["version"]},
        )
        answers[value] = answer.status
        if answer.status == 409:
            assert answer.body["error"]["code"] == "conflict"

    threads = [threading.Thread(target=save, args=(value,)) for value in values]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers.values()) == [200, 409], answers
    winner = next(value for value, status in answers.items() if status == 200)
    after = call(served.base, "GET", f"/api/v1/employees/{employee}", token).body
    assert after["current_address"] == winner
    assert after["version"] == read["version"] + 1
    trail = call(served.base, "GET", f"/api/v1/employees/{employee}/audit?per_page=100", token)
    changes = [
        entry
        for entry in trail.body["items"]
        if (entry.get("after") or {}).get("current_address") in values
    ]
    assert len(changes) == 1
    assert changes[0]["after"]["current_address"] == winner
