"""Forms of the raise pages (rendering and CSRF only: the schemas and services decide)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField

from hrms.core.forms import DateText, Form


class BatchForm(Form):
    """The common parts of the draft decisions made from the ticked rows of the raise list."""

    unit_id = HiddenField()
    number_suffix = StringField(_l("Decision number suffix"), render_kw={"placeholder": "/QĐ-SNV"})
    first_number = IntegerField(_l("Number of the first decision"), default=1)
    signed_on = DateText(_l("Signing date"))
    issuer = StringField(_l("Issuer"))


class BatchActionForm(Form):
    """Confirm or discard a draft: carries the version it was read at."""

    version = HiddenField()
