"""Reads of placements, staffing tables, assessments and gaps, always scoped to the actor.

Every page is a fixed number of queries whatever the number of people or positions: rows are
fetched per table with ``IN`` lists and joined in memory.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import Integer, String, column, func, select, table

from hrms.codes import queries as codes
from hrms.core.security import Actor, Permission, Scope, authorize
from hrms.employees.models import Employee, EmployeeStatus
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.org.queries import tree_order
from hrms.staffing.models import AssessmentKind, CompetencyAssessment, Placement
from hrms.staffing.policies import (
    can_assess,
    can_assess_in,
    can_place,
    can_self_assess,
    can_view_competencies,
    can_view_staffing,
)
from positions.models import (
    Competency,
    CompetencyVersion,
    PositionPlan,
    PositionRequirement,
    RankLimit,
    UnitPosition,
)
from positions.queries import plans_in_force, positions_of_plans, versions_in_force

#: people who hold their position: at work, or on leave (a leave keeps the position)
IN_SERVICE = (EmployeeStatus.WORKING.value, EmployeeStatus.ON_LEAVE.value)
#: how many vacant positions are suggested for an unplaced person
SUGGESTIONS = 3
#: the accounts, by table name: enough to name who assessed
USERS = table("users", column("id", Integer), column("full_name", String))


def lineage_of(position: UnitPosition) -> int:
    """The position across plan versions (its first version's id)."""
    return position.lineage_id or position.id


# Loaders ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A person as one actor may see their position and competencies."""

    employee: Employee
    unit: Unit
    own: bool
    can_place: bool
    can_assess: bool
    can_self_assess: bool


def get_person_for(
    actor: Actor, employee_id: int, *, place: bool = False, assess: bool = False
) -> Person:
    """404 when absent or out of scope; 403 when visible but the action is not the actor's.
    ``assess`` asks for the scope only: assessing oneself is refused by the service, with a
    message."""
    row = db.session.execute(
        select(Employee, Unit)
        .join(Unit, Unit.id == Employee.unit_id)
        .where(Employee.id == employee_id)
    ).first()
    employee, unit = (row[0], row[1]) if row else (None, None)
    visible = unit is not None and can_view_competencies(actor, employee_id, unit.path)
    placing = unit is not None and can_place(actor, unit.path)
    assessing = unit is not None and can_assess_in(actor, unit.path)
    allowed = (placing or not place) and (assessing or not assess)
    authorize(employee, visible=visible, allowed=allowed)
    assert employee is not None and unit is not None
    return Person(
        employee=employee,
        unit=unit,
        own=actor.employee_id == employee.id,
        can_place=placing,
        can_assess=can_assess(actor, employee.id, unit.path),
        can_self_assess=can_self_assess(actor, employee.id),
    )


def get_unit_for(actor: Actor, unit_id: int) -> Unit:
    """A unit whose staffing the actor may see; 404 otherwise."""
    unit = db.session.get(Unit, unit_id)
    return authorize(unit, visible=unit is not None and can_view_staffing(actor, unit.path))


@dataclass(frozen=True)
class LoadedPlacement:
    placement: Placement
    position: UnitPosition
    employee: Employee
    unit: Unit


def get_placement_for(actor: Actor, placement_id: int, *, end: bool = False) -> LoadedPlacement:
    """The placement through its position's unit: 404 out of sight, 403 when it may not be
    ended by the actor."""
    row = db.session.execute(
        select(Placement, UnitPosition, Employee, Unit)
        .join(UnitPosition, UnitPosition.id == Placement.position_id)
        .join(Employee, Employee.id == Placement.employee_id)
        .join(Unit, Unit.id == Placement.unit_id)
        .where(Placement.id == placement_id)
    ).first()
    visible = row is not None and can_view_competencies(actor, row[2].id, row[3].path)
    allowed = row is not None and (can_place(actor, row[3].path) or not end)
    authorize(row, visible=visible, allowed=allowed)
    assert row is not None
    return LoadedPlacement(row[0], row[1], row[2], row[3])


# Placements ---------------------------------------------------------------------------------


def open_placements(employee_id: int) -> list[Placement]:
    return list(
        db.session.scalars(
            select(Placement)
            .where(Placement.employee_id == employee_id, Placement.ended_on.is_(None))
            .order_by(Placement.main.desc(), Placement.started_on)
        )
    )


@dataclass(frozen=True)
class PlacementLine:
    placement: Placement
    position: UnitPosition
    unit_name: str


def placements_of(employee_id: int) -> list[PlacementLine]:
    """The person's placements, open ones first, then the latest."""
    rows = db.session.execute(
        select(Placement, UnitPosition, Unit.name)
        .join(UnitPosition, UnitPosition.id == Placement.position_id)
        .join(Unit, Unit.id == Placement.unit_id)
        .where(Placement.employee_id == employee_id)
        .order_by(
            Placement.ended_on.is_not(None),
            Placement.main.desc(),
            Placement.started_on.desc(),
            Placement.id.desc(),
        )
    )
    return [PlacementLine(p, position, name) for p, position, name in rows]


def placed_counts(lineage_ids: Iterable[int]) -> dict[int, int]:
    """People in service holding each position as their main one (a concurrent holder counts in
    their main position's headcount, not here): lineage id -> count, absent when none.

    Registered as ``app.extensions["positions.occupancy"]``: the positions feature refuses a
    headcount below it without knowing of people."""
    ids = list(lineage_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Placement.lineage_id, func.count())
        .join(Employee, Employee.id == Placement.employee_id)
        .where(
            Placement.lineage_id.in_(ids),
            Placement.ended_on.is_(None),
            Placement.main.is_(True),
            Employee.status.in_(IN_SERVICE),
        )
        .group_by(Placement.lineage_id)
    )
    return {lineage: count for lineage, count in rows}


