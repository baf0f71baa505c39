"""Forms for one's own account and for the administration of users and delegations."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from readiness.forms.once import OnceForm
from readiness.models import ContextType, Locale, Role
from readiness.services.accounts import PASSWORD_MAX_LENGTH, password_problems

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.HQ: _l("Headquarters"),
    Role.MEMBER: _l("Delegation member"),
    Role.COMMITTEE: _l("Ethics committee member"),
    Role.CHAIR: _l("Ethics committee chair"),
}
ROLE_HINTS = {
    Role.ADMIN: _l("manages users and delegations, and runs any delegation's assessments"),
    Role.HQ: _l("sees every delegation's assessments and reports"),
    Role.MEMBER: _l("runs the assessments of the delegations ticked below"),
    Role.COMMITTEE: _l("reviews ethics proposals"),
    Role.CHAIR: _l("chairs the ethics committee and records its decisions"),
}
CONTEXT_LABELS = {
    ContextType.ACUTE_EMERGENCY: _l("Acute emergency"),
    ContextType.PROTRACTED_CRISIS: _l("Protracted crisis"),
    ContextType.STABLE: _l("Stable or development context"),
}
LANGUAGE_NAMES = {Locale.EN: "English", Locale.FR: "Français", Locale.ES: "Español", Locale.AR: "العربية"}

# A light check only: the address must at least look like one (no extra dependency needed).
EMAIL_SHAPE = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address such as name@example.org."))


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS[Role(role)])


def context_label(context_type: ContextType | str) -> str:
    return str(CONTEXT_LABELS[ContextType(context_type)])


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: clearer than a multiple select, and usable on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two new passwords are not the same."))],
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def validate_new_password(self, field: PasswordField) -> None:
        problems = password_problems(field.data or "", self.email)
        if problems:
            raise ValidationError(" ".join(problems))


class CodeForm(FlaskForm):
    """A code from the authenticator app, or a recovery code."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])


class PreferencesForm(FlaskForm):
    locale = RadioField(
        _l("Interface language"),
        choices=[(locale.value, name) for locale, name in LANGUAGE_NAMES.items()],
        validators=[DataRequired()],
    )


class UserForm(OnceForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254), EMAIL_SHAPE])
    # The least powerful role is the default: nobody becomes an administrator by accident.
    role = SelectField(
        _l("Role"), choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
        default=Role.MEMBER.value, validators=[DataRequired()],
    )
    is_active = BooleanField(_l("Active (may log in)"), default=True)
    delegations = MultiCheckboxField(_l("Delegations"), coerce=int)
    version_id = HiddenField()

    def __init__(self, *args: Any, delegations: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.delegations.choices = [(d.id, d.name if d.country in d.name else f"{d.name} ({d.country})") for d in delegations]

    def validate_delegations(self, field: MultiCheckboxField) -> None:
        # A member with no delegation sees nothing at all: almost always a slip.
        if self.role.data == Role.MEMBER.value and self.is_active.data and not field.data:
            raise ValidationError(_l("Tick at least one delegation for a delegation member."))


class DelegationForm(OnceForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    country = StringField(_l("Country"), validators=[DataRequired(), Length(max=100)])
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=100)])
    context_type = SelectField(
        _l("Context"), choices=[(c.value, label) for c, label in CONTEXT_LABELS.items()], validators=[DataRequired()]
    )
    version_id = HiddenField()


class ApiTokenForm(OnceForm):
    name = StringField(_l("Name of the new token"), validators=[DataRequired(), Length(max=100)])


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token (and the version the admin saw)."""

    version_id = HiddenField()
