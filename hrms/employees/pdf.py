"""Form 2C (Mẫu 2C-BNV/2008, Sơ yếu lý lịch cán bộ, công chức) as a PDF.

The form's text is the official Vietnamese wording: it is a legal form, not interface chrome,
so it is written here in Vietnamese and not translated. The data of any number of dossiers is
gathered in a fixed number of queries (``load_2c``); ``render_2c`` only lays it out.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from hrms.codes.queries import labels_in_lists as code_labels
from hrms.core.dates import format_date
from hrms.core.pdf import CONTENT_WIDTH, Run, bold, fixed_para, phrase, render, styles, table
from hrms.core.security import Actor, authorize
from hrms.core.storage import read_checked
from hrms.core.text import fold
from hrms.employees import queries, services
from hrms.employees.models import (
    Decision,
    DecisionKind,
    Employee,
    FamilyMember,
    FamilySide,
    Sex,
    TrainingRecord,
)
from hrms.org.models import Unit

FORM_NAME = "Mẫu 2C-BNV/2008"
FORM_SOURCE = (
    "ban hành kèm theo Quyết định số 02/2008/QĐ-BNV ngày 06/10/2008 của Bộ trưởng Bộ Nội vụ"
)
#: what an unfilled blank looks like on the printed form
BLANK = "……………"
#: most dossiers in one zip of forms: about 0.1 s each, so a request stays within a worker's
#: timeout (beyond that, print a smaller unit; a background job is the way to go further)
ZIP_LIMIT = 300
#: dossiers loaded and rendered together while building a zip
ZIP_CHUNK = 200
#: periods per block of the salary table (item 31 runs across the page, one column a period)
SALARY_COLUMNS = 6

SEX_NAMES = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}
DECISION_NAMES = {
    DecisionKind.RECRUITMENT: "Tuyển dụng",
    DecisionKind.RANK_PLACEMENT: "Bổ nhiệm, xếp ngạch",
    DecisionKind.SALARY_STEP: "Nâng bậc lương",
    DecisionKind.ALLOWANCE: "Phụ cấp chức vụ",
    DecisionKind.TRANSFER_IN: "Tiếp nhận, điều động đến",
    DecisionKind.TRANSFER_OUT: "Điều động, chuyển công tác",
    DecisionKind.APPOINTMENT: "Bổ nhiệm",
    DecisionKind.POSITION_PLACEMENT: "Bố trí vị trí việc làm",
    DecisionKind.ROTATION: "Luân chuyển",
    DecisionKind.SECONDMENT: "Biệt phái",
    DecisionKind.REWARD: "Khen thưởng",
    DecisionKind.DISCIPLINE: "Kỷ luật",
    DecisionKind.LEAVE: "Nghỉ không lương, tạm hoãn",
    DecisionKind.RETURN_FROM_LEAVE: "Trở lại làm việc",
    DecisionKind.RETIREMENT: "Nghỉ hưu",
    DecisionKind.RESIGNATION: "Thôi việc",
    DecisionKind.DEATH: "Từ trần",
}


@dataclass(frozen=True)
class Form2C:
    """Everything form 2C prints about one person."""

    employee: Employee
    unit: Unit
    #: the agency at the root of the person's unit (cơ quan có thẩm quyền quản lý)
    agency_name: str
    decisions: list[Decision]
    training: list[TrainingRecord]
    family: list[FamilyMember]
    #: names of the units the decisions name
    unit_names: dict[int, str]
    #: coded field -> label of the person's code ("ethnicity_code" -> "Kinh")
    labels: dict[str, str]
    #: the 4×6 photo filed with the dossier (JPEG or PNG), printed in the photo box
    photo: bytes | None = None


def _root_id(unit: Unit) -> int:
    return int(unit.path.strip("/").split("/")[0])


def load_2c(people: Sequence[tuple[Employee, Unit]]) -> list[Form2C]:
    """The forms of many dossiers in a fixed number of queries: child rows (3), unit names (1),
    photos (1), code labels (1); the caller has checked that the actor may see them."""
    ids = [employee.id for employee, _ in people]
    parts = queries.parts_of(ids)
    unit_ids = {_root_id(unit) for _, unit in people}
    unit_ids |= {d.unit_id for rows in parts.decisions.values() for d in rows if d.unit_id}
    names = queries.unit_names(unit_ids)
    photos = queries.photos_of(ids)
    coded = code_labels(
        (list_name, getattr(e, field))
        for e, _ in people
        for field, list_name in services.CODED_FIELDS.items()
    )
    forms = []
    for employee, unit in people:
        labels: dict[str, str] = {}
        for field, list_name in services.CODED_FIELDS.items():
            code = getattr(employee, field)
            if code:
                labels[field] = coded.get((list_name, code), code)
        forms.append(
            Form2C(
                employee=employee,
                unit=unit,
                agency_name=names.get(_root_id(unit), unit.name),
                decisions=parts.decisions[employee.id],
                training=parts.training[employee.id],
                family=parts.family[employee.id],
                unit_names=names,
                labels=labels,
                photo=_photo_content(photos.get(employee.id)),
            )
        )
    return forms


def _photo_content(photo: queries.Photo | None) -> bytes | None:
    """The photo's bytes; a missing, altered or unreadable file prints the empty box (and is
    logged) rather than failing the whole form."""
    if photo is None:
        return None
    try:
        content = read_checked(photo.stored_name, photo.sha256)
        ImageReader(io.BytesIO(content)).getSize()
    except OSError:
        current_app.logger.exception("Photo %s cannot be read", photo.attachment_id)
        return None
    return content


def form_2c_data(dossier: queries.Dossier) -> Form2C:
    """The form of one dossier already loaded (and checked) by ``queries.get_dossier_for``."""
    return load_2c([(dossier.employee, dossier.unit)])[0]


def filename_2c(employee: Employee) -> str:
    """``2C-nguyen-van-an-12.pdf``: ASCII, so every browser and archive tool keeps it."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(employee.full_name)).strip("-") or "ho-so"
    return f"2C-{slug}-{employee.id}.pdf"


