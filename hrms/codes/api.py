"""Code lists in the JSON API: the active entries, for any signed-in account."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from hrms.codes import queries
from hrms.codes.models import CodeList
from hrms.codes.schemas import CodeEntryListQuery, CodeEntryOut
from hrms.core.api import Operation, api_blueprint, documented, page_body, query_args
from hrms.core.security import Permission, requires

blueprint = api_blueprint("codes_api", __name__, "/codes")


@blueprint.get("/<list_name>")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="Active entries of a code list, in display order",
        query=CodeEntryListQuery(),
        response=CodeEntryOut(),
        paged=True,
        errors=(404,),
        tags=("codes",),
        extra={
            "description": f"list_name: {', '.join(CodeList)}. Deactivated entries are left "
            "out; they stay valid in the records that use them."
        },
    )
)
def list_entries(list_name: str) -> ResponseReturnValue:
    code_list = queries.code_list_or_404(list_name)
    args = query_args(CodeEntryListQuery())
    page = queries.search_entries(
        code_list,
        q=args["q"],
        parent_code=args["parent_code"],
        page=args["page"],
        per_page=args["per_page"],
    )
    return jsonify(page_body(page, CodeEntryOut()))
