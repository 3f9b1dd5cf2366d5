"""JSON API of competencies, the catalogue, plans and positions (conventions: hrms.core.api)."""

from __future__ import annotations

from hrms.core.api import api_blueprint

blueprint = api_blueprint("positions_api", __name__)
