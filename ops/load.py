"""Load and fault test: a mixed workload of the three roles against gunicorn, one worker killed
half-way, and a check afterwards that every acknowledged write is there and every refused one is
not.

    python ops/load.py --serve [--duration 60] [--users 32] [--postgres-admin-url URL]
    python ops/load.py --base-url http://127.0.0.1:5000      # against a server already running

``--serve`` builds a throwaway deployment: a fresh database (SQLite in a temporary folder, or a
new database created beside ``--postgres-admin-url`` and dropped afterwards), migrated and loaded
with the demo agency, served by gunicorn with two workers on 127.0.0.1. It never touches an
existing database. Only the standard library is used (urllib, threads).

Virtual users, by role (the demo accounts):

- personnel officers browse dossier lists, search names, open dossiers and edit them: each user
  edits dossiers of its own (a disjoint set), sending the version it read, with a unique value;
- unit heads browse their unit's dossiers and reviews and open them;
- staff open their own dossier and reviews; two of them save their November self-assessment.

Every write is recorded: acknowledged (2xx), refused (an HTTP error) or interrupted (the
connection dropped: the worker was killed). An interrupted edit is reconciled by reading the
record back, as a careful client would. Afterwards every acknowledged value must be in the
record's audit trail (and the last one in the record), no refused value anywhere, and every
interrupted one either wholly there or absent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PASSWORD = "Demo@HRMS-2026"  # noqa: S105 - the public demo default (README)
SEARCHES = ("nguyen", "tran thi", "le van", "pham", "hoang", "ngoc", "minh", "anh")
REQUEST_TIMEOUT = 30


# HTTP --------------------------------------------------------------------------------------------


class Interrupted(Exception):
    """No answer: the connection failed or dropped (a killed worker)."""


@dataclass
class Answer:
    status: int
    body: Any


def call(base: str, method: str, path: str, token: str | None = None, body: Any = None) -> Answer:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)  # noqa: S310
    request.add_header("Accept", "application/json")
    request.add_header("Accept-Language", "en")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw = error.read()
        status = error.code
        error.close()
    except (OSError, urllib.error.URLError) as error:  # reset, refused, timeout
        raise Interrupted(str(error)) from error
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return Answer(status, parsed)


# Statistics --------------------------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    retried_reads: int = 0
    #: (kind, key) -> list of (value, outcome): outcome "ack", "refused", "interrupted"
    writes: dict[tuple[str, int], list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def timed(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.timings[kind].append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)

    def write(self, kind: str, key: int, value: str, outcome: str) -> None:
        with self.lock:
            self.writes[(kind, key)].append((value, outcome))


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# The workload ------------------------------------------------------------------------------------


@dataclass
class World:
    base: str
    tokens: dict[str, str]
    #: dossiers each officer user may edit (disjoint)
    editable: list[int]
    heads_reviews: list[int]
    staff_dossiers: dict[str, int]
    self_reviews: dict[str, int]
    run_id: str = field(default_factory=lambda: secrets.token_hex(3))


class VirtualUser(threading.Thread):
    def __init__(
        self, number: int, role: str, world: World, stats: Stats, deadline: float, **extra: Any
    ) -> None:
        super().__init__(name=f"user-{number}-{role}", daemon=True)
        self.number = number
        self.role = role
        self.world = world
        self.stats = stats
        self.deadline = deadline
        self.extra = extra
        self.random = random.Random(number)  # noqa: S311 - workload mix, not security
        self.sequence = 0

    # one request, timed; reads are retried once when the connection dropped
    def get(self, kind: str, path: str, token: str) -> Answer | None:
        for attempt in range(3):
            started = time.perf_counter()
            try:
                answer = call(self.world.base, "GET", path, token)
            except Interrupted as interrupted:
                if attempt == 2:
                    self.stats.error(f"{kind} {path}: no answer ({interrupted})")
                    return None
                with self.stats.lock:
                    self.stats.retried_reads += 1
                time.sleep(0.2)
                continue
            self.stats.timed(kind, time.perf_counter() - started)
            if answer.status != 200:
                self.stats.error(f"{kind} {path}: {answer.status} {str(answer.body)[:200]}")
                return None
            return answer
        return None

    def run(self) -> None:
        token = self.world.tokens[self.extra["account"]]
        while time.monotonic() < self.deadline:
            try:
                getattr(self, f"step_{self.role}")(token)
            except Exception as error:  # every surprise is an error of the run
                self.stats.error(f"{self.name}: {error!r}")
                time.sleep(0.1)

    def step_officer(self, token: str) -> None:
        roll = self.random.random()
        if roll < 0.25:
            page = self.random.randint(1, 5)
            self.get("list dossiers", f"/api/v1/employees?page={page}", token)
        elif roll < 0.45:
            query = self.random.choice(SEARCHES).replace(" ", "%20")
            self.get("search", f"/api/v1/employees?q={query}", token)
        elif roll < 0.7:
            employee = self.random.choice(self.world.editable)
            self.get("open dossier", f"/api/v1/employees/{employee}", token)
        else:
            self.edit_dossier(token, self.random.choice(self.extra["mine"]))

    def step_head(self, token: str) -> None:
        roll = self.random.random()
        if roll < 0.4:
            self.get("list dossiers", "/api/v1/employees", token)
        elif roll < 0.7:
            self.get("list reviews", "/api/v1/reviews", token)
        elif self.world.heads_reviews:
            review = self.random.choice(self.world.heads_reviews)
            self.get("open review", f"/api/v1/reviews/{review}", token)

    def step_staff(self, token: str) -> None:
        account = self.extra["account"]
        roll = self.random.random()
        if self.extra.get("assesses") and roll < 0.4:
            self.save_self_assessment(token, self.world.self_reviews[account])
        elif roll < 0.7:
            own = self.world.staff_dossiers[account]
            self.get("open dossier", f"/api/v1/employees/{own}", token)
        else:
            self.get("list reviews", "/api/v1/reviews", token)

    def _marker(self) -> str:
        self.sequence += 1
        return f"load {self.world.run_id} u{self.number} #{self.sequence}"

    def edit_dossier(self, token: str, employee: int) -> None:
        read = self.get("open dossier", f"/api/v1/employees/{employee}", token)
        if read is None:
            return
        value = f"Số {self.sequence + 1}, đường Tràng An, Ninh Bình ({self._marker()})"
        body = {"current_address": value, "version": read.body["version"]}
        self._write(
            "edit dossier",
            "employee",
            employee,
            value,
            "PATCH",
            f"/api/v1/employees/{employee}",
            body,
            token,
            lambda: self._current_address(employee, token),
        )

    def _current_address(self, employee: int, token: str) -> str | None:
        answer = self.get("open dossier", f"/api/v1/employees/{employee}", token)
        return None if answer is None else answer.body.get("current_address")

    def save_self_assessment(self, token: str, review: int) -> None:
        read = self.get("open review", f"/api/v1/reviews/{review}", token)
        if read is None:
            return
        value = f"Tự đánh giá tháng 11 ({self._marker()})"
        body = {"self_note": value, "version": read.body["version"]}
        self._write(
            "self-assessment",
            "review",
            review,
            value,
            "POST",
            f"/api/v1/reviews/{review}/self-assessment",
            body,
            token,
            lambda: self._self_note(review, token),
        )

    def _self_note(self, review: int, token: str) -> str | None:
        answer = self.get("open review", f"/api/v1/reviews/{review}", token)
        return None if answer is None else answer.body.get("self_note")

    def _write(
        self,
        kind: str,
        record: str,
        key: int,
        value: str,
        method: str,
        path: str,
        body: Any,
        token: str,
        read_back: Any,
    ) -> None:
        started = time.perf_counter()
        try:
            answer = call(self.world.base, method, path, token, body)
        except Interrupted:
            # the worker died under us: did the write land? a careful client reads it back
            time.sleep(0.3)
            landed = read_back() == value
            self.stats.write(record, key, value, "ack" if landed else "interrupted")
            return
        self.stats.timed(kind, time.perf_counter() - started)
        if 200 <= answer.status < 300:
            self.stats.write(record, key, value, "ack")
        else:
            self.stats.write(record, key, value, "refused")
            self.stats.error(f"{kind} {path}: {answer.status} {str(answer.body)[:200]}")


def sign_in(base: str, account: str, password: str) -> str:
    answer = call(
        base, "POST", "/api/v1/auth/tokens", body={"username": account, "password": password}
    )
    if answer.status != 201:
        raise SystemExit(f"cannot sign in as {account}: {answer.status} {answer.body}")
    return str(answer.body["token"])


def _ids(answer: Answer) -> list[int]:
    return [int(item["id"]) for item in answer.body["items"]]


def prepare(base: str, password: str) -> World:
    accounts = ("officer", "head", "staff", "staff2")
    tokens = {account: sign_in(base, account, password) for account in accounts}
    editable: list[int] = []
    page = 1
    while len(editable) < 200:
        answer = call(base, "GET", f"/api/v1/employees?page={page}&per_page=100", tokens["officer"])
        found = _ids(answer)
        editable += found
        if len(found) < 100:
            break
        page += 1
    heads_reviews = _ids(call(base, "GET", "/api/v1/reviews?per_page=50", tokens["head"]))
    staff_dossiers: dict[str, int] = {}
    self_reviews: dict[str, int] = {}
    for account in ("staff", "staff2"):
        reviews = call(base, "GET", "/api/v1/reviews?per_page=50", tokens[account]).body["items"]
        open_ones = [r for r in reviews if r.get("state") == "self_assessment"]
        if open_ones:
            self_reviews[account] = int(open_ones[0]["id"])
        staff_dossiers[account] = int(reviews[0]["employee_id"]) if reviews else 0
    return World(base, tokens, editable, heads_reviews, staff_dossiers, self_reviews)


def plan_users(world: World, users: int) -> list[dict[str, Any]]:
    """About half officers, a quarter heads, a quarter staff (two of whom self-assess)."""
    officers = max(1, users // 2)
    heads = max(1, users // 4)
    staff = max(1, users - officers - heads)
    plans: list[dict[str, Any]] = []
    shares = [world.editable[i::officers] for i in range(officers)]
    for index in range(officers):
        plans.append({"role": "officer", "account": "officer", "mine": shares[index]})
    for _ in range(heads):
        plans.append({"role": "head", "account": "head"})
    for index in range(staff):
        account = ("staff", "staff2")[index % 2]
        plans.append(
            {
                "role": "staff",
                "account": account,
                "assesses": index < 2 and account in world.self_reviews,
            }
        )
    return plans


# Verification ------------------------------------------------------------------------------------


def verify(world: World, stats: Stats) -> list[str]:
    """Every acknowledged write present, every refused one absent, interrupted ones atomic."""
    problems: list[str] = []
    token = world.tokens["officer"]
    for (record, key), writes in sorted(stats.writes.items()):
        if record == "employee":
            current = call(world.base, "GET", f"/api/v1/employees/{key}", token).body
            final = current.get("current_address")
            trail_values = set()
            page = 1
            while True:
                trail = call(
                    world.base,
                    "GET",
                    f"/api/v1/employees/{key}/audit?page={page}&per_page=100",
                    token,
                )
                for entry in trail.body["items"]:
                    after = entry.get("after") or {}
                    if "current_address" in after:
                        trail_values.add(after["current_address"])
                if len(trail.body["items"]) < 100:
                    break
                page += 1
        else:
            owner = next(a for a, r in world.self_reviews.items() if r == key)
            final = call(world.base, "GET", f"/api/v1/reviews/{key}", world.tokens[owner]).body.get(
                "self_note"
            )
            trail_values = None
        acked = [value for value, outcome in writes if outcome == "ack"]
        if acked and final != acked[-1]:
            problems.append(f"{record} {key}: last acknowledged value missing (is {final!r})")
        for value, outcome in writes:
            if trail_values is not None:
                if outcome == "ack" and value not in trail_values:
                    problems.append(f"{record} {key}: acknowledged {value!r} not in the trail")
                if outcome == "refused" and value in trail_values:
                    problems.append(f"{record} {key}: refused {value!r} was written")
                if outcome == "interrupted" and value in trail_values:
                    problems.append(f"{record} {key}: interrupted {value!r} is there after all")
            elif outcome in ("refused", "interrupted") and value == final:
                problems.append(f"{record} {key}: refused {value!r} was written")
    return problems


# Serving -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    base: str
    master: subprocess.Popen[bytes]
    folder: Path
    database_url: str

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.master.pid}/task/{self.master.pid}/children")
        try:
            return sorted(int(p) for p in path.read_text().split())
        except OSError:
            return []


def _bin(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


@contextlib.contextmanager
def serve(
    people: int = 300,
    workers: int = 2,
    postgres_admin_url: str | None = None,
    password: str = DEFAULT_PASSWORD,
) -> Iterator[Server]:
    """A throwaway deployment: migrated, demo data loaded, gunicorn on a free local port."""
    folder = Path(tempfile.mkdtemp(prefix="hrms-load-"))
    database_name = None
    if postgres_admin_url:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        if make_url(postgres_admin_url).drivername == "postgresql":  # psycopg 3, as the app
            postgres_admin_url = postgres_admin_url.replace(
                "postgresql://", "postgresql+psycopg://", 1
            )
        database_name = f"hrms_load_{secrets.token_hex(4)}"
        admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{database_name}"'))
        database_url = (
            make_url(postgres_admin_url)
            .set(database=database_name)
            .render_as_string(hide_password=False)
        )
    else:
        database_url = f"sqlite:///{folder / 'load.sqlite3'}"
    environment = dict(os.environ) | {
        "HRMS_INSTANCE_PATH": str(folder / "instance"),
        "HRMS_DATABASE_URL": database_url,
        "HRMS_DEMO_PASSWORD": password,
        "HRMS_SIGN_IN_RATE_LIMIT": "10000 per minute",
        "HRMS_LOG_LEVEL": "WARNING",
    }
    flask = [_bin("flask"), "--app", "wsgi"]
    log = (folder / "server.log").open("wb")
    master = None
    try:
        for step in (["db", "upgrade"], ["seed-demo", "--people", str(people)]):
            subprocess.run(  # noqa: S603 - our own commands
                [*flask, *step],
                cwd=ROOT,
                env=environment,
                check=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        port = free_port()
        master = subprocess.Popen(  # noqa: S603
            [
                _bin("gunicorn"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--graceful-timeout",
                "5",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if call(base, "GET", "/healthz").status == 200:
                    break
            except Interrupted:
                pass
            if master.poll() is not None:
                raise SystemExit(f"gunicorn stopped; see {folder / 'server.log'}")
            time.sleep(0.1)
        else:
            raise SystemExit("the server did not become healthy")
        server = Server(base, master, folder, database_url)
        while len(server.workers()) < workers:
            time.sleep(0.1)
        yield server
    finally:
        if master is not None:
            master.send_signal(signal.SIGTERM)
            try:
                master.wait(timeout=30)
            except subprocess.TimeoutExpired:
                master.kill()
                master.wait()
        log.close()
        if database_name and postgres_admin_url:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)'))
            admin.dispose()
        shutil.rmtree(folder, ignore_errors=True)


# The run -----------------------------------------------------------------------------------------


@dataclass
class Result:
    duration: float
    users: int
    requests: int
    throughput: float
    p50: float
    p95: float
    p99: float
    by_kind: dict[str, dict[str, float]]
    errors: list[str]
    problems: list[str]
    writes_acknowledged: int
    writes_refused: int
    writes_interrupted: int
    retried_reads: int
    killed_worker: int | None
    replaced_by: list[int]

    @property
    def ok(self) -> bool:
        return (
            not self.errors
            and not self.problems
            and (self.killed_worker is None or bool(self.replaced_by))
        )

    def report(self) -> str:
        lines = [
            f"{self.users} users for {self.duration:.0f} s: {self.requests} requests, "
            f"{self.throughput:.1f} requests/s, p50 {self.p50 * 1000:.0f} ms, "
            f"p95 {self.p95 * 1000:.0f} ms, p99 {self.p99 * 1000:.0f} ms",
        ]
        for kind, numbers in sorted(self.by_kind.items()):
            lines.append(
                f"  {kind:<16} {int(numbers['n']):>6}  p95 {numbers['p95'] * 1000:6.0f} ms"
            )
        lines.append(
            f"writes: {self.writes_acknowledged} acknowledged, {self.writes_refused} refused, "
            f"{self.writes_interrupted} interrupted and absent; reads retried after a dropped "
            f"connection: {self.retried_reads}"
        )
        if self.killed_worker is not None:
            lines.append(
                f"worker {self.killed_worker} killed (SIGKILL); replaced by {self.replaced_by}"
            )
        lines.append(f"errors: {len(self.errors)}; verification problems: {len(self.problems)}")
        lines += [f"  error: {e}" for e in self.errors[:20]]
        lines += [f"  problem: {p}" for p in self.problems[:20]]
        lines.append("OK" if self.ok else "FAILED")
        return "\n".join(lines)


def run_load(
    base: str,
    users: int,
    duration: float,
    password: str = DEFAULT_PASSWORD,
    server: Server | None = None,
    kill_at: float = 0.4,
) -> Result:
    world = prepare(base, password)
    stats = Stats()
    started = time.monotonic()
    deadline = started + duration
    threads = [
        VirtualUser(number, plan.pop("role"), world, stats, deadline, **plan)
        for number, plan in enumerate(plan_users(world, users))
    ]
    for thread in threads:
        thread.start()
    killed: int | None = None
    replaced: list[int] = []
    if server is not None and kill_at:
        time.sleep(duration * kill_at)
        before = server.workers()
        if before:
            killed = before[0]
            os.kill(killed, signal.SIGKILL)
            for _ in range(200):
                now = server.workers()
                replaced = [pid for pid in now if pid not in before]
                if replaced and len(now) >= len(before):
                    break
                time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=duration + REQUEST_TIMEOUT * 3)
    elapsed = time.monotonic() - started
    problems = verify(world, stats)
    everything = [t for values in stats.timings.values() for t in values]
    outcomes = [outcome for writes in stats.writes.values() for _, outcome in writes]
    return Result(
        duration=elapsed,
        users=len(threads),
        requests=len(everything),
        throughput=len(everything) / elapsed if elapsed else 0.0,
        p50=percentile(everything, 0.5),
        p95=percentile(everything, 0.95),
        p99=percentile(everything, 0.99),
        by_kind={
            kind: {"n": len(values), "p95": percentile(values, 0.95)}
            for kind, values in stats.timings.items()
        },
        errors=stats.errors,
        problems=problems,
        writes_acknowledged=outcomes.count("ack"),
        writes_refused=outcomes.count("refused"),
        writes_interrupted=outcomes.count("interrupted"),
        retried_reads=stats.retried_reads,
        killed_worker=killed,
        replaced_by=replaced,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--serve", action="store_true", help="start a throwaway deployment")
    target.add_argument("--base-url", help="a server already running (no worker is killed)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--users", type=int, default=32, help="concurrent users (default 32)")
    parser.add_argument("--people", type=int, default=300, help="demo dossiers (--serve)")
    parser.add_argument("--postgres-admin-url", help="--serve on a new PostgreSQL database here")
    parser.add_argument(
        "--password", default=os.environ.get("HRMS_DEMO_PASSWORD", DEFAULT_PASSWORD)
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON too")
    args = parser.parse_args(argv)
    # stopped from outside: still stop gunicorn and drop the throwaway database
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    if not 1 <= args.users <= 256 or not 1 <= args.duration <= 3600:
        parser.error("--users must be 1..256 and --duration 1..3600 seconds")
    if args.base_url:
        result = run_load(args.base_url.rstrip("/"), args.users, args.duration, args.password)
    else:
        with serve(args.people, 2, args.postgres_admin_url, args.password) as server:
            print(
                f"serving {server.base} on {server.database_url.split('://')[0]}, "
                f"workers {server.workers()}",
                flush=True,
            )
            result = run_load(server.base, args.users, args.duration, args.password, server)
    print(result.report())
    if args.json:
        print(json.dumps(result.__dict__, default=str, indent=2))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
