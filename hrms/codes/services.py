"""Changes to the code lists. Services flush, never commit; the request commits once.

Entries are never deleted and their codes never change: records keep the code they were given,
so an entry that should no longer be offered is deactivated instead.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from hrms.codes import queries
from hrms.codes.models import CodeEntry, CodeList
from hrms.codes.policies import can_manage_codes
from hrms.core.errors import FORM, DomainError
from hrms.core.security import Actor
from hrms.core.text import fold, normalize_spaces
from hrms.core.transaction import check_version, flush_or_conflict
from hrms.extensions import db

STALE_MESSAGE = _l(
    "Someone else changed this entry after you opened it. Reload the page to see their change."
)


def search_text(label: str, code: str) -> str:
    return f"{fold(label)} {code}"


def _require_manager(actor: Actor) -> None:
    if not can_manage_codes(actor):
        raise DomainError(FORM, _l("You may not change the code lists."))


def _label(value: str) -> str:
    label = normalize_spaces(value)
    if not label:
        raise DomainError("label", _l("This field is required."))
    return label


def _check_code_format(code_list: CodeList, code: str) -> None:
    digits = code_list.digits
    if digits is not None and (len(code) != digits or not code.isdigit()):
        raise DomainError(
            "code", _l("Codes of this list have exactly %(count)s digits.", count=digits)
        )


def _parent_code(code_list: CodeList, parent_code: str | None) -> str | None:
    parent_list = code_list.parent
    if parent_list is None:
        if parent_code:
            raise DomainError("parent_code", _l("Entries of this list have no parent."))
        return None
    if not parent_code:
        raise DomainError(
            "parent_code", _l("Choose the entry of %(list)s it belongs to.", list=parent_list.label)
        )
    if not queries.is_offered(parent_list.value, parent_code):
        raise DomainError(
            "parent_code",
            _l("This code is not an active entry of %(list)s.", list=parent_list.label),
        )
    return parent_code


def create_entry(actor: Actor, code_list: CodeList, data: dict[str, Any]) -> CodeEntry:
    _require_manager(actor)
    code: str = data["code"]
    _check_code_format(code_list, code)
    if queries.find_entry(code_list.value, code) is not None:
        raise DomainError("code", _l("This code is already in the list (codes are never reused)."))
    label = _label(data["label"])
    sort_order = data.get("sort_order")
    entry = CodeEntry(
        list_name=code_list.value,
        code=code,
        label=label,
        search_text=search_text(label, code),
        sort_order=queries.next_sort_order(code_list.value) if sort_order is None else sort_order,
        active=True,
        parent_code=_parent_code(code_list, data.get("parent_code")),
        note=data.get("note"),
    )
    db.session.add(entry)
    db.session.flush()
    queries.forget_cached()
    return entry


def update_entry(actor: Actor, entry: CodeEntry, data: dict[str, Any]) -> CodeEntry:
    """Label, order, activity and note; the code and its parent stay as created."""
    _require_manager(actor)
    check_version(entry, data["version"], STALE_MESSAGE)
    entry.label = _label(data["label"])
    entry.search_text = search_text(entry.label, entry.code)
    entry.sort_order = data["sort_order"]
    entry.active = data["active"]
    entry.note = data.get("note")
    flush_or_conflict(STALE_MESSAGE)
    return entry
