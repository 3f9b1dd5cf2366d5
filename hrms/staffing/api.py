"""JSON API of placements, assessments and competency gaps."""

from __future__ import annotations

from hrms.core.api import api_blueprint

blueprint = api_blueprint("staffing_api", __name__)
