"""Reads for other features: one query each, deactivated codes valid but not offered."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from hrms.codes import queries, services
from hrms.codes.models import CodeList
from hrms.core.errors import ConflictError, DomainError
from hrms.extensions import db

pytestmark = pytest.mark.usefixtures("service_context")


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            seen.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def deactivate(world, list_name: str, code: str) -> None:  # type: ignore[no-untyped-def]
    entry = queries.find_entry(list_name, code)
    assert entry is not None
    services.update_entry(
        world.users["admin"],
        entry,
        {
            "version": entry.version,
            "label": entry.label,
            "sort_order": entry.sort_order,
            "active": False,
            "note": "merged",
        },
    )


def test_each_read_is_one_query() -> None:
    with statements() as seen:
        assert len(queries.entries("commune")) == 3321
    assert len(seen) == 1
    with statements() as seen:
        assert len(queries.choices("commune")) == 3321
    assert len(seen) == 1
    with statements() as seen:
        found = queries.labels("ethnicity", ["01", "02", "01", None, "99"])
    assert found == {"01": "Kinh", "02": "Tày"}
    assert len(seen) == 1
    with statements() as seen:
        assert queries.is_valid("province", "48")
        assert queries.label_of("province", "48") == "Thành phố Đà Nẵng"
    assert len(seen) == 2
    with statements() as seen:
        # a dossier's coded fields: the same code in two lists, an unknown one, an empty one
        found_in_lists = queries.labels_in_lists(
            [
                ("ethnicity", "01"),
                ("province", "01"),
                ("religion", "00"),
                ("province", "48"),
                ("ethnicity", "99"),
                ("religion", None),
            ]
        )
    assert found_in_lists == {
        ("ethnicity", "01"): "Kinh",
        ("province", "01"): "Thành phố Hà Nội",
        ("religion", "00"): "Không",
        ("province", "48"): "Thành phố Đà Nẵng",
    }
    assert len(seen) == 1
    with statements() as seen:
        assert queries.labels_in_lists([("ethnicity", None), ("province", "")]) == {}
        assert queries.labels("ethnicity", []) == {}
        assert not queries.is_valid("ethnicity", "")
        assert queries.label_of("ethnicity", None) is None
    assert seen == []


def test_deactivated_entries_stay_valid_but_are_not_offered(world) -> None:  # type: ignore[no-untyped-def]
    deactivate(world, "political_theory", "cu_nhan")
    assert "cu_nhan" not in dict(queries.choices("political_theory"))
    assert "cu_nhan" not in {e.code for e in queries.entries("political_theory")}
    assert "cu_nhan" in {e.code for e in queries.entries("political_theory", True)}
    assert queries.is_valid("political_theory", "cu_nhan")
    assert not queries.is_offered("political_theory", "cu_nhan")
    assert queries.label_of("political_theory", "cu_nhan") == "Cử nhân"
    assert not queries.is_valid("political_theory", "tien_si")  # exists, but in another list


def test_create_rules(world) -> None:  # type: ignore[no-untyped-def]
    admin = world.users["admin"]
    entry = services.create_entry(
        admin, CodeList.RELIGION, {"code": "99", "label": "  Khác ", "note": None}
    )
    assert (entry.label, entry.sort_order, entry.active, entry.version) == ("Khác", 17, True, 1)
    refusals = [
        (CodeList.RELIGION, {"code": "01", "label": "Trùng"}, "code"),
        (CodeList.ETHNICITY, {"code": "5", "label": "Một chữ số"}, "code"),
        (CodeList.COMMUNE, {"code": "99999", "label": "Xã Mới"}, "parent_code"),
        (
            CodeList.COMMUNE,
            {"code": "99999", "label": "Xã Mới", "parent_code": "02"},
            "parent_code",
        ),
        (CodeList.IT_LEVEL, {"code": "x", "label": "X", "parent_code": "01"}, "parent_code"),
        (CodeList.IT_LEVEL, {"code": "x", "label": "   "}, "label"),
    ]
    for code_list, data, field in refusals:
        with pytest.raises(DomainError) as raised:
            services.create_entry(admin, code_list, data)
        assert raised.value.field == field, data
    commune = services.create_entry(
        admin, CodeList.COMMUNE, {"code": "99999", "label": "Xã Thử", "parent_code": "08"}
    )
    assert commune.parent_code == "08"
    assert commune.search_text == "xa thu 99999"
    with pytest.raises(DomainError):
        services.create_entry(
            world.users["officer"], CodeList.RELIGION, {"code": "98", "label": "X"}
        )


def test_stale_update_is_a_conflict(world) -> None:  # type: ignore[no-untyped-def]
    entry = queries.find_entry("ethnicity", "05")
    data = {"version": entry.version, "label": "Khmer", "sort_order": 5, "active": True}
    services.update_entry(world.users["admin"], entry, data)
    with pytest.raises(ConflictError):
        services.update_entry(world.users["admin"], entry, data | {"label": "Khơ-me"})
    assert entry.label == "Khmer" and entry.search_text == "khmer 05"
