"""The statistics' filter (one schema for the page, the downloads and the API) and the JSON
shape of the numbers."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from hrms.core.schemas import Date, InputSchema
from hrms.reports.queries import Statistics


class StatisticsQuery(InputSchema):
    #: count this unit's subtree (within the scope) instead of the whole scope
    unit_id = fields.Integer(load_default=None, metadata={"description": "unit in scope"})
    #: the date ages, Party membership and ratings are read on (today when not given)
    as_of = Date(load_default=None, metadata={"description": "yyyy-mm-dd or dd/mm/yyyy"})


class RowOut(Schema):
    key = fields.String(metadata={"description": "category code; empty for not recorded"})
    label = fields.String()
    label_vi = fields.String()
    count = fields.Integer()
    women = fields.Integer()
    party = fields.Integer()
    minority = fields.Integer()


class TableOut(Schema):
    name = fields.String()
    title = fields.String()
    subtitle = fields.String()
    total = fields.Integer()
    rows = fields.List(fields.Nested(RowOut))


class UnitRefOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class AgeBandOut(Schema):
    min_age = fields.Integer()
    max_age = fields.Integer(allow_none=True)
    label = fields.String()


class StatisticsOut(Schema):
    as_of = fields.Date()
    unit = fields.Nested(UnitRefOut, allow_none=True)
    headcount = fields.Integer()
    age_bands = fields.List(fields.Nested(AgeBandOut))
    tables = fields.List(fields.Nested(TableOut))


def dump_statistics(stats: Statistics) -> dict[str, Any]:
    tables = [
        {
            "name": table.name,
            "title": str(table.info.title),
            "subtitle": table.subtitle,
            "total": table.total,
            "rows": table.rows,
        }
        for table in stats.tables.values()
    ]
    data: dict[str, Any] = StatisticsOut().dump(
        {
            "as_of": stats.as_of,
            "unit": stats.focus,
            "headcount": stats.headcount,
            "age_bands": stats.bands,
            "tables": tables,
        }
    )
    return data
