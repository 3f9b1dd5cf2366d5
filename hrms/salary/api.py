"""JSON API of salaries, raise and retirement schedules and the salary rule data (conventions:
hrms.core.api). The modules of the package add their operations to this blueprint."""

from __future__ import annotations

from hrms.core.api import api_blueprint

blueprint = api_blueprint("salary_api", __name__)
