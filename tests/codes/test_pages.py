"""Administration pages: lists with counts, folded search, add, edit, refusals, conflicts."""

from __future__ import annotations

from sqlalchemy import select

from hrms.codes import queries
from hrms.codes.models import CodeEntry
from hrms.core.audit import AuditEntry
from hrms.extensions import db
from tests.conftest import page_errors


def entry_of(list_name: str, code: str) -> CodeEntry:
    entry = db.session.scalar(
        select(CodeEntry).where(CodeEntry.list_name == list_name, CodeEntry.code == code)
    )
    assert entry is not None
    return entry


def test_lists_page_shows_counts(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    html = client.get("/codes/").text
    assert 'href="/codes/ethnicity"' in html and 'href="/codes/commune"' in html
    assert '<td class="text-end">54</td>' in html
    assert '<td class="text-end">3321</td>' in html
    assert 'data-nav="codes.list_lists"' in html


def test_only_administrators(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    assert client.get("/codes/").status_code == 403
    assert client.get("/codes/ethnicity").status_code == 403
    response = client.post_form("/codes/religion", {"code": "99", "label": "Khác"})
    assert response.status_code == 403
    assert 'data-nav="codes.list_lists"' not in client.get("/").text
    db.session.expire_all()
    assert not queries.is_valid("religion", "99")


def test_unknown_list_and_entry_of_another_list_are_missing(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    kinh = entry_of("ethnicity", "01")
    assert client.get("/codes/nothing").status_code == 404
    assert client.get(f"/codes/religion/{kinh.id}").status_code == 404
    assert client.get(f"/codes/ethnicity/{kinh.id}").status_code == 200


def test_search_ignores_diacritics_and_communes_are_paginated(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    html = client.get("/codes/province?q=dak lak").text
    assert "Tỉnh Đắk Lắk" in html and "Thành phố Hà Nội" not in html
    html = client.get("/codes/commune?q=PHUONG BA DINH").text
    assert "Phường Ba Đình" in html and "Thành phố Hà Nội" in html  # its province
    page = client.get("/codes/commune").text
    assert page.count('href="/codes/commune/') == 100
    assert "?page=2" in page
    second = client.get("/codes/commune?page=34").text
    assert second.count('href="/codes/commune/') == 21
    hanoi = client.get("/codes/commune?parent=01").text
    assert (
        hanoi.count('href="/codes/commune/') == 100
        and '<span class="badge text-bg-secondary">126' in hanoi
    )


def test_add_an_entry(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    response = client.post_form("/codes/religion", {"code": "99", "label": "Khác"})
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).text.count("Khác") >= 1
    db.session.expire_all()
    assert queries.label_of("religion", "99") == "Khác"


def test_refusals_are_shown_beside_the_fields(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    duplicate = client.post_form("/codes/ethnicity", {"code": "01", "label": "Việt"})
    assert duplicate.status_code == 422
    assert 'data-field-error="code"' in duplicate.text
    empty = client.post_form("/codes/religion", {"code": "98", "label": ""})
    assert empty.status_code == 422
    assert 'data-field-error="label"' in empty.text
    assert len(page_errors(empty.text)) == 1
    badly_coded = client.post_form("/codes/it_level", {"code": "Cơ bản", "label": "X"})
    assert badly_coded.status_code == 422 and 'data-field-error="code"' in badly_coded.text
    orphan = client.post_form("/codes/commune", {"code": "99999", "label": "Xã Thử"})
    assert orphan.status_code == 422 and 'data-field-error="parent_code"' in orphan.text
    db.session.expire_all()
    assert queries.label_of("ethnicity", "01") == "Kinh"
    assert not queries.is_valid("religion", "98")


def test_edit_and_deactivate(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    entry = entry_of("it_level", "trung_cap")
    url = f"/codes/it_level/{entry.id}"
    page = client.get(url)
    assert page.status_code == 200 and 'name="version"' in page.text
    response = client.post_form(
        url,
        {
            "version": str(entry.version),
            "label": "Trung cấp công nghệ thông tin",
            "sort_order": "30",
            "note": "đổi tên",
            "code": "tc_cntt",  # the code is fixed: ignored
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    entry = entry_of("it_level", "trung_cap")
    assert (entry.label, entry.sort_order, entry.active, entry.note) == (
        "Trung cấp công nghệ thông tin",
        30,
        False,  # the box was not ticked
        "đổi tên",
    )
    assert "trung_cap" not in dict(queries.choices("it_level"))
    assert queries.is_valid("it_level", "trung_cap")
    audit = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.object_type == "code_entries", AuditEntry.object_id == str(entry.id)
        )
    ).all()
    assert [a.action for a in audit] == ["update"]
    assert audit[0].after["active"] is False


def test_stale_save_is_a_conflict(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    entry = entry_of("ethnicity", "08")
    stale = str(entry.version)
    url = f"/codes/ethnicity/{entry.id}"
    base = {"version": stale, "sort_order": "8", "active": "y"}
    assert client.post_form(url, base | {"label": "Mông"}).status_code == 302
    second = client.post_form(url, base | {"label": "H'Mông"})
    assert second.status_code == 409  # a conflict, not invalid input
    assert 'data-testid="form-errors"' in second.text
    empty = client.post_form(url, {"version": str(int(stale) + 1), "label": "", "sort_order": "x"})
    assert empty.status_code == 422
    assert (
        'data-field-error="label"' in empty.text and 'data-field-error="sort_order"' in empty.text
    )
    db.session.expire_all()
    assert queries.label_of("ethnicity", "08") == "Mông"
