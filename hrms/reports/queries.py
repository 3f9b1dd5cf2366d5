"""The numbers of the statistics dashboard and of the statistical report, always scoped.

The headcount tables are read from the maintained aggregate (``hrms.reports.headcount``: the
stored rows of the counted unit and of its parts, and the few people the date moves); the
ratings are two small queries each. The number of queries is fixed whatever the headcount.
Each dimension is also split by sex, Party membership and ethnic minority, which the
statistical report prints as "of which" columns.

The employment columns read here (unit, rank, status) are the cache of the decisions ledger on
the employee row, i.e. the current state; the "as of" date sets the ages, Party membership,
recruitment (people recruited later are left out) and which review period and year are shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    and_,
    func,
    or_,
    select,
)

from hrms.codes.models import CodeEntry, CodeList
from hrms.core.security import Actor, Permission, Scope, authorize, subtree_upper_bound
from hrms.employees.models import KIND_LABELS, SEX_LABELS, EmployeeKind
from hrms.employees.models import Sex as SexValue
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.reports.headcount import Counted, Split, count_on
from hrms.reports.models import AgeBand, Band, bands_of
from hrms.reports.policies import can_view_statistics
from hrms.reviews.models import (
    PERIOD_KIND_LABELS,
    RATING_LABELS,
    AnnualRating,
    Review,
    ReviewPeriod,
    ReviewState,
)
from hrms.reviews.scheme import PeriodKind, Rating

#: the key of a row that gathers people with nothing recorded
NOT_RECORDED = ""

KIND_NAMES = {
    EmployeeKind.CAN_BO: "Cán bộ",
    EmployeeKind.CONG_CHUC: "Công chức",
    EmployeeKind.VIEN_CHUC: "Viên chức",
    EmployeeKind.CONTRACT: "Hợp đồng lao động",
}
SEX_NAMES = {SexValue.MALE: "Nam", SexValue.FEMALE: "Nữ"}
RATING_NAMES = {
    Rating.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Rating.GOOD: "Hoàn thành tốt nhiệm vụ",
    Rating.COMPLETE: "Hoàn thành nhiệm vụ",
    Rating.INCOMPLETE: "Không hoàn thành nhiệm vụ",
}


@dataclass(frozen=True)
class TableInfo:
    #: the dashboard's title (translated)
    title: Any
    #: the report's title, in Vietnamese as offices exchange it
    title_vi: str
    #: how the report names the rows' column
    column_vi: str
    #: headcount tables split into "of which" columns; rating tables do not
    headcount: bool = True


TABLES: dict[str, TableInfo] = {
    "kind": TableInfo(_l("By kind of personnel"), "Theo loại cán bộ, công chức, viên chức", "Loại"),
    "rank": TableInfo(
        _l("By rank or professional title"),
        "Theo ngạch công chức, chức danh nghề nghiệp viên chức",
        "Mã ngạch, chức danh",
    ),
    "education": TableInfo(
        _l("By professional qualification"), "Theo trình độ chuyên môn", "Trình độ chuyên môn"
    ),
    "political_theory": TableInfo(
        _l("By political theory"), "Theo trình độ lý luận chính trị", "Trình độ lý luận chính trị"
    ),
    "age": TableInfo(_l("By age"), "Theo độ tuổi", "Độ tuổi"),
    "sex": TableInfo(_l("By sex"), "Theo giới tính", "Giới tính"),
    "ethnicity": TableInfo(_l("By ethnic group"), "Theo dân tộc", "Dân tộc"),
    "party": TableInfo(
        _l("By Party membership"), "Theo đảng viên Đảng Cộng sản Việt Nam", "Đảng viên"
    ),
    "unit": TableInfo(_l("By unit"), "Theo cơ quan, đơn vị", "Cơ quan, đơn vị"),
    "period_ratings": TableInfo(
        _l("Ratings of the last review period"),
        "Kết quả xếp loại kỳ đánh giá gần nhất",
        "Mức xếp loại",
        headcount=False,
    ),
    "annual_ratings": TableInfo(
        _l("Annual ratings of the last year"),
        "Kết quả xếp loại chất lượng năm gần nhất",
        "Mức xếp loại",
        headcount=False,
    ),
}
HEADCOUNT_TABLES = tuple(name for name, info in TABLES.items() if info.headcount)


@dataclass
class Row:
    """One line of a table: a category and its count (with the "of which" counts)."""

    key: str
    #: the dashboard's label (translated where the category is an English msgid)
    label: str
    #: the report's label, in Vietnamese
    label_vi: str
    count: int = 0
    women: int = 0
    party: int = 0
    minority: int = 0


@dataclass
class Table:
    name: str
    rows: list[Row]
    #: what the table is of, when it depends on the data ("Month 10/2026", "2025")
    subtitle: str = ""
    #: the same in Vietnamese, for the report ("tháng 10/2026")
    subtitle_vi: str = ""

    @property
    def info(self) -> TableInfo:
        return TABLES[self.name]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)

    def sum_of(self, attribute: str) -> int:
        return sum(int(getattr(row, attribute)) for row in self.rows)

    def share(self, row: Row) -> float:
        """The row's percentage of the table's total (0 when the table is empty)."""
        total = self.total
        return round(100 * row.count / total, 1) if total else 0.0


@dataclass
class Statistics:
    as_of: dt.date
    #: the unit whose subtree is counted; None when the scope has several roots
    focus: Unit | None
    #: the tables by name (TABLES' order): headcount dimensions, then the ratings
    tables: dict[str, Table] = field(default_factory=dict)
    #: the age bands in force on the date
    bands: list[Band] = field(default_factory=list)

    @property
    def headcount(self) -> int:
        return self.tables["kind"].total if "kind" in self.tables else 0


# Scope and focus ------------------------------------------------------------------------------


def scope_of(actor: Actor) -> Scope:
    return Scope.for_actor(actor, Permission.REPORTS_VIEW)


def get_unit_for(actor: Actor, unit_id: int) -> Unit:
    """The unit chosen as filter: 404 when absent or outside the actor's scope."""
    unit = db.session.get(Unit, unit_id)
    return authorize(unit, visible=unit is not None and can_view_statistics(actor, unit.path))


