"""Pages of the competency dictionary, the framework catalogue and the units' position plans."""

from __future__ import annotations

from flask import Blueprint

import positions.models  # noqa: F401  (the tables are known to the app and its migrations)

blueprint = Blueprint("positions", __name__, url_prefix="/positions")
