"""The headcount aggregate behind the statistics dashboard, kept exact in every flush.

Counting a province's working staff by nine dimensions reads and groups every dossier of the
scope (about a second at 100,000 people on SQLite). The table ``headcount_counts`` holds
instead, for each unit's whole subtree, the number of people working there per value of each
dimension (kind, rank, education, political_theory, birth_month — "YYYY-MM" —, sex, ethnicity,
party; "" where nothing is recorded; and "all": one row for everyone), with the "of which"
counts (women, Party members, ethnic minorities): the dashboard of a unit reads that unit's few
hundred rows, and one row per sub-unit for the "by unit" table.

Three things depend on the dashboard's date rather than on the dossier alone: whether a person
was recruited by then, whether they had joined the Party by then, and their age. The aggregate
stores what does not move with the date — everyone working, "Party member" for a recorded date
of joining, the month of birth — and reading applies the date exactly: people recruited or
admitted after the date, and people born in a month that an age band's limit cuts in two, are
read one by one (an index range each: a few hundred people for today's date) and their stored
contribution is replaced by their exact one. Nothing is cached: every number is exact in the
transaction that reads it.

Keeping it exact: session events (``connect``, called by the app factory) read the watched
columns of the dossiers a flush inserts, changes or deletes, before and after the flush, and
add the difference to the rows of every unit above the person, in the same transaction (a
savepoint rolled back takes the aggregate's change with it). Moving a unit carries its
subtree's rows from the old ancestors to the new ones (``unit_moved``). Bulk writers that
bypass the ORM (the benchmark's generator) call ``rebuild``, as does the migration that adds
the table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    Table,
    and_,
    bindparam,
    delete,
    event,
    func,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, attributes

from hrms.employees.models import Employee, EmployeeStatus
from hrms.employees.models import Sex as SexValue
from hrms.extensions import db
from hrms.org import services as org_services
from hrms.org.models import Unit
from hrms.reports.models import Band, HeadcountCount
from hrms.salary.queries import unit_path_beside_a_date_range
from hrms.salary.retirement_queries import in_subtree

#: the majority group's code in the official list of ethnic groups (QĐ 121-TCTK/PPCĐ: 01 Kinh);
#: every other recorded group counts as an ethnic minority
MAJORITY_ETHNICITY = "01"
#: the dossier columns the aggregate derives from
WATCHED = (
    "unit_id",
    "status",
    "kind",
    "rank_code",
    "qualification_code",
    "political_theory_code",
    "sex",
    "ethnicity_code",
    "party_joined_on",
    "date_of_birth",
)
#: the counts of a row
_COUNTS = ("count", "women", "party", "minority")
#: people read per query when many are
CHUNK = 2000
#: a stored row: its key (unit, dimension, value), then its counts
ROW_COLUMNS = (
    HeadcountCount.unit_id,
    HeadcountCount.dimension,
    HeadcountCount.value,
    HeadcountCount.count,
    HeadcountCount.women,
    HeadcountCount.party,
    HeadcountCount.minority,
)


@dataclass(frozen=True)
class Split:
    """A count with its "of which" parts."""

    count: int = 0
    women: int = 0
    party: int = 0
    minority: int = 0

    def __add__(self, other: Split) -> Split:
        return Split(
            self.count + other.count,
            self.women + other.women,
            self.party + other.party,
            self.minority + other.minority,
        )

    def __neg__(self) -> Split:
        return Split(-self.count, -self.women, -self.party, -self.minority)


# One person's contribution ---------------------------------------------------------------------

#: a row of ``_PERSON`` (and of the recruitment date when reading)
PersonRow = Any

_PERSON = (
    Unit.path,
    Employee.kind,
    Employee.rank_code,
    Employee.qualification_code,
    Employee.political_theory_code,
    Employee.sex,
    Employee.ethnicity_code,
    Employee.party_joined_on,
    Employee.date_of_birth,
)


def _split(row: PersonRow, *, member: bool) -> Split:
    minority = row.ethnicity_code is not None and row.ethnicity_code != MAJORITY_ETHNICITY
    return Split(1, int(row.sex == SexValue.FEMALE.value), int(member), int(minority))


def _stored_values(row: PersonRow) -> list[tuple[str, str]]:
    """(dimension, value) of each stored dimension for a working person."""
    return [
        ("all", ""),
        ("kind", row.kind),
        ("rank", row.rank_code or ""),
        ("education", row.qualification_code or ""),
        ("political_theory", row.political_theory_code or ""),
        ("birth_month", birth_month(row.date_of_birth) if row.date_of_birth else ""),
        ("sex", row.sex or ""),
        ("ethnicity", row.ethnicity_code or ""),
        ("party", "1" if row.party_joined_on else "0"),
    ]


def birth_month(born: dt.date) -> str:
    """The stored value of a month of birth ("1990-05"), which the age bands are read from."""
    return f"{born.year:04d}-{born.month:02d}"


def _unit_ids(path: str) -> list[int]:
    """The unit of a path and every unit above it: "/1/5/12/" -> 1, 5, 12."""
    return [int(part) for part in path.strip("/").split("/")]


def _people(connection: Connection, employee_ids: Sequence[int]) -> Iterator[PersonRow]:
    """The watched columns of these people, when they are working (others count nowhere)."""
    for start in range(0, len(employee_ids), CHUNK):
        yield from connection.execute(
            select(*_PERSON)
            .join(Unit, Unit.id == Employee.unit_id)
            .where(
                Employee.id.in_(employee_ids[start : start + CHUNK]),
                Employee.status == EmployeeStatus.WORKING.value,
            )
        )


# Writing the rows ------------------------------------------------------------------------------

_Key = tuple[int, str, str]


class Deltas:
    """Changes to add to the rows, by (unit, dimension, value)."""

    def __init__(self) -> None:
        #: count, women, party, minority
        self.rows: dict[_Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def add_person(self, row: PersonRow, sign: int) -> None:
        split = _split(row, member=row.party_joined_on is not None)
        counts = (sign, sign * split.women, sign * split.party, sign * split.minority)
        values = _stored_values(row)
        for unit_id in _unit_ids(row.path):
            for dimension, value in values:
                _plus(self.rows[unit_id, dimension, value], counts)

    def add_rows(self, unit_ids: Iterable[int], rows: Iterable[tuple[str, str, Split]]) -> None:
        for unit_id in unit_ids:
            for dimension, value, split in rows:
                _plus(
                    self.rows[unit_id, dimension, value],
                    (split.count, split.women, split.party, split.minority),
                )

    def write(self, connection: Connection) -> None:
        """Add the non-zero changes to the rows, in key order so that concurrent writers lock
        rows in the same order, then drop the rows left at zero. A change that would be a valid
        row on its own (nothing negative, parts within the count) is an upsert; any other is an
        ``UPDATE`` of a row that exists (it counted what leaves): the databases check an
        upsert's proposed row against the table's checks before they see the conflict."""
        changed = sorted((key, Split(*counts)) for key, counts in self.rows.items() if any(counts))
        if not changed:
            return
        table = cast(Table, HeadcountCount.__table__)
        arriving: list[dict[str, Any]] = []
        moving: list[dict[str, Any]] = []
        for (unit_id, dimension, value), split in changed:
            row: dict[str, Any] = {
                "unit": unit_id,
                "dim": dimension,
                "val": value,
                "count": split.count,
                "women": split.women,
                "party": split.party,
                "minority": split.minority,
            }
            parts = (split.women, split.party, split.minority)
            valid_alone = min(parts) >= 0 and max(parts) <= split.count
            (arriving if valid_alone else moving).append(row)
        if arriving:
            if connection.dialect.name == "postgresql":
                _upsert_columns(connection, arriving)
            else:
                upsert = sqlite.insert(table).values(
                    unit_id=bindparam("unit"),
                    dimension=bindparam("dim"),
                    value=bindparam("val"),
                    **{name: bindparam(name) for name in _COUNTS},
                )
                upsert = upsert.on_conflict_do_update(
                    index_elements=[table.c.unit_id, table.c.dimension, table.c.value],
                    set_={name: table.c[name] + upsert.excluded[name] for name in _COUNTS},
                )
                connection.execute(upsert, arriving)
        if moving:
            connection.execute(
                update(table)
                .where(
                    table.c.unit_id == bindparam("unit"),
                    table.c.dimension == bindparam("dim"),
                    table.c.value == bindparam("val"),
                )
                .values({name: table.c[name] + bindparam(name) for name in _COUNTS}),
                moving,
            )
        connection.execute(
            delete(table).where(
                table.c.unit_id.in_(sorted({key[0] for key, _split in changed})),
                table.c.count == 0,
            )
        )


def _upsert_columns(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: the rows as one array per column, unnested into one upsert (a third of the
    time of a multi-row VALUES statement per thousand rows: an import adds ten thousand keys
    per flush)."""
    table = cast(Table, HeadcountCount.__table__)
    arrays = (
        func.unnest(
            bindparam("unit", type_=ARRAY(Integer)),
            bindparam("dim", type_=ARRAY(String)),
            bindparam("val", type_=ARRAY(String)),
            *(bindparam(name, type_=ARRAY(Integer)) for name in _COUNTS),
        )
        .table_valued("unit_id", "dimension", "value", *_COUNTS)
        .render_derived("given")
    )
    upsert = postgresql.insert(table).from_select(
        ["unit_id", "dimension", "value", *_COUNTS], select(arrays)
    )
    upsert = upsert.on_conflict_do_update(
        index_elements=[table.c.unit_id, table.c.dimension, table.c.value],
        set_={name: table.c[name] + upsert.excluded[name] for name in _COUNTS},
    )
    connection.execute(
        upsert, {key: [row[key] for row in rows] for key in ("unit", "dim", "val", *_COUNTS)}
    )