# Formatting ----------------------------------------------------------------------------------


def _value(value: object) -> Run | str:
    """A filled-in value (in bold), or the form's blank."""
    if value is None or value == "":
        return BLANK
    return bold(value)


def _date(value: dt.date | None) -> Run | str:
    return _value(format_date(value)) if value else "…/…/……"


def _month(value: dt.date | None) -> str:
    return f"{value:%m/%Y}" if value else ""


def _span(start: dt.date, end: dt.date | None) -> str:
    return f"{_month(start)} – {_month(end) if end else 'nay'}"


def _number(value: Decimal | None) -> str:
    """Vietnamese decimal comma: 3,33."""
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _line(*pieces: Run | str) -> Flowable:
    return phrase(*pieces)


def _italic(wording: str) -> Run:
    return Run(wording, italic=True)


def _hint(wording: str) -> Flowable:
    """A guidance line of the form (its own wording, in italics)."""
    return phrase(wording, style=styles().note)


# The form ------------------------------------------------------------------------------------


def _header(form: Form2C) -> list[Flowable]:
    s = styles()
    rows = [
        [
            _line("Cơ quan, đơn vị có thẩm quyền quản lý CBCC: ", _value(form.agency_name)),
            fixed_para(f"<b>{FORM_NAME}</b><br/><i>{FORM_SOURCE}</i>", s.note),
        ],
        [
            _line("Cơ quan, đơn vị sử dụng CBCC: ", _value(form.unit.name)),
            _line("Số hiệu cán bộ, công chức: ………"),
        ],
    ]
    header = Table(rows, colWidths=[CONTENT_WIDTH * 0.62, CONTENT_WIDTH * 0.38], hAlign="LEFT")
    header.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [header, Spacer(1, 4 * mm)]


PHOTO_WIDTH = 40 * mm
PHOTO_HEIGHT = 60 * mm


def _photo_box(photo: bytes | None) -> Table:
    """The 4×6 box: the filed photo fitted inside it (proportions kept), or the label."""
    content: Flowable = phrase("Ảnh 4x6", style=styles().centered)
    if photo is not None:
        image = ImageReader(io.BytesIO(photo))
        width, height = image.getSize()
        scale = min((PHOTO_WIDTH - 2) / width, (PHOTO_HEIGHT - 2) / height)
        content = Image(io.BytesIO(photo), width=width * scale, height=height * scale)
    box = Table(
        [[content]],
        colWidths=[PHOTO_WIDTH],
        rowHeights=[PHOTO_HEIGHT],
        style=[
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 1),
            ("RIGHTPADDING", (0, 0), (-1, -1), 1),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ],
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.75, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return box


