"""Imports every module of the package that adds routes to the salary blueprints, so that
create_app registers them all by importing this one.

One name per line, each with its own ``noqa`` (imported for their side effects: the routes
they add); several ``import hrms.salary.x`` statements would all bind ``hrms`` and leave ruff's
unused-import check answering for the last one only.
"""

from hrms.salary import (
    api_pay,  # noqa: F401  (helper A: a person's salary)
    api_raises,  # noqa: F401  (helper B: raises)
    api_retirement,  # noqa: F401  (helper C: retirement)
    api_rules,  # noqa: F401  (helper A: rule data)
    models,  # noqa: F401  (rule data, even before any page uses it)
    raise_models,  # noqa: F401  (helper B: draft raise batches)
    views_pay,  # noqa: F401  (helper A)
    views_raises,  # noqa: F401  (helper B: raises)
    views_retirement,  # noqa: F401  (helper C: retirement)
    views_rules,  # noqa: F401  (helper A)
)
