"""Salary pages. The blueprint is shared by the modules of the package that add pages to it:
views_rules (rule data), views_raises (raise schedule and list), views_retirement."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("salary", __name__, url_prefix="/salary")