def rebuild(connection: Connection) -> int:
    """Every row computed again from the dossiers (the migration that adds the table, bulk
    writers that bypass the ORM); the number of people counted. Each unit's own people are
    counted first, then added to every unit above it."""
    table = cast(Table, HeadcountCount.__table__)
    connection.execute(delete(table))
    own: dict[_Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    paths: dict[int, str] = {}
    people = 0
    for row in connection.execute(
        select(Employee.unit_id, *_PERSON)
        .join(Unit, Unit.id == Employee.unit_id)
        .where(Employee.status == EmployeeStatus.WORKING.value)
    ):
        paths[row.unit_id] = row.path
        split = _split(row, member=row.party_joined_on is not None)
        for dimension, value in _stored_values(row):
            counts = own[row.unit_id, dimension, value]
            counts[0] += 1
            counts[1] += split.women
            counts[2] += split.party
            counts[3] += split.minority
        people += 1
    subtree: dict[_Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (unit_id, dimension, value), counts in own.items():
        for above in _unit_ids(paths[unit_id]):
            _plus(subtree[above, dimension, value], counts)
    rows = [
        {
            "unit_id": unit_id,
            "dimension": dimension,
            "value": value,
            "count": counts[0],
            "women": counts[1],
            "party": counts[2],
            "minority": counts[3],
        }
        for (unit_id, dimension, value), counts in sorted(subtree.items())
    ]
    for start in range(0, len(rows), CHUNK * 10):
        connection.execute(table.insert(), rows[start : start + CHUNK * 10])
    return people


def unit_moved(connection: Connection, unit_id: int, old_path: str, new_path: str) -> None:
    """A unit moved with its subtree: its rows (its subtree's counts) leave the units that were
    above it and join those that are now."""
    rows = [
        (dimension, value, Split(count, women, party, minority))
        for dimension, value, count, women, party, minority in connection.execute(
            select(*ROW_COLUMNS[1:]).where(HeadcountCount.unit_id == unit_id)
        )
    ]
    old_above, new_above = set(_unit_ids(old_path)[:-1]), set(_unit_ids(new_path)[:-1])
    deltas = Deltas()
    deltas.add_rows(new_above - old_above, rows)
    deltas.add_rows(old_above - new_above, [(d, v, -split) for d, v, split in rows])
    deltas.write(connection)


# Keeping the rows exact: the session's flushes ------------------------------------------------

_PENDING = "hrms.reports.headcount.pending"


def _watched_changed(employee: Employee) -> bool:
    state = attributes.instance_state(employee)
    return any(state.attrs[name].history.has_changes() for name in WATCHED)


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Take away what the dossiers this flush changes or deletes counted before it."""
    session.info.pop(_PENDING, None)  # left by a flush that failed
    changed = [row for row in session.dirty if isinstance(row, Employee) and _watched_changed(row)]
    deleted = [row for row in session.deleted if isinstance(row, Employee)]
    new = [row for row in session.new if isinstance(row, Employee)]
    if not (changed or deleted or new):
        return
    deltas = Deltas()
    before = [row.id for row in (*changed, *deleted) if row.id is not None]
    for person in _people(session.connection(), before):
        deltas.add_person(person, -1)
    session.info[_PENDING] = (deltas, [*changed, *new])


def _after_flush(session: Session, flush_context: Any) -> None:
    """Add what they count after it, and write the difference."""
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    deltas, employees = pending
    after = []
    for employee in employees:
        identity = attributes.instance_state(employee).identity
        if identity is not None:
            after.append(identity[0])
    connection = session.connection()
    for person in _people(connection, after):
        deltas.add_person(person, +1)
    deltas.write(connection)


def _follow_move(unit: Unit, *, old_path: str, new_path: str) -> None:
    unit_moved(db.session.connection(), unit.id, old_path, new_path)


def connect() -> None:
    """Listen to every session's flushes and to unit moves (idempotent; the app factory calls
    it)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush_postexec", _after_flush)
    org_services.unit_moved.connect(_follow_move)


# Reading: the counts on a date ----------------------------------------------------------------


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


class AgeBands:
    """Which band a date of birth falls in on a date: the first band whose following band's
    minimum age the person has not reached (born after that many years before the date); the
    last, open-ended band otherwise."""

    def __init__(self, bands: list[Band], as_of: dt.date) -> None:
        self.last = max(len(bands) - 1, 0)
        self.limits = [years_before(as_of, band.min_age) for band in bands[1:]]
        self._months: dict[str, str] = {}

    def index(self, born: dt.date | None) -> str:
        """The band's position, as the dashboard's tables key it."""
        if born is not None:
            for index, limit in enumerate(self.limits):
                if born > limit:
                    return str(index)
        return str(self.last)

    def of_month(self, month: str) -> str:
        """The band of everyone born in a month ("YYYY-MM") that no limit cuts in two."""
        if month not in self._months:
            year, number = month.split("-") if month else ("", "")
            self._months[month] = self.index(dt.date(int(year), int(number), 1) if month else None)
        return self._months[month]

    def of_birth(self, born: dt.date) -> str:
        """The band the stored month of birth of someone born on ``born`` is read as."""
        return self.of_month(birth_month(born))

    def cut_months(self) -> list[tuple[dt.date, dt.date]]:
        """The months a limit falls in: their people are read one by one."""
        return sorted({_month_of(limit) for limit in self.limits})


@dataclass
class Counted:
    """The headcount of a scope on a date: per dimension (kind, rank, education,
    political_theory, age, sex, ethnicity, party) and value (None: not recorded; the age's
    values are the bands' positions as text), per part of the "by unit" table, and in all."""

    dimensions: dict[str, dict[str | None, Split]]
    parts: list[Split]
    total: Split


#: the dimensions read (the month of birth is read as the age band's position)
READ = ("kind", "rank", "education", "political_theory", "age", "sex", "ethnicity", "party")


def _irregular(roots: Sequence[Unit], as_of: dt.date, ages: AgeBands) -> Iterator[PersonRow]:
    """The working people of the subtrees whose stored values are not theirs on ``as_of``:
    recruited or admitted to the Party after it, or born in a month an age limit cuts (each an
    index range; the units are looked up from the people, see
    ``unit_path_beside_a_date_range``)."""
    if not roots:
        return iter(())
    path = unit_path_beside_a_date_range()
    # one index range per condition, rather than an OR that the planner may read by unit
    ranges = [
        Employee.recruited_on > as_of,
        Employee.party_joined_on > as_of,
        *(Employee.date_of_birth.between(*month) for month in ages.cut_months()),
    ]
    return iter(
        db.session.execute(
            select(*_PERSON, Employee.recruited_on)
            .join(Unit, Unit.id == Employee.unit_id)
            .where(
                Employee.id.in_(union_all(*(select(Employee.id).where(r) for r in ranges))),
                Employee.status == EmployeeStatus.WORKING.value,
                or_(*(in_subtree(root.path, path) for root in roots)),
            )
        )
    )


def _plus(into: list[int], counts: Iterable[int]) -> None:
    for index, number in enumerate(counts):
        into[index] += number


def count_on(
    roots: Sequence[Unit], parts: Sequence[Unit], as_of: dt.date, bands: list[Band]
) -> Counted:
    """The working staff of the subtrees of ``roots`` on ``as_of``, per dimension and per part
    (disjoint units in those subtrees, each counting its own subtree). Two queries: the stored
    rows of the roots (and the parts' totals), then the people whose contribution on the date
    is not the stored one, whose stored contribution is replaced by their exact one."""
    ages = AgeBands(bands, as_of)
    #: (dimension, key) -> [count, women, party, minority]
    found: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    root_ids = {unit.id for unit in roots}
    part_of = {unit.id: index for index, unit in enumerate(parts)}
    by_part = [[0, 0, 0, 0] for _part in parts]
    total = [0, 0, 0, 0]

    def add(into: list[int], sign: int, women: int, party: int, minority: int) -> None:
        into[0] += sign
        into[1] += sign * women
        into[2] += sign * party
        into[3] += sign * minority

    def read_key(dimension: str, value: str) -> tuple[str, str | None]:
        if dimension == "birth_month":
            return "age", ages.of_month(value)
        return dimension, value or None

    condition: ColumnElement[bool] = HeadcountCount.unit_id.in_(sorted(root_ids))
    if parts:
        condition = or_(
            condition,
            and_(HeadcountCount.unit_id.in_(sorted(part_of)), HeadcountCount.dimension == "all"),
        )
    for unit_id, dimension, value, count, women, party, minority in db.session.execute(
        select(*ROW_COLUMNS).where(condition)
    ):
        counts = (count, women, party, minority)
        if dimension == "all":
            if unit_id in part_of:
                _plus(by_part[part_of[unit_id]], counts)
            if unit_id in root_ids:
                _plus(total, counts)
        elif unit_id in root_ids:
            _plus(found[read_key(dimension, value)], counts)

    for person in _irregular(roots, as_of, ages):
        woman = int(person.sex == SexValue.FEMALE.value)
        minority = int(
            person.ethnicity_code is not None and person.ethnicity_code != MAJORITY_ETHNICITY
        )
        stored_member = int(person.party_joined_on is not None)
        recruited = int(person.recruited_on is None or person.recruited_on <= as_of)
        member = int(stored_member and recruited and person.party_joined_on <= as_of)
        if recruited and member == stored_member:
            # born in a month an age limit cuts, and nothing else differs: only the age band
            stored_band, band = (
                ages.of_birth(person.date_of_birth),
                ages.index(person.date_of_birth),
            )
            if band != stored_band:
                add(found["age", stored_band], -1, woman, member, minority)
                add(found["age", band], 1, woman, member, minority)
            continue
        keys = [
            read_key(dimension, value)
            for dimension, value in _stored_values(person)
            if dimension != "all"
        ]
        for key in keys:
            add(found[key], -1, woman, stored_member, minority)
        if recruited:
            exact = {**dict(keys), "age": ages.index(person.date_of_birth), "party": str(member)}
            for key in exact.items():
                add(found[key], 1, woman, member, minority)
        part = next((part_of[i] for i in _unit_ids(person.path) if i in part_of), None)
        for into in (total, by_part[part]) if part is not None else (total,):
            add(into, -1, woman, stored_member, minority)
            if recruited:
                add(into, 1, woman, member, minority)

    dimensions: dict[str, dict[str | None, Split]] = {name: {} for name in READ}
    for (read_name, read_value), numbers in found.items():
        if numbers[0]:
            dimensions[read_name][read_value] = Split(*numbers)
    return Counted(dimensions, [Split(*numbers) for numbers in by_part], Split(*total))
