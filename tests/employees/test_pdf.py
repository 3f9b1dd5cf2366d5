"""Form 2C as a PDF: the Vietnamese content as printed, nothing clipped, who may print it,
the unit's zip, and a fixed number of queries whatever the size of the dossier."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from flask import g
from pypdf import PdfReader

from hrms.core.pdf import render, table
from hrms.employees.models import Decision, DecisionKind
from hrms.employees.pdf import DECISION_NAMES, filename_2c, form_2c_data, render_2c
from hrms.employees.queries import get_dossier_for
from hrms.extensions import db
from tests import factories


def pdf_text(content: bytes) -> tuple[str, int]:
    """The text of every page (spaces collapsed), and the number of pages."""
    reader = PdfReader(io.BytesIO(content))
    pages = [page.extract_text() or "" for page in reader.pages]
    return re.sub(r"\s+", " ", " ".join(pages)), len(reader.pages)


def decide(person: Any, **fields: Any) -> None:
    """A decision row in the ledger (the ledger's rules are tested in test_ledger.py)."""
    data = {"signed_on": dt.date(2020, 1, 1), "issuer": "Giám đốc Sở Nội vụ"} | fields
    db.session.add(Decision(employee_id=person.id, **data))


def fill(world: Any, person: Any, *, training: int = 1, family: int = 1) -> None:
    """A dossier with every kind of child row: decisions, training, both sides of the family."""
    person.place_of_birth = "Xã Yên Khánh, huyện Ý Yên, tỉnh Nam Định"
    person.hometown = "Kim Sơn, Ninh Bình"
    person.religion_code = "00"
    person.ethnicity_code = "01"
    person.national_id_issued_on = dt.date(2021, 8, 12)
    person.history_detention = "Không bị bắt, bị tù."
    person.recruited_on = dt.date(2020, 3, 1)
    decide(
        person,
        kind="recruitment",
        number="12/QĐ-SNV",
        effective_on=dt.date(2020, 3, 1),
        unit_id=world.team_a.id,
        rank_code="01.003",
        salary_step=1,
        salary_coefficient=Decimal("2.34"),
    )
    decide(
        person,
        kind="salary_step",
        number="45/QĐ-SNV",
        signed_on=dt.date(2023, 2, 20),
        effective_on=dt.date(2023, 3, 1),
        salary_step=2,
        salary_coefficient=Decimal("2.67"),
    )
    decide(
        person,
        kind="reward",
        number="88/QĐ-UBND",
        effective_on=dt.date(2022, 12, 15),
        title="Bằng khen của Chủ tịch UBND tỉnh",
    )
    for index in range(training):
        factories.TrainingFactory(
            employee_id=person.id,
            school=f"Trường Đại học Luật Hà Nội, cơ sở số {index + 1}",
            major=f"Luật hành chính khóa {index + 1}",
            started_on=dt.date(2000 + index % 20, 9, 1),
            ended_on=dt.date(2001 + index % 20, 6, 1),
            mode="Chính quy",
            degree=f"Cử nhân số {index + 1}",
        )
    for index in range(family):
        factories.FamilyFactory(
            employee_id=person.id,
            side="own" if index % 2 == 0 else "spouse",
            relation="Cha" if index % 2 == 0 else "Mẹ vợ",
            full_name=f"Trần Đức Thắng {index + 1}",
            birth_year=1955,
            hometown="Gia Lâm, Hà Nội",
            occupation="Nông dân",
            sort_order=index,
        )
    db.session.commit()


def printed(client: Any, person: Any) -> Any:
    return client.get(f"/employees/{person.id}/2c.pdf")


def test_form_carries_the_dossier_in_vietnamese(app, client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    fill(world, world.in_team, training=2, family=3)
    login_as("officer")
    response = printed(client, world.in_team)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"2C-nguyen-van-an-{world.in_team.id}.pdf" in disposition
    assert response.data.startswith(b"%PDF")
    content, pages = pdf_text(response.data)
    assert "Ảnh 4x6" not in content  # the filed photo fills the box (tests/attachments/test_photo)
    for expected in (
        "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC",
        "Mẫu 2C-BNV/2008",
        "Cơ quan, đơn vị có thẩm quyền quản lý CBCC: Ủy ban nhân dân tỉnh",
        "Cơ quan, đơn vị sử dụng CBCC: Tổ Hồ sơ",
        "Số hiệu cán bộ, công chức",
        "1) Họ và tên khai sinh (viết chữ in hoa): NGUYỄN VĂN ÂN",
        "Sinh ngày: 17/05/1990",
        "Giới tính (nam, nữ): Nam",
        "Quê quán: Kim Sơn, Ninh Bình",
        "7) Tôn giáo: Không",
        "Ngày tuyển dụng: 01/03/2020",
        "Ngày cấp: 12/08/2021",
        world.in_team.national_id,
        "21) Khen thưởng: Bằng khen của Chủ tịch UBND tỉnh (năm 2022, QĐ số 88/QĐ-UBND)",
        "27) ĐÀO TẠO, BỒI DƯỠNG",
        "Trường Đại học Luật Hà Nội, cơ sở số 2",
        "Cử nhân số 1",
        "09/2000 – 06/2001",
        "28) TÓM TẮT QUÁ TRÌNH CÔNG TÁC",
        "Tuyển dụng, Tổ Hồ sơ",
        "29) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN",
        "Không bị bắt, bị tù.",
        "30) QUAN HỆ GIA ĐÌNH",
        "a) Về bản thân",
        "b) Về bên vợ (hoặc chồng)",
        "Trần Đức Thắng 1",
        "Trần Đức Thắng 2",
        "Mẹ vợ",
        "31) DIỄN BIẾN QUÁ TRÌNH LƯƠNG",
        "01.003/2",
        "2,67",
        "32) NHẬN XÉT, ĐÁNH GIÁ",
        "Tôi xin cam đoan những lời khai trên đây là đúng sự thật",
        "Thủ trưởng cơ quan, đơn vị quản lý và sử dụng CBCC",
        f"Trang 1/{pages}",
        f"Trang {pages}/{pages}",
    ):
        assert expected in content, expected
    # the spouse's relatives are in table (b), after table (a)
    assert content.index("Trần Đức Thắng 2") > content.index("b) Về bên vợ (hoặc chồng)")
    assert content.index("Trần Đức Thắng 3") < content.index("b) Về bên vợ (hoặc chồng)")


def test_printing_is_recorded_as_a_view(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from hrms.core.audit import AuditEntry

    login_as("officer")
    assert printed(client, world.in_team).status_code == 200
    subject = f"employees:{world.in_team.id}"
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject == subject))
    assert "dossier.view" in list(actions)


def test_long_dossier_flows_over_pages_without_clipping(app, world) -> None:  # type: ignore[no-untyped-def]
    person = world.in_team
    fill(world, person, training=60, family=2)
    history = " ".join(f"Đoạn {n:03d} về lịch sử bản thân ở nước ngoài." for n in range(70))
    assert len(history) >= 3000
    person.foreign_relations = history
    person.strengths = "Tổ chức, " * 50 + "KẾT THÚC SỞ TRƯỜNG"  # within the 500 the column holds
    db.session.commit()
    with app.app_context():
        g.use_test_session = True
        dossier = get_dossier_for(world.users["admin"], person.id)
        content, pages = pdf_text(render_2c(form_2c_data(dossier)))
    assert pages >= 4
    for n in range(1, 61):
        assert f"Trường Đại học Luật Hà Nội, cơ sở số {n} " in content + " ", n
        assert f"Cử nhân số {n} " in content + " ", n
    for n in range(70):
        assert f"Đoạn {n:03d}" in content, n
    assert "KẾT THÚC SỞ TRƯỜNG" in content
    assert f"Trang {pages}/{pages}" in content


def test_shipped_font_covers_vietnamese() -> None:
    """Debian's fonts-liberation 1.x lacks ơ, ư and the stacked tone marks: ship 2.x."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from hrms.core.pdf import _FACES, FONTS_DIR

    letters = "ĂăÂâĐđÊêÔôƠơƯư" + "".join(
        chr(code) for code in range(0x1EA0, 0x1EFA)
    )  # Latin Extended Additional: every tone on every vowel
    for filename in _FACES.values():
        glyphs = TTFontFile(str(FONTS_DIR / filename)).charToGlyph
        assert [ch for ch in letters if ord(ch) not in glyphs] == [], filename


def test_table_helper_repeats_its_header_and_wraps(app) -> None:  # type: ignore[no-untyped-def]
    word = "chữ-rất-dài-không-có-khoảng-trắng-" * 8
    rows = [[f"Dòng {n}", f"{word}{n}"] for n in range(120)]
    with app.app_context():
        content, pages = pdf_text(
            render([table(["Cột một", "Cột hai"], rows, [0.3, 0.7])], title="Thử")
        )
    assert pages > 1
    assert content.count("Cột hai") == pages  # the header on every page
    assert "Dòng 119" in content
    assert "Trang 1/" in content


@pytest.mark.parametrize(
    ("role", "status"), [("head", 403), ("staff", 404), ("nobody", 404), ("admin", 200)]
)
def test_who_may_print(client, world, login_as, role, status) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    assert printed(client, world.in_team).status_code == status


def test_out_of_scope_is_missing(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import issue_token

    login_as("officer")
    assert printed(client, world.outside).status_code == 404
    headers = {"Authorization": f"Bearer {issue_token(world.users['officer'])}"}
    api = client.application.test_client(use_cookies=False)
    url = f"/api/v1/employees/{world.outside.id}/dossier.pdf"
    assert api.get(url, headers=headers).status_code == 404


def test_staff_print_their_own(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("staff")
    response = printed(client, world.own)
    assert response.status_code == 200
    assert "LÊ THỊ NGỌC ÁNH" in pdf_text(response.data)[0]


def test_api_gives_the_same_pdf(client, world) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import issue_token

    headers = {"Authorization": f"Bearer {issue_token(world.users['officer'])}"}
    api = client.application.test_client(use_cookies=False)
    response = api.get(f"/api/v1/employees/{world.in_team.id}/dossier.pdf", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "NGUYỄN VĂN ÂN" in pdf_text(response.data)[0]
    head = {"Authorization": f"Bearer {issue_token(world.users['head'])}"}
    refused = api.get(f"/api/v1/employees/{world.in_team.id}/dossier.pdf", headers=head)
    assert refused.status_code == 403
    assert refused.is_json


def test_unit_zip_holds_one_form_per_dossier_in_scope(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    with client.get(f"/employees/2c.zip?unit_id={world.division_a.id}") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/zip"
        data = response.data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        expected = sorted(filename_2c(p) for p in (world.own, world.in_team))
        assert names == expected
        for name in names:
            assert archive.read(name).startswith(b"%PDF")
        text_of_in_team = pdf_text(archive.read(filename_2c(world.in_team)))[0]
    assert "NGUYỄN VĂN ÂN" in text_of_in_team


def test_unit_zip_refusals(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    assert client.get("/employees/2c.zip").status_code == 422
    assert client.get(f"/employees/2c.zip?unit_id={world.other_department.id}").status_code == 404
    login_as("head")
    assert client.get(f"/employees/2c.zip?unit_id={world.division_a.id}").status_code == 403


def test_unit_zip_is_capped(client, world, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hrms.employees import pdf

    monkeypatch.setattr(pdf, "ZIP_LIMIT", 1)
    login_as("officer")
    response = client.get(f"/employees/2c.zip?unit_id={world.division_a.id}")
    assert response.status_code == 422
    assert "Đơn vị này có hơn 1 hồ sơ" in response.get_data(as_text=True)


def test_dossier_page_offers_the_form_to_those_who_may_print(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    page = client.get(f"/employees/{world.in_team.id}").get_data(as_text=True)
    assert 'data-testid="print-2c"' in page
    login_as("head")
    page = client.get(f"/employees/{world.in_team.id}").get_data(as_text=True)
    assert 'data-testid="print-2c"' not in page


def test_list_offers_the_zip_once_a_unit_is_chosen(client, world, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("officer")
    assert 'data-testid="print-2c-zip"' not in client.get("/employees/").get_data(as_text=True)
    page = client.get(f"/employees/?unit_id={world.division_a.id}").get_data(as_text=True)
    assert 'data-testid="print-2c-zip"' in page


def test_queries_do_not_grow_with_the_dossier(app, client, world, login_as, count_queries) -> None:  # type: ignore[no-untyped-def]
    small = world.in_team
    fill(world, small, training=2, family=2)
    large = factories.EmployeeFactory(unit=world.team_a, full_name="Phạm Thị Bích Ngọc")
    fill(world, large, training=40, family=40)
    login_as("officer")
    counts = []
    for person in (small, large):
        with count_queries() as counted:
            assert printed(client, person).status_code == 200
        counts.append(counted.n)
    assert counts[0] == counts[1], counts
    assert counts[1] <= 20, counts


def test_every_kind_of_decision_has_a_name_on_form_2c() -> None:
    """Item 28 names each decision of the work history: a kind without a name was a 500 for
    everyone placed in a job position."""
    assert set(DECISION_NAMES) == set(DecisionKind)