def _identity(form: Form2C) -> list[Flowable]:
    e = form.employee
    s = styles()
    sex = Sex(e.sex)
    born = ("…/…/", bold(e.date_of_birth.year)) if e.birth_year_only else (_date(e.date_of_birth),)
    beside_photo = [
        phrase("SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC", style=s.title),
        _line("1) Họ và tên khai sinh (viết chữ in hoa): ", _value(e.full_name.upper())),
        _line("2) Tên gọi khác: ", _value(e.other_names)),
        _line("3) Sinh ngày: ", *born, ", Giới tính (nam, nữ): ", _value(SEX_NAMES.get(sex))),
        _line("4) Nơi sinh: ", _value(e.place_of_birth)),
        _line("5) Quê quán: ", _value(e.hometown)),
    ]
    top = Table(
        [[_photo_box(form.photo), beside_photo]],
        colWidths=[45 * mm, CONTENT_WIDTH - 45 * mm],
        hAlign="LEFT",
    )
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    religion = "Không" if e.religion_code == "00" else form.labels.get("religion_code")
    return [
        top,
        Spacer(1, 3 * mm),
        _line(
            "6) Dân tộc: ",
            _value(form.labels.get("ethnicity_code")),
            ",\u00a0\u00a0\u00a07) Tôn giáo: ",
            _value(religion),
        ),
        _line("8) Nơi đăng ký hộ khẩu thường trú: ", _value(e.permanent_address)),
        _hint("(Số nhà, đường phố, thành phố, xóm, thôn, xã, huyện, tỉnh)"),
        _line("9) Nơi ở hiện nay: ", _value(e.current_address)),
        _hint("(Số nhà, đường phố, thành phố, xóm, thôn, xã, huyện, tỉnh)"),
    ]


def _work(form: Form2C) -> list[Flowable]:
    e = form.employee
    step = f"{e.salary_step}" if e.salary_step else ""
    return [
        _line("10) Nghề nghiệp khi được tuyển dụng: ", _value(e.occupation_before)),
        _line(
            "11) Ngày tuyển dụng: ",
            _date(e.recruited_on),
            ", Vào cơ quan nào, ở đâu: ",
            _value(e.recruiting_agency),
        ),
        _line("12) Chức vụ (chức danh) hiện tại: ", _value(e.position_title)),
        _hint("(Về chính quyền hoặc Đảng, đoàn thể, kể cả chức vụ kiêm nhiệm)"),
        _line("13) Công việc chính được giao: ", _value(e.main_work)),
        _line(
            "14) Ngạch công chức (viên chức): ",
            BLANK,
            ", Mã ngạch: ",
            _value(e.rank_code),
        ),
        _line(
            "Bậc lương: ",
            _value(step),
            ", Hệ số: ",
            _value(_number(e.salary_coefficient)),
            ", Ngày hưởng: ",
            _date(e.salary_since),
            ", Phụ cấp chức vụ: ",
            _value(_number(e.position_allowance)),
            ", Phụ cấp khác: ",
            _value(e.other_allowances),
        ),
    ]


def _education(form: Form2C) -> list[Flowable]:
    e = form.employee
    labels = form.labels
    highest = labels.get("qualification_code", "")
    if e.qualification_major:
        highest = (
            f"{highest}, chuyên ngành {e.qualification_major}"
            if highest
            else (e.qualification_major)
        )
    return [
        _line(
            "15.1- Trình độ giáo dục phổ thông (đã tốt nghiệp lớp mấy/thuộc hệ nào): ",
            _value(e.general_education),
        ),
        _line("15.2- Trình độ chuyên môn cao nhất: ", _value(highest)),
        _hint("(TSKH, TS, Ths, cử nhân, kỹ sư, cao đẳng, trung cấp, sơ cấp; chuyên ngành)"),
        _line("15.3- Lý luận chính trị: ", _value(labels.get("political_theory_code"))),
        _hint("(Cao cấp, trung cấp, sơ cấp và tương đương)"),
        _line("15.4- Quản lý nhà nước: ", _value(labels.get("state_management_code"))),
        _hint("(chuyên viên cao cấp, chuyên viên chính, chuyên viên, cán sự…)"),
        _line("15.5- Ngoại ngữ: ", _value(e.foreign_languages)),
        _line("15.6- Tin học: ", _value(labels.get("it_level_code"))),
    ]