# Competencies and assessments ---------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    competency: Competency
    version: CompetencyVersion
    level: int

    @property
    def objective(self) -> str:
        """What the position expects: the descriptor of the required level."""
        return self.version.descriptor(self.level)


def requirements_of(position_ids: Iterable[int]) -> dict[int, list[Requirement]]:
    """Each position's competency requirements, in the dictionary's order, in one query."""
    ids = list(position_ids)
    found: dict[int, list[Requirement]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        select(
            PositionRequirement.position_id,
            PositionRequirement.level,
            Competency,
            CompetencyVersion,
        )
        .join(CompetencyVersion, CompetencyVersion.id == PositionRequirement.competency_version_id)
        .join(Competency, Competency.id == PositionRequirement.competency_id)
        .where(PositionRequirement.position_id.in_(ids))
        .order_by(Competency.family, Competency.ordinal, Competency.code)
    )
    for position_id, level, competency, version in rows:
        found[position_id].append(Requirement(competency, version, level))
    return found


@dataclass(frozen=True)
class Assessed:
    assessment: CompetencyAssessment
    competency: Competency
    version: CompetencyVersion
    assessor: str | None = None

    @property
    def level(self) -> int:
        return self.assessment.level


def latest_assessments(
    employee_ids: Iterable[int], kinds: Iterable[str] = (AssessmentKind.HEAD.value,)
) -> dict[tuple[int, int, str], Assessed]:
    """The latest assessment of each person, competency and kind: one query.
    Key: (employee id, competency id, kind)."""
    ids = list(employee_ids)
    if not ids:
        return {}
    ranked = (
        select(
            CompetencyAssessment.id,
            func.row_number()
            .over(
                partition_by=(
                    CompetencyAssessment.employee_id,
                    CompetencyAssessment.competency_id,
                    CompetencyAssessment.kind,
                ),
                order_by=(CompetencyAssessment.assessed_on.desc(), CompetencyAssessment.id.desc()),
            )
            .label("rank"),
        )
        .where(
            CompetencyAssessment.employee_id.in_(ids),
            CompetencyAssessment.kind.in_(list(kinds)),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(CompetencyAssessment, Competency, CompetencyVersion)
        .join(ranked, ranked.c.id == CompetencyAssessment.id)
        .join(Competency, Competency.id == CompetencyAssessment.competency_id)
        .join(CompetencyVersion, CompetencyVersion.id == CompetencyAssessment.competency_version_id)
        .where(ranked.c.rank == 1)
    )
    return {
        (a.employee_id, a.competency_id, a.kind): Assessed(a, competency, version)
        for a, competency, version in rows
    }


def assessment_history(employee_id: int) -> list[Assessed]:
    """Every assessment of the person, newest first, with who made it."""
    rows = db.session.execute(
        select(CompetencyAssessment, Competency, CompetencyVersion, USERS.c.full_name)
        .join(Competency, Competency.id == CompetencyAssessment.competency_id)
        .join(CompetencyVersion, CompetencyVersion.id == CompetencyAssessment.competency_version_id)
        .outerjoin(USERS, USERS.c.id == CompetencyAssessment.assessed_by)
        .where(CompetencyAssessment.employee_id == employee_id)
        .order_by(CompetencyAssessment.assessed_on.desc(), CompetencyAssessment.id.desc())
    )
    return [Assessed(a, competency, version, name) for a, competency, version, name in rows]


def version_in_force(competency_id: int, on: dt.date) -> CompetencyVersion | None:
    return db.session.scalar(
        select(CompetencyVersion)
        .where(
            CompetencyVersion.competency_id == competency_id, CompetencyVersion.effective_from <= on
        )
        .order_by(CompetencyVersion.effective_from.desc())
        .limit(1)
    )


def first_version(competency_id: int) -> CompetencyVersion | None:
    return db.session.scalar(
        select(CompetencyVersion)
        .where(CompetencyVersion.competency_id == competency_id)
        .order_by(CompetencyVersion.effective_from)
        .limit(1)
    )


@dataclass(frozen=True)
class Offered:
    """A competency offered for assessment, with the version in force and the level the
    person's position requires (None when it requires none)."""

    competency: Competency
    version: CompetencyVersion
    required: int | None


def assessable(on: dt.date, required: dict[int, int]) -> list[Offered]:
    """Competencies offered for assessment: those the position requires (competency id ->
    level) first, then every other active one in force."""
    in_force = versions_in_force(on)
    competencies = db.session.scalars(
        select(Competency)
        .where(Competency.active.is_(True))
        .order_by(Competency.family, Competency.ordinal, Competency.code)
    )
    offered = [
        Offered(c, in_force[c.id], required.get(c.id)) for c in competencies if c.id in in_force
    ]
    return sorted(offered, key=lambda o: o.required is None)


# Gaps ---------------------------------------------------------------------------------------


class GapStatus(enum.StrEnum):
    #: assessed below the required level: a training need
    NEED = "need"
    #: assessed at or above the required level
    MET = "met"
    #: required, but no unit head's assessment yet
    NOT_ASSESSED = "not_assessed"
    #: assessed, but not required by the position
    NOT_REQUIRED = "not_required"


@dataclass(frozen=True)
class GapRow:
    competency: Competency
    #: the wording the requirement (or, when not required, the assessment) refers to
    version: CompetencyVersion
    required: int | None
    assessed: Assessed | None
    self_assessed: Assessed | None

    @property
    def gap(self) -> int | None:
        """Required minus assessed: positive is a training need."""
        if self.required is None or self.assessed is None:
            return None
        return self.required - self.assessed.level

    @property
    def status(self) -> GapStatus:
        if self.required is None:
            return GapStatus.NOT_REQUIRED
        if self.assessed is None:
            return GapStatus.NOT_ASSESSED
        return GapStatus.NEED if (self.gap or 0) > 0 else GapStatus.MET

    @property
    def objective(self) -> str | None:
        """The training objective: what the required level describes."""
        return self.version.descriptor(self.required) if self.required else None


@dataclass(frozen=True)
class PersonGaps:
    employee: Employee
    position: UnitPosition | None
    concurrent: list[UnitPosition]
    rows: list[GapRow]
    #: competencies assessed that the position does not require
    others: list[GapRow]

    @property
    def training_needs(self) -> list[GapRow]:
        return sorted(
            (row for row in self.rows if row.status is GapStatus.NEED),
            key=lambda row: -(row.gap or 0),
        )

    @property
    def not_assessed(self) -> list[GapRow]:
        return [row for row in self.rows if row.status is GapStatus.NOT_ASSESSED]


def person_gaps(employee: Employee) -> PersonGaps:
    """Required against assessed per competency of the person's main position (5 queries)."""
    open_ones = db.session.execute(
        select(Placement, UnitPosition)
        .join(UnitPosition, UnitPosition.id == Placement.position_id)
        .where(Placement.employee_id == employee.id, Placement.ended_on.is_(None))
        .order_by(Placement.started_on)
    ).all()
    position = next((pos for p, pos in open_ones if p.main), None)
    if position is None and employee.position_id is not None:
        position = db.session.get(UnitPosition, employee.position_id)
    concurrent = [pos for p, pos in open_ones if not p.main]
    requirements = requirements_of([position.id]).get(position.id, []) if position else []
    latest = latest_assessments(
        [employee.id], (AssessmentKind.HEAD.value, AssessmentKind.SELF.value)
    )
    rows = [
        GapRow(
            r.competency,
            r.version,
            r.level,
            latest.get((employee.id, r.competency.id, AssessmentKind.HEAD.value)),
            latest.get((employee.id, r.competency.id, AssessmentKind.SELF.value)),
        )
        for r in requirements
    ]
    required = {r.competency.id for r in requirements}
    others: dict[int, GapRow] = {}
    for (_employee, competency_id, _kind), assessed in sorted(
        latest.items(), key=lambda item: (item[1].competency.family, item[1].competency.ordinal)
    ):
        if competency_id in required or competency_id in others:
            continue
        head = latest.get((employee.id, competency_id, AssessmentKind.HEAD.value))
        own = latest.get((employee.id, competency_id, AssessmentKind.SELF.value))
        others[competency_id] = GapRow(
            assessed.competency, (head or assessed).version, None, head, own
        )
    return PersonGaps(employee, position, concurrent, rows, list(others.values()))


def heat_class(row: GapRow | HeatCell | None) -> str:
    """The heat-map colour of a cell, as CSS classes (Bootstrap's table colours: no inline
    style): red for a gap of 2 or more, amber for 1, green when met, grey when not assessed."""
    if row is None:
        return "heat-none"
    if row.status is GapStatus.NOT_ASSESSED:
        return "table-secondary heat-unknown"
    gap = row.gap or 0
    if gap >= 2:
        return "table-danger heat-2"
    if gap == 1:
        return "table-warning heat-1"
    return "table-success heat-0"


class HeatCell(NamedTuple):
    """One cell of the unit's heat map: a competency a person's main position requires, at
    ``required``, against the ``level`` of the unit head's latest assessment (None: none yet).
    GapRow's rules, without the wording and the assessment records the map does not show.
    (A tuple of numbers: the garbage collector stops tracking it, and a map has thousands.)"""

    required: int
    level: int | None

    @property
    def gap(self) -> int | None:
        return None if self.level is None else self.required - self.level

    @property
    def status(self) -> GapStatus:
        if self.level is None:
            return GapStatus.NOT_ASSESSED
        return GapStatus.NEED if self.required > self.level else GapStatus.MET

    @property
    def shown(self) -> str:
        """What the cell reads: the gap, or ? when not assessed."""
        gap = self.gap
        return "?" if gap is None else str(gap)


def latest_levels(employee_ids: Iterable[int], kind: str) -> dict[tuple[int, int], int]:
    """The level of each person's latest assessment of ``kind`` per competency (the same
    "latest" as ``latest_assessments``), in one query. Key: (employee id, competency id)."""
    ids = list(employee_ids)
    if not ids:
        return {}
    ranked = (
        select(
            CompetencyAssessment.employee_id,
            CompetencyAssessment.competency_id,
            CompetencyAssessment.level,
            func.row_number()
            .over(
                partition_by=(CompetencyAssessment.employee_id, CompetencyAssessment.competency_id),
                order_by=(CompetencyAssessment.assessed_on.desc(), CompetencyAssessment.id.desc()),
            )
            .label("rank"),
        )
        .where(CompetencyAssessment.employee_id.in_(ids), CompetencyAssessment.kind == kind)
        .subquery()
    )
    return {
        (employee_id, competency_id): level
        for employee_id, competency_id, level in db.session.execute(
            select(ranked.c.employee_id, ranked.c.competency_id, ranked.c.level).where(
                ranked.c.rank == 1
            )
        )
    }


@dataclass
class CompetencyGaps:
    """One competency across the unit's people: counts by gap size, and whom to train."""

    competency: Competency
    version: CompetencyVersion
    counts: dict[str, int] = field(default_factory=lambda: {"2+": 0, "1": 0, "0": 0, "?": 0})
    to_train: list[tuple[Employee, HeatCell]] = field(default_factory=list)


@dataclass(frozen=True)
class UnitGaps:
    unit: Unit
    people: list[tuple[Employee, UnitPosition | None, dict[int, HeatCell]]]
    competencies: list[CompetencyGaps]

    @property
    def grid(self) -> list[tuple[Employee, UnitPosition, list[tuple[str, str]]]]:
        """The placed people's rows of the map, each cell as (CSS classes, text) in the order
        of ``competencies`` (the page writes thousands of cells: their colours and texts are
        worked out here, once, rather than by the template cell by cell)."""
        ids = [column.competency.id for column in self.competencies]
        none = (heat_class(None), "·")
        return [
            (
                person,
                position,
                [
                    none if cell is None else (heat_class(cell), cell.shown)
                    for cell in map(cells.get, ids)
                ],
            )
            for person, position, cells in self.people
            if position is not None
        ]

    @property
    def unplaced(self) -> list[Employee]:
        return [employee for employee, position, _cells in self.people if position is None]

    @property
    def positions(self) -> list[PositionHeat]:
        """The same map folded by position: positions × competencies (no more queries)."""
        found: dict[int, PositionHeat] = {}
        for _person, position, cells in self.people:
            if position is None:
                continue
            heat = found.setdefault(position.id, PositionHeat(position))
            heat.holders += 1
            for competency_id, row in cells.items():
                heat.cells.setdefault(competency_id, PositionCell(row.required or 0)).add(row)
        return sorted(found.values(), key=lambda heat: (heat.position.code, heat.position.id))

    @property
    def position_grid(self) -> list[tuple[PositionHeat, list[tuple[str, str]]]]:
        """The rows of the map folded by position, each cell as (CSS classes, text) in the
        order of ``competencies``, as ``grid``."""
        ids = [column.competency.id for column in self.competencies]
        none = (position_heat_class(None), "·")
        return [
            (
                heat,
                [
                    none if cell is None else (position_heat_class(cell), cell.shown)
                    for cell in map(heat.cells.get, ids)
                ],
            )
            for heat in self.positions
        ]


@dataclass
class PositionCell:
    """One competency a position requires, across its holders."""

    required: int
    #: holders below the required level (training needs)
    need: int = 0
    #: holders with a unit head's assessment
    assessed: int = 0
    #: the largest gap among them (None: nobody assessed)
    worst: int | None = None

    def add(self, row: GapRow | HeatCell) -> None:
        if row.gap is None:
            return
        self.assessed += 1
        self.need += 1 if row.gap > 0 else 0
        self.worst = row.gap if self.worst is None else max(self.worst, row.gap)

    @property
    def shown(self) -> str:
        """What the cell reads: needs of those assessed, or ? when nobody is assessed."""
        return "?" if self.assessed == 0 else f"{self.need}/{self.assessed}"


@dataclass
class PositionHeat:
    position: UnitPosition
    holders: int = 0
    cells: dict[int, PositionCell] = field(default_factory=dict)


def position_heat_class(cell: PositionCell | None) -> str:
    """The colour of a position's cell: its holders' largest gap, as for a person's cell."""
    if cell is None:
        return "heat-none"
    if cell.worst is None:
        return "table-secondary heat-unknown"
    if cell.worst >= 2:
        return "table-danger heat-2"
    if cell.worst == 1:
        return "table-warning heat-1"
    return "table-success heat-0"


def unit_gaps(unit: Unit) -> UnitGaps:
    """The heat map of a unit: its people in service × the competencies their main positions
    require (4 queries whatever the size)."""
    people = list(
        db.session.scalars(
            select(Employee)
            .where(Employee.unit_id == unit.id, Employee.status.in_(IN_SERVICE))
            .order_by(Employee.search_name, Employee.id)
        )
    )
    position_ids = {e.position_id for e in people if e.position_id is not None}
    positions = (
        {
            p.id: p
            for p in db.session.scalars(
                select(UnitPosition).where(UnitPosition.id.in_(position_ids))
            )
        }
        if position_ids
        else {}
    )
    requirements = requirements_of(position_ids)
    levels = latest_levels([e.id for e in people], AssessmentKind.HEAD.value)
    columns: dict[int, CompetencyGaps] = {}
    lines = []
    for person in people:
        position = positions.get(person.position_id) if person.position_id else None
        cells: dict[int, HeatCell] = {}
        for r in requirements.get(position.id, []) if position else []:
            row = HeatCell(r.level, levels.get((person.id, r.competency.id)))
            cells[r.competency.id] = row
            column_ = columns.setdefault(r.competency.id, CompetencyGaps(r.competency, r.version))
            gap = row.gap
            bucket = "?" if gap is None else "2+" if gap >= 2 else "1" if gap == 1 else "0"
            column_.counts[bucket] += 1
            if row.status is GapStatus.NEED:
                column_.to_train.append((person, row))
        lines.append((person, position, cells))
    ordered = sorted(
        columns.values(),
        key=lambda c: (c.competency.family, c.competency.ordinal, c.competency.code),
    )
    for column_ in ordered:
        column_.to_train.sort(key=lambda item: (-(item[1].gap or 0), item[0].search_name))
    return UnitGaps(unit, lines, ordered)


# Staffing table -----------------------------------------------------------------------------


class RankFit(enum.StrEnum):
    USUAL = "usual"
    LISTED = "listed"
    ANY = "any"
    OTHER = "other"


class EducationFit(enum.StrEnum):
    MEETS = "meets"
    NOT_REQUIRED = "not_required"
    UNKNOWN = "unknown"
    BELOW = "below"


#: points of a suggestion (out of 100): rank 40, education 30, competencies 30
RANK_POINTS = {RankFit.USUAL: 40, RankFit.LISTED: 30, RankFit.ANY: 20, RankFit.OTHER: 0}
EDUCATION_POINTS = {
    EducationFit.MEETS: 30,
    EducationFit.NOT_REQUIRED: 30,
    EducationFit.UNKNOWN: 10,
    EducationFit.BELOW: 0,
}
COMPETENCY_POINTS = 30


def rank_fit(rank_code: str | None, position: UnitPosition) -> RankFit:
    ranks = position.rank_list
    if not ranks:
        return RankFit.ANY
    if rank_code == ranks[0]:
        return RankFit.USUAL
    return RankFit.LISTED if rank_code in ranks else RankFit.OTHER


def education_order() -> dict[str, int]:
    """Qualification code -> height (larger is higher), from the code list's order, which
    lists the highest first."""
    entries = codes.entries("education_level", include_inactive=True)
    return {entry.code: len(entries) - index for index, entry in enumerate(entries)}


def education_fit(code: str | None, position: UnitPosition, order: dict[str, int]) -> EducationFit:
    if not position.education_code:
        return EducationFit.NOT_REQUIRED
    if not code or code not in order or position.education_code not in order:
        return EducationFit.UNKNOWN
    return (
        EducationFit.MEETS if order[code] >= order[position.education_code] else EducationFit.BELOW
    )


@dataclass(frozen=True)
class Suggestion:
    """A vacant position for an unplaced person, with why it fits."""

    position: UnitPosition
    vacant: int
    rank_fit: RankFit
    education_fit: EducationFit
    required: int
    met: int
    not_assessed: int

    @property
    def score(self) -> int:
        competencies = (
            COMPETENCY_POINTS * self.met // self.required
            if self.required
            else COMPETENCY_POINTS // 2
        )
        return RANK_POINTS[self.rank_fit] + EDUCATION_POINTS[self.education_fit] + competencies

    @property
    def reasons(self) -> list[str]:
        rank = {
            RankFit.USUAL: _("holds the position's usual rank"),
            RankFit.LISTED: _("holds one of the position's ranks"),
            RankFit.ANY: _("the position names no rank"),
            RankFit.OTHER: _("rank not among the position's ranks"),
        }[self.rank_fit]
        education = {
            EducationFit.MEETS: _("qualification meets the requirement"),
            EducationFit.NOT_REQUIRED: _("no qualification required"),
            EducationFit.UNKNOWN: _("qualification not recorded"),
            EducationFit.BELOW: _("qualification below the requirement"),
        }[self.education_fit]
        if not self.required:
            competencies = _("no competency requirements")
        else:
            competencies = _(
                "%(met)s of %(required)s required competencies at level",
                met=self.met,
                required=self.required,
            )
            if self.not_assessed:
                competencies += " " + _("(%(count)s not assessed)", count=self.not_assessed)
        return [rank, education, competencies]


def suggest(
    employee: Employee,
    rows: list[PositionRow],
    assessments: dict[tuple[int, int, str], Assessed],
    order: dict[str, int],
) -> list[Suggestion]:
    """The best-fitting vacant positions, best first (ties by code)."""
    found = []
    for row in rows:
        if row.vacant <= 0:
            continue
        met = not_assessed = 0
        for r in row.requirements:
            assessed = assessments.get((employee.id, r.competency.id, AssessmentKind.HEAD.value))
            if assessed is None:
                not_assessed += 1
            elif assessed.level >= r.level:
                met += 1
        found.append(
            Suggestion(
                row.position,
                row.vacant,
                rank_fit(employee.rank_code, row.position),
                education_fit(employee.qualification_code, row.position, order),
                len(row.requirements),
                met,
                not_assessed,
            )
        )
    found.sort(key=lambda s: (-s.score, s.position.code))
    return found[:SUGGESTIONS]


@dataclass(frozen=True)
class Holder:
    employee: Employee
    placement: Placement
    #: the person's rank is among the position's ranks (or the position names none)
    rank_matches: bool
    #: the person has moved to another unit since (the placement is still open)
    elsewhere: bool


@dataclass(frozen=True)
class RatioBreach:
    position: UnitPosition
    rank_code: str
    max_percent: int
    holders: int

    @property
    def allowed(self) -> float:
        """The most people that may hold the rank: max_percent of the headcount."""
        return self.max_percent * self.position.headcount / 100


@dataclass
class PositionRow:
    position: UnitPosition
    requirements: list[Requirement] = field(default_factory=list)
    rank_limits: list[RankLimit] = field(default_factory=list)
    holders: list[Holder] = field(default_factory=list)
    concurrent: list[Holder] = field(default_factory=list)
    breaches: list[RatioBreach] = field(default_factory=list)

    @property
    def placed(self) -> int:
        return len(self.holders)

    @property
    def vacant(self) -> int:
        return max(self.position.headcount - self.placed, 0)

    @property
    def over(self) -> int:
        return max(self.placed - self.position.headcount, 0)

    @property
    def mismatched(self) -> list[Holder]:
        return [holder for holder in self.holders if not holder.rank_matches]


@dataclass(frozen=True)
class Unplaced:
    employee: Employee
    suggestions: list[Suggestion]
    #: an open main placement outside the plan in force (another unit, or a removed position)
    held_elsewhere: PlacementLine | None = None


@dataclass(frozen=True)
class StaffingTable:
    unit: Unit
    on: dt.date
    plan: PositionPlan | None
    rows: list[PositionRow]
    unplaced: list[Unplaced]

    @property
    def headcount(self) -> int:
        return sum(row.position.headcount for row in self.rows)

    @property
    def placed(self) -> int:
        return sum(row.placed for row in self.rows)

    @property
    def concurrent(self) -> int:
        return sum(len(row.concurrent) for row in self.rows)

    @property
    def vacant(self) -> int:
        return sum(row.vacant for row in self.rows)

    @property
    def over(self) -> int:
        return sum(row.over for row in self.rows)

    @property
    def mismatched(self) -> list[tuple[PositionRow, Holder]]:
        return [(row, holder) for row in self.rows for holder in row.mismatched]

    @property
    def breaches(self) -> list[RatioBreach]:
        return [breach for row in self.rows for breach in row.breaches]


def staffing_table(unit: Unit, on: dt.date) -> StaffingTable:
    """Per position of the plan in force: headcount, placed, concurrent, vacant, over, rank
    mismatches and ratio breaches; the unit's people not yet placed, with suggestions.
    At most nine queries, whatever the number of people and positions."""
    plan = plans_in_force([unit.id], on).get(unit.id)
    positions = positions_of_plans([plan.id]) if plan else []
    rows = [PositionRow(position) for position in positions]
    by_id = {row.position.id: row for row in rows}
    by_lineage = {lineage_of(row.position): row for row in rows}
    if rows:
        for position_id, requirements in requirements_of(list(by_id)).items():
            by_id[position_id].requirements = requirements
        for limit in db.session.scalars(
            select(RankLimit)
            .where(RankLimit.position_id.in_(list(by_id)))
            .order_by(RankLimit.rank_code)
        ):
            by_id[limit.position_id].rank_limits.append(limit)
        placed = db.session.execute(
            select(Placement, Employee)
            .join(Employee, Employee.id == Placement.employee_id)
            .where(
                Placement.lineage_id.in_(list(by_lineage)),
                Placement.ended_on.is_(None),
                Employee.status.in_(IN_SERVICE),
            )
            .order_by(Employee.search_name, Employee.id)
        )
        for placement, employee in placed:
            row = by_lineage[placement.lineage_id]
            ranks = row.position.rank_list
            holder = Holder(
                employee,
                placement,
                rank_matches=not ranks or employee.rank_code in ranks,
                elsewhere=employee.unit_id != unit.id,
            )
            (row.holders if placement.main else row.concurrent).append(holder)
        for row in rows:
            for limit in row.rank_limits:
                count = sum(1 for h in row.holders if h.employee.rank_code == limit.rank_code)
                if count * 100 > limit.max_percent * row.position.headcount:
                    row.breaches.append(
                        RatioBreach(row.position, limit.rank_code, limit.max_percent, count)
                    )
    placed_ids = {holder.employee.id for row in rows for holder in row.holders}
    people = [
        employee
        for employee in db.session.scalars(
            select(Employee)
            .where(Employee.unit_id == unit.id, Employee.status.in_(IN_SERVICE))
            .order_by(Employee.search_name, Employee.id)
        )
        if employee.id not in placed_ids
    ]
    unplaced: list[Unplaced] = []
    if people:
        held = _main_placements_of([p.id for p in people])
        assessments = latest_assessments([p.id for p in people]) if rows else {}
        order = education_order() if rows else {}
        unplaced = [
            Unplaced(p, suggest(p, rows, assessments, order), held.get(p.id)) for p in people
        ]
    return StaffingTable(unit, on, plan, rows, unplaced)


def _main_placements_of(employee_ids: list[int]) -> dict[int, PlacementLine]:
    rows = db.session.execute(
        select(Placement, UnitPosition, Unit.name)
        .join(UnitPosition, UnitPosition.id == Placement.position_id)
        .join(Unit, Unit.id == Placement.unit_id)
        .where(
            Placement.employee_id.in_(employee_ids),
            Placement.main.is_(True),
            Placement.ended_on.is_(None),
        )
    )
    return {p.employee_id: PlacementLine(p, position, name) for p, position, name in rows}


def suggestions_for(table_: StaffingTable, employee: Employee) -> list[Suggestion]:
    """The vacant positions of a staffing table that fit one person best (2 queries)."""
    if not table_.rows:
        return []
    return suggest(employee, table_.rows, latest_assessments([employee.id]), education_order())


# Overview -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitLine:
    unit: Unit
    plan: PositionPlan | None
    people: int
    placed: int

    @property
    def unplaced(self) -> int:
        return self.people - self.placed


def units_overview(actor: Actor, on: dt.date) -> list[UnitLine]:
    """Open units whose staffing the actor sees, in tree order, with their plan in force and
    how many of their people are placed (4 queries)."""
    units = tree_order(
        list(
            db.session.scalars(
                select(Unit).where(
                    Scope.for_actor(actor, Permission.POSITIONS_VIEW).filter(Unit.path),
                    Unit.effective_to.is_(None),
                )
            )
        )
    )
    ids = [u.id for u in units]
    plans = plans_in_force(ids, on)
    people: dict[int, int] = {}
    placed: dict[int, int] = {}
    if ids:
        in_service = (Employee.unit_id.in_(ids), Employee.status.in_(IN_SERVICE))
        people = {
            unit_id: count
            for unit_id, count in db.session.execute(
                select(Employee.unit_id, func.count()).where(*in_service).group_by(Employee.unit_id)
            )
        }
        holding = (
            select(Placement.id)
            .where(
                Placement.employee_id == Employee.id,
                Placement.main.is_(True),
                Placement.ended_on.is_(None),
                Placement.unit_id == Employee.unit_id,
            )
            .exists()
        )
        placed = {
            unit_id: count
            for unit_id, count in db.session.execute(
                select(Employee.unit_id, func.count())
                .where(*in_service, holding)
                .group_by(Employee.unit_id)
            )
        }
    return [UnitLine(u, plans.get(u.id), people.get(u.id, 0), placed.get(u.id, 0)) for u in units]
