"""Forms of the collection pages: importing a Kobo/ODK export."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, NumberRange, Regexp


class ImportForm(FlaskForm):
    file = FileField(_l("Submissions export (CSV or XLSX)"), validators=[FileRequired(_l("Choose the file exported from KoboToolbox or ODK."))])


class ConfirmImportForm(FlaskForm):
    key = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    filename = HiddenField()


class PrintPaperForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that only renders a PDF

    role = SelectField(_l("Role"))
    copies = IntegerField(_l("Copies"), default=5, validators=[NumberRange(1, 200, _l("Print between 1 and 200 copies at a time."))])
    first = IntegerField(_l("First sheet number"), default=1, validators=[NumberRange(1, 9999, _l("Choose a number from 1 to 9999."))])


class SheetCodeForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that only finds a sheet

    code = StringField(_l("Sheet code"), validators=[DataRequired(_l("Type the code printed at the top of the sheet."))])


def add_double_entry(form_class: type) -> type:
    """A paper sheet's form, with the choice to have it typed a second time before saving."""
    setattr(form_class, "double_entry",  # noqa: B010 (a field added to a form class built at run time)
            BooleanField(_l("Another person will type this sheet again; save only when both entries agree")))
    setattr(form_class, "resolved", HiddenField())  # noqa: B010
    return form_class