def _ledger_text(decisions: list[Decision], kind: DecisionKind) -> str:
    """Rewards or discipline in force: "title (year, decision number)", oldest first."""
    chosen = [d for d in queries.in_force(decisions) if d.kind == kind]
    return "; ".join(
        f"{d.title or d.note or DECISION_NAMES[kind]} (năm {d.effective_on.year}, QĐ số {d.number})"
        for d in chosen
    )


def _membership(form: Form2C) -> list[Flowable]:
    e = form.employee
    organisation = e.mass_organisation or ""
    if organisation and e.mass_organisation_joined_on:
        organisation = f"{format_date(e.mass_organisation_joined_on)}, {organisation}"
    height = f"{e.height_cm} cm" if e.height_cm else ""
    weight = f"{e.weight_kg} kg" if e.weight_kg else ""
    return [
        _line(
            "16) Ngày vào Đảng Cộng sản Việt Nam: ",
            _date(e.party_joined_on),
            ", Ngày chính thức: ",
            _date(e.party_official_on),
        ),
        _line("17) Ngày tham gia tổ chức chính trị - xã hội: ", _value(organisation)),
        _hint("(Ngày tham gia tổ chức: Đoàn, Hội… và làm việc gì trong tổ chức đó)"),
        _line(
            "18) Ngày nhập ngũ: ",
            _date(e.enlisted_on),
            ", Ngày xuất ngũ: ",
            _date(e.discharged_on),
            ", Quân hàm cao nhất: ",
            _value(e.military_rank),
        ),
        _line("19) Danh hiệu được phong tặng cao nhất: ", _value(e.honorary_title)),
        _hint(
            "(Anh hùng lao động, anh hùng lực lượng vũ trang; nhà giáo, thầy thuốc, "
            "nghệ sĩ nhân dân, ưu tú…)"
        ),
        _line("20) Sở trường công tác: ", _value(e.strengths)),
        _line("21) Khen thưởng: ", _value(_ledger_text(form.decisions, DecisionKind.REWARD))),
        _hint("(Hình thức cao nhất, năm nào)"),
        _line("22) Kỷ luật: ", _value(_ledger_text(form.decisions, DecisionKind.DISCIPLINE))),
        _hint("(Về đảng, chính quyền, đoàn thể; hình thức cao nhất, năm nào)"),
        _line(
            "23) Tình trạng sức khỏe: ",
            _value(e.health_status),
            ", Chiều cao: ",
            _value(height),
            ", Cân nặng: ",
            _value(weight),
            ", Nhóm máu: ",
            _value(e.blood_group),
        ),
        _line(
            "24) Là thương binh hạng: ",
            _value(e.war_invalid_grade),
            ", Là con gia đình chính sách: ",
            _value(e.policy_family),
        ),
        _hint("(Con thương binh, con liệt sĩ, người nhiễm chất độc da cam Dioxin)"),
        _line(
            "25) Số chứng minh nhân dân/căn cước công dân: ",
            _value(e.national_id),
            ", Ngày cấp: ",
            _date(e.national_id_issued_on),
        ),
        _line("26) Số sổ BHXH: ", _value(e.social_insurance_number)),
    ]


def _heading(wording: str) -> list[Flowable]:
    # a heading never ends a page alone: it moves on with the first lines of its table
    return [CondPageBreak(30 * mm), phrase(wording, style=styles().heading)]


def _training(form: Form2C) -> list[Flowable]:
    rows = [
        [r.school, r.major, _span(r.started_on, r.ended_on), r.mode or "", r.degree or ""]
        for r in form.training
    ]
    return [
        *_heading(
            "27) ĐÀO TẠO, BỒI DƯỠNG VỀ CHUYÊN MÔN, NGHIỆP VỤ, LÝ LUẬN CHÍNH TRỊ, NGOẠI NGỮ, TIN HỌC"
        ),
        table(
            [
                "Tên trường",
                "Chuyên ngành đào tạo, bồi dưỡng",
                "Từ tháng, năm – đến tháng, năm",
                "Hình thức đào tạo",
                "Văn bằng, chứng chỉ, trình độ gì",
            ],
            rows,
            [0.25, 0.24, 0.17, 0.14, 0.20],
            empty_rows=3,
        ),
        _hint(
            "Ghi chú: Hình thức đào tạo: chính quy, tại chức, chuyên tu, bồi dưỡng…; "
            "Văn bằng: TSKH, TS, Ths, Cử nhân, Kỹ sư…"
        ),
    ]


