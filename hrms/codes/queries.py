"""Reads of the code lists. Each function is one query, whatever the number of rows.

Other features resolve codes through ``label_of`` / ``labels`` and validate stored values with
``is_valid``; forms offer ``choices``. The administration pages go through the ``*_for(actor)``
functions, which refuse anyone without the permission.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import abort, g, has_app_context
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, case, exists, func, or_, select

from hrms.codes.models import CodeEntry, CodeList
from hrms.codes.policies import can_manage_codes
from hrms.core.security import Actor, authorize
from hrms.core.text import fold
from hrms.extensions import db

PER_PAGE = 100


def code_list_or_404(list_name: str) -> CodeList:
    """The list named in a URL; an unknown name is a missing page."""
    try:
        return CodeList(list_name)
    except ValueError:
        abort(404)


def _ordered(list_name: str) -> Select[tuple[CodeEntry]]:
    return (
        select(CodeEntry)
        .where(CodeEntry.list_name == list_name)
        .order_by(CodeEntry.sort_order, CodeEntry.code)
    )


def entries(list_name: str, include_inactive: bool = False) -> list[CodeEntry]:
    """The entries of a list in display order; inactive ones only when asked."""
    query = _ordered(list_name)
    if not include_inactive:
        query = query.where(CodeEntry.active.is_(True))
    return list(db.session.scalars(query))


def choices(list_name: str, parent_code: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of the active entries, for a select; optionally within one parent."""
    query = (
        select(CodeEntry.code, CodeEntry.label)
        .where(CodeEntry.list_name == list_name, CodeEntry.active.is_(True))
        .order_by(CodeEntry.sort_order, CodeEntry.code)
    )
    if parent_code is not None:
        query = query.where(CodeEntry.parent_code == parent_code)
    return [(code, label) for code, label in db.session.execute(query)]


def label_of(list_name: str, code: str | None) -> str | None:
    """The label of a code, active or not; None for an empty or unknown code."""
    if not code:
        return None
    label: str | None = db.session.scalar(
        select(CodeEntry.label).where(CodeEntry.list_name == list_name, CodeEntry.code == code)
    )
    return label


def labels(list_name: str, codes: Iterable[str | None]) -> dict[str, str]:
    """Labels of many codes in one query (for a table of records); unknown codes are left out."""
    wanted = {code for code in codes if code}
    if not wanted:
        return {}
    rows = db.session.execute(
        select(CodeEntry.code, CodeEntry.label).where(
            CodeEntry.list_name == list_name, CodeEntry.code.in_(wanted)
        )
    )
    return {code: label for code, label in rows}


def labels_in_lists(codes: Iterable[tuple[str, str | None]]) -> dict[tuple[str, str], str]:
    """Labels of codes from several lists (list name, code) in one query (a dossier's page)."""
    wanted: dict[str, set[str]] = {}
    for list_name, code in codes:
        if code:
            wanted.setdefault(list_name, set()).add(code)
    if not wanted:
        return {}
    # one condition per list, each a range of the (list, code) key: SQLite scans the whole
    # table (communes included) for a row-value IN
    rows = db.session.execute(
        select(CodeEntry.list_name, CodeEntry.code, CodeEntry.label).where(
            or_(
                *(
                    and_(CodeEntry.list_name == list_name, CodeEntry.code.in_(sorted(list_codes)))
                    for list_name, list_codes in sorted(wanted.items())
                )
            )
        )
    )
    return {(list_name, code): label for list_name, code, label in rows}


_CACHE = "hrms_code_sets"


def is_valid(list_name: str, code: str | None) -> bool:
    """A code that exists in the list is valid for a stored record, even when deactivated.

    The list's codes are read once per request (or command): an import checks thousands of
    rows against the same lists. Writes to code lists drop the copy (``forget_cached``).
    """
    if not code:
        return False
    cached: dict[str, frozenset[str]] = g.setdefault(_CACHE, {}) if has_app_context() else {}
    if list_name not in cached:
        cached[list_name] = frozenset(
            db.session.scalars(select(CodeEntry.code).where(CodeEntry.list_name == list_name))
        )
    return code in cached[list_name]


def forget_cached() -> None:
    if has_app_context():
        g.pop(_CACHE, None)


def is_offered(list_name: str, code: str | None) -> bool:
    """A code that may be chosen for a new value: it exists and is active."""
    if not code:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    CodeEntry.list_name == list_name,
                    CodeEntry.code == code,
                    CodeEntry.active.is_(True),
                )
            )
        )
    )


def find_entry(list_name: str, code: str) -> CodeEntry | None:
    return db.session.scalar(
        select(CodeEntry).where(CodeEntry.list_name == list_name, CodeEntry.code == code)
    )


def next_sort_order(list_name: str) -> int:
    highest = db.session.scalar(
        select(func.max(CodeEntry.sort_order)).where(CodeEntry.list_name == list_name)
    )
    return (highest or 0) + 1


# --- administration -----------------------------------------------------------------------


@dataclass(frozen=True)
class ListSummary:
    code_list: CodeList
    total: int
    active: int


def list_summaries_for(actor: Actor) -> list[ListSummary]:
    """Every list with its number of entries (all and active), in one grouped query."""
    authorize(actor, visible=True, allowed=can_manage_codes(actor))
    rows = db.session.execute(
        select(
            CodeEntry.list_name,
            func.count(),
            func.sum(case((CodeEntry.active.is_(True), 1), else_=0)),
        ).group_by(CodeEntry.list_name)
    )
    counts = {name: (total, active or 0) for name, total, active in rows}
    return [ListSummary(code_list, *counts.get(code_list.value, (0, 0))) for code_list in CodeList]


def search_entries_for(
    actor: Actor,
    code_list: CodeList,
    *,
    q: str = "",
    include_inactive: bool = True,
    parent_code: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Pagination:
    """A page of a list's entries, filtered by folded text ("dak lak" finds "Đắk Lắk")."""
    authorize(actor, visible=True, allowed=can_manage_codes(actor))
    return search_entries(
        code_list,
        q=q,
        include_inactive=include_inactive,
        parent_code=parent_code,
        page=page,
        per_page=per_page,
    )


def search_entries(
    code_list: CodeList,
    *,
    q: str = "",
    include_inactive: bool = False,
    parent_code: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Pagination:
    """A page of entries for any reader (the API offers active entries to every account)."""
    query = _ordered(code_list.value)
    if not include_inactive:
        query = query.where(CodeEntry.active.is_(True))
    if parent_code:
        query = query.where(CodeEntry.parent_code == parent_code)
    needle = fold(q)
    if needle:
        query = query.where(CodeEntry.search_text.contains(needle, autoescape=True))
    result: Pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return result


def get_entry_for(actor: Actor, code_list: CodeList, entry_id: int) -> CodeEntry:
    """404 when absent or in another list than the URL says; 403 without the permission."""
    entry = db.session.get(CodeEntry, entry_id)
    visible = entry is not None and entry.list_name == code_list.value
    return authorize(entry, visible=visible, allowed=can_manage_codes(actor))
