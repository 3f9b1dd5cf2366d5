"""Upload form: rendering and CSRF only."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, StringField

from hrms.core.forms import Form


class UploadForm(Form):
    file = FileField(_l("File (PDF, JPEG or PNG)"), render_kw={"accept": ".pdf,.jpg,.jpeg,.png"})
    kind = SelectField(_l("Kind of document"), validate_choice=False)
    description = StringField(_l("Description"))


class ConfirmForm(Form):
    """CSRF token only."""