@dataclass(frozen=True)
class Focus:
    #: the unit counted (its subtree), or None for the whole scope
    unit: Unit | None
    #: the rows of the "by unit" table: the focus's children, or the scope's roots
    parts: list[Unit]


def focus_for(actor: Actor, unit_id: int | None) -> Focus:
    """What is counted: the chosen unit, else the scope's single root, else every root of the
    scope. Two queries: the unit (or the roots), then its children."""
    scope = scope_of(actor)
    if unit_id is not None:
        unit: Unit | None = get_unit_for(actor, unit_id)
    else:
        if scope.everything:
            roots = list(
                db.session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.name))
            )
        else:
            paths = list(scope.subtree_paths)
            roots = list(
                db.session.scalars(select(Unit).where(Unit.path.in_(paths)).order_by(Unit.name))
                if paths
                else []
            )
        if len(roots) != 1:
            return Focus(None, roots)
        unit = roots[0]
    assert unit is not None
    children = list(
        db.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.name))
    )
    return Focus(unit, children)


def _in_subtree(path_column: Any, path: str) -> ColumnElement[bool]:
    return and_(path_column >= path, path_column < subtree_upper_bound(path))


def _where_units(actor: Actor, focus: Focus) -> list[ColumnElement[bool]]:
    conditions = [scope_of(actor).filter(Unit.path)]
    if focus.unit is not None:
        conditions.append(_in_subtree(Unit.path, focus.unit.path))
    return conditions


# Rule data -------------------------------------------------------------------------------------


def age_bands_on(day: dt.date) -> list[Band]:
    """The version of the age bands in force on ``day`` (one query)."""
    rows = db.session.execute(
        select(AgeBand.effective_from, AgeBand.min_age, AgeBand.label)
        .where(AgeBand.effective_from <= day)
        .order_by(AgeBand.effective_from.desc(), AgeBand.min_age)
    ).all()
    if not rows:
        return []
    latest = rows[0][0]
    return bands_of([(min_age, label) for start, min_age, label in rows if start == latest])


# Headcount -------------------------------------------------------------------------------------


def _row(key: Any, label: str, label_vi: str, split: Split | None) -> Row:
    split = split or Split()
    return Row(
        NOT_RECORDED if key is None else str(key),
        label,
        label_vi,
        split.count,
        split.women,
        split.party,
        split.minority,
    )


def _fixed(
    counts: dict[Any, Split], keys: Iterable[tuple[Any, str, str]], *, not_recorded: bool
) -> list[Row]:
    """Rows for a known list of categories (shown even when zero), then any other values, then
    a "not recorded" row when someone has no value."""
    rows = [_row(key, label, vi, counts.get(key)) for key, label, vi in keys]
    listed = {key for key, _label, _vi in keys}
    for key in sorted((k for k in counts if k is not None and k not in listed), key=str):
        rows.append(_row(key, str(key), str(key), counts[key]))
    if None in counts or not_recorded:
        label = str(_l("Not recorded"))
        rows.append(_row(None, label, "Chưa có thông tin", counts.get(None)))
    return rows