def _history(form: Form2C) -> list[Flowable]:
    rows = []
    for period in queries.work_history(form.decisions, form.unit_names):
        decision = period.decision
        assert decision is not None
        words = [DECISION_NAMES[DecisionKind(decision.kind)]]
        if decision.title:
            words.append(decision.title)
        if decision.unit_id and decision.unit_id in form.unit_names:
            words.append(form.unit_names[decision.unit_id])
        rows.append([_span(period.start, period.end), ", ".join(words)])
    return [
        *_heading("28) TÓM TẮT QUÁ TRÌNH CÔNG TÁC"),
        table(
            [
                "Từ tháng, năm đến tháng, năm",
                "Chức danh, chức vụ, đơn vị công tác (đảng, chính quyền, đoàn thể, tổ chức xã "
                "hội), kể cả thời gian được đào tạo, bồi dưỡng về chuyên môn, nghiệp vụ…",
            ],
            rows,
            [0.25, 0.75],
            empty_rows=3,
        ),
    ]


@functools.cache
def _answer_style() -> ParagraphStyle:
    return ParagraphStyle("hrms-2c-answer", parent=styles().justified, leftIndent=6 * mm)


def _personal_history(form: Form2C) -> list[Flowable]:
    e = form.employee
    s = styles()
    items = (
        (
            "- Khai rõ: bị bắt, bị tù (từ ngày tháng năm nào đến ngày tháng năm nào, ở đâu), "
            "đã khai báo cho ai, những vấn đề gì?",
            e.history_detention,
        ),
        (
            "- Bản thân có làm việc trong chế độ cũ (cơ quan, đơn vị nào, địa điểm, chức danh, "
            "chức vụ, thời gian làm việc…)?",
            e.history_former_regime,
        ),
        (
            "- Tham gia hoặc có quan hệ với các tổ chức chính trị, kinh tế, xã hội nào ở nước "
            "ngoài (làm gì, tổ chức nào, đặt trụ sở ở đâu…)? Có thân nhân (cha, mẹ, vợ, chồng, "
            "con, anh chị em ruột) ở nước ngoài (làm gì, địa chỉ…)?",
            e.foreign_relations,
        ),
    )
    # answers may run to pages: set in the body weight, indented under their question
    answer_style = _answer_style()
    story: list[Flowable] = [*_heading("29) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN")]
    for question, answer in items:
        story.append(phrase(question, style=s.justified))
        for paragraph in (answer or "Không").splitlines() or ["Không"]:
            if paragraph.strip():
                story.append(phrase(paragraph, style=answer_style))
    return story


def _family_table(members: list[FamilyMember]) -> Table:
    rows = []
    for member in members:
        details = [
            f"Quê quán: {member.hometown}" if member.hometown else "",
            f"Nghề nghiệp, chức danh: {member.occupation}" if member.occupation else "",
            f"Đơn vị công tác, học tập: {member.workplace}" if member.workplace else "",
            f"Nơi ở: {member.residence}" if member.residence else "",
        ]
        rows.append(
            [
                member.relation,
                member.full_name,
                str(member.birth_year or ""),
                "; ".join(part for part in details if part),
            ]
        )
    return table(
        [
            "Mối quan hệ",
            "Họ và tên",
            "Năm sinh",
            "Quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học tập, nơi ở "
            "(trong, ngoài nước); thành viên các tổ chức chính trị - xã hội…",
        ],
        rows,
        [0.15, 0.24, 0.10, 0.51],
        empty_rows=3,
    )


def _family(form: Form2C) -> list[Flowable]:
    own = [m for m in form.family if m.side == FamilySide.OWN]
    spouse = [m for m in form.family if m.side == FamilySide.SPOUSE]
    return [
        *_heading("30) QUAN HỆ GIA ĐÌNH"),
        _line(bold("a) Về bản thân:"), " Cha, Mẹ, Vợ (hoặc chồng), các con, anh chị em ruột"),
        _family_table(own),
        Spacer(1, 3 * mm),
        CondPageBreak(25 * mm),
        _line(bold("b) Về bên vợ (hoặc chồng):"), " Cha, Mẹ, anh chị em ruột"),
        _family_table(spouse),
    ]


