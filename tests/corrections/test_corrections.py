"""Staff ask for corrections of their own dossier; an officer in scope applies or rejects."""

from __future__ import annotations

from sqlalchemy import select

from hrms.core.audit import AuditEntry
from hrms.corrections.models import CorrectionRequest
from hrms.employees.models import Employee
from hrms.extensions import db


def ask(client, **fields):  # type: ignore[no-untyped-def]
    return client.post_form(
        "/corrections/new",
        {
            "field": "place_of_birth",
            "requested_value": "Yên Mô, Ninh Bình",
            "reason": "Theo giấy khai sinh số 123",
        }
        | fields,
    )


def latest() -> CorrectionRequest:
    return db.session.scalars(
        select(CorrectionRequest).order_by(CorrectionRequest.id.desc())
    ).first()


def test_request_approve_and_see_the_outcome(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("staff")
    assert ask(client).status_code == 302
    request = latest()
    assert (request.employee_id, request.field, request.status) == (
        world.own.id,
        "place_of_birth",
        "pending",
    )
    assert ask(client).status_code == 422  # one pending request per field

    officer = app.test_client()
    from tests.conftest import Client

    assert isinstance(officer, Client)
    with officer.session_transaction() as session:
        session["_user_id"] = world.users["officer"].get_id()
    listing = officer.get("/corrections/").text
    assert "Lê Thị Ngọc Ánh" in listing and "Yên Mô, Ninh Bình" in listing
    decided = officer.post_form(
        f"/corrections/{request.id}/decide", {"version": str(request.version), "outcome": "approve"}
    )
    assert decided.status_code == 302
    db.session.expire_all()
    assert db.session.get(Employee, world.own.id).place_of_birth == "Yên Mô, Ninh Bình"
    assert latest().status == "approved"
    change = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == "employees", AuditEntry.object_id == str(world.own.id))
        .order_by(AuditEntry.id)
    ).all()[-1]
    assert change.actor_name == "officer" and change.after == {
        "place_of_birth": "Yên Mô, Ninh Bình"
    }
    mine = client.get("/corrections/mine").text
    assert "badge text-bg-success" in mine


def test_the_proposed_value_passes_the_dossier_rules(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("staff")
    bad = ask(client, field="date_of_birth", requested_value="31/02/1990")
    assert bad.status_code == 422 and 'data-field-error="requested_value"' in bad.text
    same = ask(client, field="full_name", requested_value=world.own.full_name)
    assert same.status_code == 422
    short = ask(client, reason="x")
    assert 'data-field-error="reason"' in short.text


def test_rejection_needs_an_answer_and_changes_nothing(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    request = db.session.scalars(
        select(CorrectionRequest).where(CorrectionRequest.employee_id == world.own.id)
    ).first()
    refused = client.post_form(
        f"/corrections/{request.id}/decide", {"version": str(request.version), "outcome": "reject"}
    )
    assert refused.status_code == 422 and 'data-field-error="note"' in refused.text
    done = client.post_form(
        f"/corrections/{request.id}/decide",
        {"version": str(request.version), "outcome": "reject", "note": "Chưa có giấy tờ"},
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(CorrectionRequest, request.id).status == "rejected"
    assert db.session.get(Employee, world.own.id).hometown is None
    again = client.post_form(
        f"/corrections/{request.id}/decide",
        {"version": str(request.version), "outcome": "approve"},
    )
    assert again.status_code == 422  # already decided (the current version, not a stale one)


def test_withdraw_only_own_pending(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("staff")
    request = db.session.scalars(
        select(CorrectionRequest).where(CorrectionRequest.employee_id == world.own.id)
    ).first()
    assert client.post_form(f"/corrections/{request.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(CorrectionRequest, request.id).status == "withdrawn"
    assert client.get(f"/corrections/{request.id}").status_code == 200


def test_nobody_decides_on_their_own_dossier(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    officer = world.users["officer"]
    officer.employee_id = world.in_team.id
    db.session.add(
        CorrectionRequest(
            employee_id=world.in_team.id,
            requested_by=officer.id,
            field="hometown",
            requested_value="Hoa Lư",
            reason="Theo hộ khẩu",
        )
    )
    db.session.commit()
    login_as("officer")
    request = latest()
    assert "Hoa Lư" not in client.get("/corrections/").text
    assert (
        client.post_form(
            f"/corrections/{request.id}/decide", {"version": "1", "outcome": "approve"}
        ).status_code
        == 403
    )


def test_own_dossier_offers_the_request(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("staff")
    assert 'data-testid="ask-correction"' in client.get(f"/employees/{world.own.id}").text
    login_as("officer")
    assert 'data-testid="ask-correction"' not in client.get(f"/employees/{world.own.id}").text


def test_a_request_can_point_at_a_document_of_the_dossier(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import file_document

    own_paper = file_document(app, world.own, world.users["staff"], kind="other")
    someone_elses = file_document(app, world.in_team, world.users["admin"], kind="other")
    login_as("staff")
    form = client.get("/corrections/new").text
    assert f'value="{own_paper.id}"' in form and f'value="{someone_elses.id}"' not in form

    refused = ask(client, evidence_id=str(someone_elses.id))
    assert refused.status_code == 422
    assert 'data-field-error="evidence_id"' in refused.text
    assert latest() is None or latest().evidence_id is None

    assert ask(client, evidence_id=str(own_paper.id)).status_code == 302
    request = latest()
    assert request.evidence_id == own_paper.id
    login_as("officer")
    page = client.get(f"/corrections/{request.id}").text
    link = f"/employees/{world.own.id}/files/{own_paper.id}"
    assert link in page and 'data-testid="evidence"' in page
    assert client.get(link).status_code == 200

    own_paper.withdrawn = True
    db.session.commit()
    page = client.get(f"/corrections/{request.id}").text
    assert 'data-testid="evidence"' not in page
