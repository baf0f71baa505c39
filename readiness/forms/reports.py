"""Forms of the report area: the decision and the action plan."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from readiness.domain.explain import outcome_label, text
from readiness.forms.once import OnceForm
from readiness.models import ActionStatus, Outcome
from readiness.reports import wording
from readiness.domain.decision import differs_from_recommendation


class RequiredIf:
    """Require the field when another field of the form has one of the given values."""

    def __init__(self, other: str, values: set[str], message: Any) -> None:
        self.other, self.values, self.message = other, values, message

    def __call__(self, form: FlaskForm, field: Any) -> None:
        if form[self.other].data in self.values and not (field.data or "").strip():
            raise ValidationError(self.message)


class DecisionForm(FlaskForm):
    outcome = SelectField(_l("Decision"), validators=[DataRequired()])
    decided_by_name = StringField(_l("Decided by"), validators=[DataRequired(), Length(max=200)])
    rationale = TextAreaField(_l("Rationale"), validators=[DataRequired(), Length(max=10_000)])
    conditions = TextAreaField(
        _l("Conditions"),
        validators=[
            RequiredIf("outcome", {Outcome.GO_WITH_CONDITIONS.value}, _l("List the conditions of a go with conditions.")),
            Length(max=10_000),
        ],
    )
    override_reason = TextAreaField(_l("Reason for departing from the recommendation"), validators=[Length(max=10_000)])
    go_live_on = DateField(_l("Go-live date"), validators=[Optional()])
    version_id = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])

    def __init__(self, *args: Any, recommended: str, lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recommended = recommended
        self.outcome.choices = [(o.value, outcome_label(o.value, lang)) for o in Outcome]

    def validate_override_reason(self, field: Any) -> None:
        if differs_from_recommendation(self.outcome.data or "", self.recommended) and not (field.data or "").strip():
            raise ValidationError(_l("This decision differs from the recommendation: say why."))


class GoLiveForm(FlaskForm):
    go_live_on = DateField(_l("Go-live date"), validators=[DataRequired()])


class ActionForm(OnceForm):
    title = StringField(_l("Action"), validators=[DataRequired(), Length(max=300)])
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=200)])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], validators=[DataRequired()])
    target_item = SelectField(_l("Question it works on (optional)"), choices=[], default="")
    target_level = SelectField(_l("Level it aims for"), choices=[("", "–")] + [(str(n), str(n)) for n in range(5)], default="")
    version_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])

    def __init__(self, *args: Any, lang: str, questions: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        """:param questions: ``(question id, label)`` of the questions an action can aim at."""
        super().__init__(*args, **kwargs)
        self.status.choices = [(s.value, text(wording.ACTION_STATUSES[s.value], lang)) for s in ActionStatus]
        self.target_item.choices = [("", _l("None"))] + list(questions)
        if self.target_item.data is None:
            self.target_item.data = ""
        if self.target_level.data is None:
            self.target_level.data = ""
        elif not isinstance(self.target_level.data, str):
            self.target_level.data = str(self.target_level.data)

    def validate_target_level(self, field: SelectField) -> None:
        if bool(field.data) != bool(self.target_item.data):
            raise ValidationError(_l("Give both the question and the level it should reach, or neither."))

    def target(self) -> tuple[str | None, int | None]:
        """:return: the question and level chosen, or ``(None, None)``."""
        if not self.target_item.data or not self.target_level.data:
            return None, None
        return self.target_item.data, int(self.target_level.data)


class MaskForm(FlaskForm):
    """Mask or show again someone's words in the reports (CSRF only; the choice is in ``masked``)."""

    masked = HiddenField()


class AmendDecisionForm(FlaskForm):
    """Change a recorded decision: the same texts as recording it, and why it changes."""

    outcome = SelectField(_l("Decision"), validators=[DataRequired()])
    rationale = TextAreaField(_l("Rationale"), validators=[DataRequired(), Length(max=10_000)])
    conditions = TextAreaField(
        _l("Conditions"),
        validators=[
            RequiredIf("outcome", {Outcome.GO_WITH_CONDITIONS.value}, _l("List the conditions of a go with conditions.")),
            Length(max=10_000),
        ],
    )
    override_reason = TextAreaField(_l("Reason for departing from the recommendation"), validators=[Length(max=10_000)])
    reason = TextAreaField(_l("Why you amend the decision"), validators=[DataRequired(), Length(max=10_000)])

    def __init__(self, *args: Any, recommended: str, lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recommended = recommended
        self.outcome.choices = [(o.value, outcome_label(o.value, lang)) for o in Outcome]

    validate_override_reason = DecisionForm.validate_override_reason