def _salary(form: Form2C) -> list[Flowable]:
    periods = queries.salary_history(form.decisions)
    cells = [
        (
            _month(p.start),
            "/".join(str(x) for x in (p.rank_code or "", p.salary_step or "") if x != ""),
            _number(p.salary_coefficient),
        )
        for p in periods
    ]
    story: list[Flowable] = [*_heading("31) DIỄN BIẾN QUÁ TRÌNH LƯƠNG CỦA CÁN BỘ, CÔNG CHỨC")]
    blocks = [cells[i : i + SALARY_COLUMNS] for i in range(0, len(cells), SALARY_COLUMNS)]
    for block in blocks or [[]]:
        padded = block + [("", "", "")] * (SALARY_COLUMNS - len(block))
        rows = [
            ["Tháng/năm", *(c[0] for c in padded)],
            ["Mã ngạch/bậc", *(c[1] for c in padded)],
            ["Hệ số lương", *(c[2] for c in padded)],
        ]
        share = 0.78 / SALARY_COLUMNS
        story.append(table(None, rows, [0.22, *([share] * SALARY_COLUMNS)], header_columns=1))
        story.append(Spacer(1, 2 * mm))
    return story


def _assessment() -> list[Flowable]:
    lines: list[Flowable] = [
        HRFlowable(
            width="100%",
            thickness=0.5,
            color=colors.black,
            dash=(1, 2),
            spaceBefore=16,
            spaceAfter=0,
        )
        for _ in range(6)
    ]
    return [
        *_heading(
            "32) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG CÁN BỘ, CÔNG CHỨC"
        ),
        *lines,
    ]


def _signatures(form: Form2C) -> Flowable:
    s = styles()
    left = [
        phrase(bold("Người khai"), style=s.centered),
        phrase(
            _italic("Tôi xin cam đoan những lời khai trên đây là đúng sự thật"), style=s.centered
        ),
        phrase(_italic("(Ký tên, ghi rõ họ tên)"), style=s.centered),
        Spacer(1, 22 * mm),
        phrase(bold(form.employee.full_name), style=s.centered),
    ]
    right = [
        phrase(_italic("…………, ngày …… tháng …… năm ……"), style=s.centered),
        phrase(bold("Thủ trưởng cơ quan, đơn vị quản lý và sử dụng CBCC"), style=s.centered),
        phrase(_italic("(Ký tên, đóng dấu)"), style=s.centered),
    ]
    block = Table([[left, right]], colWidths=[CONTENT_WIDTH * 0.45, CONTENT_WIDTH * 0.55])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 6 * mm), block])


def story_2c(form: Form2C) -> list[Flowable]:
    """The flowables of the form, in the order of the official layout."""
    return [
        *_header(form),
        *_identity(form),
        *_work(form),
        *_education(form),
        *_membership(form),
        *_training(form),
        *_history(form),
        *_personal_history(form),
        *_family(form),
        *_salary(form),
        *_assessment(),
        _signatures(form),
    ]


def render_2c(form: Form2C) -> bytes:
    """Form 2C of one person as a PDF (numbered A4 pages; long texts flow onto new pages)."""
    return render(
        story_2c(form),
        title=f"Sơ yếu lý lịch cán bộ, công chức – {form.employee.full_name}",
        subject=FORM_NAME,
        author=form.agency_name,
    )


def zip_2c(employees: Sequence[Employee]) -> tempfile.SpooledTemporaryFile[bytes]:
    """One PDF per dossier (each with its unit loaded) in a zip, kept in memory while small
    and spilled to a temporary file beyond that; returned rewound, ready to send."""
    # handed open to the response, which closes it once sent
    archive: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
        max_size=32 * 1024 * 1024
    )
    try:
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for start in range(0, len(employees), ZIP_CHUNK):
                chunk = employees[start : start + ZIP_CHUNK]
                for form in load_2c([(employee, employee.unit) for employee in chunk]):
                    zipped.writestr(filename_2c(form.employee), render_2c(form))
    except BaseException:
        archive.close()
        raise
    archive.seek(0)
    return archive


def print_for(actor: Actor, employee_id: int) -> tuple[bytes, str]:
    """One dossier's form and its file name, for the page and the API alike. The form holds
    sensitive items, so only those who may see them print it (403 for others who see the
    dossier, 404 beyond); printing counts as opening the dossier."""
    dossier = queries.get_dossier_for(actor, employee_id)
    authorize(dossier, visible=True, allowed=dossier.sensitive)
    services.record_view(dossier.employee)
    return render_2c(form_2c_data(dossier)), filename_2c(dossier.employee)
