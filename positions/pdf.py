"""Official documents of a position plan, as PDFs: a position's job description and competency
framework (the annex attached to the approval decision), and the plan's list of positions.

Like form 2C, these are documents in the official Vietnamese wording, not interface chrome: their
text is written here in Vietnamese and not translated. Loading takes a fixed number of queries
whatever the number of positions, tasks and requirements.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hrms.core.dates import format_date
from hrms.core.pdf import para, render, styles, table, text
from hrms.extensions import db
from positions.models import (
    UNITS,
    CompetencyVersion,
    PlanState,
    PositionGroup,
    PositionOutput,
    PositionPlan,
    PositionRequirement,
    PositionTask,
    UnitPosition,
)

GROUP_NAMES = {
    PositionGroup.LEADERSHIP: "Vị trí việc làm lãnh đạo, quản lý",
    PositionGroup.PROFESSIONAL: "Vị trí việc làm chuyên môn, nghiệp vụ",
    PositionGroup.SHARED_PROFESSIONAL: "Vị trí việc làm chuyên môn dùng chung",
    PositionGroup.SUPPORT: "Vị trí việc làm hỗ trợ, phục vụ",
}
STATE_NAMES = {
    PlanState.DRAFT: "Dự thảo",
    PlanState.SUBMITTED: "Đã trình, chờ phê duyệt",
    PlanState.APPROVED: "Đã phê duyệt",
    PlanState.RETURNED: "Trả lại để hoàn thiện",
}
FAMILY_NAMES = {
    "general": "Năng lực chung",
    "professional": "Năng lực chuyên môn",
    "leadership": "Năng lực lãnh đạo, quản lý",
}
TASK_HEADER = (
    "STT",
    "Công việc",
    "Sản phẩm đầu ra",
    "Đơn vị tính",
    "Hệ số quy đổi",
    "Số lượng/tháng",
)
#: what an empty section says on the printed document
NOT_STATED = "(chưa xác định)"


@dataclass(frozen=True)
class PlanDocument:
    plan: PositionPlan
    unit_name: str
    positions: list[UnitPosition]


def load_plan(plan_id: int) -> PlanDocument:
    """The plan with every position, task, output, requirement (and its competency version)
    and rank limit, in a fixed number of queries."""
    plan = db.session.scalars(
        select(PositionPlan)
        .where(PositionPlan.id == plan_id)
        .options(
            selectinload(PositionPlan.positions)
            .selectinload(UnitPosition.tasks)
            .selectinload(PositionTask.outputs),
            selectinload(PositionPlan.positions)
            .selectinload(UnitPosition.requirements)
            .selectinload(PositionRequirement.competency_version)
            .selectinload(CompetencyVersion.competency),
            selectinload(PositionPlan.positions).selectinload(UnitPosition.rank_limits),
        )
    ).one()
    unit_name = db.session.scalar(select(UNITS.c.name).where(UNITS.c.id == plan.unit_id)) or ""
    return PlanDocument(plan, str(unit_name), list(plan.positions))


def _number(value: Decimal | int | None) -> str:
    """Vietnamese separators: 1.234,5 (no trailing zeros)."""
    if value is None:
        return ""
    normalised = f"{Decimal(value).normalize():f}"
    whole, _, fraction = normalised.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{fraction}" if fraction else grouped


def _approval_line(plan: PositionPlan, unit_name: str) -> str:
    if plan.state == PlanState.APPROVED.value and plan.effective_on is not None:
        number = plan.approval_number or "……"
        return (
            f"(Kèm theo Quyết định số {number} phê duyệt đề án vị trí việc làm của "
            f"{unit_name}, có hiệu lực từ ngày {format_date(plan.effective_on)})"
        )
    return f"({STATE_NAMES[PlanState(plan.state)]}: đề án vị trí việc làm của {unit_name})"


def _section(number: str, title: str, body: str | None) -> list[Flowable]:
    s = styles()
    return [
        para(text(f"{number}. {title}"), s.heading),
        para(text(body) if body else text(NOT_STATED), s.justified),
    ]


def _job_description(position: UnitPosition, document: PlanDocument) -> list[Flowable]:
    s = styles()
    plan = document.plan
    story: list[Flowable] = [
        para(text("PHỤ LỤC"), s.title),
        para(text("BẢN MÔ TẢ CÔNG VIỆC VÀ KHUNG NĂNG LỰC CỦA VỊ TRÍ VIỆC LÀM"), s.title),
        para(text(_approval_line(plan, document.unit_name)), s.centered),
        Spacer(1, 8),
        para(text("I. THÔNG TIN CHUNG"), s.heading),
        table(
            None,
            [
                ["Tên vị trí việc làm", position.name],
                ["Mã vị trí", position.code],
                ["Nhóm", GROUP_NAMES[PositionGroup(position.grp)]],
                ["Cơ quan, đơn vị", document.unit_name],
                ["Ngạch công chức tương ứng", ", ".join(position.rank_list) or NOT_STATED],
                ["Số lượng người làm việc", _number(position.headcount)],
            ],
            [0.38, 0.62],
            header_columns=1,
        ),
    ]
    story += _section("II", "MỤC TIÊU CỦA VỊ TRÍ VIỆC LÀM", position.objective)
    story.append(para(text("III. CÁC CÔNG VIỆC VÀ SẢN PHẨM ĐẦU RA"), s.heading))
    rows: list[list[object]] = []
    for number, task in enumerate(position.tasks, start=1):
        outputs: list[PositionOutput | None] = list(task.outputs) or [None]
        for index, output in enumerate(outputs):
            rows.append(
                [
                    str(number) if index == 0 else "",
                    task.description if index == 0 else "",
                    output.name if output else "",
                    output.unit_of_measure if output else "",
                    _number(output.conversion_factor) if output else "",
                    _number(output.monthly_quantity) if output else "",
                ]
            )
    story.append(
        table(
            TASK_HEADER,
            rows,
            [0.06, 0.32, 0.26, 0.12, 0.12, 0.12],
            empty_rows=2,
        )
    )
    story += _section("IV", "TIÊU CHÍ ĐÁNH GIÁ HOÀN THÀNH CÔNG VIỆC", position.evaluation_criteria)
    story.append(para(text("V. CÁC MỐI QUAN HỆ CÔNG VIỆC"), s.heading))
    story.append(para(text("Bên trong: " + (position.internal_relations or NOT_STATED)), s.body))
    story.append(para(text("Bên ngoài: " + (position.external_relations or NOT_STATED)), s.body))
    story += _section("VI", "PHẠM VI QUYỀN HẠN", position.authority)
    story += _section("VII", "ĐIỀU KIỆN LÀM VIỆC", position.working_conditions)
    story.append(para(text("VIII. YÊU CẦU VỀ TRÌNH ĐỘ, KINH NGHIỆM VÀ PHẨM CHẤT"), s.heading))
    for label, value in (
        ("Trình độ đào tạo", position.qualifications),
        ("Kinh nghiệm công tác", position.experience),
        ("Phẩm chất cá nhân", position.qualities),
    ):
        story.append(para(text(f"{label}: {value or NOT_STATED}"), s.justified))
    story.append(para(text("IX. KHUNG NĂNG LỰC"), s.heading))
    requirements = sorted(
        position.requirements,
        key=lambda r: (list(FAMILY_NAMES).index(_family(r)), r.competency_version.name),
    )
    story.append(
        table(
            ["STT", "Năng lực", "Nhóm năng lực", "Cấp độ", "Biểu hiện ở cấp độ yêu cầu"],
            [
                [
                    str(number),
                    requirement.competency_version.name,
                    FAMILY_NAMES[_family(requirement)],
                    str(requirement.level),
                    requirement.competency_version.descriptor(requirement.level),
                ]
                for number, requirement in enumerate(requirements, start=1)
            ],
            [0.06, 0.26, 0.18, 0.08, 0.42],
            empty_rows=2,
        )
    )
    if position.rank_limits:
        story.append(para(text("X. CƠ CẤU NGẠCH"), s.heading))
        for limit in position.rank_limits:
            story.append(
                para(
                    text(f"Ngạch {limit.rank_code}: tối đa {limit.max_percent}% số lượng"),
                    s.body,
                )
            )
    return story


def _family(requirement: PositionRequirement) -> str:
    return str(requirement.competency_version.competency.family)


def job_description_pdf(document: PlanDocument, position_id: int) -> tuple[bytes, str]:
    position = next(p for p in document.positions if p.id == position_id)
    content = render(
        _job_description(position, document),
        title=f"Bản mô tả công việc - {position.name}",
        subject=document.unit_name,
    )
    return content, f"mo-ta-cong-viec-{position.code}.pdf"


def plan_pdf(document: PlanDocument, *, with_annexes: bool = True) -> tuple[bytes, str]:
    """The plan's table of positions, followed by each position's annex."""
    s = styles()
    plan = document.plan
    story: list[Flowable] = [
        para(text(document.unit_name.upper()), s.centered),
        para(text(f"ĐỀ ÁN VỊ TRÍ VIỆC LÀM (phiên bản {plan.number})"), s.title),
        para(text(_approval_line(plan, document.unit_name)), s.centered),
        Spacer(1, 8),
    ]
    if plan.note:
        story.append(para(text(plan.note), s.justified))
    total = 0
    for group in PositionGroup:
        members = [p for p in document.positions if p.grp == group.value]
        if not members:
            continue
        story.append(para(text(GROUP_NAMES[group]), s.heading))
        story.append(
            table(
                ["STT", "Mã", "Tên vị trí việc làm", "Ngạch tương ứng", "Số lượng"],
                [
                    [str(n), p.code, p.name, ", ".join(p.rank_list), _number(p.headcount)]
                    for n, p in enumerate(members, start=1)
                ],
                [0.07, 0.13, 0.47, 0.2, 0.13],
            )
        )
        total += sum(p.headcount for p in members)
    story.append(Spacer(1, 6))
    story.append(
        KeepTogether(
            [
                para(text(f"Tổng số vị trí việc làm: {len(document.positions)}"), s.bold),
                para(text(f"Tổng số lượng người làm việc: {_number(total)}"), s.bold),
            ]
        )
    )
    if with_annexes:
        for position in document.positions:
            story.append(PageBreak())
            story += _job_description(position, document)
    content = render(story, title=f"Đề án vị trí việc làm - {document.unit_name}")
    return content, f"de-an-vi-tri-viec-lam-v{plan.number}.pdf"
