"""Forms of the data-protection pages: a purge and an erasure, each confirmed explicitly."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length


class PurgeForm(FlaskForm):
    confirm = BooleanField(_l("I understand that this removes the data listed above for good."), validators=[DataRequired()])


class ErasureForm(FlaskForm):
    reason = StringField(_l("Reason (e.g. the request's reference)"), validators=[DataRequired(), Length(max=300)])
    confirm = BooleanField(_l("I understand that this cannot be undone."), validators=[DataRequired()])
