"""Statistics pages: the dashboard of the actor's scope, its tables as .xlsx, and the statistical
report on the number and quality of personnel (.xlsx and PDF)."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, render_template, request, send_file
from flask.typing import ResponseReturnValue
from flask_login import current_user

import hrms.reports.models  # noqa: F401  (the table is known to the app and its migrations)
from hrms.core.dates import today
from hrms.core.errors import ValidationFailed
from hrms.core.pdf import pdf_response
from hrms.core.schemas import load
from hrms.core.security import Permission, requires
from hrms.org.queries import unit_picker
from hrms.reports import exchange, queries
from hrms.reports.charts import bar_chart
from hrms.reports.pdf import report_pdf
from hrms.reports.schemas import StatisticsQuery
from hrms.salary.retirement_queries import dashboard_due

blueprint = Blueprint("reports", __name__, url_prefix="/reports")


def _statistics(args: dict[str, Any]) -> queries.Statistics:
    return queries.statistics(current_user, args["unit_id"], args["as_of"] or today())


def _filters() -> dict[str, Any]:
    """The filter of the downloads: refused like the page's (422 with the field's message)."""
    return load(StatisticsQuery(), request.args.to_dict())


def _xlsx(content: bytes, filename: str) -> ResponseReturnValue:
    response = send_file(
        io.BytesIO(content),
        mimetype=exchange.XLSX_MIME,
        as_attachment=True,
        download_name=filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _stamp(stats: queries.Statistics) -> str:
    unit = f"-{stats.focus.code}" if stats.focus is not None else ""
    return f"{stats.as_of:%Y%m%d}{unit}"


@blueprint.get("/")
@requires(Permission.REPORTS_VIEW)
def dashboard() -> ResponseReturnValue:
    """Headcount by kind, rank, education, political theory, age, sex, ethnicity, Party
    membership and unit, and the latest ratings, each as a chart beside its table."""
    try:
        args = load(StatisticsQuery(), request.args.to_dict())
        errors: dict[str, list[str]] = {}
    except ValidationFailed as failure:
        args, errors = load(StatisticsQuery(), {}), failure.errors
    stats = _statistics(args)
    filters: dict[str, Any] = {"unit_id": stats.focus.id if stats.focus is not None else None}
    if args["as_of"] is not None:
        filters["as_of"] = stats.as_of.isoformat()
    return (
        render_template(
            "reports/dashboard.html",
            stats=stats,
            errors=errors,
            picker=unit_picker(
                current_user,
                Permission.REPORTS_VIEW,
                stats.focus.id if stats.focus is not None else None,
            ),
            as_of_text=request.args.get("as_of", "")
            if errors
            else stats.as_of.strftime("%d/%m/%Y"),
            filters={key: value for key, value in filters.items() if value is not None},
            headcount_tables=queries.HEADCOUNT_TABLES,
            due=dashboard_due(current_user, stats.focus, stats.as_of),
            chart=lambda table: bar_chart(
                [(row.label, row.count) for row in table.rows], str(table.info.title)
            ),
        ),
        422 if errors else 200,
    )


@blueprint.get("/tables/<table_name>.xlsx")
@requires(Permission.REPORTS_VIEW)
def export_table(table_name: str) -> ResponseReturnValue:
    """One table of the dashboard (same filter) as a workbook."""
    name = queries.table_or_404(table_name)
    stats = _statistics(_filters())
    return _xlsx(exchange.table_workbook(stats, name), f"thong-ke-{name}-{_stamp(stats)}.xlsx")


@blueprint.get("/personnel.xlsx")
@requires(Permission.REPORTS_VIEW)
def personnel_xlsx() -> ResponseReturnValue:
    """The statistical report on the number and quality of personnel, one sheet per table."""
    stats = _statistics(_filters())
    return _xlsx(
        exchange.report_workbook(stats), f"bao-cao-so-luong-chat-luong-{_stamp(stats)}.xlsx"
    )


@blueprint.get("/personnel.pdf")
@requires(Permission.REPORTS_VIEW)
def personnel_pdf() -> ResponseReturnValue:
    """The same report as PDF."""
    stats = _statistics(_filters())
    return pdf_response(report_pdf(stats), f"bao-cao-so-luong-chat-luong-{_stamp(stats)}.pdf")