def _code_entries(ethnicities: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """(code, label) of the education and political-theory lists, in their order, and of the
    ethnic groups present: one query."""
    wanted = [code for code in ethnicities if code]
    condition: ColumnElement[bool] = CodeEntry.list_name.in_(
        [CodeList.EDUCATION_LEVEL.value, CodeList.POLITICAL_THEORY.value]
    )
    if wanted:
        condition = or_(
            condition,
            and_(CodeEntry.list_name == CodeList.ETHNICITY.value, CodeEntry.code.in_(wanted)),
        )
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for list_name, code, label in db.session.execute(
        select(CodeEntry.list_name, CodeEntry.code, CodeEntry.label)
        .where(condition)
        .order_by(CodeEntry.list_name, CodeEntry.sort_order, CodeEntry.code)
    ):
        found[list_name].append((code, label))
    return found


def _unit_rows(counted: Counted, focus: Focus) -> list[Row]:
    """People of each part of the focus (a child unit's whole subtree), and those placed in the
    focus unit itself."""
    rows = [
        _row(unit.id, unit.name, unit.name, split)
        for unit, split in zip(focus.parts, counted.parts, strict=True)
        if split.count or unit.effective_to is None
    ]
    direct = counted.total
    for split in counted.parts:
        direct += -split
    if direct.count and focus.unit is not None:
        name = focus.unit.name
        rows.insert(
            0,
            _row(
                focus.unit.id,
                str(_l("%(unit)s (its own staff)", unit=name)),
                f"{name} (trực tiếp)",
                direct,
            ),
        )
    return rows


def headcount_tables(
    actor: Actor, focus: Focus, as_of: dt.date, bands: list[Band]
) -> dict[str, Table]:
    """The headcount tables: three queries (the maintained aggregate, the people it does not
    count as they are on the date, and the code lists)."""
    roots = [focus.unit] if focus.unit is not None else focus.parts
    counted = count_on(roots, focus.parts, as_of, bands)
    grouped = counted.dimensions
    kinds, ranks, education, theory = (
        grouped["kind"],
        grouped["rank"],
        grouped["education"],
        grouped["political_theory"],
    )
    ages, sexes, ethnicities, party = (
        grouped["age"],
        grouped["sex"],
        grouped["ethnicity"],
        grouped["party"],
    )
    codes = _code_entries(key for key in ethnicities if key)

    def coded(list_name: CodeList) -> list[tuple[Any, str, str]]:
        return [(code, label, label) for code, label in codes.get(list_name.value, [])]

    ethnic_labels = dict(codes.get(CodeList.ETHNICITY.value, []))
    return {
        "kind": Table(
            "kind",
            _fixed(
                kinds,
                [(k.value, str(KIND_LABELS[k]), KIND_NAMES[k]) for k in EmployeeKind],
                not_recorded=False,
            ),
        ),
        "rank": Table("rank", _fixed(ranks, [], not_recorded=False)),
        "education": Table(
            "education", _fixed(education, coded(CodeList.EDUCATION_LEVEL), not_recorded=True)
        ),
        "political_theory": Table(
            "political_theory",
            _fixed(theory, coded(CodeList.POLITICAL_THEORY), not_recorded=True),
        ),
        "age": Table(
            "age",
            _fixed(
                ages,
                [(str(index), band.label, band.label) for index, band in enumerate(bands)],
                not_recorded=False,
            ),
        ),
        "sex": Table(
            "sex",
            _fixed(
                sexes,
                [(s.value, str(SEX_LABELS[s]), SEX_NAMES[s]) for s in SexValue],
                not_recorded=False,
            ),
        ),
        "ethnicity": Table(
            "ethnicity",
            _fixed(
                ethnicities,
                [
                    (code, ethnic_labels[code], ethnic_labels[code])
                    for code in sorted(k for k in ethnicities if k in ethnic_labels)
                ],
                not_recorded=False,
            ),
        ),
        "party": Table(
            "party",
            _fixed(
                party,
                [
                    ("1", str(_l("Party members")), "Đảng viên"),
                    ("0", str(_l("Not Party members")), "Chưa là đảng viên"),
                ],
                not_recorded=False,
            ),
        ),
        "unit": Table("unit", _unit_rows(counted, focus)),
    }


# Ratings ---------------------------------------------------------------------------------------


def _rating_rows(counts: dict[str | None, int], *, not_rated: bool) -> list[Row]:
    rows = [
        Row(r.value, str(RATING_LABELS[r]), RATING_NAMES[r], counts.get(r.value, 0)) for r in Rating
    ]
    if not_rated or counts.get(None):
        rows.append(Row(NOT_RECORDED, str(_l("Not rated")), "Không xếp loại", counts.get(None, 0)))
    return rows


def period_ratings(actor: Actor, focus: Focus, as_of: dt.date) -> Table:
    """Final ratings of the finalised reviews of the latest period that ended by ``as_of`` and
    has finalised reviews in scope (the same month or quarter across the scope's units); the
    reviews count in the unit the person was in when the period opened. Two queries."""
    units = _where_units(actor, focus)
    finalised = Review.state == ReviewState.FINALISED.value
    # the periods (a small table) latest first, each checked for a finalised review in scope
    # through the reviews' (period, state) index, rather than every review of the scope read
    # and sorted
    in_scope = (
        select(Review.id)
        .join(Unit, Unit.id == Review.unit_id)
        .where(Review.period_id == ReviewPeriod.id, finalised, *units)
        .exists()
    )
    latest = db.session.execute(
        select(ReviewPeriod.kind, ReviewPeriod.starts_on, ReviewPeriod.ends_on)
        .where(ReviewPeriod.ends_on <= as_of, in_scope)
        .order_by(ReviewPeriod.ends_on.desc(), ReviewPeriod.starts_on.desc())
        .limit(1)
    ).first()
    if latest is None:
        return Table("period_ratings", _rating_rows({}, not_rated=False))
    kind, starts_on, ends_on = latest
    final = func.coalesce(Review.override_rating, Review.rating)
    same_period = select(ReviewPeriod.id).where(
        ReviewPeriod.kind == kind,
        ReviewPeriod.starts_on == starts_on,
        ReviewPeriod.ends_on == ends_on,
    )
    counts: dict[str | None, int] = {
        rating: int(n)
        for rating, n in db.session.execute(
            select(final, func.count())
            .join(Unit, Unit.id == Review.unit_id)
            .where(finalised, Review.period_id.in_(same_period), *units)
            .group_by(final)
        )
    }
    if kind == PeriodKind.MONTH.value:
        number = f"{starts_on.month:02d}/{starts_on.year}"
        subtitle_vi = f"tháng {number}"
    else:
        number = f"{(starts_on.month - 1) // 3 + 1}/{starts_on.year}"
        subtitle_vi = f"quý {number}"
    subtitle = f"{PERIOD_KIND_LABELS[PeriodKind(kind)]} {number}"
    return Table("period_ratings", _rating_rows(counts, not_rated=False), subtitle, subtitle_vi)


def annual_ratings(actor: Actor, focus: Focus, as_of: dt.date) -> Table:
    """Final annual ratings of the latest year up to ``as_of`` with finalised ratings in scope
    (counted in the unit the person was rated in). Two queries."""
    units = _where_units(actor, focus)
    year = db.session.scalar(
        select(func.max(AnnualRating.year))
        .join(Unit, Unit.id == AnnualRating.unit_id)
        .where(AnnualRating.finalised.is_(True), AnnualRating.year <= as_of.year, *units)
    )
    if year is None:
        return Table("annual_ratings", _rating_rows({}, not_rated=True))
    final = func.coalesce(AnnualRating.override_rating, AnnualRating.rating)
    counts: dict[str | None, int] = {
        rating: int(n)
        for rating, n in db.session.execute(
            select(final, func.count())
            .join(Unit, Unit.id == AnnualRating.unit_id)
            .where(AnnualRating.finalised.is_(True), AnnualRating.year == year, *units)
            .group_by(final)
        )
    }
    return Table("annual_ratings", _rating_rows(counts, not_rated=True), str(year), str(year))


# Everything ------------------------------------------------------------------------------------


def statistics(actor: Actor, unit_id: int | None, as_of: dt.date) -> Statistics:
    """The dashboard for the actor's scope (or the chosen unit's subtree, 404 outside it): a
    fixed number of queries, whatever the headcount."""
    focus = focus_for(actor, unit_id)
    bands = age_bands_on(as_of)
    stats = Statistics(as_of=as_of, focus=focus.unit, bands=bands)
    stats.tables = headcount_tables(actor, focus, as_of, bands)
    stats.tables["period_ratings"] = period_ratings(actor, focus, as_of)
    stats.tables["annual_ratings"] = annual_ratings(actor, focus, as_of)
    return stats


def table_or_404(name: str) -> str:
    """A table named in a URL; an unknown name is a missing page."""
    return authorize(name if name in TABLES else None, visible=name in TABLES)
