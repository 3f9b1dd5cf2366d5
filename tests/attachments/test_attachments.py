"""Documents of a dossier: sniffed types, size limit, checksums, scope, nothing half-written."""

from __future__ import annotations

import dataclasses
import io

from sqlalchemy import func, select

from hrms.attachments.models import Attachment
from hrms.core.storage import storage_path
from hrms.extensions import db
from tests.conftest import PDF_BYTES, file_document, page_errors, png_bytes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def upload(client, person, content: bytes, name: str, kind: str = "diploma"):  # type: ignore[no-untyped-def]
    return client.post_form(
        f"/employees/{person.id}/files/",
        {"kind": kind, "description": "Bằng cử nhân", "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Attachment))


def test_upload_and_download(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    response = upload(client, world.in_team, PDF_BYTES, "Bằng đại học.PDF")
    assert response.status_code == 302
    stored = db.session.scalars(select(Attachment).order_by(Attachment.id.desc())).first()
    with app.app_context():
        path = storage_path(stored.stored_name)
    assert path.read_bytes() == PDF_BYTES
    assert stored.content_type == "application/pdf" and stored.original_name == "Bằng đại học.PDF"
    assert stored.stored_name not in ("Bằng đại học.PDF",) and len(stored.stored_name) == 32
    page = client.get(f"/employees/{world.in_team.id}/files/").text
    assert "Bằng đại học.PDF" in page
    download = client.get(f"/employees/{world.in_team.id}/files/{stored.id}")
    assert download.status_code == 200 and download.data == PDF_BYTES
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_types_are_read_from_the_content(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    before = count()
    for content, name in [
        (b"MZ\x90\x00 this is an exe", "virus.pdf"),  # not what it claims
        (PNG, "anh.pdf"),  # a PNG named as a PDF
        (b"", "empty.pdf"),
        (b"plain text", "ghi chu.txt"),
    ]:
        response = upload(client, world.in_team, content, name)
        assert response.status_code == 422, name
        assert 'data-field-error="file"' in response.text, name
    photo_as_pdf = upload(client, world.in_team, PDF_BYTES, "anh.pdf", kind="photo")
    assert photo_as_pdf.status_code == 422
    damaged = upload(client, world.in_team, JPEG, "anh the.jpg", kind="photo")
    assert damaged.status_code == 422
    assert page_errors(damaged.get_data(as_text=True)) == [
        "Ảnh bị hỏng hoặc không đầy đủ; hãy quét hoặc xuất lại."
    ]
    photo = upload(client, world.in_team, png_bytes(), "anh the.png", kind="photo")
    assert photo.status_code == 302
    assert count() == before + 1


def test_size_limit(app, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # through the service: the test client leaves large multipart bodies' temporary files open
    import pytest

    from hrms.attachments import services
    from hrms.core.errors import DomainError
    from hrms.employees.queries import get_dossier_for

    settings = dataclasses.replace(app.config["HRMS_SETTINGS"], max_upload_mb=1)
    monkeypatch.setitem(app.config, "HRMS_SETTINGS", settings)
    big = io.BytesIO(PDF_BYTES + b"0" * (1024 * 1024))
    with app.test_request_context():
        dossier = get_dossier_for(world.users["officer"], world.in_team.id)
        with pytest.raises(DomainError) as raised:
            services.store(world.users["officer"], dossier, {"kind": "diploma"}, big, "lon.pdf")
        assert raised.value.field == "file"
        assert "1 MB" in str(raised.value.message)
        exact = io.BytesIO(PDF_BYTES + b"0" * (1024 * 1024 - len(PDF_BYTES)))
        officer = world.users["officer"]
        stored = services.store(officer, dossier, {"kind": "diploma"}, exact, "vua.pdf")
        assert stored.size_bytes == 1024 * 1024


def test_a_refused_save_leaves_no_file(app, client, world, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hrms.attachments import services

    written = []
    real_store = services.store

    def store_then_fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        attachment = real_store(*args, **kwargs)
        written.append(attachment.stored_name)
        raise RuntimeError("database went away after the file was written")

    monkeypatch.setattr(services, "store", store_then_fail)
    login_as("officer")
    assert upload(client, world.in_team, PDF_BYTES, "a.pdf").status_code == 500
    with app.app_context():
        assert not storage_path(written[0]).exists()


def test_scope_and_sensitivity(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    id_card = file_document(app, world.in_team, world.users["admin"], kind="id_card")
    diploma = db.session.scalars(
        select(Attachment).where(Attachment.employee_id == world.in_team.id)
    ).first()
    login_as("head")
    assert client.get(f"/employees/{world.in_team.id}/files/{diploma.id}").status_code == 200
    assert client.get(f"/employees/{world.in_team.id}/files/{id_card.id}").status_code == 404
    assert "bằng tốt nghiệp.pdf" in client.get(f"/employees/{world.in_team.id}/files/").text
    assert (
        client.get(f"/employees/{world.in_b.id}/files/{diploma.id}").status_code == 404
    )  # wrong dossier
    login_as("staff")
    assert client.get(f"/employees/{world.in_team.id}/files/{diploma.id}").status_code == 404
    assert upload(client, world.own, PDF_BYTES, "minh chung.pdf").status_code == 302  # own evidence


def test_withdrawn_documents_leave_the_list_but_stay_stored(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    diploma = db.session.scalars(
        select(Attachment).where(Attachment.employee_id == world.in_team.id)
    ).first()
    assert (
        client.post_form(f"/employees/{world.in_team.id}/files/{diploma.id}/withdraw").status_code
        == 302
    )
    assert client.get(f"/employees/{world.in_team.id}/files/{diploma.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Attachment, diploma.id).withdrawn
    with app.app_context():
        assert storage_path(diploma.stored_name).exists()


def test_a_tampered_file_is_not_served(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    diploma = db.session.scalars(
        select(Attachment).where(Attachment.employee_id == world.in_team.id)
    ).first()
    with app.app_context():
        storage_path(diploma.stored_name).write_bytes(b"%PDF-1.4 something else")
    login_as("officer")
    assert client.get(f"/employees/{world.in_team.id}/files/{diploma.id}").status_code == 500
