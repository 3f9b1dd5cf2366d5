"""The 4×6 photo: shown on the dossier page to those who see the dossier, printed in the photo
box of form 2C, gone from both when withdrawn."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from hrms.attachments.models import Attachment
from hrms.extensions import db
from tests.conftest import png_bytes


def _photo_row(person) -> Attachment:  # type: ignore[no-untyped-def]
    return db.session.scalars(
        select(Attachment).where(Attachment.employee_id == person.id, Attachment.kind == "photo")
    ).one()


def _images_on_first_page(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages[0].images)


def test_the_photo_is_on_the_page_and_on_form_2c(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    page = client.get(f"/employees/{world.in_team.id}").get_data(as_text=True)
    assert 'data-testid="dossier-photo"' in page
    photo = client.get(f"/employees/{world.in_team.id}/files/photo")
    assert photo.status_code == 200
    assert photo.mimetype == "image/png"
    assert photo.data == png_bytes()
    assert photo.headers["Cache-Control"] == "private, no-store"
    assert _images_on_first_page(client.get(f"/employees/{world.in_team.id}/2c.pdf").data) == 1


def test_no_photo_leaves_the_box_empty(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("admin")
    assert 'data-testid="dossier-photo"' not in client.get(f"/employees/{world.in_b.id}").get_data(
        as_text=True
    )
    assert client.get(f"/employees/{world.in_b.id}/files/photo").status_code == 404
    pdf = client.get(f"/employees/{world.in_b.id}/2c.pdf").data
    assert _images_on_first_page(pdf) == 0
    assert "Ảnh 4x6" in (PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or "")


def test_the_latest_photo_counts_and_a_withdrawn_one_is_gone(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    newer = png_bytes(80, 120)
    uploaded = client.post_form(
        f"/employees/{world.in_team.id}/files/",
        {"kind": "photo", "file": (io.BytesIO(newer), "anh moi.png")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    assert client.get(f"/employees/{world.in_team.id}/files/photo").data == newer
    for row in db.session.scalars(
        select(Attachment).where(
            Attachment.employee_id == world.in_team.id, Attachment.kind == "photo"
        )
    ):
        assert (
            client.post_form(f"/employees/{world.in_team.id}/files/{row.id}/withdraw").status_code
            == 302
        )
    assert client.get(f"/employees/{world.in_team.id}/files/photo").status_code == 404
    assert _images_on_first_page(client.get(f"/employees/{world.in_team.id}/2c.pdf").data) == 0


def test_a_damaged_photo_file_prints_the_empty_box(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    from hrms.core.storage import storage_path

    login_as("officer")
    with app.app_context():
        storage_path(_photo_row(world.in_team).stored_name).write_bytes(b"\x89PNG broken")
    response = client.get(f"/employees/{world.in_team.id}/2c.pdf")
    assert response.status_code == 200
    assert _images_on_first_page(response.data) == 0
    assert client.get(f"/employees/{world.in_team.id}/files/photo").status_code == 404


def test_out_of_scope_photos_are_not_found(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("head2")
    assert client.get(f"/employees/{world.in_team.id}/files/photo").status_code == 404
    login_as("staff")
    assert client.get(f"/employees/{world.outside.id}/files/photo").status_code == 404
