"""The raise and retirement schedule kept on the dossier: each person's next raise (its date and
whether it is a step or the seniority allowance) and retirement date, stored in
``employees.next_raise_on``, ``next_raise_kind`` and ``retires_on`` so that the raise list, the
retirement list and the statistics dashboard select a range of dates in SQL instead of replaying
every ledger of the province.

The values are those of the rule code itself (``raises.next_raise`` and
``retirement.retirement_of`` with the ``RuleBook``), never a second implementation, and they are
kept exact in the transaction of every change they derive from: session events (registered by
``connect``, called from the app factory) watch each flush, so every path that writes through
the ORM keeps them (the ledger's decision service, raise batches, the Excel import, the demo,
the annual ratings, identity edits, the salary rule pages):

* a decision added, corrected or removed, an annual rating written or finalised: that person's
  next raise is computed again (two queries for all of the flush's people);
* a new dossier, or a change of sex, date of birth or "year of birth only": the retirement date;
* any salary rule row (scales, ranks, pay rules): everyone's next raise; a retirement age:
  everyone's retirement date. Batched (``CHUNK`` people per round of queries); see the README
  of the benchmark for the time it takes at 100,000 people.

Writes are plain ``UPDATE`` statements (these are derived values, not an edit of the dossier:
no new version, no audit line), and the loaded dossiers in the session are updated in place.
Bulk writers that bypass the ORM (the benchmark's generator) call ``planned_raise`` and
``planned_retirement`` themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, event, select, update
from sqlalchemy.orm import Session, attributes
from sqlalchemy.orm.util import identity_key

from hrms.employees.models import Decision, Employee
from hrms.reviews.models import AnnualRating
from hrms.reviews.scheme import Rating
from hrms.salary.models import PayRules, Rank, RetirementAge, SalaryScale, SalaryScaleStep
from hrms.salary.queries import cached_rule_book
from hrms.salary.raises import Ledger, next_raise
from hrms.salary.retirement import retirement_of
from hrms.salary.rules import RuleBook

#: people whose ledgers are read per round of queries when many are computed again
CHUNK = 2000
#: rule rows that move next raises (scales and their steps, ranks, pay rules)
RAISE_RULES = (SalaryScale, SalaryScaleStep, Rank, PayRules)
#: identity columns the retirement date derives from
IDENTITY = ("sex", "date_of_birth", "birth_year_only")
#: the decision columns the raise computation reads
_DECISION_COLUMNS = (
    Decision.id,
    Decision.employee_id,
    Decision.kind,
    Decision.number,
    Decision.signed_on,
    Decision.effective_on,
    Decision.supersedes_id,
    Decision.rank_code,
    Decision.salary_step,
    Decision.salary_coefficient,
    Decision.seniority_percent,
    Decision.early_raise_months,
    Decision.title,
)


def planned_raise(ledger: Ledger, book: RuleBook) -> tuple[dt.date | None, str | None]:
    """The stored form of a person's next raise: its date (None off a scale or while a leave
    is open) and kind (None off a scale)."""
    due = next_raise(ledger, book, explain=False)
    if due is None:
        return None, None
    return due.due, due.kind.value


def planned_retirement(
    book: RuleBook, sex: str, born: dt.date, birth_year_only: bool
) -> dt.date | None:
    found = retirement_of(book, sex, born, birth_year_only=bool(birth_year_only))
    return found.retires_on if found is not None else None


def _ids_of(ids: Iterable[int]) -> list[int]:
    return sorted(set(ids))


def ledgers_of(session: Session, employee_ids: Sequence[int]) -> dict[int, Ledger]:
    """The ledgers of these people (every one of them, empty ones too) in two queries: the
    decisions' columns the computation reads (plain rows, not ORM objects) and the final
    annual ratings (finalised only, as ``raises.load_ledgers`` reads them)."""
    found = {employee_id: Ledger(employee_id) for employee_id in employee_ids}
    if not found:
        return found
    connection = session.connection()
    for row in connection.execute(
        select(*_DECISION_COLUMNS)
        .where(Decision.employee_id.in_(list(found)))
        .order_by(Decision.employee_id, Decision.effective_on, Decision.id)
    ):
        found[row.employee_id].decisions.append(cast(Decision, row))
    final = AnnualRating.override_rating, AnnualRating.rating
    for employee_id, year, override, rating in connection.execute(
        select(AnnualRating.employee_id, AnnualRating.year, *final).where(
            AnnualRating.employee_id.in_(list(found)), AnnualRating.finalised.is_(True)
        )
    ):
        chosen = override or rating
        if chosen:
            found[employee_id].ratings[year] = Rating(chosen)
    return found


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    """One executemany ``UPDATE`` of the derived columns; loaded dossiers follow in place."""
    if not rows:
        return
    names = [name for name in rows[0] if name != "id"]
    table = cast(Table, Employee.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values({name: bindparam(name) for name in names})
    )
    session.connection().execute(
        statement, [{"_id": row["id"], **{n: row[n] for n in names}} for row in rows]
    )
    for row in rows:
        loaded = session.identity_map.get(_key(row["id"]))
        if loaded is not None:
            for name in names:
                attributes.set_committed_value(loaded, name, row[name])


def _key(employee_id: int) -> Any:
    return identity_key(Employee, employee_id)


def refresh_raises(session: Session, employee_ids: Iterable[int], book: RuleBook) -> int:
    """Compute these people's next raise again and store it; the number of people."""
    ids = _ids_of(employee_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        ledgers = ledgers_of(session, chunk)
        rows = []
        for employee_id in chunk:
            on, kind = planned_raise(ledgers[employee_id], book)
            rows.append({"id": employee_id, "next_raise_on": on, "next_raise_kind": kind})
        _write(session, rows)
    return len(ids)


def refresh_retirements(session: Session, employee_ids: Iterable[int], book: RuleBook) -> int:
    """Compute these people's retirement date again and store it; the number of people."""
    ids = _ids_of(employee_ids)
    #: people born the same day retire the same day: computed once per (sex, birth, year only)
    known: dict[tuple[str, dt.date, bool], dt.date | None] = {}
    for start in range(0, len(ids), CHUNK * 5):
        chunk = ids[start : start + CHUNK * 5]
        rows = []
        for employee_id, sex, born, year_only in session.connection().execute(
            select(
                Employee.id, Employee.sex, Employee.date_of_birth, Employee.birth_year_only
            ).where(Employee.id.in_(chunk))
        ):
            key = (sex, born, bool(year_only))
            if key not in known:
                known[key] = planned_retirement(book, *key)
            rows.append({"id": employee_id, "retires_on": known[key]})
        _write(session, rows)
    return len(ids)


def refresh_everyone(
    session: Session, book: RuleBook | None = None, *, raises: bool = True, retirements: bool = True
) -> int:
    """Everyone's next raise and/or retirement date computed again (a rule change, the
    migration that added the columns): batched, ``CHUNK`` people per round."""
    book = book or RuleBook.load(session)
    ids = list(session.scalars(select(Employee.id).order_by(Employee.id)))
    if raises:
        refresh_raises(session, ids, book)
    if retirements:
        refresh_retirements(session, ids, book)
    return len(ids)


# Keeping them exact: the session's flushes ---------------------------------------------------

_PENDING = "hrms.salary.schedule.pending"


@dataclass
class _Pending:
    raises: set[int] = field(default_factory=set)
    retirements: set[int] = field(default_factory=set)
    all_raises: bool = False
    all_retirements: bool = False

    def __bool__(self) -> bool:
        return bool(self.raises or self.retirements or self.all_raises or self.all_retirements)


def _identity_changed(employee: Employee) -> bool:
    state = attributes.instance_state(employee)
    return any(state.attrs[name].history.has_changes() for name in IDENTITY)


def _counts(rating: AnnualRating) -> bool:
    """An annual rating the raises read: finalised, or finalised until this flush."""
    history = attributes.instance_state(rating).attrs["finalised"].history
    return bool(rating.finalised) or any(history.deleted or ())


def _collect(session: Session, flush_context: Any) -> None:
    """What this flush changed that the schedule derives from (read before the flush ends)."""
    pending = session.info.setdefault(_PENDING, _Pending())
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, Decision) or (isinstance(row, AnnualRating) and _counts(row)):
            if row.employee_id is not None:
                pending.raises.add(row.employee_id)
        elif isinstance(row, Employee):
            if row in session.new or _identity_changed(row):
                pending.retirements.add(row.id)
        elif isinstance(row, RetirementAge):
            pending.all_retirements = True
        elif isinstance(row, RAISE_RULES):
            pending.all_raises = True


def _apply(session: Session, flush_context: Any) -> None:
    """Compute and store what the flush changed, in the same transaction."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    book = cached_rule_book(session)
    if pending.all_raises or pending.all_retirements:
        refresh_everyone(
            session, book, raises=pending.all_raises, retirements=pending.all_retirements
        )
    if not pending.all_raises and pending.raises:
        refresh_raises(session, pending.raises, book)
    if not pending.all_retirements and pending.retirements:
        refresh_retirements(session, {i for i in pending.retirements if i is not None}, book)


def connect() -> None:
    """Listen to every session's flushes (idempotent; the app factory calls it)."""
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "after_flush_postexec", _apply)
