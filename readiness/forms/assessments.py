"""Forms of the delegation's pages: a new assessment, invitations, status changes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from readiness.forms.once import OnceForm

MAX_BULK_INVITES = 50


class NewAssessmentForm(OnceForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the assessment a title.")), Length(max=200)])
    tool_name = StringField(
        _l("Tool under consideration"),
        validators=[DataRequired(_l("Name the tool you are considering.")), Length(max=200)],
    )
    scope = TextAreaField(_l("Scope"), validators=[Optional(), Length(max=4000)])
    target_go_live = DateField(_l("Target go-live date"), validators=[Optional()])
    questionnaire_version = SelectField(_l("Questionnaire version"))


class InviteForm(OnceForm):
    role = SelectField(_l("Role"))
    count = IntegerField(
        _l("How many people"),
        default=1,
        validators=[NumberRange(1, MAX_BULK_INVITES, _l("Invite between 1 and %(max)d people at a time.", max=MAX_BULK_INVITES))],
    )
    name = StringField(_l("Name (optional)"), validators=[Optional(), Length(max=200)])
    days = IntegerField(
        _l("Link valid for (days)"),
        validators=[NumberRange(1, 365, _l("Choose between 1 and 365 days."))],
    )

    def validate_name(self, field: StringField) -> None:
        if field.data and field.data.strip() and (self.count.data or 1) > 1:
            raise ValidationError(_l("Give a name only when inviting one person."))


class ReissueForm(FlaskForm):
    days = IntegerField(_l("New link valid for (days)"), validators=[NumberRange(1, 365, _l("Choose between 1 and 365 days."))])


class ActionForm(FlaskForm):
    """A button that changes something: CSRF and, where it matters, the version the page showed."""

    version = HiddenField()
