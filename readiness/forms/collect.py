"""Forms of the collection pages: importing a Kobo/ODK export."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp


class ImportForm(FlaskForm):
    file = FileField(_l("Submissions export (CSV or XLSX)"), validators=[FileRequired(_l("Choose the file exported from KoboToolbox or ODK."))])


class ConfirmImportForm(FlaskForm):
    key = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    filename = HiddenField()
