"""Staffing pages: placement, staffing tables, competency assessments and gaps."""

from __future__ import annotations

from flask import Blueprint

import hrms.staffing.models  # noqa: F401  (the tables are known to the app and its migrations)

blueprint = Blueprint("staffing", __name__, url_prefix="/staffing")
